//! Macro invocations: their token trees are parsed loosely into call arguments.

use super::{body::binop, chain, delim, span_between, tree_tokens, Cx, MAX_CHAIN};
use crate::lang::span_of;
use crate::model::{Arg, ArgKind, Call, Expr, ExprKind, Param, Span, Stmt};
use tree_sitter::Node;

/// Macros whose first string argument is a format string with inline captures.
const FORMAT_MACROS: &[&str] = &[
    "println",
    "print",
    "eprintln",
    "eprint",
    "format",
    "format_args",
    "write",
    "writeln",
    "panic",
    "info",
    "warn",
    "error",
    "debug",
    "trace",
    "event",
    "log",
    "anyhow",
    "bail",
    "ensure",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "unreachable",
    "todo",
    "unimplemented",
];

fn is_ident(n: &Node) -> bool {
    matches!(
        n.kind(),
        "identifier" | "self" | "crate" | "super" | "metavariable"
    )
}

fn is_str(n: &Node) -> bool {
    matches!(n.kind(), "string_literal" | "raw_string_literal")
}

fn group_span(g: &[Node]) -> Span {
    match (g.first(), g.last()) {
        (Some(a), Some(b)) => span_between(a, b),
        _ => Span::default(),
    }
}

/// Splits tokens on top-level commas (and semicolons if asked); empty groups are dropped.
fn split<'a, 't>(toks: &'a [Node<'t>], semicolons: bool) -> Vec<&'a [Node<'t>]> {
    toks.split(|t| t.kind() == "," || (semicolons && t.kind() == ";"))
        .filter(|g| !g.is_empty())
        .collect()
}

fn positional(value: Expr) -> Arg {
    Arg {
        name: None,
        value,
        kind: ArgKind::Positional,
    }
}

/// Inline captures of a format string: `{name}`, `{name:?}`; not `{}`, `{0}`, `{{`.
fn captures(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'{' {
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'{') {
            i += 2;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
            j += 1;
        }
        let name = &s[start..j];
        let closes = matches!(b.get(j), Some(b':') | Some(b'}'));
        if closes && name != "_" && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        {
            out.push(name.to_string());
        }
        i = j.max(i + 1);
    }
    out
}

impl<'s> Cx<'s> {
    /// `#[instrument]` before a function: tracing records the function's arguments (except
    /// those in `skip(..)`, or all with `skip_all`) and the `fields(..)` it lists in a span,
    /// as a call of `instrument!` at the attribute.
    pub(super) fn instrument_call(&self, item: Node, params: &[Param]) -> Option<Stmt> {
        let attr = super::named_children(item)
            .into_iter()
            .find(|c| c.kind() == "attribute")?;
        let path = super::named_children(attr).into_iter().next()?;
        let mut segs = self.path_segments(path);
        if segs.last().map(|s| s.0.as_str()) != Some("instrument") {
            return None;
        }
        let toks = super::field(attr, "arguments")
            .map(tree_tokens)
            .unwrap_or_default();
        let mut skip_all = false;
        let mut skipped: Vec<&str> = Vec::new();
        let mut args: Vec<Arg> = Vec::new();
        for g in split(&toks, false) {
            let inner = || {
                g.get(1)
                    .filter(|t| t.kind() == "token_tree")
                    .map(|t| tree_tokens(*t))
                    .unwrap_or_default()
            };
            match self.text(g[0]) {
                "skip_all" if g.len() == 1 => skip_all = true,
                "skip" => skipped.extend(inner().iter().filter(|t| is_ident(t)).map(|t| self.text(*t))),
                "fields" => {
                    let fields = inner();
                    args.extend(split(&fields, false).into_iter().map(|f| self.macro_arg(f, 0)));
                }
                _ => {}
            }
        }
        let span = span_of(&item);
        if !skip_all {
            for p in params {
                if p.name == "self" || p.name == "_" || skipped.contains(&p.name.as_str()) {
                    continue;
                }
                args.push(Arg {
                    name: Some(p.name.clone()),
                    value: Expr::new(ExprKind::Name(p.name.clone()), span),
                    kind: ArgKind::Keyword,
                });
            }
        }
        if args.is_empty() {
            return None;
        }
        if let Some(last) = segs.last_mut() {
            last.0.push('!');
        }
        let callee = chain(segs)?;
        Some(Stmt::Expr(Expr::new(
            ExprKind::Call(Box::new(Call::new(callee, args))),
            span,
        )))
    }

