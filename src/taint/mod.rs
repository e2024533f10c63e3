//! The taint engine: abstract interpretation of each function of a lowered [`Module`], one pass
//! per function (loops twice), tracking which values hold health data, what type a value has
//! (the path of the call that made it) and which endpoint a client talks to. Sinks, sources,
//! sanitisers and clients come from the [`Catalog`]; names are classified by the
//! [`Classifier`]. Findings carry the source-to-sink path.
//!
//! Health data is decided by provenance (types, health reads, fields of records; names only
//! as evidence). Library calls outside the catalog pass no health data on unless the catalog
//! lists them as pass-through; local functions the project index does not know do.

pub mod fixpoint;
mod sinks;
pub mod summary;
pub mod types;

use crate::classify::Classifier;
use crate::finding::{Finding, FlowStep};
use crate::lang::Lang;
use crate::model::*;
use crate::patterns::{ArgSel, Catalog, LangPatterns};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;
use std::rc::Rc;
use summary::ReturnedData;
pub use summary::{FileSummaries, FnIndex, Project, Summary};

/// Options the engine needs from the configuration.
#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    /// Emit the two inventory rules.
    pub inventory: bool,
    /// Record why values on this line are or are not health data (`explain-source`).
    pub trace_line: Option<u32>,
    /// Hosts (globs) that belong to the organisation: calls to them are not third-party transfers.
    pub internal_hosts: Vec<String>,
}

/// Everything the engine reads about one file.
pub struct FileInput<'a> {
    pub path: &'a str,
    pub lang: Lang,
    pub module: &'a Module,
    pub source: &'a str,
    /// Where the source's lines lie in a container file (a notebook), for the lines that
    /// messages name.
    pub lines: Option<&'a crate::lang::LineMap>,
}

pub(crate) const MAX_STEPS: usize = 16;
/// An endpoint the code configures but does not spell out.
pub const UNKNOWN_ENDPOINT: &str = "<configured>";
/// A client whose base URL is the application's own server (`baseURL: '/api'`,
/// `config.apiBaseUrl` in a browser app).
pub const OWN_ORIGIN_ENDPOINT: &str = "<own-origin>";
const MAX_DEPTH: u32 = 400;

/// How many other sources' paths a value keeps besides its own.
const MAX_ALTS: usize = 4;

/// The path of another source joined into a value: its own steps, and how many steps the
/// value's path had then (the steps added since are shared).
#[derive(Clone, Debug)]
pub(crate) struct Alt {
    pub taint: Rc<Taint>,
    pub at: u32,
}

/// Health data carried by a value: the path so far and what kind of data it is.
#[derive(Clone, Debug, Default)]
pub(crate) struct Taint {
    pub steps: Vec<FlowStep>,
    pub direct_id: bool,
    pub categories: BTreeSet<u16>,
    /// Real health data (from a source), as opposed to only a parameter of the function
    /// being summarised.
    pub real: bool,
    /// Bit `i`: the value comes from parameter `i` of the function being analysed.
    pub params: u64,
    /// How sensitive the data on this path is (see [`sensitivity`]).
    pub sensitivity: u8,
    /// Paths of other real sources joined into this value (one code flow per source).
    pub alts: Vec<Alt>,
    /// Steps ever appended to `steps` (some are dropped when the path grows too long).
    pub total: u32,
    /// Bit `i`: parameter `i` reaches this value only through the parts listed in `parts`
    /// (`p.user`), not whole.
    pub narrowed: u64,
    pub parts: Option<Rc<Vec<(u32, String)>>>,
}

impl Taint {
    /// The steps added to this path since it had `at` of them.
    pub(crate) fn steps_since(&self, at: u32) -> &[FlowStep] {
        let n = (self.total.saturating_sub(at) as usize).min(self.steps.len().saturating_sub(1));
        &self.steps[self.steps.len() - n..]
    }

    /// Every path to this value: its own, then the other sources'.
    pub(crate) fn paths(&self) -> Vec<Vec<FlowStep>> {
        let mut out = vec![self.steps.clone()];
        for a in &self.alts {
            let mut p = a.taint.steps.clone();
            p.extend_from_slice(self.steps_since(a.at));
            out.push(p);
        }
        out
    }
}

/// 2: special health categories (diagnosis, mental health, genetics, results, medication…);
/// 1: identifiers and record context; 0: nothing known.
pub(crate) fn sensitivity(cls: &Classifier, category: u16) -> u8 {
    match cls.category_name(category) {
        "identifier" | "care-record" | "insurance" => 1,
        _ => 2,
    }
}

/// The abstract value of an expression.
#[derive(Clone, Debug, Default)]
pub(crate) struct Value {
    pub taint: Option<Rc<Taint>>,
    /// A whole patient / health record.
    pub context: bool,
    /// The path of what made this value (`openai.OpenAI()`), for resolving calls on it.
    pub ty: Option<String>,
    /// Known text: string constants and template prefixes (URLs, regions, SQL).
    pub text: Option<String>,
    /// The URL or region this client / request talks to.
    pub endpoint: Option<String>,
    /// TLS verification was switched off along the way.
    pub insecure: bool,
    /// A SQL query reading health data: whatever executes it returns health data.
    pub query: Option<Rc<Taint>>,
    /// A constant (literal, None, number): names cannot make it health data.
    pub constant: bool,
    /// The taint comes only from fields stored into this object (`cfg.patient_name = x`):
    /// sending the whole object sends them, reading another attribute reads none of them.
    pub partial: bool,
    /// The value was returned by a call (a response, an event, a parsed object): its content
    /// attributes carry the health data, its metadata (`id`, `status`, `usage`) does not.
    pub from_call: bool,
    /// A record built from named parts (`{"dx": d, "status": "ok"}`, `Info { patient, user }`)
    /// where only these parts carry the taint: reading another part reads none of it.
    pub fields: Option<Rc<Vec<String>>>,
    /// The same for real health data (what a caller of the function receives).
    pub real_fields: Option<Rc<Vec<String>>>,
    /// A handle opened for writing: the key of its path (see [`Analyzer::file_key`]).
    pub file: Option<Rc<str>>,
    /// A writer made over this variable (`csv.writer(buf)`): what it writes goes there.
    pub wraps: Option<Rc<str>>,
    /// `query` reads the patients' own table: its rows are patient records.
    pub query_person: bool,
}

impl Value {
    fn clean() -> Value {
        Value::default()
    }

    fn constant(text: Option<String>) -> Value {
        Value {
            text,
            constant: true,
            ..Value::default()
        }
    }

    fn tainted(&self) -> bool {
        self.taint.is_some()
    }

    /// Holds real health data (not only a parameter of the function being summarised).
    fn real(&self) -> bool {
        self.taint.as_ref().is_some_and(|t| t.real)
    }

    /// Add a source to what the value already carries.
    fn add_source(&mut self, t: Rc<Taint>) {
        self.taint = join_taint(Some(t), self.taint.take());
    }

    /// Join of two values (branches, operands).
    fn join(mut self, other: &Value) -> Value {
        let a_was_clean = self.taint.is_none();
        let a_was_real = self.real();
        let a_partial = self.partial || self.taint.is_none();
        let b_partial = other.partial || other.taint.is_none();
        let any = self.taint.is_some() || other.taint.is_some();
        self.partial = a_partial && b_partial && any;
        self.taint = join_taint(self.taint.take(), other.taint.clone());
        self.query = join_taint(self.query.take(), other.query.clone());
        self.query_person |= other.query_person;
        self.context |= other.context;
        self.insecure |= other.insecure;
        if self.ty.is_none() {
            self.ty = other.ty.clone();
        }
        if self.endpoint.is_none() {
            self.endpoint = other.endpoint.clone();
        }
        if self.text.is_none() {
            self.text = other.text.clone();
        }
        if self.file.is_none() {
            self.file = other.file.clone();
        }
        if self.wraps.is_none() {
            self.wraps = other.wraps.clone();
        }
        self.constant &= other.constant;
        self.from_call &= other.from_call || other.taint.is_none();
        self.fields = join_parts(
            self.fields.take(),
            a_was_clean,
            &other.fields,
            !other.tainted(),
        );
        self.real_fields = join_parts(
            self.real_fields.take(),
            !a_was_real,
            &other.real_fields,
            !other.real(),
        );
        self
    }

    /// Whether reading part `name` of this value reads none of its taint.
    fn part_is_clean(&self, name: &str) -> bool {
        self.fields
            .as_ref()
            .is_some_and(|f| !f.iter().any(|x| x == name))
    }

    /// Whether reading part `name` of this value reads none of its real health data.
    fn real_part_is_clean(&self, name: &str) -> bool {
        self.part_is_clean(name)
            || self
                .real_fields
                .as_ref()
                .is_some_and(|f| !f.iter().any(|x| x == name))
    }

    /// What reaches code that reads only `parts` of this value (all of it when `None`):
    /// nothing if those parts are clean, only the parameters' data if they hold no real data,
    /// and a parameter's data marked as read through those parts.
    fn taint_through(&self, parts: Option<&[String]>) -> Option<Rc<Taint>> {
        let t = self.taint.as_ref()?;
        let Some(parts) = parts else {
            return Some(t.clone());
        };
        if parts.iter().all(|x| self.part_is_clean(x)) {
            return None;
        }
        let t = if parts.iter().all(|x| self.real_part_is_clean(x)) {
            without_real(t)?
        } else {
            t.clone()
        };
        Some(narrow(&t, parts))
    }

    /// The value as read through part `name` (see [`Value::taint_through`]).
    fn read_part(mut self, name: &str) -> Value {
        self.taint = self.taint_through(Some(&[name.to_string()]));
        self.fields = None;
        self.real_fields = None;
        self
    }
}

/// The words of a route (`/patients/{id}/notes` → `patients`, `id`, `notes`).
fn route_words(route: &str) -> impl Iterator<Item = &str> {
    route
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
}

fn join_taint(a: Option<Rc<Taint>>, b: Option<Rc<Taint>>) -> Option<Rc<Taint>> {
    match (a, b) {
        (None, b) => b,
        (a, None) => a,
        (Some(a), Some(b)) => {
            if Rc::ptr_eq(&a, &b) {
                return Some(a);
            }
            // Keep the path of real data, the most sensitive first (a diagnosis before a
            // name or an id), else the first; merge the facts.
            let rank = |t: &Taint| (t.real, t.sensitivity, t.direct_id);
            let (keep, other) = if rank(&b) > rank(&a) { (b, a) } else { (a, b) };
            let origin = |t: &Taint| t.steps.first().map(|s| (s.span, s.path.clone()));
            let new_source = keep.real
                && other.real
                && keep.alts.len() < MAX_ALTS
                && origin(&keep) != origin(&other)
                && !keep.alts.iter().any(|a| origin(&a.taint) == origin(&other));
            if !new_source
                && other.narrowed == keep.narrowed
                && other.parts == keep.parts
                && other.categories.is_subset(&keep.categories)
                && (keep.direct_id || !other.direct_id)
                && (keep.real || !other.real)
                && other.params & !keep.params == 0
            {
                return Some(keep);
            }
            let mut t = (*keep).clone();
            t.direct_id |= other.direct_id;
            t.real |= other.real;
            t.params |= other.params;
            t.categories.extend(other.categories.iter().copied());
            t.narrowed = (keep.narrowed & other.narrowed)
                | (keep.narrowed & !other.params)
                | (other.narrowed & !keep.params);
            t.parts = match (&keep.parts, &other.parts) {
                (Some(a), Some(b)) if a != b => {
                    let mut u: Vec<(u32, String)> = a.iter().chain(b.iter()).cloned().collect();
                    u.sort();
                    u.dedup();
                    Some(Rc::new(u))
                }
                (a, b) => a.clone().or_else(|| b.clone()),
            };
            if new_source {
                add_alts(&mut t, &other);
            }
            Some(Rc::new(t))
        }
    }
}

/// Parts of a joined value: the union when both name their parts, one side's when the other
/// carries nothing, else none (the whole value).
fn join_parts(
    a: Option<Rc<Vec<String>>>,
    a_none: bool,
    b: &Option<Rc<Vec<String>>>,
    b_none: bool,
) -> Option<Rc<Vec<String>>> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let mut u: Vec<String> = a.iter().chain(b.iter()).cloned().collect();
            u.sort();
            u.dedup();
            Some(Rc::new(u))
        }
        (Some(a), None) if b_none => Some(a),
        (None, Some(b)) if a_none => Some(b.clone()),
        _ => None,
    }
}

/// Only the parameters' part of `t` (its real health data dropped), if any.
fn without_real(t: &Rc<Taint>) -> Option<Rc<Taint>> {
    if t.params == 0 {
        return None;
    }
    if !t.real {
        return Some(t.clone());
    }
    Some(Rc::new(Taint {
        params: t.params,
        narrowed: t.narrowed,
        parts: t.parts.clone(),
        ..Taint::default()
    }))
}

/// `t` as reaching only through `parts` of the parameters it carries whole (the callee read
/// only those parts of the argument).
fn narrow(t: &Rc<Taint>, parts: &[String]) -> Rc<Taint> {
    let open = t.params & !t.narrowed;
    if open == 0 {
        return t.clone();
    }
    let mut n = (**t).clone();
    let mut all: Vec<(u32, String)> = n.parts.as_deref().cloned().unwrap_or_default();
    for i in 0..64u32 {
        if open & (1u64 << i) != 0 {
            all.extend(parts.iter().map(|p| (i, p.clone())));
        }
    }
    all.sort();
    all.dedup();
    n.narrowed |= open;
    n.parts = Some(Rc::new(all));
    Rc::new(n)
}

/// The parts of parameter `i` that reach `t`, or None when it reaches it whole.
pub(crate) fn param_parts(t: &Taint, i: u32) -> Option<Vec<String>> {
    if t.narrowed & (1u64 << i) == 0 {
        return None;
    }
    Some(
        t.parts
            .iter()
            .flat_map(|p| p.iter())
            .filter(|(p, _)| *p == i)
            .map(|(_, n)| n.clone())
            .collect(),
    )
}

/// Keep `other`'s paths (its own and its alternatives) as alternatives of `t`.
fn add_alts(t: &mut Taint, other: &Taint) {
    for p in other.paths() {
        if t.alts.len() >= MAX_ALTS {
            break;
        }
        let first = p.first().map(|s| (s.span, &s.path));
        let seen = t.steps.first().map(|s| (s.span, &s.path)) == first
            || t.alts
                .iter()
                .any(|a| a.taint.steps.first().map(|s| (s.span, &s.path)) == first);
        if seen {
            continue;
        }
        t.alts.push(Alt {
            taint: Rc::new(Taint {
                steps: p,
                ..Taint::default()
            }),
            at: t.total,
        });
    }
}

type Env = rustc_hash::FxHashMap<String, Value>;

/// How a flow step through an unkeyed hash of an identifier starts; the finding's message
/// names the hash from it.
pub(crate) const UNKEYED_HASH_STEP: &str = "hashed without a key by ";

/// The simple name of a value's type path (`pkg.models.Case()`, `crate::cfg::Settings` →
/// `Case`, `Settings`).
fn simple_type_name(ty: &str) -> &str {
    let t = ty.strip_suffix("()").unwrap_or(ty);
    t.rsplit(['.', ':']).next().unwrap_or(t)
}

/// `x.name` or `x.name()` (no arguments): `x` and `name`.
fn method_or_attr(e: &Expr) -> Option<(&Expr, &str)> {
    let e = match &e.kind {
        ExprKind::Call(c) if c.args.is_empty() => &c.callee,
        _ => e,
    };
    match &e.kind {
        ExprKind::Attr { obj, attr } => Some((obj, attr)),
        _ => None,
    }
}

/// An HTTP status code written as a number or a named constant (`200`, `StatusCode::OK`,
/// `HTTPStatus.OK`, `status.HTTP_404_NOT_FOUND`).
fn status_code(e: &Expr) -> Option<u16> {
    let name = match &e.kind {
        ExprKind::Const(t) => return t.parse().ok().filter(|c| (100..600).contains(c)),
        ExprKind::Name(n) => n.rsplit("::").next().unwrap_or(n),
        ExprKind::Attr { attr, .. } => attr,
        _ => return None,
    };
    if name.eq_ignore_ascii_case("ok") {
        return Some(200);
    }
    name.split('_')
        .find_map(|w| w.parse().ok())
        .filter(|c| (100..600).contains(c))
}

fn join_env(a: &mut Env, b: Env) {
    for (k, v) in b {
        match a.get_mut(&k) {
            Some(cur) => {
                let joined = std::mem::take(cur).join(&v);
                *cur = joined;
            }
            None => {
                a.insert(k, v);
            }
        }
    }
}

/// Per-file analysis state.
pub(crate) struct Analyzer<'a> {
    pub input: &'a FileInput<'a>,
    /// `input.path`, shared by every step and finding of this analysis.
    pub file: crate::finding::FilePath,
    pub pats: &'a LangPatterns,
    pub catalog: &'a Catalog,
    pub cls: &'a Classifier,
    pub opts: &'a EngineOptions,
    /// alias → imported path
    pub imports: HashMap<String, String>,
    /// provider → endpoint configured module-wide (`sentry_sdk.init(dsn=...)`)
    pub module_endpoints: HashMap<String, String>,
    pub findings: Vec<Finding>,
    depth: u32,
    /// How many loops enclose the statement being analysed.
    loops: u32,
    line_starts: Vec<usize>,
    /// Inter-procedural context, when the whole project is analysed.
    pub project: Option<&'a Project>,
    /// Names this file's module goes by, most qualified first.
    pub module_names: Vec<String>,
    /// The function being analysed and what it has shown so far.
    pub current: Option<CurrentFn>,
    pub out: FileSummaries,
    /// Health-record types of the project and this file, with the reason.
    pub health_types: types::HealthTypes,
    /// This file's types that store health records (repositories), with the record type.
    pub store_types: types::StoreTypes,
    /// Declared field types of this file's structs and classes: type → field → type.
    pub field_types: HashMap<String, HashMap<String, String>>,
    /// Default URLs of this file's settings fields, when it is analysed alone.
    pub field_urls: types::FieldUrls,
    /// Type names the project declares (their declarations decide, not their names).
    pub declared_types: std::collections::HashSet<String>,
    /// Decisions recorded for `explain-source`.
    trace: std::cell::RefCell<Vec<crate::finding::TraceEntry>>,
    /// `resolve_fn` answers for this file, by call path and the calling method's class.
    resolved_fns: std::cell::RefCell<ResolvedFns>,
    /// Health data written to files, by the path's key (see [`Analyzer::file_key`]).
    file_data: HashMap<String, Rc<Taint>>,
    /// The class and the start of the function being analysed (scope of a path's key).
    scope: (Option<String>, u32),
    /// Files not parsed yet that declare a type this file names: their declaration decides
    /// whether it holds health records.
    type_files: std::cell::RefCell<BTreeSet<usize>>,
}

/// (resolved path, raw path, calling method's class) → (function key, called on an instance).
type ResolvedFns = HashMap<(String, String, Option<String>), Option<(String, bool)>>;

/// What the function being analysed does with its parameters.
pub(crate) struct CurrentFn {
    pub key: String,
    pub owner: Option<String>,
    pub summary: Summary,
    /// The first step of each parameter's path.
    pub param_steps: Vec<FlowStep>,
    /// The declared return type (`list[SoapNote]`).
    pub returns: Option<String>,
}

/// Analyse one file.
pub fn analyze(
    input: &FileInput<'_>,
    catalog: &Catalog,
    cls: &Classifier,
    opts: &EngineOptions,
) -> Vec<Finding> {
    analyze_in_project(input, catalog, cls, opts, None, Vec::new()).0
}

/// Analyse one file as part of a project: calls to the project's functions use their
/// summaries, and this file's functions' summaries are returned.
pub fn analyze_in_project(
    input: &FileInput<'_>,
    catalog: &Catalog,
    cls: &Classifier,
    opts: &EngineOptions,
    project: Option<&Project>,
    module_names: Vec<String>,
) -> (Vec<Finding>, FileSummaries) {
    let mut imports = HashMap::default();
    for imp in &input.module.imports {
        imports
            .entry(imp.alias.clone())
            .or_insert_with(|| imp.path.clone());
    }
    let mut line_starts = vec![0];
    for (i, b) in input.source.bytes().enumerate() {
        if b == b'\n' {
            line_starts.push(i + 1);
        }
    }
    let mut a = Analyzer {
        input,
        file: input.path.into(),
        pats: catalog.lang(input.lang),
        catalog,
        cls,
        opts,
        imports,
        module_endpoints: HashMap::default(),
        findings: Vec::new(),
        depth: 0,
        loops: 0,
        line_starts,
        project,
        module_names,
        current: None,
        out: FileSummaries::default(),
        health_types: types::HealthTypes::default(),
        store_types: types::StoreTypes::default(),
        // In a project, the project's map already holds this file's types.
        field_urls: match project {
            Some(_) => types::FieldUrls::default(),
            None => types::field_urls(
                input.module.types.iter(),
                &catalog.lang(input.lang).file.flow.env_readers,
            ),
        },
        field_types: input
            .module
            .types
            .iter()
            .map(|t| {
                let fields = t
                    .fields
                    .iter()
                    .filter_map(|f| f.ty.clone().map(|ty| (f.name.clone(), ty)))
                    .collect();
                (t.name.clone(), fields)
            })
            .collect(),
        trace: Default::default(),
        resolved_fns: Default::default(),
        declared_types: Default::default(),
        file_data: HashMap::default(),
        scope: (None, 0),
        type_files: Default::default(),
    };
    a.declared_types
        .extend(input.module.types.iter().map(|t| t.name.clone()));
    // This file's own types come first: another file's type of the same name does not
    // decide what this file's type is.
    a.health_types = types::own_health_types(
        cls,
        input.module.types.iter().map(|t| (usize::MAX, t)),
        project.map(|p| &p.health_types),
    );
    a.store_types = {
        let own = &a.health_types;
        types::store_types(cls, input.module.types.iter(), |t| {
            own.contains_key(t) || project.is_some_and(|p| p.health_types.contains_key(t))
        })
    };
    a.run();
    let mut out = a.out;
    for fi in a.type_files.into_inner() {
        out.awaits.insert(fi);
        out.wanted.insert(fi);
    }
    out.trace = a.trace.into_inner();
    out.trace.sort();
    out.trace.dedup();
    (a.findings, out)
}

