//! Language adapters: one module per language, each lowering a tree-sitter tree into
//! [`crate::model::Module`]. Adding a language is one module here implementing [`Language`],
//! one entry in the language table and a `patterns/<lang>.toml`.

pub mod toolkit;

pub use toolkit::span_of;

use crate::model::Module;
use serde::Serialize;

/// Declares each adapter module and the table of languages, in order (a language's position
/// is its id).
macro_rules! languages {
    ($($module:ident::$adapter:ident),* $(,)?) => {
        $(pub mod $module;)*
        static LANGUAGES: &[&dyn Language] = &[$(&$module::$adapter),*];
    };
}

// The languages healthflow reads. Registering a language is one entry here.
languages! { python::Python, rust::Rust, javascript::JavaScript, java::Java }

/// One grammar of a language and the file extensions parsed with it (TypeScript and TSX are
/// dialects of one language: one patterns file, one module space).
pub struct Dialect {
    pub extensions: &'static [&'static str],
    pub grammar: fn() -> tree_sitter::Language,
    /// For container files (Jupyter notebooks): the code to parse, with where each of its
    /// lines is in the file, or why the file cannot be read as this dialect.
    pub extract: Option<Extract>,
}

/// Takes the code out of a container file: the code and where its lines lie, or why not.
pub type Extract = fn(&str) -> Result<(String, LineMap), String>;

/// Where each line of code extracted from a container file (a notebook's cells) lies in that
/// file, and which part (cell) it belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineMap {
    lines: Vec<LineOrigin>,
}

/// A line of extracted code: its line and starting column in the file (1-based), and its
/// part (a notebook cell's number, 1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineOrigin {
    pub line: u32,
    pub col: u32,
    pub part: u32,
}

impl LineMap {
    pub fn new(lines: Vec<LineOrigin>) -> LineMap {
        LineMap { lines }
    }

    fn origin(&self, line: u32) -> Option<&LineOrigin> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        self.lines.get(i).or(self.lines.last())
    }

    /// The file position of a (line, column) of the extracted code.
    pub fn position(&self, line: u32, col: u32) -> (u32, u32) {
        match self.origin(line) {
            Some(o) => (o.line, o.col.saturating_add(col.saturating_sub(1))),
            None => (line, col),
        }
    }

    /// The first line of the extracted code placed on line `line` of the file.
    pub fn code_line(&self, line: u32) -> Option<u32> {
        let i = self.lines.iter().position(|o| o.line == line)?;
        u32::try_from(i + 1).ok()
    }

    /// The part (cell) a line of the extracted code belongs to.
    pub fn part(&self, line: u32) -> Option<u32> {
        self.origin(line).map(|o| o.part)
    }

    /// A span of the extracted code in file coordinates (byte offsets stay the code's).
    pub fn span(&self, s: crate::model::Span) -> crate::model::Span {
        let (start_line, start_col) = self.position(s.start_line, s.start_col);
        let (end_line, end_col) = self.position(s.end_line, s.end_col);
        crate::model::Span {
            start_line,
            start_col,
            end_line,
            end_col,
            ..s
        }
    }
}

