//! Language adapters: one module per language, each lowering a tree-sitter tree into
//! [`crate::model::Module`]. Adding a language is one module here, one row in [`Lang::ALL`]
//! and a `patterns/<lang>.toml`.

pub mod python;
pub mod rust;

use crate::model::Module;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Python,
    Rust,
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
    pub const ALL: [Lang; 2] = [Lang::Python, Lang::Rust];

    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::Rust => "rust",
        }
    }

    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Lang::Python => &["py", "pyi", "pyw"],
            Lang::Rust => &["rs"],
        }
    }

    pub fn from_path(path: &std::path::Path) -> Option<Lang> {
        let ext = path.extension()?.to_str()?;
        Lang::ALL
            .into_iter()
            .find(|l| l.extensions().iter().any(|e| e.eq_ignore_ascii_case(ext)))
    }

    /// Line ranges of in-file test code (Rust `#[cfg(test)]` modules); test files are told
    /// by their paths (`crate::testcode`).
    pub fn test_regions(self, source: &str) -> Vec<(u32, u32)> {
        match self {
            Lang::Python => Vec::new(),
            Lang::Rust => rust::test_regions(source),
        }
    }

    /// Whether a bare import names a module of the importer's own package first
    /// (`from utils import f` next to `utils.py`).
    pub fn imports_from_own_package(self) -> bool {
        match self {
            Lang::Python => true,
            Lang::Rust => false,
        }
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
        let mut out = match self {
            Lang::Python => python::module_names(parts, stem),
            Lang::Rust => rust::module_names(parts, stem),
        };
        out.retain(|s| !s.is_empty());
        out.dedup();
        out
    }

    /// Whether the file is its package's own module (`pkg/__init__.py`): relative imports
    /// and own-package lookups start from the package, not its parent.
    pub fn is_package_file(self, rel: &str) -> bool {
        match self {
            Lang::Python => rel.ends_with("__init__.py"),
            Lang::Rust => false,
        }
    }

    /// An import path as written (dotted) made absolute from the importing module's primary
    /// name: `.llm.ask` in `app.views` → `app.llm.ask`; Rust `crate.x`, `super.x`.
    pub fn absolute_import(self, path: &str, primary: &str, is_package: bool) -> String {
        match self {
            Lang::Python => python::absolute_import(path, primary, is_package),
            Lang::Rust => rust::absolute_import(path, primary),
        }
    }

    /// Text to put before and after a code fragment (an expression or a statement cut from a
    /// file) so that it parses on its own.
    pub fn fragment_wrapper(self) -> (&'static str, &'static str) {
        match self {
            Lang::Python => ("", "\n"),
            Lang::Rust => ("fn _fragment() {\n", "\n;}\n"),
        }
    }

    /// Whether `src` may declare a subclass of type `name`, or more methods of it (Rust `impl`
    /// blocks): a cheap text test that decides which unparsed files to parse.
    pub fn may_extend(self, src: &str, name: &str) -> bool {
        if !src.contains(name) {
            return false;
        }
        match self {
            Lang::Python => {
                src.contains(&format!("({name}")) || src.contains(&format!(", {name})"))
            }
            Lang::Rust => src.contains(&format!("impl {name}")),
        }
    }

    /// Tree-sitter node kinds of string literals (their text is compared without quotes),
    /// and of parentheses that only group an expression (left out of fingerprint tokens).
    pub fn token_kinds(self) -> (&'static [&'static str], &'static str) {
        match self {
            Lang::Python => (&["string"], "parenthesized_expression"),
            Lang::Rust => (
                &["string_literal", "raw_string_literal"],
                "parenthesized_expression",
            ),
        }
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
        match self {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
        }
    }

    /// Parse and lower `source`. Parsing and lowering stop at the current thread's
    /// [`crate::budget::Deadline`], if any, with [`LowerError::TimeBudget`].
    pub fn lower(self, source: &str) -> Result<Module, LowerError> {
        let tree = self.parse(source)?;
        let module = match self {
            Lang::Python => python::lower(&tree, source),
            Lang::Rust => rust::lower(&tree, source),
        };
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

/// Span of a tree-sitter node in the model's coordinates.
pub fn span_of(node: &tree_sitter::Node) -> crate::model::Span {
    let s = node.start_position();
    let e = node.end_position();
    crate::model::Span {
        start_byte: node.start_byte() as u32,
        end_byte: node.end_byte() as u32,
        start_line: s.row as u32 + 1,
        start_col: s.column as u32 + 1,
        end_line: e.row as u32 + 1,
        end_col: e.column as u32 + 1,
    }
}
