//! Scan benchmark: whole scans against the parse floor (walk + read + tree-sitter parse,
//! the same crates) on generated and found corpora. Run with `benches/run.sh` or
//! `cargo bench --bench scan -- [--repeat N] [--lines N] [--big] [--quick]`.
//!
//! Each figure is the median of N runs of the release binary in a child process, measured
//! by `/usr/bin/time` (wall, user CPU, peak RSS). On a shared machine wall time is noisy;
//! user CPU is the steadier figure.

mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Args {
    repeat: usize,
    lines: usize,
    big: bool,
    quick: bool,
}

fn args() -> Args {
    let mut a = Args {
        repeat: 3,
        lines: 250_000,
        big: false,
        quick: false,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < v.len() {
        match v[i].as_str() {
            "--repeat" => {
                a.repeat = v.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(3);
                i += 1;
            }
            "--lines" => {
                a.lines = v.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(250_000);
                i += 1;
            }
            "--big" => a.big = true,
            "--quick" => a.quick = true,
            _ => {} // `cargo bench` passes `--bench`
        }
        i += 1;
    }
    if a.quick {
        a.repeat = 1;
        a.lines = a.lines.min(50_000);
    }
    a
}

#[derive(Clone, Copy, Default)]
struct Run {
    wall: f64,
    user: f64,
    sys: f64,
    rss_kb: u64,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

/// Run `cmd` `n` times; median wall/user/sys, maximum peak RSS.
fn measure(cmd: &[String], n: usize) -> Option<Run> {
    let time = Path::new("/usr/bin/time");
    let mut runs = Vec::new();
    for _ in 0..n {
        let out =
            std::env::temp_dir().join(format!("healthflow-bench-{}.time", std::process::id()));
        let start = Instant::now();
        let status = if time.exists() {
            Command::new(time)
                .arg("-f")
                .arg("%e %U %S %M")
                .arg("-o")
                .arg(&out)
                .args(cmd)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
        } else {
            Command::new(&cmd[0])
                .args(&cmd[1..])
                .stdout(std::process::Stdio::null())
                .status()
        };
        let wall = start.elapsed().as_secs_f64();
        let ok = status.ok().and_then(|s| s.code()).is_some_and(|c| c <= 1);
        if !ok {
            eprintln!("command failed: {}", cmd.join(" "));
            return None;
        }
        let mut r = Run {
            wall,
            ..Run::default()
        };
        if let Ok(t) = std::fs::read_to_string(&out) {
            let f: Vec<f64> = t
                .lines()
                .last()
                .unwrap_or("")
                .split(' ')
                .filter_map(|x| x.parse().ok())
                .collect();
            if f.len() == 4 {
                // Wall from the clock here: `time` rounds to 10 ms.
                r = Run {
                    wall,
                    user: f[1],
                    sys: f[2],
                    rss_kb: f[3] as u64,
                };
            }
        }
        let _ = std::fs::remove_file(&out);
        runs.push(r);
    }
    Some(Run {
        wall: median(runs.iter().map(|r| r.wall).collect()),
        user: median(runs.iter().map(|r| r.user).collect()),
        sys: median(runs.iter().map(|r| r.sys).collect()),
        rss_kb: runs.iter().map(|r| r.rss_kb).max().unwrap_or(0),
    })
}

fn python_stdlib() -> Option<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    p.is_dir().then_some(p)
}

struct Corpus {
    name: &'static str,
    path: PathBuf,
    files: usize,
    bytes: u64,
}

fn row(label: &str, c: &Corpus, r: &Run, floor: Option<&Run>) {
    let ratio = floor
        .filter(|f| f.wall > 0.0)
        .map(|f| {
            format!(
                "{:>5.2}× {:>5.2}×",
                r.wall / f.wall,
                r.user / f.user.max(1e-9)
            )
        })
        .unwrap_or_else(|| format!("{:>6} {:>6}", "-", "-"));
    println!(
        "{:<10} {:<24} {:>8.3} {:>8.3} {:>8.0} {:>8.1} {:>7.1}  {}",
        c.name,
        label,
        r.wall,
        r.user,
        c.files as f64 / r.wall.max(1e-9),
        c.bytes as f64 / 1e6 / r.wall.max(1e-9),
        r.rss_kb as f64 / 1024.0,
        ratio
    );
}

fn header() {
    println!(
        "{:<10} {:<24} {:>8} {:>8} {:>8} {:>8} {:>7}  ratio wall / user (vs floor, same -j)",
        "corpus", "run", "wall s", "user s", "files/s", "MB/s", "RSS MB",
    );
}

fn bench(bin: &str, c: &Corpus, a: &Args, extra: bool) {
    let p = c.path.to_string_lossy().into_owned();
    let cmd = |v: &[&str]| -> Vec<String> {
        std::iter::once(bin.to_string())
            .chain(v.iter().map(|s| s.to_string()))
            .collect()
    };
    let jobs: &[&str] = if a.quick { &["1"] } else { &["1", "2"] };
    for j in jobs {
        let floor = measure(&cmd(&["parse-floor", "-j", j, &p]), a.repeat);
        if let Some(f) = &floor {
            row(&format!("floor -j{j}"), c, f, None);
        }
        let scan = ["scan", "-j", j, "-f", "json", "--fail-on", "never", &p];
        if let Some(r) = measure(&cmd(&scan), a.repeat) {
            row(&format!("scan -j{j}"), c, &r, floor.as_ref());
        }
        if extra && *j == "1" {
            let mut v = scan.to_vec();
            v.push("--no-prefilter");
            if let Some(r) = measure(&cmd(&v), a.repeat) {
                row("scan -j1 --no-prefilter", c, &r, floor.as_ref());
            }
        }
    }
}

/// Start-up costs, in process (compiled patterns, lexicon, prefilter, grammars).
fn startup() {
    let t = Instant::now();
    let catalog = healthflow::patterns::Catalog::embedded();
    let t_cat = t.elapsed();
    let Ok(catalog) = catalog else { return };
    let t = Instant::now();
    let _c = healthflow::classify::Classifier::new(&catalog.lexicon);
    let t_cls = t.elapsed();
    let t = Instant::now();
    let _p = healthflow::prefilter::Prefilter::new(&catalog);
    let t_pf = t.elapsed();
    let t = Instant::now();
    let _ = healthflow::lang::Lang::by_name("python")
        .expect("registered")
        .lower("import os\nx = 1\n");
    let _ = healthflow::lang::Lang::by_name("rust")
        .expect("registered")
        .lower("fn main() {}\n");
    let t_gr = t.elapsed();
    println!(
        "start-up (in process): catalog {:.2} ms, classifier {:.2} ms, prefilter {:.2} ms, grammars + first parse {:.2} ms",
        t_cat.as_secs_f64() * 1e3,
        t_cls.as_secs_f64() * 1e3,
        t_pf.as_secs_f64() * 1e3,
        t_gr.as_secs_f64() * 1e3
    );
}

fn main() {
    let a = args();
    let bin = env!("CARGO_BIN_EXE_healthflow");
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // target/<profile>/deps/scan-… → target/bench-corpus
    let target = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent()?.parent()?.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| manifest.join("target"));
    let root = target.join("bench-corpus");
    println!("binary: {bin}\ncorpora: {}", root.display());
    startup();

    let t = Instant::now();
    let (files, bytes, lines) =
        corpus::health_dense(&manifest.join("fixtures"), &root.join("dense"), a.lines, 6);
    println!(
        "health-dense corpus: {files} files, {:.1} MB, {lines} lines (generated in {:.1} s)",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let dense = Corpus {
        name: "dense",
        path: root.join("dense"),
        files,
        bytes,
    };

    // One small file, start-up included (the pre-commit case).
    let small = root.join("small.py");
    let _ = std::fs::write(
        &small,
        "import logging\n\ndef f(patient):\n    logging.info(patient.diagnosis)\n",
    );
    let small_c = Corpus {
        name: "one-file",
        path: small.clone(),
        files: 1,
        bytes: 70,
    };
    header();
    if let Some(r) = measure(
        &[
            bin.to_string(),
            "scan".into(),
            small.to_string_lossy().into_owned(),
            "--fail-on".into(),
            "never".into(),
        ],
        a.repeat.max(10),
    ) {
        row("scan (health)", &small_c, &r, None);
    }
    let quiet = root.join("quiet.py");
    let _ = std::fs::write(
        &quiet,
        "import os\n\ndef f(path):\n    return os.path.basename(path)\n",
    );
    if let Some(r) = measure(
        &[
            bin.to_string(),
            "scan".into(),
            quiet.to_string_lossy().into_owned(),
        ],
        a.repeat.max(10),
    ) {
        row("scan (health-free)", &small_c, &r, None);
    }

    bench(bin, &dense, &a, true);
    match python_stdlib() {
        Some(p) => {
            let mut files = 0;
            let mut bytes = 0;
            count(&p, &mut files, &mut bytes);
            let c = Corpus {
                name: "stdlib",
                path: p,
                files,
                bytes,
            };
            bench(bin, &c, &a, true);
        }
        None => println!("stdlib: python3 not found, skipped"),
    }
    if a.big {
        let t = Instant::now();
        let (files, bytes, lines) =
            corpus::health_dense(&manifest.join("fixtures"), &root.join("big"), 1_000_000, 7);
        println!(
            "big health-dense corpus: {files} files, {:.1} MB, {lines} lines (generated in {:.1} s)",
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        let c = Corpus {
            name: "big",
            path: root.join("big"),
            files,
            bytes,
        };
        bench(bin, &c, &Args { quick: true, ..a }, false);
    }
}

/// Python and Rust files under `dir` (approximate: ignores `.gitignore`).
fn count(dir: &Path, files: &mut usize, bytes: &mut u64) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            let name = e.file_name();
            let n = name.to_string_lossy();
            if !n.starts_with('.') && !healthflow::walk::SKIPPED_DIRS.contains(&n.as_ref()) {
                count(&p, files, bytes);
            }
        } else if ft.is_file() && healthflow::lang::Lang::from_path(&p).is_some() {
            *files += 1;
            *bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
}
