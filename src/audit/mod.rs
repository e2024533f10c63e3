//! `healthflow audit`: a scan with the inventory rules on, turned into a report a DPO can read
//! — summary, data map, AI register, recipients and transfers, DPIA screening, findings and
//! declared SDKs — as one self-contained HTML file, Markdown, or JSON (the [`AuditModel`]).

pub mod deps;
pub mod html;
pub mod markdown;
pub mod markers;
pub mod model;
pub mod svg;

pub use model::AuditModel;

use crate::scan::{scan_with_progress, Engine, ScanError, ScanOptions};
use crate::taint::EngineOptions;
use crate::walk::{relative, report_root};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Scan(#[from] ScanError),
    #[error("the embedded audit patterns are invalid: {0}")]
    Patterns(String),
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("refusing to write the report over {0}: it is a source file")]
    OverwriteSource(String),
    #[error("cannot tell the format of {0} from its extension: use --format html, md or json")]
    UnknownFormat(String),
    #[error("--jobs must be at least 1")]
    Jobs,
    #[error(transparent)]
    Output(#[from] crate::outfile::OutputError),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("the EU endpoints in {file} are invalid: {message}")]
    EuEndpoints { file: String, message: String },
    #[error("could not serialise the audit: {0}")]
    Json(String),
    #[error("writing {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Output formats of the audit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    Html,
    #[value(name = "md", alias = "markdown")]
    Markdown,
    Json,
}

impl AuditFormat {
    /// The format an output file's extension names.
    pub fn from_path(p: &Path) -> Option<AuditFormat> {
        match p.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(AuditFormat::Html),
            "md" | "markdown" => Some(AuditFormat::Markdown),
            "json" => Some(AuditFormat::Json),
            _ => None,
        }
    }
}

/// Command-line arguments of `healthflow audit`.
#[derive(Clone, Debug, clap::Args)]
pub struct AuditArgs {
    /// Directory (or file) to audit.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Write the report to FILE (format from its extension: .html, .md, .json) instead of
    /// standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format (default: from the --output extension, else html).
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<AuditFormat>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Skip files larger than this (bytes; K, M and G suffixes accepted).
    #[arg(long, value_name = "SIZE", default_value = "2M", value_parser = crate::walk::parse_size)]
    pub max_file_size: u64,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow_links: bool,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Runs the scan for `path` and builds the model.
pub fn audit(
    engine: &Engine,
    path: &Path,
    opts: &ScanOptions,
    progress: Option<crate::scan::Progress>,
    tool_version: &str,
) -> Result<AuditModel, AuditError> {
    let mut opts = opts.clone();
    opts.paths = vec![path.to_path_buf()];
    opts.engine = EngineOptions {
        inventory: true,
        ..opts.engine
    };
    let mut report = scan_with_progress(engine, &opts, progress)?;
    let root = PathBuf::from(&report.root);
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let prefix = if abs == root {
        String::new()
    } else {
        relative(&abs, &root)
    };
    let facts = deps::walk_tree(&opts.paths, &root, opts.follow_links);
    let (dependencies, unread) = deps::dependencies(
        &deps::Catalog::new(&engine.catalog)?,
        &facts,
        opts.max_file_size,
    );
    // Files the import detection could not read: mostly the scan's own skips, reported once.
    report.skipped.extend(unread);
    report.skipped.sort();
    report.skipped.dedup();
    let markers = markers::Markers::embedded()?;
    let target = model::Target {
        name: abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| display_path(path)),
        path: display_path(path),
        prefix,
        commit: git_commit(&abs),
    };
    Ok(model::build(model::BuildInput {
        report: &report,
        endpoints: &engine.catalog.endpoints,
        markers: &markers,
        target,
        languages: facts.languages,
        dependencies,
        tool_version,
    }))
}

/// Renders the model.
pub fn render(model: &AuditModel, format: AuditFormat) -> Result<String, AuditError> {
    Ok(match format {
        AuditFormat::Html => html::render(model),
        AuditFormat::Markdown => markdown::render(model),
        AuditFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(model).map_err(|e| AuditError::Json(e.to_string()))?;
            s.push('\n');
            s
        }
    })
}

/// `healthflow audit`: scan, build, render, write. The report goes to `--output` or, without
/// it, is returned for standard output.
pub fn run(args: &AuditArgs, tool_version: &str) -> Result<Option<String>, AuditError> {
    if args.jobs == Some(0) {
        return Err(AuditError::Jobs);
    }
    if !args.path.exists() {
        return Err(AuditError::Missing(args.path.display().to_string()));
    }
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(out)) => AuditFormat::from_path(out)
            .ok_or_else(|| AuditError::UnknownFormat(out.display().to_string()))?,
        (None, None) => AuditFormat::Html,
    };
    if let Some(out) = &args.output {
        if crate::lang::Lang::from_path(out).is_some() {
            return Err(AuditError::OverwriteSource(out.display().to_string()));
        }
    }
    // The project's own hosts from healthflow.toml; its rules, paths and suppressions do not
    // apply to an audit.
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config =
        crate::config::Config::discover(&report_root(&args.path, &cwd), args.max_file_size)?;
    let (internal_hosts, engine) = match config {
        Some(c) if !c.extensions.eu_hosts.is_empty() => {
            let ext = crate::config::Extensions {
                eu_hosts: c.extensions.eu_hosts.clone(),
                ..Default::default()
            };
            let catalog = crate::patterns::Catalog::with_extensions(ext).map_err(|e| {
                AuditError::EuEndpoints {
                    file: c.file.clone(),
                    message: e.to_string(),
                }
            })?;
            (c.internal_domains, Engine::with_catalog(catalog))
        }
        Some(c) => (c.internal_domains, Engine::new()?),
        None => (Vec::new(), Engine::new()?),
    };
    let opts = ScanOptions {
        paths: vec![args.path.clone()],
        jobs: args.jobs.unwrap_or(0),
        max_file_size: args.max_file_size,
        engine: EngineOptions {
            internal_hosts,
            ..EngineOptions::default()
        },
        follow_links: args.follow_links,
        ..ScanOptions::default()
    };
    let bar = crate::progress::ProgressBar::new(args.quiet);
    let update = |done: usize, total: usize| bar.update(done, total);
    let model = audit(&engine, &args.path, &opts, Some(&update), tool_version);
    bar.finish();
    let text = render(&model?, format)?;
    match &args.output {
        Some(out) => {
            crate::outfile::write(out, text.as_bytes())?;
            Ok(None)
        }
        None => Ok(Some(text)),
    }
}

fn display_path(p: &Path) -> String {
    let s: Vec<String> = p
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = s.join("/");
    if p.is_absolute() {
        format!("/{}", joined.trim_start_matches('/'))
    } else {
        joined
    }
}

/// `git rev-parse HEAD` in the repository holding `path`, best-effort.
fn git_commit(path: &Path) -> Option<String> {
    let dir = if path.is_dir() { path } else { path.parent()? };
    let root = report_root(dir, dir);
    if !root.join(".git").exists() {
        return None;
    }
    let out = crate::gitdiff::command(dir)
        .ok()?
        .args(["rev-parse", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && s.len() >= 7 && s.chars().all(|c| c.is_ascii_hexdigit())).then_some(s)
}
