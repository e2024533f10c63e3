//! Java adapter: tree-sitter-java (`.java`, Java 17–21) → [`crate::model::Module`].
//!
//! Lowering choices worth knowing (details in [`lower`]):
//! - Every method, constructor and static or instance initialiser becomes a
//!   [`crate::model::Function`] owned by its class (nested classes by their simple name).
//!   Instance methods get a leading `self` parameter; `this` is lowered to `self`, and a bare
//!   name that is an instance field of the class (not shadowed by a local or parameter) is
//!   read as `self.field`. A bare call of an instance method of the class is `self.m(…)`.
//!   Constructors are named `<init>`; instance field initialisers run at their start (a
//!   class without a constructor gets one). Static field initialisers are module-level
//!   assignments, so static fields (`LOG`, `BASE_URL`) are the module's globals.
//! - Annotations stay on their declarations as what the model keeps of them: web routes
//!   (`@RequestMapping("/patients")` on the class joined with `@GetMapping("/{id}")`, JAX-RS
//!   `@Path`) become the function's route; `@RequestBody`/`@PathVariable`/`@RequestParam`
//!   parameters keep their types, other parameters of a handler are injected.
//! - Types: classes, records (components are fields), enums, interfaces (Spring Data
//!   repositories keep `JpaRepository<Patient, Long>` as a base) become
//!   [`crate::model::TypeDecl`]s with their fields and declared types.
//! - Calls: `new X<>(…)` is a call of `X`; a builder chain `X.builder().a(v).b(w).build()` is a
//!   call of `X` with keyword arguments `a`, `b`; a builder passed as an argument also gives its
//!   keywords to the call it is passed to (`s3.putObject(PutObjectRequest.builder()
//!   .serverSideEncryption(…).build(), body)`). Zero-argument getters read fields
//!   (`p.getDiagnosis()` → `p.diagnosis`, Lombok and JavaBeans), a setter statement writes one
//!   (`p.setNotes(x);` → `p.notes = x`), JDBC column reads are subscripts
//!   (`rs.getString("diagnosis")` → `rs["diagnosis"]`).
//! - Lambdas are `Lambda`s in place; a method reference `a::m` is a one-parameter lambda calling
//!   `a.m(x)` (and `x.m()` when `a` is a type).
//! - try-with-resources binds each resource like a Python `with`; catch clauses are alternative
//!   arms; string concatenation is arithmetic, text blocks are strings.
//! - Imports are dotted paths (`import a.b.C;` → `a.b.C` as `C`, `import static a.B.m;` → `a.B.m`
//!   as `m`). Module identity: the module names come from the path (every dotted suffix, so a
//!   file laid out as its package, `…/java/com/acme/Foo.java`, is `com.acme.Foo`); a type used
//!   without an import is looked up in the file's own `package` (same-package references).
//! - Nesting deeper than the toolkit's [`DepthGuard`] allows is flattened: the subtree becomes an
//!   `Other` of the names and `name.field` reads found by an iterative walk.
//!
//! [`DepthGuard`]: crate::lang::toolkit::DepthGuard

mod lower;
mod manifest;
#[cfg(test)]
mod tests;

use crate::model::Module;

/// The Java adapter.
pub struct Java;

static DIALECTS: &[super::Dialect] = &[super::Dialect {
    extensions: &["java"],
    grammar: || tree_sitter_java::LANGUAGE.into(),
    extract: None,
}];

impl super::Language for Java {
    fn name(&self) -> &'static str {
        "java"
    }

    fn display_names(&self) -> &'static [&'static str] {
        &["Java"]
    }

    fn dialects(&self) -> &'static [super::Dialect] {
        DIALECTS
    }

    fn patterns(&self) -> &'static str {
        include_str!("../../patterns/java.toml")
    }

    fn lower(&self, tree: &tree_sitter::Tree, source: &str) -> Module {
        lower::lower(tree, source)
    }

    fn module_names(&self, dirs: Vec<&str>, stem: &str) -> Vec<String> {
        module_names(dirs, stem)
    }

    fn declared_module(&self, source: &str) -> Option<String> {
        package_of(source)
    }

    fn absolute_import(&self, path: &str, _primary: &str, _is_package: bool) -> String {
        path.to_string()
    }

    fn fragment_wrapper(&self) -> (&'static str, &'static str) {
        ("class Fragment { void fragment() {\n", "\n}}\n")
    }

    fn may_extend(&self, src: &str, name: &str) -> bool {
        src.contains(&format!("extends {name}")) || src.contains(&format!("implements {name}"))
    }

    fn token_kinds(&self) -> (&'static [&'static str], &'static str) {
        (&["string_literal"], "parenthesized_expression")
    }

    fn test_regions(&self, source: &str) -> Vec<(u32, u32)> {
        test_regions(source)
    }

    fn is_manifest(&self, file_name: &str) -> bool {
        manifest::is_manifest(file_name)
    }

    fn manifest_packages(&self, file_name: &str, text: &str) -> Vec<String> {
        manifest::packages(file_name, text)
    }

    fn default_import_name(&self, package: &str) -> String {
        // `groupId:artifactId`: code imports the group's packages.
        package.split(':').next().unwrap_or(package).to_string()
    }

    fn is_import_at(&self, head: &str, after: &str) -> bool {
        is_import_at(head, after)
    }
}