    /// `path!(tokens)` as a call to `path!`, `vec![..]` as a collection.
    pub(super) fn macro_call(&self, n: Node, d: u32) -> ExprKind {
        let segs = match super::field(n, "macro") {
            Some(m) => self.path_segments(m),
            None => Vec::new(),
        };
        let tt = super::named_children(n)
            .into_iter()
            .find(|c| c.kind() == "token_tree");
        let toks = tt.map(tree_tokens).unwrap_or_default();
        self.macro_from(segs, &toks, d)
    }

    fn macro_from(&self, mut segs: Vec<(String, Span)>, toks: &[Node], d: u32) -> ExprKind {
        let Some(last) = segs.last_mut() else {
            return ExprKind::Other(self.flat_tokens(toks));
        };
        let name = last.0.clone();
        last.0.push('!');
        let Some(callee) = chain(segs) else {
            return ExprKind::Other(self.flat_tokens(toks));
        };
        match name.as_str() {
            "vec" => ExprKind::Collection(
                split(toks, true)
                    .into_iter()
                    .map(|g| self.group_expr(g, d))
                    .collect(),
            ),
            "json" => ExprKind::Call(Box::new(Call {
                callee,
                args: vec![positional(self.json_value(toks, d))],
                type_args: Vec::new(),
            })),
            _ => {
                let mut args: Vec<Arg> = split(toks, false)
                    .into_iter()
                    .map(|g| self.macro_arg(g, d))
                    .collect();
                if FORMAT_MACROS.contains(&name.as_str()) {
                    let fmt = args.iter().find_map(|a| match (&a.kind, &a.value.kind) {
                        (ArgKind::Positional, ExprKind::Str(s)) => Some((s.clone(), a.value.span)),
                        _ => None,
                    });
                    if let Some((s, sp)) = fmt {
                        for cap in captures(&s) {
                            let named =
                                args.iter().any(|a| a.name.as_deref() == Some(cap.as_str()));
                            if !named {
                                args.push(positional(Expr::new(ExprKind::Name(cap), sp)));
                            }
                        }
                    }
                }
                ExprKind::Call(Box::new(Call::new(callee, args)))
            }
        }
    }

    /// One comma-separated macro argument: a string, `key = value` (tracing fields, named
    /// format arguments), `%x` / `?x` (tracing sigils) or an expression.
    fn macro_arg(&self, g: &[Node], d: u32) -> Arg {
        if g.len() == 1 && is_str(&g[0]) {
            return positional(self.group_expr(g, d));
        }
        if g.first().is_some_and(is_ident) {
            // `a.b.c = value` / `key: value`
            let mut i = 1;
            while i + 1 < g.len() && g[i].kind() == "." && is_ident(&g[i + 1]) {
                i += 2;
            }
            let is_key = match g.get(i).map(|t| t.kind()) {
                Some("=") => true,
                Some(":") => i == 1,
                _ => false,
            };
            if is_key && i + 1 < g.len() {
                let key: Vec<&str> = g[..i]
                    .iter()
                    .filter(|t| is_ident(t))
                    .map(|t| self.text(*t))
                    .collect();
                let mut rest = &g[i + 1..];
                if rest.len() > 1 && matches!(rest[0].kind(), "%" | "?") {
                    rest = &rest[1..];
                }
                return Arg {
                    name: Some(key.join(".")),
                    value: self.group_expr(rest, d),
                    kind: ArgKind::Keyword,
                };
            }
        }
        if g.len() > 1 && matches!(g[0].kind(), "%" | "?") {
            return positional(self.group_expr(&g[1..], d));
        }
        positional(self.group_expr(g, d))
    }

