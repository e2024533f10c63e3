use crate::lang::Lang;
use crate::model::*;

fn lower(src: &str) -> Module {
    Lang::by_name("rust")
        .expect("registered")
        .lower(src)
        .expect("parser")
}

fn func<'m>(m: &'m Module, name: &str) -> &'m Function {
    m.functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no fn {name}"))
}

/// Body of `fn name` rendered compactly, one statement per entry.
fn body(m: &Module, name: &str) -> Vec<String> {
    func(m, name).body.iter().map(stmt).collect()
}

fn show(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Attr { obj, attr } => format!("{}.{attr}", show(obj)),
        ExprKind::Index { obj, index } => format!("{}[{}]", show(obj), show(index)),
        ExprKind::Call(c) => {
            let args: Vec<String> = c
                .args
                .iter()
                .map(|a| match &a.name {
                    Some(n) => format!("{n}={}", show(&a.value)),
                    None => show(&a.value),
                })
                .collect();
            format!("{}({})", show(&c.callee), args.join(", "))
        }
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Template { literal, parts, .. } => format!("tpl({literal:?}; {})", list(parts)),
        ExprKind::Const(c) => c.clone(),
        ExprKind::Collection(es) => format!("[{}]", list(es)),
        ExprKind::Dict(kvs) => {
            let items: Vec<String> = kvs
                .iter()
                .map(|(k, v)| match k {
                    Some(k) => format!("{}: {}", show(k), show(v)),
                    None => format!("..{}", show(v)),
                })
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        ExprKind::Binary { op, left, right } => {
            let o = match op {
                BinOp::Arith => "+",
                BinOp::Logic => "&&",
                BinOp::Compare(_) => "==",
            };
            format!("({} {o} {})", show(left), show(right))
        }
        ExprKind::Unary {
            negates_to_bool,
            operand,
        } => format!(
            "{}{}",
            if *negates_to_bool { "!" } else { "-" },
            show(operand)
        ),
        ExprKind::Branch { conds, arms } => {
            format!("branch({} | {})", list(conds), list(arms))
        }
        ExprKind::Lambda { params, body } => {
            let ps: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
            let b: Vec<String> = body.iter().map(stmt).collect();
            format!("|{}| {{{}}}", ps.join(", "), b.join("; "))
        }
        ExprKind::Comprehension { .. } => "comp".into(),
        ExprKind::Wrap(e) => format!("w({})", show(e)),
        ExprKind::Block { stmts, value } => {
            let b: Vec<String> = stmts.iter().map(stmt).collect();
            let v = value.as_ref().map(|v| show(v)).unwrap_or_default();
            format!("{{{}; => {v}}}", b.join("; "))
        }
        ExprKind::AssignExpr { target: t, value } => format!("({} := {})", target(t), show(value)),
        ExprKind::Other(es) => format!("other({})", list(es)),
    }
}

fn list(es: &[Expr]) -> String {
    es.iter().map(show).collect::<Vec<_>>().join(", ")
}

fn target(t: &Target) -> String {
    match t {
        Target::Name(n, _) => n.clone(),
        Target::Attr { obj, attr, .. } => format!("{}.{attr}", show(obj)),
        Target::Index { obj, index, .. } => format!("{}[{}]", show(obj), show(index)),
        Target::Tuple(ts) => format!("({})", ts.iter().map(target).collect::<Vec<_>>().join(", ")),
        Target::Starred(t) => format!("*{}", target(t)),
        Target::Ignore => "_".into(),
    }
}

fn stmt(s: &Stmt) -> String {
    let block = |b: &Block| b.iter().map(stmt).collect::<Vec<_>>().join("; ");
    match s {
        Stmt::Assign {
            targets,
            value,
            augmented,
            ty,
            ..
        } => {
            let t: Vec<String> = targets.iter().map(target).collect();
            let ty = ty.as_ref().map(|t| format!(": {t}")).unwrap_or_default();
            let op = if *augmented { "+=" } else { "=" };
            format!("{}{ty} {op} {}", t.join(", "), show(value))
        }
        Stmt::Expr(e) => show(e),
        Stmt::Return(Some(e), _) => format!("return {}", show(e)),
        Stmt::Return(None, _) => "return".into(),
        Stmt::Branch { conds, arms } => {
            let arms: Vec<String> = arms.iter().map(|a| format!("{{{}}}", block(a))).collect();
            format!("if [{}] {}", list(conds), arms.join(" "))
        }
        Stmt::Loop {
            target: t,
            iter,
            body,
        } => format!(
            "loop {} in {} {{{}}}",
            t.as_ref().map(target).unwrap_or_default(),
            iter.as_ref().map(show).unwrap_or_default(),
            block(body)
        ),
        Stmt::With { .. } => "with".into(),
        Stmt::Block(b) => format!("{{{}}}", block(b)),
    }
}

