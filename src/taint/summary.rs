//! Function summaries: what a function does with its parameters, so a call in another
//! function (or file) can be analysed without re-analysing the callee.
//!
//! A summary says which parameters flow to the return value, whether the function returns
//! health data by itself, and which parameters reach which sink (with the path inside the
//! callee). Summaries are computed per function, composed across files to a fixpoint by
//! [`crate::scan`], and looked up through a [`FnIndex`] of qualified names.

use crate::finding::{FlowStep, SinkInfo, SinkKind};
use crate::lang::Lang;
use crate::model::Span;
use crate::rules::RuleId;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// A sink as decided where it is: which rules fire there and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct SinkHit {
    pub kind: SinkKind,
    /// The rules this sink fires (its kind's rule, then transport rules) with their detail.
    pub rules: Vec<(RuleId, Option<String>)>,
    pub info: SinkInfo,
    pub path: crate::finding::FilePath,
    pub span: Span,
    pub snippet: String,
}

/// Parameter `param` reaches `hit`; `steps` is the path inside the callee (first step: the
/// parameter), without the sink step.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamSink {
    pub param: u32,
    /// The parts of the parameter that reach the sink, when it is not used whole (`p.user`).
    pub fields: Option<Vec<String>>,
    pub steps: Vec<FlowStep>,
    /// Shared by every summary the sink's parameter paths reach (callers, their callers).
    pub hit: std::sync::Arc<SinkHit>,
    /// The parameter that is the sink's whole URL, when the sink is a third party only for
    /// want of a host (`fetch(url, init)` in a wrapper): a caller passing a path on its own
    /// origin sends nothing to a third party.
    pub url_param: Option<u32>,
}

/// Health data a function returns by itself (`load_patient()`).
#[derive(Clone, Debug, PartialEq)]
pub struct ReturnedData {
    pub steps: Vec<FlowStep>,
    pub direct_id: bool,
    pub categories: Vec<u16>,
    /// A whole record (its attributes are health data too).
    pub context: bool,
    /// Only these named parts of the returned value carry the data.
    pub fields: Option<Vec<String>>,
    /// The project record type of the returned value (`Variant()`), so that callers read its
    /// declared fields as fields of that record.
    pub record: Option<String>,
}

/// A client or library object a function returns (`get_kinesis_client()` returning
/// `boto3.client("kinesis")`): calls on the result resolve as calls on that object.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReturnedObject {
    /// The path of what made it (`boto3.client(kinesis)`).
    pub ty: String,
    /// The URL or region it talks to.
    pub endpoint: Option<String>,
    /// TLS verification is off.
    pub insecure: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Parameter names in order (`self` included for methods), shared with equal names.
    pub params: Vec<std::sync::Arc<str>>,
    /// Whether the first parameter is the receiver.
    pub method: bool,
    /// Bit `i`: parameter `i` flows into the return value.
    pub ret_params: u64,
    pub ret: Option<Box<ReturnedData>>,
    /// The object returned when no health data is (a client from a factory function).
    pub ret_object: Option<Box<ReturnedObject>>,
    pub sinks: Vec<ParamSink>,
    /// For returned parameters: the parts of each that are returned (None: used whole).
    pub ret_parts: Vec<(u32, Option<Vec<String>>)>,
    /// Parameter `i` is stored into field `f` of the receiver (`set_prompt(self, text)`
    /// keeps `text` in `self.prompts`), sorted.
    pub fields: Vec<(u32, String)>,
    /// `(j, mask)`: the file at parameter `j`'s path is written with the data of the
    /// parameters in `mask` (`write_jsonl(rows, target)`), sorted.
    pub file_writes: Vec<(u32, u64)>,
}

/// Parameter numbers from here on stand for the content of the file at parameter
/// `n - CONTENT_PARAM`'s path, read by the function (`upload(path)` opening `path`).
pub const CONTENT_PARAM: u32 = 32;

