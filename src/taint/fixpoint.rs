//! The whole-project fixpoint: every file analysed against the summaries of the others,
//! rounds repeated until no summary, demand or field fact changes (or the call-depth cap),
//! with the files a flow needs parsed on the way. The scan provides the files ([`Files`]):
//! reading, parsing and scheduling stay there.

use super::{FileSummaries, Project};
use crate::classify::Classifier;
use crate::finding::{Finding, SkipReason};
use crate::lang::Lang;
use crate::model::TypeDecl;
use crate::suppress::Directive;

/// One file's analysis in a round: its findings, summaries and suppressions, or why it failed.
pub type Analysis = Result<(Vec<Finding>, FileSummaries, Vec<Directive>), SkipReason>;

/// What the fixpoint asks of the scanned files. Files are numbered in scan order.
pub trait Files {
    fn count(&self) -> usize;
    fn rel(&self, i: usize) -> &str;
    fn lang(&self, i: usize) -> Lang;
    /// The functions a parsed file declares (owner, name); `None` until it is parsed.
    fn functions(&self, i: usize) -> Option<&[(Option<String>, String)]>;
    /// The types a parsed file declares.
    fn types(&self, i: usize) -> &[TypeDecl];
    /// The module-level string constants of a parsed file (name, text).
    fn constants(&self, i: usize) -> &[(String, String)];
    /// Fields a parsed file's constructors set to new objects (class, field, type path).
    fn object_fields(&self, i: usize) -> &[(String, String, String)];
    /// Calls that read an environment variable with a default, in every language
    /// (`os.getenv`): a settings field they initialise defaults to that value.
    fn env_readers(&self) -> Vec<String>;
    /// The code of a file that has been read (cheap text tests on which files to parse).
    fn source(&self, i: usize) -> Option<std::borrow::Cow<'_, str>>;
    /// The module names a file goes by (its path, and what its code declares).
    fn module_names(&self, i: usize) -> Vec<String>;
    /// Whether a file not parsed yet could be (it was read, or it is context not yet tried).
    fn can_parse(&self, i: usize) -> bool;
    /// Parse these files; one that cannot be read or parsed stays unparsed (reported by the
    /// scan).
    fn parse(&mut self, which: &[usize]);
    /// Analyse these files against `project`, in parallel; `names` are every file's module
    /// names.
    fn analyze(
        &mut self,
        which: &[usize],
        names: &[Vec<String>],
        project: &Project,
    ) -> Vec<(usize, Analysis)>;
    /// A file whose analysis failed leaves the project, with its reason reported.
    fn drop_failed(&mut self, i: usize, reason: SkipReason);
}

/// Each file's results at the fixpoint.
pub struct Outcome {
    pub findings: Vec<Vec<Finding>>,
    pub directives: Vec<Vec<Directive>>,
    /// The latest summaries of each analysed file (traces, unresolved-call counts).
    pub summaries: Vec<Option<FileSummaries>>,
}

