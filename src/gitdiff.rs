//! Git as a subprocess: the staged files (`--staged`) and the lines changed since a revision
//! (`--diff BASE`). Running the `git` command keeps healthflow free of a git library and
//! behaves like the user's git (worktrees, sparse checkouts, `safe.directory`).
//!
//! The scanned tree is untrusted, and its `.git/config` can name commands that git runs on its
//! own: `core.fsmonitor` (on every index read), `filter.<name>.clean`/`.process` (when a work
//! tree file is compared), `diff.external` and `diff.<driver>.command`/`.textconv`, the pager.
//! [`command`] is the only way healthflow starts git, and it disarms each of them: command-line
//! configuration outranks the repository's, so it switches fsmonitor, hooks and the pager off,
//! diffs pass `--no-ext-diff --no-textconv`, and every filter name the repository configures
//! (read with `git config`, which runs nothing) gets empty clean/smudge/process commands. The
//! environment keeps no `GIT_*` variable but `GIT_INDEX_FILE` (the index a commit hook must
//! read), skips the system configuration and takes no optional locks, so the tree is never
//! written. A git library was not chosen: it would have to re-implement the same refusals and
//! follow the user's git version for index and pack formats.

use crate::finding::Report;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("could not run git: {0}")]
    Spawn(std::io::Error),
    #[error("`git {args}` failed: {stderr}")]
    Failed { args: String, stderr: String },
    #[error("`git {args}` printed output that is not UTF-8")]
    NotUtf8 { args: String },
}

/// Configuration forced on every git run, whatever the repository's configuration says.
const FORCED_CONFIG: &[(&str, &str)] = &[
    ("core.fsmonitor", "false"),
    ("core.hooksPath", "/dev/null"),
    ("core.pager", "cat"),
    ("core.sshCommand", "false"),
    ("core.askPass", ""),
    ("core.editor", "false"),
    ("core.quotePath", "false"),
    ("diff.external", ""),
    ("credential.helper", ""),
    ("protocol.allow", "never"),
];

/// A `git` command run in `dir` that cannot start any program the repository configures (see
/// the module documentation). `filters` are the filter driver names to disarm.
fn command_with(dir: &Path, filters: &[String]) -> Command {
    let mut cmd = Command::new("git");
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("GIT_") && k != "GIT_INDEX_FILE" {
            cmd.env_remove(&key);
        }
    }
    let mut config: Vec<(String, String)> = FORCED_CONFIG
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for name in filters {
        for key in ["clean", "smudge", "process"] {
            config.push((format!("filter.{name}.{key}"), String::new()));
        }
        config.push((format!("filter.{name}.required"), "false".into()));
    }
    // GIT_CONFIG_COUNT rather than `-c`: names holding `=` cannot be misparsed.
    cmd.env("GIT_CONFIG_COUNT", config.len().to_string());
    for (i, (k, v)) in config.iter().enumerate() {
        cmd.env(format!("GIT_CONFIG_KEY_{i}"), k);
        cmd.env(format!("GIT_CONFIG_VALUE_{i}"), v);
    }
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PAGER", "cat")
        .arg("--no-pager")
        .arg("-C")
        .arg(dir)
        .stdin(std::process::Stdio::null());
    cmd
}

