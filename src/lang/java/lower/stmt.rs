//! Statements: blocks, local variables, assignments and setters, control flow, try and
//! try-with-resources, switch.

use super::*;

impl<'s> Lowerer<'s> {
    pub(super) fn block(&mut self, n: Option<Node>) -> Block {
        let mut out = Vec::new();
        if let Some(n) = n {
            if matches!(n.kind(), "block" | "constructor_body" | "program") {
                for k in kids(n) {
                    self.stmt(k, &mut out);
                }
            } else {
                self.stmt(n, &mut out);
            }
        }
        out
    }

    pub(super) fn stmt(&mut self, n: Node, out: &mut Block) {
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

    fn stmt_inner(&mut self, n: Node, out: &mut Block) {
        match n.kind() {
            "class_declaration" | "interface_declaration" | "enum_declaration"
            | "record_declaration" | "annotation_type_declaration" => {
                // A local class: its static parts are this block's.
                let saved = std::mem::take(&mut self.locals);
                self.class_decl(n, out);
                self.locals = saved;
            }
            "local_variable_declaration" => {
                let ty = field(n, "type").and_then(|t| {
                    let path = type_path(t, self.src);
                    self.use_type(&path, span_of(&t));
                    (path != "var").then(|| self.ty(t))
                });
                for d in fields(n, "declarator") {
                    let Some(dn) = field(d, "name") else { continue };
                    let target = Target::Name(self.text(dn).to_string(), span_of(&dn));
                    match field(d, "value") {
                        Some(v) => {
                            let value = self.expr(v);
                            match (&ty, &target) {
                                (Some(t), Target::Name(name, span))
                                    if typed_value(&value) && names_a_record_type(t) =>
                                {
                                    typed_bind(name, *span, t, value, out)
                                }
                                _ => out.push(assign(target, value, ty.clone())),
                            }
                        }
                        None if ty.is_some() => {
                            // A declaration without a value still types the name.
                            let span = span_of(&d);
                            out.push(assign(
                                target,
                                Expr::new(ExprKind::Const("null".into()), span),
                                ty.clone(),
                            ));
                        }
                        None => {}
                    }
                }
            }
            "expression_statement" => {
                for k in kids(n) {
                    self.expr_stmt(k, out);
                }
            }
            "return_statement" => {
                let value = kids(n).first().map(|v| self.expr(*v));
                out.push(Stmt::Return(value, span_of(&n)));
            }
            "yield_statement" => {
                if let Some(v) = kids(n).first() {
                    let e = self.expr(*v);
                    out.push(Stmt::Expr(e));
                }
            }
            "throw_statement" | "assert_statement" => {
                for k in kids(n) {
                    let e = self.expr(k);
                    out.push(Stmt::Expr(e));
                }
            }
            "if_statement" => self.if_stmt(n, out),
            "while_statement" | "do_statement" => {
                let iter = field(n, "condition").map(|c| self.expr(c));
                let body = self.block(field(n, "body"));
                out.push(Stmt::Loop {
                    target: None,
                    iter,
                    body,
                });
            }
            "for_statement" => {
                for i in fields(n, "init") {
                    if i.kind() == "local_variable_declaration" {
                        self.stmt(i, out);
                    } else {
                        self.expr_stmt(i, out);
                    }
                }
                let iter = field(n, "condition").map(|c| self.expr(c));
                let mut body = self.block(field(n, "body"));
                for u in fields(n, "update") {
                    self.expr_stmt(u, &mut body);
                }
                out.push(Stmt::Loop {
                    target: None,
                    iter,
                    body,
                });
            }
            "enhanced_for_statement" => {
                let target = field(n, "name")
                    .map(|x| Target::Name(self.text(x).to_string(), span_of(&x)))
                    .unwrap_or(Target::Ignore);
                let iter = field(n, "value").map(|v| self.expr(v));
                let mut body = Vec::new();
                // The loop variable's declared type types it.
                if let (Some(t), Some(x)) = (field(n, "type"), field(n, "name")) {
                    let path = type_path(t, self.src);
                    self.use_type(&path, span_of(&t));
                    if path != "var" {
                        let span = span_of(&x);
                        let name = self.text(x).to_string();
                        body.push(assign(
                            Target::Name(name.clone(), span),
                            name_expr(&name, span),
                            Some(self.ty(t)),
                        ));
                    }
                }
                body.extend(self.block(field(n, "body")));
                out.push(Stmt::Loop {
                    target: Some(target),
                    iter,
                    body,
                });
            }
            "try_statement" => {
                let body = self.block(field(n, "body"));
                out.push(Stmt::Block(body));
                self.handlers(n, out);
            }
            "try_with_resources_statement" => {
                let mut items = Vec::new();
                if let Some(rs) = field(n, "resources") {
                    for r in kids(rs) {
                        match (field(r, "name"), field(r, "value")) {
                            (Some(name), Some(v)) => {
                                let value = self.expr(v);
                                items.push((
                                    value,
                                    Some(Target::Name(self.text(name).to_string(), span_of(&name))),
                                ));
                            }
                            _ => {
                                // `try (existing)`: a resource named by a variable or field.
                                let e = self.opt_expr(kids(r).into_iter().last(), r);
                                items.push((e, None));
                            }
                        }
                    }
                }
                let body = self.block(field(n, "body"));
                out.push(Stmt::With { items, body });
                self.handlers(n, out);
            }
            "switch_expression" => {
                let (conds, arms) = self.switch_arms(n, false);
                out.push(Stmt::Branch { conds, arms });
            }
            "block" => {
                let b = self.block(Some(n));
                out.push(Stmt::Block(b));
            }
            "labeled_statement" => {
                for k in kids(n) {
                    if k.kind() != "identifier" {
                        self.stmt(k, out);
                    }
                }
            }
            "synchronized_statement" => {
                for k in kids(n) {
                    if k.kind() == "block" {
                        let b = self.block(Some(k));
                        out.push(Stmt::Block(b));
                    } else {
                        let e = self.expr(k);
                        out.push(Stmt::Expr(e));
                    }
                }
            }
            "explicit_constructor_invocation" => {
                // `super(…)` / `this(…)`: the arguments flow into the base's constructor.
                let span = span_of(&n);
                let callee = match field(n, "constructor").map(|c| c.kind()) {
                    Some("this") => attr(name_expr("self", span), "<init>", span),
                    _ => name_expr("super", span),
                };
                let args = match field(n, "arguments") {
                    Some(a) => self.args(a),
                    None => Vec::new(),
                };
                out.push(Stmt::Expr(call(callee, args, span)));
            }
            "break_statement" | "continue_statement" | ";" | "empty_statement"
            | "package_declaration" | "import_declaration" | "line_comment" | "block_comment" => {}
            "ERROR" | "program" => {
                for k in kids(n) {
                    self.stmt(k, out);
                }
            }
            "method_declaration" | "constructor_declaration" => {
                // Out of any class (a recovered tree): a function of the module.
                let name = field(n, "name")
                    .map(|x| self.text(x).to_string())
                    .unwrap_or_default();
                let f = self.function(n, name, true, None, &Vec::new());
                self.functions.push(f);
            }
            _ => {
                let e = self.expr(n);
                out.push(Stmt::Expr(e));
            }
        }
    }

    /// The catch clauses (alternative arms) and the finally block of a try.
    fn handlers(&mut self, n: Node, out: &mut Block) {
        for k in kids(n) {
            match k.kind() {
                "catch_clause" => {
                    let arm = self.block(field(k, "body"));
                    out.push(Stmt::Branch {
                        conds: Vec::new(),
                        arms: vec![arm, Vec::new()],
                    });
                }
                "finally_clause" => {
                    let b = kids(k).into_iter().find(|x| x.kind() == "block");
                    let b = self.block(b);
                    out.push(Stmt::Block(b));
                }
                _ => {}
            }
        }
    }

    fn if_stmt(&mut self, n: Node, out: &mut Block) {
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
            if alt.kind() == "if_statement" && arms.len() < 64 {
                cur = alt;
            } else {
                arms.push(self.block(Some(alt)));
                break;
            }
        }
        out.push(Stmt::Branch { conds, arms });
    }

