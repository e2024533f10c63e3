//! Orchestration: walk → read → lower → analyse, in parallel, then one sorted [`Report`].
//! A file that cannot be read, decoded, parsed or analysed becomes a [`Skipped`] entry with
//! its reason; a panic in one file's analysis is caught and reported, never fatal.

use crate::classify::Classifier;
use crate::config::PathFilter;
use crate::finding::{Finding, Report, SkipReason, Skipped};
use crate::lang::Lang;
use crate::patterns::Catalog;
use crate::suppress::Directive;
use crate::taint::{analyze, EngineOptions, FileInput};
use crate::walk::{relative, report_root, walk, FileEntry, WalkOptions};
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
    /// Include / exclude globs from the configuration.
    pub filter: PathFilter,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            jobs: 0,
            max_file_size: 2 * 1024 * 1024,
            engine: EngineOptions::default(),
            follow_links: false,
            filter: PathFilter::default(),
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
}

impl Engine {
    pub fn new() -> Result<Engine, ScanError> {
        Ok(Engine::with_catalog(Catalog::embedded()?))
    }

    pub fn with_catalog(catalog: Catalog) -> Engine {
        let classifier = Classifier::new(&catalog.lexicon);
        Engine {
            catalog,
            classifier,
        }
    }
}

enum Outcome {
    Done {
        path: String,
        findings: Vec<Finding>,
        directives: Vec<Directive>,
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
        .build()
        .map_err(|e| ScanError::Threads(jobs, e.to_string()))?;
    let (mut files, skipped) = walk(
        &opts.paths,
        &root,
        &WalkOptions {
            threads: jobs,
            follow_links: opts.follow_links,
        },
    );
    files.retain(|f| opts.filter.allows(&f.rel));
    let outcomes: Vec<Outcome> = pool.install(|| {
        files
            .par_iter()
            .map(|f| scan_file(engine, f, opts))
            .collect()
    });
    Ok(assemble(&root, outcomes, skipped))
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
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        opts.jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| ScanError::Threads(jobs, e.to_string()))?;
    let outcomes: Vec<Outcome> = pool.install(|| {
        sources
            .par_iter()
            .filter(|s| opts.filter.allows(&s.rel))
            .map(|s| {
                if s.text.len() as u64 > opts.max_file_size {
                    return Outcome::Skipped(Skipped {
                        path: s.rel.clone(),
                        reason: SkipReason::TooLarge {
                            size: s.text.len() as u64,
                            limit: opts.max_file_size,
                        },
                    });
                }
                analyze_source(engine, &s.rel, s.lang, &s.text, opts)
            })
            .collect()
    });
    Ok(assemble(root, outcomes, Vec::new()))
}

fn assemble(root: &Path, outcomes: Vec<Outcome>, mut skipped: Vec<Skipped>) -> Report {
    let mut report = Report {
        root: root.to_string_lossy().into_owned(),
        ..Report::default()
    };
    for o in outcomes {
        match o {
            Outcome::Done {
                path,
                findings,
                directives,
                bytes,
                lines,
            } => {
                report.scanned_paths.push(path);
                report.directives.extend(directives);
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
    report.scanned_paths.sort();
    report.directives.sort();
    report
}

/// Sort findings in the one order every reporter uses and drop exact duplicates.
pub fn finish(report: &mut Report) {
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
        .findings
        .dedup_by(|a, b| a.rule == b.rule && a.path == b.path && a.span == b.span);
    crate::fingerprint::assign(&mut report.findings);
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
    let bytes = match std::fs::read(&f.abs) {
        Ok(b) => b,
        Err(e) => return skip(SkipReason::Unreadable(e.to_string())),
    };
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return skip(SkipReason::Binary);
    }
    let source = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => return skip(SkipReason::InvalidUtf8),
    };
    analyze_source(engine, &f.rel, f.lang, &source, opts)
}

/// Lower and analyse one file's text; also collects its suppression comments and the
/// fingerprint keys of its findings.
fn analyze_source(
    engine: &Engine,
    rel: &str,
    lang: Lang,
    source: &str,
    opts: &ScanOptions,
) -> Outcome {
    let skip = |reason| {
        Outcome::Skipped(Skipped {
            path: rel.to_string(),
            reason,
        })
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let module = lang.lower(source)?;
        let input = FileInput {
            path: rel,
            lang,
            module: &module,
            source,
        };
        let mut findings = analyze(&input, &engine.catalog, &engine.classifier, &opts.engine);
        for f in &mut findings {
            f.fingerprint = crate::fingerprint::key(f, source);
        }
        let directives = crate::suppress::parse(rel, &module.comments, source);
        Ok::<_, crate::lang::LowerError>((findings, directives))
    }));
    match result {
        Ok(Ok((findings, directives))) => Outcome::Done {
            path: rel.to_string(),
            findings,
            directives,
            bytes: source.len() as u64,
            lines: source.lines().count() as u64,
        },
        Ok(Err(e)) => skip(SkipReason::ParseFailed(e.to_string())),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            skip(SkipReason::AnalysisPanicked(msg))
        }
    }
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
