//! Orchestration: walk → read → lower → analyse, in parallel, then one sorted [`Report`].
//! A file that cannot be read, decoded, parsed or analysed becomes a [`Skipped`] entry with
//! its reason; a panic in one file's analysis is caught and reported, never fatal.

use crate::budget::Deadline;
use crate::classify::Classifier;
use crate::config::PathFilter;
use crate::finding::{Finding, Report, SkipReason, Skipped};
use crate::lang::{Lang, LineMap};
use crate::patterns::Catalog;
use crate::prefilter::Prefilter;
use crate::taint::{EngineOptions, FileInput};
use crate::walk::{enclosing_root, report_root, walk, FileEntry, WalkOptions};
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    /// Worker threads (0 = one per core).
    pub jobs: usize,
    pub max_file_size: u64,
    pub engine: EngineOptions,
    pub follow_links: bool,
    /// Skip parsing files that cannot produce a finding (never changes results; the AI
    /// register of `--inventory` needs every file, so it is off there).
    pub prefilter: bool,
    /// How many calls deep flows are followed across functions and files (0: inside
    /// functions only).
    pub max_call_depth: usize,
    /// Source-to-sink paths kept per finding.
    pub max_paths: usize,
    /// Include / exclude globs from the configuration.
    pub filter: PathFilter,
    /// Per-file time budget for parsing (`None`: unlimited). A file that runs past it is
    /// skipped with [`SkipReason::TimeBudgetExceeded`].
    pub file_timeout: Option<std::time::Duration>,
    /// Compute the findings' fingerprints (JSON, SARIF and baselines need them; the text
    /// report does not, and they cost a parse of each sink's code).
    pub fingerprints: bool,
    /// Up to this many bytes of code, the scan keeps each file's code and model in memory
    /// between phases; past it, models are rebuilt and code is read again (checked unchanged)
    /// when needed, so memory does not grow with the files' text.
    pub cache_bytes: u64,
    /// Scan minified and bundled files too (see [`crate::lang::Language::is_minified`]);
    /// otherwise they are skipped with [`SkipReason::Minified`].
    pub include_minified: bool,
}

/// The default [`ScanOptions::cache_bytes`]: models are kept between project rounds while the
/// parsed sources add up to at most this many bytes (a model takes about 20 times its
/// source), and code while all read files do; past it they are rebuilt or read again when
/// needed, trading time for a bounded memory.
pub const MODEL_CACHE_BYTES: u64 = 8 * 1024 * 1024;

/// Past [`ScanOptions::cache_bytes`], the code of files not parsed stays in memory while it
/// adds up to at most this many times that size.
const COLD_CODE_FACTOR: u64 = 8;

/// Default per-file time budget.
pub const DEFAULT_FILE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Stack of each scan worker thread: the adapters bound their own recursion, this is
/// defence in depth for the rest of the pipeline on deeply nested input.
pub const WORKER_STACK_SIZE: usize = 16 * 1024 * 1024;

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            jobs: 0,
            max_file_size: 2 * 1024 * 1024,
            engine: EngineOptions::default(),
            follow_links: false,
            prefilter: true,
            max_call_depth: 6,
            max_paths: 10,
            filter: PathFilter::default(),
            file_timeout: Some(DEFAULT_FILE_TIMEOUT),
            fingerprints: true,
            cache_bytes: MODEL_CACHE_BYTES,
            include_minified: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("the embedded patterns are invalid: {0}")]
    Patterns(#[from] crate::patterns::PatternError),
    #[error("could not start {0} worker threads: {1}")]
    Threads(usize, String),
    #[error("could not read the current directory: {0}")]
    Cwd(std::io::Error),
}

/// The compiled knowledge a scan needs, built once.
pub struct Engine {
    pub catalog: Catalog,
    pub classifier: Classifier,
    /// Built on first use: a scan of a few files does without it.
    prefilter: std::sync::OnceLock<Prefilter>,
}

impl Engine {
    pub fn new() -> Result<Engine, ScanError> {
        Ok(Engine::with_catalog(Catalog::embedded()?))
    }

    /// An engine over `catalog` (the embedded one, or one extended by a configuration).
    pub fn with_catalog(catalog: Catalog) -> Engine {
        let classifier = Classifier::new(&catalog.lexicon);
        Engine {
            catalog,
            classifier,
            prefilter: std::sync::OnceLock::new(),
        }
    }

    /// The literal prefilter over this engine's catalog.
    pub fn prefilter(&self) -> &Prefilter {
        self.prefilter.get_or_init(|| Prefilter::new(&self.catalog))
    }
}

/// Up to this many files to read, every one is parsed: building the prefilter's automata
/// costs more than parsing them (a pre-commit hook's usual few files).
const PREFILTER_MIN_FILES: usize = 8;

type AnalysisResult = crate::taint::fixpoint::Analysis;

/// The scan's files as the fixpoint sees them: reads and parses on the scan's pool.
struct ScanFiles<'a> {
    engine: &'a Engine,
    opts: &'a ScanOptions,
    pool: &'a rayon::ThreadPool,
    slots: &'a mut Vec<Slot>,
    skipped: &'a mut Vec<Skipped>,
    /// Models stay in memory between rounds (small projects).
    keep_models: bool,
    /// Code stays in memory between phases (small projects).
    keep_code: bool,
}

