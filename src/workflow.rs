//! `healthflow scan` end to end: configuration, the scan (files on disk or the git index),
//! then the filters teams rely on, in this order: rule settings, inline suppressions,
//! baseline, changed lines. The CLI only parses arguments and renders the result.

use crate::baseline::{self, Baseline, BaselineError};
use crate::config::{Config, ConfigError};
use crate::finding::{Report, SkipReason, Skipped};
use crate::gitdiff::{self, GitError};
use crate::lang::Lang;
use crate::patterns::Catalog;
use crate::scan::{
    scan_sources, scan_with_progress, Engine, Progress, ScanError, ScanOptions, SourceFile,
};
use crate::suppress;
use crate::taint::EngineOptions;
use crate::walk::report_root;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Scan(#[from] ScanError),
    #[error("the patterns added by {file} are invalid: {source}")]
    Patterns {
        file: String,
        source: crate::patterns::PatternError,
    },
    #[error("could not read the current directory: {0}")]
    Cwd(std::io::Error),
}

/// The baseline file name the documentation uses.
pub const DEFAULT_BASELINE: &str = ".healthflow-baseline.json";

fn is_default_baseline(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == DEFAULT_BASELINE)
}

/// What to scan and which filters to apply.
#[derive(Clone, Debug, Default)]
pub struct ScanRequest {
    pub paths: Vec<PathBuf>,
    /// Scan the staged contents of the files in the git index instead of `paths`.
    pub staged: bool,
    /// `--config FILE`; otherwise `healthflow.toml` at the report root, if present.
    pub config: Option<PathBuf>,
    pub jobs: usize,
    pub max_file_size: u64,
    pub follow_links: bool,
    /// Scan minified and bundled files instead of skipping them.
    pub include_minified: bool,
    pub inventory: bool,
    pub baseline: Option<PathBuf>,
    pub write_baseline: Option<PathBuf>,
    /// The report is only rendered as text: fingerprints are not computed unless a baseline
    /// needs them.
    pub text_only: bool,
    pub include_suppressed: bool,
    pub report_unused_suppressions: bool,
    /// Report only findings on lines changed since this git revision.
    pub diff: Option<String>,
    /// Call-chain depth followed across functions (`None`: the default).
    pub max_call_depth: Option<usize>,
    /// Paths kept per finding (`None`: the default).
    pub max_paths: Option<usize>,
    /// Parse every file (the prefilter never changes results; this is for testing).
    pub no_prefilter: bool,
    /// Per-file parsing budget (`None`: unlimited).
    pub file_timeout: Option<std::time::Duration>,
    /// Record why values on this line are or are not health data (`explain-source`).
    pub trace_line: Option<u32>,
}

/// The filtered report, the configuration used, and messages for standard error.
#[derive(Debug)]
pub struct ScanOutcome {
    pub report: Report,
    pub config: Config,
    pub warnings: Vec<String>,
}

/// Runs a scan request.
pub fn run(req: &ScanRequest) -> Result<ScanOutcome, WorkflowError> {
    run_with_progress(req, None)
}

