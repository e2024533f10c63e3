//! Declarations, statements and expressions of Java trees, lowered into the model.

mod decl;
mod expr;
mod stmt;

use std::collections::{HashMap, HashSet};

use tree_sitter::Node;

use crate::lang::toolkit::{preorder, span_of, text, DepthGuard, Step};
use crate::model::{
    Annotation, AnnotationArg, Arg, ArgKind, BinOp, Block, Call, Cmp, Comment, Expr, ExprKind, FieldDecl, Function, Import,
    Literal, LiteralKind, Module, Param, ParamKind, Span, Stmt, Target, TypeDecl,
};

/// `java.lang` types, used without an import and never the file's own package's.
const JAVA_LANG: &[&str] = &[
    "String", "Object", "Integer", "Long", "Double", "Float", "Boolean", "Byte", "Short",
    "Character", "Math", "System", "Thread", "Runnable", "Exception", "RuntimeException",
    "Error", "Throwable", "IllegalArgumentException", "IllegalStateException", "Iterable",
    "StringBuilder", "StringBuffer", "Class", "Enum", "Record", "Void", "Number", "Override",
    "Deprecated", "SuppressWarnings", "FunctionalInterface", "CharSequence", "Comparable",
    "AutoCloseable", "InterruptedException", "NullPointerException", "Process", "Runtime",
    "UnsupportedOperationException", "SafeVarargs", "StrictMath",
];
/// JDBC `ResultSet` column getters: `rs.getString("diagnosis")` reads column `diagnosis`.
const COLUMN_GETTERS: &[&str] = &[
    "getString", "getInt", "getLong", "getDouble", "getFloat", "getBoolean", "getDate",
    "getTimestamp", "getObject", "getBigDecimal", "getShort", "getBytes", "getClob", "getNString",
];

pub(crate) fn lower(tree: &tree_sitter::Tree, source: &str) -> Module {
    let root = tree.root_node();
    let mut lw = Lowerer {
        src: source,
        package: String::new(),
        imports: Vec::new(),
        types: Vec::new(),
        functions: Vec::new(),
        depth: 0,
        guard: DepthGuard::new(),
        class: None,
        locals: HashSet::new(),
        record_fields: HashSet::new(),
        used_types: HashMap::new(),
    };
    let mut body = Vec::new();
    lw.top(root, &mut body);
    lw.same_package_imports();
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
    functions.append(&mut lw.functions);
    let mut module = Module {
        imports: lw.imports,
        functions,
        types: lw.types,
        ..Module::default()
    };
    scan_leaves(root, source, &mut module);
    module
}

/// The class whose members are being lowered.
#[derive(Clone, Debug, Default)]
struct ClassCtx {
    name: String,
    /// Instance fields: a bare name among them is `self.name`.
    fields: HashSet<String>,
    /// Instance methods: a bare call of one is `self.m(…)`.
    methods: HashSet<String>,
}

struct Lowerer<'s> {
    src: &'s str,
    package: String,
    imports: Vec<Import>,
    types: Vec<TypeDecl>,
    functions: Vec<Function>,
    depth: usize,
    guard: DepthGuard,
    class: Option<ClassCtx>,
    /// Locals and parameters of the function being lowered: they shadow fields.
    locals: HashSet<String>,
    /// Components of the file's records: `r.diagnosis()` reads field `diagnosis`.
    record_fields: HashSet<String>,
    /// Capitalised names used as types or static receivers, with where first seen.
    used_types: HashMap<String, Span>,
}

// ---------------------------------------------------------------------------------------------
// Node helpers
// ---------------------------------------------------------------------------------------------

