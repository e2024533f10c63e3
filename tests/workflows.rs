//! Team workflows end to end: the pre-commit hook (with the real `pre-commit` tool), staged and
//! changed-code scans, baselines, inline suppressions, configuration, and the documented
//! snippets.

mod common;

use assert_cmd::Command;
use common::{git_command, git_ok, pre_commit, tool_on_path};
use healthflow::config::Config;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const BIN: &str = env!("CARGO_BIN_EXE_healthflow");
const LEAK: &str = "def visit(patient, logger):\n    logger.info(patient.diagnosis)\n";
const CLEAN: &str = "def add(a, b):\n    return a + b\n";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git_ok(dir.path(), &["init", "-q"]);
    dir
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

fn scan(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::new(BIN)
        .current_dir(dir)
        .arg("scan")
        .args(args)
        .env("NO_COLOR", "1")
        .assert()
}

fn scan_json(dir: &Path, args: &[&str]) -> Value {
    let out = Command::new(BIN)
        .current_dir(dir)
        .arg("scan")
        .args(["--format", "json", "--fail-on", "never"])
        .args(args)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn rules_and_lines(v: &Value) -> Vec<(String, u64)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["start_line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The first fenced block of `lang` in a doc.
fn doc_block(doc: &str, lang: &str, nth: usize) -> String {
    let text = std::fs::read_to_string(manifest_dir().join("docs").join(doc)).expect("doc");
    text.split(&format!("```{lang}\n"))
        .nth(nth + 1)
        .and_then(|s| s.split("```").next())
        .unwrap_or_else(|| panic!("docs/{doc} has no {lang} block #{nth}"))
        .to_string()
}

// ---------------------------------------------------------------- pre-commit

#[test]
fn pre_commit_blocks_a_leak_and_passes_clean_and_baselined_commits() {
    let Some(pc) = pre_commit() else { return };
    let dir = repo();
    let d = dir.path();
    let home = tempfile::tempdir().expect("tempdir");
    write(
        d,
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: local\n    hooks:\n      - id: healthflow\n        name: healthflow\n        \
             entry: {BIN} scan\n        language: system\n        types_or: [python, jupyter, rust, javascript, jsx, ts, tsx, java]\n        \
             require_serial: true\n        args: [--baseline, .healthflow-baseline.json]\n"
        ),
    );
    write(
        d,
        ".healthflow-baseline.json",
        "{\n  \"version\": 1,\n  \"findings\": []\n}\n",
    );
    let run = |args: &[&str]| {
        std::process::Command::new(pc)
            .current_dir(d)
            .env("PRE_COMMIT_HOME", home.path())
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .expect("pre-commit runs")
    };
    let out = run(&["install"]);
    assert!(out.status.success(), "{out:?}");
    let commit = |msg: &str| {
        let out = git_command(d)
            .env("PRE_COMMIT_HOME", home.path())
            .env("NO_COLOR", "1")
            .args(["commit", "-m", msg])
            .output()
            .expect("git commit runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };

    // A clean commit passes.
    write(d, "app/util.py", CLEAN);
    git_ok(d, &["add", "-A"]);
    let (ok, text) = commit("clean");
    assert!(ok, "clean commit blocked:\n{text}");
    assert!(text.contains("healthflow"), "hook did not run:\n{text}");

    // A commit adding `logger.info(patient.diagnosis)` is blocked, the finding shown.
    write(d, "app/visits.py", LEAK);
    git_ok(d, &["add", "app/visits.py"]);
    let (ok, text) = commit("leak");
    assert!(!ok, "leaking commit passed:\n{text}");
    assert!(text.contains("health-data-in-logs"), "{text}");
    assert!(text.contains("app/visits.py:2:5"), "{text}");
    assert!(text.contains("logger.info(patient.diagnosis)"), "{text}");

    // Accepted into the baseline, the same finding passes.
    scan(d, &["--write-baseline", ".healthflow-baseline.json"]).success();
    git_ok(d, &["add", "-A"]);
    let (ok, text) = commit("baselined");
    assert!(ok, "baselined commit blocked:\n{text}");

    // A second leak in a later commit is blocked again.
    write(
        d,
        "app/visits.py",
        &format!("{LEAK}\ndef other(patient):\n    print(patient.diagnosis)\n"),
    );
    git_ok(d, &["add", "-A"]);
    let (ok, text) = commit("new leak");
    assert!(!ok, "{text}");
    assert!(text.contains("app/visits.py:5:5"), "{text}");
    assert!(!text.contains("app/visits.py:2:5"), "{text}");
}

/// The published hook: the manifest's fields, and pre-commit's own validation of it and of the
/// documented configuration snippets.
#[test]
fn published_hook_manifest_and_documented_configs_are_valid() {
    let manifest =
        std::fs::read_to_string(manifest_dir().join(".pre-commit-hooks.yaml")).expect("manifest");
    let field = |key: &str| {
        manifest
            .lines()
            .map(|l| l.trim_start_matches("- ").trim())
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("no `{key}` in .pre-commit-hooks.yaml"))
            .trim()
            .to_string()
    };
    assert_eq!(field("id"), "healthflow");
    assert_eq!(field("language"), "rust");
    assert_eq!(field("entry"), "healthflow scan");
    assert_eq!(
        field("types_or"),
        "[python, jupyter, rust, javascript, jsx, ts, tsx, java]"
    );
    assert_eq!(field("require_serial"), "true");
    assert_eq!(manifest.matches("- id:").count(), 1);

    let Some(pc) = pre_commit() else { return };
    let out = std::process::Command::new(pc)
        .current_dir(manifest_dir())
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    let dir = tempfile::tempdir().expect("tempdir");
    for nth in [0, 1, 2] {
        let cfg = doc_block("pre-commit.md", "yaml", nth);
        let path = dir.path().join(format!("config{nth}.yaml"));
        std::fs::write(&path, cfg).expect("write");
        let out = std::process::Command::new(pc)
            .args(["validate-config"])
            .arg(&path)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "docs/pre-commit.md yaml #{nth}: {out:?}"
        );
    }
}

// ---------------------------------------------------------------- staged and changed code

#[test]
fn staged_mode_reads_the_index_not_the_working_tree() {
    let dir = repo();
    let d = dir.path();
    write(d, "a.py", LEAK);
    git_ok(d, &["add", "a.py"]);
    // The working tree no longer leaks, the index still does.
    write(d, "a.py", CLEAN);
    let v = scan_json(d, &["--staged"]);
    assert_eq!(
        rules_and_lines(&v),
        [("health-data-in-logs".to_string(), 2)]
    );
    assert_eq!(v["findings"][0]["path"], "a.py");
    scan(d, &["--staged"]).code(1);
    // And the other way round.
    git_ok(d, &["add", "a.py"]);
    write(d, "a.py", LEAK);
    scan(d, &["--staged"]).success();
    // Unstaged new files are not scanned; a subdirectory as the working directory is fine.
    write(d, "sub/b.py", LEAK);
    let sub = d.join("sub");
    let v = scan_json(&sub, &["--staged"]);
    assert_eq!(v["summary"]["files_scanned"], 1);
    assert_eq!(v["summary"]["findings"], 0);
}

/// A commit that passes patient data to an existing helper in an unchanged file is reported at
/// the helper's sink, with the flow from the commit; flows that start and end outside the
/// commit are not.
#[test]
fn named_and_staged_files_report_the_flows_they_start_in_other_files() {
    let dir = repo();
    let d = dir.path();
    let push = "import requests\n\ndef push(payload):\n    requests.post(\"https://partner.example.com/ingest\", json=payload)\n";
    write(d, "push.py", push);
    write(
        d,
        "old.py",
        "from push import push\n\n\ndef old(patient):\n    push({\"dx\": patient.diagnosis})\n",
    );
    write(d, "util.py", CLEAN);
    git_ok(d, &["add", "."]);
    git_ok(d, &["commit", "-q", "-m", "init"]);
    write(
        d,
        "visit.py",
        "from push import push\n\ndef close_visit(patient):\n    push({\"dx\": patient.diagnosis})\n",
    );
    let check = |v: &Value| {
        let f = v["findings"].as_array().expect("findings");
        assert_eq!(f.len(), 1, "{v:#}");
        assert_eq!(f[0]["path"], "push.py");
        assert_eq!(f[0]["rule"], "health-data-to-third-party");
        assert_eq!(f[0]["start_line"], 4);
        let flows = f[0]["flows"].as_array().expect("flows");
        assert!(!flows.is_empty());
        for flow in flows {
            assert_eq!(flow[0]["path"], "visit.py", "{flow:#}");
            assert_eq!(flow[0]["line"], 4, "{flow:#}");
        }
    };
    check(&scan_json(d, &["visit.py"]));
    scan(d, &["visit.py"]).code(1);
    git_ok(d, &["add", "visit.py"]);
    check(&scan_json(d, &["--staged"]));
    // Changing another file does not bring back the flow from old.py into push.py.
    write(d, "util.py", &format!("{CLEAN}\n# patient notes\n"));
    scan(d, &["util.py"]).success();
    scan(d, &["push.py"]).success();
    // A suppression at the helper's sink applies.
    write(
        d,
        "push.py",
        &push.replace(
            "json=payload)",
            "json=payload)  # healthflow: ignore[health-data-to-third-party] -- DPA signed",
        ),
    );
    scan(d, &["visit.py"]).success();
}

#[test]
fn diff_reports_only_findings_on_changed_lines() {
    let dir = repo();
    let d = dir.path();
    write(d, "a.py", LEAK);
    git_ok(d, &["add", "a.py"]);
    git_ok(d, &["commit", "-qm", "base"]);
    write(
        d,
        "a.py",
        &format!("{LEAK}\ndef other(patient):\n    print(patient.diagnosis)\n"),
    );
    write(d, "new.py", LEAK);
    let v = scan_json(d, &["--diff", "HEAD"]);
    let got: Vec<(String, u64, String)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["start_line"].as_u64().unwrap_or(0),
                f["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a.py".to_string(), 5, "health-data-in-logs".to_string()),
            ("new.py".to_string(), 2, "health-data-in-logs".to_string()),
        ]
    );
    scan(d, &["--diff", "no-such-revision"])
        .code(2)
        .stderr(predicates::str::contains("no-such-revision"));
}

