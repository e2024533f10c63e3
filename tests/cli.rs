//! The command line: every `scan` flag, the exit codes, determinism across thread counts,
//! schema-valid SARIF on the demo, and snapshots of the three formats on one fixture.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn healthflow() -> Command {
    let mut c = Command::cargo_bin("healthflow").expect("binary built");
    c.current_dir(manifest());
    c.env_remove("NO_COLOR");
    c
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

const LEAK: &str = "import logging\nlogger = logging.getLogger(__name__)\n\ndef show(patient):\n    logger.info(\"loaded %s\", patient.diagnosis)\n";
const CLEAN: &str = "import logging\nlogger = logging.getLogger(__name__)\n\ndef show(count):\n    logger.info(\"loaded %d\", count)\n";
const NOTE_ONLY: &str = "class Patient:\n    diagnosis: str\n";

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("JSON output")
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let leak = write(dir.path(), "leak.py", LEAK);
    let clean = write(dir.path(), "clean.py", CLEAN);
    healthflow().args(["scan"]).arg(&clean).assert().code(0);
    healthflow().args(["scan"]).arg(&leak).assert().code(1);
    // The leak is a warning: it fails at warning and note, not at error or never.
    for (level, code) in [("warning", 1), ("note", 1), ("error", 0), ("never", 0)] {
        healthflow()
            .args(["scan", "--fail-on", level])
            .arg(&leak)
            .assert()
            .code(code);
    }
    // Inventory notes only fail at `note`.
    let notes = write(dir.path(), "models.py", NOTE_ONLY);
    healthflow()
        .args(["scan", "--inventory", "--fail-on", "warning"])
        .arg(&notes)
        .assert()
        .code(0);
    healthflow()
        .args(["scan", "--inventory", "--fail-on", "note"])
        .arg(&notes)
        .assert()
        .code(1);
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    healthflow()
        .args(["scan", "--format", "xml", "."])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("xml"));
    healthflow()
        .args(["scan", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no such file"));
    healthflow()
        .args(["scan", "--jobs", "0", "."])
        .assert()
        .code(2);
    healthflow()
        .args(["scan", "--max-file-size", "lots", "."])
        .assert()
        .code(2);
    healthflow()
        .args(["explain", "no-such-rule"])
        .assert()
        .code(2);
    healthflow().args(["frobnicate"]).assert().code(2);
    healthflow().arg("--version").assert().code(0);
}

#[test]
fn formats_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let leak = write(dir.path(), "leak.py", LEAK);
    let out = healthflow()
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .arg(&leak)
        .output()
        .unwrap();
    let v = json(&out.stdout);
    assert_eq!(v["summary"]["findings"], 1);
    assert_eq!(v["findings"][0]["rule"], "health-data-in-logs");
    assert_eq!(v["findings"][0]["start_line"], 5);

    let text = healthflow()
        .args(["scan", "--color", "never", "--fail-on", "never"])
        .arg(&leak)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("health-data-in-logs"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when asked: {text}");
    let coloured = healthflow()
        .args(["scan", "--color", "always", "--fail-on", "never"])
        .arg(&leak)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));

    let sarif_path = dir.path().join("out.sarif");
    healthflow()
        .args([
            "scan",
            "--format",
            "sarif",
            "--fail-on",
            "never",
            "--output",
        ])
        .arg(&sarif_path)
        .arg(&leak)
        .assert()
        .code(0)
        .stdout("");
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"][0]["ruleId"],
        "health-data-in-logs"
    );
}

#[test]
fn output_never_overwrites_a_scanned_source_file() {
    let dir = tempfile::tempdir().unwrap();
    let leak = write(dir.path(), "leak.py", LEAK);
    healthflow()
        .args(["scan", "--output"])
        .arg(&leak)
        .arg(dir.path())
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&leak).unwrap(), LEAK);
}

