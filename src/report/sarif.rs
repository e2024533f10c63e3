//! The SARIF 2.1.0 reporter, within GitHub code scanning's limits.
//!
//! One run; rules carry the legal mapping as tags and as relationships to two taxonomies
//! (GDPR, EU AI Act); results carry the source-to-sink paths as `codeFlows`. Columns are
//! Unicode code points (`columnKind`), converted from the scanner's byte columns.

use super::{declared_rules, round_severity, RenderOptions, Sources};
use crate::finding::{Finding, FlowStep, Report, SkipReason};
use crate::fingerprint::HEALTHFLOW_V1;
use crate::model::Span;
use crate::rules::{explain_markdown, explain_text, Regulation, RuleId};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SRCROOT: &str = "%SRCROOT%";
/// Most code flows given per result; the rest are counted in the result's properties.
pub const MAX_CODE_FLOWS: usize = 10;
/// Most locations per thread flow: 10 flows × 1,000 stays within GitHub's 10,000 per result.
pub const MAX_FLOW_STEPS: usize = 1000;
/// Id of the notification descriptor for files that were not (completely) scanned.
pub const SKIPPED_FILE: &str = "skipped-file";
/// Id of the notification descriptor for results left out over [`MAX_RESULTS`].
pub const RESULTS_CAPPED: &str = "results-capped";

const SKIPPED_FILE_FULL: &str = "A file was left out of the scan, or scanned only in part: it could not be \
read or decoded, it exceeded the size or time budget, or it could not be parsed. Flows through it may be missing.";
const SKIPPED_FILE_HELP: &str =
    "Check the notification's message for the reason. Raise `--max-file-size` or \
`--file-timeout` for large files, or exclude generated files in healthflow.toml.";
const RESULTS_CAPPED_FULL: &str =
    "GitHub code scanning accepts a limited number of results per run; \
healthflow kept the most severe and left the rest out of this SARIF file.";
const RESULTS_CAPPED_HELP: &str =
    "Run `healthflow scan --format json` or `--format text` to see every finding, \
or fix or baseline the reported ones first.";

fn help_text(s: &str) -> Help {
    Help {
        text: s.replace('`', ""),
        markdown: s.to_string(),
    }
}
/// GitHub code scanning accepts at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    automation_details: AutomationDetails,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, UriOnly>>,
    column_kind: &'static str,
    invocations: Vec<Invocation>,
    taxonomies: Vec<Taxonomy>,
    results: Vec<SarifResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties>,
}

/// Present only when results were capped.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    results_total: usize,
    results_reported: usize,
    results_truncated: bool,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
    notifications: Vec<NotificationDescriptor>,
    supported_taxonomies: Vec<ComponentRef>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
    relationships: Vec<Relationship>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

fn text(s: impl Into<String>) -> Text {
    Text { text: s.into() }
}

/// A message that may quote scanned code or file names. SARIF viewers turn `[text](target)`
/// in a message into a link (GitHub: to a URL or a related location); healthflow writes
/// none, so every bracket is escaped (`\[`, `\]`, SARIF §3.11.6) and a `(` after a `]` too,
/// so that no `](` is left even for a viewer that ignores the escapes.
fn message(s: &str) -> Text {
    let mut out = String::with_capacity(s.len());
    let mut prev = '\0';
    for c in s.chars() {
        if matches!(c, '[' | ']') || (c == '(' && prev == ']') {
            out.push('\\');
        }
        out.push(c);
        prev = c;
    }
    Text { text: out }
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<String>,
}

