//! The JSON reporter: a stable, versioned schema documented in `docs/json-output.md`.
//! Bump [`SCHEMA_VERSION`] on any incompatible change.

use super::{round_severity, LevelCounts, RenderOptions};
use crate::finding::{Finding, Report, SinkInfo, SkipReason};
use serde::Serialize;
use std::collections::BTreeMap;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    root: &'static str,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    skipped: Vec<JsonSkipped<'a>>,
    unused_suppressions: Option<Vec<JsonDirective<'a>>>,
}

#[derive(Serialize)]
struct JsonDirective<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    rules: Option<&'a [String]>,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    bytes_scanned: u64,
    lines_scanned: u64,
    files_skipped: usize,
    unresolved_calls: u64,
    findings: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    by_rule: BTreeMap<&'static str, usize>,
    suppressed: usize,
    baselined: Option<usize>,
    baseline_fixed: Option<usize>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    level: &'static str,
    message: &'a str,
    path: &'a str,
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    sink: Option<&'a SinkInfo>,
    flows: Vec<Vec<JsonStep<'a>>>,
    direct_identifier: bool,
    categories: &'a [String],
    security_severity: Option<f64>,
    snippet: &'a str,
    total_flows: usize,
    fingerprint: &'a str,
    /// The sink is in test code.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    test: bool,
}

#[derive(Serialize)]
struct JsonStep<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSkipped<'a> {
    path: &'a str,
    reason_kind: &'static str,
    reason: String,
}

/// Stable kebab-case name of a skip reason.
pub fn reason_kind(reason: &SkipReason) -> &'static str {
    match reason {
        SkipReason::TooLarge { .. } => "too-large",
        SkipReason::Binary => "binary",
        SkipReason::InvalidUtf8 => "invalid-utf8",
        SkipReason::Unreadable(_) => "unreadable",
        SkipReason::ParseFailed(_) => "parse-failed",
        SkipReason::AnalysisPanicked(_) => "analysis-panicked",
        SkipReason::TimeBudgetExceeded { .. } => "time-budget-exceeded",
        SkipReason::WalkError(_) => "walk-error",
        SkipReason::Minified => "minified",
    }
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: f.rule.id(),
        level: f.level.as_str(),
        message: &f.message,
        path: &f.path,
        start_line: f.span.start_line,
        start_column: f.span.start_col,
        end_line: f.span.end_line,
        end_column: f.span.end_col,
        sink: f.sink.as_ref(),
        flows: f
            .flows
            .iter()
            .map(|flow| {
                flow.iter()
                    .map(|s| JsonStep {
                        path: &s.path,
                        line: s.span.start_line,
                        column: s.span.start_col,
                        end_line: s.span.end_line,
                        end_column: s.span.end_col,
                        message: &s.message,
                    })
                    .collect()
            })
            .collect(),
        direct_identifier: f.direct_identifier,
        test: f.test,
        categories: &f.categories,
        security_severity: f.security_severity.map(round_severity),
        snippet: &f.snippet,
        total_flows: f.total_flows.max(f.flows.len()),
        fingerprint: &f.fingerprint,
    }
}

