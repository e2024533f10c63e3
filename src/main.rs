//! The `healthflow` command line: arguments → scan → report → exit code.
//! Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage or configuration error.

use anyhow::{bail, Context, Result};

/// An allocator that returns freed memory to the system instead of keeping it in per-thread
/// arenas: a scan frees every file's syntax model as it goes.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use clap::{Parser, Subcommand, ValueEnum};
use healthflow::report::{self, Format, RenderOptions};
use healthflow::rules::{self, RuleId};
use healthflow::scan::ScanOptions;
use healthflow::workflow::{self, ScanRequest};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "healthflow",
    version,
    about = "Finds health data flowing into AI models, third parties, trackers, logs and unencrypted storage",
    long_about = "Finds health data flowing through Python (and Jupyter notebooks), Rust, JavaScript, TypeScript and Java code into AI models, third-party services, \
trackers, logs and unencrypted storage, and maps each flow to the GDPR and EU AI Act articles it engages. \
Scanned code is never executed and no network request is made.\n\n\
Findings are guidance for a compliance review, not legal advice."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories for health-data flows.
    Scan(ScanArgs),
    /// Audit report for a DPO: data map, AI register, recipients, DPIA screening (HTML, Markdown, JSON).
    Audit(healthflow::audit::AuditArgs),
    /// List the rules.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Walk and parse only (the performance floor); prints files and bytes.
    #[command(hide = true, name = "parse-floor")]
    ParseFloor {
        paths: Vec<PathBuf>,
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
    },
    /// Print the language-neutral model of one file as JSON (for bug reports).
    #[command(hide = true, name = "dump-model")]
    DumpModel { file: PathBuf },
    /// Explain why the values on one line of code are, or are not, health data.
    #[command(name = "explain-source")]
    ExplainSource {
        /// FILE:LINE, e.g. app/views.py:42.
        location: String,
        /// Configuration file (default: `healthflow.toml` at the repository root).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Explain a rule: what it finds, why it matters (articles), an example and the fix.
    Explain {
        /// A rule id, e.g. health-data-to-ai-model.
        rule: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutFormat::Text)]
    format: OutFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit with 1 when a finding at or above this level exists [default: warning, or
    /// `fail-on` from the configuration].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Also report the opt-in inventory notes (health-data fields, AI call sites).
    #[arg(long)]
    inventory: bool,
    /// Skip files larger than this (bytes; K, M and G suffixes accepted).
    #[arg(long, value_name = "SIZE", default_value = "2M", value_parser = healthflow::walk::parse_size)]
    max_file_size: u64,
    /// Colour in the text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Follow symbolic links (off by default: links may point outside the scanned tree).
    #[arg(long)]
    follow_links: bool,
    /// Scan minified and bundled files (`*.min.js`, one-line bundles) instead of skipping
    /// them with a reason.
    #[arg(long)]
    include_minified: bool,
    /// How many calls deep flows are followed across functions and files (0: inside each
    /// function only).
    #[arg(long, value_name = "N", default_value_t = 6)]
    max_call_depth: usize,
    /// Source-to-sink paths kept per finding (the rest are counted).
    #[arg(long, value_name = "N", default_value_t = 10)]
    max_paths: usize,
    /// Parse every file, even those the literal prefilter rules out (for testing; results
    /// are the same).
    #[arg(long, hide = true)]
    no_prefilter: bool,
    /// No progress bar on standard error.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Read the configuration from FILE instead of `healthflow.toml` at the root.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Scan the staged contents of the files in the git index (for commit hooks).
    #[arg(long, conflicts_with = "paths")]
    staged: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write the current findings to this baseline file (pruning fixed entries) and report
    /// only findings that are not in it.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Keep findings silenced by `healthflow: ignore` comments in the SARIF output, marked as
    /// suppressed (they never count for --fail-on).
    #[arg(long)]
    include_suppressed: bool,
    /// Report `healthflow: ignore` comments that silence nothing.
    #[arg(long)]
    report_unused_suppressions: bool,
    /// Report only findings whose sink lines changed since this git revision.
    #[arg(long, value_name = "REV")]
    diff: Option<String>,
    /// Per-file time budget for parsing and analysis (`10s`, `500ms`; `0` = none). A file
    /// that exceeds it is reported as skipped.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    file_timeout: std::time::Duration,
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let (num, millis) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1000)
    } else {
        (t, 1000)
    };
    num.trim()
        .parse::<u64>()
        .map(|n| std::time::Duration::from_millis(n.saturating_mul(millis)))
        .map_err(|_| format!("`{s}` is not a duration (examples: 10s, 500ms, 0)"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("healthflow: error: {}", error_text(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, each cause once: a cause whose text the message already
/// contains is not repeated.
fn error_text(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !out.contains(&c) {
            out.push_str(": ");
            out.push_str(&c);
        }
    }
    out
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Rules { format } => {
            let out = match format {
                ListFormat::Text => rules_text(),
                ListFormat::Json => rules_json()?,
            };
            write_stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule } => {
            let Some(r) = RuleId::from_id(rule.trim()) else {
                let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.id()).collect();
                bail!("unknown rule `{rule}`; known rules: {}", ids.join(", "));
            };
            write_stdout(&rules::explain_text(r))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Scan(args) => run_scan(args),
        Command::ExplainSource { location, config } => explain_source(&location, config),
        Command::Audit(args) => {
            if let Some(text) = healthflow::audit::run(&args, env!("CARGO_PKG_VERSION"))? {
                write_stdout(&text)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::ParseFloor { paths, jobs } => {
            let opts = ScanOptions {
                paths,
                jobs: jobs.unwrap_or(0),
                ..ScanOptions::default()
            };
            let (files, bytes) = healthflow::scan::parse_floor(&opts)?;
            write_stdout(&format!("{files} files, {bytes} bytes parsed\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::DumpModel { file } => {
            let lang = healthflow::lang::Lang::from_path(&file).with_context(|| {
                format!("{}: not a file of a supported language", file.display())
            })?;
            let src = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let (code, _) = lang
                .extract(src)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let module = lang.lower(&code)?;
            write_stdout(&(serde_json::to_string_pretty(&module)? + "\n"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `explain-source FILE:LINE`: the engine's decisions about the values on one line.
fn explain_source(location: &str, config: Option<PathBuf>) -> Result<ExitCode> {
    let (file, line) = location
        .rsplit_once(':')
        .and_then(|(f, l)| Some((PathBuf::from(f), l.trim().parse::<u32>().ok()?)))
        .with_context(|| format!("`{location}`: expected FILE:LINE, e.g. app/views.py:42"))?;
    if !file.is_file() {
        bail!("{}: no such file", file.display());
    }
    let req = ScanRequest {
        paths: vec![file.clone()],
        staged: false,
        config,
        jobs: 0,
        max_file_size: healthflow::scan::ScanOptions::default().max_file_size,
        follow_links: false,
        include_minified: true,
        inventory: false,
        baseline: None,
        write_baseline: None,
        text_only: true,
        include_suppressed: true,
        report_unused_suppressions: false,
        diff: None,
        max_call_depth: None,
        max_paths: None,
        no_prefilter: true,
        file_timeout: Some(healthflow::scan::DEFAULT_FILE_TIMEOUT),
        trace_line: Some(line),
    };
    let outcome = workflow::run(&req)?;
    let report = &outcome.report;
    let target = file.canonicalize().unwrap_or_else(|_| file.clone());
    let root = PathBuf::from(&report.root);
    let same = |p: &str| {
        let abs = root.join(p);
        abs.canonicalize().unwrap_or(abs) == target
    };
    let mut out = format!("{}:{line}\n", file.display());
    if let Some(s) = report.skipped.iter().find(|s| same(&s.path)) {
        out.push_str(&format!("  the file was skipped: {}\n", s.reason));
    }
    let entries: Vec<_> = report.trace.iter().filter(|t| same(&t.path)).collect();
    if entries.is_empty() {
        out.push_str("  no value on this line is read as health data, and none was set aside as a look-alike\n");
    }
    for t in entries {
        out.push_str(&format!(
            "  {}:{}  `{}`  {}: {}\n",
            t.line,
            t.col,
            t.text,
            if t.health {
                "health data"
            } else {
                "not health data"
            },
            t.why
        ));
    }
    let found: Vec<_> = report
        .findings
        .iter()
        .filter(|f| same(&f.path) && f.span.start_line == line)
        .collect();
    if found.is_empty() {
        out.push_str("  findings at this line: none\n");
    }
    for f in found {
        out.push_str(&format!("  finding: {}  {}\n", f.rule.id(), f.message));
    }
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn run_scan(args: ScanArgs) -> Result<ExitCode> {
    if args.jobs == Some(0) {
        bail!("--jobs must be at least 1");
    }
    if !args.staged {
        for p in &args.paths {
            if !p.exists() {
                bail!("{}: no such file or directory", p.display());
            }
        }
    }
    for out in [&args.output, &args.write_baseline].into_iter().flatten() {
        healthflow::outfile::check(out)?;
    }
    let req = ScanRequest {
        paths: args.paths.clone(),
        staged: args.staged,
        config: args.config.clone(),
        jobs: args.jobs.unwrap_or(0),
        max_file_size: args.max_file_size,
        follow_links: args.follow_links,
        include_minified: args.include_minified,
        inventory: args.inventory,
        baseline: args.baseline.clone(),
        write_baseline: args.write_baseline.clone(),
        text_only: matches!(args.format, OutFormat::Text),
        include_suppressed: args.include_suppressed,
        report_unused_suppressions: args.report_unused_suppressions,
        diff: args.diff.clone(),
        max_call_depth: Some(args.max_call_depth),
        max_paths: Some(args.max_paths),
        no_prefilter: args.no_prefilter,
        file_timeout: (!args.file_timeout.is_zero()).then_some(args.file_timeout),
        trace_line: None,
    };
    let bar = healthflow::progress::ProgressBar::new(args.quiet);
    let update = |done: usize, total: usize| bar.update(done, total);
    let outcome = workflow::run_with_progress(&req, Some(&update));
    bar.finish();
    let outcome = outcome?;
    let report = &outcome.report;
    for w in &outcome.warnings {
        eprintln!("healthflow: {w}");
    }
    let format = match args.format {
        OutFormat::Text => Format::Text,
        OutFormat::Json => Format::Json,
        OutFormat::Sarif => Format::Sarif,
    };
    if format == Format::Text && !report.workflow.fixed.is_empty() {
        let n = report.workflow.fixed.len();
        eprintln!(
            "healthflow: {n} baseline {} no longer found (fixed){}",
            if n == 1 { "entry" } else { "entries" },
            if args.write_baseline.is_some() {
                "; pruned"
            } else {
                "; run with --write-baseline to prune them"
            }
        );
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let ropts = RenderOptions {
        color: color && format == Format::Text,
        tool_version: env!("CARGO_PKG_VERSION"),
        include_inventory_rules: args.inventory,
    };
    match &args.output {
        Some(path) => {
            healthflow::outfile::write_with(path, |w| report::render_to(format, report, &ropts, w))?
        }
        None => stdout_with(|w| report::render_to(format, report, &ropts, w))?,
    }
    let fail_on = match args.fail_on {
        Some(FailOn::Error) => healthflow::config::FailOn::Error,
        Some(FailOn::Warning) => healthflow::config::FailOn::Warning,
        Some(FailOn::Note) => healthflow::config::FailOn::Note,
        Some(FailOn::Never) => healthflow::config::FailOn::Never,
        None => outcome
            .config
            .fail_on
            .unwrap_or(healthflow::config::FailOn::Warning),
    };
    let failed = fail_on
        .threshold()
        .is_some_and(|t| report.findings.iter().any(|f| f.level >= t));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_stdout(s: &str) -> Result<()> {
    stdout_with(|w| w.write_all(s.as_bytes()))
}

/// Standard output, buffered, filled by `fill`.
fn stdout_with(fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    match fill(&mut w).and_then(|()| w.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`healthflow scan | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("writing to standard output"),
    }
}

fn rules_text() -> String {
    let mut s = String::new();
    for r in RuleId::ALL {
        let m = r.meta();
        let sev = r
            .security_severity()
            .map(|v| format!("{v:.1}"))
            .unwrap_or_else(|| "-".into());
        s.push_str(&format!(
            "{:<34} {:<8} {:>4}  {}{}\n",
            r.id(),
            r.level().as_str(),
            sev,
            m.short,
            if r.is_inventory() {
                " (opt-in: --inventory)"
            } else {
                ""
            }
        ));
    }
    s
}

fn rules_json() -> Result<String> {
    let list: Vec<serde_json::Value> = RuleId::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            serde_json::json!({
                "id": r.id(),
                "name": m.name,
                "level": r.level().as_str(),
                "security_severity": r.security_severity(),
                "opt_in": r.is_inventory(),
                "short_description": m.short,
                "gdpr": m.gdpr,
                "ai_act": m.ai_act,
                "other": m.other,
                "tags": m.tags(),
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&list)?;
    s.push('\n');
    Ok(s)
}
