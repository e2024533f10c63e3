//! Rust adapter: tree-sitter-rust → [`crate::model::Module`].
//!
//! One iterative pass over the whole tree collects literals, comments, syntax errors and
//! items (functions, types, imports, module-level `const`/`static`). Function bodies are
//! lowered recursively under the toolkit's depth guard; a subtree past the budget becomes a flat
//! `Other` of the names it reads, so no input can exhaust the stack.

mod body;
mod items;
mod macros;
mod manifest;
#[cfg(test)]
mod tests;

use crate::lang::toolkit::{span_of, DepthGuard};
use crate::model::{Expr, ExprKind, Module, Span};
use tree_sitter::Node;

/// Longest `a.b.c` / `a::b::c` chain built as nested `Attr`s.
const MAX_CHAIN: usize = 64;
/// Largest `match` scrutinee (in bytes) copied into every arm's bindings.
const MAX_CLONED_SCRUTINEE: usize = 2000;

pub fn lower(tree: &tree_sitter::Tree, source: &str) -> Module {
    let cx = Cx {
        src: source,
        guard: DepthGuard::new(),
    };
    cx.module(tree.root_node())
}

/// Lowering context: the source text and the depth guard set when lowering began.
struct Cx<'s> {
    src: &'s str,
    guard: DepthGuard,
}

impl<'s> Cx<'s> {
    /// Whether recursion must stop here: past the depth guard or the time budget.
    fn too_deep(&self, d: u32) -> bool {
        self.guard.too_deep(d as usize) || crate::budget::expired()
    }

    fn text(&self, n: Node) -> &'s str {
        crate::lang::toolkit::text(n, self.src)
    }

    /// Segments of a path (`a::b::c`, `Vec::<u8>::new`, `<T as Tr>::f`) with the span of
    /// each prefix, walked iteratively.
    fn path_segments(&self, n: Node) -> Vec<(String, Span)> {
        let mut segs = Vec::new();
        let mut cur = n;
        loop {
            match cur.kind() {
                "scoped_identifier" | "scoped_type_identifier" => {
                    if let Some(name) = field(cur, "name") {
                        segs.push((self.text(name).to_string(), span_of(&cur)));
                    }
                    match field(cur, "path") {
                        Some(p) => cur = p,
                        None => break,
                    }
                }
                "generic_type" | "generic_type_with_turbofish" => match field(cur, "type") {
                    Some(t) => cur = t,
                    None => break,
                },
                "generic_function" => match field(cur, "function") {
                    Some(t) => cur = t,
                    None => break,
                },
                "bracketed_type" => match first_named(cur) {
                    Some(q) if q.kind() == "qualified_type" => match field(q, "type") {
                        Some(t) => cur = t,
                        None => break,
                    },
                    Some(t) => cur = t,
                    None => break,
                },
                _ => {
                    let t = self
                        .text(cur)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    segs.push((t, span_of(&cur)));
                    break;
                }
            }
        }
        segs.reverse();
        segs
    }

    /// A path as a `Name`/`Attr` chain.
    fn path(&self, n: Node) -> Expr {
        chain(self.path_segments(n))
            .unwrap_or_else(|| Expr::new(ExprKind::Other(vec![]), span_of(&n)))
    }

    /// Type text as the model wants it: `::` → `.`, leading `&`, `&mut`, lifetimes removed.
    fn type_text(&self, n: Node) -> String {
        norm_type(self.text(n))
    }

    /// The `Name`/`Attr` reads inside a subtree, found without recursion.
    fn flat_reads(&self, n: Node) -> Vec<Expr> {
        let mut out = Vec::new();
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            match x.kind() {
                "identifier" | "self" => out.push(Expr::new(
                    ExprKind::Name(self.text(x).to_string()),
                    span_of(&x),
                )),
                "scoped_identifier" => out.push(self.path(x)),
                "field_expression" => match self.field_chain(x) {
                    Some(e) => out.push(e),
                    None => push_children_rev(x, &mut stack),
                },
                "token_tree" => {
                    let mut nested = Vec::new();
                    self.scan_tokens(&tree_tokens(x), &mut out, &mut nested);
                    stack.extend(nested.into_iter().rev());
                }
                "function_item" | "line_comment" | "block_comment" | "string_literal"
                | "raw_string_literal" => {}
                _ => push_children_rev(x, &mut stack),
            }
        }
        out
    }

    /// `a.b.c` on a plain name, as an `Attr` chain (iteratively); `None` if the base is not a name.
    fn field_chain(&self, n: Node) -> Option<Expr> {
        let mut fields = Vec::new();
        let mut cur = n;
        while cur.kind() == "field_expression" {
            fields.push((
                field(cur, "field")
                    .map(|f| self.text(f))
                    .unwrap_or("")
                    .to_string(),
                span_of(&cur),
            ));
            cur = field(cur, "value")?;
        }
        if !matches!(cur.kind(), "identifier" | "self") {
            return None;
        }
        fields.push((self.text(cur).to_string(), span_of(&cur)));
        fields.reverse();
        chain(fields)
    }

    fn flat(&self, n: Node) -> Expr {
        Expr::new(ExprKind::Other(self.flat_reads(n)), span_of(&n))
    }
}