/// What a language adapter declares. The engine asks this, never which language a file is.
pub trait Language: Sync {
    /// Lower-case name: the patterns file's and configuration section's name, and the name in
    /// reports.
    fn name(&self) -> &'static str;
    /// How people name the language (and its dialects) in prose: `["JavaScript", "TypeScript"]`.
    fn display_names(&self) -> &'static [&'static str];
    /// Grammars and their extensions; the first is the language's default.
    fn dialects(&self) -> &'static [Dialect];
    /// The embedded `patterns/<name>.toml`.
    fn patterns(&self) -> &'static str;
    /// Map a tree of this language onto the engine's model. Must not recurse on the tree's
    /// depth (see [`toolkit`]).
    fn lower(&self, tree: &tree_sitter::Tree, source: &str) -> Module;
    /// The names a module goes by, most qualified first, from its directories and file stem.
    fn module_names(&self, dirs: Vec<&str>, stem: &str) -> Vec<String>;
    /// The module a file names for itself in its code (Java's `package com.acme;`), which its
    /// classes are known by whatever the directories say.
    fn declared_module(&self, _source: &str) -> Option<String> {
        None
    }
    /// An import path as written (dotted) made absolute from the importing module's primary
    /// name.
    fn absolute_import(&self, path: &str, primary: &str, is_package: bool) -> String;
    /// Whether the file is its package's own module (relative imports start from it).
    fn is_package_file(&self, _rel: &str) -> bool {
        false
    }
    /// Whether a bare import names a module of the importer's own package first.
    fn imports_from_own_package(&self) -> bool {
        false
    }
    /// Whether a package re-exports its modules' names (Python `__init__`, TypeScript
    /// barrels, Rust `pub use`): `pkg.Name` may then be `pkg.module.Name`.
    fn reexports_from_packages(&self) -> bool {
        false
    }
    /// Text around a fragment (an expression or statement cut from a file) so it parses alone.
    fn fragment_wrapper(&self) -> (&'static str, &'static str);
    /// Whether `src`, which contains `name`, may declare a subclass of type `name` or more of
    /// its methods: a cheap text test.
    fn may_extend(&self, src: &str, name: &str) -> bool;
    /// Node kinds of string literals, and of parentheses that only group an expression.
    fn token_kinds(&self) -> (&'static [&'static str], &'static str);
    /// Line ranges of in-file test code; test files are told by their paths.
    fn test_regions(&self, _source: &str) -> Vec<(u32, u32)> {
        Vec::new()
    }
    /// The text of a file that is not UTF-8, when the language declares another encoding.
    fn decode_legacy(&self, _bytes: &[u8]) -> Option<String> {
        None
    }
    /// Whether a file is a minifier's or bundler's output rather than source: skipped, with
    /// that reason, unless asked for.
    fn is_minified(&self, _file_name: &str, _source: &str) -> bool {
        false
    }
    /// Whether a file name is a dependency manifest of this language's ecosystem.
    fn is_manifest(&self, _file_name: &str) -> bool {
        false
    }
    /// Package names a manifest declares.
    fn manifest_packages(&self, _file_name: &str, _text: &str) -> Vec<String> {
        Vec::new()
    }
    /// The module or crate name code imports a package by, when the catalog gives none.
    fn default_import_name(&self, package: &str) -> String {
        package.replace('-', "_")
    }
    /// Whether a module name standing between `head` (the line before it, trimmed) and `after`
    /// (the rest of the text) is an import or use of that module.
    fn is_import_at(&self, head: &str, after: &str) -> bool;
}