#[test]
fn inventory_adds_the_note_rules() {
    let dir = tempfile::tempdir().unwrap();
    let models = write(dir.path(), "models.py", NOTE_ONLY);
    let plain = healthflow()
        .args(["scan", "-f", "json"])
        .arg(&models)
        .output()
        .unwrap();
    assert_eq!(json(&plain.stdout)["summary"]["findings"], 0);
    let inv = healthflow()
        .args(["scan", "-f", "json", "--inventory", "--fail-on", "never"])
        .arg(&models)
        .output()
        .unwrap();
    let v = json(&inv.stdout);
    assert_eq!(v["summary"]["by_rule"]["health-data-inventory"], 2, "{v}");
}

#[test]
fn max_file_size_skips_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let leak = write(dir.path(), "leak.py", LEAK);
    let out = healthflow()
        .args(["scan", "-f", "json", "--max-file-size", "10"])
        .arg(&leak)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out.stdout);
    assert_eq!(v["summary"]["files_skipped"], 1);
    assert_eq!(v["skipped"][0]["reason_kind"], "too-large");
    // Suffixes are accepted.
    healthflow()
        .args(["scan", "--max-file-size", "1M"])
        .arg(&leak)
        .assert()
        .code(1);
}

#[test]
fn call_depth_controls_cross_file_flows() {
    let crossfile = "fixtures/python/crossfile";
    let count = |depth: &str| {
        let out = healthflow()
            .args(["scan", "-f", "json", "--max-call-depth", depth, crossfile])
            .output()
            .unwrap();
        json(&out.stdout)["summary"]["findings"].as_u64().unwrap()
    };
    assert_eq!(count("0"), 0, "no finding needs only one function");
    assert_eq!(count("6"), 15, "every annotated cross-file sink");
    let out = healthflow()
        .args(["scan", "-f", "json", "--max-paths", "1", crossfile])
        .output()
        .unwrap();
    for f in json(&out.stdout)["findings"].as_array().unwrap() {
        assert_eq!(f["flows"].as_array().unwrap().len(), 1);
    }
}

/// One call is one level of `--max-call-depth`, whether the callee is in the caller's file or
/// in another one (parsed only because the flow needs it, or analysed from the start).
#[test]
fn one_call_across_files_needs_the_depth_of_one_call_within_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let helper = "import logging\nlogger = logging.getLogger(__name__)\n\ndef record(value):\n    logger.info(value)\n";
    let call = "def visit(patient):\n    record(patient.diagnosis)\n";
    write(d, "one/app.py", &format!("{helper}\n{call}"));
    write(d, "two/helper.py", helper);
    write(
        d,
        "two/app.py",
        &format!("from helper import record\n\n{call}"),
    );
    // The helper mentions patient data itself, so the prefilter keeps it from the start.
    write(
        d,
        "three/helper.py",
        &format!("{helper}# Visit records for patient support.\n"),
    );
    write(
        d,
        "three/app.py",
        &format!("from helper import record\n\n{call}"),
    );
    let sinks = |project: &str, depth: &str| -> Vec<(String, u64)> {
        let out = healthflow()
            .current_dir(d)
            .args(["scan", "-f", "json", "--fail-on", "never"])
            .args(["--max-call-depth", depth, project])
            .output()
            .unwrap();
        json(&out.stdout)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["start_line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let logged = vec![("health-data-in-logs".to_string(), 5)];
    for depth in ["0", "1", "2"] {
        let expected = if depth == "0" { vec![] } else { logged.clone() };
        for project in ["one", "two", "three"] {
            assert_eq!(
                sinks(project, depth),
                expected,
                "{project} at depth {depth}"
            );
        }
    }
}

/// A file that names a project's health-record type, or a repository of it, is analysed even
/// when no word in it says health: the prefilter alone would skip it.
#[test]
fn files_that_only_name_a_health_record_type_are_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "ward/models.py",
        "from sqlalchemy import Column, Integer, Text\nfrom sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n\nclass BedStay(Base):\n    __tablename__ = \"bed_stays\"\n    id = Column(Integer, primary_key=True)\n    diagnosis = Column(Text)\n",
    );
    write(
        d,
        "ward/occupancy.py",
        "import logging\nfrom .models import BedStay\n\nlog = logging.getLogger(__name__)\n\ndef current(session):\n    log.info(\"%s\", session.query(BedStay).all())\n",
    );
    write(
        d,
        "src/main/java/org/ward/BedStay.java",
        "package org.ward;\n\npublic class BedStay {\n    private Long id;\n    private String diagnosis;\n}\n",
    );
    write(
        d,
        "src/main/java/org/ward/BedStayRepository.java",
        "package org.ward;\n\nimport java.util.List;\nimport org.springframework.data.jpa.repository.JpaRepository;\n\npublic interface BedStayRepository extends JpaRepository<BedStay, Long> {\n    List<BedStay> findByWard(String ward);\n}\n",
    );
    write(
        d,
        "src/main/java/org/ward/Occupancy.java",
        "package org.ward;\n\nimport org.slf4j.Logger;\nimport org.slf4j.LoggerFactory;\n\npublic class Occupancy {\n    private static final Logger log = LoggerFactory.getLogger(Occupancy.class);\n    private final BedStayRepository stays;\n\n    public Occupancy(BedStayRepository stays) {\n        this.stays = stays;\n    }\n\n    public void report(String ward) {\n        log.info(\"{}\", stays.findByWard(ward));\n    }\n}\n",
    );
    let out = healthflow()
        .current_dir(d)
        .args(["scan", "-f", "json", "--fail-on", "never", "."])
        .output()
        .unwrap();
    let mut got: Vec<(String, u64)> = json(&out.stdout)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["start_line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("src/main/java/org/ward/Occupancy.java".to_string(), 15),
            ("ward/occupancy.py".to_string(), 7),
        ]
    );
}