impl<'a> Analyzer<'a> {
    fn run(&mut self) {
        let module = self.input.module;
        // Module level first: its bindings (clients, constants) are every function's globals.
        let mut globals = Env::default();
        if let Some(top) = module.functions.iter().find(|f| f.is_module) {
            self.block(&top.body, &mut globals);
        }
        // Declared field types (`http: reqwest::Client`, `client: OpenAI`) and fields set in
        // constructors give `self.x` types to the methods.
        let mut owner_fields: HashMap<String, Env> = HashMap::default();
        for t in &module.types {
            let fields = owner_fields.entry(t.name.clone()).or_default();
            for f in &t.fields {
                if let Some(ty) = &f.ty {
                    let v = Value {
                        ty: Some(self.resolve_type_name(ty)),
                        // A record about the person (`Reading`) is not the person's own.
                        context: self.is_health_type(ty)
                            && self.project_health_type(ty).is_none_or(|h| h.patient),
                        ..Value::default()
                    };
                    fields.insert(format!("self.{}", f.name), v);
                }
            }
        }
        // Object state: fields written in any method (`__init__`, `__aenter__`, setters) are
        // read in the others. Constructors run first, so setters see the fields they type.
        // Real health data stored on the instance stays health data; a parameter stored there
        // is only the caller's business.
        let mut writers: Vec<&Function> = module
            .functions
            .iter()
            .filter(|f| !f.is_module && f.owner.is_some())
            .filter(|f| {
                self.pats.file.flow.constructors.contains(&f.name) || self.writes_self(&f.body)
            })
            .collect();
        writers.sort_by_key(|f| !self.pats.file.flow.constructors.contains(&f.name));
        let saved_unresolved = self.out.unresolved_calls;
        for f in writers {
            let Some(owner) = &f.owner else { continue };
            self.scope = (f.owner.clone(), f.span.start_byte);
            let mut env = self.entry_env(f, &globals);
            if let Some(fields) = owner_fields.get(owner) {
                for (k, v) in fields {
                    env.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            let saved = self.findings.len();
            self.block(&f.body, &mut env);
            self.findings.truncate(saved);
            let fields = owner_fields.entry(owner.clone()).or_default();
            for (k, mut v) in env {
                if !k.starts_with("self.") {
                    continue;
                }
                v.taint = v.taint.filter(|t| t.real).map(|t| {
                    if t.params == 0 {
                        t
                    } else {
                        let mut t = (*t).clone();
                        t.params = 0;
                        Rc::new(t)
                    }
                });
                v.query = v.query.filter(|t| t.real);
                match fields.get_mut(&k) {
                    Some(cur) => {
                        let joined = std::mem::take(cur).join(&v);
                        *cur = joined;
                    }
                    None => {
                        fields.insert(k, v);
                    }
                }
            }
        }
        self.out.unresolved_calls = saved_unresolved;
        self.stored_fields(&mut owner_fields);
        for f in module.functions.iter().filter(|f| !f.is_module) {
            self.begin_function(f);
            self.scope = (f.owner.clone(), f.span.start_byte);
            let mut env = self.entry_env(f, &globals);
            if let Some(fields) = f.owner.as_ref().and_then(|o| owner_fields.get(o)) {
                for (k, v) in fields {
                    env.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            self.block(&f.body, &mut env);
            self.record_fields(&env);
            self.end_function();
        }
        self.literals();
        if self.opts.inventory {
            self.inventory_types();
        }
    }

    /// The qualified names a class's stored fields go by: its own, then its bases'.
    fn class_keys(&self, t: &TypeDecl) -> Vec<String> {
        let primary = self.module_names.first().cloned().unwrap_or_default();
        let mut keys = vec![summary::qualified(&primary, None, &t.name)];
        for b in &t.bases {
            let base = self.absolutize(&self.resolve_type_name(b));
            let base = base.trim_end_matches("()");
            if !base.is_empty() {
                keys.push(base.to_string());
            }
        }
        keys
    }

    /// Health data that callers store into this module's classes through their methods
    /// (`llm.set_prompt(note)`) is in those fields for every method of the class.
    fn stored_fields(&mut self, owner_fields: &mut HashMap<String, Env>) {
        let Some(project) = self.project else { return };
        for t in &self.input.module.types {
            let keys = self.class_keys(t);
            for k in &keys {
                self.out.field_deps.insert(k.clone());
            }
            for (class, fields) in &project.field_data {
                if !keys.iter().any(|k| summary::class_matches(class, k)) {
                    continue;
                }
                let env = owner_fields.entry(t.name.clone()).or_default();
                for (field, data) in fields {
                    let v = Value {
                        taint: Some(self.returned_taint(data, data.steps.clone())),
                        context: data.context,
                        ty: data.record.clone(),
                        ..Value::default()
                    };
                    let key = format!("self.{field}");
                    let joined = match env.remove(&key) {
                        Some(cur) => cur.join(&v),
                        None => v,
                    };
                    env.insert(key, joined);
                }
            }
        }
    }

    /// `exporter.dossier = record` outside the class: real health data stored into a field of
    /// an object of a project class (directly, or through a property setter that keeps it in
    /// another field) is in that field for the class's methods, as with a setter method.
    fn store_into_object(&mut self, obj: &Expr, obj_v: &Value, attr: &str, v: &Value, at: Span) {
        let Some(t) = v.taint.as_ref().filter(|t| t.real) else {
            return;
        };
        if obj
            .dotted()
            .is_none_or(|d| d == "self" || d.starts_with("self."))
        {
            return;
        }
        let Some(name) = obj_v.ty.as_deref().and_then(|ty| ty.strip_suffix("()")) else {
            return;
        };
        let last = name.rsplit('.').next().unwrap_or(name);
        let local = self.declared_types.contains(last) && !name.contains('.');
        let class = if local {
            let primary = self.module_names.first().map(String::as_str).unwrap_or("");
            summary::qualified(primary, None, name)
        } else if self.project.is_some_and(|p| p.declares(last)) {
            self.absolutize(name).trim_end_matches("()").to_string()
        } else {
            return;
        };
        // A property setter of that name keeps the value in the field it writes.
        let setter = self.project.and_then(|p| {
            let s = p.summaries.get(format!("{class}.{attr}").as_str())?;
            s.fields
                .iter()
                .find(|(i, _)| *i == 1)
                .map(|(_, f)| f.clone())
        });
        let field = setter.unwrap_or_else(|| attr.to_string());
        let t = self.extend(t, at, format!("stored into `{attr}` of a `{last}`"));
        self.store_field_data(class, field, &t, v);
    }

    /// Real health data `t` (of value `v`) stored into `field` of objects of `class`: the
    /// first writer's is kept.
    fn store_field_data(&mut self, class: String, field: String, t: &Rc<Taint>, v: &Value) {
        let record = v.ty.clone().filter(|ty| self.is_health_type(ty));
        self.out
            .field_data
            .entry(class)
            .or_default()
            .entry(field)
            .or_insert_with(|| ReturnedData {
                steps: t.steps.clone(),
                direct_id: t.direct_id,
                categories: t.categories.iter().copied().collect(),
                context: v.context,
                fields: None,
                record,
            });
    }

    /// Real health data a summary hands over (returned, or stored in a field), on `steps`.
    fn returned_taint(&self, r: &ReturnedData, steps: Vec<FlowStep>) -> Rc<Taint> {
        Rc::new(Taint {
            steps,
            direct_id: r.direct_id,
            categories: r.categories.iter().copied().collect(),
            real: true,
            params: 0,
            sensitivity: r
                .categories
                .iter()
                .map(|c| sensitivity(self.cls, *c))
                .max()
                .unwrap_or(1),
            ..Taint::default()
        })
    }

    /// A method's parameters that end up in fields of `self`, for its summary.
    fn record_fields(&mut self, env: &Env) {
        let Some(cur) = self.current.as_mut() else {
            return;
        };
        if cur.owner.is_none() || !cur.summary.method {
            return;
        }
        for (k, v) in env {
            let Some(field) = k.strip_prefix("self.").filter(|f| !f.contains('.')) else {
                continue;
            };
            let Some(t) = &v.taint else { continue };
            let bits = t.params & !1;
            for i in 0..64u32 {
                if bits & (1u64 << i) != 0 {
                    cur.summary.fields.push((i, field.to_string()));
                }
            }
        }
        cur.summary.fields.sort();
        cur.summary.fields.dedup();
    }

    /// Whether a body assigns or mutates an attribute of `self` (statements only, iteratively).
    fn writes_self(&self, body: &[Stmt]) -> bool {
        let on_self = |e: &Expr| {
            e.dotted()
                .is_some_and(|d| d == "self" || d.starts_with("self."))
        };
        let mut stack: Vec<&Stmt> = body.iter().collect();
        while let Some(s) = stack.pop() {
            match s {
                Stmt::Assign { targets, .. } => {
                    if targets.iter().any(|t| match t {
                        Target::Attr { obj, .. } | Target::Index { obj, .. } => on_self(obj),
                        _ => false,
                    }) {
                        return true;
                    }
                }
                Stmt::Expr(e) => {
                    if let ExprKind::Call(c) = &e.kind {
                        if let ExprKind::Attr { obj, attr } = &c.callee.kind {
                            if on_self(obj)
                                && obj.dotted().is_some_and(|d| d != "self")
                                && self.pats.file.flow.mutators.iter().any(|m| m == attr)
                            {
                                return true;
                            }
                        }
                    }
                }
                Stmt::Branch { arms, .. } => stack.extend(arms.iter().flatten()),
                Stmt::Loop { body, .. } | Stmt::With { body, .. } | Stmt::Block(body) => {
                    stack.extend(body.iter())
                }
                Stmt::Return(..) => {}
            }
        }
        false
    }

    fn entry_env(&self, f: &Function, globals: &Env) -> Env {
        let mut env = globals.clone();
        let (patient_route, route_kind) = match f.route.as_deref() {
            Some(r) if self.is_patient_route(r) => (Some(r), "patient route"),
            Some(r) if self.is_record_route(r) => (Some(r), "health-record route"),
            _ => (None, "patient route"),
        };
        let mut values: Vec<Value> = f
            .params
            .iter()
            .map(|p| match self.decorated_type(f, p) {
                Some(ty) => self.param_value(&Param {
                    ty: Some(ty),
                    ..p.clone()
                }),
                None => self.param_value(p),
            })
            .collect();
        // A parameter named with a weak health word (`temperature`, `weight`) next to the
        // patient's record or identifier is that patient's measurement: `(patient_id, temperature)`.
        let patient = f.params.iter().zip(&values).find_map(|(p, v)| {
            let person = self.cls.classify_name(&p.name).context
                || p.ty.as_deref().is_some_and(|t| {
                    types::segments(t).any(|s| self.cls.is_person_type(s))
                        || self.project_health_type(t).is_some_and(|h| h.patient)
                });
            v.taint
                .as_ref()
                .is_some_and(|t| t.real && (t.direct_id || (v.context && person)))
                .then_some(p.name.as_str())
        });
        let sized = f
            .params
            .iter()
            .any(|p| self.cls.is_dimension_param(&p.name));
        // Also `add_patient(name, ssn)`, `find_patient_by_ssn(ssn)`: a function named for one
        // patient is given that patient's attributes.
        let beside = patient.filter(|_| !sized);
        let one_patient = self.cls.names_one_patient(&f.name);
        for (p, v) in f.params.iter().zip(values.iter_mut()) {
            if v.taint.is_some() || p.kind != ParamKind::Normal || p.default.is_some() {
                continue;
            }
            let found = beside
                .and_then(|b| {
                    let c = self.cls.classify_weak_beside_patient(&p.name)?;
                    Some((c, format!("a parameter beside the patient's `{b}`")))
                })
                .or_else(|| {
                    let c = self
                        .cls
                        .patient_attribute(&p.name)
                        .filter(|_| one_patient)?;
                    Some((c, format!("given to `{}`, named for a patient", f.name)))
                });
            if let Some((c, how)) = found {
                let what = format!("`{}` — {}, {how}", p.name, self.label(&c));
                v.taint = Some(self.source(p.span, what, c.direct_id, c.category));
            }
        }
        for (i, (p, mut v)) in f.params.iter().zip(values).enumerate() {
            if let Some(r) = patient_route {
                // Path parameters, and bodies: not scalar query options (`user: str = "x"`).
                let in_path = r.contains(&format!("{{{}}}", p.name))
                    || r.contains(&format!(":{}>", p.name))
                    || r.contains(&format!("<{}>", p.name));
                let scalar =
                    p.ty.as_deref()
                        .is_some_and(|t| self.pats.file.flow.scalar_types.iter().any(|s| s == t))
                        || matches!(
                            p.default.as_ref().map(|d| &d.kind),
                            Some(ExprKind::Str(_)) | Some(ExprKind::Const(_))
                        );
                // A path parameter naming another record's id (`{prescription_id}`) is not
                // the patient's data.
                if v.taint.is_none()
                    && p.kind == ParamKind::Normal
                    && (in_path || !scalar)
                    && !self.is_injected(p)
                    && !self.cls.is_record_id_name(&p.name)
                {
                    v.taint = Some(self.source(
                        p.span,
                        format!("`{}` — request data of {route_kind} `{r}`", p.name),
                        false,
                        None,
                    ));
                    v.context = true;
                }
            }
            if self.current.is_some() && i < 64 {
                // The parameter itself, for the function's summary.
                let bit = 1u64 << i;
                v.taint = Some(match v.taint.take() {
                    Some(t) => {
                        let mut t = (*t).clone();
                        t.params |= bit;
                        Rc::new(t)
                    }
                    None => Rc::new(Taint {
                        steps: vec![self.param_step(f, p)],
                        direct_id: false,
                        categories: BTreeSet::new(),
                        real: false,
                        params: bit,
                        sensitivity: 0,
                        ..Taint::default()
                    }),
                });
            }
            env.insert(p.name.clone(), v);
        }
        // `def validate_nhs_number(self, value)`: the value of that field.
        if f.owner.is_some() {
            let field = self
                .pats
                .file
                .flow
                .field_validators
                .iter()
                .find_map(|pre| f.name.strip_prefix(pre.as_str()))
                .filter(|n| !n.is_empty());
            let normal: Vec<&Param> = f
                .params
                .iter()
                .filter(|p| p.kind == ParamKind::Normal)
                .collect();
            if let (Some(field), [p]) = (field, normal.as_slice()) {
                let c = self.cls.classify_name(field);
                let v = env.entry(p.name.clone()).or_default();
                if c.health && !v.real() {
                    let t = self.source(
                        p.span,
                        format!(
                            "`{}` — the value of field `{field}` being validated",
                            p.name
                        ),
                        c.direct_id,
                        c.category,
                    );
                    if let Some(v) = env.get_mut(&p.name) {
                        v.taint = join_taint(v.taint.take(), Some(t));
                    }
                }
            }
        }
        // `def symptom_check(request, patient_id)`: what the client sent about that patient.
        let flow = &self.pats.file.flow;
        if !flow.request_params.is_empty() {
            let patient_param = f.params.iter().find(|p| {
                p.kind == ParamKind::Normal && { self.cls.classify_name(&p.name).direct_id }
            });
            let request = f
                .params
                .iter()
                .find(|p| p.kind == ParamKind::Normal && flow.request_params.contains(&p.name));
            if let (Some(pid), Some(req)) = (patient_param, request) {
                let parts: Vec<String> = flow.request_content.clone();
                let taint = self.source(
                    req.span,
                    format!(
                        "`{}` — request data of a view about patient `{}`",
                        req.name, pid.name
                    ),
                    false,
                    None,
                );
                let v = env.entry(req.name.clone()).or_default();
                v.taint = join_taint(v.taint.take(), Some(taint));
                // Only what the client sent: `request.user` is the signed-in account.
                let parts = Rc::new(parts);
                v.fields = Some(Rc::clone(&parts));
                v.real_fields = Some(parts);
            }
        }
        // Flask's `request`: the request of a patient route carries that patient's data.
        if let Some(r) = patient_route {
            for (alias, path) in &self.imports {
                if self
                    .pats
                    .file
                    .flow
                    .request_globals
                    .iter()
                    .any(|g| g == path)
                    && !f.params.iter().any(|p| &p.name == alias)
                {
                    let v = Value {
                        taint: Some(self.source(
                            f.span,
                            format!("`{alias}` — request data of {route_kind} `{r}`"),
                            false,
                            None,
                        )),
                        context: true,
                        ..Value::default()
                    };
                    env.insert(alias.clone(), v);
                }
            }
        }
        env
    }

    /// A route about patients or their records (`/patients/{id}/notes`, `/dossiers/<id>`).
    pub(crate) fn is_patient_route(&self, route: &str) -> bool {
        route_words(route).any(|w| self.cls.names_records(w) || self.cls.classify_name(w).health)
    }

    /// A route whose handlers are sent records in a health standard's format (`/hl7`,
    /// `/fhir/Observation`). Not used for requests the code makes: `GET /fhir/metadata`
    /// answers with the server's capabilities.
    fn is_record_route(&self, route: &str) -> bool {
        route_words(route).any(|w| self.cls.is_record_route_word(w))
    }

    /// How a part `name` of `ov` is named: a field of a row of real health data
    /// ([`Classifier::classify_row_field`]), else a member of a record or of anything.
    fn classify_part(&self, ov: &Value, name: &str) -> crate::classify::NameClass {
        if ov.real() && !ov.context {
            self.cls.classify_row_field(name)
        } else {
            self.cls.classify_member(name, ov.context)
        }
    }

    /// A parameter a web framework injects (a database session, `Depends(...)`), not request data.
    fn is_injected(&self, p: &Param) -> bool {
        let injected = &self.pats.file.flow.injected;
        let by_type =
            p.ty.as_deref()
                .is_some_and(|t| types::segments(t).any(|s| injected.iter().any(|i| i == s)));
        let by_default = p.default.as_ref().is_some_and(|d| match &d.kind {
            ExprKind::Call(c) => c.callee.dotted().is_some_and(|n| {
                let last = n.rsplit('.').next().unwrap_or(&n);
                injected.iter().any(|i| i == last)
            }),
            _ => false,
        });
        by_type || by_default
    }

    fn param_step(&self, f: &Function, p: &Param) -> FlowStep {
        self.step(
            p.span,
            format!("`{}` is a parameter of `{}`", p.name, f.name),
        )
    }

    fn begin_function(&mut self, f: &Function) {
        if self.project.is_none() {
            return;
        }
        let module = self.module_names.first().cloned().unwrap_or_default();
        let key = summary::qualified(&module, f.owner.as_deref(), &f.name);
        let param_steps = f.params.iter().map(|p| self.param_step(f, p)).collect();
        self.current = Some(CurrentFn {
            key,
            owner: f.owner.clone(),
            returns: f.returns.clone(),
            summary: Summary {
                params: f
                    .params
                    .iter()
                    .map(|p| crate::finding::shared_text(p.name.clone()))
                    .collect(),
                method: f
                    .params
                    .first()
                    .is_some_and(|p| p.kind == ParamKind::SelfParam),
                ..Summary::default()
            },
            param_steps,
        });
    }

    fn end_function(&mut self) {
        if let Some(cur) = self.current.take() {
            let mut s = cur.summary;
            // Files at a parameter's path written with parameters' data.
            let prefix = format!("{}#", self.scope.1);
            for (k, t) in &self.file_data {
                let Some(name) = k.strip_prefix(&prefix) else {
                    continue;
                };
                let Some(j) = s.params.iter().position(|p| **p == *name) else {
                    continue;
                };
                let mask = t.params & !(1u64 << j) & ((1u64 << summary::CONTENT_PARAM) - 1);
                if mask != 0 && j < summary::CONTENT_PARAM as usize {
                    s.file_writes.push((j as u32, mask));
                }
            }
            s.file_writes.sort();
            s.sinks.sort_by(|a, b| {
                (a.param, &a.hit.path, a.hit.span).cmp(&(b.param, &b.hit.path, b.hit.span))
            });
            s.sinks
                .dedup_by(|a, b| a.param == b.param && a.hit == b.hit);
            self.out.summaries.insert(cur.key, s);
        }
    }

    /// A function declared to return a health-record type (`-> Option<Self>` of a
    /// `PatientRecord`, `-> PatientRecord`) returns such records, as an annotation says.
    fn declared_return(&mut self, span: Span, v: &mut Value) {
        if v.constant || v.real() {
            return;
        }
        let Some((name, declared)) = self.current.as_ref().and_then(|c| {
            let name = c.key.rsplit('.').next().unwrap_or(&c.key).to_string();
            Some((name, c.returns.clone()?))
        }) else {
            return;
        };
        // A union of several types (`Chart | list[Line]`): which one is returned is not known.
        if declared.contains('|') || declared.contains("Union[") {
            let mut named: Vec<&str> = types::segments(&declared)
                .filter(|s| s.starts_with(|c: char| c.is_ascii_uppercase()))
                .filter(|s| !self.is_type_wrapper(s))
                .collect();
            named.sort_unstable();
            named.dedup();
            if named.len() > 1 {
                return;
            }
        }
        let owner = self.scope.0.clone();
        let Some(t) = types::segments(&declared)
            .map(|s| match (s, &owner) {
                ("Self", Some(o)) => o.as_str(),
                _ => s,
            })
            .find(|s| self.is_health_type(s))
            .map(str::to_string)
        else {
            return;
        };
        let subject = format!("what `{name}` returns, declared `{declared}`");
        self.type_as_record(v, &t, span, &subject);
        if v.ty.is_none() {
            v.ty = Some(self.resolve_type_name(&t));
        }
    }

    /// A null name or a generic around a value's type (`None`, `Optional`, `Promise`), as the
    /// language's `[flow]` lists them.
    fn is_type_wrapper(&self, name: &str) -> bool {
        let flow = &self.pats.file.flow;
        flow.null_names
            .iter()
            .chain(&flow.type_wrappers)
            .any(|w| w == name)
    }

    /// A value is returned: record what flows out of the function.
    fn record_return(&mut self, v: &Value) {
        // The record type of the value, or the one the function declares it returns
        // (`-> list[SoapNote]`: its items are `SoapNote` records).
        // Only a type argument (`list[X]`, `Option<X>`): a function declared to return the
        // record itself makes it, and the value's own type says more.
        let record =
            v.ty.clone()
                .filter(|t| self.record_type_of(t).is_some())
                .or_else(|| {
                    let declared = self.current.as_ref()?.returns.as_deref()?;
                    types::segments(declared)
                        .skip(1)
                        .find(|s| self.health_type(s).is_some())
                        .map(|s| self.resolve_type_name(s))
                });
        // A client kept in a module variable and returned by a getter declared to return the
        // library's type (`getTwilioClient(): twilio.Twilio | null`).
        let declared_client =
            v.ty.is_none()
                .then(|| {
                    let declared = self.current.as_ref()?.returns.as_deref()?;
                    let first = declared
                        .split(['|', '<', '>', '[', ']', ' ', '?'])
                        .find(|p| !p.is_empty() && !self.is_type_wrapper(p))?;
                    let ty = self.resolve_type_name(first);
                    self.pats.receivers.is_match(&[ty.as_str()]).then_some(ty)
                })
                .flatten();
        let Some(cur) = self.current.as_mut() else {
            return;
        };
        // A catalog client returned by a factory (`get_kinesis_client()`).
        // Also a request built but not sent (`fn request(&self, body) -> RequestBuilder`),
        // with the data it carries: the caller sends it.
        if let (Some(ty), None) = (
            v.ty.as_ref().or(declared_client.as_ref()),
            &cur.summary.ret_object,
        ) {
            if self.pats.receivers.is_match(&[ty.as_str()]) {
                cur.summary.ret_object = Some(Box::new(summary::ReturnedObject {
                    ty: ty.to_string(),
                    endpoint: v.endpoint.clone(),
                    insecure: v.insecure,
                }));
            }
        }
        // An object holding a configured client (`return { client, deployment }`): where
        // the client talks to, for calls through its field.
        if let (None, None, None, Some(ep)) =
            (&v.ty, &cur.summary.ret_object, &v.taint, &v.endpoint)
        {
            cur.summary.ret_object = Some(Box::new(summary::ReturnedObject {
                ty: String::new(),
                endpoint: Some(ep.clone()),
                insecure: v.insecure,
            }));
        }
        let Some(t) = v.taint.as_ref().or(v.query.as_ref()) else {
            return;
        };
        cur.summary.ret_params |= t.params;
        for i in 0..64u32 {
            if t.params & (1u64 << i) != 0 {
                let parts = param_parts(t, i);
                summary::note_ret_parts(&mut cur.summary.ret_parts, i, parts);
            }
        }
        if t.real && cur.summary.ret.is_none() {
            cur.summary.ret = Some(Box::new(ReturnedData {
                steps: t.steps.clone(),
                direct_id: t.direct_id,
                categories: t.categories.iter().copied().collect(),
                context: v.context,
                fields: v.real_fields.as_ref().map(|f| f.to_vec()),
                record,
            }));
        }
    }

    /// The type a decorator gives an untyped parameter (`[flow] decorator_types`).
    fn decorated_type(&self, f: &Function, p: &Param) -> Option<String> {
        if p.ty.is_some() {
            return None;
        }
        self.pats.file.flow.decorator_types.iter().find_map(|d| {
            if d.param != p.name {
                return None;
            }
            f.annotations
                .iter()
                .filter(|a| a.name.rsplit('.').next() == Some(d.decorator.as_str()))
                .find_map(|a| a.arg(&crate::patterns::ArgSel::Name(d.type_arg.clone())))
                .map(str::to_string)
        })
    }

    fn param_value(&self, p: &Param) -> Value {
        if p.kind == ParamKind::SelfParam {
            return Value::clean();
        }
        let mut v = Value::clean();
        let by_type = p.ty.as_deref().is_some_and(|t| self.is_health_type(t));
        let c = self.cls.classify_name(&p.name);
        if by_type || c.health {
            let patient_type = by_type
                && p.ty
                    .as_deref()
                    .is_some_and(|t| self.project_health_type(t).is_none_or(|h| h.patient));
            if by_type && !c.health {
                let ty = p.ty.as_deref().unwrap_or("record");
                let what = format!("`{}` — {}", p.name, self.type_why(ty));
                v.taint = Some(self.typed_source(p.span, what, ty));
            } else {
                let what = format!("`{}` — a parameter named as {}", p.name, self.label(&c));
                v.taint = Some(self.source(p.span, what, c.direct_id, c.category));
            }
            v.context = patient_type || c.context;
        }
        if let Some(t) = p.ty.as_deref() {
            v.ty = Some(self.resolve_type_name(t));
        }
        v
    }

    fn resolve_type_name(&self, t: &str) -> String {
        let t = self.unwrap_optional(t);
        let base = t.split(['[', '<']).next().unwrap_or(t).trim();
        let first = base.split('.').next().unwrap_or(base);
        match self.imports.get(first) {
            Some(path) => format!("{}{}()", path, &base[first.len()..]),
            None => format!("{base}()"),
        }
    }

    /// `Optional[Session]`, `Option<Client>`, `Session | None`: `Session`, `Client`.
    fn unwrap_optional<'t>(&self, mut t: &'t str) -> &'t str {
        let flow = &self.pats.file.flow;
        for _ in 0..8 {
            t = t.trim();
            if t.contains('|') && !t.contains(['[', '<']) {
                let mut parts = t
                    .split('|')
                    .map(str::trim)
                    .filter(|p| !flow.null_names.iter().any(|n| n == p));
                if let (Some(one), None) = (parts.next(), parts.next()) {
                    t = one;
                }
            }
            let inner = flow.optional_types.iter().find_map(|w| {
                let rest = t.strip_prefix(w.as_str())?;
                let rest = rest.strip_prefix('[').or_else(|| rest.strip_prefix('<'))?;
                rest.strip_suffix(']').or_else(|| rest.strip_suffix('>'))
            });
            match inner {
                Some(i) => t = i,
                None => break,
            }
        }
        t
    }

    /// "diagnosis data", "a patient identifier", "a patient record": what a name says.
    pub(crate) fn label(&self, c: &crate::classify::NameClass) -> String {
        if c.direct_id {
            return "a patient identifier".to_string();
        }
        if c.context && c.category == Some(self.cls.care_record_category()) {
            return "a patient record".to_string();
        }
        match c.category {
            Some(cat) => format!("{} data", self.cls.category_name(cat)),
            None => "health data".to_string(),
        }
    }

    /// Why a type holds health records, in words a reviewer can check.
    pub(crate) fn type_why(&self, ty: &str) -> String {
        let found =
            types::segments(ty).find_map(|s| self.health_types.get(s).map(|h| (s, h.why.as_str())));
        match found {
            Some((name, why)) => format!("a value of type `{name}`, which {why}"),
            None => format!("a value of type `{ty}`, a patient or health-record type"),
        }
    }

    /// `patient.nir` — "a patient identifier, field of a patient record".
    fn member_why(
        &self,
        span: Span,
        name_in_code: &str,
        c: &crate::classify::NameClass,
        of_record: bool,
    ) -> String {
        let what = self.label(c);
        let name = name_in_code.replace('`', "'");
        if of_record {
            format!(
                "`{}` — {what}, field `{name}` of a patient record",
                self.short(span)
            )
        } else {
            format!("`{}` — `{name}` names {what}", self.short(span))
        }
    }

    /// The source of a member read: a field that is data only as part of a patient record,
    /// and is named only with metadata words or as a kind of something (`language`,
    /// `mimeType`), ranks below the record's other fields when a finding names its source.
    fn member_source(
        &self,
        span: Span,
        name: &str,
        c: &crate::classify::NameClass,
        of_record: bool,
    ) -> Rc<Taint> {
        let src = self.source(
            span,
            self.member_why(span, name, c, of_record),
            c.direct_id,
            c.category,
        );
        let descriptor = of_record
            && !c.direct_id
            && !self.cls.classify_name(name).health
            && (self.cls.is_record_metadata(name) || self.cls.is_about_type_name(name));
        if descriptor {
            let mut t = (*src).clone();
            t.sensitivity = 0;
            return Rc::new(t);
        }
        src
    }

    /// The declared type of field `attr` of a value of type `ty` (`AppState()`), resolved.
    fn declared_field_type(&self, ty: &str, attr: &str) -> Option<String> {
        if let Some(ft) = self.declared_field_text(ty, attr) {
            return Some(self.resolve_type_name(ft));
        }
        // A field a constructor sets to a new object (`self.store = RecordingStore()`).
        let t = ty.strip_suffix("()")?;
        let name = t.rsplit('.').next().unwrap_or(t);
        let path = self.project?.object_fields.get(name)?.get(attr)?;
        Some(format!("{path}()"))
    }

    /// The type of field `attr` of a value of type `ty` as its declaration writes it.
    fn declared_field_text(&self, ty: &str, attr: &str) -> Option<&str> {
        let t = ty.strip_suffix("()")?;
        let name = t.rsplit('.').next().unwrap_or(t);
        if let Some(fields) = self.field_types.get(name) {
            return fields.get(attr).map(String::as_str);
        }
        // A type of another file of the project (`AppState` declared in `main.rs`).
        if self.declared_types.contains(name) {
            return None;
        }
        let project = self.project?;
        project
            .declared_fields
            .get(name)?
            .get(attr)
            .map(String::as_str)
    }

    /// A declared field type naming a library's client, service or settings object
    /// (`[flow] handle_types`, framework-injected types, or a package's default export such
    /// as `Stripe` from `import Stripe from 'stripe'`), not a health-record type.
    fn is_handle_type(&self, ft: &str) -> bool {
        if self.is_health_type(ft) {
            return false;
        }
        let flow = &self.pats.file.flow;
        types::dotted_names(ft).any(|d| {
            let last = d.rsplit('.').next().unwrap_or(d);
            if flow.injected.iter().any(|i| i == last)
                || flow
                    .handle_types
                    .iter()
                    .any(|g| crate::patterns::glob_match(g, last))
            {
                return true;
            }
            // The whole package under its own name: `import Stripe from 'stripe'`.
            d == last
                && last.chars().next().is_some_and(char::is_uppercase)
                && !self.declared_types.contains(last)
                && self.imports.get(last).is_some_and(|path| {
                    let scoped = path.strip_prefix('@');
                    !path.is_empty()
                        && !path.starts_with('.')
                        && path.matches('.').count() == usize::from(scoped.is_some())
                })
        })
    }

    /// A type annotation or constructor naming a health-record type: a lexicon type
    /// (`Patient`, `Observation`) or a project type that declares health fields.
    pub(crate) fn is_health_type(&self, ty: &str) -> bool {
        // `FieldErrors<Form>`, `Category<Condition>`: a generic named as metadata or reference
        // data holds no record of its argument type.
        let stripped = types::without_generics_of(ty, |w| !self.cls.is_about_type_name(w));
        let ty = stripped.as_ref();
        // `Encounter['id']`: the type of a record's metadata field, not a record.
        if let Some(key) = ty
            .split_once('[')
            .and_then(|(_, k)| k.trim_start().strip_prefix(['\'', '"']))
            .and_then(|k| k.split(['\'', '"']).next())
        {
            if !key.is_empty() && self.cls.is_record_metadata(key) {
                return false;
            }
        }
        let non_health = |q: &str| {
            let path = self.imports.get(q).map_or(q, String::as_str);
            let root = path.split('.').next().unwrap_or(path);
            self.cls.is_non_health_module(q) || self.cls.is_non_health_module(root)
        };
        let found = types::dotted_names(ty).any(|dotted| {
            let segs: Vec<&str> = dotted.split('.').filter(|s| !s.is_empty()).collect();
            segs.iter().enumerate().any(|(i, &seg)| {
                // `threading.Condition` is neither the project's `Condition` nor FHIR's.
                if segs[..i].iter().any(|q| non_health(q)) {
                    return false;
                }
                if self.health_type(seg).is_some() {
                    return true;
                }
                // A type of the project's, unless this file imports that name from a
                // library (`use fhir_sdk::r4b::resources::Condition`).
                let from_library = self
                    .imports
                    .get(seg)
                    .is_some_and(|p| !self.is_project_path(p));
                let declared = self.declared_types.contains(seg)
                    || (!from_library && self.project.is_some_and(|p| p.declares(seg)));
                if declared || !self.cls.is_context_type(seg) {
                    return false;
                }
                // A patient context by name, or a FHIR resource name that is not imported
                // from elsewhere (`from threading import Condition`). One imported from the
                // project (`from .synchronize import Condition`) is the project's class: a
                // health record by its declaration only (above).
                self.cls.classify_name(seg).context
                    || self.imports.get(seg).is_none_or(|p| {
                        let root = p.split('.').next().unwrap_or(p);
                        if self.cls.is_non_health_module(root) {
                            return false;
                        }
                        match self.import_file(p) {
                            Some(fi) => {
                                // Not parsed yet: parse it, its declaration decides.
                                let parsed = self
                                    .project
                                    .and_then(|pr| pr.parsed.get(fi).copied())
                                    .unwrap_or(true);
                                if !parsed {
                                    self.type_files.borrow_mut().insert(fi);
                                }
                                false
                            }
                            // A module the scan does not hold: the project's, or a library's.
                            None => !self.imports_project_module(p),
                        }
                    })
            })
        });
        found
    }

    /// `bundle["total"]`, `record.get("count")`: a count or a flag read from a record whose
    /// parts are not known, not the record.
    fn count_of_record(&self, v: &Value, key: &str) -> bool {
        v.context && v.fields.is_none() && self.cls.is_count_name(key)
    }

    /// `obj[key]` with `ov` the value of `obj`: a named key (`row["diagnosis"]`) or an element.
    fn index_by_key(&mut self, e: &Expr, obj: &Expr, mut ov: Value, key: Option<&str>) -> Value {
        if let Some(k) = key {
            if ov.part_is_clean(k) || self.count_of_record(&ov, k) {
                return Value {
                    ty: ov.ty.map(|t| format!("{t}[]")),
                    ..Value::default()
                };
            }
            ov = ov.read_part(k);
            let name = obj
                .dotted()
                .and_then(|d| d.rsplit('.').next().map(str::to_string));
            if self.metadata_of_record(&ov, k, name.as_deref()).is_some() {
                return Value {
                    ty: ov.ty.map(|t| format!("{t}[]")),
                    ..Value::default()
                };
            }
            // A position (`choices[0]`, `answer[1]`) is an element, not a named key.
            let position = !k.is_empty()
                && k.trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit());
            let mut c = if position {
                crate::classify::NameClass::NONE
            } else {
                self.classify_part(&ov, k)
            };
            // By the names alone: a subscript's type is the container's.
            if ov.context {
                self.mark_patient_id(&mut c, None, name.as_deref(), k);
            }
            if c.health {
                return Value {
                    taint: Some(self.member_source(e.span, k, &c, ov.context)),
                    context: c.context || ov.context,
                    ..Value::default()
                };
            }
            // A named key of a health value that is not a whole record: only its
            // content (`event["body"]`), not its metadata (`item["id"]`).
            if !ov.context
                && ov.tainted()
                && !k.is_empty()
                && !position
                && !self.is_content_key(k)
                && (ov.from_call || self.cls.is_metadata_name(k))
            {
                return Value {
                    ty: ov.ty.map(|t| format!("{t}[]")),
                    ..Value::default()
                };
            }
        }
        let mut v = self.element(&ov);
        v.ty = ov.ty.map(|t| format!("{t}[]"));
        v
    }

    /// The default URL of field `attr` of a settings object typed `ty` (`cfg.dropbox_url`);
    /// of unknown type, the one settings field of that name the project declares with a URL
    /// (`settings.registry_url` of an imported instance).
    fn field_url(&self, ty: Option<&str>, attr: &str) -> Option<String> {
        let maps = std::iter::once(&self.field_urls).chain(self.project.map(|p| &p.field_urls));
        if let Some(t) = ty {
            let name = simple_type_name(t);
            let typed = maps
                .clone()
                .find_map(|m| m.get(name).and_then(|f| f.get(attr)));
            // A class, known or not, says which; a module's variable does not.
            if typed.is_some() || name.starts_with(char::is_uppercase) {
                return typed.cloned();
            }
        }
        let mut found: Option<&String> = None;
        for (_, fields) in maps.flat_map(|m| m.iter()) {
            if let Some(u) = fields.get(attr) {
                if found.is_some_and(|f| f != u) {
                    return None;
                }
                found = Some(u);
            }
        }
        found.cloned()
    }

    /// Why a project type holds health records, if it does.
    pub(crate) fn project_health_type(&self, ty: &str) -> Option<&types::HealthType> {
        types::segments(ty).find_map(|s| self.health_type(s))
    }

    /// The record type, when `attr` is metadata (`id`, `status`) of a value typed as a health
    /// record about the person rather than the person's own record (`Observation`, not
    /// `Patient`).
    fn metadata_of_record<'v>(
        &'v self,
        v: &'v Value,
        attr: &str,
        obj_name: Option<&str>,
    ) -> Option<&'v str> {
        if !v.context || !self.cls.is_record_metadata(attr) {
            return None;
        }
        // An untyped record (a dict from a project read): the record its name says it is.
        let Some(ty) = v.ty.as_deref() else {
            return obj_name.and_then(|n| self.cls.record_about_person_named(n));
        };
        if types::segments(ty).any(|s| self.cls.is_person_type(s)) {
            return None;
        }
        types::segments(ty).find(|s| {
            self.cls.is_record_about_person(s)
                // A record type of the project's own that is not a patient context
                // (`SampleItem` reached from a patient's order): its id is its own, unless
                // the code names the value as the patient (`resources.patient.id`).
                || (s.chars().next().is_some_and(char::is_uppercase)
                    && obj_name.is_none_or(|n| !self.cls.classify_name(n).context)
                    && (!self.cls.classify_name(s).context
                        || self.cls.is_record_about_patient_type(s))
                    && self.declares_type(s))
        })
    }

    /// `patient.id`, `patient["id"]`, `fhirPatient.id`: a field of the patient's own record
    /// (by its type `ty`, or by the two names together) that identifies the patient makes `c`
    /// a direct identifier.
    fn mark_patient_id(
        &self,
        c: &mut crate::classify::NameClass,
        ty: Option<&str>,
        obj_name: Option<&str>,
        field: &str,
    ) {
        if !c.health || c.direct_id {
            return;
        }
        let typed_person =
            ty.is_some_and(|t| types::segments(t).any(|s| self.cls.is_person_type(s)));
        let named = obj_name.is_some_and(|n| self.cls.is_direct_id_of_named_record(n, field));
        if (typed_person && self.cls.is_person_id_field(field)) || named {
            c.direct_id = true;
            c.category = Some(self.cls.identifier_category());
        }
    }

    /// An attribute or key that holds a value's content rather than its metadata.
    fn is_content_key(&self, k: &str) -> bool {
        self.pats.file.flow.content_attrs.iter().any(|a| a == k)
    }

    /// The project record type a value's type path names (`pkg.models.Case()` → `Case`).
    fn record_type_of(&self, ty: &str) -> Option<&types::HealthType> {
        let t = ty.strip_suffix("()")?;
        let name = t.rsplit('.').next().unwrap_or(t);
        self.health_type(name)
    }

    /// Whether this file or another parsed file declares a type of this name.
    fn declares_type(&self, name: &str) -> bool {
        self.declared_types.contains(name) || self.project.is_some_and(|p| p.declares(name))
    }

    /// A health-record type of the project (or of this file) by simple name.
    fn health_type(&self, name: &str) -> Option<&types::HealthType> {
        if let Some(h) = self.health_types.get(name) {
            return Some(h);
        }
        if self.declared_types.contains(name) {
            return None;
        }
        let project = self.project?;
        let h = project.health_types.get(name)?;
        // `from .synchronize import Condition`: that file's declaration decides, not another
        // file's type of the same name; a relative import of a module the scan does not hold
        // names none of the scanned types.
        let other = self
            .imports
            .get(name)
            .is_some_and(|path| match self.import_file(path) {
                Some(k) => {
                    !h.files.contains(&k)
                        && project
                            .type_files
                            .get(name)
                            .is_some_and(|fs| fs.contains(&k))
                }
                None => path.starts_with('.'),
            });
        (!other).then_some(h)
    }

    /// The health-record type that a store type holds (`VisitRepository` → `Visit`).
    fn store_of(&self, ty: &str) -> Option<&str> {
        types::segments(ty).find_map(|s| {
            if let Some(h) = self.store_types.get(s) {
                return Some(h.as_str());
            }
            if self.declared_types.contains(s) {
                return None;
            }
            self.project
                .and_then(|p| p.store_types.get(s))
                .map(String::as_str)
        })
    }

    /// A source for a value of a health-record type: the type's field categories and direct
    /// identifier travel with it.
    fn typed_source(&self, span: Span, message: String, ty: &str) -> Rc<Taint> {
        let t = self.source(span, message, false, None);
        let Some(h) = self.project_health_type(ty) else {
            return t;
        };
        let mut t = (*t).clone();
        t.categories.extend(h.categories.iter().copied());
        t.direct_id |= h.direct_id;
        t.sensitivity = h
            .categories
            .iter()
            .map(|c| sensitivity(self.cls, *c))
            .max()
            .unwrap_or(1);
        Rc::new(t)
    }

    /// Record a decision about a value on the traced line.
    pub(crate) fn note(&self, span: Span, health: bool, why: String) {
        if self.opts.trace_line != Some(span.start_line) {
            return;
        }
        self.trace.borrow_mut().push(crate::finding::TraceEntry {
            path: self.input.path.to_string(),
            line: span.start_line,
            col: span.start_col,
            text: self.short(span),
            health,
            why,
        });
    }

    pub(crate) fn source(
        &self,
        span: Span,
        message: String,
        direct_id: bool,
        category: Option<u16>,
    ) -> Rc<Taint> {
        if self.opts.trace_line == Some(span.start_line) {
            let why = message
                .split_once(" — ")
                .map(|(_, w)| w.to_string())
                .unwrap_or_else(|| message.clone());
            self.note(span, true, format!("a source: {why}"));
        }
        Rc::new(Taint {
            steps: vec![self.step(span, message)],
            direct_id,
            categories: category.into_iter().collect(),
            real: true,
            params: 0,
            sensitivity: category.map_or(1, |c| sensitivity(self.cls, c)),
            ..Taint::default()
        })
    }

    pub(crate) fn step(&self, span: Span, message: String) -> FlowStep {
        FlowStep {
            path: self.file.clone(),
            span,
            message: crate::finding::shared_text(message),
        }
    }

    fn extend(&self, t: &Rc<Taint>, span: Span, message: String) -> Rc<Taint> {
        // A parameter's own path is not kept step by step: summaries cite the parameter.
        if !t.real || t.steps.last().is_some_and(|s| s.span == span) {
            return t.clone();
        }
        let mut n = (**t).clone();
        if n.steps.len() >= MAX_STEPS {
            n.steps.remove(1);
        }
        n.steps.push(self.step(span, message));
        n.total += 1;
        Rc::new(n)
    }

    pub(crate) fn text(&self, span: Span) -> &str {
        self.input
            .source
            .get(span.start_byte as usize..span.end_byte as usize)
            .unwrap_or("")
    }

    /// The code at `span` on one line, shortened, for a code span in a message: a backtick
    /// in it would end the span, so it shows as `'`.
    pub(crate) fn short(&self, span: Span) -> String {
        let t = self.text(span);
        let one: String = t
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace('`', "'");
        if one.chars().count() > 60 {
            let cut: String = one.chars().take(57).collect();
            format!("{cut}...")
        } else {
            one
        }
    }

    pub(crate) fn line_text(&self, line: u32) -> String {
        let i = line.saturating_sub(1) as usize;
        let start = self.line_starts.get(i).copied().unwrap_or(0);
        let end = self
            .line_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.input.source.len());
        self.input
            .source
            .get(start..end)
            .unwrap_or("")
            .trim()
            .to_string()
    }

    // ------------------------------------------------------------------ statements

    fn block(&mut self, stmts: &[Stmt], env: &mut Env) {
        for s in stmts {
            // Past the file's time budget: stop; the scan reports the file as skipped.
            if crate::budget::expired() {
                return;
            }
            self.stmt(s, env);
        }
    }

    fn stmt(&mut self, s: &Stmt, env: &mut Env) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match s {
            Stmt::Assign {
                targets,
                value,
                augmented,
                ty,
                span,
            } => {
                let mut v = self.expr(value, env);
                if *augmented {
                    let mut numeric = false;
                    for t in targets {
                        if let Some(old) = self.target_value(t, env) {
                            let literal = old.constant
                                && old
                                    .text
                                    .as_deref()
                                    .is_some_and(|x| x.parse::<f64>().is_ok());
                            numeric |= !old.tainted() && (literal || self.is_number_value(&old));
                            v = v.join(&old);
                        }
                    }
                    // `total += item.amount` in a loop, from `total = 0`: a sum over the
                    // items, an aggregate.
                    if numeric && self.loops > 0 {
                        if v.tainted() {
                            self.note(
                                *span,
                                false,
                                "a running total over a loop's items, an aggregate".to_string(),
                            );
                        }
                        v = Value::constant(Some("0".to_string()));
                    }
                }
                if let Some(t) = ty {
                    if self.is_health_type(t) && !v.constant {
                        // A parameter's data typed as a record is that record (and still the
                        // parameter's, for the function's summary).
                        let subject = match targets.first() {
                            Some(Target::Name(n, _)) => n.clone(),
                            _ => self.short(*span),
                        };
                        self.type_as_record(&mut v, t, *span, &format!("`{subject}`"));
                    }
                    if v.ty.is_none() {
                        v.ty = Some(self.resolve_type_name(t));
                    }
                }
                for t in targets {
                    self.bind(t, v.clone(), env, Some(value));
                }
            }
            Stmt::Expr(e) => {
                self.expr(e, env);
            }
            Stmt::Return(e, _) => {
                if let Some(e) = e {
                    let mut v = self.expr(e, env);
                    self.declared_return(e.span, &mut v);
                    self.record_return(&v);
                }
            }
            Stmt::Branch { conds, arms } => {
                for c in conds {
                    self.expr(c, env);
                }
                let errors = self.failed_answer_arms(conds, arms.len(), env);
                self.arms(arms, env, &errors);
            }
            Stmt::Loop { target, iter, body } => {
                let it = iter.as_ref().map(|e| self.expr(e, env));
                self.loops += 1;
                for pass in 0..2 {
                    if pass == 1 && self.depth > 8 {
                        break;
                    }
                    let before = env.clone();
                    if let (Some(t), Some(it)) = (target, &it) {
                        self.bind_loop_target(t, iter.as_ref(), it, env);
                    }
                    self.block(body, env);
                    join_env(env, before);
                }
                self.loops -= 1;
            }
            Stmt::With { items, body } => {
                for (e, t) in items {
                    let v = self.expr(e, env);
                    if let Some(t) = t {
                        self.bind(t, v, env, Some(e));
                    }
                }
                self.block(body, env);
            }
            Stmt::Block(b) => self.block(b, env),
        }
        self.depth -= 1;
    }

    /// `if (!response.ok) { … }`, `if r.status_code != 200: …`, `if r.ok: … else: …`: the
    /// arms (by index) where an HTTP answer is known to be a failure, with its variable. Only
    /// `if`/`elif`/`else` chains (one more arm than conditions).
    fn failed_answer_arms(&self, conds: &[Expr], arms: usize, env: &Env) -> Vec<(usize, String)> {
        let flow = &self.pats.file.flow;
        if arms != conds.len() + 1
            || (flow.success_flags.is_empty()
                && flow.failure_flags.is_empty()
                && flow.status_fields.is_empty())
        {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, c) in conds.iter().enumerate() {
            let Some((var, says_failed)) = self.answer_test(c) else {
                continue;
            };
            if env.get(var).is_none_or(|v| v.query.is_none()) {
                continue;
            }
            if says_failed {
                out.push((i, var.to_string()));
            } else {
                out.extend((i + 1..arms).map(|a| (a, var.to_string())));
            }
        }
        out
    }

    /// A condition that tests whether an HTTP answer succeeded: the answer's variable, and
    /// whether the condition holding means the request failed. Reads a flag (`r.ok`,
    /// `resp.status().is_success()`) or a comparison of the status with a code
    /// (`r.status_code != 200`, `res.status >= 400`, `resp.status() == StatusCode::OK`).
    fn answer_test<'e>(&self, c: &'e Expr) -> Option<(&'e str, bool)> {
        let flow = &self.pats.file.flow;
        let mut negated = false;
        let mut e = c;
        loop {
            match &e.kind {
                ExprKind::Unary {
                    negates_to_bool: true,
                    operand,
                } => {
                    negated = !negated;
                    e = operand;
                }
                ExprKind::Wrap(inner) => e = inner,
                _ => break,
            }
        }
        if let ExprKind::Binary {
            op: BinOp::Compare(cmp),
            left,
            right,
        } = &e.kind
        {
            let (status, code, cmp) = match (self.status_read(left), self.status_read(right)) {
                (Some(s), None) => (s, right, *cmp),
                (None, Some(s)) => (s, left, cmp.mirrored()),
                _ => return None,
            };
            let code = status_code(code)?;
            let failed = match cmp {
                Cmp::Eq if (200..300).contains(&code) => false,
                Cmp::Eq if code >= 400 => true,
                Cmp::Ne if (200..300).contains(&code) => true,
                Cmp::Ge if (300..=500).contains(&code) => true,
                Cmp::Gt if (299..500).contains(&code) => true,
                Cmp::Lt if (300..=400).contains(&code) => false,
                Cmp::Le if (299..400).contains(&code) => false,
                _ => return None,
            };
            return Some((status, failed != negated));
        }
        let (obj, attr) = method_or_attr(e)?;
        let var = self.answer_var(obj)?;
        let failed = if flow.success_flags.iter().any(|f| f == attr) {
            false
        } else if flow.failure_flags.iter().any(|f| f == attr) {
            true
        } else {
            return None;
        };
        Some((var, failed != negated))
    }

    /// `r.status_code`, `resp.status()`: the answer's variable.
    fn status_read<'e>(&self, e: &'e Expr) -> Option<&'e str> {
        let (obj, attr) = method_or_attr(e)?;
        if !self.pats.file.flow.status_fields.iter().any(|f| f == attr) {
            return None;
        }
        match &obj.kind {
            ExprKind::Name(v) => Some(v),
            _ => None,
        }
    }

    /// The variable of an answer, or of its status (`resp.status().is_success()`).
    fn answer_var<'e>(&self, e: &'e Expr) -> Option<&'e str> {
        match &e.kind {
            ExprKind::Name(v) => Some(v),
            _ => self.status_read(e),
        }
    }

    /// Run each arm from the same state and merge; `errors` names the HTTP answers that are
    /// failures in some arms (their bodies there are error messages).
    fn arms(&mut self, arms: &[Block], env: &mut Env, errors: &[(usize, String)]) {
        let start = env.clone();
        let mut out: Option<Env> = None;
        for (i, arm) in arms.iter().enumerate() {
            let mut e = start.clone();
            for (_, var) in errors.iter().filter(|(a, _)| *a == i) {
                if let Some(v) = e.get_mut(var) {
                    v.query = None;
                }
            }
            self.block(arm, &mut e);
            match &mut out {
                None => out = Some(e),
                Some(o) => join_env(o, e),
            }
        }
        if let Some(o) = out {
            *env = o;
        }
    }

    /// Bind a loop's target to the items of `it`, the value of the loop's `iter`.
    fn bind_loop_target(&mut self, t: &Target, iter: Option<&Expr>, it: &Value, env: &mut Env) {
        let el = self.element(it);
        // `for i, row in enumerate(rows)`: the index is a count.
        if let (Target::Tuple(ts), Some(ExprKind::Call(c))) = (t, iter.map(|e| &e.kind)) {
            if ts.len() == 2 {
                let callee = self.path_of(&c.callee, env, true);
                if self.matches_any(&self.pats.file.flow.indexed_items, &[&callee]) {
                    self.bind(&ts[0], Value::clean(), env, None);
                    self.bind(&ts[1], el, env, None);
                    return;
                }
                // `for key, value in record.items()`: keys name the parts, unless the key is
                // named as the patient's identifier (`for mrn, chart in charts.items()`).
                if self.matches_any(&self.pats.file.flow.keyed_items, &[&callee]) {
                    match &ts[0] {
                        Target::Name(n, _) if self.cls.classify_name(n).direct_id => {
                            self.bind(&ts[0], el.clone(), env, iter);
                        }
                        key => self.bind(key, Value::clean(), env, None),
                    }
                    self.bind(&ts[1], el, env, None);
                    return;
                }
            }
        }
        // A loop variable named as the patient's identifier is one, like an assigned variable
        // (`for patient_id in ids`). Other health names are not evidence here: loops walk
        // catalogs (`for disease in entry["diseases"]`).
        let rhs =
            iter.filter(|_| matches!(t, Target::Name(n, _) if self.cls.classify_name(n).direct_id));
        self.bind(t, el, env, rhs);
    }

    /// An element of a collection value (loop variables, comprehension targets).
    fn element(&self, v: &Value) -> Value {
        Value {
            taint: v.taint.clone(),
            context: v.context,
            from_call: v.from_call,
            // The items of a literal list, of `range(n)`: constants too.
            constant: v.constant && !v.tainted(),
            // The items a generator of project records yields (`for v in parser.parse()`), or
            // a query of a model's records (`for v in db.query(Vital).all()`).
            ty: v.ty.as_deref().and_then(|t| {
                if self.record_type_of(t).is_some() {
                    return Some(t.to_string());
                }
                // The records of a model class (its path, no call): instances of it.
                let class = v.context
                    && !t.ends_with(')')
                    && self.health_type(t.rsplit('.').next()?).is_some();
                class.then(|| format!("{t}()"))
            }),
            ..Value::default()
        }
    }

    fn target_value(&mut self, t: &Target, env: &mut Env) -> Option<Value> {
        match t {
            Target::Name(n, _) => env.get(n).cloned(),
            Target::Attr { obj, attr, span } => {
                let e = Expr::new(
                    ExprKind::Attr {
                        obj: Box::new(obj.clone()),
                        attr: attr.clone(),
                    },
                    *span,
                );
                Some(self.expr(&e, env))
            }
            _ => None,
        }
    }

    /// Bind `v` to a target. `rhs` is the assigned expression, when there is one.
    fn bind(&mut self, t: &Target, mut v: Value, env: &mut Env, rhs: Option<&Expr>) {
        match t {
            Target::Name(n, span) => {
                if n == "_" {
                    return;
                }
                // `total_num_patients += deleted`: a variable named as a quantity holds a
                // count or an amount, whatever it was computed from.
                if (v.tainted() || v.context) && self.cls.is_quantity_name(n) {
                    if self.opts.trace_line == Some(span.start_line) {
                        self.note(*span, false, format!("`{n}` is named as a quantity"));
                    }
                    v = Value {
                        ty: v.ty.take(),
                        ..Value::default()
                    };
                }
                self.name_taints(n, *span, &mut v, rhs);
                if self.opts.trace_line == Some(span.start_line) {
                    match v.taint.as_ref().filter(|t| t.real) {
                        Some(t) => {
                            let from = t
                                .steps
                                .first()
                                .map(|s| s.message.clone())
                                .unwrap_or_default();
                            self.note(*span, true, format!("`{n}` holds health data from {from}"));
                        }
                        None => self.note(*span, false, format!("`{n}` holds no health data")),
                    }
                }
                env.insert(n.clone(), v);
            }
            Target::Attr { obj, attr, span } => {
                let obj_v = self.expr(obj, env);
                // `session.verify = False`: that client's requests skip TLS verification.
                if let Some(base) = obj.dotted() {
                    let insecure = self.pats.file.flow.insecure.iter().any(|rule| {
                        rule.split_once('=').is_some_and(|(name, val)| {
                            name == attr
                                && v.text
                                    .as_deref()
                                    .is_some_and(|t| t.rsplit('.').next() == Some(val))
                        })
                    });
                    if insecure {
                        env.entry(base).or_default().insecure = true;
                    }
                }
                if rhs.is_some() {
                    let c = self.cls.classify_member(attr, obj_v.context);
                    self.named_store(&mut v, c, *span, rhs);
                }
                if rhs.is_some() {
                    self.store_into_object(obj, &obj_v, attr, &v, *span);
                    self.endpoint_attr(obj, attr, &v, env);
                }
                if let Some(base) = obj.dotted() {
                    if v.tainted() {
                        self.taint_var(&base, &v, *span, env, true);
                    }
                    env.insert(format!("{base}.{attr}"), v);
                }
            }
            Target::Index { obj, index, span } => {
                let key = self.expr(index, env);
                if let Some(k) = key.text.as_deref() {
                    let c = self.cls.classify_name(k);
                    self.named_store(&mut v, c, *span, rhs);
                }
                if let Some(base) = obj.dotted() {
                    if v.tainted() {
                        self.taint_var(&base, &v, *span, env, false);
                    }
                }
            }
            Target::Tuple(ts) => {
                let items = match rhs.map(|e| &e.kind) {
                    Some(ExprKind::Collection(items)) if items.len() == ts.len() => Some(items),
                    _ => None,
                };
                for (i, t) in ts.iter().enumerate() {
                    match items {
                        Some(items) => {
                            let iv = self.expr(&items[i], env);
                            self.bind(t, iv, env, Some(&items[i]));
                        }
                        None => {
                            // Unpacked from one value (`Ok(patient_ids) =>`, `a, b = f()`):
                            // the whole right-hand side is what each name is assigned.
                            let el = self.element(&v);
                            self.bind(t, el, env, rhs);
                        }
                    }
                }
            }
            Target::Starred(t) => self.bind(t, v, env, None),
            Target::Ignore => {}
        }
    }

    /// A value stored under a health-data name (`rec.diagnosis = x`, `d["nir"] = x`) is health
    /// data, unless it is a constant.
    fn named_store(
        &self,
        v: &mut Value,
        c: crate::classify::NameClass,
        span: Span,
        rhs: Option<&Expr>,
    ) {
        if c.health && !v.real() && !v.constant && !self.rhs_is_clean(rhs) {
            v.add_source(self.source(
                span,
                format!(
                    "`{}` — stored under a name for {}",
                    self.short(span),
                    self.label(&c)
                ),
                c.direct_id,
                c.category,
            ));
        }
    }

    fn rhs_is_clean(&self, rhs: Option<&Expr>) -> bool {
        matches!(
            rhs.map(|e| &e.kind),
            Some(ExprKind::Const(_))
                | Some(ExprKind::Str(_))
                | Some(ExprKind::Binary {
                    op: BinOp::Compare(_),
                    ..
                })
                | Some(ExprKind::Unary {
                    negates_to_bool: true,
                    ..
                })
        )
    }

    /// A count, a flag or a time read through calls that pass it on
    /// (`patients::table.count().get_result(conn)?`): not the records it counts.
    /// A value made by a number type's constructor (`Decimal('0')`, `[flow] number_types`):
    /// a running total started with one is a number.
    fn is_number_value(&self, v: &Value) -> bool {
        let Some(ty) = v.ty.as_deref() else {
            return false;
        };
        let base = ty.split('(').next().unwrap_or(ty);
        self.pats.file.flow.number_types.iter().any(|n| n == base)
    }

    /// The calls an assigned value is made by, outermost first: through grouping, a fallback
    /// (`x or ""`, when `fallback`) and pass-through methods (`.strip()`), up to and
    /// including the first call that is no pass-through method.
    fn rhs_calls<'e>(&self, rhs: Option<&'e Expr>, fallback: bool) -> Vec<&'e Call> {
        let mut out = Vec::new();
        let Some(mut e) = rhs else { return out };
        for _ in 0..32 {
            match &e.kind {
                ExprKind::Wrap(inner) => e = inner,
                ExprKind::Binary {
                    op: BinOp::Logic,
                    left,
                    ..
                } if fallback => e = left,
                ExprKind::Call(c) => {
                    out.push(&**c);
                    match &c.callee.kind {
                        ExprKind::Attr { obj, attr } if self.is_passthrough_method(attr) => e = obj,
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        out
    }

    fn is_passthrough_method(&self, name: &str) -> bool {
        let flow = &self.pats.file.flow;
        flow.passthrough_methods.iter().any(|m| m == name)
    }

    /// The name of the call an assigned value comes from (`clinical =
    /// (Config.get_clinical_model() or "").strip()` → `get_clinical_model`).
    fn rhs_origin_call<'e>(&self, rhs: Option<&'e Expr>) -> Option<&'e str> {
        match &self.rhs_calls(rhs, true).last()?.callee.kind {
            ExprKind::Attr { attr, .. } if !self.is_passthrough_method(attr) => Some(attr),
            ExprKind::Name(n) => Some(n),
            _ => None,
        }
    }

    /// The variable a value is read from through fields, items and getters
    /// (`catalog.entries["x"].get("code")` → `catalog`).
    fn read_root<'e>(&self, e: &'e Expr) -> Option<&'e str> {
        let mut e = e;
        for _ in 0..64 {
            match &e.kind {
                ExprKind::Name(n) => return Some(n),
                ExprKind::Wrap(inner) => e = inner,
                ExprKind::Attr { obj, .. } | ExprKind::Index { obj, .. } => e = obj,
                ExprKind::Call(c) => match &c.callee.kind {
                    ExprKind::Attr { obj, attr }
                        if self.pats.file.flow.getters.iter().any(|g| g == attr) =>
                    {
                        e = obj
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// The text a call's result is known to hold though the call passes no data on:
    /// - the SQL a query builder is given (`text(f"SELECT … {where}")`), read or write,
    ///   whatever is interpolated;
    /// - the literal default of an environment read (`os.getenv("FHIR_URL", "http://fhir:8080")`),
    ///   where the value points unless the deployment says otherwise.
    fn call_text(&self, c: &Call, env: &Env) -> Option<String> {
        let flow = &self.pats.file.flow;
        let first = c.args.first()?;
        let statement = match &first.value.kind {
            ExprKind::Str(t) => Some(t),
            ExprKind::Template {
                literal,
                opens_with_text: true,
                ..
            } => Some(literal),
            _ => None,
        }
        .filter(|t| crate::classify::is_sql_statement(t));
        if statement.is_none() && flow.env_readers.is_empty() {
            return None;
        }
        let d = self.path_of(&c.callee, env, true);
        if let Some(t) = statement {
            if self.matches_any(&flow.query_builders, &[d.as_str()]) {
                return Some(t.clone());
            }
        }
        if !flow.env_readers.contains(&d) {
            return None;
        }
        let default = c
            .args
            .iter()
            .find(|a| a.name.as_deref() == Some("default"))
            .or_else(|| c.args.get(1).filter(|a| a.name.is_none()))?;
        str_text(&default.value)
    }

    /// A count or a flag read through methods of the value (`rows.count().get_result()`).
    fn rhs_is_count(&self, rhs: Option<&Expr>) -> bool {
        for c in self.rhs_calls(rhs, false) {
            let ExprKind::Attr { attr, .. } = &c.callee.kind else {
                return false;
            };
            let path = c.callee.dotted().unwrap_or_else(|| format!("_.{attr}"));
            if self.pats.clean.is_match(&[path.as_str()]) {
                return true;
            }
        }
        false
    }

    /// A health-named variable assigned something that is not a constant holds health data,
    /// and so does the value of the project's own function named for health data
    /// (`hr = read_heart_rate()`).
    fn name_taints(&self, n: &str, span: Span, v: &mut Value, rhs: Option<&Expr>) {
        if v.real() || self.rhs_is_clean(rhs) || rhs.is_none() || self.rhs_is_count(rhs) {
            return;
        }
        // `clinical = (Config.get_clinical_model() or "").strip()`: what a call named for
        // configuration or reference data returns, whatever the variable is called.
        if let Some(f) = self.rhs_origin_call(rhs) {
            if self.cls.is_reference_or_negative(f) {
                if self.opts.trace_line == Some(span.start_line) {
                    self.note(
                        span,
                        false,
                        format!("`{n}` is what `{f}` returns: configuration or reference data"),
                    );
                }
                // Like a literal: stored under any key, it names nothing of a person.
                v.constant = true;
                return;
            }
        }
        // `vital_code = catalog_selection.get("code")`: read from a value named as reference
        // data or configuration, whatever the variable is called.
        if let Some(root) = rhs.and_then(|e| self.read_root(e)) {
            if self.cls.is_reference_or_negative(root) {
                return;
            }
        }
        // `cim10 = pd.read_csv("ref/cim10_libelles.csv")`: a file whose path names reference
        // data holds that, whatever the variable is called.
        if let Some(ExprKind::Call(c)) = rhs.map(|e| &e.kind) {
            if c.args
                .first()
                .and_then(|a| str_text(&a.value))
                .is_some_and(|t| self.cls.is_reference_name(&t))
            {
                return;
            }
        }
        let named = |c: &crate::classify::NameClass| format!("named as {}", self.label(c));
        let c = self.cls.classify_name(n);
        // A literal is reference data (`ICD10_CHAPTERS = {...}`), unless it is written as a
        // patient's record (`patient = {"diagnosis": "E11.9"}` in a test).
        if v.constant && !(c.context && matches!(rhs.map(|e| &e.kind), Some(ExprKind::Dict(_)))) {
            return;
        }
        v.constant = false;
        let (c, why) = if c.health {
            let why = format!("`{n}` — a variable {}", named(&c));
            (c, why)
        } else {
            // `fa_status, body = call_patient_service(…)`: a status named as one is not the
            // record the function is named for.
            if self.cls.is_metadata_name(n) || self.cls.is_count_name(n) {
                return;
            }
            let Some(fname) = self.own_callee(rhs) else {
                return;
            };
            let c = self.cls.classify_name(fname);
            let why = format!("`{n}` — returned by `{fname}`, {}", named(&c));
            (c, why)
        };
        if c.health {
            v.add_source(self.source(span, why, c.direct_id, c.category));
            v.context |= c.context;
        }
    }

    /// The items of `await Promise.all([a, b])` / `asyncio.gather(a, b)`, in order.
    fn gathered<'e>(&self, e: &'e Expr) -> Option<&'e Vec<Expr>> {
        let mut e = e;
        while let ExprKind::Wrap(inner) = &e.kind {
            e = inner;
        }
        let ExprKind::Call(call) = &e.kind else {
            return None;
        };
        let callee = call.callee.dotted()?;
        if !self.pats.file.flow.gather.contains(&callee) {
            return None;
        }
        match call.args.as_slice() {
            [a] => match &a.value.kind {
                ExprKind::Collection(items) => Some(items),
                _ => None,
            },
            _ => None,
        }
    }

    /// `Promise.all([a, b])`: the items' values joined, each a part named by its position,
    /// so that unpacking it (`const [x, y] = …`) gives each name its own item's value.
    fn gather(&mut self, items: &[Expr], env: &mut Env) -> Value {
        let mut v = Value::default();
        let mut tainted = Vec::new();
        let mut real = Vec::new();
        for (i, it) in items.iter().enumerate() {
            let iv = self.expr(it, env);
            if iv.tainted() {
                tainted.push(i.to_string());
            }
            if iv.real() {
                real.push(i.to_string());
            }
            v = v.join(&Value {
                text: None,
                ty: None,
                endpoint: None,
                fields: None,
                real_fields: None,
                ..iv
            });
        }
        v.context = false;
        if v.tainted() {
            v.fields = Some(Rc::new(tainted));
            v.real_fields = Some(Rc::new(real));
        }
        v
    }

    /// The name of the project function `rhs` calls directly (`f()`, `self.f()`), if any.
    fn own_callee<'e>(&self, rhs: Option<&'e Expr>) -> Option<&'e str> {
        let mut e = rhs?;
        while let ExprKind::Wrap(inner) = &e.kind {
            e = inner;
        }
        let ExprKind::Call(call) = &e.kind else {
            return None;
        };
        let fname = match &call.callee.kind {
            ExprKind::Name(f) => f,
            ExprKind::Attr { obj, attr } if obj.dotted().as_deref() == Some("self") => attr,
            _ => return None,
        };
        (!self.imports.contains_key(fname.as_str())).then_some(fname.as_str())
    }

    /// Merge `v`'s taint into variable `base` (a mutation: `messages.append(x)`, `d["k"] = x`).
    /// `field`: stored under one attribute, so only whole-object uses carry it.
    fn taint_var(&self, base: &str, v: &Value, span: Span, env: &mut Env, field: bool) {
        let Some(t) = &v.taint else { return };
        let step = self.extend(t, span, format!("stored into `{base}`"));
        let cur = env.entry(base.to_string()).or_default();
        let was_whole = cur.taint.is_some() && !cur.partial;
        cur.partial = field && !was_whole;
        cur.taint = join_taint(cur.taint.take(), Some(step));
        cur.constant = false;
    }

    // ------------------------------------------------------------------ expressions

    pub(crate) fn expr(&mut self, e: &Expr, env: &mut Env) -> Value {
        if self.depth > MAX_DEPTH {
            return Value::clean();
        }
        self.depth += 1;
        let v = self.expr_inner(e, env);
        self.depth -= 1;
        v
    }

    fn expr_inner(&mut self, e: &Expr, env: &mut Env) -> Value {
        match &e.kind {
            ExprKind::Name(n) => self.name(n, e.span, env),
            ExprKind::Attr { obj, attr } => self.attr(e, obj, attr, env),
            ExprKind::Index { obj, index } => {
                let ov = self.expr(obj, env);
                // `df[["age", "diagnosis"]]`: a selection of named columns reads each of them.
                if let ExprKind::Collection(keys) = &index.kind {
                    if !keys.is_empty() && keys.iter().all(|k| matches!(k.kind, ExprKind::Str(_))) {
                        let mut v = Value::default();
                        for k in keys {
                            if let ExprKind::Str(k) = &k.kind {
                                v = v.join(&self.index_by_key(e, obj, ov.clone(), Some(k)));
                            }
                        }
                        return v;
                    }
                }
                let iv = self.expr(index, env);
                let key = iv.text.as_deref().filter(|_| iv.constant);
                self.index_by_key(e, obj, ov, key)
            }
            ExprKind::Call(c) => match self.gathered(e) {
                Some(items) => self.gather(items, env),
                None => {
                    let mut v = self.call(e, c, env);
                    if v.text.is_none() {
                        v.text = self.call_text(c, env);
                    }
                    self.typed_call(e, c, v)
                }
            },
            ExprKind::Str(s) => self.str_value(s, e.span, None),
            ExprKind::Template { literal, parts, .. } => {
                let mut v = Value::default();
                let mut first_text = None;
                // "Summarize the following patient consultation: {transcript}": the text
                // says what the values written into it are.
                let phrase = self.cls.record_phrase(literal).map(str::to_string);
                for (i, p) in parts.iter().enumerate() {
                    let mut pv = self.expr(p, env);
                    if i == 0 {
                        first_text = pv.text.clone();
                    }
                    if let Some(ph) = &phrase {
                        self.named_by_text(p, &mut pv, ph);
                    }
                    v = v.join(&Value { text: None, ..pv });
                }
                v.constant = parts.is_empty();
                let text = match first_text {
                    Some(t) if !literal.contains("://") => format!("{t}{literal}"),
                    _ => literal.clone(),
                };
                // The template's own text is the query (`format!("SELECT {COLS} FROM t")`).
                let queries: Vec<&str> = [text.as_str(), literal.as_str()]
                    .into_iter()
                    .filter(|q| self.cls.sql_reads_health(q))
                    .collect();
                if !queries.is_empty() {
                    v.query = Some(self.source(
                        e.span,
                        "SQL query reads health data".to_string(),
                        false,
                        None,
                    ));
                    v.query_person = queries.iter().any(|q| self.cls.sql_reads_person(q));
                }
                v.text = Some(text);
                if let Some(t) = &v.taint {
                    v.taint = Some(self.extend(t, e.span, "formatted into a string".to_string()));
                }
                v
            }
            ExprKind::Const(c) => Value::constant(Some(c.clone())),
            ExprKind::Collection(items) => {
                let mut v = Value::default();
                let mut all_constant = true;
                for it in items {
                    let iv = self.expr(it, env);
                    all_constant &= iv.constant;
                    v = v.join(&Value {
                        text: None,
                        ty: None,
                        endpoint: None,
                        ..iv
                    });
                }
                v.context = false;
                // A list of literals (`ICD10_CODES = ["E11.9", ...]`) is a constant.
                v.constant = all_constant;
                v
            }
            ExprKind::Dict(entries) => {
                let mut v = Value::default();
                // Named parts: (key, carries taint); None once a key is not a constant.
                let mut parts: Option<Vec<(String, bool, bool)>> = Some(Vec::new());
                // Constant keys with the constant text of their value, if any.
                let mut keyed: Vec<(String, Option<String>)> = Vec::new();
                // `{ client, deployment }`: where a client object kept in a field talks to.
                let mut client_endpoint = None;
                // Literal keys and values only (`ICD10_CHAPTERS = {"II": "Neoplasms"}`): a
                // constant, reference data rather than a person's.
                let mut all_constant = !entries.is_empty();
                for (k, val) in entries {
                    let kv = k.as_ref().map(|k| self.expr(k, env));
                    let mut vv = self.expr(val, env);
                    all_constant &= vv.constant && kv.as_ref().is_some_and(|k| k.constant);
                    let counted = val.dotted().is_some_and(|d| {
                        self.cls.is_count_name(d.rsplit('.').next().unwrap_or(&d))
                    });
                    // `fhirResources: {}`, `patients_per_hospital: HashMap::new()`: an empty
                    // container named for what it will hold.
                    let empty = match &val.kind {
                        ExprKind::Dict(e) => e.is_empty(),
                        ExprKind::Collection(i) => i.is_empty(),
                        ExprKind::Call(c) => {
                            c.args.is_empty()
                                && c.callee.dotted().is_some_and(|d| {
                                    self.pats
                                        .file
                                        .flow
                                        .empty_containers
                                        .iter()
                                        .any(|g| crate::patterns::glob_match(g, &d))
                                })
                        }
                        _ => false,
                    };
                    if !vv.real() && !vv.constant && !counted && !empty {
                        // `Stats { active_patients }`: the variable's own name, weighed where it
                        // was bound (a count there), says nothing new.
                        let shorthand = |key: &str| matches!(&val.kind, ExprKind::Name(n) if n == key && env.contains_key(n));
                        if let Some(key) = kv
                            .as_ref()
                            .and_then(|k| k.text.clone())
                            .filter(|key| !shorthand(key))
                        {
                            let c = self.cls.classify_name(&key);
                            if c.health {
                                vv.taint = Some(self.source(
                                    val.span,
                                    format!(
                                        "`{}` — a key naming {}",
                                        key.replace('`', "'"),
                                        self.label(&c)
                                    ),
                                    c.direct_id,
                                    c.category,
                                ));
                            }
                        }
                    }
                    if let Some(key) = kv.as_ref().and_then(|k| k.text.clone()) {
                        keyed.push((key, vv.constant.then(|| vv.text.clone()).flatten()));
                    }
                    if client_endpoint.is_none()
                        && vv.ty.as_deref().is_some_and(|t| t.ends_with(')'))
                    {
                        client_endpoint.clone_from(&vv.endpoint);
                    }
                    match (kv.as_ref().and_then(|k| k.text.clone()), parts.as_mut()) {
                        (Some(key), Some(p)) => p.push((key, vv.tainted(), vv.real())),
                        // `{...common, labName}`: a spread brings its own named parts; a clean
                        // one brings none.
                        (None, Some(_)) if k.is_none() && !vv.tainted() => {}
                        (None, Some(p)) if k.is_none() && vv.fields.is_some() => {
                            let real = |f: &String| {
                                vv.real() && vv.real_fields.as_ref().is_none_or(|r| r.contains(f))
                            };
                            for f in vv.fields.iter().flat_map(|f| f.iter()) {
                                p.push((f.clone(), true, real(f)));
                            }
                        }
                        _ => parts = None,
                    }
                    v = v.join(&Value {
                        text: None,
                        ty: None,
                        endpoint: None,
                        context: false,
                        fields: None,
                        real_fields: None,
                        ..vv
                    });
                }
                if let Some(ty) = self.cls.resource_literal_type(&keyed) {
                    // `{"resourceType": "Immunization", ...}`: the whole object is the record.
                    v.add_source(self.typed_source(
                        e.span,
                        format!("a FHIR `{ty}` resource written as JSON (`resourceType` `{ty}`)"),
                        ty,
                    ));
                    v.context = self.project_health_type(ty).is_none_or(|h| h.patient);
                    v.constant = false;
                    return v;
                }
                if v.endpoint.is_none() {
                    v.endpoint = client_endpoint;
                }
                v.constant = all_constant && !v.tainted();
                if let Some(p) = parts {
                    let named = |pick: &dyn Fn(&(String, bool, bool)) -> bool| {
                        let mut f: Vec<String> =
                            p.iter().filter(|x| pick(x)).map(|x| x.0.clone()).collect();
                        f.sort();
                        f.dedup();
                        Some(Rc::new(f))
                    };
                    // Every key is known: reading another reads nothing.
                    if v.tainted() {
                        v.fields = named(&|x| x.1);
                    }
                    if v.real() {
                        v.real_fields = named(&|x| x.2);
                    }
                }
                v
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.expr(left, env);
                let r = self.expr(right, env);
                match op {
                    BinOp::Compare(_) => Value::clean(),
                    BinOp::Arith | BinOp::Logic => {
                        let text = match (&l.text, &r.text) {
                            (Some(a), Some(b)) if *op == BinOp::Arith => Some(format!("{a}{b}")),
                            (Some(a), _) => Some(a.clone()),
                            // `base_url or settings.registry_url`: the fallback.
                            (None, Some(b)) if *op == BinOp::Logic => Some(b.clone()),
                            _ => None,
                        };
                        // `session or boto3.Session()`: an object of the fallback's type when
                        // both sides are objects.
                        let ty = match (*op, &l.ty, &r.ty) {
                            (BinOp::Logic, Some(_), Some(b)) => Some(b.clone()),
                            _ => None,
                        };
                        let mut v = l.join(&r);
                        v.text = text;
                        v.ty = ty;
                        v
                    }
                }
            }
            ExprKind::Unary {
                negates_to_bool,
                operand,
            } => {
                let v = self.expr(operand, env);
                if *negates_to_bool {
                    Value::clean()
                } else {
                    v
                }
            }
            ExprKind::Branch { conds, arms } => {
                for c in conds {
                    self.expr(c, env);
                }
                let mut out: Option<Value> = None;
                for a in arms {
                    let v = self.expr(a, env);
                    out = Some(match out {
                        None => v,
                        Some(o) => o.join(&v),
                    });
                }
                out.unwrap_or_default()
            }
            ExprKind::Lambda { params, body } => {
                self.lambda(params, body, &Value::clean(), env);
                Value::clean()
            }
            ExprKind::Comprehension {
                generators,
                conds,
                element,
            } => {
                let mut inner = env.clone();
                for (t, it) in generators {
                    let iv = self.expr(it, &mut inner);
                    let el = self.element(&iv);
                    self.bind(t, el, &mut inner, None);
                }
                for c in conds {
                    self.expr(c, &mut inner);
                }
                let v = self.expr(element, &mut inner);
                Value {
                    taint: v.taint,
                    context: false,
                    ..Value::default()
                }
            }
            ExprKind::Wrap(inner) => self.expr(inner, env),
            ExprKind::Block { stmts, value } => {
                self.block(stmts, env);
                match value {
                    Some(v) => self.expr(v, env),
                    None => Value::clean(),
                }
            }
            ExprKind::AssignExpr { target, value } => {
                let v = self.expr(value, env);
                self.bind(target, v.clone(), env, Some(value));
                v
            }
            ExprKind::Other(children) => {
                let mut v = Value::default();
                for c in children {
                    let cv = self.expr(c, env);
                    v = v.join(&cv);
                }
                v.ty = None;
                v
            }
        }
    }

    /// Analyse a lambda / closure body; its parameters hold `param` (an element of the
    /// collection it is applied to, when known).
    fn lambda(&mut self, params: &[Param], body: &[Stmt], param: &Value, env: &mut Env) -> Value {
        let mut inner = env.clone();
        for p in params {
            let mut v = self.param_value(p);
            if param.tainted() {
                v = v.join(&self.element(param));
            }
            inner.insert(p.name.clone(), v);
        }
        let mut ret = Value::clean();
        for s in body {
            if let Stmt::Return(Some(e), _) = s {
                let v = self.expr(e, &mut inner);
                ret = ret.join(&v);
            } else {
                self.stmt(s, &mut inner);
            }
        }
        ret
    }

    fn name(&mut self, n: &str, span: Span, env: &mut Env) -> Value {
        if let Some(v) = env.get(n) {
            if self.opts.trace_line == Some(span.start_line) && !v.real() {
                if let Some(why) = self.cls.why_not_health(n) {
                    self.note(span, false, why);
                }
            }
            return v.clone();
        }
        if self.pats.file.flow.null_names.iter().any(|x| x == n) {
            return Value::constant(None);
        }
        if let Some(p) = self.imports.get(n) {
            // An imported model class used as a value (`session.query(Visit)`): its records.
            if n.chars().next().is_some_and(char::is_uppercase)
                && !crate::classify::is_constant_name(n)
                && self.is_health_type(n)
            {
                return self.records_of_type(n, span, p.clone());
            }
            let p = p.clone();
            if let Some(text) = self.imported_constant(&p) {
                return self.str_value(&text, span, Some(n));
            }
            return Value {
                ty: Some(p),
                ..Value::default()
            };
        }
        let c = if crate::classify::is_constant_name(n) {
            crate::classify::NameClass::NONE
        } else {
            self.cls.classify_name(n)
        };
        if c.health {
            let is_type = n.chars().next().is_some_and(|ch| ch.is_uppercase());
            return Value {
                taint: Some(self.source(
                    span,
                    if is_type {
                        format!("`{n}` — records of a health-record type")
                    } else {
                        format!("`{n}` — a name for {}", self.label(&c))
                    },
                    c.direct_id,
                    c.category,
                )),
                context: c.context || is_type,
                ty: is_type.then(|| n.to_string()),
                ..Value::default()
            };
        }
        if let Some(why) = self
            .opts
            .trace_line
            .filter(|l| *l == span.start_line)
            .and_then(|_| self.cls.why_not_health(n))
        {
            self.note(span, false, why);
        }
        if self.is_health_type(n) && n.chars().next().is_some_and(|ch| ch.is_uppercase()) {
            // A model / FHIR class used as a value: what it returns holds health data.
            return self.records_of_type(n, span, n.to_string());
        }
        Value::clean()
    }

    /// A string literal's value: its text, and what it is when it reads health data (an HL7
    /// message, a SQL query). `from` names the constant when it is another file's.
    fn str_value(&self, s: &str, span: Span, from: Option<&str>) -> Value {
        let mut v = Value::constant(Some(s.to_string()));
        let what = |w: &str| match from {
            Some(c) => format!("`{c}` — {w}"),
            None => w.to_string(),
        };
        if self.cls.is_health_message(s) {
            v.constant = false;
            v.taint = Some(self.source(
                span,
                what("HL7 v2 message literal"),
                false,
                Some(self.cls.care_record_category()),
            ));
        }
        if s.len() < 20_000 && self.cls.sql_reads_health(s) {
            v.query = Some(self.source(span, what("SQL query reads health data"), false, None));
            v.query_person = self.cls.sql_reads_person(s);
        }
        v
    }

    /// The text of a module-level string constant another project file declares, by its
    /// import path (`crate.config.SEGMENT_API`, `.queries.COHORT_SQL`).
    fn imported_constant(&mut self, path: &str) -> Option<String> {
        let project = self.project?;
        let fi = self.import_file(path)?;
        let name = path.rsplit('.').next()?;
        if !project.parsed.get(fi).copied().unwrap_or(true) {
            // Once that file is parsed, this one is analysed again; a destination or a query
            // is worth parsing it for.
            self.out.awaits.insert(fi);
            let flow = &self.pats.file.flow;
            if flow
                .wanted_constants
                .iter()
                .any(|g| crate::patterns::glob_match(g, name))
            {
                self.out.wanted.insert(fi);
            }
            return None;
        }
        project.constants.get(&fi)?.get(name).cloned()
    }

    /// The key of a path expression for [`Analyzer::file_data`]: an instance's field
    /// (`self.examples_path`) within its class, a name within its function.
    pub(crate) fn file_key(&self, e: &Expr) -> Option<String> {
        let d = self.path_expr(e).dotted()?;
        let instance = self
            .pats
            .file
            .flow
            .instance_receivers
            .iter()
            .any(|r| d.starts_with(&format!("{r}.")));
        Some(match (&self.scope.0, instance) {
            (Some(owner), true) => format!("{owner}#{d}"),
            _ => format!("{}#{d}", self.scope.1),
        })
    }

    /// The path itself under its other forms (`str(path)`, parentheses).
    fn path_expr<'e>(&self, mut e: &'e Expr) -> &'e Expr {
        loop {
            match &e.kind {
                ExprKind::Wrap(inner) => e = inner,
                // `str(path)`: the same path.
                ExprKind::Call(c)
                    if c.args.len() == 1
                        && c.callee.dotted().is_some_and(|d| {
                            self.pats.file.flow.file_path_wrappers.contains(&d)
                        }) =>
                {
                    e = &c.args[0].value
                }
                _ => return e,
            }
        }
    }

    /// `open(path, "w")` and `path.open("w")`: a handle that names the path's key.
    /// `open(path, "rb")`, `path.read_text()` of a path written with health data: that data.
    fn file_io(
        &mut self,
        e: &Expr,
        c: &Call,
        paths: &[&str],
        args: &[Value],
        ty: &Option<String>,
    ) -> Option<Value> {
        let flow = &self.pats.file.flow;
        let method = match &c.callee.kind {
            ExprKind::Attr { obj, attr } => Some((obj.as_ref(), attr.as_str())),
            _ => None,
        };
        // The open mode: by its keyword, or the argument after the path.
        let text_of = |i: usize| {
            c.args
                .iter()
                .zip(args)
                .enumerate()
                .find(|(j, (a, _))| match &a.name {
                    Some(n) => flow.file_mode_arg.as_deref() == Some(n.as_str()),
                    None => *j == i,
                })
                .and_then(|(_, (_, v))| v.text.clone())
        };
        let (path, mode) = if flow
            .file_openers
            .iter()
            .any(|o| paths.contains(&o.as_str()))
        {
            (&c.args.first()?.value, text_of(1))
        } else if let Some((obj, m)) = method {
            if flow.file_open_methods.iter().any(|x| x == m)
                && !self.imports.contains_key(&obj.dotted().unwrap_or_default())
            {
                (obj, text_of(0))
            } else if flow.file_readers.iter().any(|x| x == m) {
                (obj, None)
            } else {
                return None;
            }
        } else {
            return None;
        };
        let key = self.file_key(path)?;
        let writes = mode
            .as_deref()
            .is_some_and(|m| flow.file_write_modes.iter().any(|w| m.contains(w.as_str())));
        if writes {
            return Some(Value {
                file: Some(Rc::from(key)),
                ty: ty.clone(),
                ..Value::default()
            });
        }
        let t = self.file_content(path, e.span, || {
            "read back from the file it was written to".to_string()
        })?;
        Some(Value {
            taint: Some(t),
            ty: ty.clone(),
            ..Value::default()
        })
    }

    /// What the file at `path` holds, read at `at`: what this function or class wrote there
    /// (`step` says how it is read), or for a parameter's path the content of the file a
    /// caller names (`upload(path)` opening `path`; a summary's [`summary::CONTENT_PARAM`]).
    fn file_content(
        &self,
        path: &Expr,
        at: Span,
        step: impl FnOnce() -> String,
    ) -> Option<Rc<Taint>> {
        if let Some(t) = self.file_key(path).and_then(|k| self.file_data.get(&k)) {
            return Some(self.extend(t, at, step()));
        }
        let ExprKind::Name(n) = &self.path_expr(path).kind else {
            return None;
        };
        let cur = self.current.as_ref()?;
        let limit = summary::CONTENT_PARAM as usize;
        if cur.summary.params.len() > limit {
            return None;
        }
        let j = cur.summary.params.iter().position(|p| **p == **n)?;
        let mut first = cur.param_steps.get(j)?.clone();
        first.span = at;
        first.message = format!("the content of the file at `{n}`").into();
        Some(Rc::new(Taint {
            steps: vec![first],
            params: 1u64 << (limit + j),
            ..Taint::default()
        }))
    }

    /// A value written into text that calls it a person's clinical record (`phrase`): that
    /// record, unless it is a constant or named as metadata, a count or reference data.
    fn named_by_text(&self, p: &Expr, v: &mut Value, phrase: &str) {
        if v.real() || v.constant || v.text.is_some() {
            return;
        }
        let flow = &self.pats.file.flow;
        // An instance of the type (`int()`) or the type itself.
        let ty = v.ty.as_deref().map(|t| t.trim_end_matches("()"));
        if ty.is_some_and(|t| flow.number_types.iter().any(|n| n == t)) {
            return;
        }
        let Some(d) = p.dotted() else {
            return;
        };
        let last = d.rsplit('.').next().unwrap_or(&d);
        if self.cls.is_record_metadata(last)
            || self.cls.is_count_name(last)
            || self.cls.is_reference_name(last)
            || crate::classify::is_constant_name(last)
        {
            return;
        }
        let t = self.source(
            p.span,
            format!(
                "`{d}` — written into text that says it is a clinical record (`{}`)",
                phrase.trim()
            ),
            false,
            Some(self.cls.care_record_category()),
        );
        v.taint = join_taint(v.taint.take(), Some(t));
    }

    /// Arguments that name a path written with health data carry that data.
    fn file_contents(&self, c: &Call, args: &mut [Value]) {
        for (a, v) in c.args.iter().zip(args.iter_mut()) {
            let t = self.file_content(&a.value, a.value.span, || {
                format!("the content of the file at `{}`", self.short(a.value.span))
            });
            v.taint = join_taint(v.taint.take(), t);
        }
    }

    /// `Visit.objects.get(pk=1)`, `Visit.objects.filter(…).first()`: one record of the
    /// manager's type (`Visit()`), as `[flow] record_getters` say.
    fn manager_record(&self, path: &str) -> Option<String> {
        let flow = &self.pats.file.flow;
        let segs: Vec<&str> = path.split('.').map(|s| s.trim_end_matches("()")).collect();
        let (last, head) = segs.split_last()?;
        if !flow.record_getters.iter().any(|g| g == last) {
            return None;
        }
        let at = head
            .iter()
            .position(|s| flow.managers.iter().any(|m| m == s))
            .filter(|&i| i > 0)?;
        Some(format!("{}()", head[..at].join(".")))
    }

    /// The class `n` used as a value: the records of that health-record type.
    fn records_of_type(&self, n: &str, span: Span, ty: String) -> Value {
        Value {
            taint: Some(self.typed_source(
                span,
                format!("`{n}` — records of {}", self.type_why(n)),
                n,
            )),
            context: self.project_health_type(n).is_none_or(|h| h.patient),
            ty: Some(ty),
            ..Value::default()
        }
    }

    fn attr(&mut self, e: &Expr, obj: &Expr, attr: &str, env: &mut Env) -> Value {
        if let Some(d) = e.dotted() {
            if let Some(v) = env.get(&d) {
                // `self.pid` in a method of a health-record type: also the caller's record's
                // part, for the method's summary (`patient.label()` returning `self.pid`
                // returns that patient's id).
                let receiver = matches!(&obj.kind, ExprKind::Name(n) if n == "self");
                let of_record = self
                    .current
                    .as_ref()
                    .and_then(|c| c.owner.as_deref())
                    .is_some_and(|o| self.health_type(o).is_some());
                if receiver && of_record && !v.real() {
                    if let Some(r) = env.get("self").filter(|r| {
                        r.taint
                            .as_ref()
                            .is_some_and(|t| !t.real && t.params & 1 != 0)
                    }) {
                        let part = r.clone().read_part(attr);
                        return v.clone().join(&part);
                    }
                }
                return v.clone();
            }
        }
        // `Immunization.objects`: the records of a health-record type, also when the type
        // is imported from a library the scan does not read (a Django-based SDK).
        if let ExprKind::Name(n) = &obj.kind {
            if self.pats.file.flow.managers.iter().any(|m| m == attr)
                && !env.contains_key(n)
                && self.imports.contains_key(n)
                && n.chars().next().is_some_and(char::is_uppercase)
                && self.is_health_type(n)
            {
                return Value {
                    taint: Some(self.typed_source(
                        e.span,
                        format!("`{n}.{attr}` — records of {}", self.type_why(n)),
                        n,
                    )),
                    context: self.project_health_type(n).is_none_or(|h| h.patient),
                    ty: Some(format!("{n}.{attr}")),
                    ..Value::default()
                };
            }
        }
        // `patients::table`: the rows of a health table, as a query reads them.
        if let ExprKind::Name(n) = &obj.kind {
            if self.pats.file.flow.table_handles.iter().any(|h| h == attr)
                && !env.contains_key(n)
                && self.cls.names_records(n)
                && !self.cls.is_reference_name(n)
            {
                let c = self.cls.classify_name(n);
                return Value {
                    taint: Some(self.source(
                        e.span,
                        format!("`{}` — the rows of table `{n}`", self.short(e.span)),
                        false,
                        c.category,
                    )),
                    context: c.context,
                    ..Value::default()
                };
            }
        }
        let ov = self.expr(obj, env);
        // A field of a literal (`entry.code` of a static table): a constant too.
        if ov.constant && !ov.tainted() && !ov.context && ov.query.is_none() {
            return Value {
                constant: true,
                ty: ov
                    .ty
                    .as_deref()
                    .and_then(|t| self.declared_field_type(t, attr))
                    .or_else(|| ov.ty.as_ref().map(|t| format!("{t}.{attr}"))),
                endpoint: ov.endpoint,
                insecure: ov.insecure,
                ..Value::default()
            };
        }
        // The content of an answer to a read (`response.text`), not its status or headers.
        if ov.taint.is_none() && ov.query.is_some() && self.is_content_key(attr) {
            return Value {
                taint: ov.query.clone(),
                context: true,
                ..Value::default()
            };
        }
        if ov.part_is_clean(attr) {
            return Value {
                ty: ov.ty.map(|t| format!("{t}.{attr}")),
                ..Value::default()
            };
        }
        // A part that is named as carrying the data (`{ docRefs }` returned by a project
        // function): read whole, whatever its name.
        let named_part = ov
            .fields
            .as_ref()
            .is_some_and(|f| f.iter().any(|x| x == attr));
        // A parameter's data read through one of its parts: the summary says which.
        let ov = ov.read_part(attr);
        // `patient.clinic` (`relationship("Clinic")`): another entity's record, which is the
        // patient's only if it is itself a health record.
        // Untyped, the object goes by its type's name (`patient` for a `Patient`).
        let mut relation_ty = None;
        let record = ov
            .ty
            .as_deref()
            .and_then(|t| self.record_type_of(t))
            .or_else(|| {
                let name = obj.dotted()?;
                let last = name.rsplit('.').next().unwrap_or(&name);
                self.health_type(&camel_case(last))
            });
        if let Some(target) = record
            .and_then(|h| h.relations.iter().find(|(f, _)| f == attr))
            .map(|(_, r)| r.clone())
        {
            let ty = Some(self.resolve_type_name(&target));
            if self.health_type(&target).is_none() {
                if ov.tainted() {
                    self.note(
                        e.span,
                        false,
                        format!(
                            "`{attr}` refers to a `{target}`, an entity that holds no health data"
                        ),
                    );
                }
                return Value {
                    ty,
                    ..Value::default()
                };
            }
            relation_ty = ty;
        }
        // A record type's own health field is data whatever its name (`Condition.code`).
        let record_field = ov
            .ty
            .as_deref()
            .and_then(|t| self.record_type_of(t))
            .is_some_and(|h| h.health_fields.iter().any(|f| f == attr));
        if !record_field && self.pats.file.flow.derived_attrs.iter().any(|a| a == attr) {
            if ov.tainted() {
                self.note(
                    e.span,
                    false,
                    format!("`{attr}` describes the object, not the person (a derived attribute)"),
                );
            }
            // `df.shape`, `proc.returncode`, `resp.stop_reason`: nothing about the person.
            return Value {
                ty: ov.ty.map(|t| format!("{t}.{attr}")),
                endpoint: ov.endpoint,
                insecure: ov.insecure,
                ..Value::default()
            };
        }
        // A declared field of a project record type that is not a health field (`case.environment`
        // of a `Case` that declares `patient_uuid`) holds nothing about the person.
        if let Some(h) = ov
            .ty
            .as_deref()
            .and_then(|t| self.record_type_of(t))
            .filter(|h| !h.patient)
        {
            let flag = ov
                .ty
                .as_deref()
                .and_then(|t| self.declared_field_text(t, attr))
                .is_some_and(|ft| self.pats.file.flow.flag_types.iter().any(|x| x == ft));
            let names_record = ov
                .ty
                .as_deref()
                .is_some_and(|t| self.cls.names_the_record(simple_type_name(t), attr));
            // `appointment.receipt_ids`: the ids of other records.
            if h.fields.iter().any(|f| f == attr)
                && !h.health_fields.iter().any(|f| f == attr)
                && (self.cls.is_metadata_name(attr)
                    || self.cls.is_not_of_person(attr)
                    || self.cls.is_record_id_name(attr)
                    || flag
                    || names_record)
            {
                self.note(
                    e.span,
                    false,
                    format!(
                        "`{attr}` is a declared field of a record type that holds no health data"
                    ),
                );
                return Value {
                    ty: self.declared_field_type(ov.ty.as_deref().unwrap_or(""), attr),
                    ..Value::default()
                };
            }
            // `entry.code` mapped to column `dx_code`: the column says what it holds. Any other
            // declared field that is not a health field by name: what the record says.
            let column = h
                .health_columns
                .iter()
                .find(|(f, _)| f == attr)
                .map(|(_, c)| c.as_str());
            // A health field its name alone does not show (`onset_date_time` of a FHIR
            // `Condition`): of the record's own category.
            let health_field = h.health_fields.iter().any(|f| f == attr);
            let unnamed = health_field && !self.cls.classify_member(attr, false).health;
            let other = h.fields.iter().any(|f| f == attr) && (!health_field || unnamed);
            if ov.tainted() && (column.is_some() || other) {
                let (what, direct_id, category) = match column {
                    Some(col) => {
                        let c = self.cls.classify_member(col, h.patient);
                        (format!("column `{col}`"), c.direct_id, c.category)
                    }
                    None => (
                        format!("field `{attr}`"),
                        false,
                        Some(if unnamed {
                            h.element_category
                        } else {
                            self.cls.care_record_category()
                        }),
                    ),
                };
                let src = self.source(
                    e.span,
                    format!(
                        "`{}` — {what} of a health record ({})",
                        self.short(e.span),
                        h.why
                    ),
                    direct_id,
                    category,
                );
                let from_param = ov.taint.clone().filter(|t| !t.real);
                return Value {
                    taint: join_taint(Some(src), from_param),
                    ty: self.declared_field_type(ov.ty.as_deref().unwrap_or(""), attr),
                    ..Value::default()
                };
            }
        }
        // `BulkExportLevel::Patient`, `ResourceType.Observation`: an enum variant or a class
        // attribute of a type, not a record.
        let type_member = attr.chars().next().is_some_and(char::is_uppercase)
            && !ov.tainted()
            && obj
                .dotted()
                .and_then(|d| d.rsplit('.').next().map(str::to_string))
                .is_some_and(|last| {
                    last.chars().next().is_some_and(char::is_uppercase)
                        && last.chars().any(char::is_lowercase)
                        && !env.contains_key(&last)
                });
        // An item of a named collection goes by the collection's name, in the singular
        // (`appointments[0].id` is an appointment's id, `patients[0].id` a patient's).
        let obj_name = obj
            .dotted()
            .and_then(|d| d.rsplit('.').next().map(str::to_string))
            .or_else(|| match &obj.kind {
                ExprKind::Index { obj: items, .. } => items.dotted().and_then(|d| {
                    let last = d.rsplit('.').next()?;
                    Some(last.strip_suffix('s').unwrap_or(last).to_string())
                }),
                _ => None,
            });
        if let Some(n) = obj_name
            .as_deref()
            .filter(|n| self.cls.is_metadata_of_named_record(n, attr))
        {
            if ov.tainted() {
                self.note(
                    e.span,
                    false,
                    format!("`{n}.{attr}` identifies a `{n}` record, not the person"),
                );
            }
            return Value {
                ty: ov.ty.map(|t| format!("{t}.{attr}")),
                ..Value::default()
            };
        }
        if let Some(t) = self.metadata_of_record(&ov, attr, obj_name.as_deref()) {
            self.note(
                e.span,
                false,
                format!("`{attr}` is metadata of a `{t}` record: it identifies the record, not the person"),
            );
            return Value {
                ty: ov.ty.map(|t| format!("{t}.{attr}")),
                ..Value::default()
            };
        }
        // `input.stripeClient` declared `Stripe`: a library's object kept in the record.
        if let Some(ft) = ov
            .ty
            .as_deref()
            .and_then(|t| self.declared_field_text(t, attr))
            .filter(|ft| self.is_handle_type(ft))
        {
            if ov.tainted() {
                self.note(
                    e.span,
                    false,
                    format!("`{attr}` is declared as `{ft}`, a library's object, not data of the person"),
                );
            }
            return Value {
                ty: self.declared_field_type(ov.ty.as_deref().unwrap_or(""), attr),
                ..Value::default()
            };
        }
        // `testConfig.loincCode`: a field of configuration, not of a record.
        let of_reference = !ov.context
            && !ov.real()
            && obj_name
                .as_deref()
                .is_some_and(|n| self.cls.is_reference_object_name(n));
        // `s.loinc` of an `AnalyteStats` row: a group key of statistics, unless real data
        // reached it.
        let of_statistics = !ov.real()
            && ov.ty.as_deref().map(simple_type_name).is_some_and(|t| {
                self.cls.is_aggregate_type(t)
                    && self.health_type(t).is_none()
                    && self.declares_type(t)
            });
        let mut c = if (crate::classify::is_constant_name(attr) && !ov.context)
            || type_member
            || of_statistics
            || of_reference
            || self.cls.is_namespace_field(attr)
        {
            crate::classify::NameClass::NONE
        } else {
            self.classify_part(&ov, attr)
        };
        if ov.context {
            self.mark_patient_id(&mut c, ov.ty.as_deref(), obj_name.as_deref(), attr);
        }
        if !c.health && self.opts.trace_line == Some(e.span.start_line) {
            if let Some(why) = self.cls.why_not_health(attr) {
                self.note(e.span, false, why);
            }
        }
        if c.health {
            let src = self.member_source(e.span, attr, &c, ov.context);
            // Keep the parameter it was read from, for the function's summary.
            let from_param = ov.taint.clone().filter(|t| !t.real);
            return Value {
                taint: join_taint(Some(src), from_param),
                // A part of a record (`patient.medications`) is a record too: its items'
                // attributes are health data.
                context: c.context || ov.context,
                ty: relation_ty.or_else(|| ov.ty.map(|t| format!("{t}.{attr}"))),
                ..Value::default()
            };
        }
        // A field of a project struct with a declared type (`state.http: reqwest::Client`).
        let field_ty = ov
            .ty
            .as_deref()
            .and_then(|t| self.declared_field_type(t, attr));
        // From a whole record every attribute is health data; from other health values only
        // their content (`resp.choices`, `msg.content`, `event.body`), not their metadata.
        // `report.total_variants`: a count about the record; `context.filename`: where it is
        // kept; `telecom[0].system`: a namespace or a kind, not the person's value.
        // Only a value that carries data needs the reason.
        let about = if ov.taint.is_none() {
            None
        } else if self.cls.is_aggregate_name(attr) || self.cls.is_position_field(attr) {
            Some("a count or an aggregate over the record")
        } else if self.cls.is_location_field(attr) {
            Some("where the record is kept")
        } else if self.cls.is_namespace_field(attr) {
            Some("a namespace or a kind of value, not the person's value")
        } else if self.cls.is_record_id_name(attr) {
            Some("the id of another record")
        } else {
            None
        };
        if let Some(what) = about {
            self.note(e.span, false, format!("`{attr}` names {what}"));
        }
        let inherited = ov.taint.clone().filter(|_| {
            !ov.partial
                && !self.cls.is_not_of_person(attr)
                && about.is_none()
                && (ov.context
                    || named_part
                    || self.is_content_key(attr)
                    || (!ov.from_call && !self.cls.is_metadata_name(attr)))
        });
        let text = if ov.tainted() {
            None
        } else {
            self.field_url(ov.ty.as_deref(), attr)
        };
        // A field declared with a health-record type (`meds: list[Medication]` of a
        // `Profile`) holds such records, whatever holds it.
        if inherited.as_ref().is_none_or(|t| !t.real) && !ov.constant {
            let declared = ov
                .ty
                .as_deref()
                .and_then(|t| self.declared_field_text(t, attr))
                .filter(|ft| self.is_health_type(ft))
                .map(str::to_string);
            if let Some(ft) = declared {
                let subject = e.dotted().unwrap_or_else(|| attr.to_string());
                let what = format!("`{subject}` — {}", self.type_why(&ft));
                let typed = self.typed_source(e.span, what, &ft);
                return Value {
                    taint: join_taint(Some(typed), inherited),
                    context: self.project_health_type(&ft).is_none_or(|h| h.patient),
                    ty: field_ty,
                    ..Value::default()
                };
            }
        }
        Value {
            context: ov.context && inherited.is_some(),
            from_call: ov.from_call,
            text,
            taint: inherited,
            ty: field_ty.or_else(|| ov.ty.as_ref().map(|t| format!("{t}.{attr}"))),
            endpoint: ov.endpoint.clone(),
            insecure: ov.insecure,
            ..Value::default()
        }
    }

    /// The resolved path of a callee / receiver expression (imports and types substituted).
    pub(crate) fn path_of(&self, e: &Expr, env: &Env, resolved: bool) -> String {
        match &e.kind {
            ExprKind::Name(n) => {
                if resolved {
                    // A local binding shadows an import of the same name.
                    if let Some(v) = env.get(n) {
                        return v.ty.clone().unwrap_or_else(|| n.clone());
                    }
                    if let Some(p) = self.imports.get(n) {
                        return p.clone();
                    }
                    if let Some(base) = n.strip_suffix('!') {
                        if let Some(p) = self.imports.get(base) {
                            return format!("{p}!");
                        }
                    }
                }
                n.clone()
            }
            ExprKind::Attr { obj, attr } => {
                if resolved {
                    if let Some(t) = e
                        .dotted()
                        .and_then(|d| env.get(&d))
                        .and_then(|v| v.ty.clone())
                    {
                        return t;
                    }
                }
                let base = self.path_of(obj, env, resolved);
                if resolved {
                    if let Some(ft) = self.declared_field_type(&base, attr) {
                        return ft;
                    }
                }
                format!("{base}.{attr}")
            }
            ExprKind::Call(c) => {
                // `make_client().map_err(..)` is the receiver's object.
                if let ExprKind::Attr { obj, attr } = &c.callee.kind {
                    if self.is_error_callback(attr) {
                        return self.path_of(obj, env, resolved);
                    }
                }
                let callee = self.path_of(&c.callee, env, resolved);
                // A factory's client: `get_kinesis_client()` is `boto3.client(kinesis)`.
                if let Some(o) = resolved
                    .then(|| self.returned_object(&c.callee, &callee, env))
                    .flatten()
                    .filter(|o| !o.ty.is_empty())
                {
                    return o.ty.clone();
                }
                let service = self.service_literal(&callee, c);
                format!("{}({})", callee, service.unwrap_or_default())
            }
            ExprKind::Wrap(inner) => self.path_of(inner, env, resolved),
            ExprKind::Index { obj, .. } => format!("{}[]", self.path_of(obj, env, resolved)),
            _ => "?".to_string(),
        }
    }

    /// Whether a method name takes an error handler and returns its receiver (`map_err`).
    fn is_error_callback(&self, method: &str) -> bool {
        self.pats
            .file
            .flow
            .error_callbacks
            .iter()
            .any(|x| x == method)
    }

    /// The object a project function returns when it returns no health data (a factory's
    /// client), from its summary.
    fn returned_object(
        &self,
        callee: &Expr,
        resolved: &str,
        env: &Env,
    ) -> Option<&summary::ReturnedObject> {
        let project = self.project?;
        let name = resolved.rsplit('.').next().unwrap_or(resolved);
        if !project.object_returners.contains(name) {
            return None;
        }
        let raw = self.path_of(callee, env, false);
        let (key, _) = self.resolve_fn(resolved, &raw)?;
        project.summaries.get(key.as_str())?.ret_object.as_deref()
    }

    /// The project function a call resolves to, and whether it is called on an instance
    /// (its receiver is the first parameter).
    fn resolve_fn(&self, resolved: &str, raw: &str) -> Option<(String, bool)> {
        let owner = self.current.as_ref().and_then(|c| c.owner.clone());
        let key = (resolved.to_string(), raw.to_string(), owner);
        if let Some(hit) = self.resolved_fns.borrow().get(&key) {
            return hit.clone();
        }
        let found = self.resolve_fn_uncached(resolved, raw);
        self.resolved_fns.borrow_mut().insert(key, found.clone());
        found
    }

    fn resolve_fn_uncached(&self, resolved: &str, raw: &str) -> Option<(String, bool)> {
        let project = self.project?;
        let primary = self.module_names.first()?;
        let mut cands: Vec<(String, bool)> = Vec::new();
        let abs = self.absolutize(resolved);
        // The importer's own package first: `from utils import f` in `svc_b/main.py` is
        // `svc_b/utils.py`, not another directory's `utils.py`.
        for pkg in self.own_packages() {
            let full = format!("{pkg}.{abs}");
            if let Some(k) = project.index.function(&full) {
                return Some((k, false));
            }
            let unparsed = module_of(project, self.input.lang, &full, pkg.len())
                .is_some_and(|fi| !project.parsed.get(fi).copied().unwrap_or(true));
            // A package that re-exports a name of one of its modules: its `__init__` may be
            // unparsed while that module is.
            if let Some(k) = reexported(&project.index, &full) {
                return Some((k, false));
            }
            let instance_path = full.replacen("().", ".", 1);
            if instance_path != full {
                if let Some(k) = reexported(&project.index, &instance_path) {
                    return Some((k, true));
                }
            }
            if unparsed {
                // Not parsed yet: asked for; never another package's namesake meanwhile.
                return None;
            }
        }
        cands.push((abs.clone(), false));
        // A method of a type declared in this module, through a typed variable
        // (`client: Reminder` → `client.send` is `Reminder.send`) or written out.
        if let Some((ty, m)) = abs.split_once('.') {
            let (ty, instance) = match ty.strip_suffix("()") {
                Some(t) => (t, true),
                None => (ty, raw.split('.').next() != Some(ty)),
            };
            if !m.contains('.') && self.input.module.types.iter().any(|t| t.name == ty) {
                cands.push((summary::qualified(primary, Some(ty), m), instance));
            }
        }
        // `pkg.Service().notify` → `pkg.Service.notify`; `crate.x.Foo.new().m` → `crate.x.Foo.m`.
        if let Some(i) = abs.rfind("().") {
            let (head, m) = (&abs[..i], &abs[i + 3..]);
            if !m.contains('.') {
                cands.push((format!("{head}.{m}"), true));
                if let Some(j) = head.rfind('.') {
                    cands.push((format!("{}.{m}", &head[..j]), true));
                }
            }
        }
        let owner = self.current.as_ref().and_then(|c| c.owner.clone());
        let flow = &self.pats.file.flow;
        // (receiver, its method's instance is bound, it names the class itself)
        let receivers = flow
            .instance_receivers
            .iter()
            .map(|r| (r, true, true))
            .chain(flow.class_receivers.iter().map(|r| (r, false, true)))
            .chain(flow.base_receivers.iter().map(|r| (r, true, false)));
        for (recv_name, instance, own_class) in receivers {
            let Some(m) = raw
                .strip_prefix(recv_name.as_str())
                .and_then(|r| r.strip_prefix('.'))
                .filter(|m| !m.contains('.'))
            else {
                continue;
            };
            {
                if let Some(o) = &owner {
                    if own_class {
                        cands.push((summary::qualified(primary, Some(o), m), instance));
                    }
                    // Methods inherited from base classes.
                    if let Some(t) = self.input.module.types.iter().find(|t| &t.name == o) {
                        for b in &t.bases {
                            let base = self.absolutize(&self.resolve_type_name(b));
                            let base = base.trim_end_matches("()");
                            cands.push((format!("{base}.{m}"), instance));
                            cands.push((format!("{primary}.{base}.{m}"), instance));
                        }
                    }
                }
                // Rust `self::f()`: a function of this module.
                cands.push((format!("{primary}.{m}"), false));
            }
        }
        // A function (or an associated function) of this module.
        cands.push((format!("{primary}.{raw}"), false));
        if let Some(found) = cands
            .iter()
            .find_map(|(c, inst)| project.index.function(c).map(|k| (k, *inst)))
        {
            return Some(found);
        }
        if let Some(found) = cands
            .iter()
            .find_map(|(c, inst)| reexported(&project.index, c).map(|k| (k, *inst)))
        {
            return Some(found);
        }
        // A function imported from the project under a module name that names no file of
        // it (a workspace package `utils` whose entry re-exports its modules): the project's
        // one function of that name.
        if !raw.contains('.') {
            if let Some(path) = self.imports.get(raw).filter(|p| self.is_project_path(p)) {
                let name = path.rsplit('.').next().unwrap_or(path);
                if let Some(k) = project.index.unique_function(name, self.input.lang) {
                    return Some((k, false));
                }
            }
        }
        // A module-level instance of another module (`from .connect import connector`,
        // `connector.post_to_target(..)`): the one method of that name in its classes.
        let (head, method) = abs.rsplit_once('.')?;
        let (module, var) = head.rsplit_once('.')?;
        if !var.starts_with(|c: char| c.is_ascii_lowercase()) || var.contains('(') {
            return None;
        }
        match project.index.methods(module, method).as_slice() {
            [one] => Some((one.clone(), true)),
            _ => None,
        }
    }

    /// A call into a module of the scan that is not parsed yet, with data flowing in: ask for
    /// that file, so its summary can take part in the next round.
    fn want_module(&mut self, resolved: &str, recv: Option<&Value>, args: &[Value]) {
        let Some(project) = self.project else { return };
        let abs = self.absolutize(resolved);
        let own = self.own_packages().into_iter().find_map(|pkg| {
            module_of(project, self.input.lang, &format!("{pkg}.{abs}"), pkg.len())
        });
        let Some(fi) = own.or_else(|| module_of(project, self.input.lang, &abs, 0)) else {
            return;
        };
        if project.parsed.get(fi).copied().unwrap_or(true) {
            return;
        }
        self.out.awaits.insert(fi);
        if self.carries_demanded_data(recv, args) {
            self.out.wanted.insert(fi);
        }
    }

    /// Whether a call passes health data that matters: real data, or a parameter of a
    /// function that receives real data somewhere in the project.
    fn carries_demanded_data(&self, recv: Option<&Value>, args: &[Value]) -> bool {
        let real = recv.is_some_and(|r| r.real()) || args.iter().any(|a| a.real());
        if real {
            return true;
        }
        let symbolic = recv.is_some_and(|r| r.tainted()) || args.iter().any(|a| a.tainted());
        symbolic
            && match (self.project, &self.current) {
                (Some(p), Some(cur)) => p.demanded.contains(cur.key.as_str()),
                _ => false,
            }
    }

    /// The packages enclosing this file's module, innermost first (`a.b.c` → `a.b`, `a`).
    fn own_packages(&self) -> Vec<String> {
        if !self.input.lang.imports_from_own_package() {
            return Vec::new();
        }
        let Some(primary) = self.module_names.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut cur = primary.as_str();
        if !self.input.lang.is_package_file(self.input.path) {
            match cur.rsplit_once('.') {
                Some((head, _)) => cur = head,
                None => return out,
            }
        }
        loop {
            out.push(cur.to_string());
            match cur.rsplit_once('.') {
                Some((head, _)) => cur = head,
                None => break,
            }
        }
        out
    }

    /// Relative imports made absolute (`.llm.ask` in `app.views` → `app.llm.ask`).
    fn absolutize(&self, path: &str) -> String {
        let primary = self.module_names.first().map(String::as_str).unwrap_or("");
        let lang = self.input.lang;
        lang.absolute_import(path, primary, lang.is_package_file(self.input.path))
    }

    /// Apply a project function's summary at a call: its sinks fire for the health data
    /// passed in, and its return value carries what flows out.
    fn apply_summary(
        &mut self,
        e: &Expr,
        c: &Call,
        (resolved, raw): (&str, &str),
        (recv, args): (Option<&Value>, &[Value]),
        env: &mut Env,
    ) -> Option<Value> {
        let Some((key, instance)) = self.resolve_fn(resolved, raw) else {
            self.want_module(resolved, recv, args);
            return None;
        };
        let project = self.project?;
        let entry = project.summaries.get_key_value(key.as_str());
        // The table's own key when the function is summarised: files' sets share it.
        let shared: std::sync::Arc<str> = match entry {
            Some((k, _)) => k.clone(),
            None => key.as_str().into(),
        };
        if self.carries_demanded_data(recv, args) {
            self.out.demanded.insert(shared.clone());
        }
        if recv.is_some_and(|r| r.real()) || args.iter().any(|a| a.real()) {
            self.out.real_into.insert(shared.clone());
        }
        self.out.deps.insert(shared);
        let Some((_, summary)) = entry else {
            // Known, not summarised yet (first round): nothing flows yet. Rounds only add
            // flows, so the composition converges.
            return Some(Value {
                ty: Some(format!("{resolved}()")),
                ..Value::default()
            });
        };
        let fname = key.rsplit('.').next().unwrap_or(&key).to_string();
        let mut bound: Vec<(usize, &Value)> = Vec::new();
        // The argument expressions by parameter (paths of files the callee reads or writes).
        let mut bound_exprs: Vec<(usize, &Expr)> = Vec::new();
        let mut next = 0;
        if summary.method {
            if instance {
                if let Some(r) = recv {
                    bound.push((0, r));
                }
            }
            next = 1;
        }
        for (a, v) in c.args.iter().zip(args) {
            match (&a.kind, &a.name) {
                (ArgKind::Positional, _) => {
                    bound.push((next, v));
                    bound_exprs.push((next, &a.value));
                    next += 1;
                }
                (ArgKind::Keyword, Some(n)) => {
                    if let Some(i) = summary.params.iter().position(|p| **p == **n) {
                        bound.push((i, v));
                        bound_exprs.push((i, &a.value));
                    }
                }
                _ => {}
            }
        }
        // What the callee writes to the files whose paths it is given, then what it reads
        // from them.
        let content = summary::CONTENT_PARAM;
        for &(j, mask) in &summary.file_writes {
            let Some(key) = bound_exprs
                .iter()
                .find(|(i, _)| *i as u32 == j)
                .and_then(|(_, x)| self.file_key(x))
            else {
                continue;
            };
            let data = bound
                .iter()
                .filter(|(i, _)| *i < 64 && mask & (1u64 << i) != 0)
                .filter_map(|(i, v)| {
                    let t = v.taint.as_ref()?;
                    Some(self.extend(
                        t,
                        e.span,
                        format!(
                            "written to a file as `{}` by `{fname}`",
                            summary.params.get(*i).map_or("?", |p| &**p)
                        ),
                    ))
                })
                .reduce(|a, b| join_taint(Some(a), Some(b)).unwrap_or_default());
            if let Some(t) = data {
                let cur = self.file_data.remove(&key);
                if let Some(t) = join_taint(cur, Some(t)) {
                    self.file_data.insert(key, t);
                }
            }
        }
        let file_content = |this: &Self, p: u32| -> Option<Rc<Taint>> {
            let j = p.checked_sub(content)?;
            let (_, x) = bound_exprs.iter().find(|(i, _)| *i as u32 == j)?;
            let key = this.file_key(x)?;
            this.file_data.get(&key).cloned()
        };
        let pname = |i: usize| {
            summary
                .params
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("#{i}").into())
        };
        for ps in &summary.sinks {
            if let Some(t) = file_content(self, ps.param) {
                let t = self.extend(
                    &t,
                    e.span,
                    format!("its file passed to `{fname}`, which reads it"),
                );
                self.reach(&ps.hit, &t, &ps.steps, None);
                continue;
            }
            // The callee's URL parameter: a path on the caller's own origin is no third
            // party; another parameter of the caller's passes the question on.
            let mut url_param = None;
            if let Some(u) = ps.url_param {
                let url = bound_exprs
                    .iter()
                    .find(|(i, _)| *i as u32 == u)
                    .zip(bound.iter().find(|(i, _)| *i as u32 == u));
                if let Some(((_, x), (_, v))) = url {
                    if self.relative_expr(x, v) {
                        continue;
                    }
                    url_param = self.param_named(x, v);
                }
            }
            for (i, v) in &bound {
                if *i as u32 != ps.param {
                    continue;
                }
                // Only the parts of the argument that reach the sink count.
                if let Some(t) = v.taint_through(ps.fields.as_deref()) {
                    let t = self.extend(
                        &t,
                        e.span,
                        format!("passed as `{}` to `{fname}`", pname(*i)),
                    );
                    self.reach(&ps.hit, &t, &ps.steps, url_param);
                }
            }
        }
        // Arguments the callee keeps in the receiver's fields.
        let receiver = match &c.callee.kind {
            ExprKind::Attr { obj, .. } if instance => obj.dotted(),
            _ => None,
        };
        let class = summary
            .method
            .then(|| key.rsplit_once('.').map(|(o, _)| o.to_string()));
        let mut stored: Vec<(String, Value)> = Vec::new();
        for (fi, field) in &summary.fields {
            for (i, v) in &bound {
                if *i as u32 != *fi {
                    continue;
                }
                let Some(t) = &v.taint else { continue };
                if let Some(r) = &receiver {
                    stored.push((format!("{r}.{field}"), (*v).clone()));
                }
                if let (true, Some(Some(class))) = (t.real, &class) {
                    let t = self.extend(t, e.span, format!("stored into `{field}` by `{fname}`"));
                    self.store_field_data(class.clone(), field.clone(), &t, v);
                }
            }
        }
        for (k, v) in stored {
            self.taint_var(&k, &v, e.span, env, false);
        }
        let mut out = Value {
            ty: Some(format!("{resolved}()")),
            from_call: true,
            ..Value::default()
        };
        // A factory's client: `get_kinesis_client().put_record(...)`.
        if let Some(o) = &summary.ret_object {
            if !o.ty.is_empty() {
                out.ty = Some(o.ty.clone());
            }
            out.endpoint.clone_from(&o.endpoint);
            out.insecure = o.insecure;
        }
        // A project's own serialiser (`entry.to_json()` over `self.to_dict()`) returns its
        // receiver's data, as the library methods of that name do.
        let mut ret_params = summary.ret_params;
        if summary.method && instance && self.pats.file.flow.passthrough_methods.contains(&fname) {
            ret_params |= 1;
        }
        for (i, v) in &bound {
            let parts = summary
                .ret_parts
                .iter()
                .find(|(p, _)| *p as usize == *i)
                .and_then(|(_, f)| f.as_ref());
            if *i < 64 && ret_params & (1u64 << i) != 0 {
                if let Some(t) = v.taint_through(parts.map(Vec::as_slice)) {
                    let t = self.extend(&t, e.span, format!("returned by `{fname}`"));
                    out.taint = join_taint(out.taint.take(), Some(t));
                    out.context |= v.context;
                }
            }
        }
        // `load(path)` returning what it reads from `path`: what was written there.
        for p in content..64 {
            if ret_params & (1u64 << p) == 0 {
                continue;
            }
            if let Some(t) = file_content(self, p) {
                let t = self.extend(&t, e.span, format!("read from its file by `{fname}`"));
                out.taint = join_taint(out.taint.take(), Some(t));
            }
        }
        if let Some(r) = &summary.ret {
            let mut steps = r.steps.clone();
            steps.push(self.step(e.span, format!("returned by `{fname}`")));
            if steps.len() > MAX_STEPS {
                let cut = steps.len() - MAX_STEPS;
                steps.drain(1..1 + cut);
            }
            out.context |= r.context;
            // The returned object's parts that carry the function's own data
            // (`return { docRefs }`); a part that only echoes a parameter is read as clean.
            if out.taint.is_none() || r.fields.is_some() {
                out.fields = r.fields.clone().map(Rc::new);
            }
            if r.record.is_some()
                && out
                    .ty
                    .as_deref()
                    .is_none_or(|t| t == format!("{resolved}()"))
            {
                out.ty = r.record.clone();
            }
            if !out.real() {
                out.real_fields = r.fields.clone().map(Rc::new);
            }
            out.add_source(self.returned_taint(r, steps));
        }
        Some(out)
    }

    /// `boto3.client("s3")` keeps its literal in the path: `boto3.client(s3)`.
    fn service_literal(&self, callee: &str, c: &Call) -> Option<String> {
        if !self
            .pats
            .file
            .flow
            .service_calls
            .iter()
            .any(|s| s == callee)
        {
            return None;
        }
        c.args.first().and_then(|a| str_text(&a.value))
    }

    /// The function an invoker is given (its first positional argument that names one),
    /// called with the arguments after it: its summary applies as at a direct call.
    fn invoke(&mut self, e: &Expr, c: &Call, args: &[Value], env: &mut Env) {
        let Some(k) = c.args.iter().position(|a| {
            a.kind == ArgKind::Positional
                && matches!(a.value.kind, ExprKind::Name(_) | ExprKind::Attr { .. })
        }) else {
            return;
        };
        let inner = Call {
            callee: c.args[k].value.clone(),
            args: c.args[k + 1..].to_vec(),
            type_args: Vec::new(),
        };
        let resolved = self.path_of(&inner.callee, env, true);
        let raw = self.path_of(&inner.callee, env, false);
        let rest = args.get(k + 1..).unwrap_or(&[]);
        let _ = self.apply_summary(e, &inner, (&resolved, &raw), (None, rest), env);
    }

    /// A call given a health-record type argument (`from_str::<Encounter>(body)`,
    /// `rdr.deserialize::<LabRow>()`) makes records of that type.
    /// So does a schema's parser (`intakeSchema.safeParse(body)`, `[flow] schema_parsers`).
    fn typed_call(&mut self, e: &Expr, c: &Call, mut v: Value) -> Value {
        let schema = match &c.callee.kind {
            ExprKind::Attr { obj, attr }
                if self.pats.file.flow.schema_parsers.iter().any(|p| p == attr) =>
            {
                match &obj.kind {
                    ExprKind::Name(n) => Some(n),
                    _ => None,
                }
            }
            _ => None,
        };
        let Some(t) = c
            .type_args
            .iter()
            .rev()
            .chain(schema)
            .find(|t| self.is_health_type(t))
        else {
            return v;
        };
        if v.constant && schema.is_none() {
            return v;
        }
        v.constant = false;
        let subject = format!("`{}`", self.short(e.span));
        self.type_as_record(&mut v, t, e.span, &subject);
        v
    }

    /// `v` is known to be a record of health type `t` (an annotation, a turbofish, a declared
    /// return): a whole record when `t` is the person's own, and a source of that type unless
    /// it already holds real data. `subject` says what the value is, for the message.
    fn type_as_record(&self, v: &mut Value, t: &str, span: Span, subject: &str) {
        v.context |= self.project_health_type(t).is_none_or(|h| h.patient);
        if !v.real() {
            let what = format!("{subject} — {}", self.type_why(t));
            v.add_source(self.typed_source(span, what, t));
        }
    }

    fn call(&mut self, e: &Expr, c: &Call, env: &mut Env) -> Value {
        // Receiver first, then arguments (closures see the receiver's elements).
        let (recv, method) = match &c.callee.kind {
            ExprKind::Attr { obj, attr } => (Some(self.expr(obj, env)), Some(attr.as_str())),
            _ => (None, None),
        };
        let callee_v = if recv.is_none() {
            Some(self.expr(&c.callee, env))
        } else {
            None
        };
        // Closures see the receiver's elements, except error handlers (`.map_err(|e| ..)`).
        let error_callback = method.is_some_and(|m| self.is_error_callback(m));
        let elem = recv.clone().filter(|_| !error_callback).unwrap_or_default();
        let mut args: Vec<Value> = Vec::with_capacity(c.args.len());
        let mut lambdas = 0usize;
        for a in &c.args {
            let v = match &a.value.kind {
                ExprKind::Lambda { params, body } => {
                    // `subscribe({ next, error: (err) => … })`, `then(ok, (err) => …)`: the
                    // error handler and a second callback get the failure, not the elements.
                    let positional = a.kind == ArgKind::Positional;
                    let handler = a.name.as_deref().is_some_and(|n| self.is_error_callback(n))
                        || (positional && lambdas > 0);
                    if positional {
                        lambdas += 1;
                    }
                    let clean = Value::default();
                    let r = self.lambda(params, body, if handler { &clean } else { &elem }, env);
                    Value {
                        taint: r.taint,
                        ..Value::default()
                    }
                }
                // `db.search(Query().patient_id == pid)`: a query on a record's patient
                // identifier selects that patient's records; the id flows into the read.
                ExprKind::Binary {
                    op: crate::model::BinOp::Compare(_),
                    left,
                    right,
                } if method
                    .is_some_and(|m| self.pats.file.flow.record_reads.iter().any(|x| x == m))
                    && matches!(&left.kind, ExprKind::Attr { attr, .. }
                        if self.cls.classify_name(attr).direct_id) =>
                {
                    self.expr(left, env);
                    self.expr(right, env)
                }
                _ => self.expr(&a.value, env),
            };
            // A keyword or log field that names what it passes: `info!(patient_id = %id)`,
            // `track(event, diagnosis=dx)`.
            let v = match a.name.as_deref() {
                Some(n) if a.kind == ArgKind::Keyword && !v.real() && !v.constant => {
                    let c = self.cls.classify_name(n);
                    if c.health && !c.context && !crate::classify::is_constant_name(n) {
                        let mut v = v;
                        v.add_source(self.source(
                            a.value.span,
                            format!(
                                "`{}` — passed as `{n}`, a name for {}",
                                self.short(a.value.span),
                                self.label(&c)
                            ),
                            c.direct_id,
                            c.category,
                        ));
                        v
                    } else {
                        v
                    }
                }
                _ => v,
            };
            args.push(v);
        }
        let resolved = self.path_of(&c.callee, env, true);
        let raw = self.path_of(&c.callee, env, false);
        let paths: Vec<&str> = if resolved == raw {
            vec![resolved.as_str()]
        } else {
            vec![resolved.as_str(), raw.as_str()]
        };
        let ty = Some(if error_callback {
            // The receiver's object, handled errors aside.
            self.path_of(e, env, true)
        } else if let Some(record) = self.manager_record(&resolved) {
            record
        } else {
            format!(
                "{}({})",
                resolved,
                self.service_literal(&resolved, c).unwrap_or_default()
            )
        });

        // Files: a handle opened for writing, or data read back from a path written before.
        if let Some(v) = self.file_io(e, c, &paths, &args, &ty) {
            return v;
        }
        // A call that reads the files it is given sends what was written to them.
        if self.pats.file_senders.is_match(&paths) {
            self.file_contents(c, &mut args);
        }
        // `bg.add_task(forward, record)`: `forward(record)`, run later.
        if self.project.is_some() && self.pats.invokers.is_match(&paths) {
            self.invoke(e, c, &args, env);
        }
        // Emotion / biometric AI: reported at the call, with or without health data.
        self.check_emotion(e, c, &paths);

        // The project's own functions: their summaries say what happens inside.
        // A method of a digest already taken without a key (`ref.encode()` after
        // `ref = sha256(nir).hexdigest()`) does not sanitise it because the digest's type
        // names the hash.
        let of_unkeyed_digest = recv.as_ref().is_some_and(|r| {
            r.taint.as_ref().is_some_and(|t| {
                t.steps
                    .iter()
                    .any(|s| s.message.starts_with(UNKEYED_HASH_STEP))
            })
        }) && !self
            .matches_any(&self.pats.file.flow.unkeyed_hashes, &paths);
        let sanitizer = self.pats.sanitizers.is_match(&paths) && !of_unkeyed_digest;
        if self.project.is_some() && !sanitizer {
            if let Some(v) =
                self.apply_summary(e, c, (&resolved, &raw), (recv.as_ref(), &args), env)
            {
                return v;
            }
        }

        // Sinks.
        let call = sinks::CallSite {
            expr: e,
            call: c,
            paths: &paths,
            raw: &raw,
            recv: recv.as_ref(),
            args: &args,
        };
        let sink_kind = if self.writes_to_memory(&call, env) {
            None
        } else {
            self.check_sinks(&call)
        };
        let sank = sink_kind.is_some();
        // A GET of patient records: what it answers is a health read. The answer object
        // itself (its status, `print(response)`) is not the records: its content is, read
        // through a method (`.json()`) or a content attribute (`.text`).
        if let Some(path) = self.http_read(&call) {
            return Value {
                query: Some(self.source(
                    e.span,
                    format!(
                        "`{}(…)` — the answer to a GET {path}",
                        self.short(c.callee.span)
                    ),
                    false,
                    Some(self.cls.care_record_category()),
                )),
                ty,
                ..Value::default()
            };
        }

        // Sanitisers remove health data. An unkeyed hash of a direct identifier does not: the
        // digest of an NIR or an MRN is reversed by hashing every possible value.
        if sanitizer
            && self.matches_any(&self.pats.file.flow.unkeyed_hashes, &paths)
            && !c.args.iter().any(|a| {
                a.name
                    .as_deref()
                    .is_some_and(|n| self.pats.file.flow.hash_key_args.iter().any(|k| k == n))
            })
        {
            let ids = args
                .iter()
                .chain(recv.iter())
                .filter_map(|a| a.taint.clone().filter(|t| t.real && t.direct_id))
                .reduce(|a, b| join_taint(Some(a), Some(b)).unwrap_or_default());
            if let Some(t) = ids {
                let why = format!(
                    "{UNKEYED_HASH_STEP}`{raw}`: an identifier's digest can be reversed by brute force, it is not pseudonymisation"
                );
                self.note(e.span, true, why.clone());
                return Value {
                    taint: Some(self.extend(&t, e.span, why)),
                    ty,
                    ..Value::default()
                };
            }
        }
        if sanitizer {
            if args.iter().any(|a| a.real()) {
                self.note(e.span, false, format!("sanitised by `{raw}`"));
            }
            return Value {
                ty,
                ..Value::default()
            };
        }
        // Sources.
        let src = self.pats.sources.matches(&paths);
        // `vcf.Reader(open("clinvar.vcf.gz"))`: a file of reference data, not a person's (the
        // literal path it reads says so).
        let reference = || {
            c.args.first().is_some_and(|a| {
                let text = match &a.value.kind {
                    ExprKind::Call(inner) => inner.args.first().and_then(|x| str_text(&x.value)),
                    _ => str_text(&a.value),
                };
                text.is_some_and(|t| self.cls.is_reference_name(&t))
            })
        };
        if let Some(&i) = src.first().filter(|_| !reference()) {
            let spec = &self.pats.file.source[i];
            let cat = &spec.category;
            let category = self.cls.category_index(cat);
            // `hl7.parse(raw.replace("\n", "\r"))`: `raw` is the message's text.
            if spec.parses_text {
                let mut root = c.args.first().map(|a| &a.value);
                while let Some(r) = root {
                    root = match &r.kind {
                        ExprKind::Call(inner) => match &inner.callee.kind {
                            ExprKind::Attr { obj, .. } => Some(obj),
                            _ => None,
                        },
                        ExprKind::Wrap(inner) => Some(inner),
                        ExprKind::Name(n) => {
                            if env.get(n).is_some_and(|v| !v.real() && !v.constant) {
                                let t = self.source(
                                    r.span,
                                    format!(
                                        "`{n}` — the text `{}` parses",
                                        self.short(c.callee.span)
                                    ),
                                    false,
                                    category,
                                );
                                if let Some(v) = env.get_mut(n) {
                                    v.taint = join_taint(v.taint.take(), Some(t));
                                }
                            }
                            None
                        }
                        _ => None,
                    };
                }
            }
            let cat = &self.pats.file.source[i].category;
            return Value {
                taint: Some(self.source(
                    e.span,
                    format!(
                        "`{}(…)` — a catalog source of {cat} data",
                        self.short(c.callee.span)
                    ),
                    false,
                    category,
                )),
                context: true,
                ty,
                ..Value::default()
            };
        }
        // Counts, booleans, timestamps.
        if self.pats.clean.is_match(&paths) {
            if args.iter().any(|a| a.real()) || recv.as_ref().is_some_and(|r| r.real()) {
                self.note(
                    e.span,
                    false,
                    format!("`{raw}` returns a count, a flag or a time, not the data itself"),
                );
            }
            return Value {
                ty,
                constant: true,
                ..Value::default()
            };
        }

        let mut out = Value {
            ty,
            ..Value::default()
        };
        // `w = csv.writer(buf)`: what `w` writes goes into `buf`.
        if self.matches_any(&self.pats.file.flow.writer_wrappers, &paths) {
            out.wraps = c.args.first().and_then(|a| a.value.dotted()).map(Rc::from);
        }
        // Clients: endpoints, regions.
        self.client_config(c, &paths, &args, &mut out);
        // TLS verification switched off.
        if self.is_insecure(c, method, &args) {
            out.insecure = true;
        }
        if let Some(r) = &recv {
            out.insecure |= r.insecure;
            if out.endpoint.is_none() {
                out.endpoint = r.endpoint.clone();
            }
            // `HOOK.to_string()`: the same text.
            if method.is_some_and(|m| self.pats.file.flow.text_copies.iter().any(|x| x == m)) {
                out.text.clone_from(&r.text);
            }
            // `SQL.format(schema=s)`: still the query, not its rows.
            if r.query.is_some()
                && method.is_some_and(|m| self.pats.file.flow.query_edits.iter().any(|x| x == m))
            {
                return Value {
                    query: r.query.clone(),
                    ..out
                };
            }
        }
        for a in &args {
            out.insecure |= a.insecure;
            if out.endpoint.is_none() {
                if let Some(t) = a.text.as_deref().filter(|t| looks_like_url(t)) {
                    out.endpoint = Some(t.to_string());
                }
                if out.endpoint.is_none() {
                    out.endpoint = a.endpoint.clone();
                }
            }
        }

        // Neither the catalog nor the project knows this call (a project function would have
        // returned through its summary above): data is assumed to flow through.
        if self.project.is_some() && !sank && !self.pats.clients.is_match(&paths) {
            self.out.unresolved_calls += 1;
        }

        // `msg.segment("MSH")`: the message's header, not the person's data.
        if let (Some(m), Some(first)) = (method, args.first()) {
            let flow = &self.pats.file.flow;
            if flow.segment_getters.iter().any(|g| g == m)
                && first.constant
                && first
                    .text
                    .as_deref()
                    .is_some_and(|t| flow.header_segments.iter().any(|h| h == t))
            {
                return out;
            }
        }
        // Key lookups: `row.get("diagnosis")`.
        if let (Some(m), Some(r)) = (method, &recv) {
            if self.pats.file.flow.getters.iter().any(|g| g == m) {
                if let Some(k) = args
                    .first()
                    .and_then(|a| a.text.as_deref().filter(|_| a.constant))
                {
                    let cls = self.cls.classify_member(k, r.context);
                    if self.count_of_record(r, k) {
                        return out;
                    }
                    if !cls.health
                        && !r.context
                        && r.tainted()
                        && !self.is_content_key(k)
                        && (r.from_call || self.cls.is_metadata_name(k))
                    {
                        // `item.get("id")` of a health value that is not a record: metadata.
                        return out;
                    }
                    if cls.health {
                        out.taint = Some(self.member_source(e.span, k, &cls, r.context));
                        return out;
                    }
                }
            }
        }

        // Records read from a store named after them: `patient_repo.find(id)`,
        // `db.table("patients").all()`.
        if let (Some(m), Some(r)) = (method, &recv) {
            let reads = self
                .pats
                .file
                .flow
                .record_reads
                .iter()
                .any(|x| x == m || (x.contains('*') && crate::patterns::glob_match(x, m)));
            // A store typed as holding a health-record type (`VisitRepository`): its reads
            // return records of that type.
            if !r.tainted() && reads {
                if let Some(held) = r.ty.as_deref().and_then(|t| self.store_of(t)) {
                    let held = held.to_string();
                    let store = r.ty.as_deref().unwrap_or_default();
                    let store = types::segments(store).last().unwrap_or(store).to_string();
                    out.taint = Some(self.typed_source(
                        e.span,
                        format!(
                            "`{}` — read from a `{store}`: {}",
                            self.short(e.span),
                            self.type_why(&held)
                        ),
                        &held,
                    ));
                    out.context = self.project_health_type(&held).is_none_or(|h| h.patient);
                    out.ty = Some(held);
                    return out;
                }
            }
            if !r.tainted() && reads {
                if let Some(store) = self.record_store(&c.callee) {
                    out.taint = Some(self.source(
                        e.span,
                        format!("`{}` — records read from {store}", self.short(e.span)),
                        false,
                        None,
                    ));
                    out.context = true;
                    return out;
                }
            }
        }

        // Data flows into the result only through calls known to pass it on: the catalog's
        // pass-through calls and methods, a record's own methods, and local functions.
        // A builder or fluent chain: the receiver is itself a method call
        // (`client.post(url).json(&body)`), not a client returned by a function.
        // `values("status").annotate(n=Count("id"))`, `select(Note.status, func.count())`:
        // counts per group, an aggregate.
        if !sank && !self.pats.file.flow.aggregate_calls.is_empty() {
            let aggregate = c.args.iter().any(|a| match &a.value.kind {
                ExprKind::Call(inner) => {
                    let p = self.path_of(&inner.callee, env, true);
                    let raw = self.path_of(&inner.callee, env, false);
                    self.matches_any(&self.pats.file.flow.aggregate_calls, &[&p, &raw])
                }
                _ => false,
            });
            if aggregate {
                return Value::default();
            }
        }
        // `text(sql)`: a query object, still to be run, not its rows.
        if self.matches_any(&self.pats.file.flow.query_builders, &paths) {
            let query = args
                .iter()
                .fold(None, |q, v| join_taint(q, v.query.clone()));
            if query.is_some() {
                return Value {
                    query,
                    query_person: args.iter().any(|a| a.query_person),
                    ..Value::default()
                };
            }
        }
        let chained = matches!(&c.callee.kind, ExprKind::Attr { obj, .. } if is_method_call(obj));
        let root = raw.split(['.', '(']).next().unwrap_or("");
        let bound = env.contains_key(root);
        let flows = self.passes_data(&paths, &raw, method, recv.as_ref(), chained, bound);
        if !flows
            && !sank
            && self.opts.trace_line == Some(e.span.start_line)
            && (args.iter().any(|a| a.real()) || recv.as_ref().is_some_and(|r| r.real()))
        {
            self.note(
                e.span,
                false,
                format!(
                    "`{raw}` is a library call the catalog does not list as passing data on: its result carries no health data"
                ),
            );
        }

        let mut taint = recv
            .as_ref()
            .filter(|_| flows)
            .and_then(|r| r.taint.clone().filter(|_| !r.partial || method.is_none()));
        let mut context = flows
            && recv
                .as_ref()
                .is_some_and(|r| r.context && r.taint.is_some());
        for (a, v) in c.args.iter().zip(&args) {
            // Running or building a health query returns its rows, whatever the library; rows
            // of the patients' own table are patient records.
            taint = join_taint(taint, v.query.clone());
            context |= v.query.is_some() && v.query_person;
            if !flows {
                continue;
            }
            if a.name
                .as_deref()
                .is_some_and(|n| self.pats.file.flow.option_keywords.iter().any(|k| k == n))
                && method.is_some()
            {
                continue;
            }
            taint = join_taint(taint, v.taint.clone());
            taint = join_taint(taint, v.query.clone());
            // `session.query(Visit)`, `copy.deepcopy(patient)`: still a record (one argument
            // only: an object built from a record among other values is not that record).
            context |= v.context && v.tainted() && c.args.len() == 1 && a.name.is_none();
        }
        if let Some(r) = &recv {
            // Executing a health query (`cursor.execute(sql)` then `fetchall()`).
            taint = join_taint(taint, r.query.clone());
            context |= r.query.is_some() && r.query_person;
        }
        if let Some(cv) = &callee_v {
            // Calling a health-named function / a context type: `get_patient(id)`, `Patient(...)`.
            if cv.tainted() && !sank {
                taint = join_taint(taint, cv.taint.clone());
                context |= cv.context;
            }
        }
        if !taint.as_ref().is_some_and(|t| t.real) && !sank {
            if let Some(m) = method.or_else(|| raw.rsplit('.').next()) {
                let m = m.trim_end_matches('!');
                let stripped = self.cls.returned_noun(m);
                if stripped != m {
                    let cls = self.cls.classify_name(stripped);
                    if cls.health {
                        let src = self.source(
                            e.span,
                            format!(
                                "`{}(…)` — returns {} by its name",
                                self.short(c.callee.span),
                                self.label(&cls)
                            ),
                            cls.direct_id,
                            cls.category,
                        );
                        taint = join_taint(Some(src), taint);
                        context |= cls.context;
                    }
                }
            }
        }
        // A cursor that runs a query reading no health data (`SELECT COUNT(*) ...`) now holds
        // that query's rows, not the earlier ones.
        let runs_query =
            method.is_some_and(|m| self.pats.file.flow.query_methods.iter().any(|q| q == m));
        if let (true, ExprKind::Attr { obj, .. }) = (runs_query, &c.callee.kind) {
            // `text("SELECT shift, count(*) FROM staff_rota …")`: a statement built from
            // literals only, reading no health data.
            let built = |x: &Expr| match &x.kind {
                ExprKind::Call(b) => {
                    let d = self.path_of(&b.callee, env, true);
                    self.matches_any(&self.pats.file.flow.query_builders, &[d.as_str()])
                        && !b.args.is_empty()
                        && b.args
                            .iter()
                            .all(|a| matches!(a.value.kind, ExprKind::Str(_)))
                }
                _ => false,
            };
            let fresh = args.first().zip(c.args.first()).is_some_and(|(a, x)| {
                a.query.is_none() && (a.constant || (a.taint.is_none() && built(&x.value)))
            });
            if let (true, Some(base)) = (fresh, obj.dotted()) {
                if let Some(cur) = env.get_mut(&base) {
                    cur.taint = None;
                    cur.query = None;
                }
                return out;
            }
        }
        // Mutating methods store their arguments in the receiver: `messages.append(x)`.
        if let (Some(m), ExprKind::Attr { obj, .. }) = (method, &c.callee.kind) {
            if self.pats.file.flow.mutators.iter().any(|x| x == m) {
                // A query that only reads (`SELECT … WHERE x = :x`) keeps its parameters out
                // of the store it runs on.
                let reads_only = runs_query
                    && args
                        .first()
                        .and_then(|a| a.text.as_deref())
                        .is_some_and(crate::classify::sql_only_reads);
                if let Some(base) = obj.dotted() {
                    let mut arg_taint = None;
                    for v in &args {
                        if !reads_only {
                            arg_taint = join_taint(arg_taint, v.taint.clone());
                        }
                        arg_taint = join_taint(arg_taint, v.query.clone());
                    }
                    if !self
                        .imports
                        .contains_key(base.split('.').next().unwrap_or(""))
                    {
                        let v = Value {
                            taint: arg_taint,
                            ..Value::default()
                        };
                        self.taint_var(&base, &v, e.span, env, false);
                    }
                }
            }
        }
        // `writeln!(text, "{patient}")`: the other arguments are written into the first.
        if !self.pats.file.flow.buffer_writers.is_empty() {
            let callee = self.path_of(&c.callee, env, false);
            if self.pats.file.flow.buffer_writers.contains(&callee) {
                let mut into = c.args.first().map(|a| &a.value);
                while let Some(ExprKind::Unary { operand, .. }) = into.map(|e| &e.kind) {
                    into = Some(operand);
                }
                if let Some(base) = into.and_then(Expr::dotted) {
                    let mut t = None;
                    for v in args.iter().skip(1) {
                        t = join_taint(t, v.taint.clone());
                    }
                    if t.is_some() {
                        let v = Value {
                            taint: t,
                            ..Value::default()
                        };
                        self.taint_var(&base, &v, e.span, env, false);
                    }
                }
            }
        }
        // What a transfer, a log or a write returns (a status, a file id) is not the data that
        // went out; a model's answer about health data is (a note drafted from a transcript).
        if sink_kind == Some(crate::finding::SinkKind::AiModel) && !flows {
            for v in &args {
                taint = join_taint(taint, v.taint.clone());
            }
        }
        if sink_kind.is_some_and(|k| k != crate::finding::SinkKind::AiModel) {
            taint = None;
            context = false;
        }
        let answered = sink_kind == Some(crate::finding::SinkKind::AiModel) && !flows;
        out.taint = taint.map(|t| {
            if t.steps.last().is_some_and(|s| s.span == e.span) {
                t
            } else if answered {
                self.extend(
                    &t,
                    e.span,
                    format!("the answer of `{}` about it", self.short(c.callee.span)),
                )
            } else {
                self.extend(
                    &t,
                    e.span,
                    format!("passed through `{}`", self.short(c.callee.span)),
                )
            }
        });
        out.context = context;
        // `list(variants)`, `enumerate(parser.parse())`, `rows.iter()`: the same items, so a
        // project record's type carries through to them.
        if flows && self.matches_any(&self.pats.file.flow.item_passthrough, &paths) {
            let from = if method.is_some() {
                recv.as_ref()
            } else {
                args.first()
            };
            if let Some(t) = from
                .and_then(|v| v.ty.clone())
                .filter(|t| self.record_type_of(t).is_some())
            {
                out.ty = Some(t);
            }
        }
        // `db.query(PatientVital).filter(...).first()`: a query on a model's records returns
        // records of that model (so its metadata, `.Id`, is the record's own).
        let flow = &self.pats.file.flow;
        if context
            && method.is_some_and(|m| {
                flow.record_reads.iter().any(|x| x == m)
                    || flow.query_refiners.iter().any(|x| x == m)
            })
        {
            // The model class may come through a field (`self.PatientMedication`).
            let names_record = |v: &&Value| {
                v.ty.as_deref()
                    .is_some_and(|t| types::segments(t).any(|s| self.is_health_type(s)))
            };
            let from = recv.as_ref().filter(names_record).or_else(|| {
                args.first()
                    .filter(|_| args.len() == 1)
                    .filter(names_record)
            });
            if let Some(t) = from.and_then(|v| v.ty.clone()) {
                out.ty = Some(t);
            }
        }
        // A model's answer, a parsed payload, a record method's result: content only. Copies
        // and string operations of whole values stay whole.
        let inputs_whole = recv
            .iter()
            .chain(args.iter())
            .all(|v| !v.tainted() || !v.from_call);
        out.from_call = out.taint.is_some() && !(flows && inputs_whole && sink_kind.is_none());
        // A data constructor of literals (`Some(70.0)`, `Coding("2345-7", "Glucose")`): a
        // constant, like the literals.
        let constructor = raw
            .rsplit(['.', ':'])
            .next()
            .is_some_and(|l| l.starts_with(char::is_uppercase));
        out.constant = flows
            && constructor
            && sink_kind.is_none()
            && recv.is_none()
            && !args.is_empty()
            && args.iter().all(|a| a.constant)
            && !out.tainted();
        out
    }

    /// Whether one of the call paths matches one of the globs of a small pattern list.
    fn matches_any(&self, globs: &[String], paths: &[&str]) -> bool {
        globs
            .iter()
            .any(|g| paths.iter().any(|p| crate::patterns::glob_match(g, p)))
    }

    /// Whether a call that is neither a sink, a source, a sanitiser nor a project function
    /// passes its receiver's and arguments' data on to its result.
    fn passes_data(
        &self,
        paths: &[&str],
        raw: &str,
        method: Option<&str>,
        recv: Option<&Value>,
        chained: bool,
        bound: bool,
    ) -> bool {
        let flow = &self.pats.file.flow;
        if self.pats.passthrough.is_match(paths) {
            return true;
        }
        // Constructors of data objects (`Mail(...)`, `HumanMessage(...)`, `ContentBlock::Text(..)`).
        // Not a method of a local value (`assoc.FindSOPClass.SCU(ds)` is a call, not a type).
        let last = raw.rsplit('.').next().unwrap_or(raw);
        if last.chars().next().is_some_and(char::is_uppercase) && !(bound && method.is_some()) {
            return true;
        }
        // Macros (`format!`, `json!`) build values from their arguments.
        if raw.ends_with('!') {
            return true;
        }
        let root = raw.split(['.', '(']).next().unwrap_or("");
        // `os.path.join(x)`, `crate::fhir::text(x)`, `Dataset::new(x)`: a function reached
        // through a module or type path, not a method of a value.
        let static_path = method.is_some()
            && !raw.contains('(')
            && !bound
            && !recv.is_some_and(Value::tainted)
            && (self.imports.contains_key(root)
                || self.pats.file.flow.module_roots.iter().any(|r| r == root)
                || root.chars().next().is_some_and(char::is_uppercase));
        if let Some(m) = method.filter(|_| !static_path) {
            if flow.passthrough_methods.iter().any(|x| x == m) {
                return true;
            }
            // Fluent chains and builders: `client.post(url).json(&body)`,
            // `Message::builder().content(text)`.
            if chained {
                return true;
            }
            // A record's own methods (`patient.full_name()`).
            return recv.is_some_and(|r| r.context && r.tainted());
        }
        // Local functions the project index does not know pass data on; functions imported
        // from libraries do not.
        match self.imports.get(root) {
            None => true,
            Some(path) => self.is_project_path(path),
        }
    }

    /// Whether an import path names a module of the project, scanned or not: relative
    /// (`.waiting.Condition`) or under a crate root.
    fn imports_project_module(&self, path: &str) -> bool {
        let root = path.split('.').next().unwrap_or(path);
        path.starts_with('.') || self.pats.file.flow.module_roots.iter().any(|r| r == root)
    }

    /// The project file whose module an import path names (`.records.Observation` →
    /// `records.py`), the importer's own package first.
    fn import_file(&self, path: &str) -> Option<usize> {
        let modules = self.project?.all_modules.get(self.input.lang.name())?;
        let abs = self.absolutize(path);
        let (module, _) = abs.rsplit_once('.')?;
        self.own_packages()
            .into_iter()
            .find_map(|pkg| modules.get(&format!("{pkg}.{module}")).copied())
            .or_else(|| modules.get(module).copied())
    }

    /// An import path that names a module of the scanned project (or a relative import).
    fn is_project_path(&self, path: &str) -> bool {
        if self.imports_project_module(path) {
            return true;
        }
        let Some(project) = self.project else {
            return false;
        };
        let mut p = path;
        loop {
            if project
                .all_modules
                .get(self.input.lang.name())
                .is_some_and(|m| m.contains_key(p))
            {
                return true;
            }
            match p.rsplit_once('.') {
                Some((head, _)) => p = head,
                None => return false,
            }
        }
    }

    /// The records a store object holds, when its name or table says so:
    /// `patient_repo` → "`patient_repo`", `db.table("patients")` → "table `patients`".
    fn record_store(&self, callee: &Expr) -> Option<String> {
        let ExprKind::Attr { obj, .. } = &callee.kind else {
            return None;
        };
        if let ExprKind::Call(inner) = &obj.kind {
            if let Some(ExprKind::Str(t)) = inner.args.first().map(|a| &a.value.kind) {
                if self.cls.names_records(t) {
                    return Some(format!("table `{t}`"));
                }
            }
            return None;
        }
        let name = obj.dotted()?;
        let last = name.rsplit('.').next().unwrap_or(&name);
        self.cls.names_records(last).then(|| format!("`{name}`"))
    }

    /// `analytics.host = "https://events.eu1.segmentapis.com"`: an attribute that a client
    /// spec names (`segment.analytics.host`) sets the endpoint of that client, or of its
    /// provider in the whole module.
    fn endpoint_attr(&mut self, obj: &Expr, attr: &str, v: &Value, env: &mut Env) {
        let Some(text) = v.text.clone() else { return };
        let path = format!("{}.{attr}", self.path_of(obj, env, true));
        for i in self.pats.clients.matches(&[path.as_str()]) {
            let spec = &self.pats.file.client[i];
            match (&spec.provider, spec.module_wide, obj.dotted()) {
                (Some(p), true, _) => {
                    self.module_endpoints.insert(p.clone(), text.clone());
                }
                (_, false, Some(base)) => {
                    if let Some(cur) = env.get_mut(&base) {
                        cur.endpoint = Some(text.clone());
                    }
                }
                _ => {}
            }
        }
    }

    fn client_config(&mut self, c: &Call, paths: &[&str], args: &[Value], out: &mut Value) {
        for i in self.pats.clients.matches(paths) {
            let spec = &self.pats.file.client[i];
            if out.endpoint.is_none() {
                out.endpoint.clone_from(&spec.endpoint);
            }
            for sel in &spec.endpoint_args {
                if let Some(v) = arg_value(c, args, sel) {
                    if self.is_relative_url(c, sel, v) {
                        out.endpoint = Some(OWN_ORIGIN_ENDPOINT.to_string());
                        return;
                    }
                    // `sentry::init(("https://…", options))`: a tuple's leading string.
                    let leading = arg_index(c, sel).and_then(|i| c.args.get(i)).and_then(|a| {
                        match &a.value.kind {
                            ExprKind::Collection(items) => items.first().and_then(str_text),
                            _ => None,
                        }
                    });
                    // A configured but unknown endpoint (`base_url=os.environ[...]`) replaces
                    // the SDK default with "unknown".
                    let t = v
                        .text
                        .clone()
                        .or(leading)
                        .or_else(|| v.endpoint.clone())
                        .or_else(|| Some(UNKNOWN_ENDPOINT.to_string()));
                    if let Some(t) = t {
                        out.endpoint = Some(t.clone());
                        if spec.module_wide {
                            if let Some(p) = &spec.provider {
                                self.module_endpoints.insert(p.clone(), t);
                            }
                        }
                        return;
                    }
                }
            }
        }
    }

    fn is_insecure(&self, c: &Call, method: Option<&str>, args: &[Value]) -> bool {
        for rule in &self.pats.file.flow.insecure {
            let Some((name, val)) = rule.split_once('=') else {
                continue;
            };
            for (a, v) in c.args.iter().zip(args) {
                let value_matches = v
                    .text
                    .as_deref()
                    .is_some_and(|t| t.rsplit('.').next() == Some(val));
                if a.name.as_deref() == Some(name) && value_matches {
                    return true;
                }
                if method == Some(name) && a.name.is_none() && value_matches {
                    return true;
                }
            }
        }
        false
    }

    // ------------------------------------------------------------------ literals and inventory

    fn literals(&mut self) {
        for lit in &self.input.module.literals {
            let Some(kind) = crate::classify::ids::classify_literal(&lit.value) else {
                continue;
            };
            if kind == crate::classify::ids::IdKind::NhsNumber {
                let digits: String = lit.value.chars().filter(char::is_ascii_digit).collect();
                let ranges = &self.catalog.lexicon.identifier_test_ranges;
                if ranges.nhs_numbers.contains(&digits)
                    || ranges
                        .nhs_number_prefixes
                        .iter()
                        .any(|p| digits.starts_with(p.as_str()))
                {
                    continue;
                }
            }
            if matches!(
                kind,
                crate::classify::ids::IdKind::NhsNumber | crate::classify::ids::IdKind::Npi
            ) && !self.line_names_identifier(lit.span)
            {
                continue;
            }
            self.push_simple(
                crate::rules::RuleId::HardcodedHealthIdentifier,
                lit.span,
                format!(
                    "A literal that validates as a {} is hard-coded in the source: real identifiers must not live in code, tests or fixtures (GDPR Art. 5(1)(f), 32). Use a synthetic or test-range value, or load it from protected storage.",
                    kind.label()
                ),
                true,
            );
        }
    }

    /// The span of a type's declaring line (`class Patient`, `struct Patient`), not its
    /// decorators or attributes.
    fn decl_span(&self, t: &TypeDecl) -> Span {
        let mut span = t.span;
        for line in t.span.start_line..=t.span.end_line.min(t.span.start_line + 20) {
            let text = self.line_text(line);
            let declares = ["class ", "struct ", "enum ", "union "]
                .iter()
                .any(|k| text.contains(&format!("{k}{}", t.name)));
            if declares {
                span.start_line = line;
                span.end_line = line;
                span.start_col = 1;
                span.end_col = 1 + text.len() as u32;
                return span;
            }
        }
        span
    }

    /// Whether the literal's line names a health identifier near it: within
    /// [`HINT_WINDOW`] bytes before it and half that after, so a minified line does not
    /// lend the literal every word it holds.
    fn line_names_identifier(&self, span: Span) -> bool {
        const HINT_WINDOW: usize = 120;
        let src = self.input.source;
        let i = span.start_line.saturating_sub(1) as usize;
        let line_start = self.line_starts.get(i).copied().unwrap_or(0);
        let line_end = self.line_starts.get(i + 1).copied().unwrap_or(src.len());
        let (lit_start, lit_end) = (span.start_byte as usize, span.end_byte as usize);
        // `str::floor_char_boundary` is newer than the crate's MSRV.
        let floor = |mut b: usize| {
            while b > 0 && !src.is_char_boundary(b) {
                b -= 1;
            }
            b
        };
        let from = floor(lit_start.saturating_sub(HINT_WINDOW).max(line_start));
        let to = floor((lit_end + HINT_WINDOW / 2).min(line_end));
        let before = src.get(from..floor(lit_start)).unwrap_or("");
        let after = src.get(floor(lit_end.min(to))..to).unwrap_or("");
        let hints = &self.catalog.lexicon.identifier_hints.words;
        [before, after].iter().any(|part| {
            crate::classify::words(part)
                .iter()
                .any(|w| hints.iter().any(|h| h == w))
        })
    }

    fn inventory_types(&mut self) {
        for t in &self.input.module.types {
            let tc = self.cls.classify_name(&t.name);
            let is_ctx = self.cls.is_context_type(&t.name) || tc.context;
            if is_ctx {
                let span = self.decl_span(t);
                self.push_simple(
                    crate::rules::RuleId::HealthDataInventory,
                    span,
                    format!("`{}` declares a patient or health-record type (data map; GDPR Art. 30, 35).", t.name),
                    false,
                );
            }
            for f in &t.fields {
                // Every attribute of a patient record is health data (GDPR recital 35).
                let c = self.cls.classify_member(&f.name, is_ctx);
                if c.health {
                    let cat = c
                        .category
                        .map(|c| self.cls.category_name(c).to_string())
                        .unwrap_or_default();
                    self.push_simple(
                        crate::rules::RuleId::HealthDataInventory,
                        f.span,
                        format!(
                            "`{}.{}` holds health data ({}){} (data map; GDPR Art. 9, 30, 35).",
                            t.name,
                            f.name,
                            cat,
                            if c.direct_id {
                                ", a direct identifier"
                            } else {
                                ""
                            }
                        ),
                        c.direct_id,
                    );
                    // The audit's data map reads the category from here.
                    if let (Some(f), false) = (self.findings.last_mut(), cat.is_empty()) {
                        f.categories = vec![cat];
                    }
                }
            }
        }
    }

    pub(crate) fn push_simple(
        &mut self,
        rule: crate::rules::RuleId,
        span: Span,
        message: String,
        direct: bool,
    ) {
        let snippet = self.line_text(span.start_line);
        self.findings.push(Finding {
            rule,
            level: rule.level(),
            path: self.file.clone(),
            span,
            message,
            sink: None,
            flows: Vec::new(),
            total_flows: 0,
            direct_identifier: direct && rule == crate::rules::RuleId::HealthDataInventory,
            categories: Vec::new(),
            security_severity: rule.security_severity(),
            snippet,
            fingerprint: String::new(),
            test: false,
        });
    }
}

