//! `healthflow.toml`: the one configuration file (see `docs/configuration.md`).
//!
//! Read from the report root, or from `--config FILE`. Every error names the file, the line
//! and the column, and says what is wrong.

use crate::finding::Report;
use crate::patterns::LangFile;
use crate::rules::{Level, RuleId};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The file looked for at the report root.
pub const FILE_NAME: &str = "healthflow.toml";

/// Longest glob in `include`/`exclude`, in bytes.
const MAX_GLOB_LEN: usize = 1024;
/// Longest `include` or `exclude` list, in bytes of globs.
const MAX_GLOB_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: could not be read: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: {size} bytes, over the {limit}-byte limit for a configuration file (--max-file-size)")]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}:{line}:{column}: {message}")]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// When the exit code turns to 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        match s {
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "note" => Some(FailOn::Note),
            "never" => Some(FailOn::Never),
            _ => None,
        }
    }

    /// The least severe level that fails, if any does.
    pub fn threshold(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Note => Some(Level::Note),
            FailOn::Never => None,
        }
    }
}

fn parse_level(s: &str) -> Option<Level> {
    match s {
        "error" => Some(Level::Error),
        "warning" => Some(Level::Warning),
        "note" => Some(Level::Note),
        _ => None,
    }
}

// ---------- what the TOML says ----------

/// Top-level keys besides the language sections (kept in step with [`RawConfig`]).
const TOP_LEVEL_KEYS: &[&str] = &[
    "include",
    "exclude",
    "fail-on",
    "internal-domains",
    "eu-endpoints",
    "rules",
    "tests",
];

/// Unknown top-level keys are refused by [`LangSections`], which knows the language names.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    internal_domains: Vec<String>,
    #[serde(default)]
    eu_endpoints: Vec<String>,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    tests: RawTests,
}

/// The language sections of a configuration (`[python]`, `[rust]`, one per language of the
/// table), read from the same text as [`RawConfig`]; any other key that is not one of
/// [`TOP_LEVEL_KEYS`] is an error.
#[derive(Debug, Default)]
struct LangSections {
    langs: BTreeMap<String, LangFile>,
    /// Keys that are neither a language nor one of [`TOP_LEVEL_KEYS`].
    unknown: Vec<String>,
}

impl<'de> Deserialize<'de> for LangSections {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Sections;
        impl<'de> serde::de::Visitor<'de> for Sections {
            type Value = LangSections;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a configuration table")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<LangSections, A::Error> {
                let mut out = LangSections::default();
                while let Some(key) = map.next_key::<String>()? {
                    if crate::lang::Lang::by_name(&key).is_some() {
                        out.langs.insert(key, map.next_value::<LangFile>()?);
                    } else {
                        if !TOP_LEVEL_KEYS.contains(&key.as_str()) {
                            out.unknown.push(key);
                        }
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(Sections)
    }
}

/// [`TOP_LEVEL_KEYS`] and the language names, for error messages.
fn known_keys() -> String {
    TOP_LEVEL_KEYS
        .iter()
        .copied()
        .chain(crate::lang::Lang::all().map(|l| l.name()))
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a top-level key is written: the first line starting with it (`key =`, `[key]`,
/// `[[key.x]]`).
fn key_span(text: &str, key: &str) -> Option<Range<usize>> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let head = t.trim_start_matches('[').trim_start_matches('"');
        if let Some(rest) = head.strip_prefix(key) {
            if rest.trim_start().starts_with(['=', ']', '.', '"']) {
                let start = at + (line.len() - head.len());
                return Some(start..start + key.len());
            }
        }
        at += line.len();
    }
    None
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    enable: Vec<Spanned<String>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    level: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTests {
    #[serde(default)]
    level: Option<Spanned<String>>,
}

/// How findings in test code are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestLevel {
    /// At most this level (default: note).
    AtMost(Level),
    /// Not reported.
    Off,
}

impl Default for TestLevel {
    fn default() -> Self {
        TestLevel::AtMost(Level::Note)
    }
}

// ---------- the checked configuration ----------

/// Which files a scan reads: globs over paths relative to the report root.
#[derive(Clone, Debug, Default)]
pub struct PathFilter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl PathFilter {
    pub fn allows(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(rel))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
    }
}

/// Additions to the embedded patterns.
#[derive(Debug, Default)]
pub struct Extensions {
    /// Additions per language name (`[python]`, `[rust]` sections).
    pub langs: BTreeMap<String, LangFile>,
    /// Host globs inside the EU/EEA.
    pub eu_hosts: Vec<String>,
}

impl Extensions {
    pub fn is_empty(&self) -> bool {
        self.langs.is_empty() && self.eu_hosts.is_empty()
    }
}

#[derive(Debug, Default)]
pub struct Config {
    /// Where it was read from (empty for the default configuration).
    pub file: String,
    pub paths: PathFilter,
    pub fail_on: Option<FailOn>,
    /// Host globs of the organisation's own services.
    pub internal_domains: Vec<String>,
    /// Opt-in rules switched on.
    pub enable: Vec<RuleId>,
    pub disable: Vec<RuleId>,
    pub levels: BTreeMap<RuleId, Level>,
    /// `[tests] level`: findings in test code.
    pub tests: TestLevel,
    pub extensions: Extensions,
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.chars().count(), |i| before[i + 1..].chars().count())
        + 1;
    (line, col)
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
}