/// [`run`], telling `progress` how far the scan is.
pub fn run_with_progress(
    req: &ScanRequest,
    progress: Option<Progress>,
) -> Result<ScanOutcome, WorkflowError> {
    let cwd = std::env::current_dir().map_err(WorkflowError::Cwd)?;
    let root = if req.staged {
        gitdiff::toplevel(&cwd)?
    } else {
        let first = req.paths.first().cloned().unwrap_or_else(|| ".".into());
        report_root(&first, &cwd)
    };
    let mut config = match &req.config {
        Some(path) => Config::load(path, req.max_file_size)?,
        None => Config::discover(&root, req.max_file_size)?.unwrap_or_default(),
    };
    let engine = if config.extensions.is_empty() {
        Engine::new()?
    } else {
        let ext = std::mem::take(&mut config.extensions);
        Engine::with_catalog(Catalog::with_extensions(ext).map_err(|source| {
            WorkflowError::Patterns {
                file: config.file.clone(),
                source,
            }
        })?)
    };
    let defaults = ScanOptions::default();
    let opts = ScanOptions {
        paths: req.paths.clone(),
        jobs: req.jobs,
        max_file_size: req.max_file_size,
        engine: EngineOptions {
            inventory: req.inventory || config.wants_inventory(),
            internal_hosts: config.internal_domains.clone(),
            trace_line: req.trace_line,
        },
        follow_links: req.follow_links,
        filter: config.paths.clone(),
        prefilter: !req.no_prefilter,
        max_call_depth: req.max_call_depth.unwrap_or(defaults.max_call_depth),
        max_paths: req.max_paths.unwrap_or(defaults.max_paths),
        file_timeout: req.file_timeout,
        fingerprints: !req.text_only || req.baseline.is_some() || req.write_baseline.is_some(),
        cache_bytes: defaults.cache_bytes,
        include_minified: req.include_minified,
    };
    let mut report = if req.staged {
        scan_staged(&engine, &opts, &root)?
    } else {
        scan_with_progress(&engine, &opts, progress)?
    };
    let mut warnings = Vec::new();

    config.apply_rules(&mut report, req.inventory);
    for u in suppress::unknown_rules(&report.directives) {
        let hint = match u.suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => "see `healthflow rules`".to_string(),
        };
        warnings.push(format!(
            "warning: {}: unknown rule `{}` in a suppression ({hint})",
            u.directive.describe(),
            u.rule
        ));
    }
    suppress::apply(
        &mut report,
        req.include_suppressed,
        req.report_unused_suppressions,
    );

    if let Some(path) = &req.write_baseline {
        let previous = if path.is_file() {
            Some(Baseline::load(path, req.max_file_size)?)
        } else {
            None
        };
        let fresh =
            Baseline::from_findings(&report.findings, &report.scanned_paths, previous.as_ref());
        fresh.write(path)?;
        // Report against the fresh baseline: the pruned entries are the fixed ones.
        let pruned: Vec<baseline::Entry> = previous
            .map(|p| {
                p.findings
                    .into_iter()
                    .filter(|e| !fresh.findings.contains(e))
                    .collect()
            })
            .unwrap_or_default();
        warnings.push(format!(
            "wrote {} ({} {}, {} pruned)",
            path.display(),
            fresh.findings.len(),
            if fresh.findings.len() == 1 {
                "entry"
            } else {
                "entries"
            },
            pruned.len()
        ));
        baseline::apply(&mut report, &fresh);
        report.workflow.fixed = pruned;
    } else if let Some(path) = &req.baseline {
        if is_default_baseline(path) && !path.exists() {
            // The documented set-ups name this file before the first `--write-baseline`.
            warnings.push(format!(
                "note: {} does not exist yet; every finding is new (create it with --write-baseline)",
                path.display()
            ));
        } else {
            let b = Baseline::load(path, req.max_file_size)?;
            baseline::apply(&mut report, &b);
        }
    }

    if let Some(base) = &req.diff {
        let changed = gitdiff::changed_lines(&root, base)?;
        gitdiff::retain_changed(&mut report, &changed);
        report.workflow.suppressed.retain(|s| {
            changed.touches(
                &s.finding.path,
                s.finding.span.start_line,
                s.finding.span.end_line,
            )
        });
    }
    Ok(ScanOutcome {
        report,
        config,
        warnings,
    })
}

/// The files staged in the git index, read from the index (`git show :path`).
fn scan_staged(engine: &Engine, opts: &ScanOptions, top: &Path) -> Result<Report, WorkflowError> {
    let mut sources = Vec::new();
    let mut skipped = Vec::new();
    let paths: Vec<(String, Lang)> = gitdiff::staged_paths(top)?
        .into_iter()
        .filter(|rel| opts.filter.allows(rel))
        .filter_map(|rel| Lang::from_path(Path::new(&rel)).map(|l| (rel, l)))
        .collect();
    let rels: Vec<String> = paths.iter().map(|(r, _)| r.clone()).collect();
    let blobs = gitdiff::staged_blobs(top, &rels)?;
    for ((rel, lang), blob) in paths.into_iter().zip(blobs) {
        let Some(bytes) = blob else { continue };
        if bytes.iter().take(8192).any(|&b| b == 0) {
            skipped.push(Skipped {
                path: rel,
                reason: SkipReason::Binary,
            });
            continue;
        }
        match String::from_utf8(bytes) {
            Ok(text) => sources.push(SourceFile { rel, lang, text }),
            Err(_) => skipped.push(Skipped {
                path: rel,
                reason: SkipReason::InvalidUtf8,
            }),
        }
    }
    let mut report = scan_sources(engine, opts, top, &sources)?;
    report.skipped.extend(skipped);
    report.skipped.sort();
    Ok(report)
}