/// A language of the table, with the dialect a file is parsed in.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang {
    id: u8,
    dialect: u8,
}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Why a file could not be lowered.
#[derive(Debug, thiserror::Error)]
pub enum LowerError {
    #[error("the {0} grammar could not be loaded: {1}")]
    Grammar(&'static str, String),
    #[error("the parser gave up on this file (timeout or cancellation)")]
    ParseFailed,
    #[error(transparent)]
    TimeBudget(#[from] crate::budget::Exceeded),
}

impl Lang {
    /// Every language, in its default dialect.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..LANGUAGES.len()).map(|i| Lang {
            id: i as u8,
            dialect: 0,
        })
    }

    /// The language of that name, in its default dialect.
    pub fn by_name(name: &str) -> Option<Lang> {
        Lang::all().find(|l| l.name() == name)
    }

    /// The languages read, for prose: "Python, Rust, JavaScript, TypeScript and Java".
    pub fn display_list() -> String {
        let names: Vec<&str> = Lang::all()
            .flat_map(|l| l.adapter().display_names().iter().copied())
            .collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            Some((last, _)) => last.to_string(),
            None => String::new(),
        }
    }

    /// Every dialect of every language.
    pub fn dialects() -> impl Iterator<Item = Lang> {
        Lang::all().flat_map(|l| {
            (0..l.adapter().dialects().len()).map(move |d| Lang {
                id: l.id,
                dialect: d as u8,
            })
        })
    }

    /// The language in its default dialect.
    pub fn language(self) -> Lang {
        Lang {
            id: self.id,
            dialect: 0,
        }
    }

    /// Position in the language table (same for every dialect).
    pub fn index(self) -> usize {
        usize::from(self.id)
    }

    /// The number of languages in the table.
    pub fn count() -> usize {
        LANGUAGES.len()
    }

    fn adapter(self) -> &'static dyn Language {
        LANGUAGES[usize::from(self.id)]
    }

    pub fn name(self) -> &'static str {
        self.adapter().name()
    }

    pub fn patterns(self) -> &'static str {
        self.adapter().patterns()
    }

    /// Extensions of every dialect.
    pub fn extensions(self) -> impl Iterator<Item = &'static str> {
        self.adapter()
            .dialects()
            .iter()
            .flat_map(|d| d.extensions.iter().copied())
    }

    pub fn from_path(path: &std::path::Path) -> Option<Lang> {
        let ext = path.extension()?.to_str()?;
        Lang::dialects().find(|l| {
            l.dialect()
                .extensions
                .iter()
                .any(|e| e.eq_ignore_ascii_case(ext))
        })
    }

    fn dialect(self) -> &'static Dialect {
        let ds = self.adapter().dialects();
        ds.get(usize::from(self.dialect)).unwrap_or(&ds[0])
    }

    /// See [`Language::test_regions`].
    pub fn test_regions(self, source: &str) -> Vec<(u32, u32)> {
        self.adapter().test_regions(source)
    }

    /// See [`Language::imports_from_own_package`].
    pub fn imports_from_own_package(self) -> bool {
        self.adapter().imports_from_own_package()
    }

    /// See [`Language::reexports_from_packages`].
    pub fn reexports_from_packages(self) -> bool {
        self.adapter().reexports_from_packages()
    }

    /// The names a file's module goes by, most qualified first (`app/llm.py` → `app.llm`,
    /// `llm`), for resolving calls across files.
    pub fn module_names(self, rel: &str) -> Vec<String> {
        let path = rel.trim_start_matches('/');
        let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let Some(last) = parts.pop() else {
            return Vec::new();
        };
        let stem = last.rsplit_once('.').map(|(s, _)| s).unwrap_or(last);
        let mut out = self.adapter().module_names(parts, stem);
        out.retain(|s| !s.is_empty());
        out.dedup();
        out
    }

    /// [`Lang::module_names`], led by the module the code declares for itself, if any
    /// (`package com.acme;` in `Foo.java`: `com.acme.Foo` first, `com.acme` last).
    pub fn module_names_in(self, rel: &str, source: Option<&str>) -> Vec<String> {
        let names = self.module_names(rel);
        let Some(declared) = source.and_then(|s| self.adapter().declared_module(s)) else {
            return names;
        };
        let last = rel.rsplit('/').next().unwrap_or(rel);
        let stem = last.rsplit_once('.').map(|(s, _)| s).unwrap_or(last);
        let mut out = vec![format!("{declared}.{stem}")];
        out.extend(names);
        out.push(declared);
        let mut seen = std::collections::HashSet::new();
        out.retain(|n| !n.is_empty() && seen.insert(n.clone()));
        out
    }

    /// See [`Language::is_package_file`].
    pub fn is_package_file(self, rel: &str) -> bool {
        self.adapter().is_package_file(rel)
    }

    /// See [`Language::absolute_import`].
    pub fn absolute_import(self, path: &str, primary: &str, is_package: bool) -> String {
        self.adapter().absolute_import(path, primary, is_package)
    }

    /// See [`Language::fragment_wrapper`].
    pub fn fragment_wrapper(self) -> (&'static str, &'static str) {
        self.adapter().fragment_wrapper()
    }

    /// See [`Language::may_extend`].
    pub fn may_extend(self, src: &str, name: &str) -> bool {
        src.contains(name) && self.adapter().may_extend(src, name)
    }

    /// See [`Language::token_kinds`].
    pub fn token_kinds(self) -> (&'static [&'static str], &'static str) {
        self.adapter().token_kinds()
    }

    /// The code of a file's text and, for a container file, where its lines lie in the file.
    pub fn extract(self, text: String) -> Result<(String, Option<LineMap>), String> {
        match self.dialect().extract {
            None => Ok((text, None)),
            Some(f) => f(&text).map(|(code, map)| (code, Some(map))),
        }
    }

    /// See [`Language::is_minified`].
    pub fn is_minified(self, file_name: &str, source: &str) -> bool {
        self.adapter().is_minified(file_name, source)
    }

    /// See [`Language::decode_legacy`].
    pub fn decode_legacy(self, bytes: &[u8]) -> Option<String> {
        self.adapter().decode_legacy(bytes)
    }

    /// See [`Language::is_manifest`].
    pub fn is_manifest(self, file_name: &str) -> bool {
        self.adapter().is_manifest(file_name)
    }

    /// See [`Language::manifest_packages`].
    pub fn manifest_packages(self, file_name: &str, text: &str) -> Vec<String> {
        self.adapter().manifest_packages(file_name, text)
    }

    /// See [`Language::default_import_name`].
    pub fn default_import_name(self, package: &str) -> String {
        self.adapter().default_import_name(package)
    }

    /// See [`Language::is_import_at`].
    pub fn is_import_at(self, head: &str, after: &str) -> bool {
        self.adapter().is_import_at(head, after)
    }

    /// Parse a code fragment (an expression or a statement cut from a file) on its own,
    /// wrapped as [`Lang::fragment_wrapper`] says, with a parser kept per thread and language
    /// (creating one costs more than parsing a fragment). Returns the tree, the wrapped text
    /// and where the fragment lies in it.
    pub fn parse_fragment(self, text: &str) -> Option<(tree_sitter::Tree, String, u32, u32)> {
        thread_local! {
            static PARSERS: std::cell::RefCell<Vec<(Lang, tree_sitter::Parser)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        let (before, after) = self.fragment_wrapper();
        let wrapped = format!("{before}{text}{after}");
        let tree = PARSERS.with(|ps| {
            let mut ps = ps.borrow_mut();
            let i = match ps.iter().position(|(l, _)| *l == self) {
                Some(i) => i,
                None => {
                    let mut p = tree_sitter::Parser::new();
                    p.set_language(&self.ts_language()).ok()?;
                    ps.push((self, p));
                    ps.len() - 1
                }
            };
            ps[i].1.parse(&wrapped, None)
        })?;
        let from = u32::try_from(before.len()).ok()?;
        let to = from.checked_add(u32::try_from(text.len()).ok()?)?;
        Some((tree, wrapped, from, to))
    }

    pub fn ts_language(self) -> tree_sitter::Language {
        (self.dialect().grammar)()
    }

    /// Parse and lower `source`. Parsing and lowering stop at the current thread's
    /// [`crate::budget::Deadline`], if any, with [`LowerError::TimeBudget`].
    pub fn lower(self, source: &str) -> Result<Module, LowerError> {
        let tree = self.parse(source)?;
        let module = self.adapter().lower(&tree, source);
        crate::budget::check()?;
        Ok(module)
    }

    /// Parse `source` with tree-sitter, cancelled at the current thread's deadline.
    pub fn parse(self, source: &str) -> Result<tree_sitter::Tree, LowerError> {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&self.ts_language())
            .map_err(|e| LowerError::Grammar(self.name(), e.to_string()))?;
        let deadline = crate::budget::current();
        if deadline == crate::budget::Deadline::NONE {
            return parser.parse(source, None).ok_or(LowerError::ParseFailed);
        }
        let bytes = source.as_bytes();
        // tree-sitter calls this every 100 parse operations, and one operation can cost time
        // linear in the file (an external scanner looking ahead over comment lines), so the
        // clock is read on every call rather than amortised like `budget::expired`.
        let mut cancel = |_: &tree_sitter::ParseState| deadline.is_past();
        let tree = parser.parse_with_options(
            &mut |i, _| bytes.get(i..).unwrap_or_default(),
            None,
            Some(tree_sitter::ParseOptions::new().progress_callback(&mut cancel)),
        );
        crate::budget::check()?;
        tree.ok_or(LowerError::ParseFailed)
    }
}
