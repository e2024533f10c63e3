//! The audit model: plain, serialisable data built from a scan [`Report`]. The JSON output is
//! this model (documented in `docs/audit.md`); the HTML and Markdown renderings read only it.
//! Everything is sorted, so the same tree gives the same bytes.

use super::deps::Dependency;
use super::markers::Markers;
use crate::finding::{Finding, Report, SinkKind};
use crate::patterns::{Endpoints, Zone};
use crate::report::{LevelCounts, Sources};
use crate::rules::{Level, RuleId};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Version of the JSON shape; raised on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Lines of the call's file searched (each side) for patient-facing wording.
const PATIENT_FACING_WINDOW: u32 = 30;
/// Sink lines kept in a code frame.
const MAX_FRAME_LINES: u32 = 6;

#[derive(Clone, Debug, Serialize)]
pub struct AuditModel {
    pub schema_version: u32,
    pub tool: Tool,
    pub target: Target,
    pub summary: Summary,
    pub data_map: DataMap,
    pub ai_register: Vec<AiSystem>,
    pub recipients: Vec<Recipient>,
    pub dpia: Dpia,
    pub findings: Vec<AuditFinding>,
    pub dependencies: Vec<Dependency>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// What was audited.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    /// The project's name: the target directory's (or file's) own name, after resolving `.`.
    pub name: String,
    /// The path as given on the command line, `/` separators.
    pub path: String,
    /// The prefix finding paths carry for files of the target (`""` when it is the root).
    pub prefix: String,
    /// `git rev-parse HEAD` of the repository holding the target, when there is one.
    pub commit: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub files_scanned: usize,
    pub lines_scanned: u64,
    pub bytes_scanned: u64,
    /// Source files found per language (`python`, `rust`).
    pub languages: BTreeMap<String, usize>,
    pub skipped: Vec<SkippedFile>,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Every rule, in catalog order, with its count (zero included).
    pub by_rule: Vec<RuleCount>,
    /// Health-data categories seen anywhere.
    pub categories: Vec<String>,
    /// One plain-language paragraph.
    pub verdict: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct RuleCount {
    pub rule: RuleId,
    pub level: Level,
    pub count: usize,
}

/// Where a recipient is, as far as the code and the endpoint catalog say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Location {
    /// Inside the EU/EEA.
    Eu,
    /// Outside the EU/EEA.
    NonEu,
    /// An external host whose location is not known.
    Unknown,
    /// Stays on the machine running the code (logs, local files).
    Local,
}

impl Location {
    pub fn label(self) -> &'static str {
        match self {
            Location::Eu => "EU/EEA",
            Location::NonEu => "outside EU/EEA",
            Location::Unknown => "location unknown",
            Location::Local => "local",
        }
    }
}

/// What a recipient is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecipientKind {
    AiModel,
    AiTraining,
    Tracking,
    ThirdParty,
    Logs,
    Storage,
}

impl RecipientKind {
    fn of(kind: SinkKind) -> RecipientKind {
        match kind {
            SinkKind::AiModel => RecipientKind::AiModel,
            SinkKind::AiTraining => RecipientKind::AiTraining,
            SinkKind::Tracking => RecipientKind::Tracking,
            SinkKind::ThirdParty => RecipientKind::ThirdParty,
            SinkKind::Logs => RecipientKind::Logs,
            SinkKind::Storage => RecipientKind::Storage,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RecipientKind::AiModel => "AI model",
            RecipientKind::AiTraining => "AI training",
            RecipientKind::Tracking => "tracker / monitoring",
            RecipientKind::ThirdParty => "third party",
            RecipientKind::Logs => "logs",
            RecipientKind::Storage => "file / bucket",
        }
    }
}

/// One destination of health data: a host, an SDK, the logs, or files.
#[derive(Clone, Debug, Serialize)]
pub struct Recipient {
    /// Stable anchor (`r-1`), in this list's order.
    pub id: String,
    pub name: String,
    pub kind: RecipientKind,
    /// Host, when the code or the SDK default names one.
    pub endpoint: Option<String>,
    /// Provider or library as the scanner knows it.
    pub providers: Vec<String>,
    /// Literal model names (AI recipients).
    pub models: Vec<String>,
    pub location: Location,
    /// Health data travels without transport encryption (`http://` or TLS checks off).
    pub cleartext: bool,
    /// How: `http://` or `TLS verification off`.
    pub cleartext_how: Option<String>,
    pub categories: Vec<String>,
    pub direct_identifier: bool,
    /// Files sending to it.
    pub modules: Vec<String>,
    /// Calls as written.
    pub callees: Vec<String>,
    /// Evidence: finding anchors.
    pub findings: Vec<String>,
}