/// Run the rounds to the fixpoint over `files`, composing calls at most `max_call_depth`
/// levels deep.
pub fn solve(files: &mut impl Files, classifier: &Classifier, max_call_depth: usize) -> Outcome {
    // Whole-project rounds: summaries composed across files until nothing changes (or the
    // call-depth cap); files a flow needs are parsed on the way.
    let n = files.count();
    let module_names: Vec<Vec<String>> = (0..n).map(|i| files.module_names(i)).collect();
    let mut all_modules = super::summary::ModuleMap::default();
    let depth = module_names.iter().map(|n| n.len()).max().unwrap_or(0);
    for level in 0..depth {
        for (i, n) in module_names.iter().enumerate() {
            if let Some(m) = n.get(level) {
                all_modules
                    .entry(files.lang(i).name())
                    .or_default()
                    .entry(m.clone())
                    .or_insert(i);
            }
        }
    }
    let all_modules = std::sync::Arc::new(all_modules);
    let mut summaries = super::summary::Summaries::default();
    let trivial = super::summary::TrivialSummaries::default();
    let mut demanded: std::collections::BTreeSet<std::sync::Arc<str>> =
        std::collections::BTreeSet::new();
    // Each analysed file's latest results. Its syntax model is dropped after each analysis
    // (memory stays bounded by the sources) and rebuilt only if the file must be analysed
    // again: when something it used changed (a callee's summary, the demand on its functions,
    // a file it asked for).
    let mut cache: Vec<Option<super::FileSummaries>> = (0..n).map(|_| None).collect();
    let mut found: Vec<Vec<Finding>> = (0..n).map(|_| Vec::new()).collect();
    let mut directives: Vec<Vec<crate::suppress::Directive>> = (0..n).map(|_| Vec::new()).collect();
    let mut changed_keys: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut changed_ret: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut demand_changed: std::collections::BTreeSet<std::sync::Arc<str>> =
        std::collections::BTreeSet::new();
    let mut newly_parsed: Vec<usize> = (0..n).filter(|&i| files.functions(i).is_some()).collect();
    let mut index = super::FnIndex::default();
    let mut known: Vec<bool> = vec![false; n];
    let mut health_types = super::types::HealthTypes::default();
    // Health-record and store types whose users (files naming them) have been looked for.
    let mut types_followed: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut store_types = super::types::StoreTypes::default();
    let mut field_urls = super::types::FieldUrls::default();
    let mut constants = super::summary::Constants::default();
    let mut object_fields = super::summary::ObjectFields::default();
    let mut declared_fields = super::summary::ObjectFields::default();
    let mut type_files = super::summary::TypeFiles::default();
    let mut types_dirty = true;
    let mut field_data = super::summary::FieldData::new();
    let mut changed_classes: Vec<String> = Vec::new();
    // Call levels composed so far: a round that analyses files parsed just for it (callees a
    // flow needs) is not one, so a call across files costs the depth of a call within one.
    let mut level = 0usize;
    // Files handed to the parser once are not asked for again (a context file that cannot be
    // read or parsed stays out), so the rounds end.
    let mut tried: Vec<bool> = (0..n).map(|i| files.functions(i).is_some()).collect();
    for round in 0usize.. {
        // The index grows with the files parsed since the last round.
        {
            let view: Vec<super::summary::IndexedFile> = newly_parsed
                .iter()
                .filter_map(|&i| {
                    files
                        .functions(i)
                        .map(|f| (i, files.rel(i), files.lang(i), f))
                })
                .collect();
            index.extend(&view, &module_names);
            for (i, ..) in &view {
                known[*i] = true;
                types_dirty = true;
            }
        }
        // The type environment changes only when the set of analysed files does.
        if types_dirty {
            health_types = super::types::health_types(
                classifier,
                (0..n)
                    .filter(|&i| known[i])
                    .flat_map(|i| files.types(i).iter().map(move |t| (i, t))),
            );
            field_urls = super::types::field_urls(
                (0..n)
                    .filter(|&i| known[i])
                    .flat_map(|i| files.types(i).iter()),
                &files.env_readers(),
            );
            store_types = super::types::store_types(
                classifier,
                (0..n)
                    .filter(|&i| known[i])
                    .flat_map(|i| files.types(i).iter()),
                |t| health_types.contains_key(t),
            );
            constants = (0..n)
                .filter(|&i| known[i] && !files.constants(i).is_empty())
                .map(|i| (i, files.constants(i).iter().cloned().collect()))
                .collect();
            object_fields = super::summary::object_fields(
                (0..n)
                    .filter(|&i| known[i])
                    .flat_map(|i| files.object_fields(i).iter()),
            );
            let facts: Vec<(String, String, String)> = (0..n)
                .filter(|&i| known[i])
                .flat_map(|i| files.types(i).iter())
                .flat_map(|t| {
                    t.fields.iter().filter_map(|f| {
                        let ty = f.ty.clone()?;
                        Some((t.name.clone(), f.name.clone(), ty))
                    })
                })
                .collect();
            declared_fields = super::summary::object_fields(facts.iter());
            type_files.clear();
            for i in (0..n).filter(|&i| known[i]) {
                for t in files.types(i) {
                    type_files.entry(t.name.clone()).or_default().push(i);
                }
            }
            types_dirty = false;
        }
        // Types found health-record types (or stores of them) since the last round: the files
        // that name them are analysed again if already analysed, or parsed next.
        let new_types: Vec<&str> = health_types
            .keys()
            .chain(store_types.keys())
            .filter(|t| !types_followed.contains(t.as_str()))
            .map(String::as_str)
            .collect();
        let users = users_of_types(files, &new_types);
        types_followed.extend(new_types.iter().map(|t| t.to_string()));
        let object_returners = summaries
            .iter()
            .filter(|(_, s)| s.ret_object.is_some())
            .map(|(k, _)| k.rsplit('.').next().unwrap_or(k).to_string())
            .collect();
        let project = super::Project {
            object_returners,
            health_types: std::mem::take(&mut health_types),
            field_urls: std::mem::take(&mut field_urls),
            constants: std::mem::take(&mut constants),
            object_fields: std::mem::take(&mut object_fields),
            declared_fields: std::mem::take(&mut declared_fields),
            store_types: std::mem::take(&mut store_types),
            type_files: std::mem::take(&mut type_files),
            index: std::mem::take(&mut index),
            summaries: std::mem::take(&mut summaries),
            all_modules: std::sync::Arc::clone(&all_modules),
            parsed: known.clone(),
            demanded: std::mem::take(&mut demanded),
            field_data: std::mem::take(&mut field_data),
        };
        let todo: Vec<usize> = (0..n)
            .filter(|&i| known[i])
            .filter(|&i| match &cache[i] {
                None => true,
                Some(_) if users.binary_search(&i).is_ok() => true,
                // Only changes that can reach a finding matter: a callee this file passes
                // health data to, a callee that starts returning health data, or any callee
                // of a function that itself receives health data (its summary is needed).
                Some(sums) => {
                    sums.wanted.iter().any(|w| newly_parsed.contains(w))
                        || sums.awaits.iter().any(|w| newly_parsed.contains(w))
                        || sums.keys.iter().any(|k| demand_changed.contains(&**k))
                        || sums.real_into.iter().any(|k| changed_keys.contains(&**k))
                        || sums.deps.iter().any(|k| changed_ret.contains(&**k))
                        || sums.field_deps.iter().any(|d| {
                            changed_classes
                                .iter()
                                .any(|c| super::summary::class_matches(c, d))
                        })
                        || (sums.deps.iter().any(|k| changed_keys.contains(&**k))
                            && sums.keys.iter().any(|k| project.demanded.contains(&**k)))
                }
            })
            .collect();
        // Their previous results are replaced: freed first, so the new ones reuse the memory.
        for &i in &todo {
            found[i] = Vec::new();
            directives[i] = Vec::new();
            cache[i] = None;
        }
        let results = files.analyze(&todo, &module_names, &project);
        let mut project = project;
        let mut next = std::mem::take(&mut project.summaries);
        changed_keys.clear();
        changed_ret.clear();
        for (i, r) in results {
            match r {
                Ok((f, mut sums, dirs)) => {
                    for (k, mut v) in std::mem::take(&mut sums.summaries) {
                        let k: std::sync::Arc<str> = k.into();
                        let before = next.remove(&k);
                        if let Some(prev) = &before {
                            v.absorb(prev);
                        }
                        let changed = before
                            .as_ref()
                            .map_or(!v.is_trivial(), |b| b.facts() != v.facts());
                        if changed {
                            changed_keys.insert(k.to_string());
                        }
                        if before
                            .as_ref()
                            .map_or(v.ret.is_some() || v.ret_object.is_some(), |b| {
                                b.ret.is_some() != v.ret.is_some() || b.ret_object != v.ret_object
                            })
                        {
                            changed_ret.insert(k.to_string());
                        }
                        sums.keys.push(k.clone());
                        next.insert(k, trivial.share(v));
                    }
                    let mut f = f;
                    f.shrink_to_fit();
                    found[i] = f;
                    directives[i] = dirs;
                    cache[i] = Some(sums);
                }
                Err(reason) => {
                    cache[i] = None;
                    found[i].clear();
                    known[i] = false;
                    types_dirty = true;
                    files.drop_failed(i, reason);
                }
            }
        }
        let mut wanted = std::collections::BTreeSet::new();
        let mut now_demanded = std::collections::BTreeSet::new();
        for sums in cache.iter().flatten() {
            wanted.extend(sums.wanted.iter().copied());
            now_demanded.extend(sums.demanded.iter().cloned());
        }
        // Files that call a function returning health data are needed too, and files that
        // name a project health-record type (a service that loads `Visit`s).
        wanted.extend(callers_of_sources(files, &next, &all_modules, &known));
        wanted.extend(users.iter().copied().filter(|&i| !known[i]));
        demand_changed = now_demanded
            .symmetric_difference(&project.demanded)
            .cloned()
            .collect();
        demanded = now_demanded;
        let mut wanted: Vec<usize> = wanted
            .into_iter()
            .filter(|&i| !known[i] && !tried.get(i).copied().unwrap_or(true) && files.can_parse(i))
            .collect();
        // Field data stored by callers, first writer (in file order) first.
        let mut now_fields = super::summary::FieldData::new();
        for sums in cache.iter().flatten() {
            for (class, fields) in &sums.field_data {
                let into = now_fields.entry(class.clone()).or_default();
                for (f, d) in fields {
                    into.entry(f.clone()).or_insert_with(|| d.clone());
                }
            }
        }
        changed_classes = now_fields
            .iter()
            .filter(|(c, f)| {
                project
                    .field_data
                    .get(*c)
                    .is_none_or(|old| !old.keys().eq(f.keys()))
            })
            .map(|(c, _)| c.clone())
            .collect();
        // Subclasses (and Rust impl blocks) in files not parsed yet see those fields too.
        if !changed_classes.is_empty() {
            for i in subclass_files(files, &changed_classes, &known) {
                if !wanted.contains(&i) && !tried.get(i).copied().unwrap_or(true) {
                    wanted.push(i);
                }
            }
            wanted.sort_unstable();
        }
        field_data = now_fields;
        let converged =
            changed_keys.is_empty() && demand_changed.is_empty() && changed_classes.is_empty();
        if std::env::var_os("HEALTHFLOW_DEBUG_ROUNDS").is_some() {
            eprintln!(
                "round {round}: {} known, {} analysed, {} summaries, {} demanded, {} wanted, converged {converged}; index {:?}; {}",
                known.iter().filter(|k| **k).count(),
                todo.len(),
                next.len(),
                demanded.len(),
                wanted.len(),
                project.index.sizes(),
                memory_status()
            );
        }
        index = project.index;
        health_types = project.health_types;
        store_types = project.store_types;
        field_urls = project.field_urls;
        constants = project.constants;
        object_fields = project.object_fields;
        declared_fields = project.declared_fields;
        type_files = project.type_files;
        summaries = next;
        if round > 0 && newly_parsed.is_empty() {
            level += 1;
        }
        if (converged && wanted.is_empty()) || level >= max_call_depth {
            break;
        }
        for &i in &wanted {
            tried[i] = true;
        }
        files.parse(&wanted);
        newly_parsed = wanted;
    }
    Outcome {
        findings: found,
        directives,
        summaries: cache,
    }
}

