//! Declared dependencies: AI, tracking, cloud and messaging SDKs found in the manifests of the
//! audited tree (`requirements*.txt`, `pyproject.toml`, `Pipfile`, `setup.cfg`, `Cargo.toml`),
//! matched against `patterns/dependencies.toml`, and whether the code imports them.

use super::AuditError;
use crate::finding::Skipped;
use crate::lang::Lang;
use crate::walk::{relative, SKIPPED_DIRS};
use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const DEPENDENCIES_TOML: &str = include_str!("../../patterns/dependencies.toml");

/// Manifests larger than this are not read.
const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ecosystem {
    Python,
    Rust,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SdkKind {
    Ai,
    Tracking,
    Cloud,
    Messaging,
}

impl SdkKind {
    pub fn label(self) -> &'static str {
        match self {
            SdkKind::Ai => "AI",
            SdkKind::Tracking => "tracking / monitoring",
            SdkKind::Cloud => "cloud",
            SdkKind::Messaging => "messaging",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SdkSpec {
    packages: Vec<String>,
    ecosystem: Ecosystem,
    provider: String,
    kind: SdkKind,
    #[serde(default)]
    imports: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SdkFile {
    sdk: Vec<SdkSpec>,
}

/// One SDK declared in a manifest.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Dependency {
    pub manifest: String,
    pub package: String,
    pub ecosystem: Ecosystem,
    pub provider: String,
    pub kind: SdkKind,
    /// The code imports it (a module or crate of the SDK appears in an import or path).
    pub used: bool,
}

pub struct Catalog {
    sdks: Vec<SdkSpec>,
}

/// Package names compare lower-cased with `_` and `.` as `-`.
pub fn normalise(name: &str) -> String {
    name.trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '_' || c == '.' { '-' } else { c })
        .collect()
}

impl Catalog {
    pub fn embedded() -> Result<Catalog, AuditError> {
        let f: SdkFile = toml::from_str(DEPENDENCIES_TOML)
            .map_err(|e| AuditError::Patterns(format!("patterns/dependencies.toml: {e}")))?;
        Ok(Catalog { sdks: f.sdk })
    }

    fn lookup(&self, eco: Ecosystem, package: &str) -> Option<&SdkSpec> {
        let n = normalise(package);
        self.sdks
            .iter()
            .find(|s| s.ecosystem == eco && s.packages.iter().any(|p| normalise(p) == n))
    }
}

/// What one walk of the audited tree finds besides the scanned files.
#[derive(Debug, Default)]
pub struct TreeFacts {
    /// Source files per language name.
    pub languages: BTreeMap<String, usize>,
    /// Manifests: (absolute path, path relative to the report root).
    pub manifests: Vec<(PathBuf, String)>,
    /// Source files: path, path relative to the report root, language.
    pub sources: Vec<(PathBuf, String, Lang)>,
}

fn is_manifest(name: &str) -> bool {
    matches!(
        name,
        "pyproject.toml" | "Pipfile" | "setup.cfg" | "Cargo.toml"
    ) || (name.starts_with("requirements") && name.ends_with(".txt"))
}

/// One walk with the scanner's rules (ignore files, skipped directories).
pub fn walk_tree(paths: &[PathBuf], root: &Path, follow_links: bool) -> TreeFacts {
    let mut facts = TreeFacts::default();
    for p in paths {
        let walker = ignore::WalkBuilder::new(p)
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .follow_links(follow_links)
            .filter_entry(|e| {
                !(e.depth() > 0
                    && e.file_type().is_some_and(|t| t.is_dir())
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| SKIPPED_DIRS.contains(&n)))
            })
            .build();
        for e in walker.flatten() {
            if !e.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = e.path();
            if let Some(lang) = Lang::from_path(path) {
                *facts.languages.entry(lang.name().to_string()).or_default() += 1;
                let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
                facts
                    .sources
                    .push((path.to_path_buf(), relative(&abs, root), lang));
            } else if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_manifest)
            {
                let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
                let rel = relative(&abs, root);
                facts.manifests.push((path.to_path_buf(), rel));
            }
        }
    }
    facts.manifests.sort_by(|a, b| a.1.cmp(&b.1));
    facts.manifests.dedup_by(|a, b| a.1 == b.1);
    facts.sources.sort_by(|a, b| a.1.cmp(&b.1));
    facts.sources.dedup_by(|a, b| a.1 == b.1);
    facts
}

/// Package names declared in one manifest, with their ecosystem.
fn declared(file_name: &str, text: &str) -> Vec<(Ecosystem, String)> {
    let py = |names: Vec<String>| {
        names
            .into_iter()
            .filter(|n| !n.is_empty())
            .map(|n| (Ecosystem::Python, n))
            .collect::<Vec<_>>()
    };
    match file_name {
        "Cargo.toml" => cargo_deps(text)
            .into_iter()
            .map(|n| (Ecosystem::Rust, n))
            .collect(),
        "pyproject.toml" => py(pyproject_deps(text)),
        "Pipfile" => py(pipfile_deps(text)),
        "setup.cfg" => py(setup_cfg_deps(text)),
        _ => py(text.lines().filter_map(requirement_name).collect()),
    }
}

