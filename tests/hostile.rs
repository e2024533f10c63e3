//! Hostile and broken input: every case finishes, nothing panics, and every file that is not
//! scanned is reported with its reason. Big inputs are generated at test time in temporary
//! directories and kept small enough for debug builds (the full-size cases are measured by
//! `benches/run.sh` against the release binary; see docs/performance.md).

use assert_cmd::Command;
use healthflow::finding::{Report, SkipReason};
use healthflow::lang::Lang;
use healthflow::scan::{scan, Engine, ScanOptions};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new().unwrap())
}

fn scan_paths(paths: Vec<PathBuf>, tweak: impl FnOnce(&mut ScanOptions)) -> Report {
    let mut opts = ScanOptions {
        paths,
        jobs: 2,
        ..ScanOptions::default()
    };
    tweak(&mut opts);
    scan(engine(), &opts).unwrap()
}

fn scan_dir(dir: &Path) -> Report {
    scan_paths(vec![dir.to_path_buf()], |_| {})
}

fn reason_of<'r>(r: &'r Report, name: &str) -> Option<&'r SkipReason> {
    r.skipped
        .iter()
        .find(|s| s.path.ends_with(name))
        .map(|s| &s.reason)
}

fn rules_in(r: &Report, name: &str) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.path.ends_with(name))
        .map(|f| format!("{}:{}", f.span.start_line, f.rule.id()))
        .collect()
}

const LOG_FLOW: &str =
    "import logging\n\ndef admit(patient):\n    logging.info('dx %s', patient.diagnosis)\n";

#[test]
fn binary_data_with_a_python_name_is_skipped() {
    let d = tempfile::tempdir().unwrap();
    let mut bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    bytes.extend_from_slice(b"patient.diagnosis");
    std::fs::write(d.path().join("blob.py"), bytes).unwrap();
    let r = scan_dir(d.path());
    assert_eq!(reason_of(&r, "blob.py"), Some(&SkipReason::Binary));
    assert_eq!(r.files_scanned, 0);
}

#[test]
fn invalid_utf8_is_skipped_unless_declared_latin1() {
    let d = tempfile::tempdir().unwrap();
    let body = LOG_FLOW.replace("dx %s", "diagnostic \u{e9}t\u{e9} %s");
    let latin1: Vec<u8> = body.chars().map(|c| c as u32 as u8).collect();
    std::fs::write(d.path().join("plain.py"), &latin1).unwrap();
    let mut declared = b"# -*- coding: latin-1 -*-\n".to_vec();
    declared.extend_from_slice(&latin1);
    std::fs::write(d.path().join("declared.py"), &declared).unwrap();
    std::fs::write(d.path().join("bad.rs"), b"fn f() { let s = \"\xff\xfe\"; }").unwrap();
    let r = scan_dir(d.path());
    assert_eq!(reason_of(&r, "plain.py"), Some(&SkipReason::InvalidUtf8));
    assert_eq!(reason_of(&r, "bad.rs"), Some(&SkipReason::InvalidUtf8));
    assert_eq!(reason_of(&r, "declared.py"), None);
    assert_eq!(rules_in(&r, "declared.py"), ["5:health-data-in-logs"]);
}

#[test]
fn nul_bytes() {
    let d = tempfile::tempdir().unwrap();
    // Early NUL: binary. A NUL past the first 8 KiB: scanned, findings intact.
    std::fs::write(d.path().join("early.py"), format!("\0{LOG_FLOW}")).unwrap();
    let late = format!("{LOG_FLOW}# {}\nx = '\0'\n", "p".repeat(9000));
    std::fs::write(d.path().join("late.py"), late).unwrap();
    let r = scan_dir(d.path());
    assert_eq!(reason_of(&r, "early.py"), Some(&SkipReason::Binary));
    assert_eq!(rules_in(&r, "late.py"), ["4:health-data-in-logs"]);
}