fn imports(m: &Module) -> Vec<(String, String)> {
    m.imports
        .iter()
        .map(|i| (i.path.clone(), i.alias.clone()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn use_declarations() {
    let m = lower(
        "use reqwest::Client;\n\
         use a::b as c;\n\
         use a::{b, c::d};\n\
         use a::*;\n\
         use crate::x::y;\n\
         use std::io::{self, Write as W, prelude::*};\n\
         extern crate foo;\n\
         extern crate bar as baz;\n\
         fn f() { use openai::Client as Ai; }\n",
    );
    assert_eq!(
        imports(&m),
        pairs(&[
            ("reqwest.Client", "Client"),
            ("a.b", "c"),
            ("a.b", "b"),
            ("a.c.d", "d"),
            ("a.*", "*"),
            ("crate.x.y", "y"),
            ("std.io", "io"),
            ("std.io.Write", "W"),
            ("std.io.prelude.*", "*"),
            ("foo", "foo"),
            ("bar", "baz"),
            ("openai.Client", "Ai"),
        ])
    );
    assert_eq!(m.imports[0].span.start_line, 1);
    assert_eq!(m.syntax_errors, 0);
}

#[test]
fn method_chain_and_paths() {
    let m = lower(
        "async fn send(url: &str, body: &Body) -> Result<()> {\n\
             let resp = reqwest::Client::new().post(url).json(&body).send().await?;\n\
             let v = Vec::<u8>::new();\n\
             let d = <Client as Default>::default();\n\
             let t = rec.0;\n\
             let i = items[idx];\n\
             Ok(())\n\
         }",
    );
    assert_eq!(
        body(&m, "send"),
        vec![
            "resp = w(w(reqwest.Client.new().post(url).json(w(body)).send()))",
            "v = Vec.new()",
            "d = Client.default()",
            "t = rec.0",
            "i = items[idx]",
            "return Ok(())",
        ]
    );
    let f = func(&m, "send");
    assert_eq!(f.params[0].ty.as_deref(), Some("str"));
    assert_eq!(f.params[1].ty.as_deref(), Some("Body"));
    let Stmt::Assign { value, .. } = &f.body[0] else {
        panic!()
    };
    assert_eq!(value.span.start_line, 2);
}

#[test]
fn struct_literal_and_operators() {
    let m = lower(
        "fn f() -> Patient {\n\
             let x = a + b * 2;\n\
             let y = a && !b || c == d;\n\
             let z = -n as i64;\n\
             let w = (1..n, [p; 3], (q, r));\n\
             Patient { name: a.name.clone(), nir, ..base }\n\
         }",
    );
    assert_eq!(
        body(&m, "f"),
        vec![
            "x = (a + (b + 2))",
            "y = ((a && !b) && (c == d))",
            "z = w(-n)",
            "w = [other(1, n), [p, 3], [q, r]]",
            "return {\"name\": a.name.clone(), \"nir\": nir, ..base}",
        ]
    );
}

#[test]
fn print_and_log_macros() {
    let m = lower(
        r#"fn f(p: &Patient) {
    println!("{} has {}", p.name, &rec.nir);
    let s = format!("{}-{}", p.id, p.name.clone());
    log::info!("patient {}", p.diagnosis);
    tracing::warn!(patient_id = %p.id, diagnosis = ?d, "lookup");
    info!(?p, %q, target: "audit", "x");
    eprintln!("{}", format!("{}", p.ssn));
    dbg!(p.notes);
}"#,
    );
    assert_eq!(
        body(&m, "f"),
        vec![
            "println!(\"{} has {}\", p.name, w(rec.nir))",
            "s = format!(\"{}-{}\", p.id, p.name.clone())",
            "log.info!(\"patient {}\", p.diagnosis)",
            "tracing.warn!(patient_id=p.id, diagnosis=d, \"lookup\")",
            "info!(p, q, target=\"audit\", \"x\")",
            "eprintln!(\"{}\", format!(\"{}\", p.ssn))",
            "dbg!(p.notes)",
        ]
    );
    // callee shapes
    let Stmt::Expr(e) = &func(&m, "f").body[2] else {
        panic!()
    };
    let ExprKind::Call(c) = &e.kind else { panic!() };
    let ExprKind::Attr { obj, attr } = &c.callee.kind else {
        panic!()
    };
    assert_eq!(attr, "info!");
    assert!(matches!(&obj.kind, ExprKind::Name(n) if n == "log"));
    assert_eq!(c.callee.dotted().as_deref(), Some("log.info!"));
}

#[test]
fn inline_format_captures() {
    let m = lower(
        r#"fn f() {
    println!("{name} {nir:?} {age:>8} {} {0} {{literal}} {_x}", other);
    write!(out, "{diagnosis}")?;
    let s = format!("{x} {y}", y = z);
}"#,
    );
    assert_eq!(
        body(&m, "f"),
        vec![
            "println!(\"{name} {nir:?} {age:>8} {} {0} {{literal}} {_x}\", other, name, nir, age, _x)",
            "w(write!(out, \"{diagnosis}\", diagnosis))",
            "s = format!(\"{x} {y}\", y=z, x)",
        ]
    );
}

#[test]
fn json_and_vec_macros() {
    let m = lower(
        r#"fn f() {
    let body = json!({ "diagnosis": d, "patient": { "name": p.name }, "ids": [a, b.id], "n": null });
    let v = vec![a, b.c];
    let z = vec![0u8; n];
    let s = json!(p);
}"#,
    );
    assert_eq!(
        body(&m, "f"),
        vec![
            "body = json!({\"diagnosis\": d, \"patient\": {\"name\": p.name}, \"ids\": [a, b.id], \"n\": null})",
            "v = [a, b.c]",
            "z = [0u8, n]",
            "s = json!(p)",
        ]
    );
}