impl crate::taint::fixpoint::Files for ScanFiles<'_> {
    fn count(&self) -> usize {
        self.slots.len()
    }

    fn env_readers(&self) -> Vec<String> {
        self.engine
            .catalog
            .langs()
            .flat_map(|l| l.file.flow.env_readers.iter().cloned())
            .collect()
    }

    fn rel(&self, i: usize) -> &str {
        &self.slots[i].entry.rel
    }

    fn lang(&self, i: usize) -> Lang {
        self.slots[i].entry.lang
    }

    fn functions(&self, i: usize) -> Option<&[(Option<String>, String)]> {
        self.slots[i].functions.as_deref()
    }

    fn types(&self, i: usize) -> &[crate::model::TypeDecl] {
        &self.slots[i].types
    }

    fn constants(&self, i: usize) -> &[(String, String)] {
        &self.slots[i].constants
    }

    fn object_fields(&self, i: usize) -> &[(String, String, String)] {
        &self.slots[i].object_fields
    }

    fn source(&self, i: usize) -> Option<Cow<'_, str>> {
        self.slots[i].code(self.opts.max_file_size)?.ok()
    }

    fn module_names(&self, i: usize) -> Vec<String> {
        let s = &self.slots[i];
        match &s.names {
            Some(n) => n.clone(),
            None => s.entry.lang.module_names_in(&s.entry.rel, None),
        }
    }

    fn can_parse(&self, i: usize) -> bool {
        self.slots
            .get(i)
            .is_some_and(|s| s.code.is_some() || (s.context && !s.failed))
    }

    fn parse(&mut self, which: &[usize]) {
        parse_slots(
            self.pool,
            &self.engine.catalog,
            self.slots,
            which,
            self.skipped,
            self.opts,
            self.keep_models,
        );
        if !self.keep_code {
            for &i in which {
                if let Some(s) = self.slots.get_mut(i) {
                    s.unload();
                }
            }
        }
    }

    fn analyze(
        &mut self,
        which: &[usize],
        names: &[Vec<String>],
        project: &crate::taint::Project,
    ) -> Vec<(usize, AnalysisResult)> {
        let taken: Vec<(usize, Option<crate::model::Module>)> = which
            .iter()
            .map(|&i| (i, self.slots[i].module.take()))
            .collect();
        let (engine, opts, slots, keep) = (self.engine, self.opts, &*self.slots, self.keep_models);
        let results: Vec<(usize, AnalysisResult, Option<crate::model::Module>)> =
            self.pool.install(|| {
                taken
                    .into_par_iter()
                    .map(|(i, model)| {
                        let (r, m) =
                            analyze_slot(engine, opts, &slots[i], model, &names[i], project);
                        // Dropped here, on the worker, unless kept for the next round.
                        (i, r, m.filter(|_| keep))
                    })
                    .collect()
            });
        results
            .into_iter()
            .map(|(i, r, model)| {
                self.slots[i].module = model;
                (i, r)
            })
            .collect()
    }

    fn drop_failed(&mut self, i: usize, reason: SkipReason) {
        self.slots[i].code = Code::None;
        self.skipped.push(Skipped {
            path: self.slots[i].entry.rel.clone(),
            reason,
        });
    }
}

/// Where a read file's code is between phases.
enum Code {
    /// Not read, or dropped (it could not be read, parsed or analysed).
    None,
    Kept(String),
    /// Left on disk: read again when needed, and used only if it is still what was read.
    OnDisk {
        len: usize,
        digest: u64,
    },
}

impl Code {
    fn is_some(&self) -> bool {
        !matches!(self, Code::None)
    }
}

/// A digest of code read, to tell whether it changed on disk before it was read again.
fn digest(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(text.as_bytes());
    h.finish()
}

/// One walked file on its way through the phases.
struct Slot {
    entry: FileEntry,
    code: Code,
    /// The module names it goes by, from its path and the code first read (`None` for context
    /// files: their path alone).
    names: Option<Vec<String>>,
    /// Its code was given, not read from disk (the git index): it has no copy there.
    given: bool,
    /// Where the source's lines lie in a container file (a notebook).
    lines: Option<LineMap>,
    /// The functions it declares (owner, name), once it has been parsed.
    functions: Option<Vec<(Option<String>, String)>>,
    /// The types it declares, once it has been parsed (the project's type environment).
    types: Vec<crate::model::TypeDecl>,
    /// Its module-level string constants (name, text), once it has been parsed.
    constants: Vec<(String, String)>,
    /// Fields its classes' constructors set to new objects (class, field, type path).
    object_fields: Vec<(String, String, String)>,
    /// Its model, kept between rounds while the project is small enough (see
    /// [`MODEL_CACHE_BYTES`]); otherwise rebuilt when the file is analysed again.
    module: Option<crate::model::Module>,
    /// Passed the prefilter (or the prefilter is off).
    hot: bool,
    /// Outside the files asked for: read only if a flow needs it; its findings are not
    /// reported, only why it could not be read or parsed.
    context: bool,
    /// A context file that could not be read or parsed (reported once, not tried again).
    failed: bool,
}