// ---------------------------------------------------------------- baselines and fingerprints

#[test]
fn baselined_finding_moved_20_lines_down_stays_quiet_and_new_leaks_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "app.py", LEAK);
    scan(d, &["--write-baseline", "baseline.json"])
        .success()
        .stderr(predicates::str::contains(
            "wrote baseline.json (1 entry, 0 pruned)",
        ));
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("baseline.json")).expect("read"))
            .expect("JSON");
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["findings"][0]["rule"], "health-data-in-logs");
    assert_eq!(baseline["findings"][0]["path"], "app.py");
    assert_eq!(
        baseline["findings"][0]["excerpt"],
        "logger.info(patient.diagnosis)"
    );

    // 20 lines moved in above it.
    let filler: String = (0..20).map(|i| format!("CONSTANT_{i} = {i}\n")).collect();
    write(d, "app.py", &format!("{filler}{LEAK}"));
    let v = scan_json(d, &["--baseline", "baseline.json"]);
    assert_eq!(v["summary"]["findings"], 0, "{v}");
    assert_eq!(v["summary"]["baselined"], 1);
    assert_eq!(v["summary"]["baseline_fixed"], 0);
    scan(d, &["--baseline", "baseline.json"]).success();

    // A new leak is reported.
    write(
        d,
        "app.py",
        &format!("{filler}{LEAK}\ndef other(patient):\n    print(patient.diagnosis)\n"),
    );
    let v = scan_json(d, &["--baseline", "baseline.json"]);
    assert_eq!(
        rules_and_lines(&v),
        [("health-data-in-logs".to_string(), 25)]
    );
    scan(d, &["--baseline", "baseline.json"]).code(1);

    // Fixing the baselined leak reports it as fixed; --write-baseline prunes it.
    write(d, "app.py", CLEAN);
    let v = scan_json(d, &["--baseline", "baseline.json"]);
    assert_eq!(v["summary"]["baseline_fixed"], 1);
    scan(d, &["--baseline", "baseline.json"])
        .success()
        .stderr(predicates::str::contains(
            "1 baseline entry no longer found (fixed)",
        ));
    scan(d, &["--write-baseline", "baseline.json"])
        .success()
        .stderr(predicates::str::contains("(0 entries, 1 pruned)"));

    // Entries of files a run does not scan are kept.
    write(d, "other.py", LEAK);
    scan(d, &["--write-baseline", "baseline.json"]).success();
    write(d, "third.py", LEAK);
    scan(d, &["--write-baseline", "baseline.json", "third.py"]).success();
    let b = std::fs::read_to_string(d.join("baseline.json")).expect("read");
    assert!(b.contains("other.py") && b.contains("third.py"), "{b}");
    // Sorted by path.
    assert!(b.find("other.py") < b.find("third.py"));

    // A broken baseline is a usage error.
    write(d, "bad.json", "{\"version\": 7, \"findings\": []}");
    scan(d, &["--baseline", "bad.json"])
        .code(2)
        .stderr(predicates::str::contains("baseline version 7"));
}

fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

fn fingerprints(v: &Value) -> BTreeSet<(String, String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_string(),
                f["rule"].as_str().unwrap_or("").to_string(),
                f["fingerprint"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn demo_fingerprints_survive_200_lines_inserted_at_the_top_of_every_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    copy_tree(&manifest_dir().join("fixtures/demo"), d);
    let before = scan_json(d, &["--inventory", "."]);
    let fps = fingerprints(&before);
    assert!(fps.len() >= 5, "the demo has findings: {fps:?}");
    assert!(fps.iter().all(|(_, _, f)| f.len() == 32));
    let mut stack = vec![d.to_path_buf()];
    let mut edited = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            let line = |i: usize| match ext {
                "py" => format!("UNRELATED_{i} = {i}  # padding\n"),
                "rs" => format!("const UNRELATED_{i}: u32 = {i}; // padding\n"),
                _ => String::new(),
            };
            if line(0).is_empty() {
                continue;
            }
            let filler: String = (0..200).map(line).collect();
            let text = std::fs::read_to_string(&p).expect("read");
            std::fs::write(&p, format!("{filler}{text}")).expect("write");
            edited += 1;
        }
    }
    assert!(edited > 0);
    let after = scan_json(d, &["--inventory", "."]);
    assert_eq!(fingerprints(&after), fps);
    // The lines did move.
    let first_line = |v: &Value| v["findings"][0]["start_line"].as_u64().unwrap_or(0);
    assert_eq!(first_line(&after), first_line(&before) + 200);
}

fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The fixtures and the demo formatted by black, ruff format and rustfmt: every finding is
/// still found and matches its baseline entry, although lines, wrapping, trailing commas and
/// quotes changed.
#[test]
fn baselines_survive_black_ruff_format_and_rustfmt() {
    let tools = [
        ("black", "pip install black"),
        ("ruff", "pip install ruff"),
        ("rustfmt", "rustup component add rustfmt"),
    ];
    if tools
        .iter()
        .any(|(t, hint)| tool_on_path(t, hint).is_none())
    {
        return;
    }
    let fixtures = ["python", "rust", "demo"];
    let original = tempfile::tempdir().expect("tempdir");
    for f in fixtures {
        let to = original.path().join(f);
        std::fs::create_dir_all(&to).expect("mkdir");
        copy_tree(&manifest_dir().join("fixtures").join(f), &to);
    }
    let baselines = tempfile::tempdir().expect("tempdir");
    let mut counts = Vec::new();
    for f in fixtures {
        let b = baselines.path().join(format!("{f}.json"));
        let b = b.to_str().expect("utf-8 path");
        let v = scan_json(original.path(), &[f, "--write-baseline", b]);
        assert!(v["findings"].as_array().is_some_and(|a| a.is_empty()));
        let all = scan_json(original.path(), &[f]);
        let n = all["findings"].as_array().map_or(0, Vec::len);
        assert!(n > 0, "{f} has findings");
        counts.push(n);
    }
    for (tool, _) in tools {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        copy_tree(original.path(), d);
        let mut cmd = std::process::Command::new(tool);
        match tool {
            "black" => cmd.args(["-q", "python", "demo"]),
            "ruff" => cmd.args(["format", "-q", "--no-cache", "python", "demo"]),
            _ => cmd
                .args(["--edition", "2021"])
                .args(files_with_ext(d, "rs")),
        };
        let out = cmd.current_dir(d).output().expect("formatter runs");
        assert!(out.status.success(), "{tool}: {out:?}");
        let changed = ["py", "rs"]
            .iter()
            .flat_map(|ext| files_with_ext(d, ext))
            .filter(|p| {
                let rel = p.strip_prefix(d).expect("inside");
                std::fs::read(p).ok() != std::fs::read(original.path().join(rel)).ok()
            })
            .count();
        assert!(changed > 5, "{tool} reformatted only {changed} files");
        for (f, n) in fixtures.iter().zip(&counts) {
            let all = scan_json(d, &[f]);
            assert_eq!(
                all["findings"].as_array().map_or(0, Vec::len),
                *n,
                "{tool} {f}: findings before and after formatting"
            );
            let b = baselines.path().join(format!("{f}.json"));
            let v = scan_json(d, &[f, "--baseline", b.to_str().expect("utf-8 path")]);
            let new: Vec<String> = v["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .map(|x| format!("{} {}:{}", x["rule"], x["path"], x["start_line"]))
                .collect();
            assert!(new.is_empty(), "{tool} {f}: new after formatting: {new:#?}");
        }
    }
}

// ---------------------------------------------------------------- suppressions

#[test]
fn inline_suppressions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "a.py",
        "def f(patient, logger):\n\
         \x20   logger.info(patient.diagnosis)  # healthflow: ignore[health-data-in-logs] -- audit log, reviewed\n\
         \x20   # healthflow: ignore\n\
         \x20   print(patient.diagnosis)\n\
         \x20   print(patient.allergies)  # healthflow: ignore[health-data-to-ai-model, no-such-rule]\n\
         \x20   x = 1  # healthflow: ignore\n",
    );
    write(
        d,
        "b.rs",
        "fn f(patient: &Patient) {\n    // healthflow: ignore[health-data-in-logs]\n    println!(\"{}\", patient.diagnosis);\n}\n",
    );
    let v = scan_json(d, &["--report-unused-suppressions"]);
    assert_eq!(
        rules_and_lines(&v),
        [("health-data-in-logs".to_string(), 5)]
    );
    assert_eq!(v["summary"]["suppressed"], 3);
    let unused: Vec<u64> = v["unused_suppressions"]
        .as_array()
        .expect("unused")
        .iter()
        .map(|u| u["line"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(unused, [5, 6]);
    scan(d, &["--report-unused-suppressions"])
        .code(1)
        .stdout(predicates::str::contains(
            "a.py:6:12  unused-suppression  `healthflow: ignore` silences no finding",
        ))
        .stderr(predicates::str::contains("unknown rule `no-such-rule`"));

    // Kept as SARIF suppressions, never counted for --fail-on.
    let out = Command::new(BIN)
        .current_dir(d)
        .args([
            "scan",
            "a.py",
            "b.rs",
            "--format",
            "sarif",
            "--include-suppressed",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 3);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "audit log, reviewed"
    );
    for r in results {
        let fp = &r["partialFingerprints"];
        assert_eq!(fp["healthflow/v1"].as_str().map(str::len), Some(32));
        let h = fp["primaryLocationLineHash"].as_str().expect("line hash");
        assert!(h.contains(':'), "{h}");
    }
    // Only suppressed findings: exit 0.
    write(
        d,
        "a.py",
        "def f(patient, logger):\n    logger.info(patient.diagnosis)  # healthflow: ignore\n",
    );
    scan(d, &["a.py", "--include-suppressed", "--format", "sarif"]).success();
}

// ---------------------------------------------------------------- configuration

/// The start lines of a JSON report's findings.
fn finding_lines(v: &Value) -> Vec<u64> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["start_line"].as_u64())
        .collect()
}