#[test]
fn nested_macros_structs_and_closures_in_tokens() {
    let m = lower(
        r#"fn f() {
    assert_eq!(a.len(), 3, "bad {x}");
    m!(Patient { name: n, nir }, x as u8, s.items[0], !done, h.get(&k).unwrap());
}"#,
    );
    assert_eq!(
        body(&m, "f"),
        vec![
            "assert_eq!(a.len(), 3, \"bad {x}\", x)",
            "m!({\"name\": n, \"nir\": nir}, x, s.items[0], !done, h.get(w(k)).unwrap())",
        ]
    );
}

#[test]
fn if_let_match_and_loops() {
    let m = lower(
        r#"fn f(r: Rec) -> String {
    if let Some(p) = find(r) { send(p); } else if ok { a(); } else { b(); }
    if c { x(); }
    match load(r) {
        Ok(Patient { name, .. }) if name.len() > 1 => log(name),
        Err(e) => { report(e); }
        _ => {}
    }
    let Some(v) = r.value else { return String::new(); };
    while let Some(item) = it.next() { use_it(item); }
    while n > 0 { n -= 1; }
    for (i, x) in xs.iter().enumerate() { v[i] = x; }
    loop { break; }
    let label = match r.kind { Kind::A => "a", other => other.name() };
    let y = if a { 1 } else { 2 };
    self.count += 1;
    unsafe { raw(p) }
    r.name
}"#,
    );
    assert_eq!(
        body(&m, "f"),
        vec![
            "if [find(r), ok] {(p) = find(r); send(p)} {a()} {b()}",
            "if [c] {x()} {}",
            "if [load(r)] {(name) = load(r); (name.len() == 1); log(name)} {(e) = error; report(e)} {}",
            "(v) = r.value",
            "if [] {return String.new()} {}",
            "loop  in it.next() {(item) = it.next(); use_it(item)}",
            "loop  in (n == 0) {n += 1}",
            "loop (i, x) in xs.iter().enumerate() {v[i] = x}",
            "loop  in  {other()}",
            "label = branch(r.kind | {; => \"a\"}, {other = r.kind; => other.name()})",
            "y = branch(a | {; => 1}, {; => 2})",
            "self.count += 1",
            "{raw(p)}",
            "return r.name",
        ]
    );
}

