//! Expressions: names and fields, calls (getters, builders, JDBC columns), object creation,
//! lambdas and method references, operators, switch expressions.

use super::*;

/// Builder chains are followed this far back from `build()`.
const MAX_BUILDER_CHAIN: usize = 256;

impl<'s> Lowerer<'s> {
    pub(super) fn expr(&mut self, n: Node) -> Expr {
        if self.too_deep() {
            return flat(n, self.src);
        }
        self.depth += 1;
        let kind = self.expr_kind(n);
        self.depth -= 1;
        Expr::new(kind, span_of(&n))
    }

    pub(super) fn opt_expr(&mut self, n: Option<Node>, parent: Node) -> Expr {
        match n {
            Some(n) => self.expr(n),
            None => other(span_of(&parent)),
        }
    }

    fn boxed(&mut self, n: Option<Node>, parent: Node) -> Box<Expr> {
        Box::new(self.opt_expr(n, parent))
    }

    fn all(&mut self, nodes: Vec<Node>) -> Vec<Expr> {
        let mut out = Vec::with_capacity(nodes.len());
        for k in nodes {
            out.push(self.expr(k));
        }
        out
    }

    /// Picks the lowering function for `n`'s kind; a table of functions keeps the recursive
    /// path's stack frames small.
    fn expr_kind(&mut self, n: Node) -> ExprKind {
        type Lower<'s> = for<'t> fn(&mut Lowerer<'s>, Node<'t>) -> ExprKind;
        let f: Lower<'s> = match n.kind() {
            "identifier" => Self::ident,
            "type_identifier" | "scoped_type_identifier" | "generic_type" | "scoped_identifier" => {
                |lw, n| {
                    let p = type_path(n, lw.src);
                    lw.use_type(&p, span_of(&n));
                    path_expr(&p, span_of(&n)).kind.clone()
                }
            }
            "this" => |_, _| ExprKind::Name("self".to_string()),
            "super" => |_, _| ExprKind::Name("super".to_string()),
            "decimal_integer_literal"
            | "hex_integer_literal"
            | "octal_integer_literal"
            | "binary_integer_literal"
            | "decimal_floating_point_literal"
            | "hex_floating_point_literal"
            | "true"
            | "false"
            | "null_literal"
            | "character_literal" => |lw, n| ExprKind::Const(lw.text(n).to_string()),
            // `Patient.class` names the type: what a call given it returns is of that type
            // (`mapper.readValue(json, Patient.class)`, `parser.parseResource(Patient.class, s)`).
            "class_literal" => |lw, n| match kids(n).first() {
                Some(t) if !matches!(t.kind(), "void_type" | "integral_type" | "boolean_type") => {
                    let p = type_path(*t, lw.src);
                    lw.use_type(&p, span_of(t));
                    path_expr(&p, span_of(&n)).kind.clone()
                }
                _ => ExprKind::Const(lw.text(n).to_string()),
            },
            "string_literal" => Self::string,
            "field_access" => Self::field_access,
            "array_access" => |lw, n| ExprKind::Index {
                obj: lw.boxed(field(n, "array"), n),
                index: lw.boxed(field(n, "index"), n),
            },
            "method_invocation" => Self::invocation,
            "object_creation_expression" => Self::creation,
            "array_creation_expression" => |lw, n| match field(n, "value") {
                Some(v) => ExprKind::Collection(lw.all(kids(v))),
                None => ExprKind::Collection(Vec::new()),
            },
            "array_initializer" | "element_value_array_initializer" => {
                |lw, n| ExprKind::Collection(lw.all(kids(n)))
            }
            "binary_expression" => Self::binary,
            "unary_expression" => |lw, n| {
                let op = field(n, "operator").map(|o| lw.text(o)).unwrap_or("");
                ExprKind::Unary {
                    negates_to_bool: op == "!",
                    operand: lw.boxed(field(n, "operand"), n),
                }
            },
            "update_expression" => |lw, n| ExprKind::Unary {
                negates_to_bool: false,
                operand: Box::new(lw.opt_expr(kids(n).into_iter().next(), n)),
            },
            "ternary_expression" => |lw, n| {
                let c = lw.opt_expr(field(n, "condition"), n);
                let a = lw.opt_expr(field(n, "consequence"), n);
                let b = lw.opt_expr(field(n, "alternative"), n);
                ExprKind::Branch {
                    conds: vec![c],
                    arms: vec![a, b],
                }
            },
            "assignment_expression" => |lw, n| {
                let target = match field(n, "left") {
                    Some(l) => lw.target(l),
                    None => Target::Ignore,
                };
                ExprKind::AssignExpr {
                    target: Box::new(target),
                    value: lw.boxed(field(n, "right"), n),
                }
            },
            "lambda_expression" => Self::lambda,
            "method_reference" => Self::method_reference,
            "cast_expression" => |lw, n| ExprKind::Wrap(lw.boxed(field(n, "value"), n)),
            "parenthesized_expression" => |lw, n| match kids(n).as_slice() {
                [k] => ExprKind::Wrap(Box::new(lw.expr(*k))),
                ks => ExprKind::Other(lw.all(ks.to_vec())),
            },
            "instanceof_expression" => |lw, n| ExprKind::Binary {
                op: BinOp::Compare(Cmp::Other),
                left: lw.boxed(field(n, "left"), n),
                right: Box::new(Expr::new(ExprKind::Const("type".into()), span_of(&n))),
            },
            "switch_expression" => |lw, n| {
                let (conds, arms) = lw.switch_arms(n, true);
                let arms = arms
                    .into_iter()
                    .map(|mut b| {
                        let value = match b.pop() {
                            Some(Stmt::Return(v, _)) => v.map(Box::new),
                            Some(s) => {
                                b.push(s);
                                None
                            }
                            None => None,
                        };
                        Expr::new(ExprKind::Block { stmts: b, value }, span_of(&n))
                    })
                    .collect();
                ExprKind::Branch { conds, arms }
            },
            "template_expression" => |lw, n| {
                let literal = field(n, "template_argument")
                    .map(|s| string_value(s, lw.src))
                    .unwrap_or_default();
                let mut parts = Vec::new();
                let opens_with_text = field(n, "template_argument").is_some_and(opens_with_text);
                if let Some(s) = field(n, "template_argument") {
                    for k in kids(s) {
                        if k.kind() == "string_interpolation" {
                            parts.extend(lw.all(kids(k)));
                        }
                    }
                }
                ExprKind::Template {
                    literal,
                    parts,
                    opens_with_text,
                }
            },
            "line_comment" | "block_comment" | "marker_annotation" | "annotation" => {
                |_, _| ExprKind::Other(Vec::new())
            }
            _ => |lw, n| ExprKind::Other(lw.all(kids(n))),
        };
        f(self, n)
    }

    /// A bare name: an instance field of the class is `self.name`.
    fn ident(&mut self, n: Node) -> ExprKind {
        let name = self.text(n);
        if self.is_field(name) {
            return ExprKind::Attr {
                obj: Box::new(name_expr("self", span_of(&n))),
                attr: name.to_string(),
            };
        }
        if is_type_name(name) && !self.locals.contains(name) {
            self.use_type(name, span_of(&n));
        }
        ExprKind::Name(name.to_string())
    }

    fn string(&mut self, n: Node) -> ExprKind {
        let interpolated: Vec<Node> = kids(n)
            .into_iter()
            .filter(|k| k.kind() == "string_interpolation")
            .collect();
        let literal = string_value(n, self.src);
        if interpolated.is_empty() {
            return ExprKind::Str(literal);
        }
        let mut parts = Vec::new();
        for k in interpolated {
            parts.extend(self.all(kids(k)));
        }
        ExprKind::Template {
            literal,
            parts,
            opens_with_text: opens_with_text(n),
        }
    }

    fn field_access(&mut self, n: Node) -> ExprKind {
        let f = field(n, "field");
        if f.is_some_and(|f| f.kind() == "this") {
            // `Outer.this`
            return ExprKind::Name("self".to_string());
        }
        // AWS SDK v2 regions: `Region.EU_WEST_3` is the region `eu-west-3`.
        if let (Some(o), Some(f)) = (field(n, "object"), f) {
            let (ot, ft) = (self.text(o), self.text(f));
            if ot == "Region"
                && ft.contains('_')
                && ft.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                return ExprKind::Str(ft.to_ascii_lowercase().replace('_', "-"));
            }
        }
        let obj = self.boxed(field(n, "object"), n);
        ExprKind::Attr {
            obj,
            attr: f.map(|f| self.text(f).to_string()).unwrap_or_default(),
        }
    }

    fn binary(&mut self, n: Node) -> ExprKind {
        let op = field(n, "operator").map(|o| self.text(o)).unwrap_or("");
        let op = match op {
            "&&" | "||" => BinOp::Logic,
            "==" | "!=" | "<" | ">" | "<=" | ">=" => BinOp::Compare(Cmp::from_op(op)),
            _ => BinOp::Arith,
        };
        ExprKind::Binary {
            op,
            left: self.boxed(field(n, "left"), n),
            right: self.boxed(field(n, "right"), n),
        }
    }

    /// Call arguments; a builder passed as an argument also gives its keywords to the call.
    pub(super) fn args(&mut self, a: Node) -> Vec<Arg> {
        let mut out = Vec::new();
        let mut lifted = Vec::new();
        for k in kids(a) {
            let value = self.expr(k);
            if let ExprKind::Call(c) = &value.kind {
                if is_builder_callee(&c.callee) {
                    lifted.extend(
                        c.args
                            .iter()
                            .filter(|x| x.kind == ArgKind::Keyword)
                            .cloned(),
                    );
                }
            }
            out.push(pos(value));
        }
        out.extend(lifted);
        out
    }

    fn invocation(&mut self, n: Node) -> ExprKind {
        let name = field(n, "name")
            .map(|x| self.text(x).to_string())
            .unwrap_or_default();
        let obj_node = field(n, "object");
        let args_node = field(n, "arguments");
        let argc = args_node.map(|a| kids(a).len()).unwrap_or(0);
        let span = span_of(&n);
        if name == "build" && argc == 0 {
            if let Some(k) = self.builder(n) {
                return k;
            }
        }
        if let Some(o) = obj_node {
            let on_type = o.kind() == "identifier" && is_type_name(self.text(o));
            // `rs.getString("diagnosis")`: the column.
            if COLUMN_GETTERS.contains(&name.as_str()) && argc == 1 && !on_type {
                let a = args_node.and_then(|a| kids(a).into_iter().next());
                if let Some(a) = a.filter(|a| a.kind() == "string_literal") {
                    let obj = self.expr(o);
                    let col = string_value(a, self.src);
                    return ExprKind::Index {
                        obj: Box::new(obj),
                        index: Box::new(Expr::new(ExprKind::Str(col), span_of(&a))),
                    };
                }
            }
            // Accessors: `p.getDiagnosis()`, `p.isSmoker()`, a record's `r.diagnosis()`.
            if argc == 0 && !on_type && o.kind() != "super" {
                let fname = getter_field(&name)
                    .filter(|f| f != "class")
                    .or_else(|| {
                        (self.record_fields.contains(&name) || is_accessor_name(&name))
                            .then(|| name.clone())
                    });
                if let Some(fname) = fname {
                    let obj = self.expr(o);
                    return ExprKind::Attr {
                        obj: Box::new(obj),
                        attr: fname,
                    };
                }
            }
        }
        let callee = match obj_node {
            Some(o) => {
                let obj = self.expr(o);
                // Spring Data derived queries (`findByInsuranceMemberId`) read records like
                // `findBy`.
                attr(obj, derived_query(&name).unwrap_or(&name), span)
            }
            None => {
                let own = self
                    .class
                    .as_ref()
                    .is_some_and(|c| c.methods.contains(&name));
                if own {
                    attr(name_expr("self", span), &name, span)
                } else {
                    name_expr(&name, span)
                }
            }
        };
        let mut args = match args_node {
            Some(a) => self.args(a),
            None => Vec::new(),
        };
        if args_node.is_some_and(|a| self.disables_verification(&name, a)) {
            args.push(Arg {
                name: Some("trustAll".to_string()),
                value: Expr::new(ExprKind::Const("true".into()), span),
                kind: ArgKind::Keyword,
            });
        }
        ExprKind::Call(Box::new(Call::new(callee, args)))
    }

    /// `setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE)`, `hostnameVerifier((h, s) ->
    /// true)`, `loadTrustMaterial(null, TrustAllStrategy.INSTANCE)`: certificate or host name
    /// verification turned off.
    fn disables_verification(&self, method: &str, args: Node) -> bool {
        let verifier = method.ends_with("HostnameVerifier") || method == "loadTrustMaterial";
        verifier
            && kids(args).into_iter().any(|a| {
                let t = self.text(a);
                t.contains("NoopHostnameVerifier")
                    || t.contains("ALLOW_ALL")
                    || t.contains("TrustAllStrategy")
                    || t.contains("TrustSelfSignedStrategy")
                    || (a.kind() == "lambda_expression"
                        && field(a, "body").is_some_and(|b| {
                            let bt: String = self.text(b).split_whitespace().collect();
                            bt == "true" || bt == "{returntrue;}"
                        }))
            })
    }

    /// `X.builder().a(v).b(w).build()` and `new X.Builder().a(v).build()`: a call of `X` with
    /// keyword arguments `a`, `b` (the builder's setters), or `None` when the chain does not
    /// start at a builder.
    fn builder(&mut self, build: Node) -> Option<ExprKind> {
        let mut setters: Vec<Node> = Vec::new();
        let mut cur = field(build, "object")?;
        let mut ty: Option<String> = None;
        for _ in 0..MAX_BUILDER_CHAIN {
            match cur.kind() {
                "method_invocation" => {
                    let m = field(cur, "name").map(|x| self.text(x)).unwrap_or("");
                    let obj = field(cur, "object");
                    if matches!(m, "builder" | "newBuilder")
                        && field(cur, "arguments").is_some_and(|a| kids(a).is_empty())
                    {
                        let o = obj?;
                        if !matches!(
                            o.kind(),
                            "identifier" | "field_access" | "scoped_identifier" | "type_identifier"
                        ) {
                            return None;
                        }
                        let p: String = self.text(o).split_whitespace().collect();
                        if !p.rsplit('.').next().is_some_and(is_type_name) {
                            return None;
                        }
                        ty = Some(p);
                        break;
                    }
                    setters.push(cur);
                    cur = obj?;
                }
                "object_creation_expression" => {
                    let t = field(cur, "type").map(|t| type_path(t, self.src))?;
                    let base = t.strip_suffix(".Builder")?;
                    ty = Some(base.to_string());
                    break;
                }
                _ => return None,
            }
        }
        let ty = ty?;
        let span = span_of(&build);
        self.use_type(&ty, span);
        let mut args = Vec::new();
        for s in setters.into_iter().rev() {
            let key = field(s, "name")
                .map(|x| self.text(x).to_string())
                .unwrap_or_default();
            let vals = field(s, "arguments").map(kids).unwrap_or_default();
            let value = match vals.as_slice() {
                [] => Expr::new(ExprKind::Const("true".into()), span_of(&s)),
                [v] => self.expr(*v),
                vs => Expr::new(ExprKind::Collection(self.all(vs.to_vec())), span_of(&s)),
            };
            args.push(Arg {
                name: Some(key),
                value,
                kind: ArgKind::Keyword,
            });
        }
        let callee = path_expr(&ty, span);
        Some(ExprKind::Call(Box::new(Call::new(callee, args))))
    }

    /// `new X<>(…)` is a call of `X`; an anonymous class body's methods are functions of their
    /// own, owned by `X` (a trust-all `X509TrustManager` is marked as such).
    fn creation(&mut self, n: Node) -> ExprKind {
        let t = field(n, "type").map(|t| type_path(t, self.src)).unwrap_or_default();
        let span = span_of(&n);
        self.use_type(&t, span);
        let mut args = match field(n, "arguments") {
            Some(a) => self.args(a),
            None => Vec::new(),
        };
        if let Some(body) = kids(n).into_iter().find(|k| k.kind() == "class_body") {
            let simple = t.rsplit('.').next().unwrap_or(&t).to_string();
            if simple.ends_with("TrustManager") && trusts_all(body, self.src) {
                args.push(Arg {
                    name: Some("trustAll".to_string()),
                    value: Expr::new(ExprKind::Const("true".into()), span),
                    kind: ArgKind::Keyword,
                });
            }
            let members = kids(body);
            let ctx = ClassCtx {
                name: simple,
                ..ClassCtx::default()
            };
            let mut fields_out = Vec::new();
            let mut module_level = Vec::new();
            self.depth += 1;
            if !self.too_deep() {
                self.class_body(ctx, &members, &mut fields_out, &mut module_level, body);
            }
            self.depth -= 1;
            // An anonymous class's static parts are not reachable by name: dropped.
        }
        ExprKind::Call(Box::new(Call {
            callee: path_expr(&t, span),
            args,
            type_args: Vec::new(),
        }))
    }

    fn lambda(&mut self, n: Node) -> ExprKind {
        let mut params = Vec::new();
        if let Some(p) = field(n, "parameters") {
            match p.kind() {
                "identifier" => self.params_of_idents(vec![p], &mut params),
                "inferred_parameters" => self.params_of_idents(kids(p), &mut params),
                _ => self.params(p, &mut params),
            }
        }
        let mut body = Vec::new();
        match field(n, "body") {
            Some(b) if b.kind() == "block" => body = self.block(Some(b)),
            Some(b) => {
                let e = self.expr(b);
                let span = e.span;
                body.push(Stmt::Return(Some(e), span));
            }
            None => {}
        }
        ExprKind::Lambda { params, body }
    }

    fn params_of_idents(&self, ids: Vec<Node>, out: &mut Vec<Param>) {
        for i in ids {
            out.push(Param {
                name: self.text(i).to_string(),
                ty: None,
                default: None,
                kind: ParamKind::Normal,
                span: span_of(&i),
            });
        }
    }

    /// `a::m` is `x -> a.m(x)`; `Type::m` is also `x -> x.m()` (an instance method of the
    /// element), with accessors read as fields; `Type::new` is `x -> Type(x)`.
    fn method_reference(&mut self, n: Node) -> ExprKind {
        let span = span_of(&n);
        let t = self.text(n);
        let method = t.rsplit("::").next().unwrap_or("").trim().to_string();
        let Some(obj) = kids(n).into_iter().next() else {
            return ExprKind::Other(Vec::new());
        };
        let x = "$ref".to_string();
        let xe = || name_expr("$ref", span);
        let on_type = matches!(
            obj.kind(),
            "type_identifier" | "scoped_type_identifier" | "generic_type" | "array_type"
        ) || (obj.kind() == "identifier" && is_type_name(self.text(obj)));
        let value = if method == "new" {
            let p = type_path(obj, self.src);
            self.use_type(&p, span);
            call(path_expr(&p, span), vec![pos(xe())], span)
        } else {
            let recv = self.expr(obj);
            let static_form = call(attr(recv, &method, span), vec![pos(xe())], span);
            if on_type {
                let instance_form = match getter_field(&method)
                    .or_else(|| self.record_fields.contains(&method).then(|| method.clone()))
                {
                    Some(f) => attr(xe(), &f, span),
                    None => call(attr(xe(), &method, span), Vec::new(), span),
                };
                Expr::new(
                    ExprKind::Branch {
                        conds: Vec::new(),
                        arms: vec![static_form, instance_form],
                    },
                    span,
                )
            } else {
                static_form
            }
        };
        ExprKind::Lambda {
            params: vec![Param {
                name: x,
                ty: None,
                default: None,
                kind: ParamKind::Normal,
                span,
            }],
            body: vec![Stmt::Return(Some(value), span)],
        }
    }
}