impl Slot {
    /// Its code, kept or read again; `None` if it has none (never read, or dropped).
    fn code(&self, max_file_size: u64) -> Option<Result<Cow<'_, str>, SkipReason>> {
        match &self.code {
            Code::None => None,
            Code::Kept(s) => Some(Ok(Cow::Borrowed(s))),
            Code::OnDisk { len, digest: d } => {
                Some(read_source(&self.entry, max_file_size).and_then(|(s, _)| {
                    if s.len() == *len && digest(&s) == *d {
                        Ok(Cow::Owned(s))
                    } else {
                        Err(SkipReason::Unreadable("changed during the scan".into()))
                    }
                }))
            }
        }
    }

    /// Leave the code on disk (the scan's files add up to more than it keeps), unless it
    /// was given rather than read.
    fn unload(&mut self) {
        if self.given {
            return;
        }
        if let Code::Kept(s) = &self.code {
            self.code = Code::OnDisk {
                len: s.len(),
                digest: digest(s),
            };
        }
    }
}

/// The scan's worker threads (`--jobs`; 0 = one per core).
fn worker_pool(opts: &ScanOptions) -> Result<(usize, rayon::ThreadPool), ScanError> {
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        opts.jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK_SIZE)
        .build()
        .map_err(|e| ScanError::Threads(jobs, e.to_string()))?;
    Ok((jobs, pool))
}

/// Where a file's text comes from.
enum Input {
    Disk,
    Given(String),
    /// Another file of the repository, read only if a flow from the files asked for needs it.
    Context,
}

/// Told (files done, files to scan) as a scan progresses, from worker threads.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Scan `opts.paths`.
pub fn scan(engine: &Engine, opts: &ScanOptions) -> Result<Report, ScanError> {
    scan_with_progress(engine, opts, None)
}

/// [`scan`], reporting progress to `progress` (files read and prefiltered, then parsed).
pub fn scan_with_progress(
    engine: &Engine,
    opts: &ScanOptions,
    progress: Option<Progress>,
) -> Result<Report, ScanError> {
    let cwd = std::env::current_dir().map_err(ScanError::Cwd)?;
    let first = opts
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    // Explicit paths outside the root widen it to their common ancestor: reported paths
    // never escape the root.
    let root = enclosing_root(&report_root(&first, &cwd), &opts.paths, &cwd);
    let (jobs, pool) = worker_pool(opts)?;
    let wopts = WalkOptions {
        threads: jobs,
        follow_links: opts.follow_links,
    };
    let (mut files, skipped) = walk(&opts.paths, &root, &wopts);
    files.retain(|f| opts.filter.allows(&f.rel));
    let mut sources: Vec<(FileEntry, Input)> =
        files.into_iter().map(|f| (f, Input::Disk)).collect();
    // Files named one by one (a commit hook): the rest of the repository is context, read only
    // when a flow from the named files goes into it.
    let in_repository = root.join(".git").exists()
        && opts
            .paths
            .iter()
            .all(|p| p.is_file() && p.canonicalize().is_ok_and(|c| c.starts_with(&root)));
    if opts.max_call_depth > 0 && !opts.paths.is_empty() && in_repository {
        let named: std::collections::HashSet<String> =
            sources.iter().map(|(f, _)| f.rel.clone()).collect();
        let (all, _) = walk(std::slice::from_ref(&root), &root, &wopts);
        sources.extend(
            all.into_iter()
                .filter(|f| !named.contains(&f.rel) && opts.filter.allows(&f.rel))
                .map(|f| (f, Input::Context)),
        );
    }
    Ok(run(engine, opts, &pool, &root, sources, skipped, progress))
}

/// A file's contents from somewhere other than the file system (the git index).
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Relative to `root`, `/` separators.
    pub rel: String,
    pub lang: Lang,
    pub text: String,
}

/// Scan contents that are not read from disk, as if they were the files `rel` under `root`.
pub fn scan_sources(
    engine: &Engine,
    opts: &ScanOptions,
    root: &Path,
    sources: &[SourceFile],
) -> Result<Report, ScanError> {
    let (jobs, pool) = worker_pool(opts)?;
    let mut files: Vec<(FileEntry, Input)> = sources
        .iter()
        .filter(|s| opts.filter.allows(&s.rel))
        .map(|s| {
            let entry = FileEntry {
                abs: root.join(&s.rel),
                rel: s.rel.clone(),
                lang: s.lang,
            };
            (entry, Input::Given(s.text.clone()))
        })
        .collect();
    // As with files named one by one, the rest of the repository (its working tree) is
    // context.
    if opts.max_call_depth > 0 && !files.is_empty() && root.join(".git").exists() {
        let given: std::collections::HashSet<String> =
            files.iter().map(|(f, _)| f.rel.clone()).collect();
        let wopts = WalkOptions {
            threads: jobs,
            follow_links: opts.follow_links,
        };
        let (all, _) = walk(&[root.to_path_buf()], root, &wopts);
        files.extend(
            all.into_iter()
                .filter(|f| !given.contains(&f.rel) && opts.filter.allows(&f.rel))
                .map(|f| (f, Input::Context)),
        );
    }
    Ok(run(engine, opts, &pool, root, files, Vec::new(), None))
}

