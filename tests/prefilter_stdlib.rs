//! The prefilter never changes results on health-free real code: the Python standard
//! library of the machine (found with `sysconfig`). A few packages run by default; the whole
//! library with `cargo test --release -- --ignored`.

use healthflow::scan::{scan, Engine, ScanOptions};
use std::path::PathBuf;

fn stdlib() -> Option<PathBuf> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    p.is_dir().then_some(p)
}

fn same_with_and_without(paths: Vec<PathBuf>) {
    let engine = Engine::new().unwrap();
    let run = |prefilter: bool| {
        let opts = ScanOptions {
            paths: paths.clone(),
            jobs: 2,
            prefilter,
            ..ScanOptions::default()
        };
        let r = scan(&engine, &opts).unwrap();
        let f: Vec<String> = r
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{}:{}:{} {}",
                    f.path, f.span.start_line, f.span.start_col, f.rule
                )
            })
            .collect();
        (f, r.files_scanned, r.skipped.len())
    };
    assert_eq!(run(true), run(false));
}

/// Packages where type names and digit runs let files through the prefilter.
#[test]
fn prefilter_equivalence_on_stdlib_sample() {
    let Some(lib) = stdlib() else {
        eprintln!("python3 not found; skipped");
        return;
    };
    let paths: Vec<PathBuf> = [
        "asyncio/locks.py",
        "email/headerregistry.py",
        "json",
        "http/cookies.py",
    ]
    .iter()
    .map(|p| lib.join(p))
    .filter(|p| p.exists())
    .collect();
    if !paths.is_empty() {
        same_with_and_without(paths);
    }
}

#[test]
#[ignore = "scans the whole standard library twice (about a minute in release)"]
fn prefilter_equivalence_on_whole_stdlib() {
    if let Some(lib) = stdlib() {
        same_with_and_without(vec![lib]);
    }
}
