//! Control flow, imports and exports, classes, interfaces and type aliases, parameters.

use super::*;

impl<'t, 's> Lowerer<'t, 's> {
    pub(super) fn if_stmt(&mut self, n: Node<'t>, out: &mut Block) {
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

    pub(super) fn for_stmt(&mut self, n: Node<'t>, out: &mut Block) {
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

    pub(super) fn switch_stmt(&mut self, n: Node<'t>, out: &mut Block) {
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

    pub(super) fn import_stmt(&mut self, n: Node<'t>) {
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

    pub(super) fn export_stmt(&mut self, n: Node<'t>, out: &mut Block) {
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
        if let Some(source) = field(n, "source") {
            // `export { a as b } from './m'`: a re-export names the module's binding.
            let path = module_path(&string_value(source, self.src));
            for clause in kids(n).into_iter().filter(|k| k.kind() == "export_clause") {
                for spec in kids(clause) {
                    let Some(name) = field(spec, "name")
                        .map(|x| key_name(x, self.src).unwrap_or_else(|| self.text(x).to_string()))
                    else {
                        continue;
                    };
                    let alias = field(spec, "alias")
                        .map(|a| key_name(a, self.src).unwrap_or_else(|| self.text(a).to_string()))
                        .unwrap_or_else(|| name.clone());
                    // The default export is the module itself, as for `import x from`.
                    let full = if name == "default" {
                        path.clone()
                    } else {
                        join_path(&path, &name)
                    };
                    self.imports.push(Import {
                        path: full,
                        alias,
                        span: span_of(&spec),
                    });
                }
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

    pub(super) fn queue_fn(
        &mut self,
        node: Node<'t>,
        name: String,
        owner: Option<String>,
        method: bool,
        route: Option<String>,
    ) {
        if self.inline_copy {
            return;
        }
        let param_fields = method && name == "constructor";
        self.queue.push_back(Pending {
            node,
            name,
            owner,
            method,
            route,
            annotations: Vec::new(),
            param_fields,
        });
    }

    /// `class X extends Y implements Z { … }`, declared or as an expression bound to a name.
    pub(super) fn class_def(&mut self, n: Node<'t>, out: &mut Block) {
        let name = field(n, "name")
            .map(|x| self.text(x).to_string())
            .unwrap_or_else(|| "<class>".to_string());
        self.class_named(n, &name, out);
    }

    pub(super) fn class_named(&mut self, n: Node<'t>, name: &str, out: &mut Block) {
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
        // `@Controller('x') export class …`: the decorators belong to the export statement.
        let mut decorators = fields(n, "decorator");
        if let Some(p) = n.parent().filter(|p| p.kind() == "export_statement") {
            decorators.extend(fields(p, "decorator"));
        }
        let annotations: Vec<Annotation> = decorators
            .into_iter()
            .filter_map(|d| self.decorator_annotation(d))
            .collect();
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
                        let anns = decs
                            .iter()
                            .filter_map(|d| self.decorator_annotation(*d))
                            .collect();
                        if mname == "constructor" {
                            for f in self.constructor_fields(m) {
                                push_field(f);
                            }
                        }
                        self.queue_fn(m, mname, Some(name.to_string()), !is_static, None);
                        // Its decorators, for the `[routes]` patterns.
                        if let Some(p) = self.queue.back_mut() {
                            p.annotations = anns;
                        }
                    }
                    "field_definition" | "public_field_definition" => {
                        let mut decs = fields(m, "decorator");
                        decs.append(&mut decorators);
                        let annotations = decs
                            .iter()
                            .filter_map(|d| self.decorator_annotation(*d))
                            .collect();
                        let fname = field(m, "property").or_else(|| field(m, "name"));
                        let Some(fname) = fname else { continue };
                        let fname_t = self.text(fname).to_string();
                        push_field(FieldDecl {
                            name: fname_t.trim_start_matches('#').to_string(),
                            ty: field(m, "type").map(|t| type_text(t, self.src)),
                            span: span_of(&fname),
                            annotations,
                            column: None,
                            relation: None,
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
            annotations,
            ..Default::default()
        });
    }

    /// A decorator with its literal string arguments: positional ones, and the string-valued
    /// keys of object arguments (`@Entity({ name: 'patients' })`, `@Column('varchar',
    /// { name: 'dx_code' })`).
    fn decorator_annotation(&self, d: Node<'t>) -> Option<Annotation> {
        let inner = kids(d).into_iter().next()?;
        let (callee, args) = match inner.kind() {
            "call_expression" => (field(inner, "function")?, field(inner, "arguments")),
            _ => (inner, None),
        };
        let mut a = Annotation {
            name: self.text(callee).rsplit('.').next()?.to_string(),
            args: Vec::new(),
        };
        for (i, arg) in args.map(kids).unwrap_or_default().into_iter().enumerate() {
            match arg.kind() {
                "string" => a
                    .args
                    .push(AnnotationArg::positional(i, string_value(arg, self.src))),
                "object" => {
                    for pair in kids(arg).into_iter().filter(|p| p.kind() == "pair") {
                        let key = field(pair, "key").map(|k| self.text(k));
                        let value = field(pair, "value").filter(|v| v.kind() == "string");
                        if let (Some(k), Some(v)) = (key, value) {
                            a.args.push(AnnotationArg::keyed(
                                k.trim_matches(['\'', '"']),
                                string_value(v, self.src),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        Some(a)
    }

    /// TypeScript parameter properties of a constructor (`private readonly db: PrismaService`).
    pub(super) fn constructor_fields(&self, m: Node<'t>) -> Vec<FieldDecl> {
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
                    ..Default::default()
                });
            }
        }
        out
    }

    /// A model declared by a schema object: `new mongoose.Schema({ … })` (named by its
    /// variable without `Schema`), `sequelize.define('Patient', { … })`, `Patient.init({ … }, opts)`. Its keys
    /// are the model's fields; `init` adds them to the class of that name.
    pub(super) fn schema_decl(&mut self, var: Option<&str>, value: Node<'t>) {
        let mut v = value;
        while matches!(v.kind(), "await_expression" | "parenthesized_expression") {
            match kids(v).first() {
                Some(k) => v = *k,
                None => return,
            }
        }
        // `z.object({ … }).strict()`: the object schema under its refinements.
        while v.kind() == "call_expression" {
            let inner = field(v, "function")
                .filter(|f| f.kind() == "member_expression")
                .and_then(|f| field(f, "object"))
                .filter(|o| o.kind() == "call_expression");
            match inner {
                Some(o) if !self.is_zod_object(v) => v = o,
                _ => break,
            }
        }
        let (callee, args) = match v.kind() {
            "new_expression" => (field(v, "constructor"), field(v, "arguments")),
            "call_expression" => (field(v, "function"), field(v, "arguments")),
            _ => return,
        };
        let (Some(callee), Some(args)) = (callee, args) else {
            return;
        };
        let method = match callee.kind() {
            "member_expression" => field(callee, "property").map(|p| self.text(p)),
            "identifier" => Some(self.text(callee)),
            _ => None,
        };
        let args = kids(args);
        let (name, object) = match (method, v.kind()) {
            // `PatientSchema` declares the model `Patient`.
            (Some("Schema"), "new_expression") => (
                var.map(|v| {
                    let base = v.trim_end_matches("Schema").trim_end_matches("schema");
                    if base.is_empty() { v } else { base }.to_string()
                }),
                args.first(),
            ),
            // A zod object schema is called by its own name (`intakeSchema.parse(body)`).
            (Some(_), "call_expression") if self.is_zod_object(v) => {
                (var.map(str::to_string), args.first())
            }
            (Some("define"), "call_expression") => (
                args.first()
                    .filter(|a| a.kind() == "string")
                    .map(|a| string_value(*a, self.src)),
                args.get(1),
            ),
            // Only on a class of this module (`Sentry.init({ dsn })` declares no model).
            (Some("init"), "call_expression") => (
                field(callee, "object")
                    .filter(|o| o.kind() == "identifier")
                    .map(|o| self.text(o).to_string())
                    .filter(|n| self.types.iter().any(|t| t.name == *n)),
                args.first(),
            ),
            _ => return,
        };
        let (Some(name), Some(object)) = (name, object.filter(|o| o.kind() == "object")) else {
            return;
        };
        let mut fields = Vec::new();
        for p in kids(*object) {
            let key = match p.kind() {
                "pair" => field(p, "key"),
                "shorthand_property_identifier" => Some(p),
                _ => None,
            };
            let Some(key) = key else { continue };
            let Some(fname) = key_name(key, self.src).or_else(|| {
                (key.kind() == "shorthand_property_identifier").then(|| self.text(key).to_string())
            }) else {
                continue;
            };
            let ty = field(p, "value").map(|t| type_text(t, self.src));
            fields.push(FieldDecl {
                name: fname,
                ty,
                span: span_of(&key),
                ..Default::default()
            });
        }
        match self.types.iter_mut().find(|t| t.name == name) {
            Some(t) => {
                for f in fields {
                    if !t.fields.iter().any(|x| x.name == f.name) {
                        t.fields.push(f);
                    }
                }
            }
            None => self.types.push(TypeDecl {
                name,
                bases: Vec::new(),
                fields,
                span: span_of(&value),
                ..Default::default()
            }),
        }
    }

    /// `z.object({ … })` (also `strictObject`, `looseObject`).
    fn is_zod_object(&self, call: Node<'t>) -> bool {
        let Some(f) = field(call, "function").filter(|f| f.kind() == "member_expression") else {
            return false;
        };
        let object = field(f, "object").map(|o| self.text(o));
        let property = field(f, "property").map(|p| self.text(p));
        object == Some("z")
            && matches!(property, Some("object" | "strictObject" | "looseObject"))
    }

    /// `interface X extends Y { a: T; b?: U }`.
    pub(super) fn interface(&mut self, n: Node<'t>) {
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
            ..Default::default()
        });
    }

    /// `type X = { a: T }`, `type X = Y & { a: T }`, `type X = Y`.
    pub(super) fn type_alias(&mut self, n: Node<'t>) {
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
            ..Default::default()
        });
    }

    pub(super) fn object_type_fields(&self, body: Node<'t>) -> Vec<FieldDecl> {
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
                ..Default::default()
            });
        }
        out
    }

    // -----------------------------------------------------------------------------------------
    // Parameters
    // -----------------------------------------------------------------------------------------

    /// The parameters of a function node; destructured ones get a synthetic name and their
    /// bindings go into `prologue`.
    pub(super) fn params(
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