/// The data map: categories → modules → recipients.
#[derive(Clone, Debug, Serialize)]
pub struct DataMap {
    pub categories: Vec<String>,
    /// Files holding or sending health data, relative to the target.
    pub modules: Vec<MapModule>,
    /// Edges module → recipient (recipient ids from [`AuditModel::recipients`]).
    pub flows: Vec<MapFlow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MapModule {
    pub path: String,
    pub categories: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MapFlow {
    pub module: String,
    pub recipient: String,
    pub categories: Vec<String>,
    pub cleartext: bool,
}

/// Inference or training.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AiUse {
    Inference,
    Training,
}

/// One row of the data-map table: a module and, when it sends data somewhere, the flow and
/// its recipient (`None`: the module declares or holds health data only).
pub type MapRow<'a> = (&'a MapModule, Option<(&'a MapFlow, &'a Recipient)>);

impl AuditModel {
    /// The data-map table's rows, in module order, shared by every renderer.
    pub fn data_map_rows(&self) -> Vec<MapRow<'_>> {
        let mut rows = Vec::new();
        for md in &self.data_map.modules {
            let flows: Vec<&MapFlow> = self
                .data_map
                .flows
                .iter()
                .filter(|f| f.module == md.path)
                .collect();
            if flows.is_empty() {
                rows.push((md, None));
            }
            for f in flows {
                if let Some(r) = self.recipients.iter().find(|r| r.id == f.recipient) {
                    rows.push((md, Some((f, r))));
                }
            }
        }
        rows
    }
}