impl Summary {
    /// What matters for the fixpoint: paths may differ between rounds, facts may not.
    pub fn facts(&self) -> SummaryFacts {
        let mut s: Vec<_> = self
            .sinks
            .iter()
            .flat_map(|p| {
                p.hit
                    .rules
                    .iter()
                    .map(move |(r, _)| (p.param, p.hit.path.clone(), p.hit.span, *r))
            })
            .collect();
        s.sort_by(|a, b| (a.0, &a.1, a.2, a.3).cmp(&(b.0, &b.1, b.2, b.3)));
        s.dedup();
        let mut parts = self.ret_parts.clone();
        parts.sort();
        (
            self.ret_params,
            self.ret.is_some(),
            s,
            self.fields.clone(),
            parts,
            self.ret_object.as_deref().cloned(),
            self.file_writes.clone(),
        )
    }

    /// Add what `earlier` knew: summaries only grow from round to round.
    pub fn absorb(&mut self, earlier: &Summary) {
        self.ret_params |= earlier.ret_params;
        for (i, p) in &earlier.ret_parts {
            note_ret_parts(&mut self.ret_parts, *i, p.clone());
        }
        self.ret_parts.sort();
        for f in &earlier.fields {
            if !self.fields.contains(f) {
                self.fields.push(f.clone());
            }
        }
        self.fields.sort();
        for w in &earlier.file_writes {
            match self.file_writes.iter_mut().find(|x| x.0 == w.0) {
                Some(x) => x.1 |= w.1,
                None => self.file_writes.push(*w),
            }
        }
        self.file_writes.sort();
        if self.ret.is_none() {
            self.ret = earlier.ret.clone();
        }
        if self.ret_object.is_none() {
            self.ret_object = earlier.ret_object.clone();
        }
        // The same sink reached from the same parameter: this round's rules, decided with
        // more of the callees known (a client's endpoint from its factory), replace the
        // earlier ones.
        for p in &earlier.sinks {
            let known = self.sinks.iter().any(|q| {
                q.param == p.param && q.hit.path == p.hit.path && q.hit.span == p.hit.span
            });
            if !known {
                self.sinks.push(p.clone());
            }
        }
    }

    pub fn is_trivial(&self) -> bool {
        self.ret_params == 0
            && self.ret.is_none()
            && self.ret_object.is_none()
            && self.sinks.is_empty()
            && self.fields.is_empty()
            && self.file_writes.is_empty()
    }
}

/// The comparable part of a summary: returned parameters, returns data, sinks per parameter.
pub type SummaryFacts = (
    u64,
    bool,
    Vec<(u32, crate::finding::FilePath, Span, RuleId)>,
    Vec<(u32, String)>,
    Vec<(u32, Option<Vec<String>>)>,
    Option<ReturnedObject>,
    Vec<(u32, u64)>,
);

/// Health data that callers store into an object's fields through its methods, by class
/// (qualified name, as in summary keys) and field.
pub type FieldData = BTreeMap<String, BTreeMap<String, ReturnedData>>;

/// Summaries by qualified function name.
pub type Summaries = HashMap<std::sync::Arc<str>, std::sync::Arc<Summary>>;

/// Functions that do nothing a caller needs to know share one summary (a third of them in
/// a large project): their parameter names are never looked at.
#[derive(Debug)]
pub struct TrivialSummaries {
    function: std::sync::Arc<Summary>,
    method: std::sync::Arc<Summary>,
}

impl Default for TrivialSummaries {
    fn default() -> Self {
        TrivialSummaries {
            function: std::sync::Arc::new(Summary::default()),
            method: std::sync::Arc::new(Summary {
                method: true,
                ..Summary::default()
            }),
        }
    }
}

impl TrivialSummaries {
    /// `s` itself, or the shared summary equal to it but for its parameter names.
    pub fn share(&self, s: Summary) -> std::sync::Arc<Summary> {
        if !s.is_trivial() || !s.ret_parts.is_empty() {
            return std::sync::Arc::new(s);
        }
        if s.method {
            std::sync::Arc::clone(&self.method)
        } else {
            std::sync::Arc::clone(&self.function)
        }
    }
}

