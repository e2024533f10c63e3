//! Renders the demo's audit report in headless Chromium and checks the DOM: the sections, the
//! data map's recipient nodes and markings, and that the page loads nothing from anywhere.
//! Without Chromium the test is skipped, unless `CI` is set (then it fails).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for b in BROWSERS {
            let p = dir.join(b);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Runs the browser with the isolation flags, killing it after two minutes.
fn run_browser(browser: &Path, profile: &Path, extra: &[String]) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the browser");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait for the browser").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the browser did not finish in two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("browser output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The opening tag of the data-map node labelled `label`.
fn node_tag<'a>(dom: &'a str, label: &str) -> &'a str {
    let needle = format!("data-label=\"{label}\"");
    let at = dom
        .find(&needle)
        .unwrap_or_else(|| panic!("no data-map node labelled {label}"));
    let start = dom[..at].rfind("<g ").expect("node start");
    let end = at + dom[at..].find('>').expect("node end");
    &dom[start..end]
}

#[test]
fn demo_report_renders_in_a_browser() {
    let Some(browser) = find_browser() else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium is required in CI (.ci/run installs it)");
        }
        eprintln!("SKIPPED demo_report_renders_in_a_browser: chromium is not installed");
        return;
    };
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target directory")
        .to_path_buf();
    let report = target_dir.join("audit-demo.html");
    let screenshot = target_dir.join("audit-demo.png");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(env!("CARGO_BIN_EXE_healthflow"))
        .current_dir(manifest)
        .args(["audit", "fixtures/demo", "--quiet", "--output"])
        .arg(&report)
        .status()
        .expect("run healthflow audit");
    assert!(status.success());
    let html = std::fs::read_to_string(&report).expect("read the report");
    let url = format!(
        "file://{}",
        report.canonicalize().expect("report path").display()
    );

    let profile = tempfile::tempdir().expect("profile dir");
    let dom = run_browser(
        &browser,
        profile.path(),
        &["--dump-dom".into(), url.clone()],
    );
    assert!(dom.contains("</html>"), "no DOM dumped:\n{dom}");

    for id in [
        "summary",
        "data-map",
        "ai-register",
        "recipients",
        "dpia",
        "findings",
        "dependencies",
    ] {
        assert!(
            dom.contains(&format!("<section id=\"{id}\">")),
            "missing section #{id}"
        );
    }

    // The demo's recipients, as nodes of the data map.
    let openai = node_tag(&dom, "OpenAI");
    assert!(
        openai.contains("non-eu"),
        "OpenAI is outside the EU/EEA: {openai}"
    );
    assert!(openai.contains("kind-ai-model"));
    let sms = node_tag(&dom, "sms.passerelle-exemple.fr");
    assert!(
        sms.contains("cleartext") && !sms.contains("non-eu"),
        "{sms}"
    );
    let posthog = node_tag(&dom, "PostHog (EU)");
    assert!(posthog.contains("kind-tracking") && !posthog.contains("non-eu"));
    let hub = node_tag(&dom, "hub.resultats-region.example");
    assert!(hub.contains("kind-third-party"));
    assert!(node_tag(&dom, "Local files").contains("kind-storage"));
    assert!(node_tag(&dom, "Application logs").contains("kind-logs"));
    assert!(dom.contains("outside EU/EEA"));
    assert!(dom.contains("class=\"edge to-recipient cleartext\""));
    // The cleartext recipient says how, in its box; no label sits on a link.
    assert!(
        dom.contains("third party · unencrypted: http://</text>"),
        "the cleartext recipient says http://"
    );
    assert!(!dom.contains("edge-label"));

    // AI register, recipients table and DPIA screening.
    assert!(dom.contains("gpt-4o-mini"));
    assert!(dom.contains("<code>api.openai.com</code>"));
    assert!(dom.contains("A DPIA is required"));
    assert!(dom.contains("id=\"dpia-transfers\""));

    // Nothing leaves the page: no script or external resource element, every link an anchor.
    for tag in [
        "<script", "<img", "<link", "<iframe", "<object", "<embed", "<video", "<audio", "<image",
        "@import", "url(",
    ] {
        assert!(!dom.contains(tag), "the report contains {tag}");
        assert!(!html.contains(tag), "the report source contains {tag}");
    }
    let attr = regex::Regex::new(r#"(?i)\b(?:src|href|xlink:href|action)\s*=\s*"([^"]*)""#)
        .expect("regex");
    for c in attr.captures_iter(&dom) {
        assert!(c[1].starts_with('#'), "non-anchor link {}", &c[1]);
    }

    let _ = std::fs::remove_file(&screenshot);
    let profile = tempfile::tempdir().expect("profile dir");
    run_browser(
        &browser,
        profile.path(),
        &[
            format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,2000".into(),
            "--hide-scrollbars".into(),
            url,
        ],
    );
    let size = std::fs::metadata(&screenshot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10_000, "no screenshot at {}", screenshot.display());
}
