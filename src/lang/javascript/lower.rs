//! Statements and expressions of JavaScript / TypeScript trees, lowered into the model.

mod decl;
mod expr;
mod stmt;

use std::collections::VecDeque;

use tree_sitter::Node;

use super::module_path;
use crate::lang::toolkit::{preorder, span_of, text, DepthGuard, Step};
use crate::model::{
    Annotation, AnnotationArg, Arg, ArgKind, BinOp, Block, Call, Cmp, Comment, Expr, ExprKind, FieldDecl, Function, Import,
    Literal, LiteralKind, Module, Param, ParamKind, Span, Stmt, Target, TypeDecl,
};

/// Methods of web routers and servers whose callback handles the route in their first argument.
const ROUTE_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "all", "options", "head", "use", "route",
];

pub(crate) fn lower(tree: &tree_sitter::Tree, source: &str) -> Module {
    let root = tree.root_node();
    let mut lw = Lowerer {
        src: source,
        imports: Vec::new(),
        types: Vec::new(),
        queue: VecDeque::new(),
        depth: 0,
        guard: DepthGuard::new(),
        temps: 0,
        named_routes: Vec::new(),
        in_fn: 0,
        inline_copy: false,
    };
    let body = lw.block(Some(root));
    let mut functions = vec![Function {
        name: "<module>".to_string(),
        owner: None,
        params: Vec::new(),
        body,
        span: span_of(&root),
        is_module: true,
        route: None,
        annotations: Vec::new(),
        name_span: None,
        returns: None,
    }];
    while let Some(p) = lw.queue.pop_front() {
        let f = lw.function(p);
        functions.push(f);
    }
    for f in functions
        .iter_mut()
        .filter(|f| f.route.is_none() && f.owner.is_none())
    {
        if let Some((_, r)) = lw.named_routes.iter().find(|(n, _)| *n == f.name) {
            f.route = Some(r.clone());
        }
    }
    let mut module = Module {
        imports: lw.imports,
        functions,
        types: lw.types,
        ..Module::default()
    };
    scan_leaves(root, source, &mut module);
    module
}

/// A function waiting to be lowered on its own.
struct Pending<'t> {
    node: Node<'t>,
    name: String,
    owner: Option<String>,
    /// A method of a class: gets a leading `self` parameter.
    method: bool,
    route: Option<String>,
    /// A class method's decorators (routes come from them, `crate::complete`).
    annotations: Vec<Annotation>,
    /// Constructor parameter properties to store as fields.
    param_fields: bool,
}

struct Lowerer<'t, 's> {
    src: &'s str,
    imports: Vec<Import>,
    types: Vec<TypeDecl>,
    queue: VecDeque<Pending<'t>>,
    depth: usize,
    guard: DepthGuard,
    temps: u32,
    /// Handlers passed by name to a router (`app.post('/x', createNote)`), with their route.
    named_routes: Vec<(String, String)>,
    /// How many functions the lowering is inside.
    in_fn: u32,
    /// Lowering a nested function's body a second time, in place: declares and queues nothing.
    inline_copy: bool,
}

// ---------------------------------------------------------------------------------------------
// Node helpers
// ---------------------------------------------------------------------------------------------

fn is_comment(n: &Node) -> bool {
    matches!(n.kind(), "comment" | "html_comment")
}

/// Named children without comments.
fn kids<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut c = n.walk();
    n.named_children(&mut c)
        .filter(|k| !is_comment(k))
        .collect()
}

fn field<'t>(n: Node<'t>, name: &str) -> Option<Node<'t>> {
    n.child_by_field_name(name)
}

fn fields<'t>(n: Node<'t>, name: &str) -> Vec<Node<'t>> {
    let mut c = n.walk();
    n.children_by_field_name(name, &mut c)
        .filter(|k| k.is_named() && !is_comment(k))
        .collect()
}

fn other(span: Span) -> Expr {
    Expr::new(ExprKind::Other(Vec::new()), span)
}

fn is_function_kind(kind: &str) -> bool {
    matches!(
        kind,
        "arrow_function" | "function_expression" | "function" | "generator_function"
    )
}

