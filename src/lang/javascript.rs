//! JavaScript and TypeScript adapter: tree-sitter-javascript (`.js .mjs .cjs .jsx`),
//! tree-sitter-typescript (`.ts .mts .cts`) and its TSX grammar (`.tsx`) → [`crate::model::Module`].
//!
//! Lowering choices worth knowing (details in [`lower`]):
//! - Declared functions, methods, and arrow functions or function expressions bound to a name
//!   (`const f = async (p) => …`, `exports.handler = …`, object-literal methods) become their own
//!   [`crate::model::Function`]s. A function passed as an argument stays a `Lambda` in place (it
//!   sees the enclosing scope, and a method's callback receives the receiver's data:
//!   `rows.map(r => …)`, `promise.then(x => …)`), except the handler of a web route
//!   (`app.post('/patients/:id', (req, res) => …)`), which becomes a function with that route.
//! - `this` is lowered to `self`, `super` stays `super`; methods get a leading `self` parameter.
//!   TypeScript parameter properties (`constructor(private prisma: PrismaService)`) become
//!   fields and `self.x = x` assignments.
//! - An object literal passed as the last argument is kept as a positional `Dict` and its keys
//!   are also given as keyword arguments, so `create({ model, messages })` is selected like a
//!   Python `create(model=…, messages=…)` (the values are repeated, not bound to temporaries,
//!   which would give them new names). `client.send(new PutObjectCommand({…}))` gets the
//!   command's options as keyword arguments of `send` as well.
//! - `new X(…)` is a call of `X`; `await`, `!`, `as`, `satisfies` and parentheses pass through.
//! - Imports are dotted paths: `import { a } from '@scope/pkg/sub'` → `@scope.pkg.sub.a`,
//!   `import x from 'pkg'` and `import * as x from 'pkg'` → `pkg`, `require('pkg')` alike;
//!   relative specifiers keep one leading dot per level (`./x` → `.x`, `../x` → `..x`).
//! - Destructuring lowers to one assignment per bound name, from the field (`const { notes } =
//!   patient` → `notes = patient.notes`), through a temporary when the value is not a name.
//! - Interfaces, object type aliases and classes become [`crate::model::TypeDecl`]s with their
//!   fields and types.
//! - Nesting deeper than the toolkit's [`DepthGuard`] allows is flattened: the subtree becomes an
//!   `Other` of the names and `name.attr` reads found by an iterative walk.

mod lower;
mod manifest;
#[cfg(test)]
mod tests;

use crate::model::Module;

/// The JavaScript / TypeScript adapter.
pub struct JavaScript;

static DIALECTS: &[super::Dialect] = &[
    super::Dialect {
        extensions: &["js", "mjs", "cjs", "jsx"],
        grammar: || tree_sitter_javascript::LANGUAGE.into(),
        extract: None,
    },
    super::Dialect {
        extensions: &["ts", "mts", "cts"],
        grammar: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        extract: None,
    },
    super::Dialect {
        extensions: &["tsx"],
        grammar: || tree_sitter_typescript::LANGUAGE_TSX.into(),
        extract: None,
    },
];

impl super::Language for JavaScript {
    fn name(&self) -> &'static str {
        "javascript"
    }

    fn display_names(&self) -> &'static [&'static str] {
        &["JavaScript", "TypeScript"]
    }

    fn dialects(&self) -> &'static [super::Dialect] {
        DIALECTS
    }

    fn patterns(&self) -> &'static str {
        include_str!("../../patterns/javascript.toml")
    }

    fn lower(&self, tree: &tree_sitter::Tree, source: &str) -> Module {
        lower::lower(tree, source)
    }

    fn module_names(&self, dirs: Vec<&str>, stem: &str) -> Vec<String> {
        super::toolkit::suffix_module_names(dirs, stem, "index")
    }

    fn absolute_import(&self, path: &str, primary: &str, is_package: bool) -> String {
        super::toolkit::dotted_relative_import(path, primary, is_package)
    }

    fn is_package_file(&self, rel: &str) -> bool {
        let file = rel.rsplit('/').next().unwrap_or(rel);
        let stem = file.split('.').next().unwrap_or(file);
        stem == "index"
    }

    fn reexports_from_packages(&self) -> bool {
        true
    }
    fn fragment_wrapper(&self) -> (&'static str, &'static str) {
        ("", "\n")
    }

    fn may_extend(&self, src: &str, name: &str) -> bool {
        src.contains(&format!("extends {name}")) || src.contains(&format!("implements {name}"))
    }

    fn token_kinds(&self) -> (&'static [&'static str], &'static str) {
        (&["string", "template_string"], "parenthesized_expression")
    }

    fn is_manifest(&self, file_name: &str) -> bool {
        file_name == "package.json"
    }

    fn is_minified(&self, file_name: &str, source: &str) -> bool {
        is_minified(file_name, source)
    }

    fn manifest_packages(&self, _file_name: &str, text: &str) -> Vec<String> {
        manifest::packages(text)
    }

    fn default_import_name(&self, package: &str) -> String {
        package.to_ascii_lowercase()
    }

    fn is_import_at(&self, head: &str, after: &str) -> bool {
        is_import_at(head, after)
    }
}