#[test]
fn storage_mappings_extend_from_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "src/Export.java",
        "package acme;\n\
         import org.slf4j.Logger;\n\
         import org.slf4j.LoggerFactory;\n\
         \n\
         @PersistedAs(table = \"diagnoses\")\n\
         class Row {\n\
         \x20   long id;\n\
         \x20   @Stored(column = \"dx_code\")\n\
         \x20   String code;\n\
         }\n\
         \n\
         class Note {\n\
         \x20   long id;\n\
         \x20   @Stored(\"chief_complaint\")\n\
         \x20   String text;\n\
         }\n\
         \n\
         class Export {\n\
         \x20   private static final Logger log = LoggerFactory.getLogger(Export.class);\n\
         \x20   void run(Row r, Note n) {\n\
         \x20       log.info(\"row {}\", r.code);\n\
         \x20       log.info(\"note {}\", n.text);\n\
         \x20   }\n\
         }\n",
    );
    // Unknown annotations name nothing: `code` of a `Row` is no health data.
    assert_eq!(finding_lines(&scan_json(d, &[])), Vec::<u64>::new());
    write(
        d,
        "healthflow.toml",
        "[java.storage]\n\
         tables = [{ annotations = [\"PersistedAs\"], args = [\"table\"] }]\n\
         columns = [{ annotations = [\"Stored\"], args = [\"column\", 0] }]\n",
    );
    let v = scan_json(d, &[]);
    assert_eq!(finding_lines(&v), [21, 22], "{v}");
    let msg = |i: usize| {
        v["findings"][i]["message"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(msg(0).contains("table `diagnoses`"), "{}", msg(0));
    assert!(msg(1).contains("column `chief_complaint`"), "{}", msg(1));
}

#[test]
fn route_patterns_extend_from_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // An in-house decorator framework: `@Resource` prefixes a class's routes, `@Handle`
    // declares a handler.
    write(
        d,
        "src/intake.ts",
        "import { Logger } from '@nestjs/common';\n\
         \n\
         @Resource('patients')\n\
         export class Intake {\n\
         \x20 private readonly logger = new Logger('intake');\n\
         \n\
         \x20 @Handle(':id/notes')\n\
         \x20 async create(payload: { text: string }) {\n\
         \x20   this.logger.warn(`note: ${payload.text}`);\n\
         \x20 }\n\
         }\n",
    );
    // Unknown decorators declare no route: `payload` is a parameter like any other.
    assert_eq!(finding_lines(&scan_json(d, &[])), Vec::<u64>::new());
    write(
        d,
        "healthflow.toml",
        "[javascript.routes]\n\
         handlers = [{ annotations = [\"Handle\"], args = [0] }]\n\
         prefixes = [{ annotations = [\"Resource\"], args = [0] }]\n",
    );
    let v = scan_json(d, &[]);
    assert_eq!(finding_lines(&v), [9], "{v}");
}