    /// A switch's selector and labels, and one arm per group or rule (plus the fall-through
    /// when there is no `default`).
    /// As an expression (`as_value`), a rule's expression (`case X -> value;`) and `yield`
    /// end their arm with a `Return` of the arm's value.
    pub(super) fn switch_arms(&mut self, n: Node, as_value: bool) -> (Vec<Expr>, Vec<Block>) {
        let mut conds: Vec<Expr> = field(n, "condition")
            .map(|v| self.expr(v))
            .into_iter()
            .collect();
        let mut arms = Vec::new();
        let mut has_default = false;
        if let Some(body) = field(n, "body") {
            for case in kids(body) {
                let mut arm = Vec::new();
                for k in kids(case) {
                    match k.kind() {
                        "switch_label" => {
                            if self.text(k).trim_start().starts_with("default") {
                                has_default = true;
                            }
                            for v in kids(k) {
                                let e = self.expr(v);
                                conds.push(e);
                            }
                        }
                        "expression_statement" if as_value && case.kind() == "switch_rule" => {
                            if let Some(v) = kids(k).into_iter().next() {
                                let e = self.expr(v);
                                let span = e.span;
                                arm.push(Stmt::Return(Some(e), span));
                            }
                        }
                        "yield_statement" if as_value => {
                            if let Some(v) = kids(k).into_iter().next() {
                                let e = self.expr(v);
                                let span = e.span;
                                arm.push(Stmt::Return(Some(e), span));
                            }
                        }
                        "expression_statement" | "block" | "throw_statement" => {
                            self.stmt(k, &mut arm)
                        }
                        kind if case.kind() == "switch_rule" && !kind.ends_with("statement") => {
                            // `case X -> value`: the rule's value.
                            let e = self.expr(k);
                            let span = e.span;
                            arm.push(Stmt::Return(Some(e), span));
                        }
                        _ => self.stmt(k, &mut arm),
                    }
                }
                arms.push(arm);
            }
        }
        if !has_default {
            arms.push(Vec::new());
        }
        (conds, arms)
    }