/// The module of the scan that a dotted path lies in (its longest prefix naming one, longer
/// than `min_len` bytes), as a file index.
fn module_of(project: &Project, lang: Lang, path: &str, min_len: usize) -> Option<usize> {
    let modules = project.all_modules.get(lang.name())?;
    let mut path = path;
    while let Some((head, _)) = path.rsplit_once('.') {
        let head = head.trim_end_matches("()");
        if head.len() <= min_len {
            return None;
        }
        if let Some(&fi) = modules.get(head) {
            return Some(fi);
        }
        path = head;
    }
    None
}

/// A function a package re-exports from one of its modules: `mip.Pacs.list_studies` is
/// `mip.pacs.Pacs.list_studies` when package `mip` re-exports `Pacs` from its module `pacs`.
/// Only a name exactly one of the package's modules declares.
fn reexported(index: &summary::FnIndex, path: &str) -> Option<String> {
    match index.reexports(path).as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// A method or path call (`x.m()`, `T::new()`), under any `await` / `?` / reference wrapping.
fn is_method_call(e: &Expr) -> bool {
    let mut cur = e;
    loop {
        match &cur.kind {
            ExprKind::Call(c) => return matches!(c.callee.kind, ExprKind::Attr { .. }),
            ExprKind::Wrap(inner) => cur = inner,
            _ => return false,
        }
    }
}

pub(crate) fn looks_like_url(t: &str) -> bool {
    let l = t.trim_start().to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("ws://")
        || l.starts_with("wss://")
}

/// The value an [`ArgSel`] picks from a call.
pub(crate) fn arg_value<'v>(c: &Call, args: &'v [Value], sel: &ArgSel) -> Option<&'v Value> {
    args.get(arg_index(c, sel)?)
}

/// The position in `c.args` of the argument an [`ArgSel`] picks.
pub(crate) fn arg_index(c: &Call, sel: &ArgSel) -> Option<usize> {
    match sel {
        ArgSel::Index(i) => c
            .args
            .iter()
            .enumerate()
            .filter(|(_, a)| a.kind == ArgKind::Positional)
            .nth(*i)
            .map(|(k, _)| k),
        ArgSel::Name(n) => c
            .args
            .iter()
            .position(|a| a.name.as_deref() == Some(n.as_str())),
    }
}

/// The text of a string literal.
fn str_text(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Str(s) => Some(s.clone()),
        _ => None,
    }
}

/// `lab_result` → `LabResult`: the type name a variable is named after.
fn camel_case(name: &str) -> String {
    name.split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}