#[derive(Serialize)]
struct Relationship {
    target: TaxonRef,
    kinds: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TaxonRef {
    id: &'static str,
    index: usize,
    tool_component: ComponentRef,
}

#[derive(Serialize)]
struct ComponentRef {
    name: &'static str,
    index: usize,
    guid: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Taxonomy {
    name: &'static str,
    guid: &'static str,
    full_name: &'static str,
    organization: &'static str,
    information_uri: &'static str,
    is_comprehensive: bool,
    taxa: Vec<Taxon>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Taxon {
    id: &'static str,
    name: String,
    short_description: Text,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: &'static str,
}

#[derive(Serialize)]
struct UriOnly {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    descriptor: DescriptorRef,
}

#[derive(Serialize)]
struct DescriptorRef {
    id: &'static str,
    index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code_flows: Vec<CodeFlow>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeFlow {
    thread_flows: [ThreadFlow; 1],
}

#[derive(Serialize)]
struct ThreadFlow {
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
struct ThreadFlowLocation {
    location: StepLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StepLocation {
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    /// `test` for findings in test code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'static str>,
    direct_identifier: bool,
    categories: Vec<String>,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<String>,
    /// Number of flows the finding has, present only when more than [`MAX_CODE_FLOWS`].
    #[serde(skip_serializing_if = "Option::is_none")]
    code_flows_total: Option<usize>,
    /// True when flows or flow steps were left out to stay within GitHub's limits.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    code_flows_truncated: bool,
}

fn severity_string(s: f32) -> String {
    format!("{:.1}", round_severity(s))
}

/// Percent-encodes a path for a URI: keeps unreserved characters and `/`, and `:` only when
/// `keep_colon` (a drive letter in an absolute `file:` URI; in a relative reference a colon in
/// the first segment would read as a scheme).
fn encode_path(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (keep_colon && b == b':');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `file:///abs/root/` for the run's `%SRCROOT%`, with a trailing slash.
pub fn root_uri(root: &str) -> String {
    let mut path = root.replace('\\', "/");
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    format!("file://{}", encode_path(&path, true))
}

/// A relative artifact URI for a report path (`/` separators already).
pub fn artifact_uri(path: &str) -> String {
    encode_path(path.trim_start_matches("./"), false)
}

fn artifact(path: &str) -> ArtifactLocation {
    ArtifactLocation {
        uri: artifact_uri(path),
        uri_base_id: SRCROOT,
    }
}

fn region(sources: &mut Sources, path: &str, span: &Span) -> Region {
    let start_line = span.start_line.max(1);
    let end_line = span.end_line.max(start_line);
    let start_column = sources.char_col(path, start_line, span.start_col);
    let mut end_column = sources.char_col(path, end_line, span.end_col);
    if end_line == start_line {
        end_column = end_column.max(start_column);
    }
    Region {
        start_line,
        start_column,
        end_line,
        end_column,
    }
}

fn physical(sources: &mut Sources, path: &str, span: &Span) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact(path),
        region: Some(region(sources, path, span)),
    }
}

fn rule(rule: RuleId) -> Rule {
    let m = rule.meta();
    let mut relationships = Vec::new();
    for (ci, reg) in Regulation::ALL.into_iter().enumerate() {
        for index in m.taxa(reg) {
            let Some(taxon) = reg.taxa().get(index) else {
                continue;
            };
            relationships.push(Relationship {
                target: TaxonRef {
                    id: taxon.key,
                    index,
                    tool_component: component_ref(reg, ci),
                },
                kinds: ["relevant"],
            });
        }
    }
    Rule {
        id: rule.id(),
        name: m.name,
        short_description: text(m.short),
        full_description: text(m.full),
        help: Help {
            text: explain_text(rule),
            markdown: explain_markdown(rule),
        },
        help_uri: format!(
            "{}/blob/main/docs/rules.md#{}",
            env!("CARGO_PKG_REPOSITORY"),
            rule.id()
        ),
        default_configuration: Configuration {
            level: rule.level().as_str(),
        },
        properties: RuleProperties {
            tags: m.tags(),
            precision: m.precision,
            security_severity: rule.security_severity().map(severity_string),
        },
        relationships,
    }
}

fn component_ref(reg: Regulation, index: usize) -> ComponentRef {
    ComponentRef {
        name: reg.name(),
        index,
        guid: reg.guid(),
    }
}

fn taxonomy(reg: Regulation) -> Taxonomy {
    Taxonomy {
        name: reg.name(),
        guid: reg.guid(),
        full_name: reg.full_name(),
        organization: "European Union",
        information_uri: reg.information_uri(),
        is_comprehensive: false,
        taxa: reg
            .taxa()
            .iter()
            .map(|t| Taxon {
                id: t.key,
                name: format!("{} {}", t.label, t.title),
                short_description: text(t.title),
            })
            .collect(),
    }
}

/// One thread flow; long flows keep their first steps and their last (the sink).
fn thread_flow(sources: &mut Sources, steps: &[FlowStep]) -> (ThreadFlow, bool) {
    let truncated = steps.len() > MAX_FLOW_STEPS;
    let kept: Vec<&FlowStep> = if truncated {
        let last = steps.len() - 1;
        steps[..MAX_FLOW_STEPS - 1]
            .iter()
            .chain(std::iter::once(&steps[last]))
            .collect()
    } else {
        steps.iter().collect()
    };
    let locations = kept
        .into_iter()
        .map(|s| ThreadFlowLocation {
            location: StepLocation {
                physical_location: physical(sources, &s.path, &s.span),
                message: message(&s.message),
            },
        })
        .collect();
    (ThreadFlow { locations }, truncated)
}

fn result(
    sources: &mut Sources,
    f: &Finding,
    rule_index: usize,
    suppressed: Option<Option<String>>,
) -> SarifResult {
    let total = f.total_flows.max(f.flows.len());
    let mut truncated = total > MAX_CODE_FLOWS.min(f.flows.len());
    let mut code_flows = Vec::new();
    for flow in f
        .flows
        .iter()
        .filter(|fl| !fl.is_empty())
        .take(MAX_CODE_FLOWS)
    {
        let (tf, cut) = thread_flow(sources, flow);
        truncated |= cut;
        code_flows.push(CodeFlow { thread_flows: [tf] });
    }
    SarifResult {
        rule_id: f.rule.id(),
        rule_index,
        level: f.level.as_str(),
        message: message(&f.message),
        locations: vec![Location {
            physical_location: physical(sources, &f.path, &f.span),
        }],
        code_flows,
        partial_fingerprints: {
            let mut fp = BTreeMap::new();
            if !f.fingerprint.is_empty() {
                fp.insert(HEALTHFLOW_V1, f.fingerprint.clone());
            }
            if let Some(h) = sources.line_hash(&f.path, f.span.start_line.max(1)) {
                fp.insert("primaryLocationLineHash", h);
            }
            fp
        },
        suppressions: suppressed
            .map(|justification| {
                vec![Suppression {
                    kind: "inSource",
                    justification,
                }]
            })
            .unwrap_or_default(),
        properties: ResultProperties {
            tags: if f.test { vec!["test"] } else { Vec::new() },
            direct_identifier: f.direct_identifier,
            categories: f.categories.clone(),
            security_severity: f.security_severity.map(severity_string),
            code_flows_total: (total > f.flows.len().min(MAX_CODE_FLOWS)).then_some(total),
            code_flows_truncated: truncated,
        },
    }
}

fn notification_level(reason: &SkipReason) -> &'static str {
    match reason {
        SkipReason::Binary => "note",
        _ => "warning",
    }
}

fn skipped_notification(path: &str, reason: &SkipReason) -> Notification {
    let locations = if path.is_empty() {
        Vec::new()
    } else {
        vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact(path),
                region: None,
            },
        }]
    };
    Notification {
        level: notification_level(reason),
        message: message(&format!("skipped: {reason}")),
        locations,
        descriptor: DescriptorRef {
            id: SKIPPED_FILE,
            index: 0,
        },
    }
}

fn absolute_root(root: &str) -> Option<String> {
    if root.is_empty() {
        return None;
    }
    let p = Path::new(root);
    if p.is_absolute() {
        return Some(root.to_string());
    }
    std::path::absolute(p)
        .ok()
        .map(|a| a.to_string_lossy().into_owned())
}

/// At most [`MAX_RESULTS`] results: active before suppressed, then the most severe, keeping
/// report order among those kept.
fn cap_results<T>(all: Vec<(&Finding, Option<T>)>) -> Vec<(&Finding, Option<T>)> {
    if all.len() <= MAX_RESULTS {
        return all;
    }
    let mut idx: Vec<usize> = (0..all.len()).collect();
    idx.sort_by_key(|&i| {
        let (f, s) = &all[i];
        (
            s.is_some(),
            std::cmp::Reverse(f.level),
            std::cmp::Reverse((f.security_severity.unwrap_or(0.0) * 10.0) as i32),
            i,
        )
    });
    idx.truncate(MAX_RESULTS);
    idx.sort_unstable();
    let mut keep = vec![false; all.len()];
    for i in idx {
        keep[i] = true;
    }
    all.into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(r, _)| r)
        .collect()
}