/// A one-line minified file: over the default size limit it is skipped as too large; with
/// the limit raised it finishes within its time budget or is reported as over budget. The
/// test uses 4 MB (debug builds are slow); the 50 MB case is measured on the release build.
#[test]
fn one_line_minified_file() {
    let d = tempfile::tempdir().unwrap();
    let stmt = "x=patient.diagnosis;print(x);";
    let line = stmt.repeat(4_000_000 / stmt.len());
    let path = d.path().join("min.py");
    std::fs::write(&path, &line).unwrap();
    let r = scan_dir(d.path());
    assert!(
        matches!(reason_of(&r, "min.py"), Some(SkipReason::TooLarge { .. })),
        "{:?}",
        r.skipped
    );
    let start = Instant::now();
    let r = scan_paths(vec![d.path().to_path_buf()], |o| {
        o.max_file_size = 64 * 1024 * 1024;
        o.file_timeout = Some(Duration::from_secs(2));
    });
    // Budget, plus the linear wind-down after it (flattening, no further analysis).
    assert!(
        start.elapsed() < Duration::from_secs(40),
        "{:?}",
        start.elapsed()
    );
    match reason_of(&r, "min.py") {
        None => assert_eq!(r.files_scanned, 1),
        Some(SkipReason::TimeBudgetExceeded { millis: 2000 }) => {}
        other => panic!("unexpected: {other:?}"),
    }
}

/// Minifier and bundler output is skipped with its reason; asked for, it is scanned, and a
/// literal on a very long line takes its identifier hint only from the code near it.
#[test]
fn minified_bundles_are_skipped_with_their_reason() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("vendor.min.js"),
        "const nhs_number = \"9434765870\";\n",
    )
    .unwrap();
    // One 60 KB line: hash constants, one of them a valid NHS number, far from the word
    // `nhs` that the bundle holds elsewhere.
    let filler = "a=b+c;".repeat(10_000);
    let bundle = format!("var nhs=1;{filler}var k=[1200080426,9434765870,42];{filler}\n");
    std::fs::write(d.path().join("bundle.js"), &bundle).unwrap();
    std::fs::write(
        d.path().join("app.js"),
        "const nhs_number = \"9434765870\";\n",
    )
    .unwrap();

    let r = scan_dir(d.path());
    for name in ["vendor.min.js", "bundle.js"] {
        assert!(
            matches!(reason_of(&r, name), Some(SkipReason::Minified)),
            "{name}: {:?}",
            r.skipped
        );
    }
    assert_eq!(
        rules_in(&r, "app.js"),
        vec!["1:hardcoded-health-identifier"]
    );

    let r = scan_paths(vec![d.path().to_path_buf()], |o| o.include_minified = true);
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert_eq!(
        rules_in(&r, "vendor.min.js"),
        vec!["1:hardcoded-health-identifier"]
    );
    assert!(
        rules_in(&r, "bundle.js").is_empty(),
        "{:?}",
        rules_in(&r, "bundle.js")
    );
}