/// One AI call site.
#[derive(Clone, Debug, Serialize)]
pub struct AiSystem {
    pub path: String,
    pub line: u32,
    pub callee: String,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub endpoint: Option<String>,
    /// A cloud region named in the host (`eu-west-3`), when there is one.
    pub region: Option<String>,
    pub location: Location,
    #[serde(rename = "use")]
    pub use_: AiUse,
    pub health_data: bool,
    pub categories: Vec<String>,
    pub direct_identifier: bool,
    /// Patient-facing wording found near the call (Art. 50(1) hint).
    pub patient_facing: Vec<String>,
    /// Intended-purpose markers in the file (Art. 6(1) + Annex I hint).
    pub intended_purpose: Vec<String>,
    /// Triage / emergency wording in the file (Annex III 5(d) hint).
    pub triage: Vec<String>,
    /// AI Act and GDPR notes, plain sentences.
    pub notes: Vec<String>,
    pub findings: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Dpia {
    pub criteria: Vec<Criterion>,
    pub required: bool,
    pub recommendation: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub evidenced: bool,
    pub explanation: String,
    /// Finding anchors.
    pub evidence: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AuditFinding {
    /// Anchor (`f-1`), in report order.
    pub id: String,
    pub rule: RuleId,
    pub level: Level,
    pub path: String,
    pub line: u32,
    /// Unicode code point column, 1-based.
    pub column: u32,
    pub end_line: u32,
    pub message: String,
    pub sink: Option<crate::finding::SinkInfo>,
    pub categories: Vec<String>,
    pub direct_identifier: bool,
    pub security_severity: Option<f64>,
    /// The first source-to-sink path, one step per entry.
    pub path_steps: Vec<Step>,
    pub frame: Vec<FrameLine>,
    pub gdpr: Vec<String>,
    pub ai_act: String,
    pub other: String,
    pub fix: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct FrameLine {
    pub line: u32,
    pub text: String,
}

/// Inputs the builder needs besides the report.
pub struct BuildInput<'a> {
    pub report: &'a Report,
    pub endpoints: &'a Endpoints,
    pub markers: &'a Markers,
    pub target: Target,
    pub languages: BTreeMap<String, usize>,
    pub dependencies: Vec<Dependency>,
    pub tool_version: &'a str,
}

fn anchor(i: usize) -> String {
    format!("f-{}", i + 1)
}

fn sorted<T: Ord>(set: BTreeSet<T>) -> Vec<T> {
    set.into_iter().collect()
}

/// Health-data categories of a finding, with the identifier literal counted as one.
fn categories_of(f: &Finding) -> Vec<String> {
    if f.rule == RuleId::HardcodedHealthIdentifier && f.categories.is_empty() {
        return vec!["identifier".to_string()];
    }
    f.categories.clone()
}

fn is_sink_rule(r: RuleId) -> Option<SinkKind> {
    Some(match r {
        RuleId::HealthDataToAiModel => SinkKind::AiModel,
        RuleId::HealthDataToAiTraining => SinkKind::AiTraining,
        RuleId::HealthDataToThirdParty => SinkKind::ThirdParty,
        RuleId::HealthDataToTracking => SinkKind::Tracking,
        RuleId::HealthDataInLogs => SinkKind::Logs,
        RuleId::HealthDataUnencryptedStorage => SinkKind::Storage,
        _ => return None,
    })
}

/// The file text, from the lazily loaded sources (empty when unreadable).
fn file_lines(sources: &mut Sources, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut n = 1u32;
    while let Some(l) = sources.line(path, n) {
        out.push(l.to_string());
        n += 1;
    }
    out
}

/// Strips the target prefix from a finding path.
pub fn module_of(path: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return path.to_string();
    }
    path.strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(path)
        .to_string()
}

#[derive(Default)]
struct RecipientAcc {
    name: String,
    kind: Option<RecipientKind>,
    endpoint: Option<String>,
    providers: BTreeSet<String>,
    models: BTreeSet<String>,
    location: Option<Location>,
    cross_border: bool,
    cleartext_how: BTreeSet<String>,
    categories: BTreeSet<String>,
    direct: bool,
    modules: BTreeSet<String>,
    callees: BTreeSet<String>,
    findings: Vec<usize>,
}

/// Build the model.
pub fn build(input: BuildInput<'_>) -> AuditModel {
    let report = input.report;
    let prefix = input.target.prefix.clone();
    let mut sources = Sources::new(&report.root);
    let findings = &report.findings;

    // ---- recipients: one per destination, transport properties merged from the same sink
    let mut sink_owner: BTreeMap<(&str, crate::model::Span), String> = BTreeMap::new();
    let mut accs: BTreeMap<String, RecipientAcc> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        let Some(kind) = is_sink_rule(f.rule) else {
            continue;
        };
        let key = recipient_key(f, kind, input.endpoints);
        sink_owner.insert((&*f.path, f.span), key.0.clone());
        let acc = accs.entry(key.0).or_default();
        acc.name = key.1;
        acc.kind = Some(
            acc.kind
                .map_or(RecipientKind::of(kind), |k| k.min(RecipientKind::of(kind))),
        );
        add_to(acc, f, i, &prefix, input.endpoints);
    }
    for (i, f) in findings.iter().enumerate() {
        if !matches!(
            f.rule,
            RuleId::HealthDataCrossBorder | RuleId::HealthDataOverCleartext
        ) {
            continue;
        }
        let key = match sink_owner.get(&(&*f.path, f.span)) {
            Some(k) => k.clone(),
            None => {
                let k = recipient_key(f, SinkKind::ThirdParty, input.endpoints);
                let acc = accs.entry(k.0.clone()).or_default();
                acc.name = k.1;
                acc.kind.get_or_insert(RecipientKind::ThirdParty);
                k.0
            }
        };
        let acc = accs.entry(key).or_default();
        if f.rule == RuleId::HealthDataCrossBorder {
            acc.cross_border = true;
        } else {
            acc.cleartext_how.insert(if f.message.contains("http://") {
                "http://".to_string()
            } else {
                "TLS verification off".to_string()
            });
        }
        add_to(acc, f, i, &prefix, input.endpoints);
    }
    let mut recipients: Vec<(Recipient, Vec<usize>)> = accs
        .into_values()
        .map(|a| {
            let kind = a.kind.unwrap_or(RecipientKind::ThirdParty);
            let location = if a.cross_border {
                Location::NonEu
            } else {
                a.location.unwrap_or(match kind {
                    RecipientKind::Logs | RecipientKind::Storage => Location::Local,
                    _ => Location::Unknown,
                })
            };
            let mut fs = a.findings;
            fs.sort_unstable();
            fs.dedup();
            let r = Recipient {
                id: String::new(),
                name: a.name,
                kind,
                endpoint: a.endpoint,
                providers: sorted(a.providers),
                models: sorted(a.models),
                location,
                cleartext: !a.cleartext_how.is_empty(),
                cleartext_how: (!a.cleartext_how.is_empty())
                    .then(|| sorted(a.cleartext_how).join(", ")),
                categories: sorted(a.categories),
                direct_identifier: a.direct,
                modules: sorted(a.modules),
                callees: sorted(a.callees),
                findings: fs.iter().copied().map(anchor).collect(),
            };
            (r, fs)
        })
        .collect();
    recipients.sort_by(|a, b| (a.0.kind, &a.0.name).cmp(&(b.0.kind, &b.0.name)));
    for (i, r) in recipients.iter_mut().enumerate() {
        r.0.id = format!("r-{}", i + 1);
    }
    let (recipients, recipient_findings): (Vec<Recipient>, Vec<Vec<usize>>) =
        recipients.into_iter().unzip();