    /// An expression evaluated for its effect. Assignments become `Assign`s; a setter call
    /// `x.setNotes(v);` also writes field `notes` of `x`.
    pub(super) fn expr_stmt(&mut self, n: Node, out: &mut Block) {
        match n.kind() {
            "assignment_expression" => {
                let op = field(n, "operator").map(|o| self.text(o)).unwrap_or("=");
                let target = match field(n, "left") {
                    Some(l) => self.target(l),
                    None => Target::Ignore,
                };
                let value = self.opt_expr(field(n, "right"), n);
                let span = span_of(&n);
                out.push(Stmt::Assign {
                    targets: vec![target],
                    value,
                    augmented: op != "=",
                    ty: None,
                    span,
                });
            }
            "method_invocation" => {
                let e = self.expr(n);
                if let Some(s) = self.appended(n, &e) {
                    out.push(s);
                    return;
                }
                if let Some(s) = self.setter(n, &e) {
                    out.push(s);
                }
                if let Some(s) = self.initialiser(n, &e) {
                    out.push(s);
                    return;
                }
                out.push(Stmt::Expr(e));
            }
            _ => {
                let e = self.expr(n);
                out.push(Stmt::Expr(e));
            }
        }
    }

    /// `x.setNotes(v)` (one argument, on a value rather than a type): `x.notes = v`.
    fn setter(&self, n: Node, e: &Expr) -> Option<Stmt> {
        let name = field(n, "name").map(|x| self.text(x))?;
        let fname = setter_field(name)?;
        let ExprKind::Call(c) = &e.kind else {
            return None;
        };
        let ExprKind::Attr { obj, .. } = &c.callee.kind else {
            return None;
        };
        if let ExprKind::Name(r) = &obj.kind {
            if is_type_name(r) {
                return None;
            }
        }
        let [arg] = c.args.as_slice() else {
            return None;
        };
        Some(assign(
            Target::Attr {
                obj: (**obj).clone(),
                attr: fname,
                span: e.span,
            },
            arg.value.clone(),
            None,
        ))
    }

    /// `sb.append(a).append(b);`, `list.add(x)` chained: everything appended is in `sb`
    /// (`sb = sb || sb.append(a).append(b)`).
    fn appended(&self, n: Node, e: &Expr) -> Option<Stmt> {
        const APPENDERS: &[&str] = &["append", "add", "put", "with", "param", "field"];
        let mut cur = n;
        let mut links = 0;
        let root = loop {
            let m = field(cur, "name").map(|x| self.text(x))?;
            if !APPENDERS.contains(&m) || links > 4096 {
                return None;
            }
            links += 1;
            let obj = field(cur, "object")?;
            match obj.kind() {
                "method_invocation" => cur = obj,
                "identifier" => break obj,
                _ => return None,
            }
        };
        let name = self.text(root);
        if links < 2 || is_type_name(name) || self.is_field(name) {
            return None;
        }
        let span = span_of(&root);
        let joined = Expr::new(
            ExprKind::Binary {
                op: BinOp::Logic,
                left: Box::new(name_expr(name, span)),
                right: Box::new(e.clone()),
            },
            e.span,
        );
        Some(assign(Target::Name(name.to_string(), span), joined, None))
    }

