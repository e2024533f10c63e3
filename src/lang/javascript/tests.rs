//! Lowering tests for the JavaScript / TypeScript adapter.

use crate::lang::Lang;
use crate::model::*;

/// Lowered and completed with the embedded patterns (routes, storage), as a scan does.
fn lower_as(ext: &str, src: &str) -> Module {
    let lang = Lang::from_path(std::path::Path::new(&format!("x.{ext}"))).expect("registered");
    crate::complete::lower_embedded(lang, src)
        .expect("grammar loads")
}

fn lower(src: &str) -> Module {
    lower_as("ts", src)
}

use crate::model::testing::all_exprs;

fn call<'a>(m: &'a Module, callee: &str) -> &'a Call {
    all_exprs(m)
        .into_iter()
        .find_map(|e| match &e.kind {
            ExprKind::Call(c) if c.callee.dotted().as_deref() == Some(callee) => Some(&**c),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no call to {callee}"))
}

fn names(m: &Module) -> Vec<String> {
    all_exprs(m)
        .into_iter()
        .filter_map(|e| match &e.kind {
            ExprKind::Name(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

fn func<'a>(m: &'a Module, name: &str) -> &'a Function {
    m.functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function {name}"))
}

fn assigned(body: &[Stmt]) -> Vec<(String, String)> {
    body.iter()
        .filter_map(|s| match s {
            Stmt::Assign { targets, value, .. } => match &targets[..] {
                [Target::Name(n, _)] => Some((n.clone(), value.dotted().unwrap_or_default())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[test]
fn imports_and_requires() {
    let m = lower_as(
        "js",
        "import OpenAI from 'openai';\nimport * as fs from 'node:fs';\nimport { S3Client as S3, PutObjectCommand } from '@aws-sdk/client-s3';\nimport { summarize } from '../lib/llm.js';\nimport './polyfills';\nconst axios = require('axios');\nconst { writeFile, readFile: rf } = require('fs/promises');\nconst sg = require('@sendgrid/mail').default;\n",
    );
    let got: Vec<(&str, &str)> = m
        .imports
        .iter()
        .map(|i| (i.path.as_str(), i.alias.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("openai", "OpenAI"),
            ("fs", "fs"),
            ("@aws-sdk.client-s3.S3Client", "S3"),
            ("@aws-sdk.client-s3.PutObjectCommand", "PutObjectCommand"),
            ("..lib.llm.summarize", "summarize"),
            (".polyfills", ".polyfills"),
            ("axios", "axios"),
            ("fs.promises.writeFile", "writeFile"),
            ("fs.promises.readFile", "rf"),
            ("@sendgrid.mail", "sg"),
        ]
    );
    assert!(
        m.functions[0].body.is_empty(),
        "imports are not assignments"
    );
}

#[test]
fn options_objects_are_keyword_arguments() {
    let m =
        lower("client.chat.completions.create({ model: 'gpt-4o', messages, ...rest, [k]: v });\n");
    let c = call(&m, "client.chat.completions.create");
    let kinds: Vec<(ArgKind, Option<&str>)> =
        c.args.iter().map(|a| (a.kind, a.name.as_deref())).collect();
    assert_eq!(
        kinds,
        [
            (ArgKind::Positional, None),
            (ArgKind::Keyword, Some("model")),
            (ArgKind::Keyword, Some("messages")),
            (ArgKind::KwSplat, None),
        ]
    );
    assert!(matches!(&c.args[1].value.kind, ExprKind::Str(s) if s == "gpt-4o"));
    assert!(matches!(&c.args[0].value.kind, ExprKind::Dict(kv) if kv.len() == 4));
    // A value that runs code is repeated, not bound to a new name.
    let m = lower("llm.create({ messages: build(p) });\n");
    let c = call(&m, "llm.create");
    assert!(matches!(&c.args[1].value.kind, ExprKind::Call(_)));
    // Only an object in last place: `axios.post(url, body, config)` keeps its positions.
    let m = lower("axios.post(url, { a }, cfg);\n");
    assert_eq!(call(&m, "axios.post").args.len(), 3);
}

#[test]
fn aws_commands_lend_their_options_to_send() {
    let m = lower("await s3.send(new PutObjectCommand({ Bucket: b, Body: data, ServerSideEncryption: 'AES256' }));\n");
    let c = call(&m, "s3.send");
    let names: Vec<&str> = c.args.iter().filter_map(|a| a.name.as_deref()).collect();
    assert_eq!(names, ["Bucket", "Body", "ServerSideEncryption"]);
    let inner = call(&m, "PutObjectCommand");
    assert_eq!(inner.args.len(), 4);
}

#[test]
fn functions_classes_and_this() {
    let src = "\
export class NotesService extends Base implements OnInit {
  private readonly logger = new Logger('x');
  notes: string[] = [];
  constructor(private readonly prisma: PrismaService, cfg: Config) { super(cfg); this.ready = true; }
  @Post(':id/notes')
  async draft(dto: CreateNoteDto, { verbose = false }: Opts = {}) { return this.llm.invoke(dto.notes); }
  static make() { return new NotesService(); }
  handle = async (req) => { this.logger.log(req.body); };
}
export const summarize = async (patient: Patient): Promise<string> => patient.notes;
function plain(a = 1, ...rest) { return rest; }
exports.handler = async function (event) { return event.body; };
";
    let m = lower(src);
    let t = m.types.iter().find(|t| t.name == "NotesService").unwrap();
    assert_eq!(t.bases, ["Base", "OnInit"]);
    let fields: Vec<(&str, Option<&str>)> = t
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.ty.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            ("logger", None),
            ("notes", Some("string[]")),
            ("prisma", Some("PrismaService")),
            ("handle", None),
        ]
    );
    let ctor = func(&m, "constructor");
    assert_eq!(ctor.owner.as_deref(), Some("NotesService"));
    assert_eq!(ctor.params[0].kind, ParamKind::SelfParam);
    assert_eq!(ctor.params[1].ty.as_deref(), Some("PrismaService"));
    assert!(matches!(&ctor.body[0], Stmt::Assign { targets, .. }
        if matches!(&targets[0], Target::Attr { obj, attr, .. } if attr == "prisma" && obj.dotted().as_deref() == Some("self"))));
    let draft = func(&m, "draft");
    assert_eq!(draft.params.len(), 3);
    assert_eq!(draft.params[2].name, "$arg1");
    assert_eq!(draft.route.as_deref(), Some("/:id/notes"));
    call(&m, "self.llm.invoke");
    assert_eq!(func(&m, "make").params.len(), 0, "static: no self");
    assert_eq!(func(&m, "handle").params[0].kind, ParamKind::SelfParam);
    let s = func(&m, "summarize");
    assert_eq!(s.params[0].ty.as_deref(), Some("Patient"));
    assert!(matches!(&s.body[..], [Stmt::Return(Some(_), _)]));
    let p = func(&m, "plain");
    assert_eq!(p.params[1].kind, ParamKind::VarArgs);
    assert!(p.params[0].default.is_some());
    func(&m, "handler");
    // Class field initialisers are `self.x = …` at the class's place.
    assert!(names(&m).iter().any(|n| n == "self"));
}

#[test]
fn nest_routes_and_express_handlers() {
    let src = "\
@Controller('patients')
export class C {
  @Get(':id')
  show(@Param('id') id: string) { return id; }
}
app.post('/patients/:id/notes', async (req, res) => { log(req.body); });
router.get('/health', function (req, res) { res.send('ok'); });
items.map((x) => x.name);
";
    let m = lower(src);
    assert_eq!(func(&m, "show").route.as_deref(), Some("/patients/:id"));
    let h = func(&m, "POST /patients/:id/notes");
    assert_eq!(h.route.as_deref(), Some("/patients/:id/notes"));
    assert_eq!(h.params.len(), 2);
    func(&m, "GET /health");
    // Other callbacks stay in place, over the enclosing scope.
    let c = call(&m, "items.map");
    assert!(matches!(&c.args[0].value.kind, ExprKind::Lambda { params, .. } if params.len() == 1));
}

#[test]
fn destructuring() {
    let m = lower(
        "const { notes, vitals: { pulse }, tags = [], ...rest } = patient;\nconst [first, , third] = list;\nconst { a } = await load();\nfor (const { code } of rows) { use(code); }\n",
    );
    let got = assigned(&m.functions[0].body);
    let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(got[0], ("notes", "patient.notes"));
    assert_eq!(got[1], ("pulse", "patient.vitals.pulse"));
    assert_eq!(got[2].0, "tags");
    assert_eq!(got[3], ("rest", "patient"));
    assert_eq!(got[4].0, "first");
    assert_eq!(got[5].0, "third");
    assert!(got[6].0.starts_with("$tmp"));
    assert_eq!(got[7].0, "a");
    let Some(Stmt::Loop { target, body, .. }) = m.functions[0].body.last() else {
        panic!()
    };
    assert!(matches!(target, Some(Target::Name(n, _)) if n.starts_with("$tmp")));
    assert!(
        matches!(&body[0], Stmt::Assign { targets, .. } if matches!(&targets[0], Target::Name(n, _) if n == "code"))
    );
}

#[test]
fn expressions() {
    let m = lower(
        "const a = `Dear ${p.name}, your ${p.test} result`;\nconst b = p?.notes ?? '';\nconst c = !p.ok;\nconst d = x as Patient;\nconst e = ok ? p.name : null;\nconst f = await fetch(u).then((r) => r.json());\nconst g = this.cache[key];\nconst h = typeof p.age;\nconst i = tag`x ${y}`;\n",
    );
    let body = &m.functions[0].body;
    let values: Vec<&Expr> = body
        .iter()
        .filter_map(|s| match s {
            Stmt::Assign { value, .. } => Some(value),
            _ => None,
        })
        .collect();
    assert!(
        matches!(&values[0].kind, ExprKind::Template { literal, parts, .. } if literal == "Dear , your  result" && parts.len() == 2)
    );
    assert!(matches!(
        &values[1].kind,
        ExprKind::Binary {
            op: BinOp::Logic,
            ..
        }
    ));
    assert!(matches!(
        &values[2].kind,
        ExprKind::Unary {
            negates_to_bool: true,
            ..
        }
    ));
    assert!(matches!(&values[3].kind, ExprKind::Wrap(_)));
    assert!(
        matches!(&values[4].kind, ExprKind::Branch { conds, arms } if conds.len() == 1 && arms.len() == 2)
    );
    assert!(
        matches!(&values[5].kind, ExprKind::Wrap(inner) if matches!(&inner.kind, ExprKind::Call(_)))
    );
    assert!(
        matches!(&values[6].kind, ExprKind::Index { obj, .. } if obj.dotted().as_deref() == Some("self.cache"))
    );
    assert!(matches!(
        &values[7].kind,
        ExprKind::Unary {
            negates_to_bool: true,
            ..
        }
    ));
    assert!(
        matches!(&values[8].kind, ExprKind::Call(c) if matches!(&c.args[0].value.kind, ExprKind::Template { .. }))
    );
}

#[test]
fn types_from_interfaces_and_aliases() {
    let m = lower(
        "interface Intake extends Base { diagnosis: string; 'blood-type'?: string; }\ntype Note = Base & { clinicalNotes: string };\ntype Id = string;\n",
    );
    let t = &m.types[0];
    assert_eq!(t.name, "Intake");
    assert_eq!(t.bases, ["Base"]);
    let f: Vec<(&str, Option<&str>)> = t
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.ty.as_deref()))
        .collect();
    assert_eq!(
        f,
        [
            ("diagnosis", Some("string")),
            ("blood-type", Some("string"))
        ]
    );
    assert_eq!(m.types[1].bases, ["Base"]);
    assert_eq!(m.types[1].fields[0].name, "clinicalNotes");
    assert!(m.types[2].fields.is_empty());
}

#[test]
fn literals_comments_and_dialects() {
    let m = lower_as(
        "jsx",
        "// a comment\nconst n = 1_234;\nconst s = 'it\\'s';\n/* block */\nconst el = <div title={p.name}>{p.diagnosis}</div>;\n",
    );
    assert_eq!(m.comments.len(), 2);
    assert!(m
        .literals
        .iter()
        .any(|l| l.kind == LiteralKind::Int && l.value == "1234"));
    assert!(m.literals.iter().any(|l| l.value == "it's"));
    assert_eq!(m.syntax_errors, 0);
    assert!(all_exprs(&m)
        .iter()
        .any(|e| e.dotted().as_deref() == Some("p.diagnosis")));
    let m = lower_as("tsx", "const el = <Card patient={p as Patient} />;\n");
    assert_eq!(m.syntax_errors, 0);
    let m = lower_as(
        "mjs",
        "export default async function handler(req, res) { res.json(req.body); }\n",
    );
    func(&m, "handler");
    let m = lower_as("js", "foo(x\nconsole.log(patient)\n");
    assert!(m.syntax_errors > 0);
}

#[test]
fn truncated_inputs_do_not_panic() {
    let src = "import { a as b } from './c';\n@D('/x')\nclass K extends B { #p = 1; constructor(private q: T) { super(); }\n  async m({ r = 2, ...s }: U, [t, , ...u] = []) { for (const { v } of w) { try { x?.y?.(`${z}`); } catch (e) { switch (e) { case 1: break; default: } } } } }\nconst f = async (...g) => ({ ...g, h: await i.j({ k }) });\n";
    for (i, _) in src.char_indices() {
        let m = lower(&src[..i]);
        assert!(!m.functions.is_empty());
    }
    assert_eq!(lower(src).syntax_errors, 0);
}

/// Lowers `src` on a 256 KiB stack and returns the names found and the error count.
fn lower_small_stack(src: String) -> (Vec<String>, u32) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let m = lower_as("js", &src);
            (names(&m), m.syntax_errors)
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow")
}

#[test]
fn deep_nesting_does_not_overflow() {
    const N: usize = 50_000;
    let cases = [
        format!("x = {}patient{};\n", "(".repeat(N), ")".repeat(N)),
        format!("x = {}patient{};\n", "f(".repeat(N), ")".repeat(N)),
        format!("x = {}patient{};\n", "[".repeat(N), "]".repeat(N)),
        format!("x = {}patient{};\n", "{k: ".repeat(N), "}".repeat(N)),
        format!("x = a{} + patient;\n", " + a".repeat(N)),
        format!("x = patient{};\n", ".a".repeat(N)),
        format!("x = {}patient;\n", "!".repeat(N)),
        format!("x = {}patient;\n", "() => ".repeat(N)),
        format!("x = {}patient{};\n", "`${".repeat(N), "}`".repeat(N)),
    ];
    for src in cases {
        let (names, errors) = lower_small_stack(src);
        assert_eq!(errors, 0);
        assert!(names.iter().any(|n| n == "patient"), "patient lost");
    }
    let src = format!(
        "{}send(patient);{}",
        "if (x) {".repeat(2_000),
        "}".repeat(2_000)
    );
    let (names, _) = lower_small_stack(src);
    assert!(names.iter().any(|n| n == "patient"));
    let (_, errors) = lower_small_stack(format!("x = {}", "(f(".repeat(N)));
    assert!(errors > 0);
}

#[test]
fn routes_of_chained_and_named_handlers() {
    let src = "\
router.route('/patients/:id').get((req, res) => res.json(req.params)).put(async (req, res) => save(req.body));
async function createNote(req, res) { log(req.body); }
app.post('/patients/:id/notes', auth, createNote);
export { summarize as summarise, default as llm } from './llm';
";
    let m = lower_as("js", src);
    assert_eq!(
        func(&m, "GET /patients/:id").route.as_deref(),
        Some("/patients/:id")
    );
    assert_eq!(
        func(&m, "PUT /patients/:id").route.as_deref(),
        Some("/patients/:id")
    );
    assert_eq!(
        func(&m, "createNote").route.as_deref(),
        Some("/patients/:id/notes")
    );
    let got: Vec<(&str, &str)> = m
        .imports
        .iter()
        .map(|i| (i.path.as_str(), i.alias.as_str()))
        .collect();
    assert_eq!(got, [(".llm.summarize", "summarise"), (".llm", "llm")]);
}

#[test]
fn schema_objects_declare_models() {
    let m = lower_as(
        "js",
        "const PatientSchema = new mongoose.Schema({ diagnosis: String, 'blood-type': String });\nconst Visit = sequelize.define('Visit', { notes: DataTypes.TEXT });\nclass Stay extends Model {}\nStay.init({ ward: DataTypes.STRING }, { sequelize });\nSentry.init({ dsn: 'x' });\n",
    );
    let got: Vec<(&str, Vec<&str>)> = m
        .types
        .iter()
        .map(|t| {
            (
                t.name.as_str(),
                t.fields.iter().map(|f| f.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Patient", vec!["diagnosis", "blood-type"]),
            ("Visit", vec!["notes"]),
            ("Stay", vec!["ward"]),
        ]
    );
    assert_eq!(m.types[0].fields[0].ty.as_deref(), Some("String"));
}

#[test]
fn file_path_routes() {
    let lower_at = |rel: &str, src: &str| {
        let lang = Lang::from_path(std::path::Path::new(rel)).expect("registered");
        crate::complete::lower_embedded_at(lang, src, rel).expect("grammar loads")
    };
    let src = "export async function POST(request: Request) { return request.json(); }\n\
               function helper(x) { return x; }\n\
               export const GET = async (request) => request.url;\n";
    let m = lower_at("web/src/app/api/patients/[id]/route.ts", src);
    assert_eq!(func(&m, "POST").route.as_deref(), Some("/api/patients/[id]"));
    assert_eq!(func(&m, "GET").route.as_deref(), Some("/api/patients/[id]"));
    assert_eq!(func(&m, "helper").route, None);
    // A page, not a route handler.
    let m = lower_at("web/src/app/patients/[id]/page.tsx", src);
    assert_eq!(func(&m, "POST").route, None);
    let m = lower_at(
        "pages/api/patients/[id].ts",
        "export default async function handler(req, res) { res.json(req.body); }\n",
    );
    assert_eq!(func(&m, "handler").route.as_deref(), Some("/api/patients/[id]"));
    let m = lower_at(
        "src/routes/patients/[id]/+server.ts",
        "export const POST = async ({ request }) => request.json();\n",
    );
    assert_eq!(func(&m, "POST").route.as_deref(), Some("/patients/[id]"));
}