/// `app.min.js`, `pdf.worker.min.mjs`; or code whose lines average over 1,000 bytes in a file
/// of 20 KB or more: what minifiers and bundlers write, never a person.
fn is_minified(file_name: &str, source: &str) -> bool {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    if stem.ends_with(".min") || stem.ends_with("-min") {
        return true;
    }
    const MIN_BYTES: usize = 20 * 1024;
    const LINE_BYTES: usize = 1000;
    source.len() >= MIN_BYTES && source.len() / (source.lines().count().max(1)) > LINE_BYTES
}

/// `import x from 'pkg'`, `} from "pkg/sub"`, `require('pkg')`, `import('pkg')`,
/// `export * from 'pkg'`: the name stands right after the opening quote of a module specifier.
fn is_import_at(head: &str, after: &str) -> bool {
    let Some(quote) = head
        .chars()
        .next_back()
        .filter(|c| matches!(c, '\'' | '"' | '`'))
    else {
        return false;
    };
    if !(after.starts_with(quote) || after.starts_with('/')) {
        return false;
    }
    let before = head[..head.len() - quote.len_utf8()].trim_end();
    before.ends_with("from")
        || before.ends_with("require(")
        || before.ends_with("import(")
        || before == "import"
        || before.ends_with(" import")
}

/// A module specifier as a dotted import path: `node:` dropped, `/` → `.`, relative prefixes
/// as leading dots, file extensions dropped.
pub(crate) fn module_path(spec: &str) -> String {
    let spec = spec.trim();
    let spec = spec.strip_prefix("node:").unwrap_or(spec);
    // `@/lib/db` and `~/lib/db` are the usual `tsconfig` path aliases of the source root (no
    // package is named `@` or `~`): the path under the root, matched by the files' module
    // names from any depth.
    let spec = spec
        .strip_prefix("@/")
        .or_else(|| spec.strip_prefix("~/"))
        .unwrap_or(spec);
    let mut dots = String::new();
    let mut rest = spec;
    if let Some(r) = rest.strip_prefix("./") {
        dots.push('.');
        rest = r;
    } else if rest == "." {
        return ".".to_string();
    }
    while let Some(r) = rest.strip_prefix("../") {
        if dots.is_empty() {
            dots.push('.');
        }
        dots.push('.');
        rest = r;
        while let Some(r2) = rest.strip_prefix("./") {
            rest = r2;
        }
    }
    if rest == ".." {
        return if dots.is_empty() {
            "..".to_string()
        } else {
            format!("{dots}.")
        };
    }
    let mut segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if !dots.is_empty() {
        if let Some(last) = segs.last_mut() {
            for ext in [
                ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".json",
            ] {
                if let Some(s) = last.strip_suffix(ext) {
                    *last = s;
                    break;
                }
            }
        }
        if segs.last() == Some(&"index") && segs.len() > 1 {
            segs.pop();
        }
    }
    format!("{dots}{}", segs.join("."))
}

#[cfg(test)]
mod naming_tests {
    use super::*;

    #[test]
    fn specifiers_become_dotted_paths() {
        assert_eq!(module_path("@aws-sdk/client-s3"), "@aws-sdk.client-s3");
        assert_eq!(module_path("node:fs/promises"), "fs.promises");
        assert_eq!(module_path("./llm"), ".llm");
        assert_eq!(module_path("./lib/llm.js"), ".lib.llm");
        assert_eq!(module_path("../services/ai"), "..services.ai");
        assert_eq!(module_path("../../x"), "...x");
        assert_eq!(module_path("./lib/index"), ".lib");
        assert_eq!(module_path("@/lib/ai"), "lib.ai");
        assert_eq!(module_path("~/server/db"), "server.db");
    }

    #[test]
    fn relative_imports_resolve_from_the_directory() {
        let js = &JavaScript as &dyn crate::lang::Language;
        assert_eq!(
            js.absolute_import(".llm.summarize", "src.api.notes", false),
            "src.api.llm.summarize"
        );
        assert_eq!(
            js.absolute_import("..lib.llm.f", "src.api.notes", false),
            "src.lib.llm.f"
        );
        assert_eq!(
            js.absolute_import(".llm.f", "src.api", true),
            "src.api.llm.f"
        );
        assert_eq!(js.absolute_import("openai", "src.api", false), "openai");
        assert_eq!(
            js.module_names(vec!["src", "lib"], "index"),
            ["src.lib", "lib"]
        );
        assert_eq!(js.module_names(vec!["src"], "llm"), ["src.llm", "llm"]);
    }

    #[test]
    fn imports_in_text() {
        assert!(is_import_at("import OpenAI from '", "';"));
        assert!(is_import_at("} from \"", "\";"));
        assert!(is_import_at("const x = require('", "')"));
        assert!(is_import_at("import '", "/shims'"));
        assert!(is_import_at("const m = await import('", "')"));
        assert!(!is_import_at("const s = '", "'"));
        assert!(!is_import_at("import x from", " y"));
    }
}
