//! The fixture harness: every `expect: rule-id[, rule-id]` comment in `fixtures/` must be
//! matched by exactly those findings on that line, and no other line may have a finding.
//! Files under an `inventory/` directory are scanned with the inventory rules on.

use healthflow::scan::{scan, Engine, ScanOptions};
use healthflow::taint::EngineOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Lines = BTreeMap<(String, u32), BTreeSet<String>>;

fn expectations(root: &Path, dir: &Path, out: &mut Lines) {
    let re = regex::Regex::new(r"(?:#|//)\s*expect:\s*([a-z0-9\-, ]+)").unwrap();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        // A file named on its own: its expectations only.
        let entries: Vec<PathBuf> = if d.is_file() {
            vec![d.clone()]
        } else {
            std::fs::read_dir(&d)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect()
        };
        for p in entries {
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if healthflow::lang::Lang::from_path(&p).is_none() {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            for (i, line) in text.lines().enumerate() {
                if let Some(c) = re.captures(line) {
                    let set = out.entry((rel.clone(), i as u32 + 1)).or_default();
                    for id in c[1].split(',') {
                        let id = id.trim();
                        if !id.is_empty() {
                            set.insert(id.to_string());
                        }
                    }
                }
            }
        }
    }
}

fn check(dir: &str, inventory: bool) -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = root.join(dir);
    let engine = Engine::new().unwrap();
    let opts = ScanOptions {
        paths: vec![target.clone()],
        jobs: 2,
        engine: EngineOptions {
            inventory,
            ..EngineOptions::default()
        },
        ..ScanOptions::default()
    };
    let report = scan(&engine, &opts).unwrap();
    assert!(
        report.skipped.is_empty(),
        "fixtures skipped: {:?}",
        report.skipped
    );
    let mut expected = Lines::new();
    expectations(&root, &target, &mut expected);
    let mut actual = Lines::new();
    let mut messages = BTreeMap::new();
    for f in &report.findings {
        let in_inventory_dir = f.path.contains("/inventory/");
        if in_inventory_dir != inventory {
            continue;
        }
        actual
            .entry((f.path.to_string(), f.span.start_line))
            .or_default()
            .insert(f.rule.id().to_string());
        messages.insert(
            (
                f.path.to_string(),
                f.span.start_line,
                f.rule.id().to_string(),
            ),
            f.message.clone(),
        );
    }
    let mut errors = Vec::new();
    let keys: BTreeSet<_> = expected.keys().chain(actual.keys()).cloned().collect();
    for k in keys {
        if inventory != k.0.contains("/inventory/") {
            continue;
        }
        let e = expected.get(&k).cloned().unwrap_or_default();
        let a = actual.get(&k).cloned().unwrap_or_default();
        for missing in e.difference(&a) {
            errors.push(format!("MISSING {}:{} {}", k.0, k.1, missing));
        }
        for extra in a.difference(&e) {
            let m = messages
                .get(&(k.0.clone(), k.1, extra.clone()))
                .cloned()
                .unwrap_or_default();
            errors.push(format!("EXTRA   {}:{} {}  -- {}", k.0, k.1, extra, m));
        }
    }
    errors
}

fn mismatches(dir: &str) -> Vec<String> {
    let mut errors = check(dir, false);
    errors.extend(check(dir, true));
    errors
}

fn run(dir: &str) {
    let errors = mismatches(dir);
    if !errors.is_empty() {
        panic!(
            "{} fixture mismatches in {dir}:\n{}",
            errors.len(),
            errors.join("\n")
        );
    }
}

/// Every language of the table has its fixtures in `fixtures/<name>`, and they all pass.
#[test]
fn language_fixtures() {
    let mut report = Vec::new();
    for lang in healthflow::lang::Lang::all() {
        let dir = format!("fixtures/{}", lang.name());
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(&dir);
        assert!(root.is_dir(), "{} has no {dir}", lang.name());
        let errors = mismatches(&dir);
        if !errors.is_empty() {
            report.push(format!(
                "{} fixture mismatches in {dir}:\n{}",
                errors.len(),
                errors.join("\n")
            ));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n\n"));
}

#[test]
fn demo_fixtures() {
    run("fixtures/demo");
}

/// Fixtures whose look-alikes depend on what the scan holds: a package scanned on its own,
/// and one file of it named alone (as a pre-commit hook does), where the modules it imports
/// are not parsed unless a flow or a type needs them.
#[test]
fn fixtures_scanned_alone() {
    for target in [
        "fixtures/python/realworld/task_runner",
        "fixtures/python/realworld/task_runner/runner.py",
    ] {
        run(target);
    }
}

/// Every fixture's findings with their messages, fingerprints and paths, scanned with
/// `opts` (paths set here), and the bytes of code read.
fn all_findings(engine: &Engine, opts: ScanOptions) -> (Vec<String>, u64) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let opts = ScanOptions {
        paths: vec![root],
        jobs: 2,
        ..opts
    };
    let r = scan(engine, &opts).unwrap();
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let found = r
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {} {} {} {:?}",
                f.path,
                f.span.start_line,
                f.span.start_col,
                f.rule,
                f.fingerprint,
                f.message,
                f.flows
            )
        })
        .collect();
    (found, r.bytes_scanned)
}

/// The prefilter only skips files that cannot produce a finding: results are identical
/// with and without it, on every fixture.
#[test]
fn prefilter_never_changes_results() {
    let engine = Engine::new().unwrap();
    let run = |prefilter: bool| {
        all_findings(
            &engine,
            ScanOptions {
                prefilter,
                ..ScanOptions::default()
            },
        )
        .0
    };
    let with = run(true);
    assert!(!with.is_empty());
    assert_eq!(with, run(false));
}

/// Keeping code and models in memory is only a cache: a scan that reads each file again and
/// rebuilds its model in every round finds the same, with the same messages and fingerprints,
/// and so does one that keeps only the code of files not parsed.
#[test]
fn memory_cache_never_changes_results() {
    let engine = Engine::new().unwrap();
    let run = |cache_bytes: u64| {
        all_findings(
            &engine,
            ScanOptions {
                cache_bytes,
                ..ScanOptions::default()
            },
        )
    };
    let (kept, bytes) = run(u64::MAX);
    assert!(!kept.is_empty());
    assert_eq!(kept, run(0).0);
    assert_eq!(kept, run(bytes / 2).0);
}