fn nested(open: &str, close: &str, inner: &str, n: usize) -> String {
    let mut s = String::with_capacity(n * (open.len() + close.len()) + inner.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(inner);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

/// 100,000-deep expressions lower without overflowing even a 2 MiB test-thread stack (the
/// adapters flatten past their depth and stack budgets), and scan on the worker pool.
#[test]
fn deep_nesting_does_not_overflow() {
    const N: usize = 100_000;
    let py = [
        format!("x = {}\n", nested("(", ")", "patient.diagnosis", N)),
        format!("x = {}\n", nested("[", "]", "patient.diagnosis", N)),
        format!("x = {}patient.diagnosis\n", "not ".repeat(N)),
        format!("x = {}1\n", "-".repeat(N)),
        format!("x = patient{}\n", ".a".repeat(N)),
        format!("x = f{}\n", "(1)".repeat(N)),
        format!("x = {}\n", nested("f(", ")", "patient.diagnosis", N)),
        format!(
            "{}print(patient)\n",
            nested("", "", "", 0) + &"if x:\n ".repeat(2000)
        ),
    ];
    let rs = [
        format!(
            "fn f() {{ let x = {}; }}\n",
            nested("(", ")", "patient.diagnosis", N)
        ),
        format!(
            "fn f() {{ let x = {}; }}\n",
            nested("{", "}", "patient.diagnosis", N)
        ),
        format!("fn f() {{ let x = {}1; }}\n", "-".repeat(N)),
        format!("fn f() {{ let x = patient{}; }}\n", ".a".repeat(N)),
        format!(
            "fn f() {{ println!(\"{{}}\", {}); }}\n",
            nested("(", ")", "p", N)
        ),
        format!("fn f() {{ let x = {}; }}\n", nested("g(", ")", "p", N)),
    ];
    for src in &py {
        Lang::by_name("python")
            .expect("registered")
            .lower(src)
            .unwrap();
    }
    for src in &rs {
        Lang::by_name("rust")
            .expect("registered")
            .lower(src)
            .unwrap();
    }
    let d = tempfile::tempdir().unwrap();
    for (i, src) in py.iter().enumerate() {
        std::fs::write(d.path().join(format!("deep{i}.py")), src).unwrap();
    }
    for (i, src) in rs.iter().enumerate() {
        std::fs::write(d.path().join(format!("deep{i}.rs")), src).unwrap();
    }
    let r = scan_dir(d.path());
    assert_eq!(r.files_scanned + r.skipped.len(), py.len() + rs.len());
    assert!(
        r.skipped
            .iter()
            .all(|s| matches!(s.reason, SkipReason::TimeBudgetExceeded { .. })),
        "{:?}",
        r.skipped
    );
}

#[test]
fn syntax_errors_still_yield_what_is_findable() {
    let d = tempfile::tempdir().unwrap();
    let py = format!("def broken(:\n    return )(\n\n{LOG_FLOW}\nclass X(\n");
    std::fs::write(d.path().join("broken.py"), py).unwrap();
    let rs = "fn broken( { let = ; }\nfn admit(patient: &Patient) {\n    log::info!(\"{}\", patient.diagnosis);\n}\nimpl {";
    std::fs::write(d.path().join("broken.rs"), rs).unwrap();
    let r = scan_dir(d.path());
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert_eq!(rules_in(&r, "broken.py"), ["7:health-data-in-logs"]);
    assert_eq!(rules_in(&r, "broken.rs"), ["3:health-data-in-logs"]);
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_by_default() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("leak.py"), LOG_FLOW).unwrap();
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("repo");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("app.py"), LOG_FLOW).unwrap();
    std::os::unix::fs::symlink(&root, root.join("loop")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("out")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("leak.py"), root.join("leak.py")).unwrap();
    let r = scan_dir(&root);
    assert_eq!(r.files_scanned, 1, "{:?}", r.findings);
    assert!(r.findings.iter().all(|f| f.path.ends_with("app.py")));
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    // Followed on request: the loop is detected and reported, the scan finishes.
    let r = scan_paths(vec![root.clone()], |o| o.follow_links = true);
    assert!(
        r.skipped
            .iter()
            .any(|s| matches!(&s.reason, SkipReason::WalkError(e) if e.contains("loop"))),
        "{:?}",
        r.skipped
    );
}

/// Skipped when running as root (CI containers): root reads a mode-000 file anyway, which
/// is detected by trying to open it.
#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("secret.py");
    std::fs::write(&p, LOG_FLOW).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&p).is_ok() {
        eprintln!("running with privileges that bypass file modes; unreadable-file check skipped");
        return;
    }
    let r = scan_dir(d.path());
    assert!(
        matches!(reason_of(&r, "secret.py"), Some(SkipReason::Unreadable(_))),
        "{:?}",
        r.skipped
    );
}

