//! Python adapter: tree-sitter-python → [`crate::model::Module`].
//!
//! Lowering choices worth knowing:
//! - Every `def` (methods, nested functions) becomes its own [`Function`]; nothing is emitted
//!   for it in the enclosing body. Methods get `owner: Some(class)`; nested functions get `None`.
//! - Class-level statements are lowered in place into the body that contains the class (the
//!   module top level for top-level classes). Decorators are `Stmt::Expr` there too.
//! - `for`/`while` `else:` bodies become a `Stmt::Block` right after the loop.
//! - `yield x` evaluates to `Wrap(x)` and also adds `Stmt::Return(Some(x))` after the statement.
//! - `try` → `Block(body)`, `Branch { conds: [], arms: [handlers.., else or empty] }`,
//!   `Block(finally)`. `match` → `Branch` with the subject (and guards) as conds, one arm per case.
//! - Nesting deeper than the toolkit's [`DepthGuard`] allows is not
//!   lowered structurally: the subtree becomes `Other` of the names and `name.attr` reads found
//!   in it by an iterative walk. Literals, comments and error counts use iterative walks only.
//! - `import a.b.c` binds `a`: it yields `{a, a}` and `{a.b.c, a.b.c}`.
//! - Statements that cannot be expressed (`del`, `pass`, `global`, bare annotations) emit nothing.

use std::collections::VecDeque;

use tree_sitter::Node;

use super::toolkit::{preorder, span_of, text, DepthGuard, Step};
use crate::model::{
    Annotation, AnnotationArg, Arg, ArgKind, BinOp, Block, Call, Cmp, Comment, Expr, ExprKind, FieldDecl, Function, Import,
    Literal, LiteralKind, Module, Param, ParamKind, Span, Stmt, Target, TypeDecl,
};

pub fn lower(tree: &tree_sitter::Tree, source: &str) -> Module {
    let root = tree.root_node();
    let mut lw = Lowerer {
        src: source,
        imports: Vec::new(),
        types: Vec::new(),
        queue: VecDeque::new(),
        depth: 0,
        guard: DepthGuard::new(),
        yields: Vec::new(),
    };
    let body = lw.block(Some(root), None);
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
    while let Some(pending) = lw.queue.pop_front() {
        let f = lw.function(pending);
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

/// A `def` waiting to be lowered as its own function.
struct PendingFn<'t> {
    node: Node<'t>,
    owner: Option<String>,
    /// Directly in a class body and not a `@staticmethod`.
    method: bool,
    /// The route of a web handler's decorator.
    route: Option<String>,
    /// Its decorators, with their literal arguments.
    annotations: Vec<crate::model::Annotation>,
}

struct Lowerer<'t, 's> {
    src: &'s str,
    imports: Vec<Import>,
    types: Vec<TypeDecl>,
    queue: VecDeque<PendingFn<'t>>,
    depth: usize,
    guard: DepthGuard,
    /// Values of `yield` expressions not yet turned into `Return` statements.
    yields: Vec<Expr>,
}

// ---------------------------------------------------------------------------------------------
// Small node helpers
// ---------------------------------------------------------------------------------------------

fn is_extra_kind(kind: &str) -> bool {
    matches!(kind, "comment" | "line_continuation")
}

/// Named children without comments.
fn kids<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = n.walk();
    n.named_children(&mut cursor)
        .filter(|c| !is_extra_kind(c.kind()))
        .collect()
}

fn field<'t>(n: Node<'t>, name: &str) -> Option<Node<'t>> {
    n.child_by_field_name(name)
}

fn fields<'t>(n: Node<'t>, name: &str) -> Vec<Node<'t>> {
    let mut cursor = n.walk();
    n.children_by_field_name(name, &mut cursor)
        .filter(|c| c.is_named() && !is_extra_kind(c.kind()))
        .collect()
}

/// Dotted text with whitespace removed (`a . b` → `a.b`).
fn dotted_text(n: Node, src: &str) -> String {
    text(n, src)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// An annotation as written, whitespace collapsed, forward-reference quotes stripped.
fn type_text(n: Node, src: &str) -> String {
    let t = text(n, src)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_string();
        }
    }
    t
}

fn other(span: Span) -> Expr {
    Expr::new(ExprKind::Other(Vec::new()), span)
}

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

/// Whether an f-string's first piece is literal text rather than an interpolation.
fn opens_with_text(n: Node) -> bool {
    kids(n)
        .into_iter()
        .find(|k| matches!(k.kind(), "string_content" | "interpolation" | "escape_sequence"))
        .is_some_and(|k| k.kind() != "interpolation")
}

/// Static text of one `string` node (placeholders removed) and its interpolation nodes.
fn string_pieces<'t>(n: Node<'t>, src: &str) -> (String, Vec<Node<'t>>) {
    let mut raw = false;
    let mut fmt = false;
    let mut literal = String::new();
    let mut interps = Vec::new();
    let mut cursor = n.walk();
    for c in n.children(&mut cursor) {
        match c.kind() {
            "string_start" => {
                let prefix = text(c, src).to_ascii_lowercase();
                raw = prefix.contains('r');
                fmt = prefix.contains('f') || prefix.contains('t');
            }
            "string_content" => literal.push_str(&decode(text(c, src), raw, fmt)),
            "interpolation" => interps.push(c),
            _ => {}
        }
    }
    (literal, interps)
}

