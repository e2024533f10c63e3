//! Function bodies: statements, expressions, patterns, parameters.

use super::{field, first_named, named_children, Cx, MAX_CLONED_SCRUTINEE};
use crate::lang::span_of;
use crate::model::{
    Arg, ArgKind, BinOp, Block, Call, Cmp, Expr, ExprKind, Param, ParamKind, Stmt, Target,
};
use tree_sitter::Node;

/// Block children that are not statements to lower here (items are lowered by the file pass).
fn is_item(kind: &str) -> bool {
    matches!(
        kind,
        "function_item"
            | "function_signature_item"
            | "struct_item"
            | "enum_item"
            | "union_item"
            | "impl_item"
            | "trait_item"
            | "mod_item"
            | "use_declaration"
            | "extern_crate_declaration"
            | "type_item"
            | "macro_definition"
            | "foreign_mod_item"
            | "associated_type"
            | "attribute_item"
            | "inner_attribute_item"
            | "empty_statement"
            | "label"
    )
}

fn is_block_like(kind: &str) -> bool {
    matches!(
        kind,
        "unsafe_block" | "async_block" | "const_block" | "try_block" | "gen_block"
    )
}

/// The `block` inside `unsafe { }`, `async move { }`, `const { }`, ...
fn inner_block(n: Node) -> Option<Node> {
    if n.kind() == "block" {
        return Some(n);
    }
    field(n, "body").or_else(|| named_children(n).into_iter().find(|c| c.kind() == "block"))
}

fn empty(span: crate::model::Span) -> Expr {
    Expr::new(ExprKind::Other(Vec::new()), span)
}

fn assign(targets: Vec<Target>, value: Expr, augmented: bool, span: crate::model::Span) -> Stmt {
    Stmt::Assign {
        targets,
        value,
        augmented,
        ty: None,
        span,
    }
}

fn binds_nothing(t: &Target) -> bool {
    match t {
        Target::Ignore => true,
        Target::Tuple(ts) => ts.iter().all(binds_nothing),
        Target::Starred(t) => binds_nothing(t),
        _ => false,
    }
}

impl<'s> Cx<'s> {
    // ---- statements ----------------------------------------------------------------

    /// A function or closure body; the tail expression is returned when the body has a value.
    pub(super) fn fn_body(&self, block: Node, returns_value: bool, d: u32) -> Block {
        let (mut stmts, tail) = self.block_parts(block, d);
        if let Some(t) = tail {
            if returns_value && t.kind() != "return_expression" {
                let value = self.expr(t, d);
                stmts.extend(self.self_fields(t, &value));
                stmts.push(Stmt::Return(Some(value), span_of(&t)));
            } else {
                stmts.push(self.stmt(t, d));
            }
        }
        stmts
    }