/// Builds `Name(a)` / `Attr(Attr(Name a, b), c)` from segments, capped at [`MAX_CHAIN`].
fn chain(mut segs: Vec<(String, Span)>) -> Option<Expr> {
    segs.truncate(MAX_CHAIN);
    let mut it = segs.into_iter();
    let (first, sp) = it.next()?;
    let mut e = Expr::new(ExprKind::Name(first), sp);
    for (attr, sp) in it {
        e = Expr::new(
            ExprKind::Attr {
                obj: Box::new(e),
                attr,
            },
            sp,
        );
    }
    Some(e)
}

fn norm_type(s: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut t = joined.as_str();
    loop {
        if let Some(r) = t.strip_prefix('&') {
            t = r.trim_start();
        } else if let Some(r) = t.strip_prefix('\'') {
            // a lifetime: `'a `
            let end = r
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(r.len());
            t = r[end..].trim_start();
        } else if let Some(r) = t.strip_prefix("mut ") {
            t = r.trim_start();
        } else {
            break;
        }
    }
    t.replace("::", ".")
}

fn field<'t>(n: Node<'t>, name: &str) -> Option<Node<'t>> {
    n.child_by_field_name(name)
}

fn is_comment(n: &Node) -> bool {
    matches!(n.kind(), "line_comment" | "block_comment")
}

/// Named children, comments excluded.
fn named_children(n: Node) -> Vec<Node> {
    let mut c = n.walk();
    n.named_children(&mut c)
        .filter(|c| !is_comment(c))
        .collect()
}

fn first_named(n: Node) -> Option<Node> {
    let mut c = n.walk();
    let first = n.named_children(&mut c).find(|c| !is_comment(c));
    first
}

fn push_children_rev<'t>(n: Node<'t>, stack: &mut Vec<Node<'t>>) {
    let start = stack.len();
    let mut c = n.walk();
    stack.extend(n.named_children(&mut c));
    stack[start..].reverse();
}

/// The tokens inside a token tree, without its delimiters and comments.
fn tree_tokens(tt: Node) -> Vec<Node> {
    let mut c = tt.walk();
    let mut toks: Vec<Node> = tt.children(&mut c).filter(|c| !is_comment(c)).collect();
    if toks
        .last()
        .is_some_and(|t| matches!(t.kind(), ")" | "]" | "}"))
    {
        toks.pop();
    }
    if toks
        .first()
        .is_some_and(|t| matches!(t.kind(), "(" | "[" | "{"))
    {
        toks.remove(0);
    }
    toks
}

/// Opening delimiter of a token tree.
fn delim(tt: Node) -> &'static str {
    tt.child(0).map(|c| c.kind()).unwrap_or("")
}

/// Span from the start of `a` to the end of `b`.
fn span_between(a: &Node, b: &Node) -> Span {
    let s = span_of(a);
    let e = span_of(b);
    Span {
        start_byte: s.start_byte,
        start_line: s.start_line,
        start_col: s.start_col,
        end_byte: e.end_byte,
        end_line: e.end_line,
        end_col: e.end_col,
    }
}

/// The line ranges of `#[cfg(test)]` modules in a Rust source (brace matching on the text,
/// skipping string and character literals and comments; linear in the source).
fn test_regions(src: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = src[from..].find("#[cfg(test)]") {
        let start = from + i;
        from = start + 12;
        let rest = &src[from..];
        // The attribute must be followed by a `mod` item (possibly after other attributes).
        let Some(m) = rest.find("mod ") else { break };
        if rest[..m].contains(';') || rest[..m].contains('{') {
            continue;
        }
        let Some(open) = rest[m..].find(['{', ';']).map(|o| from + m + o) else {
            break;
        };
        if src.as_bytes()[open] == b';' {
            continue;
        }
        let end = matching_brace(src, open).unwrap_or(src.len());
        let line = |b: usize| src[..b.min(src.len())].matches('\n').count() as u32 + 1;
        out.push((line(start), line(end)));
        from = end.max(from);
    }
    out
}

