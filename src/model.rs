//! The language-neutral model of one source file.
//!
//! Language adapters (`crate::lang::*`) lower a tree-sitter tree into these types; the
//! classifier and the taint engine only ever see this model, never syntax-tree node kinds.
//! Everything here is plain data: cheap to build, easy to print in tests.

use crate::patterns::ArgSel;
use serde::Serialize;

/// A source range. Lines are 1-based; columns are 1-based byte offsets within the line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start_byte: u32,
    pub end_byte: u32,
    pub start_line: u32,
    pub start_col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

/// One lowered file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Module {
    /// Imports and `use` declarations, anywhere in the file.
    pub imports: Vec<Import>,
    /// Every function, method and closure-free body. Index 0 is the module's top level
    /// (`is_module == true`): module statements, Python class bodies and Rust `const`/`static`.
    pub functions: Vec<Function>,
    /// Classes, structs and enums with their declared fields (data map, patient-context types).
    pub types: Vec<TypeDecl>,
    /// Every string and integer literal in the file (hardcoded identifiers).
    pub literals: Vec<Literal>,
    /// Every comment (suppressions, fixture expectations).
    pub comments: Vec<Comment>,
    /// Number of syntax-error nodes the parser recovered from.
    pub syntax_errors: u32,
}

/// `import a.b as c` → `{ path: "a.b", alias: "c" }`; `from a import b` → `{ path: "a.b", alias: "b" }`;
/// `use reqwest::Client;` → `{ path: "reqwest.Client", alias: "Client" }`.
/// Paths are always dot-separated, whatever the language writes (`::` becomes `.`).
/// Relative Python imports keep their leading dots (`from .x import f` → `".x.f"`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Import {
    pub path: String,
    pub alias: String,
    pub span: Span,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Function {
    /// Simple name (`summarize`); `<module>` for the top level.
    pub name: String,
    /// Enclosing class / impl type for methods (`PatientService`), if any.
    pub owner: Option<String>,
    pub params: Vec<Param>,
    pub body: Block,
    pub span: Span,
    pub is_module: bool,
    /// The web route the function handles, from a decorator or attribute
    /// (`@app.post("/patients/{id}")`, `#[get("/patients/{id}")]`), or after lowering from
    /// `annotations` and the language's `[routes]` patterns (`@GetMapping("/{id}")`).
    pub route: Option<String>,
    /// Annotations and decorators on a method, for the `[routes]` patterns.
    pub annotations: Vec<Annotation>,
    /// Where the function's name is written, when the adapter knows it.
    pub name_span: Option<Span>,
    /// The declared return type, as written (`list[SoapNote]`, `Result<Vec<Patient>, E>`).
    pub returns: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ParamKind {
    Normal,
    /// `self` / `&self` / `cls`. The engine reads the instance's fields as `self.<field>`:
    /// an adapter whose language names the receiver otherwise (`this`) lowers it to `self`.
    SelfParam,
    /// `*args`.
    VarArgs,
    /// `**kwargs`.
    KwArgs,
}

#[derive(Clone, Debug, Serialize)]
pub struct Param {
    pub name: String,
    /// Annotation or Rust type, as written but with `::` → `.`, references and generics removed
    /// where simple (`&Patient` → `Patient`, `Option<Patient>` → `Option<Patient>` kept as text).
    pub ty: Option<String>,
    pub default: Option<Expr>,
    pub kind: ParamKind,
    pub span: Span,
}

pub type Block = Vec<Stmt>;

#[derive(Clone, Debug, Serialize)]
pub enum Stmt {
    /// `a = b`, `a, b = c`, `a += b` (augmented: the old value flows too), `let x: T = e;`.
    Assign {
        targets: Vec<Target>,
        value: Expr,
        augmented: bool,
        ty: Option<String>,
        span: Span,
    },
    /// An expression evaluated for its effect (a call, a macro).
    Expr(Expr),
    Return(Option<Expr>, Span),
    /// Alternatives: `if/elif/else`, `match` arms, `try`/`except` handlers. `conds` are
    /// evaluated first (in order); then each arm runs from the same state and the states merge.
    /// An `if` without `else` has an empty arm for the fall-through.
    Branch {
        conds: Vec<Expr>,
        arms: Vec<Block>,
    },
    /// `for target in iter: body`, `while cond: body` (target None, iter = cond), `loop {}`.
    Loop {
        target: Option<Target>,
        iter: Option<Expr>,
        body: Block,
    },
    /// `with a as t, b: body` (Python). Each item's value is bound to its target.
    With {
        items: Vec<(Expr, Option<Target>)>,
        body: Block,
    },
    /// A plain nested block (Rust `{ ... }`, `unsafe { }`, Python `try:` body).
    Block(Block),
}

#[derive(Clone, Debug, Serialize)]
pub enum Target {
    Name(String, Span),
    Attr {
        obj: Expr,
        attr: String,
        span: Span,
    },
    Index {
        obj: Expr,
        index: Expr,
        span: Span,
    },
    /// Tuple / list / struct destructuring; `*rest` is a `Starred`.
    Tuple(Vec<Target>),
    Starred(Box<Target>),
    /// `_`, or a pattern the adapter cannot express.
    Ignore,
}

#[derive(Clone, Debug, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BinOp {
    /// `+ - * / % |` and friends, string concatenation, Python `%` formatting: values flow.
    Arith,
    /// `and` / `or` / `||` / `&&`: in Python the operands themselves flow.
    Logic,
    /// `== != < > in is not in ...`: yields a boolean, nothing flows.
    Compare(Cmp),
}