#[test]
fn documented_configuration_loads_and_applies() {
    let toml = doc_block("configuration.md", "toml", 0);
    let cfg =
        Config::parse("docs/configuration.md", &toml).expect("the documented example is valid");
    assert_eq!(cfg.fail_on, Some(healthflow::config::FailOn::Warning));
    assert!(cfg.paths.allows("src/app.py"));
    assert!(!cfg.paths.allows("src/tests/test_app.py"));
    assert!(!cfg.paths.allows("scripts/x.py"));

    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "healthflow.toml", &toml);
    write(
        d,
        "src/app.py",
        "import requests\n\
         import llm_gateway\n\
         \n\
         def f(patient, logger):\n\
         \x20   llm_gateway.complete(prompt=patient.diagnosis)\n\
         \x20   token = pseudonymise(patient.diagnosis)\n\
         \x20   requests.post(\"https://api.partner.com/x\", json={\"t\": token})\n\
         \x20   requests.post(\"https://fhir.hopital-exemple.fr/Observation\", json={\"d\": patient.diagnosis})\n\
         \x20   requests.post(\"http://api.internal.hopital-exemple.fr/x\", json={\"d\": patient.diagnosis})\n\
         \x20   logger.info(patient.diagnosis)\n\
         \x20   requests.post(\"https://api.partner.com/x\", json={\"d\": patient.diagnosis})\n",
    );
    write(d, "src/tests/test_app.py", LEAK);
    write(d, "scripts/x.py", LEAK);
    let v = scan_json(d, &[]);
    let got: Vec<(String, u64, String)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["start_line"].as_u64().unwrap_or(0),
                f["level"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expect = |r: &str, l: u64, lv: &str| (r.to_string(), l, lv.to_string());
    assert_eq!(
        got,
        [
            // `enable = ["ai-system-inventory"]`
            expect("ai-system-inventory", 5, "note"),
            expect("health-data-to-ai-model", 5, "error"),
            expect("health-data-over-cleartext", 9, "error"),
            expect("health-data-in-logs", 10, "error"),
            expect("health-data-to-third-party", 11, "error"),
        ],
        "{v}"
    );
    assert_eq!(v["summary"]["files_scanned"], 1);
    // `--config` names another file; explicit excluded files stay excluded.
    write(d, "other.toml", "fail-on = \"never\"\n");
    scan(d, &["--config", "other.toml"]).success();
    scan(d, &["src/tests/test_app.py"]).success();
}

#[test]
fn invalid_configuration_exits_2_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "a.py", CLEAN);
    write(
        d,
        "healthflow.toml",
        "fail-on = \"warning\"\n\n[rules]\ndisable = [\"health-data-in-log\"]\n",
    );
    scan(d, &[])
        .code(2)
        .stderr(predicates::str::contains("healthflow.toml:4:12:"))
        .stderr(predicates::str::contains(
            "unknown rule `health-data-in-log`",
        ));
    write(
        d,
        "healthflow.toml",
        "[[python.sink]]\nkind = \"ai-modle\"\ncalls = [\"x\"]\n",
    );
    scan(d, &[])
        .code(2)
        .stderr(predicates::str::contains("healthflow.toml:2:"))
        .stderr(predicates::str::contains("ai-modle"));
    write(d, "healthflow.toml", "exclude = \"tests\"\n");
    scan(d, &[])
        .code(2)
        .stderr(predicates::str::contains("healthflow.toml:1:11:"));
}

// ---------------------------------------------------------------- GitHub