fn is_comment(n: &Node) -> bool {
    matches!(n.kind(), "line_comment" | "block_comment")
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

fn name_expr(name: &str, span: Span) -> Expr {
    Expr::new(ExprKind::Name(name.to_string()), span)
}

fn attr(obj: Expr, a: &str, span: Span) -> Expr {
    Expr::new(
        ExprKind::Attr {
            obj: Box::new(obj),
            attr: a.to_string(),
        },
        span,
    )
}

/// A dotted path as a `Name`/`Attr` chain.
fn path_expr(path: &str, span: Span) -> Expr {
    let mut parts = path.split('.').filter(|p| !p.is_empty());
    let first = parts.next().unwrap_or("");
    let mut e = name_expr(first, span);
    for p in parts {
        e = attr(e, p, span);
    }
    e
}

fn pos(value: Expr) -> Arg {
    Arg {
        name: None,
        value,
        kind: ArgKind::Positional,
    }
}

fn call(callee: Expr, args: Vec<Arg>, span: Span) -> Expr {
    Expr::new(ExprKind::Call(Box::new(Call::new(callee, args))), span)
}

fn assign(target: Target, value: Expr, ty: Option<String>) -> Stmt {
    let span = value.span;
    Stmt::Assign {
        targets: vec![target],
        value,
        augmented: false,
        ty,
        span,
    }
}

/// The modifiers node of a declaration.
fn modifiers(n: Node) -> Option<Node> {
    let mut c = n.walk();
    let m = n.children(&mut c).find(|k| k.kind() == "modifiers");
    m
}

fn has_modifier(n: Node, src: &str, word: &str) -> bool {
    modifiers(n).is_some_and(|m| {
        let mut c = m.walk();
        let found = m.children(&mut c).any(|k| text(k, src) == word);
        found
    })
}

/// A type as written, without generics' arguments, annotations and array brackets, dotted
/// (`Map<String, Patient>` → `Map`, `List<Observation>` keeps its arguments in
/// [`type_text`]).
fn type_path(n: Node, src: &str) -> String {
    match n.kind() {
        "generic_type" => kids(n)
            .into_iter()
            .find(|k| k.kind() != "type_arguments")
            .map(|k| type_path(k, src))
            .unwrap_or_default(),
        "array_type" => field(n, "element")
            .map(|k| type_path(k, src))
            .unwrap_or_default(),
        "annotated_type" => kids(n)
            .into_iter()
            .rfind(|k| !matches!(k.kind(), "annotation" | "marker_annotation"))
            .map(|k| type_path(k, src))
            .unwrap_or_default(),
        "scoped_type_identifier" => {
            let t: String = text(n, src).split_whitespace().collect();
            // Inner generic arguments (`Outer<T>.Inner`) are dropped.
            let mut out = String::new();
            let mut depth = 0;
            for c in t.chars() {
                match c {
                    '<' => depth += 1,
                    '>' => depth -= 1,
                    _ if depth == 0 => out.push(c),
                    _ => {}
                }
            }
            out
        }
        _ => text(n, src).trim().to_string(),
    }
}

/// A type as written, whitespace collapsed (generic arguments kept: `List<Observation>`).
fn type_text(n: Node, src: &str) -> String {
    let mut t = n;
    if t.kind() == "annotated_type" {
        if let Some(k) = kids(t)
            .into_iter()
            .rfind(|k| !matches!(k.kind(), "annotation" | "marker_annotation"))
        {
            t = k;
        }
    }
    text(t, src).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a string literal or text block, escapes decoded best-effort.
fn string_value(n: Node, src: &str) -> String {
    let mut out = String::new();
    let mut c = n.walk();
    for k in n.named_children(&mut c) {
        match k.kind() {
            "string_fragment" | "multiline_string_fragment" => out.push_str(text(k, src)),
            "escape_sequence" => out.push_str(&unescape(text(k, src))),
            _ => {}
        }
    }
    if n.named_child_count() == 0 {
        // Some grammar versions keep the whole literal as one token.
        let t = text(n, src);
        let t = t.trim_start_matches("\"\"\"").trim_end_matches("\"\"\"");
        return t.trim_matches('"').to_string();
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
        "s" => " ".into(),
        _ if body.starts_with('u') => u32::from_str_radix(body.trim_start_matches('u'), 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from)
            .unwrap_or_default(),
        _ if body.starts_with('\n') || body.starts_with('\r') => String::new(),
        _ => body.to_string(),
    }
}

/// `getDiagnosis` → `diagnosis`, `isActive` → `active` (JavaBeans and Lombok accessors).
fn getter_field(method: &str) -> Option<String> {
    let rest = method
        .strip_prefix("get")
        .or_else(|| method.strip_prefix("is"))?;
    decapitalise(rest)
}

/// `setNotes` → `notes`.
fn setter_field(method: &str) -> Option<String> {
    decapitalise(method.strip_prefix("set")?)
}

fn decapitalise(rest: &str) -> Option<String> {
    let mut cs = rest.chars();
    let first = cs.next().filter(|c| c.is_ascii_uppercase())?;
    // `getURL` → `URL`: an acronym keeps its case.
    if cs.clone().next().is_some_and(|c| c.is_ascii_uppercase()) {
        return Some(rest.to_string());
    }
    Some(format!("{}{}", first.to_ascii_lowercase(), cs.as_str()))
}

/// First words of method names that do something (`sendReport`, `toJson`, `isEmpty`): such a
/// zero-argument call is a call, not an accessor.
const VERBS: &[&str] = &[
    "get", "set", "is", "has", "can", "should", "to", "as", "add", "put", "post", "patch", "delete",
    "remove", "create", "build", "make", "new", "find", "fetch", "load", "read", "write", "send",
    "execute", "exec", "run", "call", "close", "open", "start", "stop", "init", "parse", "encode",
    "decode", "format", "print", "log", "flush", "clear", "reset", "apply", "accept", "test",
    "compare", "equals", "hash", "copy", "clone", "map", "filter", "collect", "reduce", "sort",
    "compute", "validate", "check", "update", "save", "insert", "select", "search", "query",
    "submit", "invoke", "generate", "chat", "complete", "embed", "process", "handle", "convert",
    "render", "prompt", "retrieve", "exchange", "block", "subscribe", "join", "wait", "notify",
    "iterator", "stream", "parallel", "values", "keys", "key", "entry", "entries", "length",
    "size", "count", "trim", "strip", "split", "lines", "chars", "next", "previous", "min",
    "max", "sum", "average", "ordinal", "sorted", "distinct", "boxed", "flip", "commit",
    "rollback", "begin", "end", "connect", "disconnect", "shutdown", "await", "release", "lock",
    "unlock", "sign", "verify", "register", "unregister", "enable", "disable", "refresh",
    "schedule", "cancel", "ensure", "try", "with", "without", "and", "or", "not", "of", "from",
    "use", "list", "describe", "detect", "analyze", "analyse", "classify", "predict", "train",
    "fit", "upload", "download", "publish", "enqueue", "dequeue", "poll", "peek", "push", "pop",
    "offer", "take", "drain", "emit", "fire", "dispatch", "track", "identify", "capture", "flat",
    "skip", "limit", "any", "all", "none", "find", "contains", "matches", "starts", "ends",
    "index", "last", "first", "intern", "hash", "reverse", "chat", "complete",
];
/// Zero-argument methods of common libraries that are not accessors of a record's components:
/// SDK namespaces (`client.chat().completions()`), views and framework calls.
const NOT_ACCESSORS: &[&str] = &[
    "completions", "responses", "embeddings", "models", "files", "fineTuning", "jobs", "beta",
    "images", "audio", "batches", "moderations", "vectorStores", "threads", "runs", "assistants",
    "messages", "opsForValue", "opsForHash", "opsForList", "activeSpan", "scope", "body",
    "content", "entity", "text", "toBodilessEntity", "bodyToMono", "chatResponse", "result",
    "results", "output", "aiMessage", "metadata", "headers", "stats", "intValue", "longValue",
    "doubleValue", "floatValue", "booleanValue", "byteValue", "shortValue", "charValue",
    "hashCode", "toString", "getClass", "name", "annotationType", "orElseThrow", "newCall",
    "builder", "newBuilder", "custom", "defaults", "instance", "current", "context", "clock",
    "now", "channel", "session", "connection", "transaction", "producer", "consumer", "parser",
    "client", "request", "response", "exchange", "toFuture", "asString", "asText", "readEntity",
    "keySet", "entrySet", "iterator", "spliterator", "stream", "values",
];

/// `form.symptoms()`: a zero-argument call whose name is a noun, not a verb or a library's
/// namespace, reads a component of a record (or an accessor named like its field).
fn is_accessor_name(m: &str) -> bool {
    let Some(first) = m.chars().next() else {
        return false;
    };
    if !first.is_ascii_lowercase() || !m.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let head: String = m.chars().take_while(|c| c.is_ascii_lowercase()).collect();
    !VERBS.contains(&head.as_str()) && !NOT_ACCESSORS.contains(&m)
}

fn is_type_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
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
            "string_literal" => {
                module.literals.push(Literal {
                    value: string_value(n, src),
                    kind: LiteralKind::Str,
                    span: span_of(&n),
                });
                return Step::Skip;
            }
            "decimal_integer_literal" => {
                let t = text(n, src).replace('_', "");
                let t = t.trim_end_matches(['l', 'L']);
                if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                    module.literals.push(Literal {
                        value: t.to_string(),
                        kind: LiteralKind::Int,
                        span: span_of(&n),
                    });
                }
            }
            "line_comment" | "block_comment" => module.comments.push(Comment {
                text: text(n, src).to_string(),
                span: span_of(&n),
            }),
            _ => {}
        }
        Step::Descend
    });
}