/// The phases shared by every scan: read (unless given), prefilter, parse, analyse.
fn run(
    engine: &Engine,
    opts: &ScanOptions,
    pool: &rayon::ThreadPool,
    root: &Path,
    files: Vec<(FileEntry, Input)>,
    mut skipped: Vec<Skipped>,
    progress: Option<Progress>,
) -> Report {
    let mut report = Report {
        root: root.to_string_lossy().into_owned(),
        ..Report::default()
    };
    let to_read = files
        .iter()
        .filter(|(_, input)| !matches!(input, Input::Context))
        .count();
    let use_prefilter = opts.prefilter && !opts.engine.inventory && to_read > PREFILTER_MIN_FILES;

    // Read, decode and prefilter every file.
    let total = files.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    if let Some(p) = progress {
        p(0, total);
    }
    type Read = Result<Option<(String, Option<LineMap>, bool)>, SkipReason>;
    let read: Vec<Read> = pool.install(|| {
        files
            .par_iter()
            .map(|(f, input)| {
                let text = match input {
                    Input::Given(t) if t.len() as u64 > opts.max_file_size => {
                        Err(SkipReason::TooLarge {
                            size: t.len() as u64,
                            limit: opts.max_file_size,
                        })
                    }
                    Input::Given(t) => extract(f.lang, t.clone()).map(Some),
                    Input::Disk => read_source(f, opts.max_file_size).map(Some),
                    Input::Context => Ok(None),
                };
                let text = text.and_then(|src| match src {
                    Some((code, _)) if !opts.include_minified && is_minified(f, &code) => {
                        Err(SkipReason::Minified)
                    }
                    other => Ok(other),
                });
                let r = text.map(|src| {
                    src.map(|(src, lines)| {
                        let hot = !use_prefilter || engine.prefilter().may_match(&src);
                        (src, lines, hot)
                    })
                });
                if let Some(p) = progress {
                    p(
                        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                        total,
                    );
                }
                r
            })
            .collect()
    });
    let mut slots: Vec<Slot> = Vec::with_capacity(files.len());
    for ((f, input), r) in files.into_iter().zip(read) {
        let given = matches!(input, Input::Given(_));
        match r {
            Ok(None) => slots.push(Slot {
                entry: f,
                code: Code::None,
                names: None,
                given,
                lines: None,
                functions: None,
                types: Vec::new(),
                constants: Vec::new(),
                object_fields: Vec::new(),
                module: None,
                hot: false,
                context: true,
                failed: false,
            }),
            Ok(Some((src, lines, hot))) => {
                report.scanned_paths.push(f.rel.clone());
                report.files_scanned += 1;
                report.bytes_scanned += src.len() as u64;
                report.lines_scanned += src.lines().count() as u64;
                let names = Some(f.lang.module_names_in(&f.rel, Some(&src)));
                slots.push(Slot {
                    entry: f,
                    code: Code::Kept(src),
                    names,
                    given,
                    lines,
                    functions: None,
                    types: Vec::new(),
                    constants: Vec::new(),
                    object_fields: Vec::new(),
                    module: None,
                    hot,
                    context: false,
                    failed: false,
                });
            }
            Err(reason) => skipped.push(Skipped {
                path: f.rel,
                reason,
            }),
        }
    }

    let want: Vec<usize> = (0..slots.len()).filter(|&i| slots[i].hot).collect();
    let hot_bytes: u64 = want
        .iter()
        .map(|&i| match &slots[i].code {
            Code::Kept(s) => s.len() as u64,
            _ => 0,
        })
        .sum();
    let keep_models = hot_bytes <= opts.cache_bytes;
    // Code given rather than read (the git index) has no copy on disk: it is always kept.
    let keep_code = report.bytes_scanned <= opts.cache_bytes;
    parse_slots(
        pool,
        &engine.catalog,
        &mut slots,
        &want,
        &mut skipped,
        opts,
        keep_models,
    );
    if !keep_code {
        // Files not parsed keep their code for the rounds' text tests (which file to parse
        // next), which would otherwise read them all again each round, while it adds up to
        // at most `COLD_CODE_FACTOR` times the cache; parsed files read theirs again.
        let cold: u64 = slots
            .iter()
            .filter(|s| s.functions.is_none())
            .map(|s| match &s.code {
                Code::Kept(c) => c.len() as u64,
                _ => 0,
            })
            .sum();
        let keep_cold = cold <= opts.cache_bytes.saturating_mul(COLD_CODE_FACTOR);
        for s in slots.iter_mut() {
            if s.functions.is_some() || !keep_cold {
                s.unload();
            }
        }
    }

    // Whole-project rounds, to the fixpoint (`taint::fixpoint`).
    let outcome = {
        let mut files = ScanFiles {
            engine,
            opts,
            pool,
            slots: &mut slots,
            skipped: &mut skipped,
            keep_models,
            keep_code,
        };
        crate::taint::fixpoint::solve(&mut files, &engine.classifier, opts.max_call_depth)
    };
    let crate::taint::fixpoint::Outcome {
        findings: found,
        mut directives,
        summaries: mut cache,
    } = outcome;
    let unresolved: u64 = cache.iter().flatten().map(|s| s.unresolved_calls).sum();
    for sums in cache.iter_mut().flatten() {
        report.trace.append(&mut sums.trace);
    }
    report.trace.sort();
    report.trace.dedup();
    // Only what the files asked for cause is reported on: findings with their sink in one, and
    // findings in context files with the flows whose source is in one.
    let context: std::collections::HashSet<&str> = slots
        .iter()
        .filter(|s| s.context)
        .map(|s| s.entry.rel.as_str())
        .collect();
    let slot_of: std::collections::HashMap<&str, usize> = slots
        .iter()
        .enumerate()
        .map(|(i, s)| (s.entry.rel.as_str(), i))
        .collect();
    let mut findings: Vec<Finding> = Vec::new();
    for (i, f) in found.into_iter().enumerate() {
        if !slots[i].context {
            report.directives.extend(std::mem::take(&mut directives[i]));
        }
        findings.extend(f);
    }
    findings.retain_mut(|f| {
        if !context.contains(&*f.path) {
            return true;
        }
        f.flows.retain(|flow| {
            flow.first()
                .is_some_and(|step| !context.contains(&*step.path))
        });
        if f.flows.is_empty() {
            return false;
        }
        // The suppressions at a reported sink still apply.
        if let Some(&at) = slot_of.get(&*f.path) {
            report
                .directives
                .extend(directives[at].iter().filter(|d| d.covers(f)).cloned());
        }
        true
    });
    mark_test_code(
        &mut findings,
        &slots,
        &engine.catalog.lexicon.test_code,
        opts.max_file_size,
    );
    // Fingerprint keys need the sink file's text: one read per file, in parallel, with a
    // token cache per file (the keys do not depend on it).
    if opts.fingerprints {
        let by_path: std::collections::HashMap<&str, &Slot> =
            slots.iter().map(|s| (s.entry.rel.as_str(), s)).collect();
        findings.sort_by(|a, b| a.path.cmp(&b.path));
        let groups: Vec<&mut [Finding]> = findings.chunk_by_mut(|a, b| a.path == b.path).collect();
        pool.install(|| {
            groups.into_par_iter().for_each(|group| {
                let Some(slot) = group.first().and_then(|f| by_path.get(&*f.path)) else {
                    return;
                };
                let Some(Ok(src)) = slot.code(opts.max_file_size) else {
                    return;
                };
                let lang = slot.entry.lang;
                let mut tokens = crate::fingerprint::TokenCache::default();
                for f in group.iter_mut() {
                    let (fr, src, tokens) = (&*f, &*src, &mut tokens);
                    if let Ok(k) =
                        catch_panic(move || crate::fingerprint::key(fr, src, lang, tokens))
                    {
                        f.fingerprint = k;
                    }
                }
            })
        });
    }
    to_file_positions(
        &mut findings,
        &mut report.directives,
        &mut report.trace,
        &slots,
    );
    report.findings = findings;
    report.unresolved_calls = unresolved;
    finish(&mut report, opts.max_paths);
    skipped.sort();
    skipped.dedup();
    report.skipped = skipped;
    report.scanned_paths.sort();
    report.directives.sort();
    report.directives.dedup();
    report
}