/// Pretty-printed JSON with a trailing newline.
/// Written to `w` as it is serialised.
pub fn render_to(
    report: &Report,
    opts: &RenderOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let counts = LevelCounts::of(report);
    let mut by_rule = BTreeMap::new();
    for f in &report.findings {
        *by_rule.entry(f.rule.id()).or_insert(0) += 1;
    }
    let out = Output {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "healthflow",
            version: opts.tool_version,
        },
        root: ".",
        summary: Summary {
            files_scanned: report.files_scanned,
            bytes_scanned: report.bytes_scanned,
            lines_scanned: report.lines_scanned,
            files_skipped: report.skipped.len(),
            unresolved_calls: report.unresolved_calls,
            findings: report.findings.len(),
            errors: counts.errors,
            warnings: counts.warnings,
            notes: counts.notes,
            by_rule,
            suppressed: report.workflow.suppressed_count,
            baselined: report.workflow.baselined,
            baseline_fixed: report
                .workflow
                .baselined
                .map(|_| report.workflow.fixed.len()),
        },
        findings: report.findings.iter().map(finding).collect(),
        skipped: report
            .skipped
            .iter()
            .map(|s| JsonSkipped {
                path: &s.path,
                reason_kind: reason_kind(&s.reason),
                reason: s.reason.to_string(),
            })
            .collect(),
        unused_suppressions: report.workflow.unused_suppressions.as_ref().map(|ds| {
            ds.iter()
                .map(|d| JsonDirective {
                    path: &d.path,
                    line: d.line,
                    column: d.column,
                    rules: d.rules.as_deref(),
                    reason: d.reason.as_deref(),
                })
                .collect()
        }),
    };
    // Serialising plain structs, strings and finite numbers cannot fail; only the writer can.
    serde_json::to_writer_pretty(&mut *w, &out).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{FlowStep, Skipped};
    use crate::model::Span;
    use crate::rules::{Level, RuleId};
    use serde_json::Value;
    use std::collections::BTreeSet;

    fn keys(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    // `by_rule` keys are rule ids, not fields.
                    if !k.contains("health-data") {
                        out.insert(k.clone());
                    }
                    keys(v, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }

    fn sample() -> Report {
        let span = Span {
            start_line: 1,
            start_col: 1,
            end_line: 1,
            end_col: 5,
            ..Span::default()
        };
        Report {
            root: "/abs/root".into(),
            files_scanned: 1,
            findings: vec![Finding {
                rule: RuleId::HealthDataInLogs,
                level: Level::Warning,
                path: "a.py".into(),
                span,
                message: "m".into(),
                sink: Some(SinkInfo::default()),
                flows: vec![vec![FlowStep {
                    path: "a.py".into(),
                    span,
                    message: "s".into(),
                }]],
                direct_identifier: false,
                categories: vec![],
                security_severity: Some(6.5),
                snippet: "print(x)".into(),
                total_flows: 1,
                fingerprint: String::new(),
                test: false,
            }],
            unresolved_calls: 0,
            skipped: vec![Skipped {
                path: "b.py".into(),
                reason: SkipReason::Binary,
            }],
            workflow: crate::finding::WorkflowSummary {
                unused_suppressions: Some(vec![crate::suppress::Directive {
                    path: "a.py".into(),
                    line: 3,
                    column: 5,
                    rules: Some(vec!["health-data-in-logs".into()]),
                    reason: None,
                    own_line: true,
                }]),
                ..Default::default()
            },
            ..Report::default()
        }
    }

    #[test]
    fn every_field_is_documented() {
        let out = crate::report::render(
            crate::report::Format::Json,
            &sample(),
            &RenderOptions::default(),
        );
        assert!(out.ends_with("}\n"));
        assert!(!out.contains("/abs/root"));
        let mut fields = BTreeSet::new();
        keys(&serde_json::from_str(&out).expect("JSON"), &mut fields);
        let doc_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json-output.md");
        let doc = std::fs::read_to_string(doc_path).expect("docs/json-output.md");
        for f in &fields {
            assert!(
                doc.contains(&format!("| `{f}` |")),
                "docs/json-output.md lacks `{f}`"
            );
        }
        // The documented example has the same fields.
        let example = doc
            .split("```json\n")
            .nth(1)
            .and_then(|s| s.split("```").next())
            .expect("example");
        let mut example_fields = BTreeSet::new();
        keys(
            &serde_json::from_str(example).expect("example is JSON"),
            &mut example_fields,
        );
        example_fields.insert("reason_kind".into());
        example_fields.insert("reason".into());
        assert_eq!(fields, example_fields);
    }

    #[test]
    fn severities_are_rounded() {
        let mut r = sample();
        r.findings[0].security_severity = Some(6.6);
        let out = crate::report::render(crate::report::Format::Json, &r, &RenderOptions::default());
        assert!(out.contains("\"security_severity\": 6.6,"), "{out}");
    }
}