/// Best-effort decoding of Python escape sequences (and `{{`/`}}` in f-strings).
fn decode(s: &str, raw: bool, fmt: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' && !raw {
            let Some(e) = it.next() else {
                out.push('\\');
                break;
            };
            match e {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'v' => out.push('\u{b}'),
                '\\' | '\'' | '"' => out.push(e),
                '\n' => {}
                '\r' => {
                    if it.peek() == Some(&'\n') {
                        it.next();
                    }
                }
                'x' | 'u' | 'U' => {
                    let want = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let mut digits = String::new();
                    while digits.len() < want {
                        match it.peek() {
                            Some(d) if d.is_ascii_hexdigit() => {
                                digits.push(*d);
                                it.next();
                            }
                            _ => break,
                        }
                    }
                    let ch = if digits.len() == want {
                        u32::from_str_radix(&digits, 16)
                            .ok()
                            .and_then(char::from_u32)
                    } else {
                        None
                    };
                    match ch {
                        Some(ch) => out.push(ch),
                        None => {
                            out.push('\\');
                            out.push(e);
                            out.push_str(&digits);
                        }
                    }
                }
                '0'..='7' => {
                    let mut v = e.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match it.peek().and_then(|d| d.to_digit(8)) {
                            Some(d) => {
                                v = v * 8 + d;
                                it.next();
                            }
                            None => break,
                        }
                    }
                    out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                }
                other => {
                    out.push('\\');
                    out.push(other);
                }
            }
        } else if fmt && (c == '{' || c == '}') && it.peek() == Some(&c) {
            it.next();
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Iterative walks
// ---------------------------------------------------------------------------------------------

/// Literals, comments and syntax-error count, collected in document order without recursion.
fn scan_leaves(root: Node, src: &str, module: &mut Module) {
    preorder(root, |n, _, _| {
        if n.is_error() || n.is_missing() {
            module.syntax_errors = module.syntax_errors.saturating_add(1);
        }
        match n.kind() {
            "string" => {
                let (value, _) = string_pieces(n, src);
                module.literals.push(Literal {
                    value,
                    kind: LiteralKind::Str,
                    span: span_of(&n),
                });
            }
            "integer" if n.is_named() => module.literals.push(Literal {
                value: text(n, src).replace('_', ""),
                kind: LiteralKind::Int,
                span: span_of(&n),
            }),
            "comment" => module.comments.push(Comment {
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
    preorder(n, |node, field_name, depth| {
        match node.kind() {
            "attribute" => {
                if let (Some(obj), Some(attr)) = (field(node, "object"), field(node, "attribute")) {
                    if obj.kind() == "identifier" {
                        let obj =
                            Expr::new(ExprKind::Name(text(obj, src).to_string()), span_of(&obj));
                        items.push(Expr::new(
                            ExprKind::Attr {
                                obj: Box::new(obj),
                                attr: text(attr, src).to_string(),
                            },
                            span_of(&node),
                        ));
                        return Step::Skip;
                    }
                }
            }
            "identifier" => {
                let skip = depth > 0 && matches!(field_name, Some("attribute" | "name"));
                if !skip {
                    items.push(Expr::new(
                        ExprKind::Name(text(node, src).to_string()),
                        span_of(&node),
                    ));
                }
            }
            _ => {}
        }
        Step::Descend
    });
    Expr::new(ExprKind::Other(items), span_of(&n))
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

impl<'t, 's> Lowerer<'t, 's> {
    fn text(&self, n: Node) -> &'s str {
        text(n, self.src)
    }

    fn too_deep(&self) -> bool {
        self.guard.too_deep(self.depth) || crate::budget::expired()
    }

    fn function(&mut self, p: PendingFn<'t>) -> Function {
        let n = p.node;
        let name = field(n, "name")
            .map(|x| self.text(x).to_string())
            .unwrap_or_default();
        let params = self.params(field(n, "parameters"), p.method);
        let body = self.block(field(n, "body"), None);
        Function {
            name,
            owner: p.owner,
            params,
            body,
            span: span_of(&n),
            is_module: false,
            route: p.route,
            annotations: p.annotations,
            name_span: None,
            returns: field(n, "return_type").map(|t| type_text(t, self.src)),
        }
    }

    /// Lowers the statements among `n`'s children. `class` is the class whose body this is.
    fn block(&mut self, n: Option<Node<'t>>, class: Option<&str>) -> Block {
        let mut out = Vec::new();
        if let Some(n) = n {
            for k in kids(n) {
                self.stmt(k, class, &mut out);
            }
        }
        out
    }

    fn stmt(&mut self, n: Node<'t>, class: Option<&str>, out: &mut Block) {
        if self.too_deep() {
            let e = flat(n, self.src);
            if matches!(&e.kind, ExprKind::Other(v) if !v.is_empty()) {
                out.push(Stmt::Expr(e));
            }
            return;
        }
        self.depth += 1;
        let mark = self.yields.len();
        self.stmt_inner(n, class, out);
        let yields: Vec<Expr> = self.yields.drain(mark..).collect();
        for y in yields {
            let span = y.span;
            out.push(Stmt::Return(Some(y), span));
        }
        self.depth -= 1;
    }

    fn stmt_inner(&mut self, n: Node<'t>, class: Option<&str>, out: &mut Block) {
        match n.kind() {
            "expression_statement" => {
                for k in kids(n) {
                    self.simple_stmt(k, out);
                }
            }
            "assignment" | "augmented_assignment" => self.simple_stmt(n, out),
            "return_statement" => {
                let value = kids(n).first().map(|v| self.expr(*v));
                out.push(Stmt::Return(value, span_of(&n)));
            }
            "if_statement" => self.if_stmt(n, class, out),
            "for_statement" => self.for_stmt(n, class, out),
            "while_statement" => self.while_stmt(n, class, out),
            "with_statement" => self.with_stmt(n, class, out),
            "try_statement" => self.try_stmt(n, class, out),
            "match_statement" => self.match_stmt(n, class, out),
            "function_definition" => self.queue.push_back(PendingFn {
                node: n,
                owner: class.map(str::to_string),
                method: class.is_some(),
                route: None,
                annotations: Vec::new(),
            }),
            "class_definition" => self.class_def(n, out),
            "decorated_definition" => self.decorated(n, class, out),
            "import_statement" => self.import_stmt(n),
            "import_from_statement" | "future_import_statement" => self.import_from(n),
            "raise_statement" | "assert_statement" => {
                for k in kids(n) {
                    let e = self.expr(k);
                    out.push(Stmt::Expr(e));
                }
            }
            "print_statement" | "exec_statement" => {
                let callee = if n.kind() == "print_statement" {
                    "print"
                } else {
                    "exec"
                };
                let args = kids(n)
                    .into_iter()
                    .map(|k| Arg {
                        name: None,
                        value: self.expr(k),
                        kind: ArgKind::Positional,
                    })
                    .collect();
                let span = span_of(&n);
                let call = Call {
                    callee: Expr::new(ExprKind::Name(callee.to_string()), span),
                    args,
                    type_args: Vec::new(),
                };
                out.push(Stmt::Expr(Expr::new(ExprKind::Call(Box::new(call)), span)));
            }
            "delete_statement"
            | "pass_statement"
            | "break_statement"
            | "continue_statement"
            | "global_statement"
            | "nonlocal_statement"
            | "type_alias_statement" => {}
            "ERROR"
            | "block"
            | "module"
            | "else_clause"
            | "elif_clause"
            | "except_clause"
            | "except_group_clause"
            | "finally_clause"
            | "case_clause"
            | "with_clause"
            | "with_item"
            | "if_clause" => {
                for k in kids(n) {
                    self.stmt(k, class, out);
                }
            }
            _ => {
                let e = self.expr(n);
                out.push(Stmt::Expr(e));
            }
        }
    }

    /// One child of an expression statement.
    fn simple_stmt(&mut self, n: Node<'t>, out: &mut Block) {
        match n.kind() {
            "assignment" => self.assignment(n, out),
            "augmented_assignment" => {
                let target = field(n, "left").map(|l| self.target(l));
                let value = match field(n, "right") {
                    Some(r) => self.expr(r),
                    None => other(span_of(&n)),
                };
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
            _ => {
                let e = self.expr(n);
                out.push(Stmt::Expr(e));
            }
        }
    }

    /// `a = b = v`, `x: T = v`; a bare annotation `x: T` emits nothing.
    fn assignment(&mut self, n: Node<'t>, out: &mut Block) {
        let ty = field(n, "type").map(|t| type_text(t, self.src));
        let mut targets = Vec::new();
        let mut cur = n;
        let value = loop {
            if let Some(l) = field(cur, "left") {
                targets.push(self.target(l));
            }
            match field(cur, "right") {
                Some(r) if r.kind() == "assignment" => cur = r,
                Some(r) => break self.expr(r),
                None => return,
            }
        };
        if targets.is_empty() {
            out.push(Stmt::Expr(value));
        } else {
            out.push(Stmt::Assign {
                targets,
                value,
                augmented: false,
                ty,
                span: span_of(&n),
            });
        }
    }

    fn if_stmt(&mut self, n: Node<'t>, class: Option<&str>, out: &mut Block) {
        let mut conds = Vec::new();
        let mut arms = Vec::new();
        if let Some(c) = field(n, "condition") {
            conds.push(self.expr(c));
        }
        arms.push(self.block(field(n, "consequence"), class));
        let mut has_else = false;
        for alt in fields(n, "alternative") {
            match alt.kind() {
                "elif_clause" => {
                    if let Some(c) = field(alt, "condition") {
                        conds.push(self.expr(c));
                    }
                    arms.push(self.block(field(alt, "consequence"), class));
                }
                "else_clause" => {
                    arms.push(self.block(field(alt, "body"), class));
                    has_else = true;
                }
                _ => {}
            }
        }
        if !has_else {
            arms.push(Vec::new());
        }
        out.push(Stmt::Branch { conds, arms });
    }

    fn loop_else(&mut self, n: Node<'t>, class: Option<&str>, out: &mut Block) {
        if let Some(alt) = field(n, "alternative") {
            let body = self.block(field(alt, "body"), class);
            out.push(Stmt::Block(body));
        }
    }

    fn for_stmt(&mut self, n: Node<'t>, class: Option<&str>, out: &mut Block) {
        let target = field(n, "left").map(|l| self.target(l));
        let iter = field(n, "right").map(|r| self.expr(r));
        let body = self.block(field(n, "body"), class);
        out.push(Stmt::Loop { target, iter, body });
        self.loop_else(n, class, out);
    }

    fn while_stmt(&mut self, n: Node<'t>, class: Option<&str>, out: &mut Block) {
        let iter = field(n, "condition").map(|c| self.expr(c));
        let body = self.block(field(n, "body"), class);
        out.push(Stmt::Loop {
            target: None,
            iter,
            body,
        });
        self.loop_else(n, class, out);
    }

    fn with_stmt(&mut self, n: Node<'t>, class: Option<&str>, out: &mut Block) {
        let mut items = Vec::new();
        for clause in kids(n).into_iter().filter(|k| k.kind() == "with_clause") {
            for item in kids(clause) {
                let Some(v) = field(item, "value").or_else(|| kids(item).first().copied()) else {
                    continue;
                };
                items.push(self.with_item(v));
            }
        }
        let body = self.block(field(n, "body"), class);
        out.push(Stmt::With { items, body });
    }

    /// `open(p) as f` (an `as_pattern`) or a bare context expression.
    fn with_item(&mut self, v: Node<'t>) -> (Expr, Option<Target>) {
        if v.kind() != "as_pattern" {
            return (self.expr(v), None);
        }
        let alias = field(v, "alias");
        let value = kids(v)
            .into_iter()
            .find(|k| Some(k.id()) != alias.map(|a| a.id()));
        let value = match value {
            Some(x) => self.expr(x),
            None => other(span_of(&v)),
        };
        let target = alias.map(|a| self.target(a));
        (value, target)
    }

    fn try_stmt(&mut self, n: Node<'t>, class: Option<&str>, out: &mut Block) {
        let body = self.block(field(n, "body"), class);
        out.push(Stmt::Block(body));
        let mut arms = Vec::new();
        let mut else_body = None;
        let mut finally = None;
        for k in kids(n) {
            match k.kind() {
                "except_clause" | "except_group_clause" => {
                    let block = kids(k).into_iter().rfind(|c| c.kind() == "block");
                    arms.push(self.block(block, class));
                }
                "else_clause" => else_body = Some(self.block(field(k, "body"), class)),
                "finally_clause" => {
                    let block = kids(k).into_iter().find(|c| c.kind() == "block");
                    finally = Some(self.block(block, class));
                }
                _ => {}
            }
        }
        if !arms.is_empty() || else_body.is_some() {
            arms.push(else_body.unwrap_or_default());
            out.push(Stmt::Branch {
                conds: Vec::new(),
                arms,
            });
        }
        if let Some(f) = finally {
            out.push(Stmt::Block(f));
        }
    }

    fn match_stmt(&mut self, n: Node<'t>, class: Option<&str>, out: &mut Block) {
        let mut conds: Vec<Expr> = fields(n, "subject")
            .into_iter()
            .map(|s| self.expr(s))
            .collect();
        let mut arms = Vec::new();
        if let Some(body) = field(n, "body") {
            for case in kids(body).into_iter().filter(|k| k.kind() == "case_clause") {
                if let Some(g) = field(case, "guard") {
                    if let Some(e) = kids(g).first() {
                        conds.push(self.expr(*e));
                    }
                }
                arms.push(self.block(field(case, "consequence"), class));
            }
        }
        out.push(Stmt::Branch { conds, arms });
    }

    fn decorated(&mut self, n: Node<'t>, class: Option<&str>, out: &mut Block) {
        let mut is_static = false;
        let mut route = None;
        for d in kids(n).into_iter().filter(|k| k.kind() == "decorator") {
            if let Some(e) = kids(d).first() {
                if self.text(*e) == "staticmethod" {
                    is_static = true;
                }
                let e = self.expr(*e);
                if let ExprKind::Call(c) = &e.kind {
                    if let Some(ExprKind::Str(r)) = c.args.first().map(|a| &a.value.kind) {
                        if r.starts_with('/') && route.is_none() {
                            route = Some(r.clone());
                        }
                    }
                }
                out.push(Stmt::Expr(e));
            }
        }
        let Some(def) = field(n, "definition") else {
            return;
        };
        match def.kind() {
            "function_definition" => self.queue.push_back(PendingFn {
                node: def,
                owner: class.map(str::to_string),
                method: class.is_some() && !is_static,
                route,
                annotations: kids(n)
                    .into_iter()
                    .filter(|k| k.kind() == "decorator")
                    .filter_map(|d| kids(d).first().map(|e| annotation(*e, self.src)))
                    .collect(),
            }),
            "class_definition" => {
                let at = self.types.len();
                self.class_def(def, out);
                if let Some(t) = self.types.get_mut(at) {
                    t.annotations = kids(n)
                        .into_iter()
                        .filter(|k| k.kind() == "decorator")
                        .filter_map(|d| kids(d).first().map(|e| annotation(*e, self.src)))
                        .collect();
                }
            }
            _ => self.stmt(def, class, out),
        }
    }

    /// Records the class in `types` and lowers its body in place (methods are queued).
    fn class_def(&mut self, n: Node<'t>, out: &mut Block) {
        let name = field(n, "name")
            .map(|x| self.text(x).to_string())
            .unwrap_or_default();
        let bases = field(n, "superclasses")
            .map(|s| {
                kids(s)
                    .into_iter()
                    .filter(|b| b.kind() != "keyword_argument" && b.kind() != "dictionary_splat")
                    .map(|b| type_text(b, self.src))
                    .collect()
            })
            .unwrap_or_default();
        let body = field(n, "body");
        let fields = body.map(|b| class_fields(b, self.src)).unwrap_or_default();
        self.types.push(TypeDecl {
            name: name.clone(),
            bases,
            fields,
            span: span_of(&n),
            constants: body
                .map(|b| class_constants(b, self.src))
                .unwrap_or_default(),
            ..Default::default()
        });
        if let Some(b) = body {
            for k in kids(b) {
                self.stmt(k, Some(&name), out);
            }
        }
    }

    fn import_stmt(&mut self, n: Node<'t>) {
        for name in fields(n, "name") {
            let span = span_of(&name);
            match name.kind() {
                "aliased_import" => {
                    let path = field(name, "name")
                        .map(|p| dotted_text(p, self.src))
                        .unwrap_or_default();
                    let alias = field(name, "alias")
                        .map(|a| self.text(a).to_string())
                        .unwrap_or_else(|| path.clone());
                    self.imports.push(Import { path, alias, span });
                }
                _ => {
                    let path = dotted_text(name, self.src);
                    if path.is_empty() {
                        continue;
                    }
                    if let Some((head, _)) = path.split_once('.') {
                        self.imports.push(Import {
                            path: head.to_string(),
                            alias: head.to_string(),
                            span,
                        });
                    }
                    self.imports.push(Import {
                        path: path.clone(),
                        alias: path,
                        span,
                    });
                }
            }
        }
    }

    fn import_from(&mut self, n: Node<'t>) {
        let module = if n.kind() == "future_import_statement" {
            "__future__".to_string()
        } else {
            field(n, "module_name")
                .map(|m| dotted_text(m, self.src))
                .unwrap_or_default()
        };
        let join = |name: &str| {
            if module.is_empty() || module.ends_with('.') {
                format!("{module}{name}")
            } else {
                format!("{module}.{name}")
            }
        };
        for name in fields(n, "name") {
            let span = span_of(&name);
            let (path, alias) = match name.kind() {
                "aliased_import" => {
                    let p = field(name, "name")
                        .map(|p| dotted_text(p, self.src))
                        .unwrap_or_default();
                    let a = field(name, "alias")
                        .map(|a| self.text(a).to_string())
                        .unwrap_or_else(|| p.clone());
                    (join(&p), a)
                }
                _ => {
                    let p = dotted_text(name, self.src);
                    (join(&p), p)
                }
            };
            self.imports.push(Import { path, alias, span });
        }
        for w in kids(n)
            .into_iter()
            .filter(|k| k.kind() == "wildcard_import")
        {
            self.imports.push(Import {
                path: join("*"),
                alias: "*".to_string(),
                span: span_of(&w),
            });
        }
    }

    // -----------------------------------------------------------------------------------------
    // Parameters and targets
    // -----------------------------------------------------------------------------------------

    fn params(&mut self, n: Option<Node<'t>>, method: bool) -> Vec<Param> {
        let mut out: Vec<Param> = Vec::new();
        let Some(n) = n else {
            return out;
        };
        for p in kids(n) {
            let span = span_of(&p);
            let (name, ty, default, kind) = match p.kind() {
                "identifier" | "tuple_pattern" => {
                    (self.text(p).to_string(), None, None, ParamKind::Normal)
                }
                "list_splat_pattern" | "dictionary_splat_pattern" => {
                    let (name, kind) = self.splat_param(p);
                    (name, None, None, kind)
                }
                "typed_parameter" => {
                    let ty = field(p, "type").map(|t| type_text(t, self.src));
                    let inner = kids(p).into_iter().find(|k| k.kind() != "type");
                    let (name, kind) = match inner {
                        Some(i) => self.splat_param(i),
                        None => (String::new(), ParamKind::Normal),
                    };
                    (name, ty, None, kind)
                }
                "default_parameter" | "typed_default_parameter" => {
                    let name = field(p, "name")
                        .map(|x| self.text(x).to_string())
                        .unwrap_or_default();
                    let ty = field(p, "type").map(|t| type_text(t, self.src));
                    let default = field(p, "value").map(|v| self.expr(v));
                    (name, ty, default, ParamKind::Normal)
                }
                _ => continue,
            };
            let kind = if method
                && out.is_empty()
                && kind == ParamKind::Normal
                && (name == "self" || name == "cls")
            {
                ParamKind::SelfParam
            } else {
                kind
            };
            out.push(Param {
                name,
                ty,
                default,
                kind,
                span,
            });
        }
        out
    }

    /// Name and kind of `x`, `*x` or `**x`.
    fn splat_param(&self, p: Node<'t>) -> (String, ParamKind) {
        let inner_name = |n: Node<'t>| {
            kids(n)
                .first()
                .map(|i| self.text(*i).to_string())
                .unwrap_or_default()
        };
        match p.kind() {
            "list_splat_pattern" => (inner_name(p), ParamKind::VarArgs),
            "dictionary_splat_pattern" => (inner_name(p), ParamKind::KwArgs),
            _ => (self.text(p).to_string(), ParamKind::Normal),
        }
    }

    fn target(&mut self, n: Node<'t>) -> Target {
        if self.too_deep() {
            return Target::Ignore;
        }
        self.depth += 1;
        let t = self.target_inner(n);
        self.depth -= 1;
        t
    }

    fn target_inner(&mut self, n: Node<'t>) -> Target {
        let span = span_of(&n);
        match n.kind() {
            "identifier" => match self.text(n) {
                "_" | "" => Target::Ignore,
                name => Target::Name(name.to_string(), span),
            },
            "attribute" => match (field(n, "object"), field(n, "attribute")) {
                (Some(o), Some(a)) => Target::Attr {
                    obj: self.expr(o),
                    attr: self.text(a).to_string(),
                    span,
                },
                _ => Target::Ignore,
            },
            "subscript" => match field(n, "value") {
                Some(v) => Target::Index {
                    obj: self.expr(v),
                    index: self.subscript_index(n),
                    span,
                },
                None => Target::Ignore,
            },
            "pattern_list" | "tuple_pattern" | "list_pattern" | "tuple" | "list"
            | "expression_list" => {
                Target::Tuple(kids(n).into_iter().map(|k| self.target(k)).collect())
            }
            "list_splat_pattern" | "list_splat" => match kids(n).first() {
                Some(k) => Target::Starred(Box::new(self.target(*k))),
                None => Target::Ignore,
            },
            "parenthesized_expression" | "as_pattern_target" | "case_pattern" => {
                match kids(n).as_slice() {
                    [k] => self.target(*k),
                    _ => Target::Ignore,
                }
            }
            _ => Target::Ignore,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Expressions
    // -----------------------------------------------------------------------------------------

    fn expr(&mut self, n: Node<'t>) -> Expr {
        if self.too_deep() {
            return flat(n, self.src);
        }
        self.depth += 1;
        let kind = self.expr_kind(n);
        self.depth -= 1;
        Expr::new(kind, span_of(&n))
    }

    fn boxed(&mut self, n: Option<Node<'t>>, parent: Node<'t>) -> Box<Expr> {
        Box::new(match n {
            Some(n) => self.expr(n),
            None => other(span_of(&parent)),
        })
    }

    fn all(&mut self, nodes: Vec<Node<'t>>) -> Vec<Expr> {
        let mut out = Vec::with_capacity(nodes.len());
        for k in nodes {
            out.push(self.expr(k));
        }
        out
    }

    fn opt_expr(&mut self, n: Option<Node<'t>>, parent: Node<'t>) -> Expr {
        match n {
            Some(n) => self.expr(n),
            None => other(span_of(&parent)),
        }
    }

    /// Picks the lowering function for `n`'s kind; a table of functions keeps the recursive
    /// path's stack frames small.
    fn expr_kind(&mut self, n: Node<'t>) -> ExprKind {
        type Lower<'t, 's> = fn(&mut Lowerer<'t, 's>, Node<'t>) -> ExprKind;
        let f: Lower<'t, 's> = match n.kind() {
            "identifier" => Self::name,
            "integer" | "float" | "true" | "false" | "none" | "ellipsis" => Self::constant,
            "attribute" => Self::attribute,
            "subscript" => Self::subscript,
            "call" => Self::call,
            "string" => Self::string,
            "concatenated_string" => Self::concatenated,
            "list" | "tuple" | "set" | "expression_list" | "pattern_list" | "tuple_pattern"
            | "list_pattern" => Self::collection,
            "dictionary" => Self::dictionary,
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => Self::comprehension,
            "binary_operator" => Self::arith,
            "boolean_operator" => Self::logic,
            "comparison_operator" => Self::comparison,
            "not_operator" => Self::not,
            "unary_operator" => Self::unary,
            "conditional_expression" => Self::conditional,
            "lambda" => Self::lambda,
            "named_expression" => Self::walrus,
            "yield" => Self::yield_expr,
            "parenthesized_expression"
            | "await"
            | "list_splat"
            | "dictionary_splat"
            | "parenthesized_list_splat" => Self::wrap,
            _ => Self::other_kind,
        };
        f(self, n)
    }

    fn name(&mut self, n: Node<'t>) -> ExprKind {
        ExprKind::Name(self.text(n).to_string())
    }

    fn constant(&mut self, n: Node<'t>) -> ExprKind {
        ExprKind::Const(self.text(n).to_string())
    }

    fn collection(&mut self, n: Node<'t>) -> ExprKind {
        ExprKind::Collection(self.all(kids(n)))
    }

    fn other_kind(&mut self, n: Node<'t>) -> ExprKind {
        ExprKind::Other(self.all(kids(n)))
    }

    fn arith(&mut self, n: Node<'t>) -> ExprKind {
        self.binary(n, BinOp::Arith)
    }

    fn logic(&mut self, n: Node<'t>) -> ExprKind {
        self.binary(n, BinOp::Logic)
    }

    fn not(&mut self, n: Node<'t>) -> ExprKind {
        ExprKind::Unary {
            negates_to_bool: true,
            operand: self.boxed(field(n, "argument"), n),
        }
    }

    fn unary(&mut self, n: Node<'t>) -> ExprKind {
        ExprKind::Unary {
            negates_to_bool: false,
            operand: self.boxed(field(n, "argument"), n),
        }
    }

    fn wrap(&mut self, n: Node<'t>) -> ExprKind {
        match kids(n).as_slice() {
            [k] => ExprKind::Wrap(Box::new(self.expr(*k))),
            ks => ExprKind::Other(self.all(ks.to_vec())),
        }
    }

    fn attribute(&mut self, n: Node<'t>) -> ExprKind {
        match (field(n, "object"), field(n, "attribute")) {
            (Some(o), Some(a)) => ExprKind::Attr {
                obj: Box::new(self.expr(o)),
                attr: self.text(a).to_string(),
            },
            _ => ExprKind::Other(self.all(kids(n))),
        }
    }

    fn subscript(&mut self, n: Node<'t>) -> ExprKind {
        let obj = self.boxed(field(n, "value"), n);
        let index = Box::new(self.subscript_index(n));
        ExprKind::Index { obj, index }
    }

    /// The index of a subscript: one expression, a `Collection` for `a[i, j]`, `Other` for slices.
    fn subscript_index(&mut self, n: Node<'t>) -> Expr {
        let subs = fields(n, "subscript");
        match subs.as_slice() {
            [s] => self.expr(*s),
            _ => Expr::new(ExprKind::Collection(self.all(subs)), span_of(&n)),
        }
    }

    fn call(&mut self, n: Node<'t>) -> ExprKind {
        let callee = self.opt_expr(field(n, "function"), n);
        let mut args = match field(n, "arguments") {
            Some(a) if a.kind() == "generator_expression" => vec![Arg {
                name: None,
                value: self.expr(a),
                kind: ArgKind::Positional,
            }],
            Some(a) => {
                let ks = kids(a);
                let mut args = Vec::with_capacity(ks.len());
                for k in ks {
                    args.push(self.arg(k));
                }
                args
            }
            None => Vec::new(),
        };
        // `getattr(medication, "PrescriptionListId", None)` reads that attribute.
        if matches!(&callee.kind, ExprKind::Name(f) if f == "getattr")
            && (2..=3).contains(&args.len())
            && args.iter().all(|a| a.kind == ArgKind::Positional)
        {
            if let ExprKind::Str(attr) = &args[1].value.kind {
                if !attr.is_empty() && attr.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    let attr = attr.clone();
                    let obj = args.swap_remove(0).value;
                    return ExprKind::Attr {
                        obj: Box::new(obj),
                        attr,
                    };
                }
            }
        }
        ExprKind::Call(Box::new(Call::new(callee, args)))
    }

    fn arg(&mut self, a: Node<'t>) -> Arg {
        let (name, kind, value) = match a.kind() {
            "keyword_argument" => (
                field(a, "name").map(|x| self.text(x).to_string()),
                ArgKind::Keyword,
                field(a, "value"),
            ),
            "list_splat" => (None, ArgKind::Splat, kids(a).first().copied()),
            "dictionary_splat" => (None, ArgKind::KwSplat, kids(a).first().copied()),
            _ => (None, ArgKind::Positional, Some(a)),
        };
        let value = self.opt_expr(value, a);
        Arg { name, value, kind }
    }

    fn string(&mut self, n: Node<'t>) -> ExprKind {
        let mut literal = String::new();
        let mut parts = Vec::new();
        let templated = self.string_into(n, &mut literal, &mut parts);
        if templated {
            ExprKind::Template {
                literal,
                parts,
                opens_with_text: opens_with_text(n),
            }
        } else {
            ExprKind::Str(literal)
        }
    }

    fn concatenated(&mut self, n: Node<'t>) -> ExprKind {
        let mut literal = String::new();
        let mut parts = Vec::new();
        let mut templated = false;
        for s in kids(n).into_iter().filter(|k| k.kind() == "string") {
            templated |= self.string_into(s, &mut literal, &mut parts);
        }
        // The first string with content decides.
        let opens = kids(n)
            .into_iter()
            .filter(|k| k.kind() == "string")
            .find(|s| {
                kids(*s).iter().any(|k| {
                    matches!(k.kind(), "string_content" | "interpolation" | "escape_sequence")
                })
            })
            .is_some_and(opens_with_text);
        if templated {
            ExprKind::Template {
                literal,
                parts,
                opens_with_text: opens,
            }
        } else {
            ExprKind::Str(literal)
        }
    }

    /// Appends a string's static text and interpolated expressions; true if it had placeholders.
    fn string_into(&mut self, n: Node<'t>, literal: &mut String, parts: &mut Vec<Expr>) -> bool {
        let (text, interps) = string_pieces(n, self.src);
        literal.push_str(&text);
        for i in &interps {
            if let Some(e) = field(*i, "expression") {
                parts.push(self.expr(e));
            }
            if let Some(spec) = field(*i, "format_specifier") {
                for fe in kids(spec) {
                    if let Some(e) = field(fe, "expression") {
                        parts.push(self.expr(e));
                    }
                }
            }
        }
        !interps.is_empty()
    }

    fn dictionary(&mut self, n: Node<'t>) -> ExprKind {
        let mut entries = Vec::new();
        for k in kids(n) {
            match k.kind() {
                "pair" => {
                    let key = self.opt_expr(field(k, "key"), k);
                    let value = self.opt_expr(field(k, "value"), k);
                    entries.push((Some(key), value));
                }
                "dictionary_splat" => {
                    let value = self.opt_expr(kids(k).first().copied(), k);
                    entries.push((None, value));
                }
                _ => entries.push((None, self.expr(k))),
            }
        }
        ExprKind::Dict(entries)
    }

    fn comprehension(&mut self, n: Node<'t>) -> ExprKind {
        let element = match field(n, "body") {
            Some(b) if b.kind() == "pair" => {
                let key = self.opt_expr(field(b, "key"), b);
                let value = self.opt_expr(field(b, "value"), b);
                Expr::new(ExprKind::Collection(vec![key, value]), span_of(&b))
            }
            b => self.opt_expr(b, n),
        };
        let mut generators = Vec::new();
        let mut conds = Vec::new();
        for k in kids(n) {
            match k.kind() {
                "for_in_clause" => {
                    let target = match field(k, "left") {
                        Some(l) => self.target(l),
                        None => Target::Ignore,
                    };
                    let rights = fields(k, "right");
                    let iter = match rights.as_slice() {
                        [r] => self.expr(*r),
                        _ => Expr::new(ExprKind::Collection(self.all(rights)), span_of(&k)),
                    };
                    generators.push((target, iter));
                }
                "if_clause" => {
                    if let Some(c) = kids(k).first() {
                        conds.push(self.expr(*c));
                    }
                }
                _ => {}
            }
        }
        ExprKind::Comprehension {
            generators,
            conds,
            element: Box::new(element),
        }
    }

    fn binary(&mut self, n: Node<'t>, op: BinOp) -> ExprKind {
        ExprKind::Binary {
            op,
            left: self.boxed(field(n, "left"), n),
            right: self.boxed(field(n, "right"), n),
        }
    }

    /// `a < b < c`: the first operand against the rest (a flat `Other`), to stay shallow.
    fn comparison(&mut self, n: Node<'t>) -> ExprKind {
        let mut operands = self.all(kids(n)).into_iter();
        let span = span_of(&n);
        let left = operands.next().unwrap_or_else(|| other(span));
        let rest: Vec<Expr> = operands.collect();
        let cmp = match rest.len() {
            1 => field(n, "operators").map_or(Cmp::Other, |o| Cmp::from_op(self.text(o))),
            _ => Cmp::Other,
        };
        let right = match rest.len() {
            1 => rest.into_iter().next().unwrap_or_else(|| other(span)),
            _ => Expr::new(ExprKind::Other(rest), span),
        };
        ExprKind::Binary {
            op: BinOp::Compare(cmp),
            left: Box::new(left),
            right: Box::new(right),
        }
    }

    /// `a if c else b` → `Branch { conds: [c], arms: [a, b] }`.
    fn conditional(&mut self, n: Node<'t>) -> ExprKind {
        let ks = kids(n);
        match ks.as_slice() {
            [a, c, b] => {
                let a = self.expr(*a);
                let c = self.expr(*c);
                let b = self.expr(*b);
                ExprKind::Branch {
                    conds: vec![c],
                    arms: vec![a, b],
                }
            }
            _ => ExprKind::Other(self.all(ks)),
        }
    }

    fn lambda(&mut self, n: Node<'t>) -> ExprKind {
        let params = self.params(field(n, "parameters"), false);
        let body = match field(n, "body") {
            Some(b) => {
                let e = self.expr(b);
                let span = e.span;
                vec![Stmt::Return(Some(e), span)]
            }
            None => Vec::new(),
        };
        ExprKind::Lambda { params, body }
    }

    fn walrus(&mut self, n: Node<'t>) -> ExprKind {
        let target = match field(n, "name") {
            Some(t) => self.target(t),
            None => Target::Ignore,
        };
        ExprKind::AssignExpr {
            target: Box::new(target),
            value: self.boxed(field(n, "value"), n),
        }
    }

    /// `yield x` passes `x` through and records it as a returned value.
    fn yield_expr(&mut self, n: Node<'t>) -> ExprKind {
        let inner = match kids(n).first() {
            Some(k) => self.expr(*k),
            None => Expr::new(ExprKind::Const("None".to_string()), span_of(&n)),
        };
        self.yields.push(inner.clone());
        ExprKind::Wrap(Box::new(inner))
    }
}

// ---------------------------------------------------------------------------------------------
// Class fields
// ---------------------------------------------------------------------------------------------

/// The simple name of a decorator (`dataclass`, `dataclasses.dataclass(frozen=True)` →
/// `dataclass`).
fn decorator_name(e: Node, src: &str) -> String {
    let callee = if e.kind() == "call" {
        field(e, "function").unwrap_or(e)
    } else {
        e
    };
    text(callee, src).rsplit('.').next().unwrap_or("").to_string()
}

/// A decorator, or the call that initialises a class-level field (`Column("dx_code",
/// String)`), with its literal string arguments.
fn annotation(e: Node, src: &str) -> Annotation {
    let mut a = Annotation {
        name: decorator_name(e, src),
        args: Vec::new(),
    };
    let Some(args) = field(e, "arguments").filter(|_| e.kind() == "call") else {
        return a;
    };
    let mut position = 0;
    for k in kids(args) {
        if k.kind() == "keyword_argument" {
            let key = field(k, "name").map(|n| text(n, src));
            // A string, or a plain name or path (`sender=LabResult`).
            let value = field(k, "value").and_then(|v| match v.kind() {
                "identifier" | "attribute" => Some(text(v, src).to_string()),
                _ => string_text(v, src),
            });
            if let (Some(key), Some(v)) = (key, value) {
                a.args.push(AnnotationArg::keyed(key, v));
            }
        } else if !matches!(k.kind(), "list_splat" | "dictionary_splat") {
            if let Some(v) = string_text(k, src) {
                a.args.push(AnnotationArg::positional(position, v));
            } else if matches!(k.kind(), "identifier" | "attribute") {
                a.args
                    .push(AnnotationArg::positional_name(position, text(k, src).to_string()));
            }
            position += 1;
        }
    }
    a
}

/// Class-level string constants (`__tablename__ = "patients"`) and class names
/// (`model = Patient`), and those of nested classes by dotted name (Django's
/// `class Meta: db_table = "patients"` → `Meta.db_table`).
fn class_constants(body: Node, src: &str) -> Vec<(String, String)> {
    let assigned = |block: Node, prefix: &str, out: &mut Vec<(String, String)>| {
        for a in kids(block)
            .into_iter()
            .filter(|k| k.kind() == "expression_statement")
            .flat_map(kids)
            .filter(|a| a.kind() == "assignment")
        {
            let left = field(a, "left").filter(|l| l.kind() == "identifier");
            // A string, or a class named by the class (`model = Patient`,
            // `serializer_class = PatientSerializer`).
            let value = field(a, "right").and_then(|r| {
                string_text(r, src).or_else(|| {
                    let t = text(r, src);
                    let last = t.rsplit('.').next().unwrap_or(t);
                    let class = matches!(r.kind(), "identifier" | "attribute")
                        && last.starts_with(|c: char| c.is_ascii_uppercase())
                        && last.chars().any(|c| c.is_ascii_lowercase());
                    class.then(|| last.to_string())
                })
            });
            if let (Some(l), Some(v)) = (left, value) {
                out.push((format!("{prefix}{}", text(l, src)), v));
            }
        }
    };
    let mut out = Vec::new();
    assigned(body, "", &mut out);
    for c in kids(body)
        .into_iter()
        .filter(|k| k.kind() == "class_definition")
    {
        if let (Some(n), Some(b)) = (field(c, "name"), field(c, "body")) {
            assigned(b, &format!("{}.", text(n, src)), &mut out);
        }
    }
    out
}

/// The text of a plain string literal (no interpolation).
fn string_text(n: Node, src: &str) -> Option<String> {
    if n.kind() != "string" {
        return None;
    }
    let mut out = String::new();
    for k in kids(n) {
        match k.kind() {
            "string_content" => out.push_str(text(k, src)),
            "string_start" | "string_end" => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Annotated and assigned class-level names, and `self.x = ...` in `__init__`.
fn class_fields(body: Node, src: &str) -> Vec<FieldDecl> {
    let mut out: Vec<FieldDecl> = Vec::new();
    let push = |out: &mut Vec<FieldDecl>, name: &str, ty: Option<String>, span: Span| {
        if !name.is_empty() && !out.iter().any(|f| f.name == name) {
            out.push(FieldDecl {
                name: name.to_string(),
                ty,
                span,
                ..Default::default()
            });
        }
    };
    for stmt in kids(body) {
        match stmt.kind() {
            "expression_statement" => {
                for a in kids(stmt).into_iter().filter(|k| k.kind() == "assignment") {
                    let ty = field(a, "type").map(|t| type_text(t, src));
                    let mut cur = Some(a);
                    while let Some(c) = cur {
                        if let Some(l) = field(c, "left").filter(|l| l.kind() == "identifier") {
                            push(&mut out, text(l, src), ty.clone(), span_of(&l));
                            // The mapping call (`Column("dx_code", String)`) as the field's
                            // annotation.
                            let call = field(c, "right").filter(|r| r.kind() == "call");
                            if let (Some(f), Some(call)) = (out.last_mut(), call) {
                                if f.name == text(l, src) && f.annotations.is_empty() {
                                    f.annotations.push(annotation(call, src));
                                }
                            }
                        }
                        cur = field(c, "right").filter(|r| r.kind() == "assignment");
                    }
                }
            }
            "function_definition" | "decorated_definition" => {
                let def = if stmt.kind() == "decorated_definition" {
                    field(stmt, "definition")
                } else {
                    Some(stmt)
                };
                let Some(def) = def.filter(|d| d.kind() == "function_definition") else {
                    continue;
                };
                if field(def, "name").map(|n| text(n, src)) != Some("__init__") {
                    continue;
                }
                for (name, ty, span) in init_fields(def, src) {
                    push(&mut out, &name, ty, span);
                }
            }
            _ => {}
        }
    }
    out
}

/// `self.x = ...` / `self.x: T = ...` anywhere in an `__init__` (not in nested defs), iteratively.
fn init_fields(def: Node, src: &str) -> Vec<(String, Option<String>, Span)> {
    let self_name = field(def, "parameters")
        .and_then(|p| kids(p).into_iter().next())
        .map(|p| text(p, src).to_string())
        .unwrap_or_else(|| "self".to_string());
    let mut out = Vec::new();
    let Some(body) = field(def, "body") else {
        return out;
    };
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "class_definition" | "lambda" => continue,
            "assignment" => {
                let ty = field(n, "type").map(|t| type_text(t, src));
                if let Some(l) = field(n, "left") {
                    let targets = match l.kind() {
                        "pattern_list" | "tuple_pattern" | "list_pattern" => kids(l),
                        _ => vec![l],
                    };
                    for t in targets.into_iter().filter(|t| t.kind() == "attribute") {
                        let obj = field(t, "object").filter(|o| o.kind() == "identifier");
                        let attr = field(t, "attribute");
                        if let (Some(o), Some(a)) = (obj, attr) {
                            if text(o, src) == self_name {
                                out.push((text(a, src).to_string(), ty.clone(), span_of(&a)));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        let mut ks = kids(n);
        ks.reverse();
        stack.extend(ks);
    }
    out
}

mod encoding;
mod manifest;
mod notebook;

/// The Python adapter.
pub struct Python;

impl super::Language for Python {
    fn name(&self) -> &'static str {
        "python"
    }

    fn display_names(&self) -> &'static [&'static str] {
        &["Python"]
    }

    fn dialects(&self) -> &'static [super::Dialect] {
        &[
            super::Dialect {
                extensions: &["py", "pyi", "pyw"],
                grammar: || tree_sitter_python::LANGUAGE.into(),
                extract: None,
            },
            super::Dialect {
                extensions: &["ipynb"],
                grammar: || tree_sitter_python::LANGUAGE.into(),
                extract: Some(notebook::extract),
            },
        ]
    }

    fn patterns(&self) -> &'static str {
        include_str!("../../patterns/python.toml")
    }

    fn lower(&self, tree: &tree_sitter::Tree, source: &str) -> Module {
        lower(tree, source)
    }

    fn module_names(&self, dirs: Vec<&str>, stem: &str) -> Vec<String> {
        super::toolkit::suffix_module_names(dirs, stem, "__init__")
    }

    fn absolute_import(&self, path: &str, primary: &str, is_package: bool) -> String {
        super::toolkit::dotted_relative_import(path, primary, is_package)
    }

    fn is_package_file(&self, rel: &str) -> bool {
        rel.ends_with("__init__.py")
    }

    fn imports_from_own_package(&self) -> bool {
        true
    }

    fn reexports_from_packages(&self) -> bool {
        true
    }
    fn fragment_wrapper(&self) -> (&'static str, &'static str) {
        ("", "\n")
    }

    fn may_extend(&self, src: &str, name: &str) -> bool {
        src.contains(&format!("({name}")) || src.contains(&format!(", {name})"))
    }

    fn token_kinds(&self) -> (&'static [&'static str], &'static str) {
        (&["string"], "parenthesized_expression")
    }

    fn decode_legacy(&self, bytes: &[u8]) -> Option<String> {
        encoding::decode_latin1(bytes)
    }

    fn is_manifest(&self, file_name: &str) -> bool {
        manifest::is_manifest(file_name)
    }

    fn manifest_packages(&self, file_name: &str, text: &str) -> Vec<String> {
        manifest::packages(file_name, text)
    }

    fn default_import_name(&self, package: &str) -> String {
        package.to_ascii_lowercase().replace('-', "_")
    }

    fn is_import_at(&self, head: &str, _after: &str) -> bool {
        head == "import" || head == "from" || head.starts_with("import ")
    }
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use crate::model::*;

    fn lower(src: &str) -> Module {
        Lang::by_name("python")
            .expect("registered")
            .lower(src)
            .expect("python grammar loads")
    }

    use crate::model::testing::all_exprs;

    fn calls(m: &Module) -> Vec<(String, &Call)> {
        all_exprs(m)
            .into_iter()
            .filter_map(|e| match &e.kind {
                ExprKind::Call(c) => Some((c.callee.dotted().unwrap_or_default(), &**c)),
                _ => None,
            })
            .collect()
    }

    fn call<'a>(m: &'a Module, callee: &str) -> &'a Call {
        calls(m)
            .into_iter()
            .find(|(n, _)| n == callee)
            .map(|(_, c)| c)
            .unwrap_or_else(|| panic!("no call to {callee}"))
    }

    fn names(m: &Module) -> Vec<String> {
        all_exprs(m)
            .into_iter()
            .filter_map(|e| match &e.kind {
                ExprKind::Name(n) => Some(n.clone()),
                _ => None,
            })
            .collect()
    }

    fn body(m: &Module) -> &Block {
        &m.functions[0].body
    }

    fn name_of(e: &Expr) -> &str {
        match &e.kind {
            ExprKind::Name(n) => n,
            other => panic!("not a name: {other:?}"),
        }
    }

    fn func<'a>(m: &'a Module, name: &str) -> &'a Function {
        m.functions
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no function {name}"))
    }

    fn imports(src: &str) -> Vec<(String, String)> {
        lower(src)
            .imports
            .into_iter()
            .map(|i| (i.path, i.alias))
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn imports_variants() {
        assert_eq!(imports("import os"), pairs(&[("os", "os")]));
        assert_eq!(imports("import a.b"), pairs(&[("a", "a"), ("a.b", "a.b")]));
        assert_eq!(
            imports("import a.b as c, d"),
            pairs(&[("a.b", "c"), ("d", "d")])
        );
        assert_eq!(
            imports("from a.b import c as d, e"),
            pairs(&[("a.b.c", "d"), ("a.b.e", "e")])
        );
        assert_eq!(imports("from . import x"), pairs(&[(".x", "x")]));
        assert_eq!(
            imports("from ..pkg.mod import (f,\n  g as h)"),
            pairs(&[("..pkg.mod.f", "f"), ("..pkg.mod.g", "h")])
        );
        assert_eq!(imports("from .x import f"), pairs(&[(".x.f", "f")]));
        assert_eq!(imports("from x import *"), pairs(&[("x.*", "*")]));
        assert_eq!(
            imports("from __future__ import annotations"),
            pairs(&[("__future__.annotations", "annotations")])
        );
        let m = lower("def f():\n    import openai\n    from x import y\n");
        assert_eq!(m.imports.len(), 2);
        assert_eq!(m.imports[0].span.start_line, 2);
        assert!(m.functions[1].body.is_empty());
    }

    #[test]
    fn fstrings_and_strings() {
        let m = lower("url = f\"https://api.x.com/{pid}/v?q={q!r:>{w}}&{{raw}}\"\n");
        let Stmt::Assign { value, .. } = &body(&m)[0] else {
            panic!()
        };
        let ExprKind::Template { literal, parts, .. } = &value.kind else {
            panic!("{value:?}")
        };
        assert_eq!(literal, "https://api.x.com//v?q=&{raw}");
        let ps: Vec<&str> = parts.iter().map(name_of).collect();
        assert_eq!(ps, ["pid", "q", "w"]);
        assert_eq!(m.literals[0].value, "https://api.x.com//v?q=&{raw}");

        let m = lower("s = 'a\\n' \"b\" r'\\n' b'\\x41'\nt = f'x' f'{y}'\n");
        let Stmt::Assign { value, .. } = &body(&m)[0] else {
            panic!()
        };
        assert!(matches!(&value.kind, ExprKind::Str(s) if s == "a\nb\\nA"));
        let Stmt::Assign { value, .. } = &body(&m)[1] else {
            panic!()
        };
        assert!(
            matches!(&value.kind, ExprKind::Template { literal, parts, .. } if literal == "x" && parts.len() == 1)
        );
        let m = lower("x = \"a %s\" % name\ny = '{}'.format(a, b)\n");
        let Stmt::Assign { value, .. } = &body(&m)[0] else {
            panic!()
        };
        assert!(matches!(
            &value.kind,
            ExprKind::Binary {
                op: BinOp::Arith,
                ..
            }
        ));
        assert_eq!(call(&m, "").args.len(), 2);
    }

    #[test]
    fn literals_and_comments() {
        let m = lower("# top\nx = 1_000  # one\ny = 'abc'\nz = \"\"\"doc\"\"\"\n");
        let lits: Vec<(&str, LiteralKind)> = m
            .literals
            .iter()
            .map(|l| (l.value.as_str(), l.kind))
            .collect();
        assert_eq!(
            lits,
            [
                ("1000", LiteralKind::Int),
                ("abc", LiteralKind::Str),
                ("doc", LiteralKind::Str)
            ]
        );
        let cs: Vec<&str> = m.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(cs, ["# top", "# one"]);
        assert_eq!(m.comments[1].span.start_line, 2);
        assert_eq!(m.literals[0].span.start_col, 5);
    }

    #[test]
    fn collections() {
        let m = lower("d = {'a': x, **extra}\nl = [a, *rest]\nt = (1, b)\ns = {c}\n");
        let values: Vec<&Expr> = body(&m)
            .iter()
            .map(|s| match s {
                Stmt::Assign { value, .. } => value,
                _ => panic!(),
            })
            .collect();
        let ExprKind::Dict(kv) = &values[0].kind else {
            panic!()
        };
        assert!(matches!(&kv[0].0, Some(Expr { kind: ExprKind::Str(k), .. }) if k == "a"));
        assert_eq!(name_of(&kv[0].1), "x");
        assert!(kv[1].0.is_none());
        assert_eq!(name_of(&kv[1].1), "extra");
        let ExprKind::Collection(l) = &values[1].kind else {
            panic!()
        };
        assert!(matches!(&l[1].kind, ExprKind::Wrap(inner) if name_of(inner) == "rest"));
        assert!(matches!(&values[2].kind, ExprKind::Collection(v) if v.len() == 2));
        assert!(matches!(&values[3].kind, ExprKind::Collection(v) if v.len() == 1));
    }

    #[test]
    fn comprehensions() {
        let m = lower("r = [f(x) for x in xs if x.ok]\nd = {k: v for k, v in items}\ng = sum(y for y in ys)\n");
        let Stmt::Assign { value, .. } = &body(&m)[0] else {
            panic!()
        };
        let ExprKind::Comprehension {
            generators,
            conds,
            element,
        } = &value.kind
        else {
            panic!()
        };
        assert!(matches!(&generators[0].0, Target::Name(n, _) if n == "x"));
        assert_eq!(name_of(&generators[0].1), "xs");
        assert_eq!(conds.len(), 1);
        assert!(matches!(element.kind, ExprKind::Call(_)));
        let Stmt::Assign { value, .. } = &body(&m)[1] else {
            panic!()
        };
        let ExprKind::Comprehension {
            generators,
            element,
            ..
        } = &value.kind
        else {
            panic!()
        };
        assert!(matches!(&generators[0].0, Target::Tuple(t) if t.len() == 2));
        assert!(matches!(&element.kind, ExprKind::Collection(kv) if kv.len() == 2));
        let sum = call(&m, "sum");
        assert_eq!(sum.args.len(), 1);
        assert_eq!(sum.args[0].kind, ArgKind::Positional);
        assert!(matches!(
            sum.args[0].value.kind,
            ExprKind::Comprehension { .. }
        ));
    }

    #[test]
    fn call_arguments() {
        let m = lower("client.chat.completions.create(model, messages=msgs, *a, **kw)\n");
        let c = call(&m, "client.chat.completions.create");
        let kinds: Vec<ArgKind> = c.args.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            [
                ArgKind::Positional,
                ArgKind::Keyword,
                ArgKind::Splat,
                ArgKind::KwSplat
            ]
        );
        assert_eq!(c.args[1].name.as_deref(), Some("messages"));
        assert_eq!(name_of(&c.args[1].value), "msgs");
        assert_eq!(name_of(&c.args[2].value), "a");
        assert_eq!(name_of(&c.args[3].value), "kw");
    }

    #[test]
    fn with_open() {
        let m = lower("with open(path, 'w') as fh, lock:\n    fh.write(record)\n");
        let Stmt::With { items, body: b } = &body(&m)[0] else {
            panic!()
        };
        assert_eq!(items.len(), 2);
        assert!(
            matches!(&items[0].0.kind, ExprKind::Call(c) if c.callee.dotted().as_deref() == Some("open"))
        );
        assert!(matches!(&items[0].1, Some(Target::Name(n, _)) if n == "fh"));
        assert!(items[1].1.is_none());
        assert_eq!(b.len(), 1);
        assert_eq!(call(&m, "fh.write").args.len(), 1);
        let m = lower("async def f():\n    async with s.get(u) as r:\n        await r.json()\n");
        assert!(matches!(&func(&m, "f").body[0], Stmt::With { .. }));
        call(&m, "r.json");
    }

    #[test]
    fn try_except() {
        let m = lower(
            "try:\n    a()\nexcept ValueError as e:\n    b()\nexcept (X, Y):\n    c()\nfinally:\n    d()\n",
        );
        let b = body(&m);
        assert_eq!(b.len(), 3);
        assert!(matches!(&b[0], Stmt::Block(x) if x.len() == 1));
        let Stmt::Branch { conds, arms } = &b[1] else {
            panic!()
        };
        assert!(conds.is_empty());
        assert_eq!(arms.len(), 3);
        assert!(arms[2].is_empty());
        assert!(matches!(&b[2], Stmt::Block(x) if x.len() == 1));
        let m = lower("try:\n    a()\nexcept:\n    b()\nelse:\n    c()\n");
        let Stmt::Branch { arms, .. } = &body(&m)[1] else {
            panic!()
        };
        assert_eq!(arms.len(), 2);
        assert_eq!(arms[1].len(), 1);
    }

    #[test]
    fn if_elif_else() {
        let m = lower("if a:\n    x()\nelif b:\n    y()\nelse:\n    z()\nif c:\n    w()\n");
        let Stmt::Branch { conds, arms } = &body(&m)[0] else {
            panic!()
        };
        assert_eq!(conds.len(), 2);
        assert_eq!(arms.len(), 3);
        assert!(arms.iter().all(|a| a.len() == 1));
        let Stmt::Branch { conds, arms } = &body(&m)[1] else {
            panic!()
        };
        assert_eq!(conds.len(), 1);
        assert_eq!(arms.len(), 2);
        assert!(arms[1].is_empty());
    }

    #[test]
    fn loops_and_match() {
        let m = lower(
            "for k, *v in rows:\n    f(v)\nelse:\n    g()\nwhile ok():\n    h()\nmatch cmd:\n    case {'x': n} if n:\n        i(n)\n    case _:\n        j()\n",
        );
        let b = body(&m);
        let Stmt::Loop {
            target,
            iter,
            body: lb,
        } = &b[0]
        else {
            panic!()
        };
        let Some(Target::Tuple(t)) = target else {
            panic!()
        };
        assert!(
            matches!(&t[1], Target::Starred(s) if matches!(&**s, Target::Name(n, _) if n == "v"))
        );
        assert_eq!(name_of(iter.as_ref().unwrap()), "rows");
        assert_eq!(lb.len(), 1);
        assert!(matches!(&b[1], Stmt::Block(x) if x.len() == 1));
        assert!(matches!(
            &b[2],
            Stmt::Loop {
                target: None,
                iter: Some(_),
                ..
            }
        ));
        let Stmt::Branch { conds, arms } = &b[3] else {
            panic!()
        };
        assert_eq!(conds.len(), 2);
        assert_eq!(name_of(&conds[0]), "cmd");
        assert_eq!(arms.len(), 2);
    }

    #[test]
    fn assignments() {
        let m =
            lower("a = b = src()\nx: Patient = p\ncount += n\nself.name, data['k'] = v\ny: int\n");
        let b = body(&m);
        assert_eq!(b.len(), 4);
        let Stmt::Assign {
            targets, augmented, ..
        } = &b[0]
        else {
            panic!()
        };
        assert_eq!(targets.len(), 2);
        assert!(!augmented);
        let Stmt::Assign { ty, .. } = &b[1] else {
            panic!()
        };
        assert_eq!(ty.as_deref(), Some("Patient"));
        assert!(matches!(
            &b[2],
            Stmt::Assign {
                augmented: true,
                ..
            }
        ));
        let Stmt::Assign { targets, .. } = &b[3] else {
            panic!()
        };
        let Target::Tuple(t) = &targets[0] else {
            panic!()
        };
        assert!(matches!(&t[0], Target::Attr { attr, .. } if attr == "name"));
        assert!(matches!(&t[1], Target::Index { .. }));
    }

    #[test]
    fn class_fields_and_methods() {
        let src = "\
class Patient(BaseModel, db.Model, metaclass=M):
    diagnosis: str
    nir: str = Field(...)
    notes = Column(String)
    client = OpenAI()

    def __init__(self, name: str, *args, **kwargs):
        self.name = name
        if args:
            self.extra: list = args

    @staticmethod
    def make(x):
        return x

    async def send(self, p: fhir.Patient, opt: Optional[Patient] = None):
        await self.client.post(p)
";
        let m = lower(src);
        assert_eq!(m.types.len(), 1);
        let t = &m.types[0];
        assert_eq!(t.name, "Patient");
        assert_eq!(t.bases, ["BaseModel", "db.Model"]);
        let fields: Vec<(&str, Option<&str>)> = t
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.ty.as_deref()))
            .collect();
        assert_eq!(
            fields,
            [
                ("diagnosis", Some("str")),
                ("nir", Some("str")),
                ("notes", None),
                ("client", None),
                ("name", None),
                ("extra", Some("list"))
            ]
        );
        assert_eq!(t.fields[0].span.start_line, 2);
        // Class-level statements land in the module body; decorators too.
        call(&m, "OpenAI");
        call(&m, "Field");
        assert!(body(&m)
            .iter()
            .any(|s| matches!(s, Stmt::Expr(e) if name_of(e) == "staticmethod")));
        let init = func(&m, "__init__");
        assert_eq!(init.owner.as_deref(), Some("Patient"));
        let kinds: Vec<ParamKind> = init.params.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                ParamKind::SelfParam,
                ParamKind::Normal,
                ParamKind::VarArgs,
                ParamKind::KwArgs
            ]
        );
        assert_eq!(init.params[2].name, "args");
        assert_eq!(init.params[1].ty.as_deref(), Some("str"));
        let make = func(&m, "make");
        assert_eq!(make.params[0].kind, ParamKind::Normal);
        let send = func(&m, "send");
        assert_eq!(send.params[1].ty.as_deref(), Some("fhir.Patient"));
        assert_eq!(send.params[2].ty.as_deref(), Some("Optional[Patient]"));
        assert!(send.params[2].default.is_some());
        call(&m, "self.client.post");
    }

    #[test]
    fn decorators_and_nested_functions() {
        let src = "\
@app.route('/patients/<pid>')
@login_required
def show(pid):
    def helper(q):
        return q
    return helper(pid)
";
        let m = lower(src);
        let b = body(&m);
        assert_eq!(b.len(), 2);
        assert!(
            matches!(&b[0], Stmt::Expr(Expr { kind: ExprKind::Call(c), .. }) if c.callee.dotted().as_deref() == Some("app.route"))
        );
        let show = func(&m, "show");
        assert_eq!(show.body.len(), 1);
        assert!(matches!(&show.body[0], Stmt::Return(Some(_), _)));
        let helper = func(&m, "helper");
        assert!(helper.owner.is_none());
        assert_eq!(helper.params[0].name, "q");
    }

    #[test]
    fn lambda_walrus_conditional_yield() {
        let m = lower(
            "g = lambda p, *r: send(p)\nif (n := len(x)) > 1:\n    pass\nv = a if c else b\nw = not a\nu = -a\n",
        );
        let b = body(&m);
        let Stmt::Assign { value, .. } = &b[0] else {
            panic!()
        };
        let ExprKind::Lambda { params, body: lb } = &value.kind else {
            panic!()
        };
        assert_eq!(params.len(), 2);
        assert_eq!(params[1].kind, ParamKind::VarArgs);
        assert!(matches!(
            &lb[..],
            [Stmt::Return(
                Some(Expr {
                    kind: ExprKind::Call(_),
                    ..
                }),
                _
            )]
        ));
        let Stmt::Branch { conds, .. } = &b[1] else {
            panic!()
        };
        let ExprKind::Binary {
            op: BinOp::Compare(_),
            left,
            ..
        } = &conds[0].kind
        else {
            panic!()
        };
        let ExprKind::Wrap(inner) = &left.kind else {
            panic!()
        };
        assert!(
            matches!(&inner.kind, ExprKind::AssignExpr { target, .. } if matches!(&**target, Target::Name(n, _) if n == "n"))
        );
        let Stmt::Assign { value, .. } = &b[2] else {
            panic!()
        };
        assert!(
            matches!(&value.kind, ExprKind::Branch { conds, arms } if conds.len() == 1 && arms.len() == 2)
        );
        assert!(matches!(
            &b[3],
            Stmt::Assign {
                value: Expr {
                    kind: ExprKind::Unary {
                        negates_to_bool: true,
                        ..
                    },
                    ..
                },
                ..
            }
        ));
        assert!(matches!(
            &b[4],
            Stmt::Assign {
                value: Expr {
                    kind: ExprKind::Unary {
                        negates_to_bool: false,
                        ..
                    },
                    ..
                },
                ..
            }
        ));

        let m = lower("def gen():\n    yield record\n    x = yield other\n");
        let g = &func(&m, "gen").body;
        assert!(matches!(
            &g[0],
            Stmt::Expr(Expr {
                kind: ExprKind::Wrap(_),
                ..
            })
        ));
        assert!(matches!(&g[1], Stmt::Return(Some(e), _) if name_of(e) == "record"));
        assert!(matches!(&g[2], Stmt::Assign { .. }));
        assert!(matches!(&g[3], Stmt::Return(Some(e), _) if name_of(e) == "other"));
    }

    #[test]
    fn syntax_errors_keep_recognisable_calls() {
        let m = lower("import requests\nfoo(x\nrequests.post(url, json=patient)\nprint patient\ndef ok(a):\n    log.info(a)\n");
        assert!(m.syntax_errors > 0);
        let callees: Vec<String> = calls(&m).into_iter().map(|(n, _)| n).collect();
        assert!(
            callees.contains(&"requests.post".to_string()),
            "{callees:?}"
        );
        let m = lower("x = = 1\nsend(patient)\n");
        assert!(m.syntax_errors > 0);
        call(&m, "send");
        let m = lower("def f(:\n  )) ]] class : @@ \0 \u{feff} 'unterminated\n");
        assert!(m.syntax_errors > 0);
    }

    #[test]
    fn truncated_inputs_do_not_panic() {
        let src = "import a.b as c\n@d(e=f'{g!r:>{h}}')\nclass K(B):\n    x: int = 1\n    def __init__(self, *a, **k):\n        self.y = [i for i in a if i]\n        with open(p) as (q, *r):\n            try:\n                yield {**k, 'z': lambda s: s}\n            except E as e:\n                match e:\n                    case [1, *_] if (w := 2):\n                        pass\n";
        for (i, _) in src.char_indices() {
            let m = lower(&src[..i]);
            assert!(!m.functions.is_empty());
        }
        assert_eq!(lower(src).syntax_errors, 0);
    }

    #[test]
    fn odd_inputs() {
        let m = lower("");
        assert_eq!(m.functions.len(), 1);
        assert!(m.functions[0].is_module);
        assert_eq!(m.functions[0].name, "<module>");
        assert_eq!(m.syntax_errors, 0);
        let m = lower("# only\n# comments\n");
        assert!(body(&m).is_empty());
        assert_eq!(m.comments.len(), 2);
        let m = lower("print 'py2', patient\n");
        assert_eq!(call(&m, "print").args.len(), 2);
    }

    /// Lowers `src` on a 256 KiB stack and returns the names found and the error count.
    fn lower_small_stack(src: String) -> (Vec<String>, u32) {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let m = lower(&src);
                (names(&m), m.syntax_errors)
            })
            .expect("spawn")
            .join()
            .expect("no stack overflow")
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        const N: usize = 100_000;
        let cases = [
            format!("x = {}patient{}\n", "(".repeat(N), ")".repeat(N)),
            format!("x = {}patient{}\n", "f(".repeat(N), ")".repeat(N)),
            format!("x = {}patient{}\n", "[".repeat(N), "]".repeat(N)),
            format!("x = {}patient{}\n", "{'k': ".repeat(N), "}".repeat(N)),
            format!("x = a{} + patient\n", " + a".repeat(N)),
            format!("x = patient{}\n", ".a".repeat(N)),
            format!("x = {}patient\n", "not ".repeat(N)),
            format!("x = {}patient\n", "lambda: ".repeat(N)),
        ];
        for src in cases {
            let (names, errors) = lower_small_stack(src);
            assert_eq!(errors, 0);
            assert!(names.iter().any(|n| n == "patient"), "patient lost");
        }
        // Deeply nested statements.
        let mut src = String::new();
        for i in 0..1_000 {
            src.push_str(&" ".repeat(i));
            src.push_str("if x:\n");
        }
        src.push_str(&" ".repeat(1_000));
        src.push_str("send(patient)\n");
        let (names, _) = lower_small_stack(src);
        assert!(names.iter().any(|n| n == "patient"));
        // Unbalanced garbage.
        let (_, errors) = lower_small_stack(format!("x = {}", "(f(".repeat(N)));
        assert!(errors > 0);
    }
}
