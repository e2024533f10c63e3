//! What a scan produces: findings with their source-to-sink paths, and skipped files.
//! Reporters read only these types.

use crate::model::Span;
use crate::rules::{Level, RuleId};
use serde::{Deserialize, Serialize};

/// The kind of a sink: where health data leaves the code's control.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SinkKind {
    AiModel,
    AiTraining,
    ThirdParty,
    Tracking,
    Logs,
    Storage,
}

impl SinkKind {
    pub fn rule(self) -> RuleId {
        match self {
            SinkKind::AiModel => RuleId::HealthDataToAiModel,
            SinkKind::AiTraining => RuleId::HealthDataToAiTraining,
            SinkKind::ThirdParty => RuleId::HealthDataToThirdParty,
            SinkKind::Tracking => RuleId::HealthDataToTracking,
            SinkKind::Logs => RuleId::HealthDataInLogs,
            SinkKind::Storage => RuleId::HealthDataUnencryptedStorage,
        }
    }
}

/// Where the data goes, as far as the code says.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SinkInfo {
    /// The callee as written (`client.chat.completions.create`, `println!`).
    pub callee: String,
    /// Provider or library (`OpenAI`, `requests`, `Sentry`).
    pub provider: Option<String>,
    /// Host of the endpoint when known (`api.openai.com`), from a literal URL or an SDK default.
    pub endpoint: Option<String>,
    /// Model name when a literal (`gpt-4o`).
    pub model: Option<String>,
}

/// A scanned file's path as findings hold it: relative to the report root, `/` separators,
/// one allocation shared by every finding and step in that file.
pub type FilePath = std::sync::Arc<str>;

/// Distinct step texts seen on this thread, up to this many (then it starts again).
const SHARED_TEXTS: usize = 1 << 16;

thread_local! {
    static TEXTS: std::cell::RefCell<std::collections::HashSet<std::sync::Arc<str>>> =
        std::cell::RefCell::new(std::collections::HashSet::new());
}

/// One allocation for equal step texts made on this thread: a project's paths repeat the
/// same few thousand messages (`reaches `logger.info` (log)`) across many findings.
pub fn shared_text(text: String) -> std::sync::Arc<str> {
    TEXTS.with(|t| {
        let mut t = t.borrow_mut();
        if let Some(s) = t.get(text.as_str()) {
            return s.clone();
        }
        if t.len() >= SHARED_TEXTS {
            t.clear();
        }
        let s: std::sync::Arc<str> = text.into();
        t.insert(s.clone());
        s
    })
}

/// One step of a source-to-sink path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FlowStep {
    /// Path of the file, relative to the report root, with `/` separators.
    pub path: FilePath,
    pub span: Span,
    /// Shared: a step is copied into every path, summary and finding that goes through it.
    pub message: std::sync::Arc<str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub level: Level,
    /// Relative to the report root, `/` separators.
    pub path: FilePath,
    /// The sink expression (primary location).
    pub span: Span,
    pub message: String,
    pub sink: Option<SinkInfo>,
    /// Source-to-sink paths; the first step of each is the source, the last the sink.
    pub flows: Vec<Vec<FlowStep>>,
    /// How many paths reach this sink before `flows` was capped.
    pub total_flows: usize,
    pub direct_identifier: bool,
    /// Health-data categories reaching the sink (`diagnosis`, `identifier`, ...).
    pub categories: Vec<String>,
    pub security_severity: Option<f32>,
    /// The text of the sink's first line, trimmed (code frames, fingerprints).
    pub snippet: String,
    /// The stable `healthflow/v1` fingerprint (see `crate::fingerprint`); set by the scan.
    pub fingerprint: String,
    /// The sink is in test code (reported with the `test` tag, at most at the level that
    /// `[tests] level` sets).
    pub test: bool,
}