/// Which comparison a `BinOp::Compare` makes (read to tell an HTTP status test).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `in`, `is`, `instanceof`, chained comparisons.
    Other,
}

impl Cmp {
    /// The operator as written in C-like languages and Python.
    pub fn from_op(op: &str) -> Cmp {
        match op {
            "==" | "===" => Cmp::Eq,
            "!=" | "!==" => Cmp::Ne,
            "<" => Cmp::Lt,
            "<=" => Cmp::Le,
            ">" => Cmp::Gt,
            ">=" => Cmp::Ge,
            _ => Cmp::Other,
        }
    }

    /// The same test with its operands swapped (`200 != x` is `x != 200`).
    pub fn mirrored(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            c => c,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub enum ExprKind {
    Name(String),
    Attr {
        obj: Box<Expr>,
        attr: String,
    },
    Index {
        obj: Box<Expr>,
        index: Box<Expr>,
    },
    Call(Box<Call>),
    /// A string literal (decoded best-effort; raw text minus quotes/prefixes is fine).
    Str(String),
    /// f-strings, `format!`-style templates already split: `literal` is the static text with
    /// placeholders removed (used for URL prefixes), `parts` the interpolated expressions.
    Template {
        literal: String,
        parts: Vec<Expr>,
        /// It opens with literal text, not with an interpolated part (`/api/${id}`, not
        /// `${base}/api`): then `literal` starts with that text.
        opens_with_text: bool,
    },
    /// Numbers, booleans, `None`/`null`/unit: constants that carry no data.
    Const(String),
    /// List, tuple, set, array, `vec![..]`.
    Collection(Vec<Expr>),
    /// Dict / struct literal / JSON object: `(Some(key), value)`, or `(None, value)` for `**splat`
    /// and `..base`. Struct field names become `Str` keys.
    Dict(Vec<(Option<Expr>, Expr)>),
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `not x`, `!x` yield a boolean: `negates_to_bool = true`; `-x` keeps the value.
    Unary {
        negates_to_bool: bool,
        operand: Box<Expr>,
    },
    /// `a if c else b`, Rust `if`/`match` as expressions: conds evaluated, arms merged.
    Branch {
        conds: Vec<Expr>,
        arms: Vec<Expr>,
    },
    /// Lambdas and closures. Python lambdas have a body of one `Return`.
    Lambda {
        params: Vec<Param>,
        body: Block,
    },
    /// Comprehensions and generator expressions: each `(target, iter)` binds in order,
    /// `conds` are filters, `element` is what is produced (for dict comprehensions a `Collection`
    /// of key and value).
    Comprehension {
        generators: Vec<(Target, Expr)>,
        conds: Vec<Expr>,
        element: Box<Expr>,
    },
    /// `await e`, `e?`, `&e`, `*e`, `e as T`, parentheses: the value passes through unchanged.
    Wrap(Box<Expr>),
    /// A block used as a value (Rust): statements, then an optional tail expression.
    Block {
        stmts: Block,
        value: Option<Box<Expr>>,
    },
    /// `x = y` / walrus used as an expression (`(x := f())`).
    AssignExpr {
        target: Box<Target>,
        value: Box<Expr>,
    },
    /// Anything else: the children's values all flow into it.
    Other(Vec<Expr>),
}

/// A call or a macro invocation.
///
/// Macros are calls whose callee is a `Name`/`Attr` path ending in `!`
/// (`println!`, `log.info!` for `log::info!`, `tracing.warn!`). Their arguments are the
/// comma-separated token groups the adapter could make sense of; inline format captures
/// (`"{patient_name}"`) are appended as extra positional `Name` arguments.
#[derive(Clone, Debug, Serialize)]
pub struct Call {
    pub callee: Expr,
    pub args: Vec<Arg>,
    /// Type arguments given at the call, as written (Rust's turbofish,
    /// `serde_json::from_str::<Encounter>`, `rdr.deserialize::<LabRow>()`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub type_args: Vec<String>,
}

impl Call {
    pub fn new(callee: Expr, args: Vec<Arg>) -> Call {
        Call {
            callee,
            args,
            type_args: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ArgKind {
    Positional,
    Keyword,
    /// `*args`
    Splat,
    /// `**kwargs`
    KwSplat,
}

#[derive(Clone, Debug, Serialize)]
pub struct Arg {
    /// Keyword name for keyword arguments.
    pub name: Option<String>,
    pub value: Expr,
    pub kind: ArgKind,
}

/// A class, struct or enum with its declared fields (ORM columns, dataclass and pydantic
/// fields, serde struct fields, class-level assignments).
#[derive(Clone, Debug, Default, Serialize)]
pub struct TypeDecl {
    pub name: String,
    /// Base classes / derived traits as written (`BaseModel`, `db.Model`).
    pub bases: Vec<String>,
    pub fields: Vec<FieldDecl>,
    pub span: Span,
    /// Annotations, decorators and attributes on the declaration (`@Table(name = "patients")`,
    /// `@dataclass`, `#[diesel(table_name = patients)]`).
    pub annotations: Vec<Annotation>,
    /// Class-level string constants, by dotted name within the class (`__tablename__`,
    /// `Meta.db_table`).
    pub constants: Vec<(String, String)>,
    /// The storage table or collection the type is mapped to, when the code names it. Not set
    /// by the adapters: the engine derives it from `annotations` and `constants` with the
    /// language's `[storage]` patterns.
    pub table: Option<String>,
    /// The record type this type stands for (a serializer's `Meta.model`). Derived like
    /// `table`.
    pub model: Option<String>,
}

/// An annotation, decorator or attribute, or the mapping call that initialises a field
/// (`Column("dx_code", String)`): its simple name and its literal arguments.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Annotation {
    pub name: String,
    pub args: Vec<AnnotationArg>,
}

/// A literal argument of an annotation: positional (`@Entity("patients")`), by key
/// (`@Table(name = "patients")`), or a key of an object argument (`@Column({ name: "dx" })`).
/// Only strings and plain paths (`table_name = patients`) are kept.
#[derive(Clone, Debug, Serialize)]
pub struct AnnotationArg {
    /// Where the argument is: its position among the positional ones, or its key.
    pub at: ArgSel,
    pub value: String,
    /// A plain name or path given by position (`ForeignKey(Clinic)`), not a string: only
    /// entries that ask for names read it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub name: bool,
}

impl AnnotationArg {
    pub fn positional(position: usize, value: String) -> AnnotationArg {
        AnnotationArg {
            at: ArgSel::Index(position),
            value,
            name: false,
        }
    }

    /// A plain name or path given by position.
    pub fn positional_name(position: usize, value: String) -> AnnotationArg {
        AnnotationArg {
            name: true,
            ..AnnotationArg::positional(position, value)
        }
    }

    pub fn keyed(key: impl Into<String>, value: String) -> AnnotationArg {
        AnnotationArg {
            at: ArgSel::Name(key.into()),
            value,
            name: false,
        }
    }
}

impl Annotation {
    /// The value of the argument at `sel` (a string, or a name given by key).
    pub fn arg(&self, sel: &ArgSel) -> Option<&str> {
        self.args
            .iter()
            .find(|a| a.at == *sel && !a.name)
            .map(|a| a.value.as_str())
    }

    /// [`Annotation::arg`], also reading names given by position.
    pub fn arg_or_name(&self, sel: &ArgSel) -> Option<&str> {
        self.args
            .iter()
            .find(|a| a.at == *sel)
            .map(|a| a.value.as_str())
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct FieldDecl {
    pub name: String,
    pub ty: Option<String>,
    pub span: Span,
    /// Annotations on the field and the mapping call that initialises it
    /// (`@Column(name = "dx_code")`, `Column("dx_code", String)`).
    pub annotations: Vec<Annotation>,
    /// The storage column the field is mapped to, when it differs from the field's name. Not
    /// set by the adapters: derived from `annotations` like [`TypeDecl::table`].
    pub column: Option<String>,
    /// The entity type a relation field refers to (`relationship("Clinic")`,
    /// `ForeignKey(Clinic)`). Derived from `annotations`, like `column`.
    pub relation: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LiteralKind {
    Str,
    Int,
}

#[derive(Clone, Debug, Serialize)]
pub struct Literal {
    pub value: String,
    pub kind: LiteralKind,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comment {
    /// The comment's text including its marker (`# ...`, `// ...`, `/* ... */`).
    pub text: String,
    pub span: Span,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// The dotted path of a `Name`/`Attr` chain (`a.b.c`), if the expression is one.
    pub fn dotted(&self) -> Option<String> {
        let mut parts = Vec::new();
        let mut cur = self;
        loop {
            match &cur.kind {
                ExprKind::Name(n) => {
                    parts.push(n.as_str());
                    break;
                }
                ExprKind::Attr { obj, attr } => {
                    parts.push(attr.as_str());
                    cur = obj;
                }
                ExprKind::Wrap(inner) => cur = inner,
                _ => return None,
            }
        }
        parts.reverse();
        Some(parts.join("."))
    }
}

/// Dropping is iterative: a chain of a million prefix operators or nested calls, which a
/// scanned file controls, would otherwise overflow the stack through nested `Box` drops.
impl Drop for Expr {
    fn drop(&mut self) {
        if self.kind.is_leaf() {
            return;
        }
        let mut stack = Vec::new();
        take_children(&mut self.kind, &mut stack);
        while let Some(mut e) = stack.pop() {
            take_children(&mut e.kind, &mut stack);
            // `e` now has no children left: dropping it does not recurse.
        }
    }
}

impl ExprKind {
    fn is_leaf(&self) -> bool {
        matches!(
            self,
            ExprKind::Name(_) | ExprKind::Str(_) | ExprKind::Const(_)
        )
    }
}

fn leaf() -> Expr {
    Expr {
        kind: ExprKind::Const(String::new()),
        span: Span::default(),
    }
}

/// A block as an expression, so that nested blocks are emptied by the same loop.
fn block_expr(stmts: Block) -> Expr {
    Expr {
        kind: ExprKind::Block { stmts, value: None },
        span: Span::default(),
    }
}

fn take_target(t: Target, stack: &mut Vec<Expr>) {
    let mut targets = vec![t];
    while let Some(t) = targets.pop() {
        match t {
            Target::Attr { obj, .. } => stack.push(obj),
            Target::Index { obj, index, .. } => {
                stack.push(obj);
                stack.push(index);
            }
            Target::Tuple(ts) => targets.extend(ts),
            Target::Starred(t) => targets.push(*t),
            Target::Name(..) | Target::Ignore => {}
        }
    }
}

fn take_stmt(s: Stmt, stack: &mut Vec<Expr>) {
    match s {
        Stmt::Assign { targets, value, .. } => {
            stack.push(value);
            for t in targets {
                take_target(t, stack);
            }
        }
        Stmt::Expr(e) | Stmt::Return(Some(e), _) => stack.push(e),
        Stmt::Return(None, _) => {}
        Stmt::Branch { conds, arms } => {
            stack.extend(conds);
            stack.extend(arms.into_iter().map(block_expr));
        }
        Stmt::Loop { target, iter, body } => {
            if let Some(t) = target {
                take_target(t, stack);
            }
            stack.extend(iter);
            stack.push(block_expr(body));
        }
        Stmt::With { items, body } => {
            for (e, t) in items {
                stack.push(e);
                if let Some(t) = t {
                    take_target(t, stack);
                }
            }
            stack.push(block_expr(body));
        }
        Stmt::Block(b) => stack.push(block_expr(b)),
    }
}

/// Moves the expressions directly under `kind` onto `stack`, leaving `kind` childless.
fn take_children(kind: &mut ExprKind, stack: &mut Vec<Expr>) {
    if kind.is_leaf() {
        return;
    }
    match std::mem::replace(kind, ExprKind::Const(String::new())) {
        ExprKind::Name(_) | ExprKind::Str(_) | ExprKind::Const(_) => {}
        ExprKind::Attr { mut obj, .. } | ExprKind::Wrap(mut obj) => {
            stack.push(std::mem::replace(&mut *obj, leaf()))
        }
        ExprKind::Index {
            mut obj, mut index, ..
        } => {
            stack.push(std::mem::replace(&mut *obj, leaf()));
            stack.push(std::mem::replace(&mut *index, leaf()));
        }
        ExprKind::Call(mut call) => {
            stack.push(std::mem::replace(&mut call.callee, leaf()));
            stack.extend(std::mem::take(&mut call.args).into_iter().map(|a| a.value));
        }
        ExprKind::Template { parts: es, .. } | ExprKind::Collection(es) | ExprKind::Other(es) => {
            stack.extend(es)
        }
        ExprKind::Dict(pairs) => {
            for (k, v) in pairs {
                stack.extend(k);
                stack.push(v);
            }
        }
        ExprKind::Binary {
            mut left,
            mut right,
            ..
        } => {
            stack.push(std::mem::replace(&mut *left, leaf()));
            stack.push(std::mem::replace(&mut *right, leaf()));
        }
        ExprKind::Unary { mut operand, .. } => stack.push(std::mem::replace(&mut *operand, leaf())),
        ExprKind::Branch { conds, arms } => {
            stack.extend(conds);
            stack.extend(arms);
        }
        ExprKind::Lambda { params, body } => {
            stack.extend(params.into_iter().filter_map(|p| p.default));
            for s in body {
                take_stmt(s, stack);
            }
        }
        ExprKind::Comprehension {
            generators,
            conds,
            mut element,
        } => {
            for (t, e) in generators {
                take_target(t, stack);
                stack.push(e);
            }
            stack.extend(conds);
            stack.push(std::mem::replace(&mut *element, leaf()));
        }
        ExprKind::Block { stmts, value } => {
            for s in stmts {
                take_stmt(s, stack);
            }
            if let Some(mut v) = value {
                stack.push(std::mem::replace(&mut *v, leaf()));
            }
        }
        ExprKind::AssignExpr { target, mut value } => {
            take_target(*target, stack);
            stack.push(std::mem::replace(&mut *value, leaf()));
        }
    }
}

#[cfg(test)]
mod drop_tests {
    use super::*;

    #[test]
    fn a_million_deep_chain_drops_without_recursion() {
        let mut e = leaf();
        for i in 0..1_000_000 {
            let kind = match i % 4 {
                0 => ExprKind::Unary {
                    negates_to_bool: true,
                    operand: Box::new(e),
                },
                1 => ExprKind::Call(Box::new(Call::new(e, Vec::new()))),
                2 => ExprKind::Binary {
                    op: BinOp::Arith,
                    left: Box::new(e),
                    right: Box::new(leaf()),
                },
                _ => ExprKind::Block {
                    stmts: vec![Stmt::Expr(e)],
                    value: None,
                },
            };
            e = Expr::new(kind, Span::default());
        }
        drop(e);
    }
}

/// Helpers for the adapters' lowering tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    fn push_target<'a>(t: &'a Target, exprs: &mut Vec<&'a Expr>) {
        match t {
            Target::Attr { obj, .. } => exprs.push(obj),
            Target::Index { obj, index, .. } => {
                exprs.push(obj);
                exprs.push(index);
            }
            Target::Tuple(ts) => ts.iter().for_each(|t| push_target(t, exprs)),
            Target::Starred(t) => push_target(t, exprs),
            Target::Name(..) | Target::Ignore => {}
        }
    }

    /// Every expression in the module, in document order, found without recursion on exprs.
    pub(crate) fn all_exprs(m: &Module) -> Vec<&Expr> {
        let mut out = Vec::new();
        let mut stmts: Vec<&Stmt> = m.functions.iter().flat_map(|f| f.body.iter()).collect();
        let mut exprs: Vec<&Expr> = m
            .functions
            .iter()
            .flat_map(|f| f.params.iter().filter_map(|p| p.default.as_ref()))
            .collect();
        loop {
            if let Some(s) = stmts.pop() {
                match s {
                    Stmt::Assign { targets, value, .. } => {
                        exprs.push(value);
                        targets.iter().for_each(|t| push_target(t, &mut exprs));
                    }
                    Stmt::Expr(e) | Stmt::Return(Some(e), _) => exprs.push(e),
                    Stmt::Return(None, _) => {}
                    Stmt::Branch { conds, arms } => {
                        exprs.extend(conds);
                        stmts.extend(arms.iter().flatten());
                    }
                    Stmt::Loop { target, iter, body } => {
                        if let Some(t) = target {
                            push_target(t, &mut exprs);
                        }
                        exprs.extend(iter);
                        stmts.extend(body);
                    }
                    Stmt::With { items, body } => {
                        for (e, t) in items {
                            exprs.push(e);
                            if let Some(t) = t {
                                push_target(t, &mut exprs);
                            }
                        }
                        stmts.extend(body);
                    }
                    Stmt::Block(b) => stmts.extend(b),
                }
                continue;
            }
            let Some(e) = exprs.pop() else { break };
            out.push(e);
            match &e.kind {
                ExprKind::Attr { obj, .. } | ExprKind::Wrap(obj) => exprs.push(obj),
                ExprKind::Unary { operand, .. } => exprs.push(operand),
                ExprKind::Index { obj, index } => {
                    exprs.push(obj);
                    exprs.push(index);
                }
                ExprKind::Call(c) => {
                    exprs.push(&c.callee);
                    exprs.extend(c.args.iter().map(|a| &a.value));
                }
                ExprKind::Template { parts, .. } => exprs.extend(parts),
                ExprKind::Collection(v) | ExprKind::Other(v) => exprs.extend(v),
                ExprKind::Dict(kv) => {
                    for (k, v) in kv {
                        exprs.extend(k);
                        exprs.push(v);
                    }
                }
                ExprKind::Binary { left, right, .. } => {
                    exprs.push(left);
                    exprs.push(right);
                }
                ExprKind::Branch { conds, arms } => {
                    exprs.extend(conds);
                    exprs.extend(arms);
                }
                ExprKind::Lambda { params, body } => {
                    exprs.extend(params.iter().filter_map(|p| p.default.as_ref()));
                    stmts.extend(body);
                }
                ExprKind::Comprehension {
                    generators,
                    conds,
                    element,
                } => {
                    for (t, i) in generators {
                        push_target(t, &mut exprs);
                        exprs.push(i);
                    }
                    exprs.extend(conds);
                    exprs.push(element);
                }
                ExprKind::Block { stmts: b, value } => {
                    stmts.extend(b);
                    exprs.extend(value.as_deref());
                }
                ExprKind::AssignExpr { target, value } => {
                    push_target(target, &mut exprs);
                    exprs.push(value);
                }
                ExprKind::Name(_) | ExprKind::Str(_) | ExprKind::Const(_) => {}
            }
        }
        out.sort_by_key(|e| (e.span.start_byte, std::cmp::Reverse(e.span.end_byte)));
        out
    }
}