/// A type annotation's text without its colon, whitespace collapsed.
fn type_text(n: Node, src: &str) -> String {
    let t = text(n, src).trim();
    let t = t
        .strip_prefix(':')
        .or_else(|| t.strip_prefix("?:"))
        .unwrap_or(t);
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a string literal, escapes decoded best-effort.
fn string_value(n: Node, src: &str) -> String {
    let mut out = String::new();
    let mut c = n.walk();
    for k in n.named_children(&mut c) {
        match k.kind() {
            "string_fragment" => out.push_str(text(k, src)),
            "escape_sequence" => out.push_str(&unescape(text(k, src))),
            _ => {}
        }
    }
    out
}

fn unescape(e: &str) -> String {
    let body = e.strip_prefix('\\').unwrap_or(e);
    match body {
        "n" => "\n".into(),
        "t" => "\t".into(),
        "r" => "\r".into(),
        "0" => "\0".into(),
        _ if body.starts_with('u') || body.starts_with('x') => {
            let hex = body[1..].trim_matches(|c| c == '{' || c == '}');
            u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default()
        }
        _ if body.starts_with('\n') || body.starts_with('\r') => String::new(),
        _ => body.to_string(),
    }
}

/// The name a property key gives (`a`, `'a'`, `1`), or `None` for computed keys.
fn key_name(k: Node, src: &str) -> Option<String> {
    match k.kind() {
        "property_identifier" | "identifier" | "private_property_identifier" | "number" => {
            Some(text(k, src).to_string())
        }
        "string" => Some(string_value(k, src)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Iterative walks
// ---------------------------------------------------------------------------------------------

/// Literals, comments and the syntax-error count, collected in document order without recursion.
fn scan_leaves(root: Node, src: &str, module: &mut Module) {
    preorder(root, |n, _, _| {
        if n.is_error() || n.is_missing() {
            module.syntax_errors = module.syntax_errors.saturating_add(1);
        }
        match n.kind() {
            "string" => module.literals.push(Literal {
                value: string_value(n, src),
                kind: LiteralKind::Str,
                span: span_of(&n),
            }),
            "template_string" => {
                let mut c = n.walk();
                let literal: String = n
                    .named_children(&mut c)
                    .filter(|k| k.kind() == "string_fragment")
                    .map(|k| text(k, src))
                    .collect();
                module.literals.push(Literal {
                    value: literal,
                    kind: LiteralKind::Str,
                    span: span_of(&n),
                });
            }
            "number" => {
                let t = text(n, src).replace('_', "");
                let t = t.strip_suffix('n').unwrap_or(&t);
                if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                    module.literals.push(Literal {
                        value: t.to_string(),
                        kind: LiteralKind::Int,
                        span: span_of(&n),
                    });
                }
            }
            "comment" | "html_comment" => module.comments.push(Comment {
                text: text(n, src).to_string(),
                span: span_of(&n),
            }),
            _ => {}
        }
        Step::Descend
    });
}

/// The names and `name.attr` reads inside `n`, as a flat `Other`.
fn flat(n: Node, src: &str) -> Expr {
    crate::lang::toolkit::flat_reads(
        n,
        src,
        &crate::lang::toolkit::FlatSyntax {
            member: "member_expression",
            object: "object",
            property: "property",
            this: "this",
            names: &["identifier", "shorthand_property_identifier"],
        },
    )
}

fn assign(target: Target, value: Expr) -> Stmt {
    let span = value.span;
    Stmt::Assign {
        targets: vec![target],
        value,
        augmented: false,
        ty: None,
        span,
    }
}

fn with_default(part: Expr, default: Option<Expr>, span: Span) -> Expr {
    match default {
        Some(d) => Expr::new(
            ExprKind::Binary {
                op: BinOp::Logic,
                left: Box::new(part),
                right: Box::new(d),
            },
            span,
        ),
        None => part,
    }
}

fn join_path(base: &str, name: &str) -> String {
    if base.is_empty() || base.ends_with('.') {
        format!("{base}{name}")
    } else {
        format!("{base}.{name}")
    }
}
