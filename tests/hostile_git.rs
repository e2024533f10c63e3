//! A scanned tree may ship its own `.git` whose configuration names commands (fsmonitor,
//! filters, external diff, textconv, hooks, pager, aliases). No command healthflow runs on such
//! a tree may start them: every trap below would create a marker file.

mod common;

use assert_cmd::Command;
use common::git_ok;
use std::path::Path;

const FLOW: &str =
    "import logging\n\ndef admit(patient):\n    logging.info('dx %s', patient.diagnosis)\n";

/// A repository with a committed file, a staged change and an unstaged change on top, whose
/// configuration is then booby-trapped. Returns the marker directory.
fn trapped_repo(repo: &Path, markers: &Path) {
    git_ok(repo, &["init", "-q"]);
    std::fs::write(repo.join(".gitattributes"), "* filter=trap diff=trap\n").unwrap();
    std::fs::write(repo.join("app.py"), "x = 1\n").unwrap();
    git_ok(repo, &["add", "-A"]);
    git_ok(repo, &["commit", "-qm", "base"]);
    std::fs::write(repo.join("app.py"), FLOW).unwrap();
    git_ok(repo, &["add", "app.py"]);
    std::fs::write(repo.join("app.py"), format!("{FLOW}\n# unstaged\n")).unwrap();
    std::fs::write(repo.join("new.py"), FLOW).unwrap();

    let m = |name: &str| markers.join(name).display().to_string();
    let hooks = repo.join(".git").join("trap-hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    for hook in [
        "pre-commit",
        "post-checkout",
        "post-index-change",
        "fsmonitor-watchman",
        "reference-transaction",
    ] {
        let p = hooks.join(hook);
        std::fs::write(
            &p,
            format!("#!/bin/sh\ntouch '{}'\n", m(&format!("hook-{hook}"))),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let config = format!(
        "[core]\n\
         \tfsmonitor = \"touch '{fsmonitor}'; false\"\n\
         \thooksPath = {hooks}\n\
         \tsshCommand = \"touch '{ssh}'\"\n\
         \tpager = \"touch '{pager}'; cat\"\n\
         \taskPass = \"touch '{askpass}'\"\n\
         [filter \"trap\"]\n\
         \tclean = \"touch '{clean}'; cat\"\n\
         \tsmudge = \"touch '{smudge}'; cat\"\n\
         \tprocess = \"touch '{process}'\"\n\
         \trequired = true\n\
         [diff]\n\
         \texternal = \"touch '{external}'\"\n\
         [diff \"trap\"]\n\
         \ttextconv = \"touch '{textconv}'; cat\"\n\
         \tcommand = \"touch '{command}'\"\n\
         [pager]\n\
         \tdiff = \"touch '{pagerdiff}'; cat\"\n\
         [alias]\n\
         \tdiff = \"!touch '{alias}'\"\n\
         \tcat-file = \"!touch '{alias}'\"\n\
         \trev-parse = \"!touch '{alias}'\"\n\
         \tls-files = \"!touch '{alias}'\"\n\
         \tconfig = \"!touch '{alias}'\"\n",
        fsmonitor = m("fsmonitor"),
        hooks = hooks.display(),
        ssh = m("ssh"),
        pager = m("pager"),
        askpass = m("askpass"),
        clean = m("clean"),
        smudge = m("smudge"),
        process = m("process"),
        external = m("external"),
        textconv = m("textconv"),
        command = m("command"),
        pagerdiff = m("pager-diff"),
        alias = m("alias"),
    );
    let cfg = repo.join(".git").join("config");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str(&config);
    std::fs::write(&cfg, text).unwrap();
}

fn fired(markers: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(markers)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn no_git_path_runs_a_command_configured_by_the_scanned_tree() {
    let repo = tempfile::tempdir().unwrap();
    let markers = tempfile::tempdir().unwrap();
    trapped_repo(repo.path(), markers.path());

    // The traps are live: plain git, as the user would run it, sets some of them off.
    std::process::Command::new("git")
        .current_dir(repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["diff", "HEAD"])
        .output()
        .expect("git runs");
    let live = fired(markers.path());
    assert!(
        live.iter().any(|m| m == "fsmonitor") && live.iter().any(|m| m == "process"),
        "the traps should be armed: {live:?}"
    );
    for f in live {
        std::fs::remove_file(markers.path().join(f)).unwrap();
    }

    let runs: [&[&str]; 5] = [
        &["scan", "-q", "--diff", "HEAD", "--format", "json"],
        &["scan", "-q", "--staged", "--format", "json"],
        &["scan", "-q", "--diff", "HEAD~0", "--format", "sarif", "."],
        &["scan", "-q", "."],
        &["audit", "-q", "--format", "json", "."],
    ];
    for args in runs {
        let out = Command::cargo_bin("healthflow")
            .unwrap()
            .current_dir(repo.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args(args)
            .output()
            .unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "{args:?} exited {code:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        if args[0] == "scan" {
            // Each git-using run still finds the flow (the staged and the changed file).
            assert!(stdout.contains("health-data-in-logs"), "{args:?}: {stdout}");
        }
        assert_eq!(
            fired(markers.path()),
            Vec::<String>::new(),
            "{args:?} ran a trap"
        );
    }
}