#[test]
fn same_bytes_whatever_the_thread_count() {
    let run = |jobs: &str, format: &str| {
        let out = healthflow()
            .args([
                "scan",
                "fixtures",
                "--fail-on",
                "never",
                "--jobs",
                jobs,
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        out.stdout
    };
    for format in ["json", "sarif", "text"] {
        let one = run("1", format);
        assert!(!one.is_empty());
        assert_eq!(
            one,
            run("8", format),
            "{format} differs between --jobs 1 and 8"
        );
        assert_eq!(one, run("2", format), "{format} differs between runs");
    }
}

#[test]
fn demo_sarif_validates_and_exits_1() {
    let out = healthflow()
        .args(["scan", "fixtures/demo", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif = json(&out.stdout);
    common::assert_valid(&common::validator(), &sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() >= 8);
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.starts_with("fixtures/demo/"),
            "{uri} must be relative to the repository"
        );
    }
}

#[test]
fn rules_and_explain() {
    let out = healthflow().args(["rules"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for r in healthflow::rules::RuleId::ALL {
        assert!(text.contains(r.id()), "{} missing from `rules`", r.id());
    }
    let out = healthflow()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&out.stdout).as_array().unwrap().len(), 12);
    let out = healthflow()
        .args(["explain", "health-data-to-ai-model"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Art. 9"), "{text}");
}

/// The three formats on one real fixture, with the machine-specific parts replaced.
#[test]
fn snapshots_of_the_three_formats_on_a_fixture() {
    let fixture = "fixtures/python/crossfile";
    let root = manifest().canonicalize().unwrap();
    let root_uri = format!("file://{}/", root.display());
    let version = env!("CARGO_PKG_VERSION");
    for (format, ext) in [("text", "txt"), ("json", "json"), ("sarif", "sarif")] {
        let out = healthflow()
            .args(["scan", fixture, "--color", "never", "--format", format])
            .output()
            .unwrap();
        let body = String::from_utf8(out.stdout)
            .unwrap()
            .replace(&root_uri, "file:///SRCROOT/")
            .replace(&format!("\"{version}\""), "\"VERSION\"");
        insta::assert_snapshot!(format!("crossfile_{ext}"), body);
    }
}

#[test]
fn explain_source_says_why_a_value_is_or_is_not_health_data() {
    let run = |loc: &str| {
        let out = healthflow().args(["explain-source", loc]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{loc}");
        String::from_utf8(out.stdout).unwrap()
    };
    let leak = run("fixtures/python/realworld/records_store.py:31");
    assert!(
        leak.contains("`row.diagnosis`  health data: a source: `diagnosis` names diagnosis data"),
        "{leak}"
    );
    assert!(leak.contains("finding: health-data-in-logs"), "{leak}");
    let count = run("fixtures/python/realworld/records_store.py:33");
    assert!(count.contains("`len(rows)`  not health data"), "{count}");
    let path = run("fixtures/python/realworld/records_store.py:57");
    assert!(
        path.contains(
            "`health_records_root`  not health data: `root` makes it about a format, location or catalog"
        ),
        "{path}"
    );
    let total = run("fixtures/python/traps_counts.py:80");
    assert!(
        total.contains("`total_visits` names a count or an aggregate over the record"),
        "{total}"
    );
    let system = run("fixtures/python/fhir_hl7_dicom.py:36");
    assert!(
        system.contains("`system` names a namespace or a kind of value"),
        "{system}"
    );
    let bad = healthflow()
        .args([
            "explain-source",
            "fixtures/python/realworld/records_store.py",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn findings_in_test_code_are_notes_tagged_test() {
    let sarif = scan_sarif(&["fixtures/python/realworld", "fixtures/rust/realworld"]);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let in_tests: Vec<&Value> = results
        .iter()
        .filter(|r| {
            r["properties"]["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|x| x == "test"))
        })
        .collect();
    assert_eq!(
        in_tests.len(),
        4,
        "one Python test file finding, one in a synthetic-data generator, one #[cfg(test)] finding, one in a Rust tests/ file"
    );
    for r in &in_tests {
        assert_eq!(r["level"], "note");
    }
    // `[tests] level = "off"` drops them; other findings stay.
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "healthflow.toml", "[tests]\nlevel = \"off\"\n");
    write(dir.path(), "tests/test_a.py", LEAK);
    write(dir.path(), "app.py", LEAK);
    let out = healthflow()
        .args(["scan", "-f", "json", "--fail-on", "never", "--config"])
        .arg(&config)
        .arg(dir.path())
        .output()
        .unwrap();
    let paths: Vec<String> = json(&out.stdout)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(paths[0].ends_with("app.py"));
}

#[test]
fn one_code_flow_per_source_reaching_a_sink() {
    let sarif = scan_sarif(&["fixtures/python/realworld/discharge_letter.py"]);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "ai-model and cross-border at one call");
    for r in results {
        let firsts: Vec<String> = r["codeFlows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|cf| {
                cf["threadFlows"][0]["locations"][0]["location"]["message"]["text"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(firsts.len(), 2, "{firsts:?}");
        // The source the message names (the diagnosis) comes first.
        assert!(
            firsts[0].starts_with("`stay.discharge_diagnosis`"),
            "{firsts:?}"
        );
        assert!(firsts[1].starts_with("`patient.nhs_number`"), "{firsts:?}");
        assert!(r["message"]["text"]
            .as_str()
            .unwrap()
            .contains("stay.discharge_diagnosis"));
    }
    // `--max-paths 1` keeps the first.
    let out = healthflow()
        .args([
            "scan",
            "-f",
            "json",
            "--max-paths",
            "1",
            "--fail-on",
            "never",
            "fixtures/python/realworld/discharge_letter.py",
        ])
        .output()
        .unwrap();
    for f in json(&out.stdout)["findings"].as_array().unwrap() {
        assert_eq!(f["flows"].as_array().unwrap().len(), 1);
        assert_eq!(f["total_flows"], 2);
    }
}

/// The SARIF log of a scan of `paths` that never fails on findings.
fn scan_sarif(paths: &[&str]) -> Value {
    let out = healthflow()
        .args(["scan", "-f", "sarif", "--fail-on", "never"])
        .args(paths)
        .output()
        .unwrap();
    json(&out.stdout)
}

/// Notebooks: code cells are scanned as one module, findings land on the notebook's own
/// lines with their cell, suppressions in a cell apply, and a notebook that cannot be read
/// as Python is skipped with its reason.
#[test]
fn notebooks_are_scanned_at_their_own_lines() {
    let dir = tempfile::tempdir().unwrap();
    let cell = |src: &[&str]| serde_json::json!({"cell_type": "code", "metadata": {}, "outputs": [], "source": src});
    let nb = serde_json::json!({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Visits\n"]},
            cell(&["import logging\n", "logger = logging.getLogger(__name__)"]),
            cell(&[
                "def show(patient):\n",
                "    logger.info(\"loaded %s\", patient.diagnosis)\n",
                "    # healthflow: ignore[health-data-in-logs] -- reviewed\n",
                "    logger.info(\"again %s\", patient.diagnosis)\n",
            ]),
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5
    });
    let text = serde_json::to_string_pretty(&nb).unwrap();
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i as u64 + 1)
            .unwrap()
    };
    write(dir.path(), "visits.ipynb", &text);
    write(dir.path(), "broken.ipynb", "{\"cells\": [");
    write(
        dir.path(),
        "r.ipynb",
        "{\"cells\": [], \"metadata\": {\"kernelspec\": {\"language\": \"R\"}}}",
    );
    let out = healthflow()
        .args(["scan", "-f", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out.stdout);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f["rule"], "health-data-in-logs");
    assert_eq!(f["start_line"], line_of("loaded %s"));
    assert!(f["message"].as_str().unwrap().ends_with("(cell 3)"), "{f}");
    let source_line = format!("(line {}:", line_of("loaded %s"));
    assert!(f["message"].as_str().unwrap().contains(&source_line), "{f}");
    let skipped: Vec<String> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| format!("{} {}", s["path"], s["reason"]))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].contains("broken.ipynb") && skipped[0].contains("invalid JSON"));
    assert!(skipped[1].contains("r.ipynb") && skipped[1].contains("notebook in R"));
}

#[test]
fn a_record_field_named_as_metadata_is_not_the_source_a_finding_names() {
    // `language` and `text` are both fields of a patient route's body; the message names the
    // text, not the output language.
    let out = healthflow()
        .args([
            "scan",
            "-f",
            "json",
            "--fail-on",
            "never",
            "fixtures/javascript/filesystem_routes/app/api/patients/[patientId]/summary/route.ts",
        ])
        .output()
        .unwrap();
    let v = json(&out.stdout);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{findings:?}");
    for f in findings {
        let m = f["message"].as_str().unwrap();
        assert!(m.contains("from `text`"), "{m}");
    }
}

#[test]
fn explain_source_takes_a_notebook_line() {
    let out = healthflow()
        .args([
            "explain-source",
            "fixtures/python/notebooks/readmission_review.ipynb:78",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("78:62  `patient.diagnosis`  health data"),
        "{text}"
    );
    assert!(text.contains("(cell 5)"), "{text}");
}

#[test]
fn the_id_of_a_patient_record_is_a_direct_identifier_and_other_records_ids_are_not_health_data() {
    let out = healthflow()
        .args([
            "scan",
            "fixtures/javascript/records/encounters.service.ts",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let at = |line: u64| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["start_line"] == line)
            .cloned()
    };
    // `patient.id` of a typed Patient.
    let id = at(38).expect("patient.id is logged");
    assert_eq!(id["direct_identifier"], true, "{id}");
    // `obs.valueQuantity`: health data, not an identifier.
    let value = at(36).expect("an observation's value is logged");
    assert_eq!(value["direct_identifier"], false, "{value}");
    // `obs.id`, `encounter.id`, `coverage.id`: ids of records about the patient.
    assert!(at(26).is_none() && at(35).is_none());
}