    /// A best-effort expression from a token group.
    fn group_expr(&self, g: &[Node], d: u32) -> Expr {
        let sp = group_span(g);
        if self.too_deep(d) {
            return Expr::new(ExprKind::Other(self.flat_tokens(g)), sp);
        }
        let d = d + 1;
        let mut operands = Vec::new();
        let mut ops = Vec::new();
        let mut i = 0;
        while i < g.len() {
            if crate::budget::expired() {
                return Expr::new(ExprKind::Other(self.flat_tokens(g)), sp);
            }
            let stop = match self.operand(g, &mut i, d) {
                Ok(e) => {
                    operands.push(e);
                    continue;
                }
                Err(stop) => stop,
            };
            // No operand starts anywhere in `i..stop` (a run of prefix tokens before a
            // non-operand): they are all operators, taken in one step to stay linear.
            ops.extend(g[i..stop].iter().map(|t| t.kind()));
            i = stop;
            let Some(t) = g.get(i) else { break };
            let k = t.kind();
            i += 1;
            if k == "as" {
                skip_type(g, &mut i);
            } else {
                ops.push(k);
            }
        }
        match (operands.len(), ops.as_slice()) {
            (1, []) => operands
                .pop()
                .unwrap_or_else(|| Expr::new(ExprKind::Other(vec![]), sp)),
            (2, [op]) if is_binop(op) => {
                let right = operands.pop();
                let left = operands.pop();
                match (left, right) {
                    (Some(l), Some(r)) => Expr::new(
                        ExprKind::Binary {
                            op: binop(op),
                            left: Box::new(l),
                            right: Box::new(r),
                        },
                        sp,
                    ),
                    _ => Expr::new(ExprKind::Other(vec![]), sp),
                }
            }
            _ => Expr::new(ExprKind::Other(operands), sp),
        }
    }

    /// Parses one operand at `*i` (prefix operators, a primary, postfix `.f`, `.m()`, `()`,
    /// `[]`, `?`, `.await`). If none starts there, leaves `*i` unchanged and returns the
    /// index of the first token after the prefix run, where no operand starts either.
    fn operand(&self, g: &[Node], i: &mut usize, d: u32) -> Result<Expr, usize> {
        let start = *i;
        let mut prefixes = Vec::new();
        while let Some(t) = g.get(*i) {
            match t.kind() {
                "&" | "&&" | "*" | "!" | "-" | "%" | "?" => prefixes.push(t.kind()),
                "mutable_specifier" | "move" | "ref" => {}
                _ => break,
            }
            *i += 1;
        }
        let Some(&tok) = g.get(*i) else {
            let stop = *i;
            *i = start;
            return Err(stop);
        };
        let mut e = match tok.kind() {
            k if is_ident(&tok) || k == "primitive_type" => self.token_path(g, i, d),
            "string_literal" => {
                *i += 1;
                Expr::new(ExprKind::Str(self.str_value(tok)), span_of(&tok))
            }
            "raw_string_literal" => {
                *i += 1;
                Expr::new(ExprKind::Str(self.raw_str_value(tok)), span_of(&tok))
            }
            "integer_literal" | "float_literal" | "char_literal" | "boolean_literal" => {
                *i += 1;
                Expr::new(ExprKind::Const(self.text(tok).to_string()), span_of(&tok))
            }
            "token_tree" => {
                *i += 1;
                let inner = tree_tokens(tok);
                let groups = split(&inner, false);
                let kind = match delim(tok) {
                    "(" if groups.len() == 1 && inner.last().is_some_and(|t| t.kind() != ",") => {
                        ExprKind::Wrap(Box::new(self.group_expr(groups[0], d)))
                    }
                    "(" | "[" => ExprKind::Collection(
                        groups.into_iter().map(|g| self.group_expr(g, d)).collect(),
                    ),
                    _ => ExprKind::Other(self.flat_tokens(&inner)),
                };
                Expr::new(kind, span_of(&tok))
            }
            _ => {
                let stop = *i;
                *i = start;
                return Err(stop);
            }
        };
        // postfix operators; each one nests a level, so they count against the depth budget
        let mut depth = d;
        while !self.too_deep(depth) {
            let Some(t) = g.get(*i) else { break };
            let next = g.get(*i + 1);
            match (t.kind(), next.map(|n| n.kind())) {
                (".", Some("identifier" | "integer_literal")) => {
                    let f = next.map(|n| self.text(*n)).unwrap_or("");
                    *i += 2;
                    e = Expr::new(
                        ExprKind::Attr {
                            obj: Box::new(e),
                            attr: f.to_string(),
                        },
                        span_between(&g[start], &g[*i - 1]),
                    );
                }
                (".", Some("await")) | ("?", _) => {
                    *i += if t.kind() == "." { 2 } else { 1 };
                    e = Expr::new(
                        ExprKind::Wrap(Box::new(e)),
                        span_between(&g[start], &g[*i - 1]),
                    );
                }
                ("token_tree", _) if matches!(delim(*t), "(" | "[") => {
                    *i += 1;
                    let inner = tree_tokens(*t);
                    let kind = if delim(*t) == "(" {
                        ExprKind::Call(Box::new(Call {
                            callee: e,
                            args: split(&inner, false)
                                .into_iter()
                                .map(|a| positional(self.group_expr(a, depth)))
                                .collect(),
                                type_args: Vec::new(),
                        }))
                    } else {
                        ExprKind::Index {
                            obj: Box::new(e),
                            index: Box::new(self.group_expr(&inner, depth)),
                        }
                    };
                    e = Expr::new(kind, span_between(&g[start], t));
                }
                _ => break,
            }
            depth += 1;
        }
        let sp = e.span;
        for p in prefixes.into_iter().rev() {
            let kind = match p {
                "!" => ExprKind::Unary {
                    negates_to_bool: true,
                    operand: Box::new(e),
                },
                "-" => ExprKind::Unary {
                    negates_to_bool: false,
                    operand: Box::new(e),
                },
                "%" | "?" => continue,
                _ => ExprKind::Wrap(Box::new(e)),
            };
            e = Expr::new(kind, sp);
        }
        Ok(e)
    }