/// A file for the index: its position in the scan, path, language, and the functions it
/// declares as (owner, name).
pub type IndexedFile<'a> = (usize, &'a str, Lang, &'a [(Option<String>, String)]);

/// Qualified names of every function in the parsed files, in two levels: the module names
/// each file goes by, and each file's functions by their name inside it (`Owner.name` or
/// `name`). A qualified name (`app.llm.ask_llm`) is looked up by splitting it into the two,
/// so a file's functions are stored once, not once per name of its module.
#[derive(Debug, Default)]
pub struct FnIndex {
    /// Module name → the files going by it, in indexing order.
    by_module: rustc_hash::FxHashMap<String, Vec<u32>>,
    /// Package (parent of a module name) → the files of its modules, in indexing order,
    /// for languages whose packages re-export their modules' names.
    by_parent: rustc_hash::FxHashMap<String, Vec<u32>>,
    /// Name inside a file (`Owner.name`, `name`) → the files declaring it, in indexing order.
    by_local: rustc_hash::FxHashMap<String, Vec<u32>>,
    /// Per indexed file: its most qualified module name and its methods (`Owner.name`).
    files: Vec<(String, Vec<String>)>,
    /// Per indexed file: its language's name.
    langs: Vec<&'static str>,
    /// The most dots in a name inside a file: longer tails need no lookup.
    local_dots: usize,
}

/// The names a file's module goes by, most qualified first: `app/llm.py` → `app.llm`, `llm`;
/// `app/src/net/client.rs` → `app.net.client`, `net.client`, `client`.
pub fn module_names(rel: &str, lang: Lang) -> Vec<String> {
    lang.module_names(rel)
}

/// Splits of a dotted path into a head and a non-empty tail of at most `dots + 1` segments,
/// shortest tail first.
fn splits(path: &str, dots: usize) -> impl Iterator<Item = (&str, &str)> {
    path.rmatch_indices('.')
        .take(dots + 1)
        .map(move |(i, _)| (&path[..i], &path[i + 1..]))
        .filter(|(h, t)| !h.is_empty() && !t.is_empty())
}

/// The files in both ascending lists, in order.
fn both<'a>(a: &'a [u32], b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short
        .iter()
        .copied()
        .filter(move |x| long.binary_search(x).is_ok())
}

impl FnIndex {
    /// Add files (index in the scan, rel path, language, model), in the given (sorted)
    /// order: a name already claimed keeps its file.
    /// `all_names` gives every file's module names by its index in the scan.
    pub fn extend(&mut self, files: &[IndexedFile], all_names: &[Vec<String>]) {
        for (i, rel, lang, functions) in files {
            let names = all_names
                .get(*i)
                .cloned()
                .unwrap_or_else(|| module_names(rel, *lang));
            let Some(primary) = names.first().cloned() else {
                continue;
            };
            let Ok(seq) = u32::try_from(self.files.len()) else {
                return;
            };
            let push = |list: &mut Vec<u32>| {
                if list.last() != Some(&seq) {
                    list.push(seq);
                }
            };
            for m in &names {
                push(self.by_module.entry(m.clone()).or_default());
                if lang.reexports_from_packages() {
                    if let Some((parent, _)) = m.rsplit_once('.') {
                        push(self.by_parent.entry(parent.to_string()).or_default());
                    }
                }
            }
            let mut methods = Vec::new();
            for (owner, name) in functions.iter() {
                let local = match owner {
                    Some(o) => format!("{o}.{name}"),
                    None => name.clone(),
                };
                self.local_dots = self.local_dots.max(local.matches('.').count());
                push(self.by_local.entry(local.clone()).or_default());
                if owner.is_some() {
                    methods.push(local);
                }
            }
            self.files.push((primary, methods));
            self.langs.push(lang.name());
        }
    }

    fn key(&self, seq: u32, local: &str) -> String {
        format!("{}.{local}", self.files[seq as usize].0)
    }