#[test]
fn tails_and_values() {
    let m = lower(
        r#"fn unit(p: P) { if a { b(p) } }
fn val(p: P) -> u8 { if a { p.x } else { 0 } }
fn blk() -> u8 { let x = { let y = 1; y + 1 }; x }
fn ret() -> u8 { return 3; }"#,
    );
    assert_eq!(body(&m, "unit"), vec!["if [a] {b(p)} {}"]);
    assert_eq!(
        body(&m, "val"),
        vec!["return branch(a | {; => p.x}, {; => 0})"]
    );
    assert_eq!(body(&m, "blk"), vec!["x = {y = 1; => (y + 1)}", "return x"]);
    assert_eq!(body(&m, "ret"), vec!["return 3"]);
}

#[test]
fn closures() {
    let m = lower(
        r#"fn f() {
    let g = |a, b: u8| a + b;
    let h = move |x| { let y = x.name; y };
    xs.iter().map(|&(ref k, v)| v).for_each(drop);
    let mut n = 0; let inc = || n += 1;
}"#,
    );
    assert_eq!(
        body(&m, "f"),
        vec![
            "g = |a, b| {return (a + b)}",
            "h = |x| {y = x.name; return y}",
            "xs.iter().map(|k, v| {return v}).for_each(drop)",
            "n = 0",
            "inc = || {return (n := (n + 1))}",
        ]
    );
}

#[test]
fn functions_methods_and_params() {
    let m = lower(
        r#"const MAX: usize = 10;
static NAME: &str = "x";
struct S;
impl<T> PatientService<T> {
    fn new() -> Self { Self }
    fn get(&self, id: &'a PatientId) {}
    fn put(&mut self, v: &mut Vec<Patient>, (a, b): (u8, Foo), Patient { name, .. }: Patient, _: u8) {}
}
trait Tr { fn sig(&self); fn def(&self) -> u8 { 1 } }
mod inner { fn hidden(x: crate::model::Rec) { fn nested() {} helper(); } }
fn top() { fn inner_fn(p: P) {} struct Local { a: u8 } let x = 1; }
"#,
    );
    let names: Vec<(&str, Option<&str>)> = m
        .functions
        .iter()
        .map(|f| (f.name.as_str(), f.owner.as_deref()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("<module>", None),
            ("new", Some("PatientService")),
            ("get", Some("PatientService")),
            ("put", Some("PatientService")),
            ("def", Some("Tr")),
            ("hidden", None),
            ("nested", None),
            ("top", None),
            ("inner_fn", None),
        ]
    );
    assert!(m.functions[0].is_module);
    assert_eq!(
        body(&m, "<module>"),
        vec!["MAX: usize = 10", "NAME: str = \"x\""]
    );
    let get = func(&m, "get");
    assert_eq!(get.params[0].kind, ParamKind::SelfParam);
    assert_eq!(get.params[1].ty.as_deref(), Some("PatientId"));
    let put = func(&m, "put");
    let ps: Vec<(&str, Option<&str>)> = put
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.ty.as_deref()))
        .collect();
    assert_eq!(
        ps,
        vec![
            ("self", None),
            ("v", Some("Vec<Patient>")),
            ("a", Some("u8")),
            ("b", Some("Foo")),
            ("name", None),
            ("_", Some("u8")),
        ]
    );
    assert_eq!(
        func(&m, "hidden").params[0].ty.as_deref(),
        Some("crate.model.Rec")
    );
    // nested fns and structs are hoisted, not inlined
    assert_eq!(body(&m, "hidden"), vec!["helper()"]);
    assert_eq!(body(&m, "top"), vec!["x = 1"]);
    assert_eq!(body(&m, "new"), vec!["return Self"]);
}