/// `findByWardAndDischargedFalse`, `findTop10ByOrderByAdmittedAtDesc`, `streamAllByWard`: a
/// Spring Data derived query, read as `findBy`.
fn derived_query(method: &str) -> Option<&'static str> {
    const PREFIXES: &[&str] = &["find", "read", "get", "query", "search", "stream"];
    if matches!(method, "findById" | "findAllById" | "getById" | "readById") {
        return None;
    }
    let verb = PREFIXES.iter().find(|p| method.starts_with(**p))?;
    let rest = &method[verb.len()..];
    let by = rest.find("By")?;
    let between = &rest[..by];
    let subject_ok = between.is_empty()
        || between == "All"
        || between == "Distinct"
        || between.starts_with("First")
        || between.starts_with("Top");
    (subject_ok && rest.len() > by + 2).then_some("findBy")
}

/// A call of a type with keyword arguments: what [`Lowerer::builder`] makes.
fn is_builder_callee(callee: &Expr) -> bool {
    callee
        .dotted()
        .is_some_and(|d| d.rsplit('.').next().is_some_and(is_type_name))
}

/// An anonymous trust manager whose `checkServerTrusted` accepts every certificate: an empty
/// body (or one that only returns).
fn trusts_all(body: Node, src: &str) -> bool {
    kids(body).into_iter().any(|m| {
        m.kind() == "method_declaration"
            && field(m, "name").is_some_and(|x| text(x, src) == "checkServerTrusted")
            && field(m, "body").is_some_and(|b| {
                kids(b)
                    .iter()
                    .all(|s| s.kind() == "return_statement" && kids(*s).is_empty())
            })
    })
}

/// Whether a string template's first piece is literal text rather than an interpolation.
fn opens_with_text(n: Node) -> bool {
    kids(n)
        .into_iter()
        .find(|k| {
            matches!(
                k.kind(),
                "string_fragment" | "string_interpolation" | "escape_sequence" | "multiline_string_fragment"
            )
        })
        .is_some_and(|k| k.kind() != "string_interpolation")
}
