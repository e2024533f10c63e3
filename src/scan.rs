//! Orchestration: walk → read → lower → analyse, in parallel, then one sorted [`Report`].
//! A file that cannot be read, decoded, parsed or analysed becomes a [`Skipped`] entry with
//! its reason; a panic in one file's analysis is caught and reported, never fatal.

use crate::budget::Deadline;
use crate::classify::Classifier;
use crate::finding::{Finding, Report, SkipReason, Skipped};
use crate::patterns::Catalog;
use crate::prefilter::Prefilter;
use crate::taint::{analyze, EngineOptions, FileInput};
use crate::walk::{enclosing_root, relative, report_root, walk, FileEntry, WalkOptions};
use rayon::prelude::*;
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
    /// Per-file time budget for parsing and analysis (`None`: unlimited). A file that runs
    /// past it is skipped with [`SkipReason::TimeBudgetExceeded`].
    pub file_timeout: Option<std::time::Duration>,
}

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
            file_timeout: Some(DEFAULT_FILE_TIMEOUT),
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
    pub prefilter: Prefilter,
}

impl Engine {
    pub fn new() -> Result<Engine, ScanError> {
        let catalog = Catalog::embedded()?;
        let classifier = Classifier::new(&catalog.lexicon);
        let prefilter = Prefilter::new(&catalog);
        Ok(Engine {
            catalog,
            classifier,
            prefilter,
        })
    }
}

enum Outcome {
    Done {
        findings: Vec<Finding>,
        bytes: u64,
        lines: u64,
    },
    Skipped(Skipped),
}

/// Scan `opts.paths`.
pub fn scan(engine: &Engine, opts: &ScanOptions) -> Result<Report, ScanError> {
    let cwd = std::env::current_dir().map_err(ScanError::Cwd)?;
    let first = opts
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    // Explicit paths outside the root widen it to their common ancestor: reported paths
    // never escape the root.
    let root = enclosing_root(&report_root(&first, &cwd), &opts.paths, &cwd);
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
    let (files, mut skipped) = walk(
        &opts.paths,
        &root,
        &WalkOptions {
            threads: jobs,
            follow_links: opts.follow_links,
        },
    );
    let outcomes: Vec<Outcome> = pool.install(|| {
        files
            .par_iter()
            .map(|f| scan_file(engine, f, opts))
            .collect()
    });
    let mut report = Report {
        root: root.to_string_lossy().into_owned(),
        ..Report::default()
    };
    for o in outcomes {
        match o {
            Outcome::Done {
                findings,
                bytes,
                lines,
            } => {
                report.files_scanned += 1;
                report.bytes_scanned += bytes;
                report.lines_scanned += lines;
                report.findings.extend(findings);
            }
            Outcome::Skipped(s) => skipped.push(s),
        }
    }
    finish(&mut report);
    skipped.sort();
    report.skipped = skipped;
    Ok(report)
}

/// Sort findings in the one order every reporter uses and drop exact duplicates.
pub fn finish(report: &mut Report) {
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
        .findings
        .dedup_by(|a, b| a.rule == b.rule && a.path == b.path && a.span == b.span);
}

/// Scan one walked file: its findings, or why it was skipped. Never panics (a panic in the
/// analysis becomes [`SkipReason::AnalysisPanicked`]).
pub fn scan_one(
    engine: &Engine,
    f: &FileEntry,
    opts: &ScanOptions,
) -> Result<Vec<Finding>, Skipped> {
    match scan_file(engine, f, opts) {
        Outcome::Done { findings, .. } => Ok(findings),
        Outcome::Skipped(s) => Err(s),
    }
}

fn scan_file(engine: &Engine, f: &FileEntry, opts: &ScanOptions) -> Outcome {
    let skip = |reason| {
        Outcome::Skipped(Skipped {
            path: f.rel.clone(),
            reason,
        })
    };
    let meta = match std::fs::metadata(&f.abs) {
        Ok(m) => m,
        Err(e) => return skip(SkipReason::Unreadable(e.to_string())),
    };
    if meta.len() > opts.max_file_size {
        return skip(SkipReason::TooLarge {
            size: meta.len(),
            limit: opts.max_file_size,
        });
    }
    let bytes = match read_limited(&f.abs, opts.max_file_size) {
        Ok(b) => b,
        Err(e) => return skip(e),
    };
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return skip(SkipReason::Binary);
    }
    let Some(source) = crate::decode::decode(f.lang, bytes) else {
        return skip(SkipReason::InvalidUtf8);
    };
    let done = |findings| Outcome::Done {
        findings,
        bytes: source.len() as u64,
        lines: source.lines().count() as u64,
    };
    if opts.prefilter && !opts.engine.inventory && !engine.prefilter.may_match(&source) {
        return done(Vec::new());
    }
    let deadline = Deadline::after(opts.file_timeout);
    let _current = deadline.enter();
    let result = catch_panic(|| {
        let module = f.lang.lower(&source)?;
        deadline.check()?;
        let input = FileInput {
            path: &f.rel,
            lang: f.lang,
            module: &module,
            source: &source,
        };
        Ok::<_, crate::lang::LowerError>(analyze(
            &input,
            &engine.catalog,
            &engine.classifier,
            &opts.engine,
        ))
    });
    match result {
        // Analysis that completes is kept even when it ran late: nothing is lost.
        Ok(Ok(findings)) => done(findings),
        Ok(Err(crate::lang::LowerError::TimeBudget(e))) => {
            skip(SkipReason::TimeBudgetExceeded { millis: e.millis })
        }
        Ok(Err(e)) => skip(SkipReason::ParseFailed(e.to_string())),
        Err(reason) => skip(reason),
    }
}

/// Read at most `limit` bytes (the file may have grown since its size was checked).
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, SkipReason> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(SkipReason::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Run `f`, turning a panic into [`SkipReason::AnalysisPanicked`] with its message.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, SkipReason> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let msg = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        SkipReason::AnalysisPanicked(msg)
    })
}

/// Paths relative to the root a scan of `path` would use (for callers matching files).
pub fn rel_path(path: &Path, root: &Path) -> String {
    relative(path, root)
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
                let Ok(src) = std::fs::read_to_string(&f.abs) else {
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
    fn a_panic_becomes_a_skip_reason() {
        let r: Result<(), _> = catch_panic(|| panic!("boom in {}", "analysis"));
        assert_eq!(
            r,
            Err(SkipReason::AnalysisPanicked("boom in analysis".to_string()))
        );
        let r: Result<(), _> = catch_panic(|| std::panic::panic_any(7u8));
        assert_eq!(
            r,
            Err(SkipReason::AnalysisPanicked("unknown panic".to_string()))
        );
        assert_eq!(catch_panic(|| 3), Ok(3));
    }

    #[test]
    fn a_file_that_vanished_is_skipped_with_its_reason() {
        let engine = Engine::new().unwrap();
        let dir = std::env::temp_dir().join("healthflow-vanished-test");
        let f = FileEntry {
            abs: dir.join("gone.py"),
            rel: "gone.py".to_string(),
            lang: crate::lang::Lang::Python,
        };
        let s = scan_one(&engine, &f, &ScanOptions::default()).unwrap_err();
        assert_eq!(s.path, "gone.py");
        assert!(matches!(s.reason, SkipReason::Unreadable(_)), "{s:?}");
    }
}