impl Checker<'_> {
    fn err(&self, span: Option<Range<usize>>, message: impl Into<String>) -> ConfigError {
        let (line, column) = span.map_or((1, 1), |s| line_col(self.text, s.start));
        ConfigError::Invalid {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    fn rule(&self, id: &Spanned<String>) -> Result<RuleId, ConfigError> {
        RuleId::from_id(id.get_ref()).ok_or_else(|| {
            let known: Vec<&str> = RuleId::ALL.iter().map(|r| r.id()).collect();
            self.err(
                Some(id.span()),
                format!(
                    "unknown rule `{}`; known rules: {}",
                    id.get_ref(),
                    known.join(", ")
                ),
            )
        })
    }

    fn globs(&self, globs: &[Spanned<String>]) -> Result<Option<GlobSet>, ConfigError> {
        if globs.is_empty() {
            return Ok(None);
        }
        // Compiled globs cost memory superlinear in their length (a 2 MB glob: 1.3 GB).
        let total: usize = globs.iter().map(|g| g.get_ref().len()).sum();
        if total > MAX_GLOB_BYTES {
            return Err(self.err(
                globs.first().map(Spanned::span),
                format!("the globs of this list are {total} bytes long, over the limit of {MAX_GLOB_BYTES}"),
            ));
        }
        if let Some(g) = globs.iter().find(|g| g.get_ref().len() > MAX_GLOB_LEN) {
            return Err(self.err(
                Some(g.span()),
                format!(
                    "glob of {} bytes, over the limit of {MAX_GLOB_LEN}",
                    g.get_ref().len()
                ),
            ));
        }
        let mut b = GlobSetBuilder::new();
        for g in globs {
            let glob = GlobBuilder::new(g.get_ref().trim_start_matches("./"))
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    self.err(
                        Some(g.span()),
                        format!("invalid glob `{}`: {}", g.get_ref(), e.kind()),
                    )
                })?;
            b.add(glob);
        }
        b.build()
            .map(Some)
            .map_err(|e| self.err(globs.first().map(Spanned::span), e.to_string()))
    }
}