    // ---- data map
    let mut all_categories = BTreeSet::new();
    let mut module_cats: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in findings {
        if f.rule == RuleId::AiSystemInventory {
            continue;
        }
        let cats = categories_of(f);
        let m = module_of(&f.path, &prefix);
        let entry = module_cats.entry(m).or_default();
        for c in cats {
            all_categories.insert(c.clone());
            entry.insert(c);
        }
    }
    let mut flow_acc: BTreeMap<(String, String), (BTreeSet<String>, bool)> = BTreeMap::new();
    for (r, idx) in recipients.iter().zip(&recipient_findings) {
        for &i in idx {
            let f = &findings[i];
            let e = flow_acc
                .entry((module_of(&f.path, &prefix), r.id.clone()))
                .or_default();
            e.0.extend(categories_of(f));
            e.1 |= f.rule == RuleId::HealthDataOverCleartext;
        }
    }
    let mut flows: Vec<MapFlow> = flow_acc
        .into_iter()
        .map(|((module, recipient), (cats, cleartext))| MapFlow {
            module,
            recipient,
            categories: sorted(cats),
            cleartext,
        })
        .collect();
    flows.sort_by(|a, b| (&a.module, &a.recipient).cmp(&(&b.module, &b.recipient)));
    let data_map = DataMap {
        categories: sorted(all_categories.clone()),
        modules: module_cats
            .into_iter()
            .map(|(path, cats)| MapModule {
                path,
                categories: sorted(cats),
            })
            .collect(),
        flows,
    };

    // ---- AI register
    let ai_register = ai_register(findings, input.endpoints, input.markers, &mut sources);

    // ---- findings
    let audit_findings: Vec<AuditFinding> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| audit_finding(i, f, &mut sources))
        .collect();

    // ---- DPIA screening
    let dpia = dpia(findings, &ai_register, input.markers, &mut sources);

    // ---- summary
    let counts = LevelCounts::of(report);
    let by_rule = RuleId::ALL
        .iter()
        .map(|r| RuleCount {
            rule: *r,
            level: r.level(),
            count: findings.iter().filter(|f| f.rule == *r).count(),
        })
        .collect();
    let verdict = verdict(report, &recipients, &ai_register, &dpia, &all_categories);
    let summary = Summary {
        files_scanned: report.files_scanned,
        lines_scanned: report.lines_scanned,
        bytes_scanned: report.bytes_scanned,
        languages: input.languages,
        skipped: report
            .skipped
            .iter()
            .map(|s| SkippedFile {
                path: s.path.clone(),
                reason: s.reason.to_string(),
            })
            .collect(),
        errors: counts.errors,
        warnings: counts.warnings,
        notes: counts.notes,
        by_rule,
        categories: sorted(all_categories),
        verdict,
    };

    AuditModel {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "healthflow".to_string(),
            version: input.tool_version.to_string(),
        },
        target: input.target,
        summary,
        data_map,
        ai_register,
        recipients,
        dpia,
        findings: audit_findings,
        dependencies: input.dependencies,
    }
}

/// (grouping key, display name) of the destination of a sink.
fn recipient_key(f: &Finding, kind: SinkKind, endpoints: &Endpoints) -> (String, String) {
    let sink = f.sink.clone().unwrap_or_default();
    match kind {
        SinkKind::Logs => ("logs".to_string(), "Application logs".to_string()),
        SinkKind::Storage => {
            let provider = sink.provider.unwrap_or_else(|| "file".to_string());
            let name = match (&sink.endpoint, provider.as_str()) {
                (Some(host), _) => format!("{provider}: {host}"),
                (None, "local file") => "Local files".to_string(),
                (None, p) => p.to_string(),
            };
            (format!("storage:{name}"), name)
        }
        _ => {
            if let Some(host) = &sink.endpoint {
                let name = endpoints
                    .host(host)
                    .map(|h| h.provider.clone())
                    .unwrap_or_else(|| host.clone());
                (format!("host:{host}"), name)
            } else {
                let name = sink.provider.unwrap_or_else(|| sink.callee.clone());
                (format!("sdk:{name}"), name)
            }
        }
    }
}