#[test]
fn a_file_that_vanishes_after_the_walk_is_reported() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("gone.py");
    let entry = healthflow::walk::FileEntry {
        abs: p.clone(),
        rel: "gone.py".into(),
        lang: Lang::by_name("python").expect("registered"),
    };
    std::fs::write(&p, LOG_FLOW).unwrap();
    std::fs::remove_file(&p).unwrap();
    let s = healthflow::scan::scan_one(engine(), &entry, &ScanOptions::default()).unwrap_err();
    assert!(matches!(s.reason, SkipReason::Unreadable(_)), "{s:?}");
}

#[test]
fn non_existent_paths_exit_2() {
    Command::cargo_bin("healthflow")
        .unwrap()
        .args(["scan", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no such file or directory"));
}

#[test]
fn a_directory_of_100000_tiny_files() {
    // Hard links to one file in a RAM-backed directory when there is one: creating 100,000
    // files is what costs time here, not scanning them.
    let shm = Path::new("/dev/shm");
    let d = if shm.is_dir() {
        tempfile::tempdir_in(shm).or_else(|_| tempfile::tempdir())
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    let proto = d.path().join("proto.txt");
    std::fs::write(&proto, "x = 1\n").unwrap();
    for i in 0..100 {
        let sub = d.path().join(format!("pkg{i:03}"));
        std::fs::create_dir(&sub).unwrap();
        for j in 0..1000 {
            let f = sub.join(format!("m{j:04}.py"));
            if std::fs::hard_link(&proto, &f).is_err() {
                std::fs::write(&f, "x = 1\n").unwrap();
            }
        }
    }
    std::fs::write(d.path().join("pkg000/flow.py"), LOG_FLOW).unwrap();
    let r = scan_dir(d.path());
    assert_eq!(r.files_scanned, 100_001);
    assert!(r.skipped.is_empty());
    assert_eq!(rules_in(&r, "pkg000/flow.py"), ["4:health-data-in-logs"]);
}

/// A file over its time budget is reported as skipped, with the reason, in every format.
#[test]
fn time_budget_is_reported_in_every_format() {
    let d = tempfile::tempdir().unwrap();
    let big = LOG_FLOW.repeat(8000);
    std::fs::write(d.path().join("slow.py"), big).unwrap();
    for (format, needle) in [
        ("text", "time budget of 1 ms"),
        ("json", "time-budget-exceeded"),
        ("sarif", "time budget of 1 ms"),
    ] {
        let out = Command::cargo_bin("healthflow")
            .unwrap()
            .current_dir(d.path())
            .args(["scan", ".", "--file-timeout", "1ms", "--format", format])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(needle), "{format}: {stdout}");
        assert!(stdout.contains("slow.py"), "{format}");
    }
}

#[test]
fn output_never_overwrites_a_scanned_source() {
    let d = tempfile::tempdir().unwrap();
    let src = d.path().join("app.py");
    std::fs::write(&src, LOG_FLOW).unwrap();
    Command::cargo_bin("healthflow")
        .unwrap()
        .args(["scan"])
        .arg(d.path())
        .arg("--output")
        .arg(&src)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "refusing to write the report over",
        ));
    assert_eq!(std::fs::read_to_string(&src).unwrap(), LOG_FLOW);
    // An explicit report path inside the tree is allowed.
    let report = d.path().join("report.sarif");
    Command::cargo_bin("healthflow")
        .unwrap()
        .args(["scan", "--fail-on", "never", "-f", "sarif"])
        .arg(d.path())
        .arg("--output")
        .arg(&report)
        .assert()
        .code(0);
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .contains("\"version\""));
}