/// The filter driver names configured for the repository holding `dir` (any scope, includes
/// followed). Reading configuration runs nothing.
fn filter_names(dir: &Path) -> Result<Vec<String>, GitError> {
    let out = command_with(dir, &[])
        .args([
            "config",
            "--null",
            "--name-only",
            "--get-regexp",
            r"^filter\.",
        ])
        .output()
        .map_err(GitError::Spawn)?;
    // Exit status 1: no such key.
    if !out.status.success() && out.status.code() != Some(1) {
        return Err(GitError::Failed {
            args: "config --get-regexp".into(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    let mut names: Vec<String> = out
        .stdout
        .split(|&b| b == 0)
        .filter_map(|k| std::str::from_utf8(k).ok())
        .filter_map(|k| k.trim_end_matches('\n').strip_prefix("filter."))
        .filter_map(|k| k.rsplit_once('.').map(|(name, _)| name.to_string()))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// A disarmed `git` command for the repository holding `dir` (see the module documentation).
pub fn command(dir: &Path) -> Result<Command, GitError> {
    let filters = filter_names(dir)?;
    Ok(command_with(dir, &filters))
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = command(dir)?.args(args).output().map_err(GitError::Spawn)?;
    if !out.status.success() {
        return Err(GitError::Failed {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
}

fn git_text(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    String::from_utf8(git(dir, args)?).map_err(|_| GitError::NotUtf8 {
        args: args.join(" "),
    })
}

/// The top directory of the work tree holding `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, GitError> {
    let s = git_text(dir, &["rev-parse", "--show-toplevel"])?;
    let p = PathBuf::from(s.trim_end_matches(['\n', '\r']));
    Ok(p.canonicalize().unwrap_or(p))
}

/// Paths (relative to `top`) of the files added, copied, modified or renamed in the index.
pub fn staged_paths(top: &Path) -> Result<Vec<String>, GitError> {
    let out = git(
        top,
        &[
            "diff",
            "--cached",
            "--name-only",
            "--diff-filter=ACMR",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--ignore-submodules=all",
            "-z",
        ],
    )?;
    Ok(out
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect())
}

/// The staged contents of `paths` (relative to `top`), as `git show :path` prints them, read
/// through one `git cat-file --batch` process. A path missing from the index yields `None`.
pub fn staged_blobs(top: &Path, paths: &[String]) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;
    let failed = |stderr: String| GitError::Failed {
        args: "cat-file --batch".into(),
        stderr,
    };
    let mut child = command(top)?
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(GitError::Spawn)?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| failed("no stdin".into()))?;
    let request: String = paths.iter().map(|p| format!(":{p}\n")).collect();
    // Written from another thread so that a full stdout pipe cannot block the writer.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| failed("no stdout".into()))?;
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::with_capacity(paths.len());
    for _ in paths {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|e| failed(e.to_string()))?;
        let fields: Vec<&str> = header.split_whitespace().collect();
        match fields.as_slice() {
            [_, "blob", size] => {
                let size: usize = size
                    .parse()
                    .map_err(|_| failed(format!("bad header `{}`", header.trim())))?;
                let mut blob = vec![0; size + 1];
                reader
                    .read_exact(&mut blob)
                    .map_err(|e| failed(e.to_string()))?;
                blob.truncate(size);
                out.push(Some(blob));
            }
            _ => out.push(None),
        }
    }
    let _ = writer.join();
    let status = child.wait().map_err(GitError::Spawn)?;
    if !status.success() {
        return Err(failed(format!("exit status {status}")));
    }
    Ok(out)
}

/// Changed lines per file (relative to the work-tree top), new-side line numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangedLines {
    /// Path → inclusive line ranges.
    pub files: BTreeMap<String, Vec<(u32, u32)>>,
    /// Files git does not track: every line counts as changed.
    pub untracked: BTreeSet<String>,
}

impl ChangedLines {
    /// Whether any line of `start..=end` of `path` changed.
    pub fn touches(&self, path: &str, start: u32, end: u32) -> bool {
        if self.untracked.contains(path) {
            return true;
        }
        self.files.get(path).is_some_and(|ranges| {
            ranges
                .iter()
                .any(|&(a, b)| a <= end.max(start) && start <= b)
        })
    }
}

/// Lines of the work tree that differ from revision `base` (`git diff -U0 base`), plus the
/// untracked files.
pub fn changed_lines(top: &Path, base: &str) -> Result<ChangedLines, GitError> {
    if base.starts_with('-') {
        return Err(GitError::Failed {
            args: format!("diff {base}"),
            stderr: "a revision cannot start with `-`".into(),
        });
    }
    let diff = git_text(
        top,
        &[
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--ignore-submodules=all",
            "-U0",
            base,
            "--",
        ],
    )?;
    let mut changed = parse_unified_diff(&diff);
    let others = git(top, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    changed.untracked = others
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    Ok(changed)
}

/// Undoes git's C-style quoting of a path (`"caf\303\251.py"`).
fn unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return s.to_string();
    };
    let mut bytes = Vec::new();
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push(u8::try_from(v).unwrap_or(b'?'));
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// New-side changed line ranges of a zero-context unified diff. Pure deletions mark the line
/// after them, so a finding next to removed code counts as changed.
pub fn parse_unified_diff(diff: &str) -> ChangedLines {
    let mut out = ChangedLines::default();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(rest) = line.strip_prefix("+++ ") {
            let path = unquote(rest.trim_end());
            // `/dev/null` (a deleted file) has no `b/` side.
            current = path.strip_prefix("b/").map(str::to_string);
            continue;
        }
        if !line.starts_with("@@ ") {
            continue;
        }
        let Some(path) = &current else { continue };
        // @@ -a,b +c,d @@
        let Some(plus) = line.split_whitespace().find(|t| t.starts_with('+')) else {
            continue;
        };
        let mut nums = plus[1..].splitn(2, ',');
        let start: u32 = nums.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let count: u32 = nums.next().and_then(|n| n.parse().ok()).unwrap_or(1);
        let range = if count == 0 {
            (start.max(1), start.max(1))
        } else {
            (start, start + count - 1)
        };
        out.files.entry(path.clone()).or_default().push(range);
    }
    out
}

/// Keeps only the findings whose sink lines changed.
pub fn retain_changed(report: &mut Report, changed: &ChangedLines) {
    report
        .findings
        .retain(|f| changed.touches(&f.path, f.span.start_line, f.span.end_line));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hunks() {
        let diff = "diff --git a/app.py b/app.py\n\
                    index 1..2 100644\n\
                    --- a/app.py\n\
                    +++ b/app.py\n\
                    @@ -3,0 +4,2 @@ def f():\n\
                    +    x = 1\n\
                    +    y = 2\n\
                    @@ -10 +12 @@\n\
                    -a\n\
                    +b\n\
                    @@ -20,3 +21,0 @@\n\
                    diff --git a/old.py b/old.py\n\
                    --- a/old.py\n\
                    +++ /dev/null\n\
                    @@ -1,2 +0,0 @@\n\
                    diff --git a/\"caf\\303\\251.py\" b/\"caf\\303\\251.py\"\n\
                    --- \"a/caf\\303\\251.py\"\n\
                    +++ \"b/caf\\303\\251.py\"\n\
                    @@ -1 +1 @@\n";
        let c = parse_unified_diff(diff);
        assert_eq!(c.files["app.py"], vec![(4, 5), (12, 12), (21, 21)]);
        assert!(!c.files.contains_key("old.py"));
        assert_eq!(c.files["café.py"], vec![(1, 1)]);
        assert!(c.touches("app.py", 3, 4));
        assert!(!c.touches("app.py", 6, 11));
        assert!(c.touches("app.py", 11, 13));
    }
}