#[test]
fn github_action_and_workflow_are_consistent() {
    let action = std::fs::read_to_string(manifest_dir().join("action.yml")).expect("action.yml");
    assert!(action.contains("using: composite"));
    assert!(action.contains("cargo install --locked --path \"$HF_ACTION_PATH\""));
    assert!(action.contains("--format sarif"));
    // The release binary first, checked and cached; every target it asks for is released.
    assert!(action.contains("releases/download/"));
    assert!(action.contains("checksum mismatch"));
    assert!(action.contains("actions/cache@"));
    let release = std::fs::read_to_string(manifest_dir().join(".github/workflows/release.yml"))
        .expect("release.yml");
    assert!(release.contains("--profile dist"));
    assert!(release.contains("SHA256SUMS"));
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(action.contains(&format!("target={target}")), "{target}");
        assert!(release.contains(&format!("target: {target}")), "{target}");
    }
    for input in ["path:", "output:", "fail-on:", "args:"] {
        assert!(action.contains(&format!("\n  {input}\n")), "{input}");
    }
    let wf = doc_block("github.md", "yaml", 0);
    assert!(wf.contains("github/codeql-action/upload-sarif@v3"));
    assert!(wf.contains("security-events: write"));
    assert!(wf.contains("category: healthflow"));
    assert!(wf.contains("sarif_file: healthflow.sarif"));
    assert!(wf.contains("output: healthflow.sarif"));
}

// ---------------------------------------------------------------- first contact

#[test]
fn errors_are_printed_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .args(["scan", ".", "--baseline", "missing.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("error")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    let cause = std::io::Error::from(std::io::ErrorKind::NotFound).to_string();
    let first = lines[0].find("os error").expect("os error");
    assert!(
        !lines[0][first + 1..].contains("os error"),
        "{err} ({cause})"
    );
}

#[test]
fn a_missing_default_baseline_counts_as_empty_with_a_note() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "app.py",
        "def f(patient):\n    print(patient.diagnosis)\n",
    );
    scan(d, &["--baseline", ".healthflow-baseline.json"])
        .code(1)
        .stderr(predicates::str::contains(
            "note: .healthflow-baseline.json does not exist yet",
        ));
    // Any other missing baseline is still an error.
    scan(d, &["--baseline", "other.json"]).code(2);
}

#[test]
fn suppressions_ignore_case_and_suggest_rule_ids() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "app.py",
        "def f(patient):\n    print(patient.diagnosis)  # HEALTHFLOW: IGNORE[HEALTH-DATA-IN-LOGS] -- reviewed\n\
         \ndef g(patient):\n    print(patient.diagnosis)  # healthflow: ignore[health-data-in-log]\n",
    );
    let v = scan_json(d, &[]);
    assert_eq!(
        rules_and_lines(&v),
        [("health-data-in-logs".to_string(), 5)]
    );
    scan(d, &[]).code(1).stderr(predicates::str::contains(
        "unknown rule `health-data-in-log` in a suppression (did you mean `health-data-in-logs`?)",
    ));
}

#[test]
fn outputs_never_overwrite_a_source_file_in_the_repository() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "clinic/a.py",
        "def f(patient):\n    print(patient.diagnosis)\n",
    );
    write(d, "labsvc/src/main.rs", "fn main() {}\n");
    scan(d, &["clinic", "-o", "labsvc/src/main.rs"]).code(2);
    scan(d, &["clinic", "--write-baseline", "labsvc/src/main.rs"]).code(2);
    let main_rs = std::fs::read_to_string(d.join("labsvc/src/main.rs")).expect("read");
    assert_eq!(main_rs, "fn main() {}\n");
}

// ---------------------------------------------------------------- documented snippets