/// The file's own names (`com.acme.Foo`, every dotted suffix, most qualified first), then its
/// package's (`com.acme`): a class is imported by its package and its name, and its methods
/// are `com.acme.Foo.m` whichever file of the package declares it.
fn module_names(dirs: Vec<&str>, stem: &str) -> Vec<String> {
    let mut out = super::toolkit::suffix_module_names(dirs.clone(), stem, "package-info");
    if stem != "package-info" {
        out.extend(super::toolkit::suffix_module_names(dirs, "", ""));
    }
    out
}

/// The `package a.b.c;` declaration before the first type, found by a bounded text scan that
/// skips comments and annotations: module names are needed before files are parsed (the
/// lowering reads the same declaration from the tree for same-package calls).
fn package_of(source: &str) -> Option<String> {
    let head = source.get(..source.len().min(64 * 1024)).unwrap_or(source);
    let mut in_block = false;
    for line in head.lines().take(400) {
        let mut l = line.trim();
        if in_block {
            match l.find("*/") {
                Some(end) => {
                    in_block = false;
                    l = l[end + 2..].trim();
                }
                None => continue,
            }
        }
        if let Some(rest) = l.strip_prefix("/*") {
            match rest.find("*/") {
                Some(end) => l = rest[end + 2..].trim(),
                None => {
                    in_block = true;
                    continue;
                }
            }
        }
        if l.is_empty() || l.starts_with("//") || l.starts_with('@') {
            continue;
        }
        let rest = l.strip_prefix("package")?;
        if !rest.starts_with(char::is_whitespace) {
            return None;
        }
        let name = rest.trim_start();
        let name = name.split(';').next()?.trim();
        let valid = !name.is_empty()
            && name.split('.').all(|p| {
                !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$')
            });
        return valid.then(|| name.to_string());
    }
    None
}

/// `import com.openai.client.OpenAIClient;`, `import static io.sentry.Sentry.captureMessage;`:
/// the name starts a package path right after `import` (or `import static`).
fn is_import_at(head: &str, after: &str) -> bool {
    let head = head.trim_end();
    (head == "import" || head == "import static")
        && (after.starts_with('.') || after.starts_with(';'))
}

/// A JUnit or TestNG test class is test code as a whole (`*Test.java`, `*IT.java` under
/// `src/test/java` are told by their directory already): the file imports a test framework and
/// marks a method `@Test`.
fn test_regions(source: &str) -> Vec<(u32, u32)> {
    let framework = ["import org.junit", "import org.testng", "import static org.junit"]
        .iter()
        .any(|m| source.contains(m));
    let marked = source.contains("@Test") || source.contains("@ParameterizedTest");
    if framework && marked {
        let lines = u32::try_from(source.lines().count()).unwrap_or(u32::MAX);
        vec![(1, lines.max(1))]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod package_tests {
    use super::package_of;

    #[test]
    fn the_package_line_is_read_past_comments_and_annotations() {
        let src = "/*\n * Licence header\n */\n// note\n@Generated\npackage com.acme.letters ;\n\nimport x.Y;\n";
        assert_eq!(package_of(src).as_deref(), Some("com.acme.letters"));
        assert_eq!(package_of("/* a */ package a.b;").as_deref(), Some("a.b"));
        assert_eq!(package_of("import a.B;\nclass C {}"), None);
        assert_eq!(package_of("packageFoo x;"), None);
        assert_eq!(package_of("package a..b;"), None);
        assert_eq!(package_of(""), None);
    }
}