    /// The function a qualified name (`app.llm.ask_llm`, `llm.Client.send`) names: the one
    /// of the first file indexed that goes by the name's module and declares it.
    pub fn function(&self, full: &str) -> Option<String> {
        splits(full, self.local_dots)
            .filter_map(|(m, local)| {
                let seq = both(self.by_module.get(m)?, self.by_local.get(local)?).next()?;
                Some((seq, local))
            })
            .min_by_key(|(seq, _)| *seq)
            .map(|(seq, local)| self.key(seq, local))
    }

    /// The one top-level function named `name` in the indexed files of language `lang`, if
    /// only one of them declares a function of that name.
    pub fn unique_function(&self, name: &str, lang: Lang) -> Option<String> {
        let mut files = self
            .by_local
            .get(name)?
            .iter()
            .copied()
            .filter(|&seq| self.langs.get(seq as usize).copied() == Some(lang.name()));
        match (files.next(), files.next()) {
            (Some(one), None) => Some(self.key(one, name)),
            _ => None,
        }
    }

    /// The keys of the methods named `method` in the classes of the files going by module
    /// name `module`, in indexing order.
    pub fn methods(&self, module: &str, method: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &seq in self.by_module.get(module).map_or(&[][..], Vec::as_slice) {
            for local in &self.files[seq as usize].1 {
                if local.rsplit_once('.').is_some_and(|(_, n)| n == method) {
                    let k = self.key(seq, local);
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
            }
        }
        out
    }

    /// The functions a package re-exports under `path` (`mip.Pacs.list_studies` for
    /// `mip.pacs.Pacs.list_studies`), in indexing order.
    pub fn reexports(&self, path: &str) -> Vec<String> {
        let mut found: Vec<(u32, String)> = Vec::new();
        for (parent, local) in splits(path, self.local_dots) {
            let (Some(a), Some(b)) = (self.by_parent.get(parent), self.by_local.get(local)) else {
                continue;
            };
            for seq in both(a, b) {
                found.push((seq, self.key(seq, local)));
            }
        }
        found.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, k) in found {
            if !out.contains(&k) {
                out.push(k);
            }
        }
        out
    }

    /// Sizes for diagnostics: module names, local names, files.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.by_module.len(), self.by_local.len(), self.files.len())
    }
}

/// Record that parts `parts` of parameter `i` are returned (None: the whole parameter).
pub fn note_ret_parts(
    ret_parts: &mut Vec<(u32, Option<Vec<String>>)>,
    i: u32,
    parts: Option<Vec<String>>,
) {
    match ret_parts.iter_mut().find(|(p, _)| *p == i) {
        Some((_, cur)) => {
            *cur = match (cur.take(), parts) {
                (Some(mut a), Some(b)) => {
                    a.extend(b);
                    a.sort();
                    a.dedup();
                    Some(a)
                }
                _ => None,
            }
        }
        None => ret_parts.push((i, parts)),
    }
}

/// Whether stored field data of class `class` (qualified) applies to a class known as `name`
/// (qualified, or as far as its imports say).
pub fn class_matches(class: &str, name: &str) -> bool {
    class == name
        || (class.len() > name.len()
            && class.ends_with(name)
            && class.as_bytes()[class.len() - name.len() - 1] == b'.')
}

pub fn qualified(module: &str, owner: Option<&str>, name: &str) -> String {
    match owner {
        Some(o) => format!("{module}.{o}.{name}"),
        None => format!("{module}.{name}"),
    }
}

/// Per language (by name), module name → the first file of the scan going by it.
pub type ModuleMap = HashMap<&'static str, HashMap<String, usize>>;

/// Type name → the parsed files declaring it.
pub type TypeFiles = HashMap<String, Vec<usize>>;

/// Per parsed file (index), its module-level string constants by name.
pub type Constants = HashMap<usize, HashMap<String, String>>;

/// Class name → field → the absolute path of the class its constructors set it to.
pub type ObjectFields = HashMap<String, HashMap<String, String>>;