/// The shell blocks of README.md and docs/*.md that call healthflow, with their source
/// (`file:line`) and, for blocks marked `<!-- not run: REASON -->` on the line before, the
/// reason.
fn shell_snippets() -> Vec<(String, String, Option<String>)> {
    let root = manifest_dir();
    let mut docs = vec![root.join("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    let mut out = Vec::new();
    for doc in docs {
        let text = std::fs::read_to_string(&doc).expect("doc");
        let name = doc
            .strip_prefix(&root)
            .expect("inside")
            .display()
            .to_string();
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let fence = lines[i].trim_end();
            if !matches!(fence, "```sh" | "```bash" | "```shell") {
                i += 1;
                continue;
            }
            let start = i;
            let mut body = String::new();
            i += 1;
            while i < lines.len() && !lines[i].starts_with("```") {
                body.push_str(lines[i]);
                body.push('\n');
                i += 1;
            }
            i += 1;
            let calls = body.lines().any(|l| {
                let l = l.trim_start();
                !l.starts_with('#') && l.split_whitespace().any(|w| w == "healthflow")
            });
            if !calls {
                continue;
            }
            let before = lines[..start]
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(|l| l.trim());
            let reason = before
                .and_then(|l| l.strip_prefix("<!-- not run:"))
                .and_then(|l| l.strip_suffix("-->"))
                .map(|r| r.trim().to_string());
            out.push((format!("{name}:{}", start + 1), body, reason));
        }
    }
    out
}

/// A fresh repository holding a copy of the demo, committed, with an `origin/main` as a clone
/// has.
fn demo_repository() -> tempfile::TempDir {
    let dir = repo();
    let d = dir.path();
    copy_tree(&manifest_dir().join("fixtures/demo"), d);
    git_ok(d, &["add", "."]);
    git_ok(
        d,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-m",
            "demo",
        ],
    );
    git_ok(d, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    dir
}

/// Every documented shell snippet that calls healthflow runs verbatim, line by line, on a
/// fresh copy of the demo and exits 0 or 1, never 2; a snippet that cannot run here says why
/// in the docs. The GitHub Action's command line runs with the documented workflow's inputs.
#[test]
fn documented_snippets_run_verbatim() {
    let bin_dir = Path::new(BIN).parent().expect("bin dir");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let snippets = shell_snippets();
    let mut ran = 0;
    let mut not_run = Vec::new();
    for (at, body, reason) in &snippets {
        if let Some(reason) = reason {
            assert!(!reason.is_empty(), "{at}: `not run` needs a reason");
            not_run.push(at.clone());
            continue;
        }
        let dir = demo_repository();
        let mut commands: Vec<String> = Vec::new();
        let mut pending = String::new();
        for line in body.lines() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            match t.strip_suffix('\\') {
                Some(head) => {
                    pending.push_str(head);
                    pending.push(' ');
                }
                None => {
                    pending.push_str(t);
                    commands.push(std::mem::take(&mut pending));
                }
            }
        }
        assert!(!commands.is_empty(), "{at}: no command");
        for cmd in commands {
            let out = std::process::Command::new("sh")
                .args(["-c", &cmd])
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("NO_COLOR", "1")
                .output()
                .expect("sh runs");
            let code = out.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "{at}: `{cmd}` exited {code:?}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 6, "only {ran} documented commands ran");
    eprintln!(
        "{ran} documented commands ran; not run (marked): {}",
        not_run.join(", ")
    );

    // The Action's command line (action.yml) with the inputs of the documented workflow.
    let wf = doc_block("github.md", "yaml", 0);
    let input = |key: &str| {
        wf.lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{key}:")))
            .map(|v| v.split(" #").next().unwrap_or("").trim().to_string())
            .unwrap_or_else(|| panic!("docs/github.md workflow has no `{key}`"))
    };
    let action = std::fs::read_to_string(manifest_dir().join("action.yml")).expect("action.yml");
    assert!(action.contains(
        r#""$HF_BIN" scan --format sarif --output "$HF_OUTPUT" --fail-on "$HF_FAIL_ON" $HF_ARGS -- "$HF_PATH""#
    ));
    let dir = demo_repository();
    let out = std::process::Command::new("sh")
        .args([
            "-c",
            r#"healthflow scan --format sarif --output "$HF_OUTPUT" --fail-on "$HF_FAIL_ON" $HF_ARGS -- "$HF_PATH""#,
        ])
        .current_dir(dir.path())
        .env("PATH", &path)
        .env("HF_OUTPUT", input("output"))
        .env("HF_FAIL_ON", input("fail-on"))
        .env("HF_ARGS", input("args"))
        .env("HF_PATH", input("path"))
        .output()
        .expect("sh runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join(input("output"))).expect("SARIF written"),
    )
    .expect("SARIF");
    assert!(sarif["runs"][0]["results"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
}

/// The documented local hook (`language: system`, healthflow on PATH) runs verbatim with the
/// real pre-commit on the demo: it reports the findings (hook exit 1), not a usage error.
/// The first documented configuration needs the published repository (network) and the
/// third the PyPI wheel; tests/wheel.rs runs the third with a local wheel.
#[test]
fn documented_local_hook_runs_verbatim_on_the_demo() {
    let Some(pc) = pre_commit() else { return };
    let cfg = doc_block("pre-commit.md", "yaml", 1);
    assert!(cfg.contains("language: system"), "{cfg}");
    let dir = demo_repository();
    let d = dir.path();
    write(d, ".pre-commit-config.yaml", &cfg);
    git_ok(d, &["add", ".pre-commit-config.yaml"]);
    let home = tempfile::tempdir().expect("tempdir");
    let bin_dir = Path::new(BIN).parent().expect("bin dir");
    let out = std::process::Command::new(pc)
        .current_dir(d)
        .env("PRE_COMMIT_HOME", home.path())
        .env("NO_COLOR", "1")
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .args(["run", "--all-files"])
        .output()
        .expect("pre-commit runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stdout.contains("- exit code: 1"), "{stdout}");
    assert!(stdout.contains("health-data-in-logs"), "{stdout}");
}