#[test]
fn types_with_fields_and_derives() {
    let m = lower(
        r#"#[derive(Debug, Clone, serde::Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    pub name: String,
    /// doc
    nir: Option<&'static str>,
}
#[cfg_attr(test, derive(PartialEq))]
enum Event { Admit { patient: Patient, ward: u8 }, Discharge(u32) }
struct Nir(String);
struct Plain { a: u8 }
"#,
    );
    type Row<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, Option<&'a str>)>);
    let t: Vec<Row> = m
        .types
        .iter()
        .map(|t| {
            (
                t.name.as_str(),
                t.bases.iter().map(String::as_str).collect(),
                t.fields
                    .iter()
                    .map(|f| (f.name.as_str(), f.ty.as_deref()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        t,
        vec![
            (
                "Patient",
                vec!["Debug", "Clone", "serde.Serialize", "Deserialize"],
                vec![
                    ("name", Some("String")),
                    ("nir", Some("Option<&'static str>"))
                ]
            ),
            (
                "Event",
                vec!["PartialEq"],
                vec![
                    ("patient", Some("Patient")),
                    ("ward", Some("u8")),
                    ("Discharge", Some("u32"))
                ]
            ),
            ("Nir", vec![], vec![("0", Some("String"))]),
            ("Plain", vec![], vec![("a", Some("u8"))]),
        ]
    );
    let f = &m.types[0].fields[0];
    assert_eq!((f.span.start_line, f.span.start_col), (4, 9));
}

#[test]
fn literals_and_comments() {
    let m = lower(
        "// top\nfn f() { /* block */ let a = \"x\\ty\"; let b = r#\"raw \"q\"\"#; let c = 1_000u32; println!(\"{}\", 0x1F); } /// doc\n",
    );
    let lits: Vec<(&str, LiteralKind)> = m
        .literals
        .iter()
        .map(|l| (l.value.as_str(), l.kind))
        .collect();
    assert_eq!(
        lits,
        vec![
            ("x\ty", LiteralKind::Str),
            ("raw \"q\"", LiteralKind::Str),
            ("1000", LiteralKind::Int),
            ("{}", LiteralKind::Str),
            ("0x1F", LiteralKind::Int),
        ]
    );
    let comments: Vec<&str> = m.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(comments, vec!["// top", "/* block */", "/// doc"]);
    assert_eq!(m.comments[1].span.start_line, 2);
}

#[test]
fn syntax_errors_are_counted_and_rest_lowered() {
    let m =
        lower("fn ok(p: P) { send(p.name); }\nfn broken( { let x = ; }\nuse a::b;\nfn g() { h(\n");
    assert!(m.syntax_errors > 0);
    assert_eq!(body(&m, "ok"), vec!["send(p.name)"]);
    assert!(imports(&m).contains(&("a.b".to_string(), "b".to_string())));
    // arbitrary garbage never panics
    for src in [
        "}}}{{{",
        "fn",
        "let",
        "impl for {",
        "x!(((",
        "match { => }",
        "\"unterminated",
        "r#\"",
        "'",
        "use ::{;",
    ] {
        let _ = lower(src);
    }
}

/// Runs `f` on a thread with a 256 KiB stack.
fn small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no stack overflow");
}

#[test]
fn deep_nesting_does_not_overflow() {
    const N: usize = 100_000;
    let cases = [
        format!(
            "fn f() {{ let x = {}secret{}; }}",
            "(".repeat(N),
            ")".repeat(N)
        ),
        format!(
            "fn f() {{ let x = {}secret{}; }}",
            "g(".repeat(N),
            ")".repeat(N)
        ),
        format!(
            "fn f() {{ {}sink(secret);{} }}",
            "{ ".repeat(N),
            " }".repeat(N)
        ),
        format!(
            "fn f() {{ m!({}secret.field{}); }}",
            "(".repeat(N),
            ")".repeat(N)
        ),
        format!("fn f() {{ let x = a{}; }}", " + b".repeat(N)),
        format!("fn f() {{ let x = a{}; }}", ".b".repeat(N)),
        format!("use {}z{};", "a::{".repeat(N), "}".repeat(N)),
        format!(
            "fn f() {{ let x = {}1{}; }}",
            "if c { ".repeat(N),
            " } else { 2 }".repeat(N)
        ),
        format!(
            "fn f() {{ {}1{} }}",
            "match x { _ => ".repeat(N),
            " }".repeat(N)
        ),
        format!("fn f() {{ let x = {}secret; }}", "|a| ".repeat(N)),
        format!("fn f() {{ let {}x{} = 1; }}", "(".repeat(N), ",)".repeat(N)),
        format!("fn f() {{ let x = a{}; }}", "::b".repeat(N)),
        "fn f() { ".repeat(N),
    ];
    for src in cases {
        small_stack(move || {
            let m = lower(&src);
            assert!(!m.functions.is_empty());
            // taint-relevant names survive the flattening
            if src.contains("secret") {
                let dump = format!("{:?}", m.functions.last().map(|f| &f.body));
                assert!(dump.contains("secret"), "lost secret");
            }
        });
    }
}
