//! Statements and expressions of JavaScript / TypeScript trees, lowered into the model.

use std::collections::VecDeque;

use tree_sitter::Node;

use super::module_path;
use crate::lang::toolkit::{preorder, span_of, text, DepthGuard, Step};
use crate::model::{
    Arg, ArgKind, BinOp, Block, Call, Comment, Expr, ExprKind, FieldDecl, Function, Import,
    Literal, LiteralKind, Module, Param, ParamKind, Span, Stmt, Target, TypeDecl,
};

/// Methods of web routers and servers whose callback handles the route in their first argument.
const ROUTE_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "all", "options", "head", "use", "route",
];
/// NestJS method decorators naming a route.
const ROUTE_DECORATORS: &[&str] = &["Get", "Post", "Put", "Patch", "Delete", "All"];

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
    }];
    while let Some(p) = lw.queue.pop_front() {
        let f = lw.function(p);
        functions.push(f);
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

/// The names and `name.attr` reads inside `n`, found iteratively, as a flat `Other`.
fn flat(n: Node, src: &str) -> Expr {
    let mut items = Vec::new();
    preorder(n, |node, _, _| {
        match node.kind() {
            "member_expression" => {
                if let (Some(obj), Some(prop)) = (field(node, "object"), field(node, "property")) {
                    if matches!(obj.kind(), "identifier" | "this") {
                        let name = if obj.kind() == "this" {
                            "self".to_string()
                        } else {
                            text(obj, src).to_string()
                        };
                        let obj = Expr::new(ExprKind::Name(name), span_of(&obj));
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
            }
            "identifier" | "shorthand_property_identifier" => items.push(Expr::new(
                ExprKind::Name(text(node, src).to_string()),
                span_of(&node),
            )),
            _ => {}
        }
        Step::Descend
    });
    Expr::new(ExprKind::Other(items), span_of(&n))
}

// ---------------------------------------------------------------------------------------------
// Functions and statements
// ---------------------------------------------------------------------------------------------

impl<'t, 's> Lowerer<'t, 's> {
    fn text(&self, n: Node) -> &'s str {
        text(n, self.src)
    }

    fn too_deep(&self) -> bool {
        self.guard.too_deep(self.depth) || crate::budget::expired()
    }

    fn temp(&mut self) -> String {
        self.temps += 1;
        format!("$tmp{}", self.temps)
    }

    fn function(&mut self, p: Pending<'t>) -> Function {
        let n = p.node;
        let mut prologue = Vec::new();
        let mut params = Vec::new();
        if p.method {
            params.push(Param {
                name: "self".to_string(),
                ty: None,
                default: None,
                kind: ParamKind::SelfParam,
                span: span_of(&n),
            });
        }
        self.params(n, &mut params, &mut prologue, p.param_fields);
        let mut body = prologue;
        match field(n, "body") {
            Some(b) if b.kind() == "statement_block" => {
                for k in kids(b) {
                    self.stmt(k, &mut body);
                }
            }
            Some(b) => {
                let e = self.expr(b);
                let span = e.span;
                body.push(Stmt::Return(Some(e), span));
            }
            None => {}
        }
        Function {
            name: p.name,
            owner: p.owner,
            params,
            body,
            span: span_of(&n),
            is_module: false,
            route: p.route,
        }
    }

    fn block(&mut self, n: Option<Node<'t>>) -> Block {
        let mut out = Vec::new();
        if let Some(n) = n {
            if n.kind() == "statement_block" || n.kind() == "program" {
                for k in kids(n) {
                    self.stmt(k, &mut out);
                }
            } else {
                self.stmt(n, &mut out);
            }
        }
        out
    }

    fn stmt(&mut self, n: Node<'t>, out: &mut Block) {
        if self.too_deep() {
            let e = flat(n, self.src);
            if matches!(&e.kind, ExprKind::Other(v) if !v.is_empty()) {
                out.push(Stmt::Expr(e));
            }
            return;
        }
        self.depth += 1;
        self.stmt_inner(n, out);
        self.depth -= 1;
    }

    fn stmt_inner(&mut self, n: Node<'t>, out: &mut Block) {
        match n.kind() {
            "expression_statement" => {
                for k in kids(n) {
                    self.expr_stmt(k, out);
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                for d in kids(n)
                    .into_iter()
                    .filter(|k| k.kind() == "variable_declarator")
                {
                    self.declarator(d, out);
                }
            }
            "function_declaration" | "generator_function_declaration" => {
                let name = field(n, "name")
                    .map(|x| self.text(x).to_string())
                    .unwrap_or_default();
                self.queue_fn(n, name, None, false, None);
            }
            "class_declaration" | "abstract_class_declaration" | "class" => {
                self.class_def(n, out);
            }
            "interface_declaration" => self.interface(n),
            "type_alias_declaration" => self.type_alias(n),
            "return_statement" => {
                let value = kids(n).first().map(|v| self.expr(*v));
                out.push(Stmt::Return(value, span_of(&n)));
            }
            "throw_statement" => {
                for k in kids(n) {
                    let e = self.expr(k);
                    out.push(Stmt::Expr(e));
                }
            }
            "if_statement" => self.if_stmt(n, out),
            "for_statement" => self.for_stmt(n, out),
            "for_in_statement" => {
                let mut body = Vec::new();
                let target = field(n, "left").map(|l| {
                    if matches!(l.kind(), "object_pattern" | "array_pattern") {
                        // `for (const { a } of xs)`: a temporary, destructured first thing.
                        let t = self.temp();
                        let span = span_of(&l);
                        let src = Expr::new(ExprKind::Name(t.clone()), span);
                        self.destructure(l, src, &mut body);
                        Target::Name(t, span)
                    } else {
                        self.pattern_target(l)
                    }
                });
                let iter = field(n, "right").map(|r| self.expr(r));
                body.extend(self.block(field(n, "body")));
                out.push(Stmt::Loop { target, iter, body });
            }
            "while_statement" | "do_statement" => {
                let iter = field(n, "condition").map(|c| self.expr(c));
                let body = self.block(field(n, "body"));
                out.push(Stmt::Loop {
                    target: None,
                    iter,
                    body,
                });
            }
            "try_statement" => {
                let body = self.block(field(n, "body"));
                out.push(Stmt::Block(body));
                if let Some(h) = field(n, "handler") {
                    let arm = self.block(field(h, "body"));
                    out.push(Stmt::Branch {
                        conds: Vec::new(),
                        arms: vec![arm, Vec::new()],
                    });
                }
                if let Some(f) = field(n, "finalizer") {
                    let b = self.block(field(f, "body"));
                    out.push(Stmt::Block(b));
                }
            }
            "switch_statement" => self.switch_stmt(n, out),
            "statement_block" => {
                let b = self.block(Some(n));
                out.push(Stmt::Block(b));
            }
            "labeled_statement" => {
                if let Some(b) = field(n, "body") {
                    self.stmt(b, out);
                }
            }
            "import_statement" => self.import_stmt(n),
            "export_statement" => self.export_stmt(n, out),
            "internal_module" | "module" => {
                if let Some(b) = field(n, "body") {
                    for k in kids(b) {
                        self.stmt(k, out);
                    }
                }
            }
            "ambient_declaration" => {
                for k in kids(n) {
                    self.stmt(k, out);
                }
            }
            "ERROR" | "program" => {
                for k in kids(n) {
                    self.stmt(k, out);
                }
            }
            "empty_statement" | "break_statement" | "continue_statement" | "debugger_statement"
            | "enum_declaration" | "function_signature" | "import_alias" | "hash_bang_line"
            | "comment" => {}
            _ => {
                let e = self.expr(n);
                out.push(Stmt::Expr(e));
            }
        }
    }

    /// An expression in statement position: assignments become `Assign`.
    fn expr_stmt(&mut self, n: Node<'t>, out: &mut Block) {
        match n.kind() {
            "assignment_expression" => self.assignment(n, out),
            "augmented_assignment_expression" => {
                let target = field(n, "left").map(|l| self.pattern_target(l));
                let value = self.opt_expr(field(n, "right"), n);
                match target {
                    Some(t) => out.push(Stmt::Assign {
                        targets: vec![t],
                        value,
                        augmented: true,
                        ty: None,
                        span: span_of(&n),
                    }),
                    None => out.push(Stmt::Expr(value)),
                }
            }
            "sequence_expression" => {
                for k in kids(n) {
                    self.expr_stmt(k, out);
                }
            }
            "parenthesized_expression" if kids(n).len() == 1 => {
                self.expr_stmt(kids(n)[0], out);
            }
            _ => {
                let e = self.expr(n);
                out.push(Stmt::Expr(e));
            }
        }
    }

    /// `a = v`, `a.b = v`, `module.exports.f = function …`, `({ x } = v)`.
    fn assignment(&mut self, n: Node<'t>, out: &mut Block) {
        let Some(left) = field(n, "left") else {
            return;
        };
        let right = field(n, "right");
        if let Some(r) = right.filter(|r| is_function_kind(r.kind()) || r.kind() == "class") {
            // A function bound to a name or property: its own function, referenced by name.
            let name = match left.kind() {
                "member_expression" => field(left, "property").map(|p| self.text(p).to_string()),
                "identifier" => Some(self.text(left).to_string()),
                _ => None,
            };
            if let Some(name) = name {
                let value = self.named_value(r, &name, out);
                let target = self.pattern_target(left);
                out.push(Stmt::Assign {
                    targets: vec![target],
                    value,
                    augmented: false,
                    ty: None,
                    span: span_of(&n),
                });
                return;
            }
        }
        let value = self.opt_expr(right, n);
        self.bind(left, value, None, span_of(&n), out);
    }

    /// A function or class value bound to `name`: queued or declared, referenced by name.
    fn named_value(&mut self, r: Node<'t>, name: &str, out: &mut Block) -> Expr {
        if r.kind() == "class" {
            self.class_named(r, name, out);
        } else {
            self.queue_fn(r, name.to_string(), None, false, None);
        }
        Expr::new(ExprKind::Name(name.to_string()), span_of(&r))
    }

    /// `const x: T = v`, `let { a, b } = v`, `const fs = require('fs')`.
    fn declarator(&mut self, d: Node<'t>, out: &mut Block) {
        let Some(name) = field(d, "name") else {
            return;
        };
        let ty = field(d, "type").map(|t| type_text(t, self.src));
        let Some(value) = field(d, "value") else {
            if name.kind() == "identifier" && ty.is_some() {
                // `let p: Patient;`: the annotation alone types nothing the engine reads.
            }
            return;
        };
        if self.require_import(name, value) {
            return;
        }
        if name.kind() == "identifier"
            && (is_function_kind(value.kind()) || value.kind() == "class")
        {
            let n = self.text(name).to_string();
            if value.kind() == "class" {
                self.class_named(value, &n, out);
            } else {
                self.queue_fn(value, n, None, false, None);
            }
            return;
        }
        let v = self.expr(value);
        self.bind(name, v, ty, span_of(&d), out);
    }

    /// `const x = require('m')`, `const { a, b: c } = require('m')`, `await import('m')`:
    /// imports, not assignments.
    fn require_import(&mut self, name: Node<'t>, value: Node<'t>) -> bool {
        let mut v = value;
        while matches!(v.kind(), "await_expression" | "parenthesized_expression") {
            match kids(v).first() {
                Some(k) => v = *k,
                None => return false,
            }
        }
        // `require('m').sub`
        let mut suffix: Vec<String> = Vec::new();
        while v.kind() == "member_expression" {
            let Some(p) = field(v, "property") else {
                return false;
            };
            suffix.push(self.text(p).to_string());
            let Some(o) = field(v, "object") else {
                return false;
            };
            v = o;
        }
        suffix.reverse();
        if v.kind() != "call_expression" {
            return false;
        }
        let Some(f) = field(v, "function") else {
            return false;
        };
        if !matches!(self.text(f), "require" | "import") {
            return false;
        }
        let Some(spec) = field(v, "arguments")
            .and_then(|a| kids(a).into_iter().next())
            .filter(|a| a.kind() == "string")
        else {
            return false;
        };
        let mut path = module_path(&string_value(spec, self.src));
        for s in suffix {
            if s != "default" {
                path.push('.');
                path.push_str(&s);
            }
        }
        let span = span_of(&name);
        match name.kind() {
            "identifier" => self.imports.push(Import {
                path,
                alias: self.text(name).to_string(),
                span,
            }),
            "object_pattern" => {
                for p in kids(name) {
                    let (key, alias) = match p.kind() {
                        "shorthand_property_identifier_pattern" => {
                            (self.text(p).to_string(), self.text(p).to_string())
                        }
                        "pair_pattern" => {
                            let k = field(p, "key").and_then(|k| key_name(k, self.src));
                            let a = field(p, "value")
                                .filter(|v| v.kind() == "identifier")
                                .map(|v| self.text(v).to_string());
                            match (k, a) {
                                (Some(k), Some(a)) => (k, a),
                                _ => continue,
                            }
                        }
                        _ => continue,
                    };
                    self.imports.push(Import {
                        path: join_path(&path, &key),
                        alias,
                        span: span_of(&p),
                    });
                }
            }
            _ => return false,
        }
        true
    }

    /// Binds `value` to a name or a destructuring pattern.
    fn bind(
        &mut self,
        pat: Node<'t>,
        value: Expr,
        ty: Option<String>,
        span: Span,
        out: &mut Block,
    ) {
        match pat.kind() {
            "object_pattern" | "array_pattern" => {
                let src = match &value.kind {
                    ExprKind::Name(_) => value,
                    _ => {
                        let t = self.temp();
                        let vspan = value.span;
                        out.push(Stmt::Assign {
                            targets: vec![Target::Name(t.clone(), vspan)],
                            value,
                            augmented: false,
                            ty: ty.clone(),
                            span,
                        });
                        Expr::new(ExprKind::Name(t), vspan)
                    }
                };
                self.destructure(pat, src, out);
            }
            _ => {
                let target = self.pattern_target(pat);
                out.push(Stmt::Assign {
                    targets: vec![target],
                    value,
                    augmented: false,
                    ty,
                    span,
                });
            }
        }
    }

    /// One assignment per name a pattern binds, from the matching part of `src`.
    fn destructure(&mut self, pat: Node<'t>, src: Expr, out: &mut Block) {
        if self.too_deep() {
            return;
        }
        self.depth += 1;
        let attr = |src: &Expr, key: &str, span: Span| {
            Expr::new(
                ExprKind::Attr {
                    obj: Box::new(src.clone()),
                    attr: key.to_string(),
                },
                span,
            )
        };
        match pat.kind() {
            "object_pattern" => {
                for p in kids(pat) {
                    let span = span_of(&p);
                    match p.kind() {
                        "shorthand_property_identifier_pattern" => {
                            let k = self.text(p).to_string();
                            out.push(assign(Target::Name(k.clone(), span), attr(&src, &k, span)));
                        }
                        "pair_pattern" => {
                            let part = match field(p, "key") {
                                Some(k) => match key_name(k, self.src) {
                                    Some(name) => attr(&src, &name, span),
                                    None => {
                                        let ke = self.expr(k);
                                        Expr::new(
                                            ExprKind::Index {
                                                obj: Box::new(src.clone()),
                                                index: Box::new(ke),
                                            },
                                            span,
                                        )
                                    }
                                },
                                None => continue,
                            };
                            if let Some(v) = field(p, "value") {
                                self.destructure_into(v, part, out);
                            }
                        }
                        "object_assignment_pattern" => {
                            let Some(left) = field(p, "left") else {
                                continue;
                            };
                            let default = field(p, "right").map(|r| self.expr(r));
                            let part = if left.kind() == "shorthand_property_identifier_pattern" {
                                attr(&src, self.text(left), span)
                            } else {
                                src.clone()
                            };
                            let part = with_default(part, default, span);
                            self.destructure_into(left, part, out);
                        }
                        "rest_pattern" => {
                            if let Some(k) = kids(p).first() {
                                self.destructure_into(*k, src.clone(), out);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "array_pattern" => {
                for (i, p) in kids(pat).into_iter().enumerate() {
                    let span = span_of(&p);
                    if p.kind() == "rest_pattern" {
                        if let Some(k) = kids(p).first() {
                            self.destructure_into(*k, src.clone(), out);
                        }
                        continue;
                    }
                    let part = Expr::new(
                        ExprKind::Index {
                            obj: Box::new(src.clone()),
                            index: Box::new(Expr::new(ExprKind::Const(i.to_string()), span)),
                        },
                        span,
                    );
                    self.destructure_into(p, part, out);
                }
            }
            _ => {}
        }
        self.depth -= 1;
    }

    /// A pattern position of a destructuring: a name, a nested pattern, or `x = default`.
    fn destructure_into(&mut self, p: Node<'t>, part: Expr, out: &mut Block) {
        match p.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => {
                out.push(assign(
                    Target::Name(self.text(p).to_string(), span_of(&p)),
                    part,
                ));
            }
            "assignment_pattern" => {
                let default = field(p, "right").map(|r| self.expr(r));
                let part = with_default(part, default, span_of(&p));
                if let Some(l) = field(p, "left") {
                    self.destructure_into(l, part, out);
                }
            }
            "object_pattern" | "array_pattern" => {
                let src = match &part.kind {
                    ExprKind::Name(_) | ExprKind::Attr { .. } => part,
                    _ => {
                        let t = self.temp();
                        let span = part.span;
                        out.push(assign(Target::Name(t.clone(), span), part));
                        Expr::new(ExprKind::Name(t), span)
                    }
                };
                self.destructure(p, src, out);
            }
            _ => {
                let t = self.pattern_target(p);
                out.push(assign(t, part));
            }
        }
    }

    /// An assignment target that is not a destructuring pattern.
    fn pattern_target(&mut self, n: Node<'t>) -> Target {
        let span = span_of(&n);
        match n.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => match self.text(n) {
                "" | "_" => Target::Ignore,
                name => Target::Name(name.to_string(), span),
            },
            "member_expression" => match (field(n, "object"), field(n, "property")) {
                (Some(o), Some(p)) => Target::Attr {
                    obj: self.expr(o),
                    attr: self.text(p).to_string(),
                    span,
                },
                _ => Target::Ignore,
            },
            "subscript_expression" => match (field(n, "object"), field(n, "index")) {
                (Some(o), Some(i)) => Target::Index {
                    obj: self.expr(o),
                    index: self.expr(i),
                    span,
                },
                _ => Target::Ignore,
            },
            "parenthesized_expression" | "non_null_expression" | "as_expression" => {
                match kids(n).first() {
                    Some(k) => self.pattern_target(*k),
                    None => Target::Ignore,
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                // `for (const x of xs)` in grammars that wrap the binding.
                match kids(n)
                    .into_iter()
                    .find(|k| k.kind() == "variable_declarator")
                    .and_then(|d| field(d, "name"))
                {
                    Some(name) => self.pattern_target(name),
                    None => Target::Ignore,
                }
            }
            _ => Target::Ignore,
        }
    }
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

// ---------------------------------------------------------------------------------------------
// Control flow, imports, declarations
// ---------------------------------------------------------------------------------------------

impl<'t, 's> Lowerer<'t, 's> {
    fn if_stmt(&mut self, n: Node<'t>, out: &mut Block) {
        let mut conds = Vec::new();
        let mut arms = Vec::new();
        let mut cur = n;
        loop {
            if let Some(c) = field(cur, "condition") {
                conds.push(self.expr(c));
            }
            arms.push(self.block(field(cur, "consequence")));
            let Some(alt) = field(cur, "alternative") else {
                arms.push(Vec::new());
                break;
            };
            // `else if` chains stay one branch; `else` is the last arm.
            let inner = kids(alt).into_iter().next();
            match inner {
                Some(i) if i.kind() == "if_statement" && arms.len() < 64 => cur = i,
                Some(i) => {
                    arms.push(self.block(Some(i)));
                    break;
                }
                None => {
                    arms.push(Vec::new());
                    break;
                }
            }
        }
        out.push(Stmt::Branch { conds, arms });
    }

    fn for_stmt(&mut self, n: Node<'t>, out: &mut Block) {
        if let Some(init) = field(n, "initializer") {
            let mut b = Vec::new();
            self.stmt(init, &mut b);
            out.extend(b);
        }
        let iter = field(n, "condition").map(|c| self.expr(c));
        let mut body = self.block(field(n, "body"));
        if let Some(inc) = field(n, "increment") {
            self.expr_stmt(inc, &mut body);
        }
        out.push(Stmt::Loop {
            target: None,
            iter,
            body,
        });
    }

    fn switch_stmt(&mut self, n: Node<'t>, out: &mut Block) {
        let mut conds: Vec<Expr> = field(n, "value")
            .map(|v| self.expr(v))
            .into_iter()
            .collect();
        let mut arms = Vec::new();
        let mut has_default = false;
        if let Some(body) = field(n, "body") {
            for case in kids(body) {
                let value = field(case, "value");
                if let Some(v) = value {
                    conds.push(self.expr(v));
                }
                if case.kind() == "switch_default" {
                    has_default = true;
                }
                let mut arm = Vec::new();
                for s in fields(case, "body") {
                    self.stmt(s, &mut arm);
                }
                arms.push(arm);
            }
        }
        if !has_default {
            arms.push(Vec::new());
        }
        out.push(Stmt::Branch { conds, arms });
    }

    fn import_stmt(&mut self, n: Node<'t>) {
        let Some(source) = field(n, "source") else {
            return;
        };
        let path = module_path(&string_value(source, self.src));
        let Some(clause) = kids(n).into_iter().find(|k| k.kind() == "import_clause") else {
            // `import 'pkg'`: a side-effect import.
            self.imports.push(Import {
                path: path.clone(),
                alias: path,
                span: span_of(&n),
            });
            return;
        };
        for c in kids(clause) {
            match c.kind() {
                // `import x from 'pkg'`: the module's default export, named as the module.
                "identifier" => self.imports.push(Import {
                    path: path.clone(),
                    alias: self.text(c).to_string(),
                    span: span_of(&c),
                }),
                "namespace_import" => {
                    if let Some(id) = kids(c).into_iter().find(|k| k.kind() == "identifier") {
                        self.imports.push(Import {
                            path: path.clone(),
                            alias: self.text(id).to_string(),
                            span: span_of(&c),
                        });
                    }
                }
                "named_imports" => {
                    for spec in kids(c)
                        .into_iter()
                        .filter(|k| k.kind() == "import_specifier")
                    {
                        let Some(name) = field(spec, "name") else {
                            continue;
                        };
                        let name_t = key_name(name, self.src).unwrap_or_default();
                        let alias = field(spec, "alias")
                            .map(|a| self.text(a).to_string())
                            .unwrap_or_else(|| name_t.clone());
                        let full = if name_t == "default" {
                            path.clone()
                        } else {
                            join_path(&path, &name_t)
                        };
                        self.imports.push(Import {
                            path: full,
                            alias,
                            span: span_of(&spec),
                        });
                    }
                }
                _ => {}
            }
        }
    }

    fn export_stmt(&mut self, n: Node<'t>, out: &mut Block) {
        if let Some(d) = field(n, "declaration") {
            self.stmt(d, out);
            return;
        }
        if let Some(v) = field(n, "value") {
            // `export default …`
            if is_function_kind(v.kind()) || v.kind() == "class" {
                let name = field(v, "name")
                    .map(|x| self.text(x).to_string())
                    .unwrap_or_else(|| "default".to_string());
                let e = self.named_value(v, &name, out);
                out.push(Stmt::Expr(e));
            } else {
                self.stmt(v, out);
            }
            return;
        }
        for k in kids(n) {
            match k.kind() {
                "function_declaration"
                | "generator_function_declaration"
                | "class_declaration"
                | "abstract_class_declaration"
                | "lexical_declaration"
                | "variable_declaration"
                | "interface_declaration"
                | "type_alias_declaration" => self.stmt(k, out),
                _ => {}
            }
        }
    }

    fn queue_fn(
        &mut self,
        node: Node<'t>,
        name: String,
        owner: Option<String>,
        method: bool,
        route: Option<String>,
    ) {
        let param_fields = method && name == "constructor";
        self.queue.push_back(Pending {
            node,
            name,
            owner,
            method,
            route,
            param_fields,
        });
    }

    /// `class X extends Y implements Z { … }`, declared or as an expression bound to a name.
    fn class_def(&mut self, n: Node<'t>, out: &mut Block) {
        let name = field(n, "name")
            .map(|x| self.text(x).to_string())
            .unwrap_or_else(|| "<class>".to_string());
        self.class_named(n, &name, out);
    }

    fn class_named(&mut self, n: Node<'t>, name: &str, out: &mut Block) {
        let mut bases = Vec::new();
        for h in kids(n).into_iter().filter(|k| k.kind() == "class_heritage") {
            for clause in kids(h) {
                match clause.kind() {
                    "extends_clause" | "implements_clause" => {
                        for b in kids(clause) {
                            if b.kind() != "type_arguments" {
                                bases.push(type_text(b, self.src));
                            }
                        }
                    }
                    _ => bases.push(type_text(clause, self.src)),
                }
            }
        }
        let mut prefix = None;
        // `@Controller('x') export class …`: the decorators belong to the export statement.
        let mut decorators = fields(n, "decorator");
        if let Some(p) = n.parent().filter(|p| p.kind() == "export_statement") {
            decorators.extend(fields(p, "decorator"));
        }
        for d in decorators {
            let e = self.decorator_call(d);
            if let Some((callee, route)) = &e {
                if callee == "Controller" {
                    prefix = route.clone().or(Some(String::new()));
                }
            }
        }
        let mut field_decls: Vec<FieldDecl> = Vec::new();
        let mut push_field = |f: FieldDecl| {
            if !f.name.is_empty() && !field_decls.iter().any(|x| x.name == f.name) {
                field_decls.push(f);
            }
        };
        if let Some(body) = field(n, "body") {
            let mut decorators: Vec<Node<'t>> = Vec::new();
            for m in kids(body) {
                match m.kind() {
                    "decorator" => decorators.push(m),
                    "method_definition" => {
                        let mname = field(m, "name")
                            .map(|x| self.text(x).to_string())
                            .unwrap_or_default();
                        let is_static = has_child(m, "static");
                        let mut decs = fields(m, "decorator");
                        decs.append(&mut decorators);
                        let route = self.method_route(&decs, prefix.as_deref());
                        if mname == "constructor" {
                            for f in self.constructor_fields(m) {
                                push_field(f);
                            }
                        }
                        self.queue_fn(m, mname, Some(name.to_string()), !is_static, route);
                    }
                    "field_definition" | "public_field_definition" => {
                        decorators.clear();
                        let fname = field(m, "property").or_else(|| field(m, "name"));
                        let Some(fname) = fname else { continue };
                        let fname_t = self.text(fname).to_string();
                        push_field(FieldDecl {
                            name: fname_t.trim_start_matches('#').to_string(),
                            ty: field(m, "type").map(|t| type_text(t, self.src)),
                            span: span_of(&fname),
                        });
                        if let Some(v) = field(m, "value") {
                            if is_function_kind(v.kind()) {
                                let is_static = has_child(m, "static");
                                self.queue_fn(v, fname_t, Some(name.to_string()), !is_static, None);
                            } else {
                                // A field initialiser: `self.f = v`, at the class's place.
                                let value = self.expr(v);
                                let span = span_of(&m);
                                let selfe = Expr::new(ExprKind::Name("self".to_string()), span);
                                out.push(Stmt::Assign {
                                    targets: vec![Target::Attr {
                                        obj: selfe,
                                        attr: fname_t,
                                        span,
                                    }],
                                    value,
                                    augmented: false,
                                    ty: field(m, "type").map(|t| type_text(t, self.src)),
                                    span,
                                });
                            }
                        }
                    }
                    _ => decorators.clear(),
                }
            }
        }
        self.types.push(TypeDecl {
            name: name.to_string(),
            bases,
            fields: field_decls,
            span: span_of(&n),
        });
    }

    /// A decorator's callee name and its first string argument (`@Post(':id')`).
    fn decorator_call(&self, d: Node<'t>) -> Option<(String, Option<String>)> {
        let inner = kids(d).into_iter().next()?;
        let (callee, args) = match inner.kind() {
            "call_expression" => (field(inner, "function")?, field(inner, "arguments")),
            _ => (inner, None),
        };
        let name = self.text(callee).rsplit('.').next()?.to_string();
        let first = args
            .and_then(|a| kids(a).into_iter().next())
            .filter(|a| a.kind() == "string")
            .map(|a| string_value(a, self.src));
        Some((name, first))
    }

    /// The route a NestJS handler serves: its controller's prefix and its own path.
    fn method_route(&self, decs: &[Node<'t>], prefix: Option<&str>) -> Option<String> {
        for d in decs {
            let Some((name, path)) = self.decorator_call(*d) else {
                continue;
            };
            if ROUTE_DECORATORS.contains(&name.as_str()) {
                let prefix = prefix.unwrap_or("").trim_matches('/');
                let path = path.unwrap_or_default();
                let path = path.trim_matches('/');
                let mut r = String::from("/");
                r.push_str(prefix);
                if !path.is_empty() {
                    if !prefix.is_empty() {
                        r.push('/');
                    }
                    r.push_str(path);
                }
                return Some(r);
            }
        }
        None
    }

    /// TypeScript parameter properties of a constructor (`private readonly db: PrismaService`).
    fn constructor_fields(&self, m: Node<'t>) -> Vec<FieldDecl> {
        let mut out = Vec::new();
        let Some(ps) = field(m, "parameters") else {
            return out;
        };
        for p in kids(ps) {
            if !is_param_property(p) {
                continue;
            }
            if let Some(id) = field(p, "pattern").filter(|x| x.kind() == "identifier") {
                out.push(FieldDecl {
                    name: self.text(id).to_string(),
                    ty: field(p, "type").map(|t| type_text(t, self.src)),
                    span: span_of(&id),
                });
            }
        }
        out
    }

    /// `interface X extends Y { a: T; b?: U }`.
    fn interface(&mut self, n: Node<'t>) {
        let name = field(n, "name")
            .map(|x| self.text(x).to_string())
            .unwrap_or_default();
        let mut bases = Vec::new();
        for k in kids(n) {
            if k.kind() == "extends_type_clause" {
                for b in kids(k) {
                    bases.push(type_text(b, self.src));
                }
            }
        }
        let fields = field(n, "body")
            .map(|b| self.object_type_fields(b))
            .unwrap_or_default();
        self.types.push(TypeDecl {
            name,
            bases,
            fields,
            span: span_of(&n),
        });
    }

    /// `type X = { a: T }`, `type X = Y & { a: T }`, `type X = Y`.
    fn type_alias(&mut self, n: Node<'t>) {
        let name = field(n, "name")
            .map(|x| self.text(x).to_string())
            .unwrap_or_default();
        let mut bases = Vec::new();
        let mut fields = Vec::new();
        if let Some(v) = field(n, "value") {
            let parts = if v.kind() == "intersection_type" {
                kids(v)
            } else {
                vec![v]
            };
            for p in parts {
                match p.kind() {
                    "object_type" => fields.extend(self.object_type_fields(p)),
                    "type_identifier" | "nested_type_identifier" | "generic_type" => {
                        bases.push(type_text(p, self.src))
                    }
                    _ => {}
                }
            }
        }
        self.types.push(TypeDecl {
            name,
            bases,
            fields,
            span: span_of(&n),
        });
    }

    fn object_type_fields(&self, body: Node<'t>) -> Vec<FieldDecl> {
        let mut out = Vec::new();
        for m in kids(body) {
            if m.kind() != "property_signature" {
                continue;
            }
            let Some(k) = field(m, "name") else { continue };
            let Some(name) = key_name(k, self.src) else {
                continue;
            };
            out.push(FieldDecl {
                name,
                ty: field(m, "type").map(|t| type_text(t, self.src)),
                span: span_of(&k),
            });
        }
        out
    }

    // -----------------------------------------------------------------------------------------
    // Parameters
    // -----------------------------------------------------------------------------------------

    /// The parameters of a function node; destructured ones get a synthetic name and their
    /// bindings go into `prologue`.
    fn params(
        &mut self,
        f: Node<'t>,
        out: &mut Vec<Param>,
        prologue: &mut Block,
        param_fields: bool,
    ) {
        let list = match field(f, "parameters") {
            Some(ps) => kids(ps),
            None => field(f, "parameter").into_iter().collect(),
        };
        for (i, p) in list.into_iter().enumerate() {
            let span = span_of(&p);
            let (pat, ty, default, optional_prop) = match p.kind() {
                "required_parameter" | "optional_parameter" => (
                    field(p, "pattern"),
                    field(p, "type").map(|t| type_text(t, self.src)),
                    field(p, "value").map(|v| self.expr(v)),
                    is_param_property(p),
                ),
                "assignment_pattern" => (
                    field(p, "left"),
                    None,
                    field(p, "right").map(|v| self.expr(v)),
                    false,
                ),
                "decorator" | "comment" => continue,
                _ => (Some(p), None, None, false),
            };
            let Some(pat) = pat else { continue };
            let (pat, kind) = if pat.kind() == "rest_pattern" {
                match kids(pat).into_iter().next() {
                    Some(k) => (k, ParamKind::VarArgs),
                    None => continue,
                }
            } else {
                (pat, ParamKind::Normal)
            };
            let name = match pat.kind() {
                "identifier" => self.text(pat).to_string(),
                "this" => continue,
                "object_pattern" | "array_pattern" => {
                    let name = format!("$arg{i}");
                    let src = Expr::new(ExprKind::Name(name.clone()), span);
                    let src = with_default(src, default.clone(), span);
                    self.destructure(pat, src, prologue);
                    name
                }
                _ => self.text(pat).to_string(),
            };
            if param_fields && optional_prop {
                let e = Expr::new(ExprKind::Name(name.clone()), span);
                let selfe = Expr::new(ExprKind::Name("self".to_string()), span);
                prologue.push(assign(
                    Target::Attr {
                        obj: selfe,
                        attr: name.clone(),
                        span,
                    },
                    e,
                ));
            }
            out.push(Param {
                name,
                ty,
                default,
                kind,
                span,
            });
        }
    }
}

fn has_child(n: Node, kind: &str) -> bool {
    let mut c = n.walk();
    let found = n.children(&mut c).any(|k| k.kind() == kind);
    found
}

/// A TypeScript constructor parameter with an accessibility modifier or `readonly`.
fn is_param_property(p: Node) -> bool {
    let mut c = p.walk();
    let found = p.children(&mut c).any(|k| {
        matches!(
            k.kind(),
            "accessibility_modifier" | "readonly" | "override_modifier"
        )
    });
    found
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/// Whether an expression can be evaluated twice without running anything (no calls, no
/// functions, no assignments), checked iteratively.
fn is_pure(e: &Expr) -> bool {
    let mut stack = vec![e];
    let mut seen = 0usize;
    while let Some(e) = stack.pop() {
        seen += 1;
        if seen > 256 {
            return false;
        }
        match &e.kind {
            ExprKind::Name(_) | ExprKind::Str(_) | ExprKind::Const(_) => {}
            ExprKind::Attr { obj, .. } | ExprKind::Wrap(obj) => stack.push(obj),
            ExprKind::Unary { operand, .. } => stack.push(operand),
            ExprKind::Index { obj, index } => {
                stack.push(obj);
                stack.push(index);
            }
            ExprKind::Binary { left, right, .. } => {
                stack.push(left);
                stack.push(right);
            }
            ExprKind::Template { parts: es, .. }
            | ExprKind::Collection(es)
            | ExprKind::Other(es) => stack.extend(es),
            ExprKind::Dict(kv) => {
                for (k, v) in kv {
                    stack.extend(k);
                    stack.push(v);
                }
            }
            ExprKind::Branch { conds, arms } => {
                stack.extend(conds);
                stack.extend(arms);
            }
            _ => return false,
        }
    }
    true
}

impl<'t, 's> Lowerer<'t, 's> {
    fn expr(&mut self, n: Node<'t>) -> Expr {
        if self.too_deep() {
            return flat(n, self.src);
        }
        self.depth += 1;
        let kind = self.expr_kind(n);
        self.depth -= 1;
        Expr::new(kind, span_of(&n))
    }

    fn opt_expr(&mut self, n: Option<Node<'t>>, parent: Node<'t>) -> Expr {
        match n {
            Some(n) => self.expr(n),
            None => other(span_of(&parent)),
        }
    }

    fn boxed(&mut self, n: Option<Node<'t>>, parent: Node<'t>) -> Box<Expr> {
        Box::new(self.opt_expr(n, parent))
    }

    fn all(&mut self, nodes: Vec<Node<'t>>) -> Vec<Expr> {
        let mut out = Vec::with_capacity(nodes.len());
        for k in nodes {
            out.push(self.expr(k));
        }
        out
    }

    /// Picks the lowering function for `n`'s kind; a table of functions keeps the recursive
    /// path's stack frames small.
    fn expr_kind(&mut self, n: Node<'t>) -> ExprKind {
        type Lower<'t, 's> = fn(&mut Lowerer<'t, 's>, Node<'t>) -> ExprKind;
        let f: Lower<'t, 's> = match n.kind() {
            "identifier" | "shorthand_property_identifier" | "type_identifier" => Self::name,
            "this" => |_, _| ExprKind::Name("self".to_string()),
            "super" => |_, _| ExprKind::Name("super".to_string()),
            "number" | "true" | "false" | "null" | "undefined" | "regex" | "jsx_text" => {
                Self::constant
            }
            "string" => |lw, n| ExprKind::Str(string_value(n, lw.src)),
            "template_string" => Self::template,
            "member_expression" => Self::member,
            "subscript_expression" => Self::subscript,
            "call_expression" => Self::call,
            "new_expression" => Self::new_call,
            "object" => Self::object,
            "array" => |lw, n| ExprKind::Collection(lw.all(kids(n))),
            "binary_expression" => Self::binary,
            "unary_expression" => Self::unary,
            "update_expression" => |lw, n| ExprKind::Unary {
                negates_to_bool: false,
                operand: lw.boxed(field(n, "argument"), n),
            },
            "ternary_expression" => Self::ternary,
            "assignment_expression" | "augmented_assignment_expression" => Self::assign_expr,
            "arrow_function" | "function_expression" | "function" | "generator_function" => {
                Self::lambda
            }
            "await_expression"
            | "parenthesized_expression"
            | "spread_element"
            | "non_null_expression"
            | "yield_expression"
            | "jsx_expression" => Self::wrap,
            "as_expression" | "satisfies_expression" => |lw, n| match kids(n).first() {
                Some(k) => ExprKind::Wrap(Box::new(lw.expr(*k))),
                None => ExprKind::Other(Vec::new()),
            },
            "type_assertion" => |lw, n| match kids(n).last() {
                Some(k) => ExprKind::Wrap(Box::new(lw.expr(*k))),
                None => ExprKind::Other(Vec::new()),
            },
            "class" => |lw, n| {
                let name = field(n, "name")
                    .map(|x| lw.text(x).to_string())
                    .unwrap_or_else(|| "<class>".to_string());
                let mut sink = Vec::new();
                lw.class_named(n, &name, &mut sink);
                ExprKind::Name(name)
            },
            "property_identifier" | "private_property_identifier" | "comment" => {
                |_, _| ExprKind::Other(Vec::new())
            }
            _ => |lw, n| ExprKind::Other(lw.all(kids(n))),
        };
        f(self, n)
    }

    fn name(&mut self, n: Node<'t>) -> ExprKind {
        ExprKind::Name(self.text(n).to_string())
    }

    fn constant(&mut self, n: Node<'t>) -> ExprKind {
        ExprKind::Const(self.text(n).to_string())
    }

    fn wrap(&mut self, n: Node<'t>) -> ExprKind {
        match kids(n).as_slice() {
            [k] => ExprKind::Wrap(Box::new(self.expr(*k))),
            ks => ExprKind::Other(self.all(ks.to_vec())),
        }
    }

    fn template(&mut self, n: Node<'t>) -> ExprKind {
        let mut literal = String::new();
        let mut parts = Vec::new();
        for k in kids(n) {
            match k.kind() {
                "string_fragment" => literal.push_str(self.text(k)),
                "escape_sequence" => literal.push_str(&unescape(self.text(k))),
                "template_substitution" => {
                    for e in kids(k) {
                        parts.push(self.expr(e));
                    }
                }
                _ => {}
            }
        }
        if parts.is_empty() {
            ExprKind::Str(literal)
        } else {
            ExprKind::Template { literal, parts }
        }
    }

    fn member(&mut self, n: Node<'t>) -> ExprKind {
        match (field(n, "object"), field(n, "property")) {
            (Some(o), Some(p)) => ExprKind::Attr {
                obj: Box::new(self.expr(o)),
                attr: self.text(p).trim_start_matches('#').to_string(),
            },
            _ => ExprKind::Other(self.all(kids(n))),
        }
    }

    fn subscript(&mut self, n: Node<'t>) -> ExprKind {
        let obj = self.boxed(field(n, "object"), n);
        let index = self.boxed(field(n, "index"), n);
        ExprKind::Index { obj, index }
    }

    fn binary(&mut self, n: Node<'t>) -> ExprKind {
        let op = field(n, "operator").map(|o| self.text(o)).unwrap_or("");
        let op = match op {
            "&&" | "||" | "??" => BinOp::Logic,
            "==" | "===" | "!=" | "!==" | "<" | ">" | "<=" | ">=" | "instanceof" | "in" => {
                BinOp::Compare
            }
            _ => BinOp::Arith,
        };
        ExprKind::Binary {
            op,
            left: self.boxed(field(n, "left"), n),
            right: self.boxed(field(n, "right"), n),
        }
    }

    fn unary(&mut self, n: Node<'t>) -> ExprKind {
        let op = field(n, "operator").map(|o| self.text(o)).unwrap_or("");
        ExprKind::Unary {
            negates_to_bool: matches!(op, "!" | "typeof" | "void" | "delete"),
            operand: self.boxed(field(n, "argument"), n),
        }
    }

    fn ternary(&mut self, n: Node<'t>) -> ExprKind {
        let c = self.opt_expr(field(n, "condition"), n);
        let a = self.opt_expr(field(n, "consequence"), n);
        let b = self.opt_expr(field(n, "alternative"), n);
        ExprKind::Branch {
            conds: vec![c],
            arms: vec![a, b],
        }
    }

    fn assign_expr(&mut self, n: Node<'t>) -> ExprKind {
        let target = match field(n, "left") {
            Some(l) => self.pattern_target(l),
            None => Target::Ignore,
        };
        ExprKind::AssignExpr {
            target: Box::new(target),
            value: self.boxed(field(n, "right"), n),
        }
    }

    /// An arrow function or function expression in place: a `Lambda` over the enclosing scope.
    fn lambda(&mut self, n: Node<'t>) -> ExprKind {
        let mut params = Vec::new();
        let mut body = Vec::new();
        self.params(n, &mut params, &mut body, false);
        match field(n, "body") {
            Some(b) if b.kind() == "statement_block" => {
                for k in kids(b) {
                    self.stmt(k, &mut body);
                }
            }
            Some(b) => {
                let e = self.expr(b);
                let span = e.span;
                body.push(Stmt::Return(Some(e), span));
            }
            None => {}
        }
        ExprKind::Lambda { params, body }
    }

    fn object(&mut self, n: Node<'t>) -> ExprKind {
        let mut entries = Vec::new();
        for k in kids(n) {
            let span = span_of(&k);
            match k.kind() {
                "pair" => {
                    let key = match field(k, "key") {
                        Some(key) => match key_name(key, self.src) {
                            Some(name) => Expr::new(ExprKind::Str(name), span_of(&key)),
                            None => self.expr(key),
                        },
                        None => other(span),
                    };
                    let value = self.opt_expr(field(k, "value"), k);
                    entries.push((Some(key), value));
                }
                "shorthand_property_identifier" => {
                    let name = self.text(k).to_string();
                    entries.push((
                        Some(Expr::new(ExprKind::Str(name.clone()), span)),
                        Expr::new(ExprKind::Name(name), span),
                    ));
                }
                "spread_element" => {
                    let v = self.opt_expr(kids(k).first().copied(), k);
                    entries.push((None, v));
                }
                "method_definition" => {
                    let key = field(k, "name")
                        .and_then(|x| key_name(x, self.src))
                        .unwrap_or_default();
                    let value = Expr::new(self.lambda(k), span);
                    entries.push((Some(Expr::new(ExprKind::Str(key), span)), value));
                }
                _ => entries.push((None, self.expr(k))),
            }
        }
        ExprKind::Dict(entries)
    }

    fn new_call(&mut self, n: Node<'t>) -> ExprKind {
        let callee = self.opt_expr(field(n, "constructor"), n);
        let args = match field(n, "arguments") {
            Some(a) => self.args(a, None),
            None => Vec::new(),
        };
        ExprKind::Call(Box::new(Call { callee, args }))
    }

    fn call(&mut self, n: Node<'t>) -> ExprKind {
        let func = field(n, "function");
        let callee = self.opt_expr(func, n);
        let Some(a) = field(n, "arguments") else {
            return ExprKind::Call(Box::new(Call {
                callee,
                args: Vec::new(),
            }));
        };
        if a.kind() == "template_string" {
            // A tagged template: the template is the argument.
            let value = self.expr(a);
            return ExprKind::Call(Box::new(Call {
                callee,
                args: vec![Arg {
                    name: None,
                    value,
                    kind: ArgKind::Positional,
                }],
            }));
        }
        let method = func
            .filter(|f| f.kind() == "member_expression")
            .and_then(|f| field(f, "property"))
            .map(|p| self.text(p));
        let route = method
            .filter(|m| ROUTE_METHODS.contains(m))
            .and_then(|_| kids(a).into_iter().next())
            .filter(|f| f.kind() == "string")
            .map(|f| string_value(f, self.src))
            .filter(|r| r.starts_with('/'))
            .map(|r| (method.unwrap_or("").to_string(), r));
        let mut args = self.args(a, route);
        // `client.send(new PutObjectCommand({ … }))`: the command's options are what is sent.
        if method == Some("send") && args.len() == 1 {
            let extra: Vec<Arg> = match &args[0].value.kind {
                ExprKind::Call(inner) => inner
                    .args
                    .iter()
                    .filter(|x| x.kind == ArgKind::Keyword && is_pure(&x.value))
                    .cloned()
                    .collect(),
                _ => Vec::new(),
            };
            args.extend(extra);
        }
        ExprKind::Call(Box::new(Call { callee, args }))
    }

    /// Arguments; an object literal in last place also gives its keys as keyword arguments
    /// (values that run code are bound to a temporary first, so they run once).
    fn args(&mut self, a: Node<'t>, route: Option<(String, String)>) -> Vec<Arg> {
        let ks = kids(a);
        let last = ks.len().saturating_sub(1);
        let mut out = Vec::with_capacity(ks.len());
        for (i, k) in ks.into_iter().enumerate() {
            match k.kind() {
                "spread_element" => {
                    let value = self.opt_expr(kids(k).first().copied(), k);
                    out.push(Arg {
                        name: None,
                        value,
                        kind: ArgKind::Splat,
                    });
                }
                kind if is_function_kind(kind) && route.is_some() => {
                    let (m, r) = route.clone().unwrap_or_default();
                    let name = format!("{} {r}", m.to_ascii_uppercase());
                    self.queue_fn(k, name.clone(), None, false, Some(r));
                    out.push(Arg {
                        name: None,
                        value: Expr::new(ExprKind::Name(name), span_of(&k)),
                        kind: ArgKind::Positional,
                    });
                }
                "object" if i == last => {
                    let mut value = self.expr(k);
                    let mut keywords = Vec::new();
                    let span = value.span;
                    let kind = std::mem::replace(&mut value.kind, ExprKind::Other(Vec::new()));
                    let value = match kind {
                        ExprKind::Dict(entries) => {
                            let mut kept = Vec::with_capacity(entries.len());
                            for (key, v) in entries {
                                let name = match key.as_ref().map(|k| &k.kind) {
                                    Some(ExprKind::Str(s)) => Some(s.clone()),
                                    _ => None,
                                };
                                let keyword = name.is_some() || key.is_none();
                                let (v, kw) = if !keyword {
                                    (v, None)
                                } else if is_pure(&v) {
                                    let c = v.clone();
                                    (v, Some(c))
                                } else {
                                    let (bound, read) = self.hoist(v);
                                    (bound, Some(read))
                                };
                                if let Some(kw) = kw {
                                    keywords.push(Arg {
                                        kind: if name.is_some() {
                                            ArgKind::Keyword
                                        } else {
                                            ArgKind::KwSplat
                                        },
                                        name: name.clone(),
                                        value: kw,
                                    });
                                }
                                kept.push((key, v));
                            }
                            Expr::new(ExprKind::Dict(kept), span)
                        }
                        kind => Expr::new(kind, span),
                    };
                    out.push(Arg {
                        name: None,
                        value,
                        kind: ArgKind::Positional,
                    });
                    out.extend(keywords);
                }
                _ => {
                    let value = self.expr(k);
                    out.push(Arg {
                        name: None,
                        value,
                        kind: ArgKind::Positional,
                    });
                }
            }
        }
        out
    }

    /// `(tmp = v)` and a read of `tmp`: the value runs once; the read repeats it.
    fn hoist(&mut self, v: Expr) -> (Expr, Expr) {
        let t = self.temp();
        let span = v.span;
        let read = Expr::new(ExprKind::Name(t.clone()), span);
        let bound = Expr::new(
            ExprKind::AssignExpr {
                target: Box::new(Target::Name(t, span)),
                value: Box::new(v),
            },
            span,
        );
        (bound, read)
    }
}