/// The distribution name at the start of a PEP 508 requirement (`sentry-sdk[fastapi]>=2`).
fn requirement_name(line: &str) -> Option<String> {
    let line = line.split('#').next().unwrap_or("").trim();
    if line.is_empty() || line.starts_with('-') {
        return None;
    }
    let name: String = line
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then_some(name)
}

fn table_keys(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(|v| v.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

fn string_list(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .filter_map(requirement_name)
                .collect()
        })
        .unwrap_or_default()
}

fn cargo_deps(text: &str) -> Vec<String> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    fn sections<'a>(t: &'a toml::Table, into: &mut Vec<&'a toml::Table>) {
        for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if let Some(d) = t.get(key).and_then(|v| v.as_table()) {
                into.push(d);
            }
        }
    }
    let mut tables: Vec<&toml::Table> = Vec::new();
    sections(&doc, &mut tables);
    if let Some(ws) = doc.get("workspace").and_then(|v| v.as_table()) {
        sections(ws, &mut tables);
    }
    if let Some(targets) = doc.get("target").and_then(|v| v.as_table()) {
        for t in targets.values().filter_map(|v| v.as_table()) {
            sections(t, &mut tables);
        }
    }
    let mut out = Vec::new();
    for t in tables {
        for (key, v) in t {
            // `foo = { package = "real-name" }` renames a dependency.
            let real = v
                .get("package")
                .and_then(|p| p.as_str())
                .unwrap_or(key.as_str());
            out.push(real.to_string());
        }
    }
    out
}

fn pyproject_deps(text: &str) -> Vec<String> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(project) = doc.get("project") {
        out.extend(string_list(project.get("dependencies")));
        if let Some(opt) = project
            .get("optional-dependencies")
            .and_then(|v| v.as_table())
        {
            for v in opt.values() {
                out.extend(string_list(Some(v)));
            }
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(|v| v.as_table()) {
        for v in groups.values() {
            out.extend(string_list(Some(v)));
        }
    }
    if let Some(poetry) = doc.get("tool").and_then(|t| t.get("poetry")) {
        out.extend(table_keys(poetry.get("dependencies")));
        out.extend(table_keys(poetry.get("dev-dependencies")));
        if let Some(groups) = poetry.get("group").and_then(|v| v.as_table()) {
            for g in groups.values() {
                out.extend(table_keys(g.get("dependencies")));
            }
        }
    }
    out.retain(|n| n != "python");
    out
}

fn pipfile_deps(text: &str) -> Vec<String> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = table_keys(doc.get("packages"));
    out.extend(table_keys(doc.get("dev-packages")));
    out
}

/// `install_requires` and `extras_require` values of a setup.cfg (INI, indented continuations).
fn setup_cfg_deps(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut in_list = false;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim();
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed.trim_matches(['[', ']']).trim().to_string();
            in_list = false;
            continue;
        }
        let indented = line.starts_with(' ') || line.starts_with('\t');
        if !indented {
            in_list = false;
            if let Some((key, value)) = trimmed.split_once('=') {
                let key = key.trim();
                in_list = (section == "options" && key == "install_requires")
                    || section == "options.extras_require";
                if in_list {
                    out.extend(requirement_name(value));
                }
            }
            continue;
        }
        if in_list {
            out.extend(requirement_name(trimmed));
        }
    }
    out
}

/// The import names showing an SDK is used (Python module paths, Rust crate names).
fn import_names(spec: &SdkSpec, package: &str) -> Vec<String> {
    if !spec.imports.is_empty() {
        return spec.imports.clone();
    }
    vec![match spec.ecosystem {
        Ecosystem::Python => package.to_ascii_lowercase().replace('-', "_"),
        Ecosystem::Rust => package.replace('-', "_"),
    }]
}

/// Whether `text` imports `name`: Python `import name` / `from name`, Rust `use name` or
/// a `name::` path.
fn imports(text: &str, lang: Lang, name: &str) -> bool {
    let mut start = 0;
    // Start of the line holding the last match; moved forward only, so the scan is linear.
    let mut line_start = 0;
    while let Some(pos) = text[start..].find(name) {
        let at = start + pos;
        let end = at + name.len();
        if let Some(nl) = text[start..at].rfind('\n') {
            line_start = start + nl + 1;
        }
        start = end;
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let after = text[end..].chars().next();
        if after.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let head = text[line_start..at].trim();
        match lang {
            Lang::Python => {
                if head == "import" || head == "from" || head.starts_with("import ") {
                    return true;
                }
            }
            Lang::Rust => {
                if text[end..].starts_with("::") || head.ends_with("use") {
                    return true;
                }
            }
        }
    }
    false
}