/// Paths outside the report root widen it to a common ancestor: no reported path is
/// absolute or climbs out of the root, in the report or in SARIF.
#[test]
fn reported_paths_never_escape_the_root() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    std::fs::write(a.path().join("one.py"), LOG_FLOW).unwrap();
    std::fs::write(b.path().join("two.py"), LOG_FLOW).unwrap();
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/python/logs.py");
    let paths = vec![a.path().to_path_buf(), b.path().join("two.py"), fixtures];
    let r = scan_paths(paths, |_| {});
    assert_eq!(r.files_scanned, 3);
    let root = PathBuf::from(&r.root);
    for f in &r.findings {
        assert!(
            !f.path.starts_with('/') && !f.path.contains(".."),
            "{}",
            f.path
        );
        assert!(root.join(&*f.path).is_file(), "{} under {}", f.path, r.root);
    }
    let out = Command::cargo_bin("healthflow")
        .unwrap()
        .args(["scan", "-f", "sarif", "--fail-on", "never"])
        .arg(a.path())
        .arg(b.path().join("two.py"))
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let uris: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].to_string())
        .collect();
    assert!(!uris.is_empty());
    for u in uris {
        assert!(
            !u.starts_with("\"/") && !u.contains("..") && !u.contains("file:"),
            "{u}"
        );
    }
}

/// The reported crash: 300,000 prefix operators in a `println!`. The binary must finish (no
/// stack overflow while the model is lowered, analysed or dropped) and account for the file.
/// Dropping million-deep models is covered by a unit test in `model.rs`.
#[test]
fn deep_prefix_operators_in_a_macro_do_not_overflow_the_stack() {
    let d = tempfile::tempdir().unwrap();
    let src = format!(
        "fn main() {{\n    println!(\"{{}}\", {}x);\n}}\n",
        "!".repeat(300_000)
    );
    std::fs::write(d.path().join("prefix.rs"), src).unwrap();
    let out = Command::cargo_bin("healthflow")
        .unwrap()
        .args(["scan", "-q", "--format", "json", "--no-prefilter"])
        .args(["--file-timeout", "60s"])
        .arg(d.path())
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scanned = json["summary"]["files_scanned"].as_u64().unwrap_or(0);
    let skipped = json["skipped"].as_array().map_or(0, Vec::len) as u64;
    assert_eq!(scanned + skipped, 1, "{}", json["skipped"]);
}

#[test]
fn escape_sequences_in_names_and_code_are_not_printed_raw() {
    let d = tempfile::tempdir().unwrap();
    let code = "import logging\n\ndef admit(patient):\n    logging.info('\x1b[2J\x1b]8;;x\x07 %s', patient.diagnosis)\n";
    std::fs::write(d.path().join("evil\x1b[31m.py"), code).unwrap();
    std::fs::write(d.path().join("bin\x1b[0m.py"), b"\0\x1b[2Jbinary").unwrap();
    let out = Command::cargo_bin("healthflow")
        .unwrap()
        .args(["scan", "-q", "--color", "never"])
        .arg(d.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("health-data-in-logs"), "{text}");
    assert!(text.contains("skipped"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("\\u{1b}"), "{text}");
}

/// Scans `dir` with a per-file budget of `budget`; returns the report and the time taken.
fn scan_with_budget(dir: &Path, budget: Duration) -> (Report, Duration) {
    let _ = engine();
    let start = Instant::now();
    let r = scan_paths(vec![dir.to_path_buf()], |o| {
        o.file_timeout = Some(budget);
        o.prefilter = false;
    });
    (r, start.elapsed())
}

/// 100,000 `?` tokens in a macro call: the argument scan is linear (it was quadratic, 105 s
/// on the release build), and the file scans well within its budget.
#[test]
fn a_run_of_sigils_in_a_macro_is_linear() {
    let src = format!(
        "fn main() {{\n    println!(\"{{}}\", {});\n}}\n",
        "? ".repeat(100_000)
    );
    lowers_within_20_s("rust", &src);
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("sigils.rs"), &src).unwrap();
    let budget = Duration::from_secs(2);
    let (r, took) = scan_with_budget(d.path(), budget);
    assert!(took < 2 * budget, "{took:?}");
    match reason_of(&r, "sigils.rs") {
        None => assert_eq!(r.files_scanned, 1),
        Some(SkipReason::TimeBudgetExceeded { millis: 2000 }) => {}
        other => panic!("unexpected: {other:?}"),
    }
}

