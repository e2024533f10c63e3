//! The whole-file pass: items, imports, types, literals, comments, syntax errors.

use super::{field, is_comment, named_children, norm_type, Cx};
use crate::lang::toolkit::{preorder, span_of, Step};
use crate::model::{
    Annotation, AnnotationArg, Comment, FieldDecl, Function, Import, Literal, LiteralKind, Module, Stmt, Target, TypeDecl,
};
use tree_sitter::Node;

/// Where the walk is: the impl/trait type for methods, and whether inside a function.
struct Scope {
    depth: usize,
    owner: Option<String>,
    in_fn: bool,
}

impl<'s> Cx<'s> {
    pub(super) fn module(&self, root: Node) -> Module {
        let mut m = Module::default();
        let mut top = Function {
            name: "<module>".into(),
            span: span_of(&root),
            is_module: true,
            ..Function::default()
        };
        let mut functions = Vec::new();
        let mut scopes: Vec<Scope> = Vec::new();
        // Kinds of the ancestors of the current node.
        let mut parents: Vec<&'static str> = Vec::new();
        // Derive lists of the attributes just seen, with their depth.
        let mut derives: Option<(usize, Vec<String>)> = None;
        preorder(root, |n, _, depth| {
            parents.truncate(depth);
            while scopes.last().is_some_and(|s| s.depth >= depth) {
                scopes.pop();
            }
            let (owner, in_fn) = scopes
                .last()
                .map(|s| (s.owner.clone(), s.in_fn))
                .unwrap_or((None, false));
            if n.is_error() || n.is_missing() {
                m.syntax_errors += 1;
            }
            let mut item_derives = Vec::new();
            if n.is_named() && !is_comment(&n) && n.kind() != "attribute_item" {
                if let Some((_, d)) = derives.take_if(|(dd, _)| *dd == depth) {
                    item_derives = d;
                }
            }
            match n.kind() {
                "line_comment" | "block_comment" => m.comments.push(Comment {
                    text: self.text(n).trim_end_matches(['\n', '\r']).to_string(),
                    span: span_of(&n),
                }),
                "string_literal" => m.literals.push(Literal {
                    value: self.str_value(n),
                    kind: LiteralKind::Str,
                    span: span_of(&n),
                }),
                "raw_string_literal" => m.literals.push(Literal {
                    value: self.raw_str_value(n),
                    kind: LiteralKind::Str,
                    span: span_of(&n),
                }),
                "integer_literal" => m.literals.push(Literal {
                    value: int_digits(self.text(n)),
                    kind: LiteralKind::Int,
                    span: span_of(&n),
                }),
                "function_item" => {
                    if let Some(f) = self.function(n, owner) {
                        functions.push(f);
                    }
                    scopes.push(Scope {
                        depth,
                        owner: None,
                        in_fn: true,
                    });
                }
                "impl_item" => scopes.push(Scope {
                    depth,
                    owner: field(n, "type").map(|t| self.owner_name(t)),
                    in_fn,
                }),
                "trait_item" => scopes.push(Scope {
                    depth,
                    owner: field(n, "name").map(|t| self.text(t).to_string()),
                    in_fn,
                }),
                "mod_item" => scopes.push(Scope {
                    depth,
                    owner: None,
                    in_fn,
                }),
                "struct_item" | "enum_item" | "union_item" => {
                    m.types.push(self.type_decl(n, item_derives))
                }
                "use_declaration" | "extern_crate_declaration" => self.imports(n, &mut m.imports),
                "const_item" | "static_item" if !in_fn => top.body.extend(self.const_stmt(n, 0)),
                "macro_invocation"
                    if !in_fn
                        && matches!(
                            parents.last(),
                            Some(&"source_file") | Some(&"declaration_list")
                        ) =>
                {
                    top.body.push(Stmt::Expr(self.expr(n, 0)))
                }
                "attribute_item" => {
                    let list = self.derive_list(n);
                    if !list.is_empty() {
                        match &mut derives {
                            Some((dd, v)) if *dd == depth => v.extend(list),
                            _ => derives = Some((depth, list)),
                        }
                    }
                }
                _ => {}
            }
            parents.push(n.kind());
            Step::Descend
        });
        m.functions.push(top);
        m.functions.extend(functions);
        m
    }

    fn function(&self, n: Node, owner: Option<String>) -> Option<Function> {
        let body = field(n, "body")?;
        let returns_value = field(n, "return_type")
            .is_some_and(|t| !matches!(t.kind(), "unit_type" | "never_type"));
        let params = field(n, "parameters")
            .map(|p| self.params(p, 0))
            .unwrap_or_default();
        let mut body = self.fn_body(body, returns_value, 0);
        // `#[instrument]` records the arguments when the function is entered.
        let mut prev = n.prev_named_sibling();
        for _ in 0..8 {
            let Some(p) = prev.filter(|p| p.kind() == "attribute_item" || is_comment(p)) else {
                break;
            };
            if let Some(s) = self.instrument_call(p, &params) {
                body.insert(0, s);
                break;
            }
            prev = p.prev_named_sibling();
        }
        Some(Function {
            name: field(n, "name")
                .map(|x| self.text(x).to_string())
                .unwrap_or_default(),
            owner,
            params,
            body,
            span: span_of(&n),
            is_module: false,
            route: self.route_attribute(n),
            annotations: Vec::new(),
            name_span: None,
            returns: field(n, "return_type").map(|t| self.text(t).to_string()),
        })
    }