fn matching_brace(src: &str, open: usize) -> Option<usize> {
    let b = src.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The Rust adapter.
pub struct Rust;

impl super::Language for Rust {
    fn name(&self) -> &'static str {
        "rust"
    }

    fn display_names(&self) -> &'static [&'static str] {
        &["Rust"]
    }

    fn dialects(&self) -> &'static [super::Dialect] {
        &[super::Dialect {
            extensions: &["rs"],
            grammar: || tree_sitter_rust::LANGUAGE.into(),
            extract: None,
        }]
    }

    fn patterns(&self) -> &'static str {
        include_str!("../../patterns/rust.toml")
    }

    fn lower(&self, tree: &tree_sitter::Tree, source: &str) -> Module {
        lower(tree, source)
    }

    fn module_names(&self, dirs: Vec<&str>, stem: &str) -> Vec<String> {
        module_names(dirs, stem)
    }

    fn absolute_import(&self, path: &str, primary: &str, _is_package: bool) -> String {
        absolute_import(path, primary)
    }

    fn reexports_from_packages(&self) -> bool {
        true
    }
    fn fragment_wrapper(&self) -> (&'static str, &'static str) {
        ("fn _fragment() {\n", "\n;}\n")
    }

    fn may_extend(&self, src: &str, name: &str) -> bool {
        src.contains(&format!("impl {name}"))
    }

    fn token_kinds(&self) -> (&'static [&'static str], &'static str) {
        (
            &["string_literal", "raw_string_literal"],
            "parenthesized_expression",
        )
    }

    fn test_regions(&self, source: &str) -> Vec<(u32, u32)> {
        test_regions(source)
    }

    fn is_manifest(&self, file_name: &str) -> bool {
        manifest::is_manifest(file_name)
    }

    fn manifest_packages(&self, _file_name: &str, text: &str) -> Vec<String> {
        manifest::packages(text)
    }

    fn is_import_at(&self, head: &str, after: &str) -> bool {
        after.starts_with("::") || head.ends_with("use")
    }
}

/// Module names of `<crate>/src/a/b.rs`: `<crate>.a.b` (written `crate::a::b` inside it), then
/// every suffix of `a.b`; `lib.rs`, `main.rs` and `mod.rs` are their directory's module.
fn module_names(parts: Vec<&str>, stem: &str) -> Vec<String> {
    let src = parts.iter().rposition(|p| *p == "src");
    let (krate, inner): (String, Vec<&str>) = match src {
        Some(i) if i > 0 => (parts[i - 1].replace('-', "_"), parts[i + 1..].to_vec()),
        Some(i) => ("crate".to_string(), parts[i + 1..].to_vec()),
        None => ("crate".to_string(), parts.clone()),
    };
    let mut m = inner;
    if !matches!(stem, "lib" | "main" | "mod") {
        m.push(stem);
    }
    let mut full = vec![krate.as_str()];
    full.extend(m.iter().copied());
    let mut out = vec![full.join(".")];
    for i in 0..m.len() {
        out.push(m[i..].join("."));
    }
    out
}

/// `crate.x` names this crate, `super.x` the parent module.
fn absolute_import(path: &str, primary: &str) -> String {
    let primary = if primary.is_empty() { "crate" } else { primary };
    let krate = primary.split('.').next().unwrap_or("crate");
    if let Some(rest) = path.strip_prefix("crate.") {
        return format!("{krate}.{rest}");
    }
    if let Some(rest) = path.strip_prefix("super.") {
        if let Some((parent, _)) = primary.rsplit_once('.') {
            return format!("{parent}.{rest}");
        }
    }
    path.to_string()
}

#[cfg(test)]
mod region_tests {
    #[test]
    fn cfg_test_modules() {
        let src =
            "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { let s = \"}\"; }\n}\nfn c() {}\n";
        assert_eq!(super::test_regions(src), vec![(2, 5)]);
        assert!(super::test_regions("#[cfg(test)]\nuse x;\n").is_empty());
    }
}