/// Functions made inside functions are also lowered in place, one level only: 6,000 nested
/// `const f = () => {` stay linear (a copy at every level was quadratic: 10 s at 3,000).
#[test]
fn nested_arrow_functions_are_lowered_in_linear_time() {
    let n = 6_000;
    let src = format!(
        "function outer() {{\n{}console.log(1);\n{}}}\n",
        (0..n)
            .map(|i| format!("const f{i} = () => {{\n"))
            .collect::<String>(),
        "};\n".repeat(n)
    );
    lowers_within_20_s("javascript", &src);
}

/// Lowering `src` ends well within a generous bound (a quadratic step takes minutes).
fn lowers_within_20_s(lang: &str, src: &str) {
    let start = Instant::now();
    Lang::by_name(lang).expect("registered").lower(src).unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

/// Comment-only lines after an indented block: the Python grammar's scanner looks ahead over
/// all of them for every line (quadratic; 100,000 lines ran for minutes past a 2 s budget).
/// The parse is cancelled at the deadline and the file reported as over budget.
#[test]
fn comment_lines_after_a_block_stop_at_the_budget() {
    let d = tempfile::tempdir().unwrap();
    let src = format!("def f():\n    x = 1\n{}", "    # c\n".repeat(40_000));
    std::fs::write(d.path().join("comments.py"), src).unwrap();
    let budget = Duration::from_secs(1);
    let (r, took) = scan_with_budget(d.path(), budget);
    assert!(took < 2 * budget, "{took:?}");
    assert_eq!(
        reason_of(&r, "comments.py"),
        Some(&SkipReason::TimeBudgetExceeded { millis: 1000 }),
        "{:?}",
        r.skipped
    );
}

/// Grows `path` to `len` bytes without writing them (a sparse file: cheap to make).
fn grow(path: &Path, len: u64) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len)
        .unwrap();
}

/// In named-file mode the rest of the repository is read when a flow goes into it: within
/// `--max-file-size`, and a file over it is reported, not read (a 500 MiB one took 72 s).
#[test]
fn context_files_are_read_within_the_size_limit() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join(".git")).unwrap();
    let app = d.path().join("app.py");
    std::fs::write(
        &app,
        "from helper import send\n\ndef admit(patient):\n    send(patient.diagnosis)\n",
    )
    .unwrap();
    let helper = d.path().join("helper.py");
    std::fs::write(
        &helper,
        "import logging\n\ndef send(x):\n    logging.info('dx %s', x)\n",
    )
    .unwrap();
    let r = scan_paths(vec![app.clone()], |_| {});
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    grow(&helper, 3 << 30);
    let start = Instant::now();
    let r = scan_paths(vec![app], |_| {});
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(r.files_scanned, 1);
    assert_eq!(
        reason_of(&r, "helper.py"),
        Some(&SkipReason::TooLarge {
            size: 3 << 30,
            limit: 2 * 1024 * 1024
        })
    );
}

