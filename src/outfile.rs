//! Writing reports and baselines without touching source files.
//!
//! A report path that names a source file (directly or through a symbolic link) is refused,
//! wherever it lies. The file is written next to its destination and renamed over it, so a
//! symbolic or hard link at the destination is replaced, never written through.

use crate::lang::Lang;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write the report over {0}: it is a source file")]
    Source(String),
    #[error("writing {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// `Some(resolved)` when `path`, or the file a symbolic link at `path` leads to, is a source
/// file healthflow scans.
pub fn source_target(path: &Path) -> Option<PathBuf> {
    if Lang::from_path(path).is_some() && path.exists() {
        return Some(path.to_path_buf());
    }
    let resolved = path.canonicalize().ok()?;
    Lang::from_path(&resolved).map(|_| resolved)
}

/// Refuses `path` when it leads to a source file.
pub fn check(path: &Path) -> Result<(), OutputError> {
    match source_target(path) {
        Some(_) => Err(OutputError::Source(path.display().to_string())),
        None => Ok(()),
    }
}

/// Writes `bytes` to `path` by renaming a sibling temporary file over it.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_with(path, |w| w.write_all(bytes))
}

/// [`write`], with the content produced by `fill` into a buffered writer.
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    check(path)?;
    let err = |source| OutputError::Write {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            fill(&mut w).and_then(|()| w.flush())
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_replaced_not_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let src = dir.path().join("main.rs");
        std::fs::write(&src, "fn main() {}\n").expect("write");
        assert!(check(&src).is_err());
        let hard = dir.path().join("report.sarif");
        std::fs::hard_link(&src, &hard).expect("hard link");
        write(&hard, b"{}").expect("written");
        assert_eq!(
            std::fs::read_to_string(&src).expect("read"),
            "fn main() {}\n"
        );
        #[cfg(unix)]
        {
            let soft = dir.path().join("out.json");
            std::os::unix::fs::symlink(&src, &soft).expect("symlink");
            assert!(write(&soft, b"{}").is_err());
            assert_eq!(
                std::fs::read_to_string(&src).expect("read"),
                "fn main() {}\n"
            );
        }
    }
}