    /// The route of an attribute such as `#[get("/patients/{id}")]` (actix-web, rocket) just
    /// before the function.
    fn route_attribute(&self, n: Node) -> Option<String> {
        let mut prev = n.prev_named_sibling();
        let mut hops = 0;
        while let Some(p) = prev {
            if p.kind() != "attribute_item" || hops > 8 {
                break;
            }
            let text = self.text(p);
            if let Some(start) = text.find("(\"/") {
                let rest = &text[start + 2..];
                if let Some(end) = rest.find('"') {
                    return Some(rest[..end].to_string());
                }
            }
            hops += 1;
            prev = p.prev_named_sibling();
        }
        None
    }

    /// `impl<T> a::Foo<T>` → `Foo`.
    fn owner_name(&self, t: Node) -> String {
        let s = norm_type(self.text(t));
        let s = s.split('<').next().unwrap_or("");
        s.rsplit('.').next().unwrap_or("").trim().to_string()
    }

    /// `const X: T = e;` / `static X: T = e;` as an assignment.
    pub(super) fn const_stmt(&self, n: Node, d: u32) -> Option<Stmt> {
        let name = field(n, "name")?;
        let value = field(n, "value")?;
        Some(Stmt::Assign {
            targets: vec![Target::Name(self.text(name).to_string(), span_of(&name))],
            value: self.expr(value, d),
            augmented: false,
            ty: field(n, "type").map(|t| self.type_text(t)),
            span: span_of(&n),
        })
    }

    /// Traits listed in `#[derive(...)]` (also inside `cfg_attr`).
    fn derive_list(&self, n: Node) -> Vec<String> {
        let text = self.text(n);
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find("derive") {
            rest = &rest[i + "derive".len()..];
            let Some(inner) = rest.trim_start().strip_prefix('(') else {
                continue;
            };
            let end = inner.find(')').unwrap_or(inner.len());
            for t in inner[..end].split(',') {
                let t: String = t.split_whitespace().collect();
                if !t.is_empty() {
                    out.push(t.replace("::", "."));
                }
            }
            rest = &inner[end..];
        }
        out
    }