/// The audit looks for SDK imports in every source: a 3 GiB (sparse) source is reported
/// as too large, never read (it took 3.1 GB of memory), and the SDK's use is still found
/// in the readable files.
#[test]
fn audit_import_detection_is_bounded() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("requirements.txt"), "openai>=1\n").unwrap();
    std::fs::write(d.path().join("ai.py"), "import openai\n").unwrap();
    let huge = d.path().join("huge.py");
    std::fs::write(&huge, "import os\n").unwrap();
    grow(&huge, 3 << 30);
    let opts = ScanOptions {
        jobs: 2,
        ..ScanOptions::default()
    };
    let start = Instant::now();
    let m = healthflow::audit::audit(engine(), d.path(), &opts, None, "test").unwrap();
    assert!(start.elapsed() < Duration::from_secs(10));
    let skipped: Vec<_> = m
        .summary
        .skipped
        .iter()
        .filter(|s| s.path.ends_with("huge.py"))
        .collect();
    assert_eq!(skipped.len(), 1, "{:?}", m.summary.skipped);
    assert!(
        skipped[0].reason.contains("--max-file-size"),
        "{:?}",
        skipped
    );
    assert!(m
        .dependencies
        .iter()
        .any(|d| d.package == "openai" && d.used));
    // Import detection reads as the scan does and reports what it could not read.
    let facts = healthflow::audit::deps::walk_tree(&[d.path().to_path_buf()], d.path(), false);
    let patterns = healthflow::patterns::Catalog::embedded().unwrap();
    let catalog = healthflow::audit::deps::Catalog::new(&patterns).unwrap();
    std::fs::remove_file(d.path().join("ai.py")).unwrap();
    let (deps, unread) = healthflow::audit::deps::dependencies(&catalog, &facts, 1024);
    assert!(deps.iter().all(|d| !d.used));
    assert_eq!(unread.len(), 2, "{unread:?}");
    assert!(matches!(unread[0].reason, SkipReason::Unreadable(_)));
    assert_eq!(unread[1].path, "huge.py");
}

/// Configuration and baseline files are read only within `--max-file-size`; a larger one is
/// a usage error naming the limit (a 30 MiB glob in a vendored healthflow.toml took 2.2 GB).
#[test]
fn config_and_baseline_files_are_bounded() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("app.py"), LOG_FLOW).unwrap();
    let config = d.path().join("healthflow.toml");
    std::fs::write(&config, "[paths]\nexclude = [\"x\"]\n").unwrap();
    grow(&config, 3 << 30);
    for args in [vec!["scan", "."], vec!["audit", ".", "-f", "json"]] {
        Command::cargo_bin("healthflow")
            .unwrap()
            .current_dir(d.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "over the 2097152-byte limit for a configuration file (--max-file-size)",
            ));
    }
    std::fs::remove_file(&config).unwrap();
    let baseline = d.path().join("base.json");
    std::fs::write(&baseline, "{\"version\": 1, \"findings\": []}").unwrap();
    grow(&baseline, 3 << 20);
    for flag in ["--baseline", "--write-baseline"] {
        Command::cargo_bin("healthflow")
            .unwrap()
            .current_dir(d.path())
            .args(["scan", "app.py", flag, "base.json"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "over the 2097152-byte limit for a baseline (--max-file-size)",
            ));
    }
    assert_eq!(std::fs::metadata(&baseline).unwrap().len(), 3 << 20);
}

/// The analysis stops at the file's budget too (a model kept between rounds is analysed
/// again without being parsed): past the deadline it returns at once and says so.
#[test]
fn analysis_stops_at_the_budget() {
    let mut src = String::from("import logging\n\ndef f(patient):\n");
    for i in 0..20_000 {
        src.push_str(&format!(
            "    x{i} = patient.diagnosis\n    logging.info(x{i})\n"
        ));
    }
    let module = Lang::by_name("python")
        .expect("registered")
        .lower(&src)
        .expect("parses");
    let e = engine();
    let input = healthflow::taint::FileInput {
        path: "big.py",
        lang: Lang::by_name("python").expect("registered"),
        module: &module,
        source: &src,
        lines: None,
    };
    let opts = healthflow::taint::EngineOptions::default();
    let full = healthflow::taint::analyze(&input, &e.catalog, &e.classifier, &opts);
    assert_eq!(full.len(), 20_000);
    let _g = healthflow::budget::Deadline::after(Some(Duration::ZERO)).enter();
    let start = Instant::now();
    let cut = healthflow::taint::analyze(&input, &e.catalog, &e.classifier, &opts);
    assert!(healthflow::budget::tripped());
    assert!(
        cut.len() < 1_000,
        "{} findings after the deadline",
        cut.len()
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}