    /// `ssl.init(keyManagers, trustManagers, random);`: the context is what it was set up
    /// with (`ssl = ssl || ssl.init(…)`), so trust managers that accept every certificate stay
    /// with it.
    fn initialiser(&self, n: Node, e: &Expr) -> Option<Stmt> {
        let name = field(n, "name").map(|x| self.text(x))?;
        let ExprKind::Call(c) = &e.kind else {
            return None;
        };
        let ExprKind::Attr { obj, .. } = &c.callee.kind else {
            return None;
        };
        let ExprKind::Name(r) = &obj.kind else {
            return None;
        };
        if name != "init" || c.args.len() != 3 || is_type_name(r) {
            return None;
        }
        let span = e.span;
        let joined = Expr::new(
            ExprKind::Binary {
                op: BinOp::Logic,
                left: Box::new((**obj).clone()),
                right: Box::new(e.clone()),
            },
            span,
        );
        Some(assign(Target::Name(r.clone(), obj.span), joined, None))
    }

    /// The target of an assignment.
    pub(super) fn target(&mut self, l: Node) -> Target {
        let span = span_of(&l);
        match l.kind() {
            "identifier" => {
                let name = self.text(l).to_string();
                if self.is_field(&name) {
                    Target::Attr {
                        obj: name_expr("self", span),
                        attr: name,
                        span,
                    }
                } else {
                    Target::Name(name, span)
                }
            }
            "field_access" => {
                let obj = self.opt_expr(field(l, "object"), l);
                let a = field(l, "field")
                    .map(|f| self.text(f).to_string())
                    .unwrap_or_default();
                Target::Attr { obj, attr: a, span }
            }
            "array_access" => {
                let obj = self.opt_expr(field(l, "array"), l);
                let index = self.opt_expr(field(l, "index"), l);
                Target::Index { obj, index, span }
            }
            "parenthesized_expression" => match kids(l).first() {
                Some(k) => self.target(*k),
                None => Target::Ignore,
            },
            _ => Target::Ignore,
        }
    }

    /// A bare name that is an instance field of the class, not shadowed.
    pub(super) fn is_field(&self, name: &str) -> bool {
        !self.locals.contains(name)
            && self
                .class
                .as_ref()
                .is_some_and(|c| c.fields.contains(name))
    }
}

/// Types that hold no record of their own: scalars, strings, dates and the JDK's containers
/// and wrappers (`List<String>` names no record; `List<Patient>` does).
const NOT_RECORDS: &[&str] = &[
    "String", "Integer", "Long", "Short", "Byte", "Double", "Float", "Boolean", "Character",
    "Object", "Number", "BigDecimal", "BigInteger", "List", "ArrayList", "LinkedList", "Map",
    "HashMap", "LinkedHashMap", "TreeMap", "Set", "HashSet", "TreeSet", "Collection", "Iterable",
    "Optional", "Stream", "Iterator", "Entry", "LocalDate", "LocalDateTime", "Instant",
    "ZonedDateTime", "OffsetDateTime", "Duration", "UUID", "URI", "URL", "Path", "File",
    "StringBuilder", "CharSequence", "CompletableFuture", "Future", "Void", "Class",
];

/// A declared type that names a class of the code or a library's record type, not only
/// scalars and JDK containers (`long`, `List<String>`).
fn names_a_record_type(ty: &str) -> bool {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .filter(|w| !w.is_empty())
        .map(|w| w.rsplit('.').next().unwrap_or(w))
        .any(|w| is_type_name(w) && !NOT_RECORDS.contains(&w))
}

/// Whether a declared variable's value may be a record of its declared type (not a literal,
/// `null`, or a new empty object).
fn typed_value(v: &Expr) -> bool {
    match &v.kind {
        ExprKind::Const(_) | ExprKind::Str(_) | ExprKind::Template { .. } => false,
        ExprKind::Binary { op, .. } => *op == BinOp::Logic,
        _ => true,
    }
}

/// `T name = value;`: `name` holds a value of type `T` whatever the value's own provenance
/// (a parameter passed through a library call, a deserialiser's result): first the type's
/// value, then joined with what was assigned.
fn typed_bind(name: &str, span: Span, ty: &str, value: Expr, out: &mut Block) {
    let vspan = value.span;
    out.push(assign(
        Target::Name(name.to_string(), span),
        Expr::new(ExprKind::Other(Vec::new()), span),
        Some(ty.to_string()),
    ));
    let joined = Expr::new(
        ExprKind::Binary {
            op: BinOp::Logic,
            left: Box::new(value),
            right: Box::new(name_expr(name, span)),
        },
        vspan,
    );
    out.push(Stmt::Assign {
        targets: vec![Target::Name(name.to_string(), span)],
        value: joined,
        augmented: false,
        ty: Some(ty.to_string()),
        span: vspan,
    });
}