impl Finding {
    /// The order every reporter uses: path, line, column, rule id.
    pub fn sort_key(&self) -> (&str, u32, u32, &'static str, u32, u32) {
        (
            &self.path,
            self.span.start_line,
            self.span.start_col,
            self.rule.id(),
            self.span.end_line,
            self.span.end_col,
        )
    }
}

/// Why a file was not scanned (or not completely).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "detail")]
pub enum SkipReason {
    TooLarge { size: u64, limit: u64 },
    Binary,
    InvalidUtf8,
    Unreadable(String),
    ParseFailed(String),
    AnalysisPanicked(String),
    TimeBudgetExceeded { millis: u64 },
    WalkError(String),
    Minified,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::TooLarge { size, limit } => {
                write!(
                    f,
                    "file is {size} bytes, over the {limit}-byte limit (--max-file-size)"
                )
            }
            SkipReason::Binary => f.write_str("binary file (NUL byte in the first 8 KiB)"),
            SkipReason::InvalidUtf8 => f.write_str("not valid UTF-8"),
            SkipReason::Unreadable(e) => write!(f, "could not be read: {e}"),
            SkipReason::ParseFailed(e) => write!(f, "could not be parsed: {e}"),
            SkipReason::AnalysisPanicked(e) => write!(f, "analysis failed (internal error): {e}"),
            SkipReason::TimeBudgetExceeded { millis } => {
                write!(
                    f,
                    "analysis exceeded the per-file time budget of {millis} ms"
                )
            }
            SkipReason::WalkError(e) => write!(f, "could not be listed: {e}"),
            SkipReason::Minified => {
                f.write_str("minified or bundled code, not source (--include-minified scans it)")
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: SkipReason,
}

/// The result of a scan, sorted and ready for any reporter.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Absolute path of the root that finding paths are relative to.
    pub root: String,
    pub files_scanned: usize,
    pub bytes_scanned: u64,
    pub lines_scanned: u64,
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    /// Calls that resolved neither to the catalog nor to a function of the project.
    pub unresolved_calls: u64,
    /// Paths of the files analysed (baselines prune only entries of these files).
    #[serde(skip)]
    pub scanned_paths: Vec<String>,
    /// Inline suppression comments found in the analysed files.
    #[serde(skip)]
    pub directives: Vec<crate::suppress::Directive>,
    /// What the workflow filters did (suppressions, baseline); filled after the scan.
    #[serde(skip)]
    pub workflow: WorkflowSummary,
    /// Why values on the traced line are or are not health data (`explain-source`).
    #[serde(skip)]
    pub trace: Vec<TraceEntry>,
    /// Each finding's fingerprint from before token fingerprints, by its current one
    /// (baselines accept either; see `crate::fingerprint`).
    #[serde(skip)]
    pub legacy_fingerprints: std::collections::HashMap<String, String>,
}

/// One decision about a value: health data or not, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TraceEntry {
    pub path: String,
    pub line: u32,
    pub col: u32,
    /// The expression, shortened.
    pub text: String,
    pub health: bool,
    pub why: String,
}

/// A finding silenced by an inline suppression, kept for SARIF `suppressions`.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub finding: Finding,
    /// The reason written after `--`, if any.
    pub justification: Option<String>,
}

/// Results of the filters applied after a scan, for the reporters.
#[derive(Clone, Debug, Default)]
pub struct WorkflowSummary {
    /// Suppressed findings, kept only with `--include-suppressed`.
    pub suppressed: Vec<Suppressed>,
    /// Number of findings silenced by inline suppressions.
    pub suppressed_count: usize,
    /// Findings left out because the baseline holds them (`None`: no baseline).
    pub baselined: Option<usize>,
    /// Baseline entries of scanned files that no longer match a finding.
    pub fixed: Vec<crate::baseline::Entry>,
    /// Suppressions that silenced nothing (`None`: not asked for).
    pub unused_suppressions: Option<Vec<crate::suppress::Directive>>,
}
