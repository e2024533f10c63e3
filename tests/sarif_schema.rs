//! The reporters on a hand-built report: SARIF validated against the OASIS 2.1.0 schema
//! (draft 4) and GitHub code scanning's rules, and snapshots of all three formats.

mod common;

use common::{assert_valid, validator};
use healthflow::finding::Finding;
use healthflow::finding::{FlowStep, Report, SinkInfo, SkipReason, Skipped};
use healthflow::model::Span;
use healthflow::report::{self, Format, RenderOptions};
use healthflow::rules::{Level, RuleId};
use serde_json::Value;

const APP_PY: &str = r#"def summarize(patient, client, logger):
    prompt = f"Summarise: {patient.diagnosis}"
    note = "Résumé"
    note = "Résumé"; logger.info("patient %s: %s", patient.nir, note)
    return client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": prompt}])
"#;

const MODELS_PY: &str = "class Patient(Base):\n    diagnosis = Column(String)\n";

const VERSION: &str = "0.0.0-test";

fn span(line: u32, col: u32, end_line: u32, end_col: u32) -> Span {
    Span {
        start_byte: 0,
        end_byte: 0,
        start_line: line,
        start_col: col,
        end_line,
        end_col,
    }
}

fn step(line: u32, col: u32, end_col: u32, message: &str) -> FlowStep {
    FlowStep {
        path: "src/app.py".into(),
        span: span(line, col, line, end_col),
        message: message.into(),
    }
}

/// Byte column of `needle` on 1-based `line` of `text`, 1-based.
fn col_of(text: &str, line: u32, needle: &str) -> u32 {
    let l = text.lines().nth(line as usize - 1).expect("line");
    l.find(needle).expect("needle") as u32 + 1
}

struct Fixture {
    _dir: tempfile::TempDir,
    root: String,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::write(dir.path().join("src/app.py"), APP_PY).expect("write");
    std::fs::write(dir.path().join("src/models.py"), MODELS_PY).expect("write");
    let root = dir.path().to_string_lossy().into_owned();
    Fixture { _dir: dir, root }
}