/// Pretty-printed SARIF 2.1.0 with a trailing newline.
/// Written to `w` as it is serialised.
pub fn render_to(
    report: &Report,
    opts: &RenderOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut rules = declared_rules(report, opts);
    for s in &report.workflow.suppressed {
        if !rules.contains(&s.finding.rule) {
            rules.push(s.finding.rule);
        }
    }
    rules.sort();
    let mut sources = Sources::new(&report.root);
    // Active and suppressed findings, in report order.
    let mut all: Vec<(&Finding, Option<Option<String>>)> = report
        .findings
        .iter()
        .map(|f| (f, None))
        .chain(
            report
                .workflow
                .suppressed
                .iter()
                .map(|s| (&s.finding, Some(s.justification.clone()))),
        )
        .collect();
    all.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
    let total = all.len();
    let all = cap_results(all);
    let results = all
        .into_iter()
        .map(|(f, suppressed)| {
            // `rules` holds every rule a finding uses.
            let index = rules.iter().position(|r| *r == f.rule).unwrap_or(0);
            result(&mut sources, f, index, suppressed)
        })
        .collect::<Vec<_>>();
    let capped = total > results.len();
    let mut notifications: Vec<Notification> = report
        .skipped
        .iter()
        .map(|s| skipped_notification(&s.path, &s.reason))
        .collect();
    if capped {
        notifications.push(Notification {
            level: "warning",
            message: text(format!(
                "{total} results found; only the {} most severe are included (GitHub code scanning accepts {MAX_RESULTS} per run). Use --format json for all of them.",
                results.len()
            )),
            locations: Vec::new(),
            descriptor: DescriptorRef {
                id: RESULTS_CAPPED,
                index: 1,
            },
        });
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "healthflow",
                    semantic_version: opts.tool_version,
                    version: opts.tool_version,
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: rules.iter().map(|r| rule(*r)).collect(),
                    notifications: vec![
                        NotificationDescriptor {
                            id: SKIPPED_FILE,
                            name: "SkippedFile",
                            short_description: text(
                                "A file was not scanned, or not completely.",
                            ),
                            full_description: text(SKIPPED_FILE_FULL),
                            help: help_text(SKIPPED_FILE_HELP),
                            default_configuration: Configuration { level: "warning" },
                        },
                        NotificationDescriptor {
                            id: RESULTS_CAPPED,
                            name: "ResultsCapped",
                            short_description: text(
                                "More results were found than GitHub code scanning accepts; the least severe were left out.",
                            ),
                            full_description: text(RESULTS_CAPPED_FULL),
                            help: help_text(RESULTS_CAPPED_HELP),
                            default_configuration: Configuration { level: "warning" },
                        },
                    ],
                    supported_taxonomies: Regulation::ALL
                        .into_iter()
                        .enumerate()
                        .map(|(i, reg)| component_ref(reg, i))
                        .collect(),
                },
            },
            automation_details: AutomationDetails { id: "healthflow/" },
            original_uri_base_ids: absolute_root(&report.root).map(|root| {
                BTreeMap::from([(
                    SRCROOT,
                    UriOnly {
                        uri: root_uri(&root),
                    },
                )])
            }),
            column_kind: "unicodeCodePoints",
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            taxonomies: Regulation::ALL.into_iter().map(taxonomy).collect(),
            properties: capped.then_some(RunProperties {
                results_total: total,
                results_reported: results.len(),
                results_truncated: true,
            }),
            results,
        }],
    };
    // Serialising plain structs and strings cannot fail; only the writer can.
    serde_json::to_writer_pretty(&mut *w, &log).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_no_links() {
        let m = message("from `db.get(\"[c](http://evil)\")` and `x\\](1)` at a[0]").text;
        assert_eq!(
            m,
            "from `db.get(\"\\[c\\]\\(http://evil)\")` and `x\\\\]\\(1)` at a\\[0\\]"
        );
        assert!(!m.contains("]("));
        assert_eq!(message("Art. 5(1)(c)").text, "Art. 5(1)(c)");
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(root_uri("/home/a b/proj"), "file:///home/a%20b/proj/");
        assert_eq!(root_uri("/x/"), "file:///x/");
        assert_eq!(root_uri("C:\\src\\app"), "file:///C:/src/app/");
        assert_eq!(artifact_uri("src/é x.py"), "src/%C3%A9%20x.py");
        assert_eq!(artifact_uri("a:b.py"), "a%3Ab.py");
        assert_eq!(artifact_uri("./src/a.py"), "src/a.py");
    }
}