/// Findings and suppressions in code taken out of a container file (a notebook) move to
/// where that code lies in the file, and name the part (cell) of their sink.
fn to_file_positions(
    findings: &mut [Finding],
    directives: &mut [crate::suppress::Directive],
    trace: &mut [crate::finding::TraceEntry],
    slots: &[Slot],
) {
    let maps: std::collections::HashMap<&str, &LineMap> = slots
        .iter()
        .filter_map(|s| s.lines.as_ref().map(|m| (s.entry.rel.as_str(), m)))
        .collect();
    if maps.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        if let Some(map) = maps.get(&*f.path) {
            if let Some(cell) = map.part(f.span.start_line) {
                f.message = format!("{} (cell {cell})", f.message);
            }
            f.span = map.span(f.span);
        }
        for step in f.flows.iter_mut().flatten() {
            if let Some(map) = maps.get(&*step.path) {
                if let Some(cell) = map.part(step.span.start_line) {
                    step.message = format!("{} (cell {cell})", step.message).into();
                }
                step.span = map.span(step.span);
            }
        }
    }
    for d in directives.iter_mut() {
        if let Some(map) = maps.get(d.path.as_str()) {
            (d.line, d.column) = map.position(d.line, d.column);
        }
    }
    for t in trace.iter_mut() {
        if let Some(map) = maps.get(t.path.as_str()) {
            (t.line, t.col) = map.position(t.line, t.col);
        }
    }
}