fn report(root: &str, inventory: bool) -> Report {
    let log_col = col_of(APP_PY, 4, "logger.info");
    let log_end = APP_PY
        .lines()
        .nth(3)
        .map(|l| l.len() as u32 + 1)
        .unwrap_or(1);
    let nir_col = col_of(APP_PY, 4, "patient.nir");
    let note_col = col_of(APP_PY, 4, "note)");
    let call_col = col_of(APP_PY, 5, "client.chat");
    let call_end = APP_PY
        .lines()
        .nth(5)
        .map(|l| l.len() as u32 + 1)
        .unwrap_or(1);
    let diag_col = col_of(APP_PY, 2, "patient.diagnosis");
    let openai = SinkInfo {
        callee: "client.chat.completions.create".into(),
        provider: Some("OpenAI".into()),
        endpoint: Some("api.openai.com".into()),
        model: Some("gpt-4o".into()),
    };
    let ai_flow = vec![
        step(
            2,
            diag_col,
            diag_col + 17,
            "health data: attribute `diagnosis` of `patient`",
        ),
        step(2, 5, 11, "assigned to `prompt`"),
        step(
            5,
            call_col,
            call_col + 30,
            "reaches `client.chat.completions.create`",
        ),
    ];
    let sink_span = span(5, call_col, 6, call_end);
    let mut findings = vec![
        Finding {
            rule: RuleId::HealthDataInLogs,
            level: Level::Warning,
            path: "src/app.py".into(),
            span: span(4, log_col, 4, log_end),
            message: "Health data (identifier: NIR) is written to a log by `logger.info`; it \
                      includes a direct identifier: pseudonymise it (GDPR Art. 25(1), 4(5))"
                .into(),
            sink: Some(SinkInfo {
                callee: "logger.info".into(),
                ..SinkInfo::default()
            }),
            flows: vec![
                vec![
                    step(
                        4,
                        nir_col,
                        nir_col + 11,
                        "health data: direct identifier `patient.nir`",
                    ),
                    step(4, log_col, log_end, "reaches `logger.info`"),
                ],
                vec![
                    step(3, 5, 9, "health data: `note`"),
                    step(4, note_col, note_col + 4, "read as `note`"),
                    step(4, log_col, log_end, "reaches `logger.info`"),
                ],
            ],
            direct_identifier: true,
            categories: vec!["identifier".into()],
            security_severity: Some(7.5),
            snippet: APP_PY.lines().nth(3).unwrap_or_default().trim().into(),
            total_flows: 1,
            fingerprint: String::new(),
            test: false,
        },
        Finding {
            rule: RuleId::HealthDataCrossBorder,
            level: Level::Warning,
            path: "src/app.py".into(),
            span: sink_span,
            message: "Health data (diagnosis) is sent outside the EU/EEA to api.openai.com \
                      (US): verify DPF certification, or SCCs (Art. 46) plus a transfer impact \
                      assessment, or an Art. 49 derogation"
                .into(),
            sink: Some(openai.clone()),
            flows: vec![ai_flow.clone()],
            direct_identifier: false,
            categories: vec!["diagnosis".into()],
            security_severity: Some(7.0),
            snippet: "return client.chat.completions.create(".into(),
            total_flows: 1,
            fingerprint: String::new(),
            test: false,
        },
        Finding {
            rule: RuleId::HealthDataToAiModel,
            level: Level::Error,
            path: "src/app.py".into(),
            span: sink_span,
            message: "Health data (diagnosis) is sent to an AI model (OpenAI gpt-4o)".into(),
            sink: Some(openai),
            flows: vec![ai_flow],
            direct_identifier: false,
            categories: vec!["diagnosis".into()],
            security_severity: Some(8.0),
            snippet: "return client.chat.completions.create(".into(),
            total_flows: 1,
            fingerprint: String::new(),
            test: false,
        },
    ];
    if inventory {
        findings.push(Finding {
            rule: RuleId::HealthDataInventory,
            level: Level::Note,
            path: "src/models.py".into(),
            span: span(2, 5, 2, 14),
            message: "Health-data field `diagnosis` of `Patient`".into(),
            sink: None,
            flows: vec![],
            direct_identifier: false,
            categories: vec!["diagnosis".into()],
            security_severity: None,
            snippet: "diagnosis = Column(String)".into(),
            total_flows: 1,
            fingerprint: String::new(),
            test: false,
        });
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    healthflow::fingerprint::assign(&mut findings);
    Report {
        root: root.to_string(),
        files_scanned: 2,
        bytes_scanned: (APP_PY.len() + MODELS_PY.len()) as u64,
        lines_scanned: (APP_PY.lines().count() + MODELS_PY.lines().count()) as u64,
        findings,
        unresolved_calls: 0,
        skipped: vec![
            Skipped {
                path: "assets/scan.bin".into(),
                reason: SkipReason::Binary,
            },
            Skipped {
                path: "data/big dump.py".into(),
                reason: SkipReason::TooLarge {
                    size: 5_000_000,
                    limit: 1_000_000,
                },
            },
        ],
        ..Report::default()
    }
}

fn opts(inventory: bool) -> RenderOptions {
    RenderOptions {
        color: false,
        tool_version: VERSION,
        include_inventory_rules: inventory,
    }
}

fn sarif(inventory: bool) -> (Fixture, Value) {
    let fx = fixture();
    let text = report::render(
        Format::Sarif,
        &report(&fx.root, inventory),
        &opts(inventory),
    );
    let v = serde_json::from_str(&text).expect("SARIF is JSON");
    (fx, v)
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let v = validator();
    for inventory in [false, true] {
        let (_fx, sarif) = sarif(inventory);
        assert_valid(&v, &sarif);
    }
    // Also an empty report, with no root.
    let empty = report::render(Format::Sarif, &Report::default(), &opts(false));
    assert_valid(&v, &serde_json::from_str(&empty).expect("JSON"));
}

/// A named way to break a valid SARIF log.
type Breakage = (&'static str, fn(&mut Value));

#[test]
fn broken_sarif_fails_validation() {
    let v = validator();
    let (_fx, good) = sarif(true);
    let breakages: Vec<Breakage> = vec![
        ("no version", |s| {
            s.as_object_mut().map(|o| o.remove("version"));
        }),
        ("bad level", |s| {
            s["runs"][0]["results"][0]["level"] = "fatal".into()
        }),
        ("line 0", |s| {
            s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
                0.into()
        }),
        ("unknown property", |s| {
            s["runs"][0]["tool"]["driver"]["colour"] = "red".into()
        }),
        ("bad guid", |s| {
            s["runs"][0]["taxonomies"][0]["guid"] = "not-a-guid".into()
        }),
        ("bad uri", |s| {
            s["runs"][0]["tool"]["driver"]["informationUri"] = "no scheme".into()
        }),
        ("duplicate tags", |s| {
            s["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"] =
                serde_json::json!(["a", "a"])
        }),
    ];
    for (name, breakage) in breakages {
        let mut bad = good.clone();
        breakage(&mut bad);
        assert!(!v.is_valid(&bad), "broken SARIF ({name}) passed validation");
    }
}

#[test]
fn sarif_meets_github_code_scanning_rules() {
    for inventory in [false, true] {
        let (_fx, s) = sarif(inventory);
        assert_eq!(
            s["$schema"],
            "https://json.schemastore.org/sarif-2.1.0.json"
        );
        assert_eq!(s["version"], "2.1.0");
        let runs = s["runs"].as_array().expect("runs");
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "healthflow");
        assert_eq!(driver["semanticVersion"], VERSION);
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(run["automationDetails"]["id"], "healthflow/");
        let root_uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .expect("root uri");
        assert!(root_uri.starts_with("file:///") && root_uri.ends_with('/'));

        // GH2012: every reporting descriptor, rules and notifications alike, carries a full
        // description and help.
        let notifications = driver["notifications"].as_array().expect("notifications");
        assert!(!notifications.is_empty());
        for d in driver["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .chain(notifications)
        {
            for key in ["shortDescription", "fullDescription"] {
                let t = d[key]["text"].as_str().unwrap_or_default();
                assert!(!t.is_empty(), "{} lacks {key}", d["id"]);
            }
            for key in ["text", "markdown"] {
                let t = d["help"][key].as_str().unwrap_or_default();
                assert!(!t.is_empty(), "{} lacks help.{key}", d["id"]);
            }
        }

        let rules = driver["rules"].as_array().expect("rules");
        let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        let expected: Vec<&str> = RuleId::ALL
            .iter()
            .filter(|r| inventory || !r.is_inventory())
            .map(|r| r.id())
            .collect();
        assert_eq!(ids, expected, "rules in RuleId::ALL order");
        for r in rules {
            let id = r["id"].as_str().expect("id");
            let rule = RuleId::from_id(id).expect("known rule");
            let tags: Vec<&str> = r["properties"]["tags"]
                .as_array()
                .expect("tags")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert!(tags.len() <= 20, "{id}: {} tags", tags.len());
            assert_eq!(&tags[..3], ["security", "privacy", "health-data"], "{id}");
            match rule.security_severity() {
                Some(sev) => {
                    let s = r["properties"]["security-severity"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{id}: security-severity is not a string"));
                    assert_eq!(s.parse::<f32>().ok(), Some(sev), "{id}");
                }
                None => assert!(r["properties"].get("security-severity").is_none(), "{id}"),
            }
            for key in ["shortDescription", "fullDescription"] {
                assert!(
                    !r[key]["text"].as_str().unwrap_or("").is_empty(),
                    "{id}: {key}"
                );
            }
            assert!(!r["help"]["markdown"].as_str().unwrap_or("").is_empty());
            assert_eq!(r["defaultConfiguration"]["level"], rule.level().as_str());
            // Relationships point at existing taxa of the named taxonomy.
            for rel in r["relationships"].as_array().expect("relationships") {
                let tc = rel["target"]["toolComponent"]["index"]
                    .as_u64()
                    .expect("tc") as usize;
                let ti = rel["target"]["index"].as_u64().expect("index") as usize;
                let taxonomy = &run["taxonomies"][tc];
                assert_eq!(taxonomy["name"], rel["target"]["toolComponent"]["name"]);
                assert_eq!(taxonomy["guid"], rel["target"]["toolComponent"]["guid"]);
                assert_eq!(taxonomy["taxa"][ti]["id"], rel["target"]["id"]);
            }
        }

        let results = run["results"].as_array().expect("results");
        assert_eq!(results.len(), if inventory { 4 } else { 3 });
        for res in results {
            let idx = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(
                rules[idx]["id"], res["ruleId"],
                "ruleIndex points to ruleId"
            );
            assert!(!res["message"]["text"].as_str().unwrap_or("").is_empty());
            let loc = &res["locations"][0]["physicalLocation"];
            assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            let flows = res["codeFlows"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            assert!(flows.len() <= 10);
            for cf in flows {
                let steps = cf["threadFlows"][0]["locations"].as_array().expect("steps");
                let total: usize = steps.len();
                assert!(total <= 1000);
                let last = &steps[total - 1]["location"]["physicalLocation"];
                assert_eq!(last["region"]["startLine"], loc["region"]["startLine"]);
            }
        }
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .expect("notifications");
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0]["descriptor"]["id"], "skipped-file");
        assert_eq!(
            notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "data/big%20dump.py"
        );
    }
}

#[test]
fn thread_flows_follow_the_finding_flows() {
    let fx = fixture();
    let r = report(&fx.root, false);
    let s: Value =
        serde_json::from_str(&report::render(Format::Sarif, &r, &opts(false))).expect("JSON");
    let results = s["runs"][0]["results"].as_array().expect("results");
    for (f, res) in r.findings.iter().zip(results) {
        let flows = res["codeFlows"].as_array().expect("codeFlows");
        assert_eq!(flows.len(), f.flows.len());
        for (flow, cf) in f.flows.iter().zip(flows) {
            let steps = cf["threadFlows"][0]["locations"].as_array().expect("steps");
            assert_eq!(steps.len(), flow.len());
            let first = &steps[0]["location"];
            assert_eq!(first["message"]["text"], &*flow[0].message);
            assert_eq!(
                first["physicalLocation"]["region"]["startLine"],
                flow[0].span.start_line
            );
            let last = &steps[steps.len() - 1]["location"];
            let sink = &flow[flow.len() - 1];
            assert_eq!(last["message"]["text"], &*sink.message);
            assert_eq!(
                last["physicalLocation"]["region"]["startLine"],
                f.span.start_line
            );
        }
    }
}

#[test]
fn columns_are_unicode_code_points() {
    let fx = fixture();
    let r = report(&fx.root, false);
    let s: Value =
        serde_json::from_str(&report::render(Format::Sarif, &r, &opts(false))).expect("JSON");
    let logs = &s["runs"][0]["results"][0];
    assert_eq!(logs["ruleId"], "health-data-in-logs");
    let region = &logs["locations"][0]["physicalLocation"]["region"];
    // Line 4 has two "é" (two bytes each) before the sink.
    let byte_col = r.findings[0].span.start_col;
    assert_eq!(region["startColumn"], byte_col - 2);
    let line4 = APP_PY.lines().nth(3).expect("line 4");
    let chars: Vec<char> = line4.chars().collect();
    let start = region["startColumn"].as_u64().expect("col") as usize - 1;
    let end = region["endColumn"].as_u64().expect("col") as usize - 1;
    assert_eq!(
        chars[start..end].iter().collect::<String>(),
        "logger.info(\"patient %s: %s\", patient.nir, note)"
    );
}

#[test]
fn code_flows_are_capped() {
    let fx = fixture();
    let mut r = report(&fx.root, false);
    let flow = r.findings[0].flows[0].clone();
    r.findings[0].flows = vec![flow; 12];
    let long: Vec<FlowStep> = (0..1500).map(|_| step(4, 5, 6, "via")).collect();
    r.findings[1].flows = vec![long];
    let s: Value =
        serde_json::from_str(&report::render(Format::Sarif, &r, &opts(false))).expect("JSON");
    let res = &s["runs"][0]["results"];
    assert_eq!(res[0]["codeFlows"].as_array().map(Vec::len), Some(10));
    assert_eq!(res[0]["properties"]["codeFlowsTotal"], 12);
    assert_eq!(res[0]["properties"]["codeFlowsTruncated"], true);
    let steps = res[1]["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .map(Vec::len);
    assert_eq!(steps, Some(1000));
    assert_eq!(res[1]["properties"]["codeFlowsTruncated"], true);
    assert!(res[2]["properties"].get("codeFlowsTruncated").is_none());
    assert_valid(&validator(), &s);
}

#[test]
fn renderings_are_deterministic() {
    let fx = fixture();
    let r = report(&fx.root, true);
    for format in [Format::Text, Format::Json, Format::Sarif] {
        let a = report::render(format, &r, &opts(true));
        let b = report::render(format, &r, &opts(true));
        assert_eq!(a, b);
        assert!(a.ends_with('\n'));
        if format == Format::Json {
            assert!(
                !a.contains(&fx.root),
                "JSON must not hold the absolute root"
            );
        }
        if format == Format::Sarif {
            assert_eq!(
                a.matches(fx.root.as_str()).count(),
                1,
                "root only in originalUriBaseIds"
            );
        }
    }
}

/// The absolute root of the temporary fixture, replaced by a placeholder.
fn stable(fx: &Fixture, text: String) -> String {
    text.replace(&fx.root, "/SRCROOT")
}

#[test]
fn snapshots() {
    let fx = fixture();
    let with_inventory = report(&fx.root, true);
    let without = report(&fx.root, false);
    let text = report::render(Format::Text, &with_inventory, &opts(true));
    insta::assert_snapshot!("text", stable(&fx, text));
    let json = report::render(Format::Json, &with_inventory, &opts(true));
    insta::assert_snapshot!("json", stable(&fx, json));
    let sarif = report::render(Format::Sarif, &without, &opts(false));
    insta::assert_snapshot!("sarif", stable(&fx, sarif));
}

#[test]
fn text_colour_only_when_asked() {
    let fx = fixture();
    let r = report(&fx.root, false);
    let plain = report::render(Format::Text, &r, &opts(false));
    assert!(!plain.contains('\x1b'));
    let coloured = report::render(
        Format::Text,
        &r,
        &RenderOptions {
            color: true,
            ..opts(false)
        },
    );
    assert!(coloured.contains("\x1b[1;31mhealth-data-to-ai-model\x1b[0m"));
}

/// Microsoft's SARIF multitool (`SARIF_MULTITOOL`: the path of its platform binary, which
/// `.ci/run` installs from npm), or `None` (and a message) when unset outside CI; in CI its
/// absence fails the test.
fn sarif_multitool() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("SARIF_MULTITOOL") {
        return Some(p.into());
    }
    common::missing(
        "SARIF_MULTITOOL",
        "npm install @microsoft/sarif-multitool, then point SARIF_MULTITOOL at its Sarif.Multitool binary",
    );
    None
}

/// The multitool's SARIF and GitHub (GHAS) rules find nothing to report on the demo's and
/// the fixtures' SARIF, with every option that adds content.
#[test]
fn sarif_multitool_with_github_rules_reports_no_error_or_warning() {
    let Some(tool) = sarif_multitool() else {
        return;
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    let runs: [&[&str]; 3] = [
        &["fixtures/demo"],
        &["fixtures"],
        &["fixtures", "--inventory", "--include-suppressed"],
    ];
    for (i, args) in runs.iter().enumerate() {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthflow"))
            .current_dir(root)
            .args(["scan", "--format", "sarif", "--fail-on", "never"])
            .args(*args)
            .output()
            .expect("healthflow runs");
        assert!(out.status.success(), "{args:?}: {out:?}");
        let input = dir.path().join(format!("in{i}.sarif"));
        let log = dir.path().join(format!("out{i}.sarif"));
        std::fs::write(&input, &out.stdout).expect("write");
        let v = std::process::Command::new(&tool)
            .args(["validate", "--rule-kind", "Sarif;Ghas", "--output"])
            .arg(&log)
            .arg(&input)
            .output()
            .expect("the multitool runs");
        let log: Value = serde_json::from_str(&std::fs::read_to_string(&log).unwrap_or_else(|e| {
            panic!("{args:?}: no multitool output ({e}): {v:?}");
        }))
        .expect("multitool output is JSON");
        let problems: Vec<String> = log["runs"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|r| r["results"].as_array().into_iter().flatten())
            .filter(|r| matches!(r["level"].as_str(), Some("error" | "warning") | None))
            .map(|r| format!("{} {}", r["ruleId"], r["message"]))
            .collect();
        assert!(problems.is_empty(), "{args:?}: {problems:#?}");
        let analysed = log["runs"][0]["invocations"][0]["executionSuccessful"].as_bool();
        assert_eq!(analysed, Some(true), "{args:?}: {v:?}");
    }
}

/// Every `message.text` in the log, wherever it is.
fn message_texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(t) = m.get("message").and_then(|m| m.get("text")) {
                out.push(t.as_str().unwrap_or_default().to_string());
            }
            m.values().for_each(|x| message_texts(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| message_texts(x, out)),
        _ => {}
    }
}

/// Scanned code and file names quoted in messages cannot make links in a SARIF viewer:
/// `[text](url)` and `[text](N)` from a scanned tree come out with their brackets escaped.
#[test]
fn scanned_text_makes_no_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let code = "import logging\n\ndef admit(patient, db):\n    logging.info(\"x\", db.get(\"[c](http://evil.example)\").diagnosis)\n    logging.info(db.rows[\"](2)\"].diagnosis)\n    logging.info(db.rows[\"a`b\"].diagnosis)\n";
    std::fs::write(dir.path().join("app.py"), code).expect("write");
    std::fs::write(dir.path().join("[x](http:evil).py"), b"\0binary").expect("write");
    let out = assert_cmd::Command::cargo_bin("healthflow")
        .expect("binary")
        .current_dir(dir.path())
        .args(["scan", ".", "-f", "sarif", "--fail-on", "never"])
        .output()
        .expect("run");
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_valid(&validator(), &sarif);
    let mut texts = Vec::new();
    message_texts(&sarif, &mut texts);
    let all = texts.join("\n");
    assert!(
        all.contains(r#"db.get("\[c\]\(http://evil.example)")"#),
        "{all}"
    );
    assert!(all.contains(r#"db.rows\["\]\(2)"\]"#), "{all}");
    assert!(!all.contains("]("), "{all}");
    // A backtick in scanned code does not end a code span early.
    for t in &texts {
        assert_eq!(t.matches('`').count() % 2, 0, "{t}");
    }
    assert!(all.contains(r#"db.rows\["a'b"\]"#), "{all}");
    // File names appear only in percent-encoded URIs.
    let uri = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]
        ["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(uri, "%5Bx%5D%28http%3Aevil%29.py");
}
