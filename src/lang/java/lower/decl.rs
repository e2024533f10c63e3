//! Packages, imports, classes, records, enums, interfaces, fields, methods, constructors,
//! annotations and routes.

use super::*;

impl<'s> Lowerer<'s> {
    pub(super) fn text(&self, n: Node) -> &'s str {
        text(n, self.src)
    }

    pub(super) fn too_deep(&self) -> bool {
        self.guard.too_deep(self.depth) || crate::budget::expired()
    }

    /// The compilation unit: package, imports, type declarations (and, in fragments or
    /// recovered trees, statements).
    pub(super) fn top(&mut self, root: Node, out: &mut Block) {
        for k in kids(root) {
            match k.kind() {
                "package_declaration" => {
                    if let Some(p) = kids(k)
                        .into_iter()
                        .find(|x| matches!(x.kind(), "scoped_identifier" | "identifier"))
                    {
                        self.package = self.text(p).split_whitespace().collect();
                    }
                }
                "import_declaration" => self.import(k),
                _ => self.stmt(k, out),
            }
        }
    }

    /// `import a.b.C;` → `a.b.C` as `C`; `import static a.B.m;` → `a.B.m` as `m`;
    /// `import a.b.*;` → `a.b` as `*` (on demand).
    pub(super) fn import(&mut self, n: Node) {
        let Some(p) = kids(n)
            .into_iter()
            .find(|x| matches!(x.kind(), "scoped_identifier" | "identifier"))
        else {
            return;
        };
        let path: String = self.text(p).split_whitespace().collect();
        let on_demand = kids(n).iter().any(|x| x.kind() == "asterisk");
        let alias = if on_demand {
            "*".to_string()
        } else {
            path.rsplit('.').next().unwrap_or(&path).to_string()
        };
        self.imports.push(Import {
            path,
            alias,
            span: span_of(&n),
        });
    }

    /// Types used without an import, from the file's own package (same-package references
    /// need no import in Java).
    pub(super) fn same_package_imports(&mut self) {
        if self.package.is_empty() {
            return;
        }
        let mut used: Vec<(String, Span)> = self.used_types.drain().collect();
        used.sort_by_key(|(_, s)| s.start_byte);
        for (name, span) in used {
            let known = self.imports.iter().any(|i| i.alias == name)
                || self.types.iter().any(|t| t.name == name)
                || JAVA_LANG.contains(&name.as_str())
                || name.len() < 2;
            if !known {
                self.imports.push(Import {
                    path: format!("{}.{name}", self.package),
                    alias: name,
                    span,
                });
            }
        }
    }

    /// A declared type, its imported names written out in full (`Condition` imported from
    /// `java.util.concurrent.locks` is `java.util.concurrent.locks.Condition`, not a FHIR
    /// resource).
    pub(super) fn ty(&self, n: Node) -> String {
        let t = type_text(n, self.src);
        let mut out = String::with_capacity(t.len());
        let mut word = String::new();
        let mut prev = ' ';
        let flush = |word: &mut String, out: &mut String, prev: char| {
            if word.is_empty() {
                return;
            }
            let imported = (prev != '.')
                .then(|| self.imports.iter().find(|i| i.alias == *word))
                .flatten();
            match imported {
                Some(i) => out.push_str(&i.path),
                None => out.push_str(word),
            }
            word.clear();
        };
        for c in t.chars() {
            if c.is_alphanumeric() || c == '_' || c == '$' {
                word.push(c);
            } else {
                let before = prev;
                flush(&mut word, &mut out, before);
                out.push(c);
                prev = c;
            }
        }
        flush(&mut word, &mut out, prev);
        out
    }

    /// Remembers a capitalised name used as a type or a static receiver.
    pub(super) fn use_type(&mut self, path: &str, span: Span) {
        let first = path.split('.').next().unwrap_or(path);
        if is_type_name(first) && first.chars().all(|c| c.is_alphanumeric() || c == '_') {
            self.used_types.entry(first.to_string()).or_insert(span);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Annotations
    // -----------------------------------------------------------------------------------------

    /// The annotations of a declaration with their literal arguments: a lone value as
    /// position 0, `key = value` pairs by key; of an array, its first string.
    pub(super) fn annotations(&self, n: Node) -> Vec<Annotation> {
        let Some(m) = modifiers(n) else {
            return Vec::new();
        };
        let string = |v: Node| {
            let v = if v.kind() == "element_value_array_initializer" {
                kids(v).into_iter().next()?
            } else {
                v
            };
            (v.kind() == "string_literal").then(|| string_value(v, self.src))
        };
        let mut out = Vec::new();
        for a in kids(m) {
            if !matches!(a.kind(), "annotation" | "marker_annotation") {
                continue;
            }
            let Some(name) = field(a, "name") else {
                continue;
            };
            let mut ann = Annotation {
                name: self.text(name).rsplit('.').next().unwrap_or("").to_string(),
                args: Vec::new(),
            };
            let mut position = 0;
            for k in field(a, "arguments").map(kids).unwrap_or_default() {
                if k.kind() == "element_value_pair" {
                    let key = field(k, "key").map(|x| self.text(x));
                    if let (Some(key), Some(v)) = (key, field(k, "value").and_then(string)) {
                        ann.args.push(AnnotationArg::keyed(key, v));
                    }
                } else {
                    if let Some(v) = string(k) {
                        ann.args.push(AnnotationArg::positional(position, v));
                    }
                    position += 1;
                }
            }
            out.push(ann);
        }
        out
    }

    // -----------------------------------------------------------------------------------------
    // Types
    // -----------------------------------------------------------------------------------------

    /// A class, record, enum, interface or annotation type, with its members. Static field
    /// initialisers and static blocks go to `out` (the module level).
    pub(super) fn class_decl(&mut self, n: Node, out: &mut Block) {
        if self.too_deep() {
            return;
        }
        let name = field(n, "name")
            .map(|x| self.text(x).to_string())
            .unwrap_or_else(|| "<class>".to_string());
        let mut bases = Vec::new();
        for k in kids(n) {
            match k.kind() {
                "superclass" | "super_interfaces" | "extends_interfaces" => {
                    for t in kids(k) {
                        let list = if t.kind() == "type_list" {
                            kids(t)
                        } else {
                            vec![t]
                        };
                        for b in list {
                            bases.push(type_text(b, self.src));
                        }
                    }
                }
                _ => {}
            }
        }
        let annotations = self.annotations(n);
        let mut fields_out: Vec<FieldDecl> = Vec::new();
        // Record components are fields.
        if let Some(ps) = field(n, "parameters") {
            for p in kids(ps) {
                if let (Some(pn), Some(pt)) = (field(p, "name"), field(p, "type")) {
                    let fname = self.text(pn).to_string();
                    self.record_fields.insert(fname.clone());
                    fields_out.push(FieldDecl {
                        name: fname,
                        ty: Some(self.ty(pt)),
                        span: span_of(&pn),
                        ..Default::default()
                    });
                }
            }
        }
        let ctx = ClassCtx {
            name: name.clone(),
            ..ClassCtx::default()
        };
        let body = field(n, "body");
        let members = body.map(|b| self.members(b)).unwrap_or_default();
        self.depth += 1;
        self.class_body(ctx, &members, &mut fields_out, out, n);
        self.depth -= 1;
        // A record's components are fields, read by accessors of their names (unless the body
        // declares its own).
        if n.kind() == "record_declaration" {
            self.record_accessors(&name, n, &fields_out);
        }
        self.types.push(TypeDecl {
            name,
            bases,
            fields: fields_out,
            span: span_of(&n),
            annotations,
            ..Default::default()
        });
    }

    /// `String diagnosis()` of `record R(String diagnosis)`: returns `self.diagnosis`.
    fn record_accessors(&mut self, name: &str, n: Node, comps: &[FieldDecl]) {
        let declared: HashSet<String> = self
            .functions
            .iter()
            .filter(|f| f.owner.as_deref() == Some(name))
            .map(|f| f.name.clone())
            .collect();
        let Some(ps) = field(n, "parameters") else {
            return;
        };
        let count = kids(ps).len();
        for f in comps.iter().take(count) {
            if declared.contains(&f.name) {
                continue;
            }
            let span = f.span;
            let value = attr(name_expr("self", span), &f.name, span);
            self.functions.push(Function {
                name: f.name.clone(),
                owner: Some(name.to_string()),
                params: vec![self_param(span)],
                body: vec![Stmt::Return(Some(value), span)],
                span,
                is_module: false,
                route: None,
                annotations: Vec::new(),
                name_span: None,
                returns: f.ty.clone(),
            });
        }
    }

    /// The member declarations of a class, enum or interface body.
    fn members<'t>(&self, body: Node<'t>) -> Vec<Node<'t>> {
        let mut out = Vec::new();
        for m in kids(body) {
            if m.kind() == "enum_body_declarations" {
                out.extend(kids(m));
            } else {
                out.push(m);
            }
        }
        out
    }

    /// Lowers the members of a class (named or anonymous) under `ctx`.
    pub(super) fn class_body(
        &mut self,
        mut ctx: ClassCtx,
        members: &[Node],
        fields_out: &mut Vec<FieldDecl>,
        out: &mut Block,
        decl: Node,
    ) {
        // First the names: fields and methods are visible throughout the body.
        for m in members {
            match m.kind() {
                "field_declaration" if !has_modifier(*m, self.src, "static") => {
                    for d in fields(*m, "declarator") {
                        if let Some(dn) = field(d, "name") {
                            ctx.fields.insert(self.text(dn).to_string());
                        }
                    }
                }
                "method_declaration" if !has_modifier(*m, self.src, "static") => {
                    if let Some(mn) = field(*m, "name") {
                        ctx.methods.insert(self.text(mn).to_string());
                    }
                }
                _ => {}
            }
        }
        if field(decl, "parameters").is_some() && decl.kind() == "record_declaration" {
            for f in fields_out.iter() {
                ctx.fields.insert(f.name.clone());
            }
        }
        let saved_class = self.class.replace(ctx);
        let saved_locals = std::mem::take(&mut self.locals);
        let mut inits: Block = Vec::new();
        let mut has_ctor = false;
        let mut ctors: Vec<Node> = Vec::new();
        for m in members {
            match m.kind() {
                "field_declaration" | "constant_declaration" => {
                    let is_static = m.kind() == "constant_declaration"
                        || has_modifier(*m, self.src, "static")
                        || decl.kind() == "interface_declaration";
                    let ty_node = field(*m, "type");
                    let ty = ty_node.map(|t| self.ty(t));
                    if let Some(t) = ty_node {
                        let p = type_path(t, self.src);
                        self.use_type(&p, span_of(&t));
                    }
                    for d in fields(*m, "declarator") {
                        let Some(dn) = field(d, "name") else { continue };
                        let fname = self.text(dn).to_string();
                        if !is_static && !fields_out.iter().any(|f| f.name == fname) {
                            fields_out.push(FieldDecl {
                                name: fname.clone(),
                                ty: ty.clone(),
                                span: span_of(&dn),
                                annotations: self.annotations(*m),
                                column: None,
                                relation: None,
                            });
                        }
                        let Some(v) = field(d, "value") else { continue };
                        self.locals.clear();
                        let value = self.expr(v);
                        if is_static {
                            out.push(assign(
                                Target::Name(fname, span_of(&dn)),
                                value,
                                ty.clone(),
                            ));
                        } else {
                            let span = span_of(&dn);
                            inits.push(assign(
                                Target::Attr {
                                    obj: name_expr("self", span),
                                    attr: fname,
                                    span,
                                },
                                value,
                                ty.clone(),
                            ));
                        }
                    }
                }
                "method_declaration" => self.method(*m),
                "constructor_declaration" | "compact_constructor_declaration" => {
                    has_ctor = true;
                    ctors.push(*m);
                }
                "static_initializer" => {
                    self.locals.clear();
                    if let Some(b) = kids(*m).into_iter().find(|k| k.kind() == "block") {
                        declared_names(b, self.src, &mut self.locals);
                        let block = self.block(Some(b));
                        out.extend(block);
                    }
                }
                "block" => {
                    // An instance initialiser runs with the constructors.
                    self.locals.clear();
                    declared_names(*m, self.src, &mut self.locals);
                    let block = self.block(Some(*m));
                    inits.push(Stmt::Block(block));
                }
                "class_declaration" | "interface_declaration" | "enum_declaration"
                | "record_declaration" | "annotation_type_declaration" => {
                    self.class_decl(*m, out);
                }
                "enum_constant" => {
                    if let Some(args) = field(*m, "arguments") {
                        self.locals.clear();
                        let a = self.args(args);
                        let span = span_of(m);
                        let cname = self.class.as_ref().map(|c| c.name.clone()).unwrap_or_default();
                        out.push(Stmt::Expr(call(name_expr(&cname, span), a, span)));
                    }
                    if let Some(b) = field(*m, "body") {
                        let ms = self.members(b);
                        let mut sub_fields = Vec::new();
                        let cname = self.class.as_ref().map(|c| c.name.clone()).unwrap_or_default();
                        let sub = ClassCtx {
                            name: cname,
                            ..ClassCtx::default()
                        };
                        self.class_body(sub, &ms, &mut sub_fields, out, b);
                    }
                }
                _ => {}
            }
        }
        for c in ctors {
            self.constructor(c, &inits);
        }
        if !has_ctor && !inits.is_empty() {
            let owner = self.class.as_ref().map(|c| c.name.clone());
            self.functions.push(Function {
                name: "<init>".to_string(),
                owner,
                params: vec![self_param(span_of(&decl))],
                body: inits,
                span: span_of(&decl),
                is_module: false,
                route: None,
                annotations: Vec::new(),
                name_span: None,
                returns: None,
            });
        }
        self.class = saved_class;
        self.locals = saved_locals;
    }

    /// A method: a function owned by the class; instance methods take `self` first.
    fn method(&mut self, m: Node) {
        let name = field(m, "name")
            .map(|x| self.text(x).to_string())
            .unwrap_or_default();
        let is_static = has_modifier(m, self.src, "static");
        if let Some(t) = field(m, "type") {
            let p = type_path(t, self.src);
            self.use_type(&p, span_of(&t));
        }
        let mut f = self.function(m, name, is_static, None, &Vec::new());
        // Routes and client requests come from these (`crate::complete`).
        f.annotations = self.annotations(m);
        f.name_span = field(m, "name").map(|x| span_of(&x));
        self.functions.push(f);
    }

    fn constructor(&mut self, c: Node, inits: &Block) {
        let f = self.function(c, "<init>".to_string(), false, None, inits);
        self.functions.push(f);
    }

    /// A method or constructor body with its parameters.
    pub(super) fn function(
        &mut self,
        m: Node,
        name: String,
        is_static: bool,
        route: Option<String>,
        prologue: &Block,
    ) -> Function {
        let saved_locals = std::mem::take(&mut self.locals);
        let mut params = Vec::new();
        if !is_static {
            params.push(self_param(span_of(&m)));
        }
        if let Some(ps) = field(m, "parameters") {
            self.params(ps, &mut params);
        } else if m.kind() == "compact_constructor_declaration" {
            // A record's compact constructor takes the components.
            let comps: Vec<String> = self
                .types
                .last()
                .map(|t| t.fields.iter().map(|f| f.name.clone()).collect())
                .unwrap_or_default();
            for c in comps {
                params.push(Param {
                    name: c,
                    ty: None,
                    default: None,
                    kind: ParamKind::Normal,
                    span: span_of(&m),
                });
            }
        }
        for p in &params {
            if p.kind != ParamKind::SelfParam {
                self.locals.insert(p.name.clone());
            }
        }
        let mut body = prologue.clone();
        if let Some(b) = field(m, "body") {
            declared_names(b, self.src, &mut self.locals);
            body.extend(self.block(Some(b)));
        }
        self.locals = saved_locals;
        Function {
            name,
            owner: self.class.as_ref().map(|c| c.name.clone()),
            params,
            body,
            span: span_of(&m),
            is_module: false,
            route,
            annotations: Vec::new(),
            name_span: None,
            returns: field(m, "type").map(|t| self.text(t).to_string()),
        }
    }

    /// `formal_parameters` into model parameters (`T... xs` is a `VarArgs`).
    pub(super) fn params(&mut self, ps: Node, out: &mut Vec<Param>) {
        for p in kids(ps) {
            let span = span_of(&p);
            match p.kind() {
                "formal_parameter" => {
                    let Some(pn) = field(p, "name") else { continue };
                    let ty = field(p, "type").map(|t| {
                        let path = type_path(t, self.src);
                        self.use_type(&path, span_of(&t));
                        self.ty(t)
                    });
                    out.push(Param {
                        name: self.text(pn).to_string(),
                        ty,
                        default: None,
                        kind: ParamKind::Normal,
                        span,
                    });
                }
                "spread_parameter" => {
                    let ty = kids(p)
                        .into_iter()
                        .find(|k| !matches!(k.kind(), "modifiers" | "variable_declarator"))
                        .map(|t| self.ty(t));
                    let name = kids(p)
                        .into_iter()
                        .find(|k| k.kind() == "variable_declarator")
                        .and_then(|d| field(d, "name"))
                        .map(|x| self.text(x).to_string());
                    if let Some(name) = name {
                        out.push(Param {
                            name,
                            ty,
                            default: None,
                            kind: ParamKind::VarArgs,
                            span,
                        });
                    }
                }
                "identifier" => out.push(Param {
                    name: self.text(p).to_string(),
                    ty: None,
                    default: None,
                    kind: ParamKind::Normal,
                    span,
                }),
                _ => {}
            }
        }
    }
}

pub(super) fn self_param(span: Span) -> Param {
    Param {
        name: "self".to_string(),
        ty: None,
        default: None,
        kind: ParamKind::SelfParam,
        span,
    }
}