/// Test code: findings whose sink is in a test are marked; flows that start in test code
/// (fixtures, mocks) and end outside it are dropped, and so are sinks that are test doubles.
fn mark_test_code(
    findings: &mut Vec<Finding>,
    slots: &[Slot],
    spec: &crate::patterns::TestCodeSpec,
    max_file_size: u64,
) {
    use crate::testcode;
    // Only the files findings start or end in are looked at.
    let touched: std::collections::HashSet<&str> = findings
        .iter()
        .flat_map(|f| {
            std::iter::once(&*f.path)
                .chain(f.flows.iter().filter_map(|fl| fl.first()).map(|s| &*s.path))
        })
        .collect();
    let mut regions: std::collections::HashMap<&str, Vec<(u32, u32)>> =
        std::collections::HashMap::new();
    let mut loopback: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for s in slots
        .iter()
        .filter(|s| touched.contains(s.entry.rel.as_str()))
    {
        let Some(Ok(src)) = s.code(max_file_size) else {
            continue;
        };
        let r = s.entry.lang.test_regions(&src);
        if !r.is_empty() {
            regions.insert(s.entry.rel.as_str(), r);
        }
        if testcode::reaches_app_under_test(spec, &src) {
            loopback.insert(s.entry.rel.as_str());
        }
    }
    let in_test = |path: &str, span: crate::model::Span| {
        testcode::is_test_code(
            spec,
            path,
            span,
            regions.get(path).map_or(&[][..], Vec::as_slice),
        )
    };
    findings.retain_mut(|f| {
        f.test = in_test(&f.path, f.span);
        if f.test {
            let Some(sink) = f.sink.as_ref() else {
                return true;
            };
            // Requests to the application under test: no endpoint spelt out, in a test that
            // serves it on loopback or drives it through a client holding its base URL.
            let to_loopback = loopback.contains(&*f.path)
                && sink
                    .endpoint
                    .as_deref()
                    .is_none_or(|e| e == crate::taint::UNKNOWN_ENDPOINT)
                && matches!(
                    f.rule,
                    crate::rules::RuleId::HealthDataToThirdParty
                        | crate::rules::RuleId::HealthDataCrossBorder
                );
            return !to_loopback && !testcode::is_test_double(spec, &sink.callee);
        }
        if f.flows.is_empty() {
            return true;
        }
        let before = f.flows.len();
        f.flows
            .retain(|flow| flow.first().is_none_or(|s| !in_test(&s.path, s.span)));
        f.total_flows = f.total_flows.saturating_sub(before - f.flows.len());
        !f.flows.is_empty()
    });
}

/// Parse (lower) the given slots in parallel; failures become skips.
fn parse_slots(
    pool: &rayon::ThreadPool,
    catalog: &Catalog,
    slots: &mut [Slot],
    which: &[usize],
    skipped: &mut Vec<Skipped>,
    opts: &ScanOptions,
    keep_models: bool,
) {
    let timeout = opts.file_timeout;
    // Context files are read now that a flow needs them, within the same size limit; one
    // that cannot be read is reported, since flows through it are not followed.
    for &i in which {
        if let Some(s) = slots.get_mut(i) {
            if s.context && !s.failed && !s.code.is_some() {
                match read_source(&s.entry, opts.max_file_size) {
                    Ok((src, lines)) => {
                        s.code = Code::Kept(src);
                        s.lines = lines;
                    }
                    Err(reason) => {
                        s.failed = true;
                        skipped.push(Skipped {
                            path: s.entry.rel.clone(),
                            reason,
                        });
                    }
                }
            }
        }
    }
    // The function list always; the model only when it is kept (models of a large project
    // must not all be alive at once).
    type Listed = Result<
        (
            Vec<(Option<String>, String)>,
            Vec<crate::model::TypeDecl>,
            Vec<(String, String)>,
            Vec<(String, String, String)>,
            Option<crate::model::Module>,
        ),
        SkipReason,
    >;
    let parsed: Vec<(usize, Listed)> = pool.install(|| {
        which
            .par_iter()
            .filter_map(|&i| {
                let s = slots.get(i)?;
                let src = match s.code(opts.max_file_size)? {
                    Ok(src) => src,
                    Err(reason) => return Some((i, Err(reason))),
                };
                let src = &*src;
                let lang = s.entry.lang;
                let deadline = Deadline::after(timeout);
                let _current = deadline.enter();
                let r = catch_panic(|| crate::complete::lower(catalog, lang, src, &s.entry.rel));
                let primary = match &s.names {
                    Some(n) => n.first().cloned(),
                    None => lang.module_names_in(&s.entry.rel, None).first().cloned(),
                }
                .unwrap_or_default();
                let is_package = lang.is_package_file(&s.entry.rel);
                Some((
                    i,
                    match r {
                        Ok(Ok(m)) => Ok((
                            function_list(&m),
                            m.types.clone(),
                            crate::taint::types::string_constants(&m),
                            crate::taint::types::constructed_fields(
                                &m,
                                &catalog.lang(lang).file.flow,
                                lang,
                                &primary,
                                is_package,
                            ),
                            Some(m).filter(|_| keep_models),
                        )),
                        Ok(Err(crate::lang::LowerError::TimeBudget(e))) => {
                            Err(SkipReason::TimeBudgetExceeded { millis: e.millis })
                        }
                        Ok(Err(e)) => Err(SkipReason::ParseFailed(e.to_string())),
                        Err(reason) => Err(reason),
                    },
                ))
            })
            .collect()
    });
    for (i, r) in parsed {
        match r {
            Ok((functions, types, constants, object_fields, m)) => {
                slots[i].functions = Some(functions);
                slots[i].types = types;
                slots[i].constants = constants;
                slots[i].object_fields = object_fields;
                slots[i].module = m;
            }
            Err(reason) => {
                slots[i].code = Code::None;
                slots[i].failed = slots[i].context;
                skipped.push(Skipped {
                    path: slots[i].entry.rel.clone(),
                    reason,
                });
            }
        }
    }
}

