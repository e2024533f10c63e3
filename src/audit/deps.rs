//! Declared dependencies: AI, tracking, cloud and messaging SDKs found in the manifests of the
//! audited tree (each language adapter reads its ecosystem's manifests), matched against
//! `patterns/dependencies.toml` and the `[[sdk]]` lists of the language patterns, and whether
//! the code imports them.

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

/// A package ecosystem: the language whose manifests declare it.
pub type Ecosystem = Lang;

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
    /// A language name; implied in a language's patterns file.
    #[serde(default)]
    ecosystem: Option<String>,
    #[serde(skip)]
    lang: Option<Lang>,
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
    /// `patterns/dependencies.toml` and the `[[sdk]]` lists of the engine's language patterns
    /// (embedded, with a configuration's additions).
    pub fn new(patterns: &crate::patterns::Catalog) -> Result<Catalog, AuditError> {
        let bad = |file: &str, e: String| AuditError::Patterns(format!("{file}: {e}"));
        let file = "patterns/dependencies.toml";
        let mut sdks = toml::from_str::<SdkFile>(DEPENDENCIES_TOML)
            .map_err(|e| bad(file, e.to_string()))?
            .sdk;
        for s in &mut sdks {
            let name = s.ecosystem.as_deref().unwrap_or_default();
            s.lang = Some(Lang::by_name(name).ok_or_else(|| {
                bad(
                    file,
                    format!("`{name}` is not the name of a supported language"),
                )
            })?);
        }
        for lang in Lang::all() {
            for t in &patterns.lang(lang).file.sdk {
                let mut s: SdkSpec =
                    toml::Value::Table(t.clone())
                        .try_into()
                        .map_err(|e: toml::de::Error| {
                            bad(&format!("patterns/{}.toml", lang.name()), e.to_string())
                        })?;
                s.lang = Some(lang);
                sdks.push(s);
            }
        }
        Ok(Catalog { sdks })
    }

    fn lookup(&self, eco: Ecosystem, package: &str) -> Option<&SdkSpec> {
        let n = normalise(package);
        self.sdks
            .iter()
            .find(|s| s.lang == Some(eco) && s.packages.iter().any(|p| normalise(p) == n))
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
    Lang::all().any(|l| l.is_manifest(name))
}

/// Package names declared in one manifest, with their ecosystem.
fn declared(file_name: &str, text: &str) -> Vec<(Ecosystem, String)> {
    Lang::all()
        .filter(|l| l.is_manifest(file_name))
        .flat_map(|l| {
            l.manifest_packages(file_name, text)
                .into_iter()
                .map(move |p| (l, p))
        })
        .collect()
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

/// The import names showing an SDK is used (Python module paths, Rust crate names).
fn import_names(spec: &SdkSpec, package: &str) -> Vec<String> {
    if !spec.imports.is_empty() {
        return spec.imports.clone();
    }
    spec.lang
        .map(|l| l.default_import_name(package))
        .into_iter()
        .collect()
}

/// Whether `text` imports `name`, as its language tells an import (Python `import name` /
/// `from name`, Rust `use name` or a `name::` path).
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
        if lang.is_import_at(text[line_start..at].trim(), &text[end..]) {
            return true;
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
            let eco = lang.language();
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

    fn python() -> Lang {
        Lang::by_name("python").expect("registered")
    }

    fn rust() -> Lang {
        Lang::by_name("rust").expect("registered")
    }

    #[test]
    fn import_detection() {
        assert!(imports("import sentry_sdk\n", python(), "sentry_sdk"));
        assert!(imports(
            "from posthog import Posthog\n",
            python(),
            "posthog"
        ));
        assert!(!imports("x = my_posthog\n", python(), "posthog"));
        assert!(imports("let c = sentry::init(());\n", rust(), "sentry"));
        assert!(!imports("// sentry is not used\n", rust(), "sentry"));
    }
}