fn add_to(acc: &mut RecipientAcc, f: &Finding, i: usize, prefix: &str, endpoints: &Endpoints) {
    if let Some(s) = &f.sink {
        if let Some(p) = &s.provider {
            acc.providers.insert(p.clone());
        }
        if let Some(m) = &s.model {
            acc.models.insert(m.clone());
        }
        acc.callees.insert(s.callee.clone());
        if let Some(h) = &s.endpoint {
            acc.endpoint.get_or_insert_with(|| h.clone());
            if let Some(spec) = endpoints.host(h) {
                let loc = match spec.zone {
                    Zone::Eu => Location::Eu,
                    Zone::NonEu => Location::NonEu,
                    Zone::Unknown => Location::Unknown,
                };
                acc.location = Some(
                    acc.location
                        .map_or(loc, |l| l.max(loc).min(Location::NonEu)),
                );
            }
        }
    }
    acc.categories.extend(categories_of(f));
    acc.direct |= f.direct_identifier;
    acc.modules.insert(module_of(&f.path, prefix));
    acc.findings.push(i);
}

fn region_of(host: &str, endpoints: &Endpoints) -> Option<String> {
    host.split('.')
        .find(|label| label.contains('-') && endpoints.region_zone(label).is_some())
        .map(str::to_string)
}

fn location_of(host: Option<&str>, endpoints: &Endpoints) -> Location {
    match host.and_then(|h| endpoints.host(h)).map(|s| s.zone) {
        Some(Zone::Eu) => Location::Eu,
        Some(Zone::NonEu) => Location::NonEu,
        _ => match host
            .and_then(|h| region_of(h, endpoints))
            .and_then(|r| endpoints.region_zone(&r))
        {
            Some(Zone::Eu) => Location::Eu,
            Some(Zone::NonEu) => Location::NonEu,
            _ => Location::Unknown,
        },
    }
}

fn ai_register(
    findings: &[Finding],
    endpoints: &Endpoints,
    markers: &Markers,
    sources: &mut Sources,
) -> Vec<AiSystem> {
    let mut sites: BTreeMap<(crate::finding::FilePath, u32, u32), AiSystem> = BTreeMap::new();
    for (i, f) in findings.iter().enumerate() {
        let use_ = match f.rule {
            RuleId::AiSystemInventory if f.message.starts_with("AI training") => AiUse::Training,
            RuleId::AiSystemInventory | RuleId::HealthDataToAiModel => AiUse::Inference,
            RuleId::HealthDataToAiTraining => AiUse::Training,
            _ => continue,
        };
        let sink = f.sink.clone().unwrap_or_default();
        let key = (f.path.clone(), f.span.start_line, f.span.start_col);
        let entry = sites.entry(key).or_insert_with(|| AiSystem {
            path: f.path.to_string(),
            line: f.span.start_line,
            callee: sink.callee.clone(),
            provider: sink.provider.clone(),
            model: sink.model.clone(),
            endpoint: sink.endpoint.clone(),
            region: sink
                .endpoint
                .as_deref()
                .and_then(|h| region_of(h, endpoints)),
            location: location_of(sink.endpoint.as_deref(), endpoints),
            use_,
            health_data: false,
            categories: Vec::new(),
            direct_identifier: false,
            patient_facing: Vec::new(),
            intended_purpose: Vec::new(),
            triage: Vec::new(),
            notes: Vec::new(),
            findings: Vec::new(),
        });
        if use_ == AiUse::Training {
            entry.use_ = AiUse::Training;
        }
        if f.rule != RuleId::AiSystemInventory {
            entry.health_data = true;
            let mut cats: BTreeSet<String> = entry.categories.drain(..).collect();
            cats.extend(f.categories.iter().cloned());
            entry.categories = sorted(cats);
            entry.direct_identifier |= f.direct_identifier;
        }
        entry.findings.push(anchor(i));
    }
    // Cross-border findings at the same sink settle the location.
    for f in findings
        .iter()
        .filter(|f| f.rule == RuleId::HealthDataCrossBorder)
    {
        if let Some(e) = sites.get_mut(&(f.path.clone(), f.span.start_line, f.span.start_col)) {
            e.location = Location::NonEu;
        }
    }
    let mut out: Vec<AiSystem> = sites.into_values().collect();
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in &mut out {
        let lines = texts
            .entry(e.path.clone())
            .or_insert_with(|| file_lines(sources, &e.path));
        let lo = e.line.saturating_sub(PATIENT_FACING_WINDOW).max(1) as usize;
        let hi = (e.line.saturating_add(PATIENT_FACING_WINDOW) as usize).min(lines.len());
        let near = lines
            .get(lo.saturating_sub(1)..hi)
            .map(|s| s.join("\n"))
            .unwrap_or_default();
        let whole = lines.join("\n");
        e.patient_facing = markers.patient_facing.find(&near);
        e.intended_purpose = markers.intended_purpose.find(&whole);
        e.triage = markers.triage.find(&whole);
        e.findings.sort();
        e.findings.dedup();
        e.notes = ai_notes(e);
    }
    out
}

fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\u{201c}{w}\u{201d}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ai_notes(e: &AiSystem) -> Vec<String> {
    let mut n = Vec::new();
    if e.patient_facing.is_empty() {
        n.push(
            "No patient-facing wording found near the call. AI Act Art. 50(1) (tell people they \
             are interacting with an AI system, from 2 Aug 2026, not postponed by the Omnibus) \
             applies only if people interact with it directly: confirm how it is used."
                .to_string(),
        );
    } else {
        n.push(format!(
            "Patient-facing wording near the call ({}): AI Act Art. 50(1) applies if people \
             interact with it directly — disclose that they are talking to an AI system, from \
             2 Aug 2026 (not postponed by the Omnibus).",
            quoted(&e.patient_facing)
        ));
    }
    if !e.triage.is_empty() {
        n.push(format!(
            "Triage or emergency wording in the file ({}): check AI Act Annex III 5(d) \
             (evaluation and triage of emergency calls); high-risk duties from 2 Aug 2026 \
             (2 Dec 2027 under the Omnibus, pending OJ).",
            quoted(&e.triage)
        ));
    }
    if !e.intended_purpose.is_empty() {
        n.push(format!(
            "Intended-purpose markers in the file ({}): if this is medical-device software that \
             needs a notified body, it is high-risk under AI Act Art. 6(1) + Annex I, from \
             2 Aug 2027 (2 Aug 2028 under the Omnibus, pending OJ).",
            quoted(&e.intended_purpose)
        ));
    }
    if e.triage.is_empty() && e.intended_purpose.is_empty() {
        n.push(
            "No intended-purpose markers (diagnosis or therapy claims, CE, MDR, notified body, \
             UDI) or triage wording in the file: nothing in this code makes it a high-risk AI \
             system; a purpose stated elsewhere (instructions for use, marketing) could."
                .to_string(),
        );
    }
    if e.health_data {
        n.push(
            "Health data reaches the model: it needs a GDPR Art. 9(2) condition, an Art. 28 \
             processor agreement that excludes training on the data, and a DPIA (Art. 35)."
                .to_string(),
        );
    }
    if e.use_ == AiUse::Training {
        n.push(
            "Training or fine-tuning: purpose compatibility (GDPR Art. 5(1)(b), 6(4)); AI Act \
             Art. 10 data governance applies to high-risk systems."
                .to_string(),
        );
    }
    if e.location == Location::NonEu {
        n.push(
            "Endpoint outside the EU/EEA: verify DPF certification, or SCCs (Art. 46) plus a \
             transfer impact assessment, or an Art. 49 derogation."
                .to_string(),
        );
    }
    n.push("AI literacy of the staff using it (AI Act Art. 4) applies in every case.".to_string());
    n
}

