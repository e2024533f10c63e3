//! What every adapter lowers with: spans, node text, a depth guard for the recursive parts of
//! lowering, and an iterative pre-order walk for everything that must not recurse (leaf
//! sweeps, flat fallbacks).

use tree_sitter::Node;

/// Structural nesting lowered recursively; deeper subtrees are flattened.
pub const MAX_DEPTH: usize = 200;
/// Stack bytes recursive lowering may use below where it began; a second bound next to
/// [`MAX_DEPTH`], since frame sizes differ between builds (unoptimised frames are larger).
pub const STACK_BUDGET: usize = 160 * 1024;

/// Tells recursive lowering when to stop and flatten instead.
#[derive(Clone, Copy, Debug)]
pub struct DepthGuard {
    stack_base: usize,
}

#[inline(never)]
fn stack_pos() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl DepthGuard {
    /// A guard measuring the stack from the caller's frame.
    pub fn new() -> DepthGuard {
        DepthGuard {
            stack_base: stack_pos(),
        }
    }

    /// Whether recursion at `depth` must stop: past [`MAX_DEPTH`] or the stack budget.
    pub fn too_deep(&self, depth: usize) -> bool {
        depth >= MAX_DEPTH || self.stack_base.abs_diff(stack_pos()) > STACK_BUDGET
    }
}

impl Default for DepthGuard {
    fn default() -> Self {
        DepthGuard::new()
    }
}

/// Span of a tree-sitter node in the model's coordinates.
pub fn span_of(node: &Node) -> crate::model::Span {
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

/// The node's source text, or `""` if it cannot be sliced out of `src`.
pub fn text<'s>(n: Node, src: &'s str) -> &'s str {
    src.get(n.byte_range()).unwrap_or("")
}

/// What a pre-order walk does after visiting a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Visit the node's children.
    Descend,
    /// Leave the node's children out.
    Skip,
}

/// Visits `root` and its descendants in document order without recursion. `visit` gets each
/// node, the field name it has in its parent, and its depth below `root`.
pub fn preorder<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>, Option<&str>, usize) -> Step) {
    let mut cursor = root.walk();
    let mut depth = 0usize;
    loop {
        let step = visit(cursor.node(), cursor.field_name(), depth);
        if step == Step::Descend && cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if depth == 0 {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            depth -= 1;
        }
    }
}

/// Module names of `dir/…/stem`: every suffix of the dotted path, most qualified first; a
/// file whose stem is `package_stem` (`__init__`, `index`) is its directory's module.
pub fn suffix_module_names<'a>(
    mut parts: Vec<&'a str>,
    stem: &'a str,
    package_stem: &str,
) -> Vec<String> {
    if stem != package_stem {
        parts.push(stem);
    }
    (0..parts.len()).map(|i| parts[i..].join(".")).collect()
}

/// A relative import written with one leading dot per level (`.x`, `..x`) made absolute from
/// the importer's primary module name; a package file's first dot is the package itself.
pub fn dotted_relative_import(path: &str, primary: &str, is_package: bool) -> String {
    let dots = path.chars().take_while(|c| *c == '.').count();
    if dots == 0 {
        return path.to_string();
    }
    let mut base: Vec<&str> = primary.split('.').filter(|s| !s.is_empty()).collect();
    let ups = if is_package { dots - 1 } else { dots };
    for _ in 0..ups {
        base.pop();
    }
    let rest = &path[dots..];
    if base.is_empty() {
        rest.to_string()
    } else if rest.is_empty() {
        base.join(".")
    } else {
        format!("{}.{rest}", base.join("."))
    }
}

/// Keys of a TOML table value (dependency tables of manifests).
pub fn toml_keys(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(|v| v.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

/// How a grammar writes the reads a flat fallback keeps: member-access node kind, its object
/// and member fields, the receiver node kind that means the instance (`this`), and the node
/// kinds of bare names.
pub struct FlatSyntax {
    pub member: &'static str,
    pub object: &'static str,
    pub property: &'static str,
    pub this: &'static str,
    pub names: &'static [&'static str],
}

/// The names and `name.member` reads inside `n` (the instance written `self`), found
/// iteratively, as a flat `Other`: what a subtree too deep to lower still lets flow.
pub fn flat_reads(n: Node, src: &str, syn: &FlatSyntax) -> crate::model::Expr {
    use crate::model::{Expr, ExprKind};
    let mut items = Vec::new();
    preorder(n, |node, _, _| {
        let kind = node.kind();
        if kind == syn.member {
            if let (Some(obj), Some(prop)) = (
                node.child_by_field_name(syn.object),
                node.child_by_field_name(syn.property),
            ) {
                let is_this = obj.kind() == syn.this;
                if is_this || obj.kind() == "identifier" {
                    let name = if is_this { "self" } else { text(obj, src) };
                    let obj = Expr::new(ExprKind::Name(name.to_string()), span_of(&obj));
                    items.push(Expr::new(
                        ExprKind::Attr {
                            obj: Box::new(obj),
                            attr: text(prop, src).to_string(),
                        },
                        span_of(&node),
                    ));
                    return Step::Skip;
                }
            }
        } else if syn.names.contains(&kind) {
            items.push(Expr::new(
                ExprKind::Name(text(node, src).to_string()),
                span_of(&node),
            ));
        }
        Step::Descend
    });
    Expr::new(ExprKind::Other(items), span_of(&n))
}