/// The fields constructors set to new objects, by class name; a field two classes of the
/// same name set to different types is left out.
pub fn object_fields<'a>(
    facts: impl Iterator<Item = &'a (String, String, String)>,
) -> ObjectFields {
    let mut all: HashMap<(&str, &str), Option<&str>> = HashMap::default();
    for (class, field, ty) in facts {
        all.entry((class, field))
            .and_modify(|t| {
                if *t != Some(ty.as_str()) {
                    *t = None;
                }
            })
            .or_insert(Some(ty));
    }
    let mut out = ObjectFields::default();
    for ((class, field), ty) in all {
        if let Some(ty) = ty {
            out.entry(class.to_string())
                .or_default()
                .insert(field.to_string(), ty.to_string());
        }
    }
    out
}

/// Shared, read-only inputs of an inter-procedural round.
#[derive(Debug, Default)]
pub struct Project {
    pub index: FnIndex,
    pub summaries: Summaries,
    /// Names (last segment) of the functions whose summary returns a client object.
    pub object_returners: std::collections::HashSet<String>,
    /// Per language, module name → file index, over every file of the scan (parsed or
    /// not): an import never names a file of another language. Shared by every round.
    pub all_modules: std::sync::Arc<ModuleMap>,
    /// Which files are parsed (index as in `all_modules`).
    pub parsed: Vec<bool>,
    /// Functions that receive health data somewhere in the project (previous round).
    pub demanded: std::collections::BTreeSet<std::sync::Arc<str>>,
    /// Health-record types declared in the parsed files.
    pub health_types: super::types::HealthTypes,
    /// Default URLs of settings fields declared in the parsed files.
    pub field_urls: super::types::FieldUrls,
    /// Module-level string constants of the parsed files, imported by other files.
    pub constants: Constants,
    /// Fields that the parsed files' constructors set to new objects.
    pub object_fields: ObjectFields,
    /// Declared field types of the parsed files' types (class → field → type as written);
    /// a field two types of the same name declare differently is left out.
    pub declared_fields: ObjectFields,
    /// Types that store health records (repositories), with the record type.
    pub store_types: super::types::StoreTypes,
    /// Every type name declared in the parsed files, with the files declaring it.
    pub type_files: TypeFiles,
    /// Health data stored into objects' fields by callers (previous round).
    pub field_data: FieldData,
}

impl Project {
    /// Whether a parsed file declares a type of this name.
    pub fn declares(&self, name: &str) -> bool {
        self.type_files.contains_key(name)
    }
}

/// Per-file outputs of a summary round.
#[derive(Debug, Default)]
pub struct FileSummaries {
    pub summaries: BTreeMap<String, Summary>,
    /// Calls resolved to nothing (neither the catalog nor a project function).
    pub unresolved_calls: u64,
    /// Files not parsed yet whose functions receive data from this file.
    pub wanted: std::collections::BTreeSet<usize>,
    /// Files not parsed yet whose functions this file calls: once parsed, what they return
    /// may be health data, and this file is analysed again.
    pub awaits: std::collections::BTreeSet<usize>,
    /// Project functions this file passes health data to (directly, or from a function that
    /// itself receives health data): only their callees are worth parsing.
    pub demanded: std::collections::BTreeSet<std::sync::Arc<str>>,
    /// Project functions whose summaries this file's analysis used.
    pub deps: std::collections::BTreeSet<std::sync::Arc<str>>,
    /// The functions summarised (their summaries move to the project's table, which shares
    /// these keys).
    pub keys: Vec<std::sync::Arc<str>>,
    /// Project functions this file passes real health data to.
    pub real_into: std::collections::BTreeSet<std::sync::Arc<str>>,
    /// Decisions recorded for `explain-source`.
    pub trace: Vec<crate::finding::TraceEntry>,
    /// Health data this file stores into other objects' fields through their methods.
    pub field_data: FieldData,
    /// Classes (qualified) whose stored field data this file's analysis read.
    pub field_deps: std::collections::BTreeSet<String>,
}