/// Unparsed files that derive from (or implement) a class whose fields callers fill with
/// health data: `class LlmOpenai(LlmBase)`, `impl Reminder`.
fn subclass_files(files: &impl Files, classes: &[String], known: &[bool]) -> Vec<usize> {
    let names: Vec<&str> = classes
        .iter()
        .filter_map(|c| c.rsplit('.').next())
        .filter(|n| !n.is_empty())
        .collect();
    (0..files.count())
        .filter(|&i| !known[i])
        .filter(|&i| {
            files
                .source(i)
                .is_some_and(|src| names.iter().any(|n| files.lang(i).may_extend(&src, n)))
        })
        .collect()
}

/// Files (in order) that name one of these types as a whole identifier: they may read, hold
/// or pass its records without a health word of their own.
fn users_of_types(files: &impl Files, types: &[&str]) -> Vec<usize> {
    if types.is_empty() {
        return Vec::new();
    }
    let Ok(ac) = aho_corasick::AhoCorasick::new(types) else {
        return Vec::new();
    };
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
    (0..files.count())
        .filter(|&i| {
            files.source(i).is_some_and(|src| {
                let src = &*src;
                ac.find_overlapping_iter(src).any(|m| {
                    !ident(src[..m.start()].chars().next_back())
                        && !ident(src[m.end()..].chars().next())
                })
            })
        })
        .collect()
}

