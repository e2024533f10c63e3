//! Helpers shared by the integration tests.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn schema_path() -> PathBuf {
    if let Some(p) = std::env::var_os("HEALTHFLOW_SARIF_SCHEMA") {
        return PathBuf::from(p);
    }
    let relative =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/sarif-schema-2.1.0.json");
    if relative.is_file() {
        return relative;
    }
    let fallback = PathBuf::from("/work/shared/reference/sarif-schema-2.1.0.json");
    assert!(
        fallback.is_file(),
        "SARIF schema not found: set HEALTHFLOW_SARIF_SCHEMA or place it at {}",
        relative.display()
    );
    fallback
}

pub fn validator() -> jsonschema::Validator {
    let path = schema_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

pub fn assert_valid(v: &jsonschema::Validator, sarif: &Value) {
    let errors: Vec<String> = v
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is invalid:\n{}",
        errors.join("\n")
    );
}

/// A git command in `dir` with a fixed identity, no signing and no system configuration.
pub fn git_command(dir: &Path) -> std::process::Command {
    let mut c = std::process::Command::new("git");
    c.current_dir(dir).env("GIT_CONFIG_NOSYSTEM", "1").args([
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.org",
        "-c",
        "commit.gpgsign=false",
        "-c",
        "init.defaultBranch=main",
    ]);
    c
}

/// Runs [`git_command`] with `args`.
pub fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    git_command(dir).args(args).output().expect("git runs")
}

/// [`git`], failing the test when git fails.
pub fn git_ok(dir: &Path, args: &[&str]) {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A test prerequisite is missing: in CI (`CI` set) that fails the test, elsewhere the test
/// is skipped with a message saying what to install.
pub fn missing(what: &str, hint: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing but CI is set: {hint} (.ci/run does)");
    }
    eprintln!("SKIPPED: {what} is missing ({hint}); set CI=1 to make this a failure");
}

/// `tool` if `tool --version` runs, else `None` after [`missing`].
pub fn tool_on_path(tool: &'static str, hint: &str) -> Option<&'static str> {
    let found = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(tool);
    }
    missing(tool, hint);
    None
}

/// The real `pre-commit` on PATH (see [`tool_on_path`]).
pub fn pre_commit() -> Option<&'static str> {
    tool_on_path("pre-commit", "pip install pre-commit")
}