    /// A path starting at `*i` (`a::b`, `Vec::<u8>::new`), then a nested macro call
    /// (`format!(..)`) or a struct literal (`Patient { .. }`) if one follows.
    fn token_path(&self, g: &[Node], i: &mut usize, d: u32) -> Expr {
        let start = *i;
        let mut segs = vec![(self.text(g[*i]).to_string(), span_of(&g[*i]))];
        *i += 1;
        while g.get(*i).is_some_and(|t| t.kind() == "::") {
            match g.get(*i + 1) {
                Some(n) if is_ident(n) => {
                    segs.push((self.text(*n).to_string(), span_between(&g[start], n)));
                    *i += 2;
                }
                Some(n) if n.kind() == "<" => {
                    *i += 1;
                    skip_generics(g, i);
                }
                _ => break,
            }
        }
        let next = g.get(*i).map(|t| t.kind());
        let after = g.get(*i + 1).filter(|t| t.kind() == "token_tree");
        if let (Some("!"), Some(tt)) = (next, after) {
            *i += 2;
            let kind = self.macro_from(segs, &tree_tokens(*tt), d);
            return Expr::new(kind, span_between(&g[start], tt));
        }
        let upper = segs
            .last()
            .is_some_and(|s| s.0.starts_with(|c: char| c.is_uppercase()));
        if let (Some("token_tree"), true) = (next, upper) {
            let tt = g[*i];
            if delim(tt) == "{" {
                *i += 1;
                let kind = ExprKind::Dict(self.struct_tokens(&tree_tokens(tt), d));
                return Expr::new(kind, span_between(&g[start], &tt));
            }
        }
        chain(segs).unwrap_or_else(|| Expr::new(ExprKind::Other(vec![]), span_of(&g[start])))
    }

    /// Struct literal fields inside a macro: `name: e`, shorthand `nir`, `..base`.
    fn struct_tokens(&self, toks: &[Node], d: u32) -> Vec<(Option<Expr>, Expr)> {
        let mut out = Vec::new();
        for g in split(toks, false) {
            let key = |t: &Node| {
                Some(Expr::new(
                    ExprKind::Str(self.text(*t).to_string()),
                    span_of(t),
                ))
            };
            match g {
                [k, colon, rest @ ..] if is_ident(k) && colon.kind() == ":" && !rest.is_empty() => {
                    out.push((key(k), self.group_expr(rest, d)))
                }
                [k] if is_ident(k) => out.push((
                    key(k),
                    Expr::new(ExprKind::Name(self.text(*k).to_string()), span_of(k)),
                )),
                [dots, rest @ ..] if dots.kind() == ".." && !rest.is_empty() => {
                    out.push((None, self.group_expr(rest, d)))
                }
                _ => out.push((None, self.group_expr(g, d))),
            }
        }
        out
    }

