//! Expressions, call arguments and options objects.

use super::*;

impl<'t, 's> Lowerer<'t, 's> {
    pub(super) fn expr(&mut self, n: Node<'t>) -> Expr {
        if self.too_deep() {
            return flat(n, self.src);
        }
        self.depth += 1;
        let kind = self.expr_kind(n);
        self.depth -= 1;
        Expr::new(kind, span_of(&n))
    }

    pub(super) fn opt_expr(&mut self, n: Option<Node<'t>>, parent: Node<'t>) -> Expr {
        match n {
            Some(n) => self.expr(n),
            None => other(span_of(&parent)),
        }
    }

    pub(super) fn boxed(&mut self, n: Option<Node<'t>>, parent: Node<'t>) -> Box<Expr> {
        Box::new(self.opt_expr(n, parent))
    }

    pub(super) fn all(&mut self, nodes: Vec<Node<'t>>) -> Vec<Expr> {
        let mut out = Vec::with_capacity(nodes.len());
        for k in nodes {
            out.push(self.expr(k));
        }
        out
    }

    /// Picks the lowering function for `n`'s kind; a table of functions keeps the recursive
    /// path's stack frames small.
    pub(super) fn expr_kind(&mut self, n: Node<'t>) -> ExprKind {
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

    pub(super) fn name(&mut self, n: Node<'t>) -> ExprKind {
        ExprKind::Name(self.text(n).to_string())
    }

    pub(super) fn constant(&mut self, n: Node<'t>) -> ExprKind {
        ExprKind::Const(self.text(n).to_string())
    }

    pub(super) fn wrap(&mut self, n: Node<'t>) -> ExprKind {
        match kids(n).as_slice() {
            [k] => ExprKind::Wrap(Box::new(self.expr(*k))),
            ks => ExprKind::Other(self.all(ks.to_vec())),
        }
    }

    pub(super) fn template(&mut self, n: Node<'t>) -> ExprKind {
        let mut literal = String::new();
        let mut parts = Vec::new();
        let mut opens_with_text = false;
        for k in kids(n) {
            match k.kind() {
                "string_fragment" => literal.push_str(self.text(k)),
                "escape_sequence" => literal.push_str(&unescape(self.text(k))),
                "template_substitution" => {
                    if parts.is_empty() {
                        opens_with_text = !literal.is_empty();
                    }
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
            ExprKind::Template {
                literal,
                parts,
                opens_with_text,
            }
        }
    }

    pub(super) fn member(&mut self, n: Node<'t>) -> ExprKind {
        match (field(n, "object"), field(n, "property")) {
            (Some(o), Some(p)) => ExprKind::Attr {
                obj: Box::new(self.expr(o)),
                attr: self.text(p).trim_start_matches('#').to_string(),
            },
            _ => ExprKind::Other(self.all(kids(n))),
        }
    }

    pub(super) fn subscript(&mut self, n: Node<'t>) -> ExprKind {
        let obj = self.boxed(field(n, "object"), n);
        let index = self.boxed(field(n, "index"), n);
        ExprKind::Index { obj, index }
    }

    pub(super) fn binary(&mut self, n: Node<'t>) -> ExprKind {
        let op = field(n, "operator").map(|o| self.text(o)).unwrap_or("");
        let op = match op {
            "&&" | "||" | "??" => BinOp::Logic,
            "==" | "===" | "!=" | "!==" | "<" | ">" | "<=" | ">=" | "instanceof" | "in" => {
                BinOp::Compare(Cmp::from_op(op))
            }
            _ => BinOp::Arith,
        };
        ExprKind::Binary {
            op,
            left: self.boxed(field(n, "left"), n),
            right: self.boxed(field(n, "right"), n),
        }
    }

    pub(super) fn unary(&mut self, n: Node<'t>) -> ExprKind {
        let op = field(n, "operator").map(|o| self.text(o)).unwrap_or("");
        ExprKind::Unary {
            negates_to_bool: matches!(op, "!" | "typeof" | "void" | "delete"),
            operand: self.boxed(field(n, "argument"), n),
        }
    }

    pub(super) fn ternary(&mut self, n: Node<'t>) -> ExprKind {
        let c = self.opt_expr(field(n, "condition"), n);
        let a = self.opt_expr(field(n, "consequence"), n);
        let b = self.opt_expr(field(n, "alternative"), n);
        ExprKind::Branch {
            conds: vec![c],
            arms: vec![a, b],
        }
    }

    pub(super) fn assign_expr(&mut self, n: Node<'t>) -> ExprKind {
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
    pub(super) fn lambda(&mut self, n: Node<'t>) -> ExprKind {
        let mut params = Vec::new();
        let mut body = Vec::new();
        self.params(n, &mut params, &mut body, false);
        self.function_body(n, &mut body);
        ExprKind::Lambda { params, body }
    }

    pub(super) fn object(&mut self, n: Node<'t>) -> ExprKind {
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

    pub(super) fn new_call(&mut self, n: Node<'t>) -> ExprKind {
        let callee = self.opt_expr(field(n, "constructor"), n);
        let args = match field(n, "arguments") {
            Some(a) => self.args(a, None),
            None => Vec::new(),
        };
        ExprKind::Call(Box::new(Call::new(callee, args)))
    }

    pub(super) fn call(&mut self, n: Node<'t>) -> ExprKind {
        let func = field(n, "function");
        let callee = self.opt_expr(func, n);
        let Some(a) = field(n, "arguments") else {
            return ExprKind::Call(Box::new(Call {
                callee,
                args: Vec::new(),
                type_args: Vec::new(),
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
                type_args: Vec::new(),
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
            .map(|r| (method.unwrap_or("").to_string(), r))
            .or_else(|| {
                // `router.route('/patients/:id').get((req, res) => …)`
                let m = method.filter(|m| ROUTE_METHODS.contains(m))?;
                let recv = func.and_then(|f| field(f, "object"))?;
                self.chained_route(recv).map(|r| (m.to_string(), r))
            });
        let mut args = self.args(a, route);
        // `client.send(new PutObjectCommand({ … }))`: the command's options are what is sent.
        if method == Some("send") && args.len() == 1 {
            let extra: Vec<Arg> = match &args[0].value.kind {
                ExprKind::Call(inner) => inner
                    .args
                    .iter()
                    .filter(|x| x.kind == ArgKind::Keyword)
                    .cloned()
                    .collect(),
                _ => Vec::new(),
            };
            args.extend(extra);
        }
        // `useState<IntakeDraft>(…)`, `api.get<Patient>(url)`: the call's type arguments.
        let type_args = field(n, "type_arguments")
            .map(kids)
            .unwrap_or_default()
            .into_iter()
            .map(|t| super::type_text(t, self.src))
            .collect();
        ExprKind::Call(Box::new(Call {
            callee,
            args,
            type_args,
        }))
    }

    /// Arguments; an object literal in last place also gives its keys as keyword arguments.
    pub(super) fn args(&mut self, a: Node<'t>, route: Option<(String, String)>) -> Vec<Arg> {
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
                "identifier" if route.is_some() && i > 0 => {
                    // A handler passed by name: its function gets the route.
                    let (_, r) = route.clone().unwrap_or_default();
                    self.named_routes.push((self.text(k).to_string(), r));
                    let value = self.expr(k);
                    out.push(Arg {
                        name: None,
                        value,
                        kind: ArgKind::Positional,
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
                                // The value is repeated, not bound to a temporary: a
                                // temporary would be a new name for the data (and give a
                                // sanitised call's result a name to be read by).
                                let kw = keyword.then(|| v.clone());
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

    /// The path of `router.route('/x')` (possibly after other route methods: `.get(…).post(…)`).
    fn chained_route(&self, mut recv: Node<'t>) -> Option<String> {
        for _ in 0..16 {
            if recv.kind() != "call_expression" {
                return None;
            }
            let f = field(recv, "function").filter(|f| f.kind() == "member_expression")?;
            let m = field(f, "property").map(|p| self.text(p))?;
            if m == "route" {
                let first = field(recv, "arguments").and_then(|a| kids(a).into_iter().next())?;
                return (first.kind() == "string")
                    .then(|| string_value(first, self.src))
                    .filter(|r| r.starts_with('/'));
            }
            if !ROUTE_METHODS.contains(&m) {
                return None;
            }
            recv = field(f, "object")?;
        }
        None
    }
}