/// Analyse one file in a project round, with its kept model or a fresh one; the model is
/// handed back for the cache.
fn analyze_slot(
    engine: &Engine,
    opts: &ScanOptions,
    s: &Slot,
    kept: Option<crate::model::Module>,
    names: &[String],
    project: &crate::taint::Project,
) -> (AnalysisResult, Option<crate::model::Module>) {
    let source = match s.code(opts.max_file_size) {
        None => return (Ok(Default::default()), None),
        Some(Ok(source)) => source,
        Some(Err(reason)) => return (Err(reason), None),
    };
    let source = &*source;
    let module = match kept {
        Some(m) => m,
        None => {
            let deadline = Deadline::after(opts.file_timeout);
            let _current = deadline.enter();
            match catch_panic(|| {
                crate::complete::lower(&engine.catalog, s.entry.lang, source, &s.entry.rel)
            }) {
                Ok(Ok(m)) => m,
                Ok(Err(crate::lang::LowerError::TimeBudget(e))) => {
                    return (
                        Err(SkipReason::TimeBudgetExceeded { millis: e.millis }),
                        None,
                    )
                }
                Ok(Err(e)) => return (Err(SkipReason::ParseFailed(e.to_string())), None),
                Err(reason) => return (Err(reason), None),
            }
        }
    };
    // The analysis has its own budget in each round (a kept model skips the parse).
    let deadline = Deadline::after(opts.file_timeout);
    let _current = deadline.enter();
    // A line of a container file is traced at the code line placed there.
    let traced;
    let engine_opts = match (&s.lines, opts.engine.trace_line) {
        (Some(map), Some(line)) => {
            traced = crate::taint::EngineOptions {
                trace_line: map.code_line(line),
                ..opts.engine.clone()
            };
            &traced
        }
        _ => &opts.engine,
    };
    let r = catch_panic(|| {
        let input = FileInput {
            path: &s.entry.rel,
            lang: s.entry.lang,
            module: &module,
            source,
            lines: s.lines.as_ref(),
        };
        let (findings, sums) = crate::taint::analyze_in_project(
            &input,
            &engine.catalog,
            &engine.classifier,
            engine_opts,
            Some(project),
            names.to_vec(),
        );
        let directives = crate::suppress::parse(&s.entry.rel, &module.comments, source);
        (findings, sums, directives)
    });
    if crate::budget::tripped() {
        return (
            Err(SkipReason::TimeBudgetExceeded {
                millis: deadline.budget_millis(),
            }),
            Some(module),
        );
    }
    (r, Some(module))
}

/// The functions a model declares, for the project index.
fn function_list(m: &crate::model::Module) -> Vec<(Option<String>, String)> {
    m.functions
        .iter()
        .filter(|f| !f.is_module)
        .map(|f| (f.owner.clone(), f.name.clone()))
        .collect()
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Sort findings in the one order every reporter uses. Findings at the same sink for the same
/// rule (several callers reaching one wrapper) become one finding with several paths.
pub fn finish(report: &mut Report, max_paths: usize) {
    report.findings.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.flows.cmp(&b.flows))
            .then_with(|| a.message.cmp(&b.message))
    });
    let mut out: Vec<Finding> = Vec::with_capacity(report.findings.len());
    for f in report.findings.drain(..) {
        match out.last_mut() {
            Some(last) if last.rule == f.rule && last.path == f.path && last.span == f.span => {
                last.direct_identifier |= f.direct_identifier;
                for c in f.categories {
                    if !last.categories.contains(&c) {
                        last.categories.push(c);
                    }
                }
                last.security_severity = match (last.security_severity, f.security_severity) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                for flow in f.flows {
                    if !last.flows.contains(&flow) {
                        last.flows.push(flow);
                    }
                }
            }
            _ => out.push(f),
        }
    }
    for f in &mut out {
        f.categories.sort();
        // The path of the source the message names stays first.
        if f.flows.len() > 1 {
            f.flows[1..].sort();
        }
        f.total_flows = f.flows.len();
        f.flows.truncate(max_paths.max(1));
    }
    report.findings = out;
    let legacy = crate::fingerprint::assign(&mut report.findings);
    report.legacy_fingerprints = report
        .findings
        .iter()
        .zip(legacy)
        .filter(|(_, old)| !old.is_empty())
        .map(|(f, old)| (f.fingerprint.clone(), old))
        .collect();
}

