//! The Python wheel: maturin builds it (`bindings = "bin"`), pip installs it into a fresh
//! virtual environment, and the installed `healthflow` scans the demo; the documented
//! `language: python` pre-commit hook installs it and blocks a leak.
//! The test builds with the `dev` profile so that it reuses the test build; releases use `dist`.

mod common;

use common::{git_ok, pre_commit};
use std::path::Path;
use std::process::Command;

#[test]
fn wheel_installs_into_a_fresh_venv_and_scans_the_demo() {
    let Some(maturin) = common::tool_on_path("maturin", "pip install maturin") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    let wheels = dir.path().join("wheels");
    let out = Command::new(maturin)
        .current_dir(root)
        .args(["build", "--quiet", "--profile", "dev", "--out"])
        .arg(&wheels)
        .output()
        .expect("maturin runs");
    assert!(out.status.success(), "{out:?}");
    let wheel = std::fs::read_dir(&wheels)
        .expect("wheels")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .expect("a wheel");

    let venv = dir.path().join("venv");
    let st = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .expect("python3 runs");
    assert!(st.success());
    let bin = venv.join(if cfg!(windows) { "Scripts" } else { "bin" });
    let st = Command::new(bin.join("pip"))
        .args(["install", "--quiet", "--no-index"])
        .arg(&wheel)
        .status()
        .expect("pip runs");
    assert!(st.success());
    let out = Command::new(bin.join("healthflow"))
        .current_dir(root)
        .args(["scan", "fixtures/demo", "-q", "--format", "json"])
        .output()
        .expect("installed healthflow runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(!v["findings"].as_array().expect("findings").is_empty());

    // Same wheel (building it twice would relink the binary other tests run).
    pre_commit_python_hook_installs_the_wheel(&wheel);
}

/// The documented `language: python` hook (the third YAML block of docs/pre-commit.md), with
/// `wheel` in place of the PyPI pin: pre-commit installs it offline and it blocks a leak.
fn pre_commit_python_hook_installs_the_wheel(wheel: &Path) {
    let Some(pc) = pre_commit() else { return };
    // pre-commit's environment installs a placeholder package, which needs setuptools: the
    // wheels in HEALTHFLOW_TEST_WHEELS (.ci/run downloads it) keep the test offline.
    let Some(find_links) = std::env::var_os("HEALTHFLOW_TEST_WHEELS") else {
        common::missing(
            "HEALTHFLOW_TEST_WHEELS",
            "a directory with a setuptools wheel",
        );
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/pre-commit.md")).expect("doc");
    let cfg = doc
        .split("```yaml\n")
        .nth(3)
        .and_then(|s| s.split("```").next())
        .expect("docs/pre-commit.md has a third yaml block");
    let pin = format!("healthflow=={}", env!("CARGO_PKG_VERSION"));
    assert!(
        cfg.contains(&pin),
        "the documented pin is the current version"
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().join("repo");
    std::fs::create_dir_all(&d).expect("mkdir");
    git_ok(&d, &["init", "-q"]);
    std::fs::write(
        d.join(".pre-commit-config.yaml"),
        cfg.replace(&pin, &wheel.display().to_string()),
    )
    .expect("write");
    std::fs::write(d.join("clean.py"), "def add(a, b):\n    return a + b\n").expect("write");
    std::fs::write(
        d.join("leak.py"),
        "def visit(patient, logger):\n    logger.info(patient.diagnosis)\n",
    )
    .expect("write");
    git_ok(&d, &["add", "."]);
    let home = tmp.path().join("home");
    let run = |args: &[&str]| {
        Command::new(pc)
            .current_dir(&d)
            .env("PRE_COMMIT_HOME", &home)
            .env("NO_COLOR", "1")
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", &find_links)
            .args(args)
            .output()
            .expect("pre-commit runs")
    };
    let out = run(&["install-hooks"]);
    assert!(out.status.success(), "{out:?}");
    let out = run(&["run", "--files", "clean.py"]);
    assert!(out.status.success(), "{out:?}");
    let out = run(&["run", "--files", "leak.py"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("health-data-in-logs"));
}
