//! Functions, statements, assignments and destructuring.

use super::*;

impl<'t, 's> Lowerer<'t, 's> {
    pub(super) fn text(&self, n: Node) -> &'s str {
        text(n, self.src)
    }

    pub(super) fn too_deep(&self) -> bool {
        self.guard.too_deep(self.depth) || crate::budget::expired()
    }

    pub(super) fn temp(&mut self) -> String {
        self.temps += 1;
        format!("$tmp{}", self.temps)
    }

    pub(super) fn function(&mut self, p: Pending<'t>) -> Function {
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
        self.in_fn += 1;
        self.params(n, &mut params, &mut prologue, p.param_fields);
        let mut body = prologue;
        self.function_body(n, &mut body);
        self.in_fn -= 1;
        Function {
            name: p.name,
            owner: p.owner,
            params,
            body,
            span: span_of(&n),
            is_module: false,
            route: p.route,
            annotations: p.annotations,
            name_span: None,
            returns: field(n, "return_type")
                .map(|t| self.text(t).trim_start_matches(':').trim().to_string()),
        }
    }

    pub(super) fn block(&mut self, n: Option<Node<'t>>) -> Block {
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

    /// The body of a function or arrow function: its statements, or the expression an arrow
    /// returns.
    pub(super) fn function_body(&mut self, n: Node<'t>, body: &mut Block) {
        match field(n, "body") {
            Some(b) if b.kind() == "statement_block" => {
                for k in kids(b) {
                    self.stmt(k, body);
                }
            }
            Some(b) => {
                let e = self.expr(b);
                let span = e.span;
                body.push(Stmt::Return(Some(e), span));
            }
            None => {}
        }
    }

    pub(super) fn stmt(&mut self, n: Node<'t>, out: &mut Block) {
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

    pub(super) fn stmt_inner(&mut self, n: Node<'t>, out: &mut Block) {
        match n.kind() {
            "expression_statement" => {
                for k in kids(n) {
                    self.schema_decl(None, k);
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
                    // `for (const [key, value] of Object.entries(obj))`: a pair, so that the
                    // engine can tell the key from the item.
                    let pair = kids(l);
                    if l.kind() == "array_pattern"
                        && pair.len() == 2
                        && pair.iter().all(|p| p.kind() == "identifier")
                    {
                        return Target::Tuple(
                            pair.iter()
                                .map(|p| Target::Name(self.text(*p).to_string(), span_of(p)))
                                .collect(),
                        );
                    }
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
                let mut iter = field(n, "right").map(|r| self.expr(r));
                // `for (k in obj)` walks the object's keys: its field names.
                if field(n, "operator").is_some_and(|o| self.text(o) == "in") {
                    iter = iter.map(|obj| {
                        let span = obj.span;
                        let callee = Expr::new(
                            ExprKind::Attr {
                                obj: Box::new(Expr::new(ExprKind::Name("Object".into()), span)),
                                attr: "keys".into(),
                            },
                            span,
                        );
                        let args = vec![Arg {
                            name: None,
                            value: obj,
                            kind: ArgKind::Positional,
                        }];
                        Expr::new(ExprKind::Call(Box::new(Call::new(callee, args))), span)
                    });
                }
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
    pub(super) fn expr_stmt(&mut self, n: Node<'t>, out: &mut Block) {
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
    pub(super) fn assignment(&mut self, n: Node<'t>, out: &mut Block) {
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
    pub(super) fn named_value(&mut self, r: Node<'t>, name: &str, out: &mut Block) -> Expr {
        if r.kind() == "class" {
            self.class_named(r, name, out);
        } else {
            self.queue_fn(r, name.to_string(), None, false, None);
        }
        Expr::new(ExprKind::Name(name.to_string()), span_of(&r))
    }

    /// `const x: T = v`, `let { a, b } = v`, `const fs = require('fs')`.
    pub(super) fn declarator(&mut self, d: Node<'t>, out: &mut Block) {
        let Some(name) = field(d, "name") else {
            return;
        };
        let ty = field(d, "type").map(|t| type_text(t, self.src));
        let Some(value) = field(d, "value") else {
            return;
        };
        if self.require_import(name, value) {
            return;
        }
        if name.kind() == "identifier" {
            self.schema_decl(Some(self.text(name)), value);
        }
        if name.kind() == "identifier"
            && (is_function_kind(value.kind()) || value.kind() == "class")
        {
            let n = self.text(name).to_string();
            if value.kind() == "class" {
                if !self.inline_copy {
                    self.class_named(value, &n, out);
                }
            } else {
                self.queue_fn(value, n, None, false, None);
                // A function made inside another (`const save = () => …` in a component)
                // also sees the values around it: its body runs in place too. One level only,
                // so the copies stay linear in the code's size.
                if self.in_fn > 0
                    && !self.inline_copy
                    && matches!(value.kind(), "arrow_function" | "function_expression")
                {
                    let saved = std::mem::replace(&mut self.inline_copy, true);
                    let lam = self.lambda(value);
                    self.inline_copy = saved;
                    out.push(Stmt::Expr(Expr::new(lam, span_of(&value))));
                }
            }
            return;
        }
        let v = self.expr(value);
        self.bind(name, v, ty, span_of(&d), out);
    }

    /// `const x = require('m')`, `const { a, b: c } = require('m')`, `await import('m')`:
    /// imports, not assignments.
    pub(super) fn require_import(&mut self, name: Node<'t>, value: Node<'t>) -> bool {
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
    pub(super) fn bind(
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
    pub(super) fn destructure(&mut self, pat: Node<'t>, src: Expr, out: &mut Block) {
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
    pub(super) fn destructure_into(&mut self, p: Node<'t>, part: Expr, out: &mut Block) {
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
    pub(super) fn pattern_target(&mut self, n: Node<'t>) -> Target {
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