/// Unparsed files that mention a function which returns health data by itself: they may
/// call it, and so hold health data without naming any.
fn callers_of_sources(
    files: &impl Files,
    summaries: &super::summary::Summaries,
    all_modules: &super::summary::ModuleMap,
    known: &[bool],
) -> Vec<usize> {
    // (function name, the last segment of its module's name): a caller names both, in its
    // call and in its import.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, s) in summaries {
        if s.ret.is_none() {
            continue;
        }
        let Some((_, name)) = key.rsplit_once('.') else {
            continue;
        };
        // The longest prefix of the key that names a parsed module.
        let mut head: &str = key;
        let mut tail = None;
        while let Some((h, _)) = head.rsplit_once('.') {
            if all_modules.values().any(|m| {
                m.get(h)
                    .is_some_and(|&i| known.get(i).copied().unwrap_or(false))
            }) {
                tail = h.rsplit('.').next();
                break;
            }
            head = h;
        }
        if let Some(tail) = tail {
            pairs.push((name.to_string(), tail.to_string()));
        }
    }
    pairs.sort();
    pairs.dedup();
    if pairs.is_empty() {
        return Vec::new();
    }
    (0..files.count())
        .filter(|&i| !known[i])
        .filter(|&i| {
            files.source(i).is_some_and(|src| {
                pairs
                    .iter()
                    .any(|(name, tail)| src.contains(name.as_str()) && src.contains(tail.as_str()))
            })
        })
        .collect()
}

/// The process's resident memory now and at its peak, where the system tells it (debug output).
fn memory_status() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .map(|s| {
            s.lines()
                .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}