#[cfg(test)]
mod cap_tests {
    use super::*;
    use crate::finding::{Suppressed, WorkflowSummary};
    use crate::rules::{Level, RuleId};

    fn finding(line: u32, level: Level) -> Finding {
        Finding {
            rule: if level == Level::Error {
                RuleId::HealthDataToAiModel
            } else {
                RuleId::HealthDataInLogs
            },
            level,
            path: "a.py".into(),
            span: Span {
                start_line: line,
                start_col: 1,
                end_line: line,
                end_col: 2,
                ..Span::default()
            },
            message: "m".into(),
            sink: None,
            flows: vec![],
            total_flows: 0,
            direct_identifier: false,
            categories: vec![],
            security_severity: None,
            snippet: "x".into(),
            fingerprint: format!("{line:032x}"),
            test: false,
        }
    }

    #[test]
    fn results_are_capped_most_severe_first() {
        let mut findings: Vec<Finding> = (1..=MAX_RESULTS as u32 + 2)
            .map(|l| finding(l, Level::Warning))
            .collect();
        findings.push(finding(MAX_RESULTS as u32 + 10, Level::Error));
        let report = Report {
            findings,
            workflow: WorkflowSummary {
                suppressed: vec![Suppressed {
                    finding: finding(1, Level::Error),
                    justification: Some("ok".into()),
                }],
                ..WorkflowSummary::default()
            },
            ..Report::default()
        };
        let v: serde_json::Value = serde_json::from_str(&crate::report::render(
            crate::report::Format::Sarif,
            &report,
            &RenderOptions::default(),
        ))
        .expect("JSON");
        let run = &v["runs"][0];
        let results = run["results"].as_array().expect("results");
        assert_eq!(results.len(), MAX_RESULTS);
        assert_eq!(run["properties"]["resultsTotal"], MAX_RESULTS + 4);
        assert_eq!(run["properties"]["resultsTruncated"], true);
        // The error and the suppressed finding are not both kept: the error is.
        assert!(results.iter().any(|r| r["level"] == "error"));
        assert!(results.iter().all(|r| r.get("suppressions").is_none()));
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .expect("notifications");
        assert!(notes
            .iter()
            .any(|n| n["descriptor"]["id"] == RESULTS_CAPPED));
        assert_eq!(
            results[0]["partialFingerprints"][HEALTHFLOW_V1],
            format!("{:032x}", 1)
        );
    }
}
