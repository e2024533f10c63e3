//! Reporters: text, JSON and SARIF renderings of a sorted [`crate::finding::Report`].
//!
//! Every reporter is a pure function of the report, the options and (for columns and code
//! frames) the scanned files as they are on disk: the output is byte for byte deterministic.

pub mod json;
pub mod sarif;
pub mod text;

use crate::finding::Report;
use crate::rules::{Level, RuleId};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Options shared by the reporters.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// ANSI colours in the text output.
    pub color: bool,
    /// Written as the tool version (`env!("CARGO_PKG_VERSION")` in the CLI).
    pub tool_version: &'static str,
    /// List the opt-in inventory rules in SARIF `rules[]` (they are listed anyway when a
    /// finding uses them).
    pub include_inventory_rules: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            tool_version: env!("CARGO_PKG_VERSION"),
            include_inventory_rules: false,
        }
    }
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            other => Err(format!(
                "unknown format `{other}` (expected text, json or sarif)"
            )),
        }
    }
}

/// Writes `report` in `format` to `w` as it is rendered (a large report is not held twice,
/// as findings and as text).
pub fn render_to(
    format: Format,
    report: &Report,
    opts: &RenderOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Text => text::render_to(report, opts, w),
        Format::Json => json::render_to(report, opts, w),
        Format::Sarif => sarif::render_to(report, opts, w),
    }
}

/// What a `render_to` writes, as a string.
fn rendered(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut buf = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(&mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// Renders `report` in `format`.
pub fn render(format: Format, report: &Report, opts: &RenderOptions) -> String {
    rendered(|w| render_to(format, report, opts, w))
}

/// Findings per level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LevelCounts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl LevelCounts {
    pub fn of(report: &Report) -> Self {
        let mut c = LevelCounts::default();
        for f in &report.findings {
            match f.level {
                Level::Error => c.errors += 1,
                Level::Warning => c.warnings += 1,
                Level::Note => c.notes += 1,
            }
        }
        c
    }
}

/// The rules a rendering declares, in [`RuleId::ALL`] order: every non-inventory rule, and
/// the inventory rules when asked for or used by a finding.
pub fn declared_rules(report: &Report, opts: &RenderOptions) -> Vec<RuleId> {
    RuleId::ALL
        .into_iter()
        .filter(|r| {
            !r.is_inventory()
                || opts.include_inventory_rules
                || report.findings.iter().any(|f| f.rule == *r)
        })
        .collect()
}

/// A security severity rounded to one decimal (f32 → f64 without `6.599999…` noise).
pub(crate) fn round_severity(s: f32) -> f64 {
    (f64::from(s) * 10.0).round() / 10.0
}

/// Lazily read source lines of the scanned files, best-effort: a file that cannot be read
/// again yields no lines and callers fall back to byte columns and snippets.
pub(crate) struct Sources {
    root: PathBuf,
    files: BTreeMap<String, Option<Vec<String>>>,
    line_hashes: BTreeMap<String, Option<Vec<String>>>,
}

/// Files larger than this are not re-read for code frames and columns.
const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

impl Sources {
    pub(crate) fn new(root: &str) -> Self {
        Sources {
            root: PathBuf::from(root),
            files: BTreeMap::new(),
            line_hashes: BTreeMap::new(),
        }
    }

    /// GitHub's `primaryLocationLineHash` of line `line` of file `rel`, from the file on disk.
    pub(crate) fn line_hash(&mut self, rel: &str, line: u32) -> Option<String> {
        let root = &self.root;
        let hashes = self
            .line_hashes
            .entry(rel.to_string())
            .or_insert_with(|| {
                let path = root.join(rel);
                let meta = std::fs::metadata(&path).ok()?;
                if rel.is_empty() || !meta.is_file() || meta.len() > MAX_SOURCE_BYTES {
                    return None;
                }
                let text = std::fs::read_to_string(&path).ok()?;
                Some(crate::fingerprint::line_hashes(&text))
            })
            .as_ref()?;
        let idx = usize::try_from(line).ok()?.checked_sub(1)?;
        hashes.get(idx).filter(|h| !h.is_empty()).cloned()
    }

    fn load(root: &Path, rel: &str) -> Option<Vec<String>> {
        if rel.is_empty() {
            return None;
        }
        let path = root.join(rel);
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_SOURCE_BYTES {
            return None;
        }
        let text = std::fs::read_to_string(&path).ok()?;
        Some(
            text.split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
                .collect(),
        )
    }

    /// Line `line` (1-based) of file `rel`, without its line terminator.
    pub(crate) fn line(&mut self, rel: &str, line: u32) -> Option<&str> {
        let root = &self.root;
        let lines = self
            .files
            .entry(rel.to_string())
            .or_insert_with(|| Self::load(root, rel))
            .as_ref()?;
        let idx = usize::try_from(line).ok()?.checked_sub(1)?;
        lines.get(idx).map(String::as_str)
    }

    /// Converts a 1-based byte column on `line` to a 1-based Unicode code point column.
    /// Without the source text the byte column is returned unchanged.
    pub(crate) fn char_col(&mut self, rel: &str, line: u32, byte_col: u32) -> u32 {
        match self.line(rel, line) {
            Some(text) => byte_col_to_char_col(text, byte_col),
            None => byte_col.max(1),
        }
    }
}

/// 1-based byte column → 1-based code point column. A column past the end of the line counts
/// the missing bytes as one column each (the line terminator, or a stale file); a column inside
/// a multi-byte character maps to that character.
pub(crate) fn byte_col_to_char_col(line: &str, byte_col: u32) -> u32 {
    let offset = usize::try_from(byte_col.saturating_sub(1)).unwrap_or(usize::MAX);
    if offset >= line.len() {
        let chars = line.chars().count();
        let extra = offset - line.len();
        return u32::try_from(chars + extra + 1).unwrap_or(u32::MAX);
    }
    let chars = line.char_indices().take_while(|(i, _)| *i < offset).count();
    let on_boundary = line.is_char_boundary(offset);
    let col = if on_boundary { chars + 1 } else { chars };
    u32::try_from(col).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_to_char_columns() {
        assert_eq!(byte_col_to_char_col("abc", 1), 1);
        assert_eq!(byte_col_to_char_col("abc", 3), 3);
        assert_eq!(byte_col_to_char_col("abc", 4), 4);
        // "é" is two bytes: byte column 4 is the code point after "é" and one more.
        assert_eq!(byte_col_to_char_col("éab", 3), 2);
        assert_eq!(byte_col_to_char_col("éab", 4), 3);
        // Inside the two-byte "é": that character.
        assert_eq!(byte_col_to_char_col("éab", 2), 1);
        assert_eq!(byte_col_to_char_col("日本x", 7), 3);
        assert_eq!(byte_col_to_char_col("", 1), 1);
        assert_eq!(byte_col_to_char_col("", 0), 1);
    }

    #[test]
    fn formats_parse() {
        assert_eq!("sarif".parse::<Format>(), Ok(Format::Sarif));
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn severity_rounding() {
        assert_eq!(round_severity(6.5 + 1.0), 7.5);
        assert_eq!(round_severity(6.6), 6.6);
    }
}