    /// A constructor's tail `Self { http, url: HOOK.to_string() }` (or `Ok(Self { .. })`):
    /// the fields it gives the new value, as writes of `self.http`, `self.url`, so that the
    /// other methods read them like fields set in any method.
    fn self_fields(&self, tail: Node, value: &Expr) -> Vec<Stmt> {
        let mut node = tail;
        let mut value = value;
        if node.kind() == "call_expression" {
            let wraps = field(node, "function").is_some_and(|f| matches!(self.text(f), "Ok" | "Some"));
            let arg = field(node, "arguments").map(named_children).unwrap_or_default();
            let inner = match &value.kind {
                ExprKind::Call(c) if c.args.len() == 1 => Some(&c.args[0].value),
                _ => None,
            };
            match (wraps, arg.as_slice(), inner) {
                (true, [a], Some(v)) => {
                    node = *a;
                    value = v;
                }
                _ => return Vec::new(),
            }
        }
        if node.kind() != "struct_expression"
            || field(node, "name").map(|n| self.text(n)) != Some("Self")
        {
            return Vec::new();
        }
        let ExprKind::Dict(entries) = &value.kind else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|(k, v)| {
                let ExprKind::Str(name) = &k.as_ref()?.kind else {
                    return None;
                };
                Some(Stmt::Assign {
                    targets: vec![Target::Attr {
                        obj: Expr::new(ExprKind::Name("self".into()), v.span),
                        attr: name.clone(),
                        span: v.span,
                    }],
                    value: v.clone(),
                    augmented: false,
                    ty: None,
                    span: v.span,
                })
            })
            .collect()
    }

    /// A block in statement position: the tail is one more statement.
    fn block_stmts(&self, block: Node, d: u32) -> Block {
        let Some(block) = inner_block(block) else {
            return vec![Stmt::Expr(self.flat(block))];
        };
        let (mut stmts, tail) = self.block_parts(block, d);
        if let Some(t) = tail {
            stmts.push(self.stmt(t, d));
        }
        stmts
    }

    /// A block used as a value.
    fn block_value(&self, block: Node, prefix: Block, d: u32) -> Expr {
        Expr::new(self.block_value_kind(block, prefix, d), span_of(&block))
    }

    fn block_value_kind(&self, block: Node, mut prefix: Block, d: u32) -> ExprKind {
        let Some(inner) = inner_block(block) else {
            return ExprKind::Other(self.flat_reads(block));
        };
        let (stmts, tail) = self.block_parts(inner, d);
        prefix.extend(stmts);
        ExprKind::Block {
            stmts: prefix,
            value: tail.map(|t| Box::new(self.expr(t, d))),
        }
    }

    /// The statements of a block, and its tail expression (not yet lowered).
    fn block_parts<'t>(&self, block: Node<'t>, d: u32) -> (Block, Option<Node<'t>>) {
        let mut kids = named_children(block);
        // `if`/`match`/blocks at the end of a block parse as statements without `;`
        if let Some(last) = kids.last_mut() {
            let semi = last
                .child(last.child_count().saturating_sub(1))
                .map(|c| c.kind())
                == Some(";");
            if last.kind() == "expression_statement" && !semi {
                if let Some(e) = first_named(*last) {
                    *last = e;
                }
            }
        }
        let tail = match kids.last() {
            Some(t)
                if !is_item(t.kind())
                    && !matches!(
                        t.kind(),
                        "expression_statement" | "let_declaration" | "const_item" | "static_item"
                    )
                    && !t.is_error() =>
            {
                kids.pop()
            }
            _ => None,
        };
        let mut out = Vec::new();
        for k in kids {
            match k.kind() {
                "let_declaration" => self.let_stmts(k, d, &mut out),
                "const_item" | "static_item" => out.extend(self.const_stmt(k, d)),
                kind if is_item(kind) => {}
                _ => out.push(self.stmt(k, d)),
            }
        }
        (out, tail)
    }

    fn let_stmts(&self, n: Node, d: u32, out: &mut Block) {
        let Some(v) = field(n, "value") else {
            return;
        };
        let target = field(n, "pattern")
            .map(|p| self.pattern_target(p, d))
            .unwrap_or(Target::Ignore);
        out.push(Stmt::Assign {
            targets: vec![target],
            value: self.expr(v, d),
            augmented: false,
            ty: field(n, "type").map(|t| self.type_text(t)),
            span: span_of(&n),
        });
        if let Some(alt) = field(n, "alternative") {
            out.push(Stmt::Branch {
                conds: Vec::new(),
                arms: vec![self.block_stmts(alt, d), Vec::new()],
            });
        }
    }

    /// An expression in statement position.
    pub(super) fn stmt(&self, n: Node, d: u32) -> Stmt {
        if self.too_deep(d) {
            return Stmt::Expr(self.flat(n));
        }
        let d = d + 1;
        match n.kind() {
            "expression_statement" => self.expr_stmt(n, d),
            "if_expression" => self.if_stmt(n, d),
            "match_expression" => self.match_stmt(n, d),
            "for_expression" => self.for_stmt(n, d),
            "while_expression" => self.while_stmt(n, d),
            "loop_expression" => self.loop_stmt(n, d),
            k if k == "block" || is_block_like(k) => self.block_stmt(n, d),
            "assignment_expression" | "compound_assignment_expr" => self.assign_stmt(n, d),
            "return_expression" => self.return_stmt(n, d),
            _ => self.plain_stmt(n, d),
        }
    }

    fn expr_stmt(&self, n: Node, d: u32) -> Stmt {
        match first_named(n) {
            Some(e) => self.stmt(e, d),
            None => Stmt::Block(Vec::new()),
        }
    }

    fn plain_stmt(&self, n: Node, d: u32) -> Stmt {
        Stmt::Expr(self.expr(n, d))
    }

    fn block_stmt(&self, n: Node, d: u32) -> Stmt {
        Stmt::Block(self.block_stmts(n, d))
    }

    fn return_stmt(&self, n: Node, d: u32) -> Stmt {
        Stmt::Return(first_named(n).map(|e| self.expr(e, d)), span_of(&n))
    }

    fn for_stmt(&self, n: Node, d: u32) -> Stmt {
        Stmt::Loop {
            target: field(n, "pattern").map(|p| self.pattern_target(p, d)),
            iter: field(n, "value").map(|v| self.expr(v, d)),
            body: field(n, "body")
                .map(|b| self.block_stmts(b, d))
                .unwrap_or_default(),
        }
    }

    fn while_stmt(&self, n: Node, d: u32) -> Stmt {
        let mut conds = Vec::new();
        let mut body = Vec::new();
        if let Some(c) = field(n, "condition") {
            self.condition(c, d, &mut conds, &mut body);
        }
        if let Some(b) = field(n, "body") {
            body.extend(self.block_stmts(b, d));
        }
        let iter = if conds.len() == 1 {
            conds.pop()
        } else {
            Some(Expr::new(ExprKind::Other(conds), span_of(&n)))
        };
        Stmt::Loop {
            target: None,
            iter,
            body,
        }
    }

    fn loop_stmt(&self, n: Node, d: u32) -> Stmt {
        Stmt::Loop {
            target: None,
            iter: None,
            body: field(n, "body")
                .map(|b| self.block_stmts(b, d))
                .unwrap_or_default(),
        }
    }

    fn assign_stmt(&self, n: Node, d: u32) -> Stmt {
        let target = field(n, "left")
            .map(|l| self.target(l, d))
            .unwrap_or(Target::Ignore);
        let value = match field(n, "right") {
            Some(r) => self.expr(r, d),
            None => empty(span_of(&n)),
        };
        assign(
            vec![target],
            value,
            n.kind() == "compound_assignment_expr",
            span_of(&n),
        )
    }

    /// Lowers an `if`/`while` condition: plain conditions go to `conds`; `let P = e` adds
    /// `e` to `conds` and binds the pattern's names from it in `binds`.
    fn condition(&self, c: Node, d: u32, conds: &mut Vec<Expr>, binds: &mut Block) {
        let parts = if c.kind() == "let_chain" {
            named_children(c)
        } else {
            vec![c]
        };
        for p in parts {
            if p.kind() == "let_condition" {
                let value = match field(p, "value") {
                    Some(v) => self.expr(v, d),
                    None => empty(span_of(&p)),
                };
                if let Some(pat) = field(p, "pattern") {
                    binds.extend(self.bind(pat, value.clone(), d));
                }
                conds.push(value);
            } else {
                conds.push(self.expr(p, d));
            }
        }
    }

    /// `Assign{pattern's names = value}`, if the pattern binds anything.
    fn bind(&self, pat: Node, value: Expr, d: u32) -> Option<Stmt> {
        let t = self.pattern_target(pat, d);
        if binds_nothing(&t) {
            return None;
        }
        // `Err(e)`: the error of an operation on health data is not that data.
        let is_err = pat.kind() == "tuple_struct_pattern"
            && field(pat, "type")
                .is_some_and(|ty| self.text(ty).rsplit("::").next() == Some("Err"));
        let value = if is_err {
            Expr::new(ExprKind::Const("error".into()), value.span)
        } else {
            value
        };
        // `Resource::Patient(p)`: `p` holds the variant's payload, most often of the type
        // the variant is named after (`Patient(Patient)`).
        let path = field(pat, "type").filter(|_| pat.kind() == "tuple_struct_pattern");
        if let (Target::Tuple(ts), Some(path)) = (&t, path) {
            let variant = Some(self.text(path))
                .filter(|ty| ty.contains("::"))
                .and_then(|ty| ty.rsplit("::").next())
                .filter(|v| v.starts_with(|c: char| c.is_uppercase()));
            // One payload, bound whole (`Patient(p)`, not `Pair(a, b)`).
            let single = named_children(pat).len() == 2;
            if let (Some(v), true, [Target::Name(..)]) = (variant, single, ts.as_slice()) {
                return Some(Stmt::Assign {
                    targets: ts.clone(),
                    value,
                    augmented: false,
                    ty: Some(v.to_string()),
                    span: span_of(&pat),
                });
            }
        }
        Some(assign(vec![t], value, false, span_of(&pat)))
    }

    /// Flattens an `if / else if / else` chain: conditions, and per arm its bindings and block
    /// (`None` for a missing `else`).
    #[allow(clippy::type_complexity)]
    fn if_chain<'t>(&self, n: Node<'t>, d: u32) -> (Vec<Expr>, Vec<(Block, Option<Node<'t>>)>) {
        let mut conds = Vec::new();
        let mut arms = Vec::new();
        let mut cur = n;
        loop {
            let mut binds = Vec::new();
            if let Some(c) = field(cur, "condition") {
                self.condition(c, d, &mut conds, &mut binds);
            }
            arms.push((binds, field(cur, "consequence")));
            match field(cur, "alternative").and_then(first_named) {
                Some(a) if a.kind() == "if_expression" => cur = a,
                Some(a) => {
                    arms.push((Vec::new(), Some(a)));
                    break;
                }
                None => {
                    arms.push((Vec::new(), None));
                    break;
                }
            }
        }
        (conds, arms)
    }

    fn if_stmt(&self, n: Node, d: u32) -> Stmt {
        let (conds, arms) = self.if_chain(n, d);
        let arms = arms
            .into_iter()
            .map(|(mut b, blk)| {
                if let Some(blk) = blk {
                    b.extend(self.block_stmts(blk, d));
                }
                b
            })
            .collect();
        Stmt::Branch { conds, arms }
    }

    fn if_value(&self, n: Node, d: u32) -> ExprKind {
        let (conds, arms) = self.if_chain(n, d);
        let arms = arms
            .into_iter()
            .map(|(b, blk)| match blk {
                Some(blk) => self.block_value(blk, b, d),
                None => Expr::new(
                    ExprKind::Block {
                        stmts: b,
                        value: None,
                    },
                    span_of(&n),
                ),
            })
            .collect();
        ExprKind::Branch { conds, arms }
    }

    /// The scrutinee, and per arm its bindings (pattern names, guard) and body.
    #[allow(clippy::type_complexity)]
    fn match_arms<'t>(&self, n: Node<'t>, d: u32) -> (Expr, Vec<(Block, Option<Node<'t>>)>) {
        let scrutinee = field(n, "value");
        let value = match scrutinee {
            Some(v) => self.expr(v, d),
            None => empty(span_of(&n)),
        };
        // Huge scrutinees are not copied into every arm: their reads stand in.
        let small = scrutinee.is_none_or(|v| v.byte_range().len() <= MAX_CLONED_SCRUTINEE);
        let arm_value = |sp| -> Expr {
            match scrutinee {
                Some(v) if !small => {
                    let mut reads = self.flat_reads(v);
                    reads.truncate(super::MAX_CHAIN);
                    Expr::new(ExprKind::Other(reads), sp)
                }
                _ => value.clone(),
            }
        };
        let mut arms = Vec::new();
        for arm in field(n, "body").map(named_children).unwrap_or_default() {
            if arm.kind() != "match_arm" {
                continue;
            }
            let mut pre = Vec::new();
            if let Some(mp) = field(arm, "pattern") {
                let guard = field(mp, "condition");
                let pat = named_children(mp)
                    .into_iter()
                    .find(|c| Some(c.id()) != guard.map(|g| g.id()));
                if let Some(p) = pat {
                    pre.extend(self.bind(p, arm_value(value.span), d));
                }
                if let Some(g) = guard {
                    let mut gconds = Vec::new();
                    self.condition(g, d, &mut gconds, &mut pre);
                    pre.extend(gconds.into_iter().map(Stmt::Expr));
                }
            }
            arms.push((pre, field(arm, "value")));
        }
        (value, arms)
    }

    fn match_stmt(&self, n: Node, d: u32) -> Stmt {
        let (value, arms) = self.match_arms(n, d);
        let arms = arms
            .into_iter()
            .map(|(mut pre, body)| {
                if let Some(b) = body {
                    if b.kind() == "block" || is_block_like(b.kind()) {
                        pre.extend(self.block_stmts(b, d));
                    } else {
                        pre.push(self.stmt(b, d));
                    }
                }
                pre
            })
            .collect();
        Stmt::Branch {
            conds: vec![value],
            arms,
        }
    }

    fn match_value(&self, n: Node, d: u32) -> ExprKind {
        let (value, arms) = self.match_arms(n, d);
        let arms = arms
            .into_iter()
            .map(|(pre, body)| match body {
                Some(b) if b.kind() == "block" => self.block_value(b, pre, d),
                Some(b) => Expr::new(
                    ExprKind::Block {
                        stmts: pre,
                        value: Some(Box::new(self.expr(b, d))),
                    },
                    span_of(&b),
                ),
                None => Expr::new(
                    ExprKind::Block {
                        stmts: pre,
                        value: None,
                    },
                    span_of(&n),
                ),
            })
            .collect();
        ExprKind::Branch {
            conds: vec![value],
            arms,
        }
    }

    // ---- targets and patterns ------------------------------------------------------

    /// The left side of `x = e`.
    fn target(&self, n: Node, d: u32) -> Target {
        if self.too_deep(d) {
            return Target::Ignore;
        }
        let d = d + 1;
        let sp = span_of(&n);
        match n.kind() {
            "identifier" if self.text(n) == "_" => Target::Ignore,
            "identifier" | "self" => Target::Name(self.text(n).to_string(), sp),
            "field_expression" => match field(n, "value") {
                Some(v) => Target::Attr {
                    obj: self.expr(v, d),
                    attr: field(n, "field")
                        .map(|f| self.text(f).to_string())
                        .unwrap_or_default(),
                    span: sp,
                },
                None => Target::Ignore,
            },
            "index_expression" => {
                let kids = named_children(n);
                match (kids.first(), kids.get(1)) {
                    (Some(o), Some(i)) => Target::Index {
                        obj: self.expr(*o, d),
                        index: self.expr(*i, d),
                        span: sp,
                    },
                    _ => Target::Ignore,
                }
            }
            "unary_expression" | "parenthesized_expression" | "reference_expression" => {
                match first_named(n) {
                    Some(i) => self.target(i, d),
                    None => Target::Ignore,
                }
            }
            "tuple_expression" | "array_expression" => Target::Tuple(
                named_children(n)
                    .into_iter()
                    .map(|c| self.target(c, d))
                    .collect(),
            ),
            _ => Target::Ignore,
        }
    }

    /// A binding pattern: identifiers → `Name`, `_` → `Ignore`, tuples and slices keep their
    /// positions, struct / tuple-struct / or patterns → `Tuple` of their bound names.
    pub(super) fn pattern_target(&self, p: Node, d: u32) -> Target {
        if self.too_deep(d) {
            return Target::Tuple(self.bound_names(p));
        }
        let d = d + 1;
        match p.kind() {
            "identifier" => {
                let t = self.text(p);
                if t == "_" || t.starts_with(|c: char| c.is_uppercase()) {
                    Target::Ignore
                } else {
                    Target::Name(t.to_string(), span_of(&p))
                }
            }
            "mut_pattern" | "ref_pattern" | "reference_pattern" | "captured_pattern" => {
                match named_children(p)
                    .into_iter()
                    .find(|c| c.kind() != "mutable_specifier")
                {
                    Some(i) if p.kind() != "captured_pattern" || i.kind() == "identifier" => {
                        self.pattern_target(i, d)
                    }
                    _ => Target::Tuple(self.bound_names(p)),
                }
            }
            "tuple_pattern" | "slice_pattern" => Target::Tuple(
                named_children(p)
                    .into_iter()
                    .map(|c| {
                        if c.kind() == "remaining_field_pattern" {
                            Target::Starred(Box::new(Target::Ignore))
                        } else {
                            self.pattern_target(c, d)
                        }
                    })
                    .collect(),
            ),
            "tuple_struct_pattern" | "struct_pattern" | "or_pattern" => {
                Target::Tuple(self.bound_names(p))
            }
            _ => Target::Ignore,
        }
    }

    /// Names bound anywhere in a pattern, in order, without recursion.
    fn bound_names(&self, p: Node) -> Vec<Target> {
        let mut out: Vec<Target> = Vec::new();
        let mut stack = vec![p];
        while let Some(x) = stack.pop() {
            match x.kind() {
                "identifier" | "shorthand_field_identifier" => {
                    let t = self.text(x);
                    let fresh = !out
                        .iter()
                        .any(|o| matches!(o, Target::Name(n, _) if n == t));
                    if t != "_" && !t.starts_with(|c: char| c.is_uppercase()) && fresh {
                        out.push(Target::Name(t.to_string(), span_of(&x)));
                    }
                }
                "field_pattern" => {
                    if let Some(c) = field(x, "pattern").or_else(|| field(x, "name")) {
                        stack.push(c);
                    }
                }
                "tuple_struct_pattern" | "struct_pattern" => {
                    let mut c = x.walk();
                    let kids: Vec<Node> = x
                        .named_children(&mut c)
                        .filter(|k| Some(k.id()) != field(x, "type").map(|t| t.id()))
                        .collect();
                    stack.extend(kids.into_iter().rev());
                }
                "scoped_identifier"
                | "generic_pattern"
                | "range_pattern"
                | "macro_invocation"
                | "type_identifier"
                | "scoped_type_identifier" => {}
                _ => super::push_children_rev(x, &mut stack),
            }
        }
        out
    }

    // ---- parameters ----------------------------------------------------------------

    /// Function `parameters` or closure `closure_parameters`.
    pub(super) fn params(&self, n: Node, d: u32) -> Vec<Param> {
        let mut out = Vec::new();
        for c in named_children(n) {
            match c.kind() {
                "self_parameter" => out.push(Param {
                    name: "self".into(),
                    ty: None,
                    default: None,
                    kind: ParamKind::SelfParam,
                    span: span_of(&c),
                }),
                "parameter" => {
                    let ty = field(c, "type");
                    match field(c, "pattern") {
                        Some(p) if p.kind() == "self" => out.push(Param {
                            name: "self".into(),
                            ty: ty.map(|t| self.type_text(t)),
                            default: None,
                            kind: ParamKind::SelfParam,
                            span: span_of(&c),
                        }),
                        Some(p) => self.pattern_params(p, ty, d, &mut out),
                        None => {}
                    }
                }
                "attribute_item" | "variadic_parameter" => {}
                k if k.ends_with("_type") || k == "type_identifier" => {}
                _ => self.pattern_params(c, None, d, &mut out),
            }
        }
        out
    }

    fn pattern_params(&self, p: Node, ty: Option<Node>, d: u32, out: &mut Vec<Param>) {
        let param = |name: String, ty: Option<String>, n: &Node| Param {
            name,
            ty,
            default: None,
            kind: ParamKind::Normal,
            span: span_of(n),
        };
        if self.too_deep(d) {
            return;
        }
        let d = d + 1;
        match p.kind() {
            "identifier" => out.push(param(
                self.text(p).to_string(),
                ty.map(|t| self.type_text(t)),
                &p,
            )),
            "_" => out.push(param("_".into(), ty.map(|t| self.type_text(t)), &p)),
            "mut_pattern" | "ref_pattern" | "reference_pattern" => {
                let inner = named_children(p)
                    .into_iter()
                    .find(|c| c.kind() != "mutable_specifier");
                if let Some(i) = inner {
                    self.pattern_params(i, ty, d, out);
                }
            }
            // `Json(form): Json<IntakeForm>`, `State(state): State<AppState>`: an extractor
            // unwrapped in the pattern binds its type argument.
            "tuple_struct_pattern" => {
                let inner: Vec<Node> = named_children(p)
                    .into_iter()
                    .filter(|c| field(p, "type").is_none_or(|t| t.id() != c.id()))
                    .collect();
                let arg = ty
                    .filter(|t| t.kind() == "generic_type")
                    .and_then(|t| field(t, "type_arguments"))
                    .and_then(|a| named_children(a).into_iter().next());
                match (inner.as_slice(), arg) {
                    ([one], Some(a)) => self.pattern_params(*one, Some(a), d, out),
                    _ => self.untyped_params(p, out),
                }
            }
            "tuple_pattern" => {
                let elems = named_children(p);
                let tys = ty
                    .filter(|t| t.kind() == "tuple_type")
                    .map(named_children)
                    .filter(|ts| ts.len() == elems.len());
                for (i, e) in elems.iter().enumerate() {
                    let t = tys.as_ref().and_then(|ts| ts.get(i).copied());
                    self.pattern_params(*e, t, d, out);
                }
            }
            _ => self.untyped_params(p, out),
        }
    }

    /// Every name a pattern binds, as a parameter of unknown type.
    fn untyped_params(&self, p: Node, out: &mut Vec<Param>) {
        for t in self.bound_names(p) {
            if let Target::Name(name, sp) = t {
                out.push(Param {
                    name,
                    ty: None,
                    default: None,
                    kind: ParamKind::Normal,
                    span: sp,
                });
            }
        }
    }

    // ---- expressions ---------------------------------------------------------------

    pub(super) fn expr(&self, n: Node, d: u32) -> Expr {
        let kind = if self.too_deep(d) {
            ExprKind::Other(self.flat_reads(n))
        } else {
            self.expr_kind(n, d + 1)
        };
        Expr::new(kind, span_of(&n))
    }

    /// Dispatch only: every arm is one call, so this frame stays small (it recurses).
    fn expr_kind(&self, n: Node, d: u32) -> ExprKind {
        match n.kind() {
            "identifier" | "self" | "crate" | "super" | "metavariable" => self.name(n),
            "scoped_identifier"
            | "scoped_type_identifier"
            | "type_identifier"
            | "generic_type"
            | "generic_type_with_turbofish"
            | "bracketed_type" => self.path_kind(n),
            // `x.collect::<Vec<_>>` is a method on `x`; `Vec::<u8>::new` is a path.
            "generic_function" => match field(n, "function") {
                Some(f) if f.kind() == "field_expression" => self.field_expr(f, d),
                _ => self.path_kind(n),
            },
            "field_expression" => self.field_expr(n, d),
            "call_expression" => self.call_expr(n, d),
            "index_expression" => self.index_expr(n, d),
            "string_literal" | "raw_string_literal" | "char_literal" | "integer_literal"
            | "float_literal" | "boolean_literal" | "negative_literal" | "unit_expression" => {
                self.literal(n)
            }
            "reference_expression" | "type_cast_expression" => self.wrap(field(n, "value"), d),
            "try_expression" | "await_expression" | "parenthesized_expression" => {
                self.wrap(first_named(n), d)
            }
            "unary_expression" => self.unary(n, d),
            "binary_expression" => self.binary(n, d),
            "struct_expression" => self.struct_expr(n, d),
            "array_expression" | "tuple_expression" => self.collection(n, d),
            "closure_expression" => self.closure(n, d),
            "range_expression"
            | "yield_expression"
            | "break_expression"
            | "let_chain"
            | "let_condition"
            | "continue_expression" => self.other(n, d),
            "if_expression" => self.if_value(n, d),
            "match_expression" => self.match_value(n, d),
            k if k == "block" || is_block_like(k) => self.block_value_kind(n, Vec::new(), d),
            "loop_expression" | "while_expression" | "for_expression" | "return_expression" => {
                self.stmt_value(n, d)
            }
            "assignment_expression" | "compound_assignment_expr" => self.assign_expr(n, d),
            "macro_invocation" => self.macro_call(n, d),
            _ => ExprKind::Other(self.flat_reads(n)),
        }
    }

    fn name(&self, n: Node) -> ExprKind {
        match self.text(n) {
            // The empty `Option`: a constant, like `()`.
            "None" => ExprKind::Const("None".into()),
            t => ExprKind::Name(t.to_string()),
        }
    }

    fn path_kind(&self, n: Node) -> ExprKind {
        // `Expr` has a `Drop` impl: its kind is taken, not moved out.
        std::mem::replace(&mut self.path(n).kind, ExprKind::Const(String::new()))
    }

    fn literal(&self, n: Node) -> ExprKind {
        match n.kind() {
            "string_literal" => ExprKind::Str(self.str_value(n)),
            "raw_string_literal" => ExprKind::Str(self.raw_str_value(n)),
            "unit_expression" => ExprKind::Const("()".into()),
            _ => ExprKind::Const(self.text(n).to_string()),
        }
    }

    fn index_expr(&self, n: Node, d: u32) -> ExprKind {
        let kids = named_children(n);
        match (kids.first(), kids.get(1)) {
            (Some(o), Some(i)) => ExprKind::Index {
                obj: Box::new(self.expr(*o, d)),
                index: Box::new(self.expr(*i, d)),
            },
            _ => ExprKind::Other(self.flat_reads(n)),
        }
    }

    fn collection(&self, n: Node, d: u32) -> ExprKind {
        ExprKind::Collection(
            named_children(n)
                .into_iter()
                .filter(|c| c.kind() != "attribute_item")
                .map(|c| self.expr(c, d))
                .collect(),
        )
    }

    /// Ranges, `break v`, `yield v`, `let` conditions: their values flow.
    fn other(&self, n: Node, d: u32) -> ExprKind {
        let kids = match n.kind() {
            "let_condition" => field(n, "value").into_iter().collect(),
            _ => named_children(n),
        };
        ExprKind::Other(
            kids.into_iter()
                .filter(|c| c.kind() != "label")
                .map(|c| self.expr(c, d))
                .collect(),
        )
    }

    /// A loop or `return` used as a value: a block holding that statement.
    fn stmt_value(&self, n: Node, d: u32) -> ExprKind {
        ExprKind::Block {
            stmts: vec![self.stmt(n, d)],
            value: None,
        }
    }

    fn wrap(&self, inner: Option<Node>, d: u32) -> ExprKind {
        match inner {
            Some(i) => ExprKind::Wrap(Box::new(self.expr(i, d))),
            None => ExprKind::Other(Vec::new()),
        }
    }

    fn field_expr(&self, n: Node, d: u32) -> ExprKind {
        let Some(v) = field(n, "value") else {
            return ExprKind::Other(Vec::new());
        };
        ExprKind::Attr {
            obj: Box::new(self.expr(v, d)),
            attr: field(n, "field")
                .map(|f| self.text(f).to_string())
                .unwrap_or_default(),
        }
    }

    fn call_expr(&self, n: Node, d: u32) -> ExprKind {
        let callee = match field(n, "function") {
            Some(f) => self.expr(f, d),
            None => empty(span_of(&n)),
        };
        // `from_str::<Encounter>(…)`: the turbofish's types.
        let type_args = field(n, "function")
            .filter(|f| f.kind() == "generic_function")
            .and_then(|f| field(f, "type_arguments"))
            .map(named_children)
            .unwrap_or_default()
            .into_iter()
            .map(|t| self.type_text(t))
            .collect();
        let args = field(n, "arguments")
            .map(named_children)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.kind() != "attribute_item")
            .map(|a| Arg {
                name: None,
                value: self.expr(a, d),
                kind: ArgKind::Positional,
            })
            .collect();
        ExprKind::Call(Box::new(Call {
            callee,
            args,
            type_args,
        }))
    }

    fn unary(&self, n: Node, d: u32) -> ExprKind {
        let Some(operand) = first_named(n) else {
            return ExprKind::Other(Vec::new());
        };
        let op = n.child(0).map(|c| c.kind()).unwrap_or("");
        let operand = Box::new(self.expr(operand, d));
        match op {
            "!" => ExprKind::Unary {
                negates_to_bool: true,
                operand,
            },
            "-" => ExprKind::Unary {
                negates_to_bool: false,
                operand,
            },
            _ => ExprKind::Wrap(operand),
        }
    }

    fn binary(&self, n: Node, d: u32) -> ExprKind {
        let op = field(n, "operator").map(|o| o.kind()).unwrap_or("");
        match (field(n, "left"), field(n, "right")) {
            (Some(l), Some(r)) => ExprKind::Binary {
                op: binop(op),
                left: Box::new(self.expr(l, d)),
                right: Box::new(self.expr(r, d)),
            },
            _ => ExprKind::Other(self.flat_reads(n)),
        }
    }

    fn struct_expr(&self, n: Node, d: u32) -> ExprKind {
        let mut entries = Vec::new();
        for f in field(n, "body").map(named_children).unwrap_or_default() {
            match f.kind() {
                "field_initializer" => {
                    let (Some(name), Some(v)) = (field(f, "field"), field(f, "value")) else {
                        continue;
                    };
                    entries.push((
                        Some(Expr::new(
                            ExprKind::Str(self.text(name).to_string()),
                            span_of(&name),
                        )),
                        self.expr(v, d),
                    ));
                }
                "shorthand_field_initializer" => {
                    if let Some(id) = named_children(f)
                        .into_iter()
                        .find(|c| c.kind() == "identifier")
                    {
                        let name = self.text(id).to_string();
                        entries.push((
                            Some(Expr::new(ExprKind::Str(name.clone()), span_of(&id))),
                            Expr::new(ExprKind::Name(name), span_of(&id)),
                        ));
                    }
                }
                "base_field_initializer" => {
                    if let Some(b) = first_named(f) {
                        entries.push((None, self.expr(b, d)));
                    }
                }
                _ => {}
            }
        }
        ExprKind::Dict(entries)
    }

    fn closure(&self, n: Node, d: u32) -> ExprKind {
        let params = field(n, "parameters")
            .map(|p| self.params(p, d))
            .unwrap_or_default();
        let returns_value = field(n, "return_type").is_none_or(|t| t.kind() != "unit_type");
        let body = match field(n, "body") {
            Some(b) if b.kind() == "block" => self.fn_body(b, returns_value, d),
            Some(b) => vec![Stmt::Return(Some(self.expr(b, d)), span_of(&b))],
            None => Vec::new(),
        };
        ExprKind::Lambda { params, body }
    }

    fn assign_expr(&self, n: Node, d: u32) -> ExprKind {
        let (Some(l), Some(r)) = (field(n, "left"), field(n, "right")) else {
            return ExprKind::Other(self.flat_reads(n));
        };
        let target = self.target(l, d);
        let mut value = self.expr(r, d);
        if n.kind() == "compound_assignment_expr" {
            // the old value flows too
            value = Expr::new(
                ExprKind::Binary {
                    op: BinOp::Arith,
                    left: Box::new(self.expr(l, d)),
                    right: Box::new(value),
                },
                span_of(&n),
            );
        }
        ExprKind::AssignExpr {
            target: Box::new(target),
            value: Box::new(value),
        }
    }

    // ---- string literals -----------------------------------------------------------

    pub(super) fn str_value(&self, n: Node) -> String {
        let raw = self.text(n);
        let Some(start) = raw.find('"') else {
            return String::new();
        };
        let inner = &raw[start + 1..];
        let inner = inner.strip_suffix('"').unwrap_or(inner);
        unescape(inner)
    }

    pub(super) fn raw_str_value(&self, n: Node) -> String {
        if let Some(c) = named_children(n)
            .into_iter()
            .find(|c| c.kind() == "string_content")
        {
            return self.text(c).to_string();
        }
        let t = self
            .text(n)
            .trim_start_matches(['b', 'c', 'r'])
            .trim_matches('#');
        t.strip_prefix('"')
            .unwrap_or(t)
            .strip_suffix('"')
            .unwrap_or(t)
            .to_string()
    }
}

pub(super) fn binop(op: &str) -> BinOp {
    match op {
        "&&" | "||" => BinOp::Logic,
        "==" | "!=" | "<" | ">" | "<=" | ">=" => BinOp::Compare(Cmp::from_op(op)),
        _ => BinOp::Arith,
    }
}

/// Decodes Rust string escapes, best effort.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('x') => {
                let hex: String = (0..2)
                    .filter_map(|_| chars.next_if(|c| c.is_ascii_hexdigit()))
                    .collect();
                match u8::from_str_radix(&hex, 16) {
                    Ok(b) => out.push(char::from(b)),
                    Err(_) => out.push_str("\\x"),
                }
            }
            Some('u') => {
                let mut hex = String::new();
                if chars.next_if_eq(&'{').is_some() {
                    while let Some(c) = chars.next_if(|c| *c != '}') {
                        hex.push(c);
                    }
                    chars.next_if_eq(&'}');
                }
                let hex: String = hex.chars().filter(|&c| c != '_').collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push('\u{fffd}'),
                }
            }
            Some('\n') | Some('\r') => while chars.next_if(|c| c.is_whitespace()).is_some() {},
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}
