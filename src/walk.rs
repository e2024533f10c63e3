//! File discovery: the `ignore` walker (honours `.gitignore`, `.ignore`, hidden files), minus
//! vendored and generated trees; explicit file arguments are always scanned. The result is
//! sorted, so everything downstream is deterministic whatever the thread count.

use crate::finding::{SkipReason, Skipped};
use crate::lang::Lang;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Directory names never descended into (dependencies, virtualenvs, build output).
pub const SKIPPED_DIRS: &[&str] = &[
    "vendor",
    "node_modules",
    "target",
    "site-packages",
    "dist-packages",
    "__pycache__",
    ".venv",
    "venv",
    "virtualenv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".git",
    ".hg",
    ".svn",
    "bower_components",
    "third_party",
    "third-party",
];

#[derive(Clone, Debug)]
pub struct FileEntry {
    pub abs: PathBuf,
    /// Relative to the report root, `/` separators.
    pub rel: String,
    pub lang: Lang,
}

#[derive(Clone, Debug)]
pub struct WalkOptions {
    pub threads: usize,
    pub follow_links: bool,
}

/// The root that finding paths are relative to: the git work tree holding `path`, else `cwd`.
pub fn report_root(path: &Path, cwd: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let abs = abs.canonicalize().unwrap_or(abs);
    let mut cur: Option<&Path> = Some(if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent().unwrap_or(&abs)
    });
    while let Some(dir) = cur {
        if dir.join(".git").exists() {
            return dir.to_path_buf();
        }
        cur = dir.parent();
    }
    cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf())
}

/// `root`, or the deepest common ancestor of `root` and every path in `paths` that lies
/// outside it, so that every scanned file has a path relative to the result.
pub fn enclosing_root(root: &Path, paths: &[PathBuf], cwd: &Path) -> PathBuf {
    let mut out = root.to_path_buf();
    for p in paths {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            cwd.join(p)
        };
        let abs = abs.canonicalize().unwrap_or(abs);
        while !abs.starts_with(&out) {
            match out.parent() {
                Some(parent) => out = parent.to_path_buf(),
                None => break,
            }
        }
    }
    out
}

/// `abs` relative to `root` with `/` separators; paths outside the root stay absolute.
pub fn relative(abs: &Path, root: &Path) -> String {
    let rel = abs.strip_prefix(root).unwrap_or(abs);
    let s: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = s.join("/");
    if rel.is_absolute() {
        format!("/{}", joined.trim_start_matches('/'))
    } else {
        joined
    }
}

fn is_skipped_dir(name: &str) -> bool {
    SKIPPED_DIRS.contains(&name)
}

/// Walk `paths`, returning the files to scan and the entries that could not be listed.
pub fn walk(paths: &[PathBuf], root: &Path, opts: &WalkOptions) -> (Vec<FileEntry>, Vec<Skipped>) {
    let files = Mutex::new(Vec::new());
    let skipped = Mutex::new(Vec::new());
    for p in paths {
        let abs = p.canonicalize().unwrap_or_else(|_| p.clone());
        match std::fs::metadata(p) {
            Err(e) => skipped
                .lock()
                .map(|mut s| {
                    s.push(Skipped {
                        path: relative(&abs, root),
                        reason: SkipReason::Unreadable(e.to_string()),
                    })
                })
                .unwrap_or(()),
            Ok(m) if m.is_file() => {
                // Explicit files are scanned even when ignored; unknown languages are skipped.
                if let Some(lang) = Lang::from_path(p) {
                    if let Ok(mut f) = files.lock() {
                        f.push(FileEntry {
                            rel: relative(&abs, root),
                            abs,
                            lang,
                        });
                    }
                }
            }
            Ok(_) => {
                let walker = ignore::WalkBuilder::new(&abs)
                    .hidden(true)
                    .git_ignore(true)
                    .git_exclude(true)
                    .git_global(false)
                    .require_git(false)
                    .follow_links(opts.follow_links)
                    .threads(opts.threads.max(1))
                    .filter_entry(|e| {
                        !(e.depth() > 0
                            && e.file_type().is_some_and(|t| t.is_dir())
                            && e.file_name().to_str().is_some_and(is_skipped_dir))
                    })
                    .build_parallel();
                walker.run(|| {
                    Box::new(|entry| {
                        match entry {
                            Ok(e) => {
                                if e.file_type().is_some_and(|t| t.is_file()) {
                                    if let Some(lang) = Lang::from_path(e.path()) {
                                        let abs = e.path().to_path_buf();
                                        if let Ok(mut f) = files.lock() {
                                            f.push(FileEntry {
                                                rel: relative(&abs, root),
                                                abs,
                                                lang,
                                            });
                                        }
                                    }
                                }
                            }
                            Err(err) => {
                                let path = match &err {
                                    ignore::Error::WithPath { path, .. } => relative(path, root),
                                    _ => String::new(),
                                };
                                if let Ok(mut s) = skipped.lock() {
                                    s.push(Skipped {
                                        path,
                                        reason: SkipReason::WalkError(err.to_string()),
                                    });
                                }
                            }
                        }
                        ignore::WalkState::Continue
                    })
                });
            }
        }
    }
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    let mut skipped = skipped.into_inner().unwrap_or_default();
    skipped.sort();
    (files, skipped)
}

/// A file size as users write it: `500000`, `512K`, `2M`, `1G`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&s[..s.len() - 1], 1024),
        Some('M') => (&s[..s.len() - 1], 1024 * 1024),
        Some('G') => (&s[..s.len() - 1], 1024 * 1024 * 1024),
        _ => (s, 1),
    };
    num.trim()
        .parse::<u64>()
        .map(|n| n.saturating_mul(mult))
        .map_err(|_| format!("`{s}` is not a size (examples: 500000, 512K, 2M)"))
}

/// Why [`read_capped`] read nothing.
#[derive(Debug, thiserror::Error)]
pub enum CappedReadError {
    #[error("{size} bytes, over the {limit}-byte limit (--max-file-size)")]
    TooLarge { size: u64, limit: u64 },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<CappedReadError> for SkipReason {
    fn from(e: CappedReadError) -> SkipReason {
        match e {
            CappedReadError::TooLarge { size, limit } => SkipReason::TooLarge { size, limit },
            CappedReadError::Io(e) => SkipReason::Unreadable(e.to_string()),
        }
    }
}

/// The bytes of `path` if it holds at most `limit` of them. The size is checked before
/// reading, and the read stops past `limit` (the file may grow meanwhile).
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, CappedReadError> {
    use std::io::Read;
    let size = std::fs::metadata(path)?.len();
    if size > limit {
        return Err(CappedReadError::TooLarge { size, limit });
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(CappedReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_capped`] as UTF-8 text.
pub fn read_capped_text(path: &Path, limit: u64) -> Result<String, CappedReadError> {
    String::from_utf8(read_capped(path, limit)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()).into())
}