/// The names and `name.field` reads inside `n`, as a flat `Other`.
fn flat(n: Node, src: &str) -> Expr {
    crate::lang::toolkit::flat_reads(
        n,
        src,
        &crate::lang::toolkit::FlatSyntax {
            member: "field_access",
            object: "object",
            property: "field",
            this: "this",
            names: &["identifier"],
        },
    )
}

/// Names a function body declares (locals, lambda and catch parameters, resources, pattern
/// variables), found iteratively; nested class bodies are left out.
fn declared_names(n: Node, src: &str, out: &mut HashSet<String>) {
    preorder(n, |node, _, _| {
        match node.kind() {
            "class_body" | "class_declaration" | "record_declaration" | "enum_declaration"
            | "interface_declaration" => return Step::Skip,
            "variable_declarator" | "formal_parameter" | "catch_formal_parameter" | "resource"
            | "enhanced_for_statement" | "instanceof_expression" => {
                if let Some(name) = field(node, "name") {
                    out.insert(text(name, src).to_string());
                }
            }
            "lambda_expression" => {
                if let Some(p) = field(node, "parameters") {
                    if p.kind() == "identifier" {
                        out.insert(text(p, src).to_string());
                    }
                }
            }
            "inferred_parameters" => {
                for k in kids(node) {
                    out.insert(text(k, src).to_string());
                }
            }
            _ => {}
        }
        Step::Descend
    });
}