    fn type_decl(&self, n: Node, bases: Vec<String>) -> TypeDecl {
        let mut fields = Vec::new();
        if let Some(body) = field(n, "body") {
            match body.kind() {
                "field_declaration_list" => self.named_fields(body, &mut fields),
                "ordered_field_declaration_list" => {
                    let mut c = body.walk();
                    for (i, t) in body.children_by_field_name("type", &mut c).enumerate() {
                        fields.push(FieldDecl {
                            name: i.to_string(),
                            ty: Some(self.type_text(t)),
                            span: span_of(&t),
                            ..Default::default()
                        });
                    }
                }
                "enum_variant_list" => {
                    for v in named_children(body) {
                        if let Some(b) = field(v, "body") {
                            if b.kind() == "field_declaration_list" {
                                self.named_fields(b, &mut fields);
                            }
                            // `Patient(Patient)`: the variant holds a value of that type.
                            if b.kind() == "ordered_field_declaration_list" {
                                let mut c = b.walk();
                                let types: Vec<Node> =
                                    b.children_by_field_name("type", &mut c).collect();
                                if let ([t], Some(name)) = (types.as_slice(), field(v, "name")) {
                                    fields.push(FieldDecl {
                                        name: self.text(name).to_string(),
                                        ty: Some(self.type_text(*t)),
                                        span: span_of(t),
                                        ..Default::default()
                                    });
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        // The attributes just before the item (after its doc comments).
        let mut annotations = Vec::new();
        let mut prev = n.prev_named_sibling();
        while let Some(p) = prev.filter(|p| p.kind() == "attribute_item" || is_comment(p)) {
            if p.kind() == "attribute_item" {
                annotations.extend(self.attribute(p));
            }
            prev = p.prev_named_sibling();
            if annotations.len() > 32 {
                break;
            }
        }
        annotations.reverse();
        TypeDecl {
            name: field(n, "name")
                .map(|x| self.text(x).to_string())
                .unwrap_or_default(),
            bases,
            fields,
            span: span_of(&n),
            annotations,
            ..Default::default()
        }
    }

    /// An attribute with its literal arguments: `#[diesel(table_name = patients)]` (the key's
    /// value is a string or the last segment of a path), `#[table_name = "patients"]`
    /// (position 0), `#[sqlx(rename = "dx_code")]`.
    fn attribute(&self, item: Node) -> Option<Annotation> {
        let attr = named_children(item)
            .into_iter()
            .find(|c| c.kind() == "attribute")?;
        let path = named_children(attr).into_iter().next()?;
        let mut a = Annotation {
            name: self.text(path).rsplit("::").next().unwrap_or("").to_string(),
            args: Vec::new(),
        };
        let literal = |v: Node| match v.kind() {
            "string_literal" => Some(self.str_value(v)),
            "raw_string_literal" => Some(self.raw_str_value(v)),
            "identifier" => Some(self.text(v).to_string()),
            _ => None,
        };
        if let Some(v) = field(attr, "value").and_then(literal) {
            a.args.push(AnnotationArg::positional(0, v));
        }
        let Some(tt) = field(attr, "arguments") else {
            return Some(a);
        };
        // Comma-separated `key = value` and lone values at the top level; a value's last
        // token is its text (`crate::schema::patients` → `patients`).
        let mut c = tt.walk();
        let tokens: Vec<Node> = tt
            .children(&mut c)
            .filter(|t| !matches!(t.kind(), "(" | ")"))
            .collect();
        let mut position = 0;
        for group in tokens.split(|t| t.kind() == ",") {
            let value = group.last().and_then(|t| literal(*t));
            match group.iter().position(|t| t.kind() == "=") {
                Some(eq) => {
                    let key = group[..eq].last().and_then(|t| literal(*t));
                    if let (Some(k), Some(v)) = (key, value) {
                        a.args.push(AnnotationArg::keyed(k, v));
                    }
                }
                None => {
                    if let Some(v) = value {
                        a.args.push(AnnotationArg::positional(position, v));
                    }
                    position += 1;
                }
            }
        }
        Some(a)
    }

    fn named_fields(&self, list: Node, out: &mut Vec<FieldDecl>) {
        let mut attrs = Vec::new();
        for f in named_children(list) {
            if f.kind() == "attribute_item" {
                if attrs.len() < 32 {
                    attrs.extend(self.attribute(f));
                }
                continue;
            }
            if f.kind() != "field_declaration" {
                continue;
            }
            if let Some(name) = field(f, "name") {
                out.push(FieldDecl {
                    name: self.text(name).to_string(),
                    ty: field(f, "type").map(|t| self.type_text(t)),
                    span: span_of(&name),
                    annotations: std::mem::take(&mut attrs),
                    ..Default::default()
                });
            }
            attrs.clear();
        }
    }

    fn imports(&self, n: Node, out: &mut Vec<Import>) {
        if n.kind() == "extern_crate_declaration" {
            if let Some(name) = field(n, "name") {
                let path = self.text(name).to_string();
                let alias = field(n, "alias")
                    .map(|a| self.text(a).to_string())
                    .unwrap_or_else(|| path.clone());
                out.push(Import {
                    path,
                    alias,
                    span: span_of(&n),
                });
            }
            return;
        }
        let Some(arg) = field(n, "argument") else {
            return;
        };
        let mut stack: Vec<(Vec<String>, Node)> = vec![(Vec::new(), arg)];
        while let Some((prefix, u)) = stack.pop() {
            if prefix.len() > super::MAX_CHAIN {
                continue;
            }
            let segs = |x: Node| -> Vec<String> {
                self.path_segments(x).into_iter().map(|s| s.0).collect()
            };
            let mut push = |path: Vec<String>, alias: String| {
                if !path.is_empty() {
                    out.push(Import {
                        path: path.join("."),
                        alias,
                        span: span_of(&u),
                    });
                }
            };
            match u.kind() {
                "use_list" => {
                    for c in named_children(u).into_iter().rev() {
                        stack.push((prefix.clone(), c));
                    }
                }
                "scoped_use_list" => {
                    let mut p = prefix;
                    if let Some(path) = field(u, "path") {
                        p.extend(segs(path));
                    }
                    if let Some(list) = field(u, "list") {
                        stack.push((p, list));
                    }
                }
                "use_as_clause" => {
                    let mut p = prefix;
                    if let Some(path) = field(u, "path") {
                        p.extend(segs(path));
                    }
                    let alias = field(u, "alias")
                        .map(|a| self.text(a).to_string())
                        .unwrap_or_default();
                    push(p, alias);
                }
                "use_wildcard" => {
                    let mut p = prefix;
                    if let Some(path) = super::first_named(u) {
                        p.extend(segs(path));
                    }
                    p.push("*".into());
                    push(p, "*".into());
                }
                _ => {
                    let s = segs(u);
                    if s.len() == 1 && s[0] == "self" && !prefix.is_empty() {
                        let alias = prefix.last().cloned().unwrap_or_default();
                        push(prefix, alias);
                    } else {
                        let alias = s.last().cloned().unwrap_or_default();
                        let mut p = prefix;
                        p.extend(s);
                        push(p, alias);
                    }
                }
            }
        }
    }
}

/// `1_000u32` → `1000`; `0xFF_u8` → `0xFF`.
fn int_digits(s: &str) -> String {
    let s: String = s.chars().filter(|&c| c != '_').collect();
    match s.find(['u', 'i']) {
        Some(i) if i > 0 => s[..i].to_string(),
        _ => s,
    }
}