/// The declared SDKs of the tree, with their use in the code, and the files that could not
/// be read for it (at most `max_file_size` bytes are read from any file).
pub fn dependencies(
    catalog: &Catalog,
    facts: &TreeFacts,
    max_file_size: u64,
) -> (Vec<Dependency>, Vec<Skipped>) {
    let mut skipped = Vec::new();
    let mut found: Vec<(String, Ecosystem, String, &SdkSpec)> = Vec::new();
    for (abs, rel) in &facts.manifests {
        let limit = max_file_size.min(MAX_MANIFEST_BYTES);
        let text = match crate::walk::read_capped_text(abs, limit) {
            Ok(t) => t,
            Err(e) => {
                skipped.push(Skipped {
                    path: rel.clone(),
                    reason: e.into(),
                });
                continue;
            }
        };
        let file_name = abs.file_name().and_then(|n| n.to_str()).unwrap_or("");
        for (eco, pkg) in declared(file_name, &text) {
            if let Some(spec) = catalog.lookup(eco, &pkg) {
                found.push((rel.clone(), eco, normalise(&pkg), spec));
            }
        }
    }
    if found.is_empty() {
        return (Vec::new(), skipped);
    }
    // One pass over the sources, only for the import names wanted.
    let wanted: BTreeSet<(Ecosystem, String)> = found
        .iter()
        .flat_map(|(_, eco, pkg, spec)| import_names(spec, pkg).into_iter().map(move |n| (*eco, n)))
        .collect();
    let names: Vec<&str> = wanted.iter().map(|(_, n)| n.as_str()).collect();
    let mut used: BTreeSet<(Ecosystem, String)> = BTreeSet::new();
    if let Ok(ac) = AhoCorasick::new(&names) {
        for (path, rel, lang) in &facts.sources {
            if used.len() == wanted.len() {
                break;
            }
            // Read as the scan reads it, so a file it skipped is skipped here for the same
            // reason (and reported once).
            let text = match crate::scan::read_source_at(path, *lang, max_file_size) {
                Ok(t) => t,
                Err(reason) => {
                    skipped.push(Skipped {
                        path: rel.clone(),
                        reason,
                    });
                    continue;
                }
            };
            let eco = match lang {
                Lang::Python => Ecosystem::Python,
                Lang::Rust => Ecosystem::Rust,
            };
            let hits: BTreeSet<usize> = ac
                .find_overlapping_iter(&text)
                .map(|m| m.pattern().as_usize())
                .collect();
            for h in hits {
                let Some(name) = names.get(h) else { continue };
                let key = (eco, name.to_string());
                if wanted.contains(&key) && !used.contains(&key) && imports(&text, *lang, name) {
                    used.insert(key);
                }
            }
        }
    }
    let mut out: Vec<Dependency> = found
        .into_iter()
        .map(|(manifest, eco, pkg, spec)| Dependency {
            used: import_names(spec, &pkg)
                .into_iter()
                .any(|n| used.contains(&(eco, n))),
            manifest,
            package: pkg,
            ecosystem: eco,
            provider: spec.provider.clone(),
            kind: spec.kind,
        })
        .collect();
    out.sort();
    out.dedup();
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names() {
        assert_eq!(
            requirement_name("sentry-sdk[fastapi]>=2.10,<3").as_deref(),
            Some("sentry-sdk")
        );
        assert_eq!(requirement_name("  # comment"), None);
        assert_eq!(requirement_name("-r base.txt"), None);
    }

    #[test]
    fn manifests_parse() {
        let cargo = "[dependencies]\nsentry = \"0.34\"\nai = { package = \"async-openai\", version = \"0.2\" }\n";
        assert_eq!(cargo_deps(cargo), vec!["async-openai", "sentry"]);
        let py = "[project]\ndependencies = [\"openai>=1\", \"posthog\"]\n[tool.poetry.dependencies]\npython = \"^3.11\"\nmixpanel = \"*\"\n";
        assert_eq!(pyproject_deps(py), vec!["openai", "posthog", "mixpanel"]);
        let cfg = "[options]\ninstall_requires =\n    boto3>=1\n    requests\nzip_safe = False\n";
        assert_eq!(setup_cfg_deps(cfg), vec!["boto3", "requests"]);
        let pip = "[packages]\nanthropic = \"*\"\n[dev-packages]\npytest = \"*\"\n";
        assert_eq!(pipfile_deps(pip), vec!["anthropic", "pytest"]);
    }

    #[test]
    fn import_detection() {
        assert!(imports("import sentry_sdk\n", Lang::Python, "sentry_sdk"));
        assert!(imports(
            "from posthog import Posthog\n",
            Lang::Python,
            "posthog"
        ));
        assert!(!imports("x = my_posthog\n", Lang::Python, "posthog"));
        assert!(imports("let c = sentry::init(());\n", Lang::Rust, "sentry"));
        assert!(!imports("// sentry is not used\n", Lang::Rust, "sentry"));
    }
}