impl Config {
    /// Parses and checks a configuration; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
        let ck = Checker { file, text };
        let toml_err = |e: toml::de::Error| {
            let message = e.message().trim_end().to_string();
            ck.err(e.span(), message)
        };
        let LangSections { langs, unknown } = toml::from_str(text).map_err(toml_err)?;
        if let Some(key) = unknown.first() {
            return Err(ck.err(
                key_span(text, key),
                format!("unknown field `{key}`, expected one of {}", known_keys()),
            ));
        }
        let raw: RawConfig = toml::from_str(text).map_err(toml_err)?;
        let fail_on = match &raw.fail_on {
            None => None,
            Some(s) => Some(FailOn::parse(s.get_ref()).ok_or_else(|| {
                ck.err(
                    Some(s.span()),
                    format!(
                        "fail-on must be \"error\", \"warning\", \"note\" or \"never\", not `{}`",
                        s.get_ref()
                    ),
                )
            })?),
        };
        let enable = raw
            .rules
            .enable
            .iter()
            .map(|r| ck.rule(r))
            .collect::<Result<Vec<_>, _>>()?;
        let disable = raw
            .rules
            .disable
            .iter()
            .map(|r| ck.rule(r))
            .collect::<Result<Vec<_>, _>>()?;
        let mut levels = BTreeMap::new();
        for (id, level) in &raw.rules.level {
            let rule = RuleId::from_id(id).ok_or_else(|| {
                ck.err(
                    Some(level.span()),
                    format!("unknown rule `{id}` in [rules.level]"),
                )
            })?;
            let lv = parse_level(level.get_ref()).ok_or_else(|| {
                ck.err(
                    Some(level.span()),
                    format!(
                        "level must be \"error\", \"warning\" or \"note\", not `{}`",
                        level.get_ref()
                    ),
                )
            })?;
            levels.insert(rule, lv);
        }
        let tests = match &raw.tests.level {
            None => TestLevel::default(),
            Some(l) if l.get_ref() == "off" => TestLevel::Off,
            Some(l) => TestLevel::AtMost(parse_level(l.get_ref()).ok_or_else(|| {
                ck.err(
                    Some(l.span()),
                    format!(
                        "[tests] level must be \"error\", \"warning\", \"note\" or \"off\", not `{}`",
                        l.get_ref()
                    ),
                )
            })?),
        };
        for (what, hosts) in [
            ("internal-domains", &raw.internal_domains),
            ("eu-endpoints", &raw.eu_endpoints),
        ] {
            if let Some(bad) = hosts
                .iter()
                .find(|h| h.is_empty() || h.contains('/') || h.contains(':'))
            {
                return Err(ck.err(
                    find_span(text, bad),
                    format!(
                        "{what}: `{bad}` is not a host name or host glob (no scheme, port or path)"
                    ),
                ));
            }
        }
        Ok(Config {
            file: file.to_string(),
            paths: PathFilter {
                include: ck.globs(&raw.include)?,
                exclude: ck.globs(&raw.exclude)?,
            },
            fail_on,
            internal_domains: raw
                .internal_domains
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            enable,
            disable,
            levels,
            tests,
            extensions: Extensions {
                langs,
                eu_hosts: raw
                    .eu_endpoints
                    .iter()
                    .map(|h| h.to_ascii_lowercase())
                    .collect(),
            },
        })
    }

    /// Reads and parses `path`; a file over `max_bytes` is an error, never read.
    pub fn load(path: &Path, max_bytes: u64) -> Result<Config, ConfigError> {
        use crate::walk::CappedReadError;
        let file = path.display().to_string();
        let text = crate::walk::read_capped_text(path, max_bytes).map_err(|e| match e {
            CappedReadError::TooLarge { size, limit } => ConfigError::TooLarge {
                file: file.clone(),
                size,
                limit,
            },
            CappedReadError::Io(source) => ConfigError::Read {
                file: file.clone(),
                source,
            },
        })?;
        Config::parse(&file, &text)
    }

    /// `healthflow.toml` in `root`, if there is one (at most `max_bytes`).
    pub fn discover(root: &Path, max_bytes: u64) -> Result<Option<Config>, ConfigError> {
        let path = root.join(FILE_NAME);
        if path.is_file() {
            Config::load(&path, max_bytes).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Whether findings of `rule` are reported, given `--inventory`.
    pub fn rule_enabled(&self, rule: RuleId, inventory: bool) -> bool {
        if self.disable.contains(&rule) {
            return false;
        }
        !rule.is_inventory() || inventory || self.enable.contains(&rule)
    }

    /// The inventory rules must run in the engine.
    pub fn wants_inventory(&self) -> bool {
        self.enable.iter().any(|r| r.is_inventory())
    }

    /// Drops disabled rules' findings and applies level overrides.
    pub fn apply_rules(&self, report: &mut Report, inventory: bool) {
        report
            .findings
            .retain(|f| self.rule_enabled(f.rule, inventory));
        for f in &mut report.findings {
            if let Some(level) = self.levels.get(&f.rule) {
                f.level = *level;
            }
        }
        // Findings in test code: at most `[tests] level` (a hard-coded identifier keeps its
        // level: real identifiers must not live in tests either).
        let tests = self.tests;
        report.findings.retain_mut(|f| {
            if !f.test || f.rule == RuleId::HardcodedHealthIdentifier {
                return true;
            }
            match tests {
                TestLevel::Off => false,
                TestLevel::AtMost(l) => {
                    f.level = f.level.min(l);
                    true
                }
            }
        });
    }
}

/// The span of the first quoted occurrence of `value` (for errors on plain string lists).
fn find_span(text: &str, value: &str) -> Option<Range<usize>> {
    let quoted = format!("\"{value}\"");
    text.find(&quoted)
        .map(|i| i..i + quoted.len())
        .or_else(|| text.find(value).map(|i| i..i + value.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(text: &str) -> (usize, usize, String) {
        match Config::parse("healthflow.toml", text) {
            Err(ConfigError::Invalid {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn errors_have_positions() {
        let (line, col, msg) = invalid("fail-on = \"warning\"\n[rules]\ndisable = [\"nope\"]\n");
        assert_eq!((line, col), (3, 12), "{msg}");
        assert!(msg.contains("unknown rule `nope`"), "{msg}");
        let (line, _, msg) = invalid("\n\nfail_on = 3\n");
        assert_eq!(line, 3);
        assert!(msg.contains("unknown field"), "{msg}");
        let (line, _, msg) = invalid("exclude = [\"a/[b\"]\n");
        assert_eq!(line, 1);
        assert!(msg.contains("invalid glob"), "{msg}");
        let (line, _, msg) = invalid("[[python.sink]]\nkind = \"ai\"\ncalls = [\"x\"]\n");
        assert_eq!(line, 2, "{msg}");
        let (line, _, msg) = invalid("[rules.level]\n\"health-data-in-logs\" = \"fatal\"\n");
        assert_eq!(line, 2, "{msg}");
        let (_, _, msg) = invalid("internal-domains = [\"https://fhir.example.org\"]\n");
        assert!(msg.contains("not a host"), "{msg}");
    }

    #[test]
    fn glob_sizes_are_bounded() {
        let long = format!("exclude = [\"{}\"]\n", "a*".repeat(600));
        let (_, _, m) = invalid(&long);
        assert!(
            m.contains("glob of 1200 bytes, over the limit of 1024"),
            "{m}"
        );
        let many: Vec<String> = (0..10_000).map(|i| format!("\"**/x{i}\"")).collect();
        let (_, _, m) = invalid(&format!("include = [{}]\n", many.join(",")));
        assert!(m.contains("over the limit of 65536"), "{m}");
    }

    #[test]
    fn filters_paths() {
        let c = Config::parse(
            "healthflow.toml",
            "include = [\"src/**\"]\nexclude = [\"**/tests/**\", \"src/gen_*.py\"]\n",
        )
        .expect("valid");
        assert!(c.paths.allows("src/app.py"));
        assert!(c.paths.allows("src/a/b.py"));
        assert!(!c.paths.allows("lib/app.py"));
        assert!(!c.paths.allows("src/tests/test_app.py"));
        assert!(!c.paths.allows("src/gen_models.py"));
        assert!(c.paths.allows("src/x/gen_models.py"));
    }
}
