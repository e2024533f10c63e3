//! Baselines: the accepted findings of a code base, so that only new ones are reported.
//!
//! The file is JSON, one entry per finding, sorted by path, rule and fingerprint, so it diffs
//! well in review (see `docs/baseline.md`). Entries match findings by their `healthflow/v1`
//! fingerprint, which does not depend on line numbers or layout, or by the fingerprint the
//! finding had before token fingerprints (older baselines).

use crate::finding::{Finding, Report};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

pub const FORMAT_VERSION: u32 = 1;
/// Longest excerpt kept in an entry, in characters.
const MAX_EXCERPT: usize = 120;

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: could not be read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {size} bytes, over the {limit}-byte limit for a baseline (--max-file-size)")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path}: not a healthflow baseline: {message}")]
    Parse { path: String, message: String },
    #[error("{path}: baseline version {found} is not supported (expected {FORMAT_VERSION})")]
    Version { path: String, found: u32 },
    #[error("{path}: could not be written: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// One accepted finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
    /// The sink's first line, trimmed and shortened: for the reader, not for matching.
    pub excerpt: String,
}

impl Entry {
    pub fn of(f: &Finding) -> Entry {
        let mut excerpt: String = f.snippet.chars().take(MAX_EXCERPT).collect();
        if f.snippet.chars().count() > MAX_EXCERPT {
            excerpt.push('…');
        }
        Entry {
            path: f.path.to_string(),
            rule: f.rule.id().to_string(),
            fingerprint: f.fingerprint.clone(),
            excerpt,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// Reads and parses `path`; a file over `max_bytes` is an error, never read.
    pub fn load(path: &Path, max_bytes: u64) -> Result<Baseline, BaselineError> {
        use crate::walk::CappedReadError;
        let name = path.display().to_string();
        let text = crate::walk::read_capped_text(path, max_bytes).map_err(|e| match e {
            CappedReadError::TooLarge { size, limit } => BaselineError::TooLarge {
                path: name.clone(),
                size,
                limit,
            },
            CappedReadError::Io(source) => BaselineError::Read {
                path: name.clone(),
                source,
            },
        })?;
        Baseline::parse(&name, &text)
    }

    pub fn parse(name: &str, text: &str) -> Result<Baseline, BaselineError> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| BaselineError::Parse {
            path: name.to_string(),
            message: e.to_string(),
        })?;
        if b.version != FORMAT_VERSION {
            return Err(BaselineError::Version {
                path: name.to_string(),
                found: b.version,
            });
        }
        Ok(b)
    }

    /// Sorted, pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut b = self.clone();
        b.findings.sort();
        b.findings.dedup();
        // Plain strings and integers always serialise.
        let mut s = serde_json::to_string_pretty(&b).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        crate::outfile::write(path, self.to_json().as_bytes()).map_err(|e| match e {
            crate::outfile::OutputError::Write { source, .. } => BaselineError::Write {
                path: path.display().to_string(),
                source,
            },
            other => BaselineError::Write {
                path: path.display().to_string(),
                source: std::io::Error::other(other.to_string()),
            },
        })
    }

    /// The baseline of `findings`, keeping `previous` entries of files this scan did not
    /// analyse (a scan of some files must not forget the others).
    pub fn from_findings<'a>(
        findings: impl IntoIterator<Item = &'a Finding>,
        scanned_paths: &[String],
        previous: Option<&Baseline>,
    ) -> Baseline {
        let scanned: HashSet<&str> = scanned_paths.iter().map(String::as_str).collect();
        let mut entries: BTreeSet<Entry> = findings.into_iter().map(Entry::of).collect();
        if let Some(prev) = previous {
            entries.extend(
                prev.findings
                    .iter()
                    .filter(|e| !scanned.contains(e.path.as_str()))
                    .cloned(),
            );
        }
        Baseline {
            version: FORMAT_VERSION,
            findings: entries.into_iter().collect(),
        }
    }
}

/// Drops the findings the baseline holds from `report.findings` and records the entries of
/// scanned files that matched nothing as fixed.
pub fn apply(report: &mut Report, baseline: &Baseline) {
    let known: HashSet<&str> = baseline
        .findings
        .iter()
        .map(|e| e.fingerprint.as_str())
        .collect();
    let legacy = &report.legacy_fingerprints;
    let found: HashSet<String> = report
        .findings
        .iter()
        .map(|f| &f.fingerprint)
        .chain(
            report
                .workflow
                .suppressed
                .iter()
                .map(|s| &s.finding.fingerprint),
        )
        .flat_map(|fp| std::iter::once(fp).chain(legacy.get(fp)))
        .cloned()
        .collect();
    let before = report.findings.len();
    report.findings.retain(|f| {
        !known.contains(f.fingerprint.as_str())
            && !legacy
                .get(&f.fingerprint)
                .is_some_and(|old| known.contains(old.as_str()))
    });
    let scanned: HashSet<&str> = report.scanned_paths.iter().map(String::as_str).collect();
    report.workflow.baselined = Some(before - report.findings.len());
    report.workflow.fixed = baseline
        .findings
        .iter()
        .filter(|e| scanned.contains(e.path.as_str()) && !found.contains(&e.fingerprint))
        .cloned()
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_other_versions_and_shapes() {
        assert!(matches!(
            Baseline::parse("b.json", r#"{"version": 2, "findings": []}"#),
            Err(BaselineError::Version { found: 2, .. })
        ));
        assert!(Baseline::parse("b.json", r#"{"version": 1}"#).is_err());
        assert!(Baseline::parse("b.json", "[]").is_err());
        let ok = Baseline::parse("b.json", r#"{"version": 1, "findings": []}"#).expect("valid");
        assert_eq!(
            ok.to_json(),
            "{\n  \"version\": 1,\n  \"findings\": []\n}\n"
        );
    }
}