    /// A `json!` value: objects → `Dict`, arrays → `Collection`, anything else an expression.
    fn json_value(&self, toks: &[Node], d: u32) -> Expr {
        let sp = group_span(toks);
        if self.too_deep(d) {
            return Expr::new(ExprKind::Other(self.flat_tokens(toks)), sp);
        }
        let d = d + 1;
        match toks {
            [tt] if tt.kind() == "token_tree" => {
                let inner = tree_tokens(*tt);
                let kind = match delim(*tt) {
                    "{" => ExprKind::Dict(
                        split(&inner, false)
                            .into_iter()
                            .map(|g| match g.iter().position(|t| t.kind() == ":") {
                                Some(k) if k > 0 => (
                                    Some(self.group_expr(&g[..k], d)),
                                    self.json_value(&g[k + 1..], d),
                                ),
                                _ => (None, self.group_expr(g, d)),
                            })
                            .collect(),
                    ),
                    "[" => ExprKind::Collection(
                        split(&inner, false)
                            .into_iter()
                            .map(|g| self.json_value(g, d))
                            .collect(),
                    ),
                    _ => return self.json_value(&inner, d),
                };
                Expr::new(kind, sp)
            }
            [t] if t.kind() == "identifier" && self.text(*t) == "null" => {
                Expr::new(ExprKind::Const("null".into()), sp)
            }
            _ => self.group_expr(toks, d),
        }
    }

    /// The `Name`/`Attr` reads in a token list (nested trees included), without recursion.
    pub(super) fn flat_tokens(&self, toks: &[Node]) -> Vec<Expr> {
        let mut out = Vec::new();
        let mut pending = Vec::new();
        self.scan_tokens(toks, &mut out, &mut pending);
        while let Some(tt) = pending.pop() {
            self.scan_tokens(&tree_tokens(tt), &mut out, &mut pending);
        }
        out
    }

    /// Appends `a.b.c` / `a::b` chains found in `toks` to `out`; nested trees go to `pending`.
    pub(super) fn scan_tokens<'t>(
        &self,
        toks: &[Node<'t>],
        out: &mut Vec<Expr>,
        pending: &mut Vec<Node<'t>>,
    ) {
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            if t.kind() == "token_tree" {
                pending.push(t);
                i += 1;
                continue;
            }
            if !is_ident(&t) {
                i += 1;
                continue;
            }
            let mut segs = vec![(self.text(t).to_string(), span_of(&t))];
            i += 1;
            while i + 1 < toks.len()
                && matches!(toks[i].kind(), "." | "::")
                && (is_ident(&toks[i + 1]) || toks[i + 1].kind() == "integer_literal")
            {
                if segs.len() < MAX_CHAIN {
                    segs.push((
                        self.text(toks[i + 1]).to_string(),
                        span_between(&t, &toks[i + 1]),
                    ));
                }
                i += 2;
            }
            out.extend(chain(segs));
        }
    }
}

fn is_binop(op: &str) -> bool {
    matches!(
        op,
        "+" | "-"
            | "*"
            | "/"
            | "%"
            | "&"
            | "|"
            | "^"
            | "<<"
            | ">>"
            | "&&"
            | "||"
            | "=="
            | "!="
            | "<"
            | ">"
            | "<="
            | ">="
    )
}

/// Skips a balanced `<...>` starting at `*i`.
fn skip_generics(g: &[Node], i: &mut usize) {
    let mut depth = 0i64;
    while let Some(t) = g.get(*i) {
        *i += 1;
        match t.kind() {
            "<" => depth += 1,
            ">" => depth -= 1,
            ">>" => depth -= 2,
            _ => {}
        }
        if depth <= 0 {
            break;
        }
    }
}

/// Skips the type after `as`: a path with optional generics.
fn skip_type(g: &[Node], i: &mut usize) {
    while let Some(t) = g.get(*i) {
        match t.kind() {
            "identifier" | "primitive_type" | "::" | "&" | "mutable_specifier" => *i += 1,
            "<" => skip_generics(g, i),
            _ => break,
        }
    }
}