fn audit_finding(i: usize, f: &Finding, sources: &mut Sources) -> AuditFinding {
    let meta = f.rule.meta();
    let start = f.span.start_line.max(1);
    let end = f
        .span
        .end_line
        .max(start)
        .min(start.saturating_add(MAX_FRAME_LINES - 1));
    let mut frame = Vec::new();
    for n in start..=end {
        match sources.line(&f.path, n) {
            Some(t) => frame.push(FrameLine {
                line: n,
                text: t.to_string(),
            }),
            None => break,
        }
    }
    if frame.is_empty() {
        frame.push(FrameLine {
            line: start,
            text: f.snippet.clone(),
        });
    }
    let path_steps = f
        .flows
        .first()
        .map(|flow| {
            flow.iter()
                .map(|s| Step {
                    path: s.path.to_string(),
                    line: s.span.start_line,
                    column: sources.char_col(&s.path, s.span.start_line, s.span.start_col),
                    message: s.message.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    AuditFinding {
        id: anchor(i),
        rule: f.rule,
        level: f.level,
        path: f.path.to_string(),
        line: f.span.start_line,
        column: sources.char_col(&f.path, f.span.start_line, f.span.start_col),
        end_line: f.span.end_line,
        message: f.message.clone(),
        sink: f.sink.clone(),
        categories: categories_of(f),
        direct_identifier: f.direct_identifier,
        security_severity: f.security_severity.map(crate::report::round_severity),
        path_steps,
        frame,
        gdpr: meta.gdpr.iter().map(|s| s.to_string()).collect(),
        ai_act: meta.ai_act_cited(),
        other: meta.other_cited(),
        fix: meta.help.to_string(),
    }
}

fn ids_where(findings: &[Finding], pred: impl Fn(&Finding) -> bool) -> Vec<String> {
    findings
        .iter()
        .enumerate()
        .filter(|(_, f)| pred(f))
        .map(|(i, _)| anchor(i))
        .collect()
}

fn dpia(findings: &[Finding], ai: &[AiSystem], markers: &Markers, sources: &mut Sources) -> Dpia {
    let health = |f: &Finding| !matches!(f.rule, RuleId::AiSystemInventory);
    let sensitive = ids_where(findings, health);
    let vulnerable = ids_where(findings, |f| {
        f.rule == RuleId::HealthDataInventory && f.message.contains("patient or health-record type")
    });
    let ai_ids: Vec<String> = {
        let mut v: Vec<String> = ai.iter().flat_map(|a| a.findings.clone()).collect();
        v.sort_by_key(|a| anchor_num(a));
        v.dedup();
        v
    };
    // Files with findings, searched once for large-scale and decision wording.
    let mut files: BTreeSet<&str> = BTreeSet::new();
    for f in findings {
        files.insert(&f.path);
    }
    let mut large_files = BTreeSet::new();
    let mut decision_files = BTreeSet::new();
    let ai_files: BTreeSet<&str> = ai.iter().map(|a| a.path.as_str()).collect();
    for p in files {
        let text = file_lines(sources, p).join("\n");
        if !markers.large_scale.find(&text).is_empty() {
            large_files.insert(p.to_string());
        }
        if ai_files.contains(p) && !markers.automated_decision.find(&text).is_empty() {
            decision_files.insert(p.to_string());
        }
    }
    let large = ids_where(findings, |f| {
        matches!(
            f.rule,
            RuleId::HealthDataUnencryptedStorage | RuleId::HealthDataToAiTraining
        ) || (health(f) && f.rule != RuleId::HealthDataInventory && large_files.contains(&*f.path))
    });
    let decisions = ids_where(findings, |f| {
        matches!(
            f.rule,
            RuleId::AiSystemInventory
                | RuleId::HealthDataToAiModel
                | RuleId::HealthDataToAiTraining
        ) && decision_files.contains(&*f.path)
    });
    let scoring = ids_where(findings, |f| f.rule == RuleId::HealthDataToTracking);
    let transfers = ids_where(findings, |f| f.rule == RuleId::HealthDataCrossBorder);
    let health_ai = ids_where(findings, |f| {
        matches!(
            f.rule,
            RuleId::HealthDataToAiModel | RuleId::HealthDataToAiTraining
        )
    });

    let crit = |id: &str, title: &str, explanation: &str, evidence: Vec<String>| Criterion {
        id: id.to_string(),
        title: title.to_string(),
        evidenced: !evidence.is_empty(),
        explanation: explanation.to_string(),
        evidence,
    };
    let criteria = vec![
        crit(
            "sensitive-data",
            "Sensitive data (GDPR Art. 9: health, genetic, biometric)",
            "Health data is declared or flows in the code.",
            sensitive,
        ),
        crit(
            "vulnerable-data-subjects",
            "Data concerning vulnerable data subjects (patients)",
            "The code models patients or health records; the EDPB lists patients among vulnerable data subjects.",
            vulnerable,
        ),
        crit(
            "innovative-technology",
            "Innovative use or new technological solutions (AI)",
            "The code calls AI models (see the AI register).",
            ai_ids,
        ),
        crit(
            "large-scale",
            "Data processed on a large scale (hint)",
            "Exports, bulk writes, training sets or wording such as \u{201c}all patients\u{201d}, \u{201c}export\u{201d} or \u{201c}registry\u{201d}; the number of people concerned is not visible in code.",
            large,
        ),
        crit(
            "automated-decision",
            "Automated decision-making with legal or similar significant effect (hint)",
            "Decision wording (\u{201c}eligibility\u{201d}, \u{201c}risk score\u{201d}, \u{201c}decision\u{201d} …) in a file that calls an AI model; whether a human reviews the outcome is not visible in code.",
            decisions,
        ),
        crit(
            "evaluation-scoring",
            "Evaluation or scoring, including profiling (hint)",
            "Health data reaches analytics, advertising or monitoring SDKs that build profiles.",
            scoring,
        ),
        crit(
            "transfers",
            "Transfers outside the EU/EEA (GDPR Art. 44–49)",
            "Not one of the nine EDPB criteria, but a reason on its own to assess the risks in a DPIA.",
            transfers.clone(),
        ),
    ];
    // Transfers are listed but are not an EDPB criterion: they do not count.
    let evidenced = criteria
        .iter()
        .filter(|c| c.evidenced && c.id != "transfers")
        .count();
    let required = !health_ai.is_empty() || !transfers.is_empty();
    let mut reasons = Vec::new();
    if !health_ai.is_empty() {
        reasons.push("health data reaches an AI model");
    }
    if !transfers.is_empty() {
        reasons.push("health data leaves the EU/EEA");
    }
    let recommendation = if required {
        format!(
            "A DPIA is required: {} ({} of the EDPB criteria above are evidenced). This is guidance \
             drawn from the code alone, not legal advice; the controller decides with its DPO \
             (GDPR Art. 35).",
            reasons.join(" and "),
            evidenced
        )
    } else if evidenced >= 2 {
        format!(
            "A DPIA is likely required: {evidenced} of the EDPB criteria above are evidenced, and \
             meeting two or more EDPB criteria generally calls for one. This is guidance drawn \
             from the code alone, not legal advice; the controller decides with its DPO \
             (GDPR Art. 35)."
        )
    } else if evidenced == 1 {
        "The code processes health data but shows no other DPIA criterion. Check the national \
         list (in France, health data processed by health establishments for patient care \
         requires a DPIA). This is guidance, not legal advice."
            .to_string()
    } else {
        "No health data was found in the code: nothing here calls for a DPIA. This is guidance, \
         not legal advice; data the code does not name is not covered."
            .to_string()
    };
    Dpia {
        criteria,
        required,
        recommendation,
    }
}

fn anchor_num(a: &str) -> usize {
    a.trim_start_matches("f-").parse().unwrap_or(usize::MAX)
}

fn verdict(
    report: &Report,
    recipients: &[Recipient],
    ai: &[AiSystem],
    dpia: &Dpia,
    categories: &BTreeSet<String>,
) -> String {
    let mut s = format!(
        "healthflow scanned {} file{} ({} lines). ",
        report.files_scanned,
        if report.files_scanned == 1 { "" } else { "s" },
        report.lines_scanned
    );
    if categories.is_empty() && recipients.is_empty() {
        s.push_str("It found no health data in the code. ");
    } else {
        s.push_str(&format!(
            "The code handles health data ({}). ",
            categories.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    let external: Vec<&Recipient> = recipients
        .iter()
        .filter(|r| !matches!(r.kind, RecipientKind::Logs | RecipientKind::Storage))
        .collect();
    let non_eu: Vec<&str> = recipients
        .iter()
        .filter(|r| r.location == Location::NonEu)
        .map(|r| r.name.as_str())
        .collect();
    let clear: Vec<&str> = recipients
        .iter()
        .filter(|r| r.cleartext)
        .map(|r| r.name.as_str())
        .collect();
    if !recipients.is_empty() {
        s.push_str(&format!(
            "It reaches {} recipient{} ({} external service{}",
            recipients.len(),
            if recipients.len() == 1 { "" } else { "s" },
            external.len(),
            if external.len() == 1 { "" } else { "s" },
        ));
        if !non_eu.is_empty() {
            s.push_str(&format!(", outside the EU/EEA: {}", non_eu.join(", ")));
        }
        if !clear.is_empty() {
            s.push_str(&format!(
                ", without transport encryption: {}",
                clear.join(", ")
            ));
        }
        s.push_str("). ");
    }
    let health_ai = ai.iter().filter(|a| a.health_data).count();
    if !ai.is_empty() {
        s.push_str(&format!(
            "It calls {} AI model{}, {} of them with health data. ",
            ai.len(),
            if ai.len() == 1 { "" } else { "s" },
            health_ai
        ));
    }
    let logs_or_files = recipients
        .iter()
        .any(|r| matches!(r.kind, RecipientKind::Logs | RecipientKind::Storage));
    if logs_or_files {
        s.push_str("Health data is also written to logs or unencrypted files. ");
    }
    s.push_str(&dpia.recommendation);
    s
}