/// A file's text: at most `max_file_size` bytes, not binary, decoded.
fn read_text(path: &Path, lang: Lang, max_file_size: u64) -> Result<String, SkipReason> {
    let bytes = crate::walk::read_capped(path, max_file_size).map_err(SkipReason::from)?;
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(SkipReason::Binary);
    }
    crate::decode::decode(lang, bytes).ok_or(SkipReason::InvalidUtf8)
}

/// The code of a file's text, out of its container (a notebook's cells) if it has one, with
/// where its lines lie in the file.
fn extract(lang: Lang, text: String) -> Result<(String, Option<LineMap>), SkipReason> {
    lang.extract(text).map_err(SkipReason::ParseFailed)
}

/// A source file's code: read as [`read_text`] reads, out of its container.
pub(crate) fn read_source_at(
    path: &Path,
    lang: Lang,
    max_file_size: u64,
) -> Result<String, SkipReason> {
    extract(lang, read_text(path, lang, max_file_size)?).map(|(code, _)| code)
}

fn is_minified(f: &FileEntry, code: &str) -> bool {
    let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
    f.lang.is_minified(name, code)
}

fn read_source(f: &FileEntry, max_file_size: u64) -> Result<(String, Option<LineMap>), SkipReason> {
    extract(f.lang, read_text(&f.abs, f.lang, max_file_size)?)
}

/// Run `f`, turning a panic into [`SkipReason::AnalysisPanicked`] with its message.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, SkipReason> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .map_err(|p| SkipReason::AnalysisPanicked(panic_message(&p)))
}

/// Scan one walked file on its own: its findings, or why it was skipped. Never panics.
pub fn scan_one(
    engine: &Engine,
    f: &FileEntry,
    opts: &ScanOptions,
) -> Result<Vec<Finding>, Skipped> {
    let skipped = |reason| Skipped {
        path: f.rel.clone(),
        reason,
    };
    let source = read_text(&f.abs, f.lang, opts.max_file_size).map_err(skipped)?;
    let (_, pool) =
        worker_pool(opts).map_err(|e| skipped(SkipReason::AnalysisPanicked(e.to_string())))?;
    let root = f.abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut report = run(
        engine,
        opts,
        &pool,
        &root,
        vec![(f.clone(), Input::Given(source))],
        Vec::new(),
        None,
    );
    match report.skipped.pop() {
        Some(s) => Err(s),
        None => Ok(report.findings),
    }
}

/// The floor every scan is measured against: the same walk, reads and tree-sitter parses,
/// with no lowering or analysis. Returns (files parsed, bytes read).
pub fn parse_floor(opts: &ScanOptions) -> Result<(usize, u64), ScanError> {
    let cwd = std::env::current_dir().map_err(ScanError::Cwd)?;
    let first = opts
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let root = report_root(&first, &cwd);
    let (jobs, pool) = worker_pool(opts)?;
    let (files, _) = walk(
        &opts.paths,
        &root,
        &WalkOptions {
            threads: jobs,
            follow_links: opts.follow_links,
        },
    );
    let parsed: Vec<u64> = pool.install(|| {
        files
            .par_iter()
            .map(|f| {
                let Ok((src, _)) = read_source(f, opts.max_file_size) else {
                    return 0;
                };
                let mut parser = tree_sitter::Parser::new();
                if parser.set_language(&f.lang.ts_language()).is_err() {
                    return 0;
                }
                match parser.parse(&src, None) {
                    Some(t) => {
                        src.len() as u64 + u64::from(t.root_node().child_count() == usize::MAX)
                    }
                    None => 0,
                }
            })
            .collect()
    });
    Ok((
        parsed.iter().filter(|&&b| b > 0).count(),
        parsed.iter().sum(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_left_on_disk_is_used_only_if_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let abs = dir.path().join("a.py");
        std::fs::write(&abs, "x = 1\n").unwrap();
        let mut slot = Slot {
            entry: FileEntry {
                abs: abs.clone(),
                rel: "a.py".into(),
                lang: Lang::from_path(&abs).unwrap(),
            },
            code: Code::Kept("x = 1\n".into()),
            names: None,
            given: false,
            lines: None,
            functions: None,
            types: Vec::new(),
            constants: Vec::new(),
            object_fields: Vec::new(),
            module: None,
            hot: true,
            context: false,
            failed: false,
        };
        slot.unload();
        assert!(matches!(slot.code, Code::OnDisk { .. }));
        assert_eq!(slot.code(1024).unwrap().unwrap(), "x = 1\n");
        std::fs::write(&abs, "x = 2\n").unwrap();
        let err = slot.code(1024).unwrap().unwrap_err();
        assert_eq!(
            err.to_string(),
            "could not be read: changed during the scan"
        );
        // Code given rather than read stays in memory.
        slot.code = Code::Kept("y = 1\n".into());
        slot.given = true;
        slot.unload();
        assert!(matches!(slot.code, Code::Kept(_)));
    }
}
