//! Fingerprints that let a finding be recognised after the code around it changes.
//!
//! - `healthflow/v1` ([`Finding::fingerprint`]): a hash of the rule id, the file path, the
//!   tokens of the sink expression and of the source expression (tree-sitter leaves, see
//!   [`tokens`]), and the finding's occurrence index among findings with the same four values
//!   in that file. Line numbers, layout, trailing commas, redundant parentheses, quote style
//!   and comments are not part of it, so formatters (black, ruff format, rustfmt), edits above
//!   the finding and changes to unrelated code keep it; baselines match on it.
//! - The legacy fingerprint (baselines written before tokens): the same hash over the text of
//!   the expressions with whitespace collapsed ([`legacy_key`]). Baselines still accept it, so
//!   they keep working until `--write-baseline` rewrites them.
//! - `primaryLocationLineHash` ([`line_hashes`]): GitHub code scanning's rolling hash over the
//!   text starting at the finding's line, computed the way its upload action computes it, so the
//!   action keeps ours instead of recomputing it.

use crate::finding::Finding;
use rustc_hash::FxHashMap as HashMap;
use sha2::{Digest, Sha256};

/// The partial-fingerprint key under which SARIF results carry [`Finding::fingerprint`].
pub const HEALTHFLOW_V1: &str = "healthflow/v1";

/// Whitespace runs collapsed to one space, ends trimmed.
pub fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn span_text(source: &str, start: u32, end: u32) -> Option<&str> {
    let (s, e) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
    if s >= e {
        return None;
    }
    source.get(s..e)
}

/// Separates the token key from the legacy key while both sit in [`Finding::fingerprint`].
const LEGACY_SEP: char = '\u{1e}';

/// The layout-independent text of the bytes `start..end` of `source`: the tree-sitter leaves
/// inside the range, joined by one space, without comments, trailing commas (before a
/// closing bracket or at the end), parentheses that only group an expression, and with string
/// literals reduced to their prefix (lower case) and their text without quotes, backslashes
/// and white space. `None` when the range is empty or holds no token.
pub fn tokens(
    lang: crate::lang::Lang,
    tree: &tree_sitter::Tree,
    source: &str,
    start: u32,
    end: u32,
) -> Option<String> {
    let (strings, grouping) = lang.token_kinds();
    let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
    if start >= end {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.end_byte() <= start || node.start_byte() >= end {
            continue;
        }
        let kind = node.kind();
        if kind.contains("comment") {
            continue;
        }
        let whole = node.start_byte() >= start && node.end_byte() <= end;
        let string = strings.contains(&kind);
        if whole && (string || node.child_count() == 0) {
            let Some(text) = source.get(node.start_byte()..node.end_byte()) else {
                continue;
            };
            if string {
                out.push(
                    text.chars()
                        .filter(|c| !matches!(c, '\'' | '"' | '\\') && !c.is_whitespace())
                        .flat_map(char::to_lowercase)
                        .collect(),
                );
            } else if !(matches!(kind, "(" | ")")
                && node.parent().is_some_and(|p| p.kind() == grouping))
            {
                out.push(text.to_string());
            }
            continue;
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    let mut kept: Vec<String> = Vec::with_capacity(out.len());
    for (i, t) in out.iter().enumerate() {
        let next = out.get(i + 1).map(String::as_str);
        if t == "," && next.is_none_or(|n| matches!(n, ")" | "]" | "}")) {
            continue;
        }
        kept.push(t.clone());
    }
    (!kept.is_empty()).then(|| kept.join(" "))
}

/// The tokens of `source[start..end]`, parsed on its own (wrapped so that it parses): the
/// fragment is small, so a finding costs a few hundred bytes of parsing, not its file's.
pub fn fragment_tokens(
    lang: crate::lang::Lang,
    source: &str,
    start: u32,
    end: u32,
) -> Option<String> {
    let text = span_text(source, start, end)?;
    // A dotted name (`patient.diagnosis`, `self.x.0`) has no layout to lose: its tokens are
    // its names and dots, as the parser would give them.
    if text.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        && !text.ends_with('.')
        && !text.contains("..")
    {
        return Some(text.split('.').collect::<Vec<_>>().join(" . "));
    }
    let (tree, wrapped, from, to) = lang.parse_fragment(text)?;
    tokens(lang, &tree, &wrapped, from, to)
}

/// Token strings already computed, by file and byte range.
pub type TokenCache = HashMap<(crate::finding::FilePath, u32, u32), Option<String>>;

/// The key of a finding (see the module comment) followed by its legacy key, from the text of
/// the file it was found in, reusing tokens of ranges seen before (a call that fires two
/// rules, a source that reaches several sinks). The scan stores it in [`Finding::fingerprint`]
/// until [`assign`] replaces it with the hash.
pub fn key(f: &Finding, source: &str, lang: crate::lang::Lang, cache: &mut TokenCache) -> String {
    let mut toks = |start: u32, end: u32| {
        cache
            .entry((f.path.clone(), start, end))
            .or_insert_with(|| fragment_tokens(lang, source, start, end))
            .clone()
    };
    let sink = toks(f.span.start_byte, f.span.end_byte).unwrap_or_else(|| normalize(&f.snippet));
    let origin = origin(f, toks);
    format!(
        "{}\u{1f}{}\u{1f}{sink}\u{1f}{origin}{LEGACY_SEP}{}",
        f.rule.id(),
        f.path,
        legacy_key(f, source)
    )
}

/// The key of fingerprints before tokens: the expressions' text, whitespace collapsed.
pub fn legacy_key(f: &Finding, source: &str) -> String {
    let sink = span_text(source, f.span.start_byte, f.span.end_byte)
        .map(normalize)
        .unwrap_or_else(|| normalize(&f.snippet));
    let origin = origin(f, |start, end| span_text(source, start, end).map(normalize));
    format!("{}\u{1f}{}\u{1f}{sink}\u{1f}{origin}", f.rule.id(), f.path)
}

/// The key part of a finding's first source: its code as `code_of` renders the range when it
/// is in the sink's file, else its file and message.
fn origin(f: &Finding, mut code_of: impl FnMut(u32, u32) -> Option<String>) -> String {
    f.flows
        .first()
        .and_then(|flow| flow.first())
        .map(|step| {
            if step.path == f.path {
                code_of(step.span.start_byte, step.span.end_byte)
                    .unwrap_or_else(|| step.message.to_string())
            } else {
                format!("{}\u{1f}{}", step.path, step.message)
            }
        })
        .unwrap_or_default()
}

fn hash(key: &str, n: u32) -> String {
    let mut h = Sha256::new();
    h.update(b"healthflow/v1\0");
    h.update(key.as_bytes());
    h.update(format!("\0{n}").as_bytes());
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Replaces every finding's key with its `healthflow/v1` hash and returns, for each finding,
/// its legacy fingerprint (empty when it has none). `findings` must be in report order: the
/// occurrence index counts equal keys in that order. A finding without a key (built by hand)
/// is keyed by its snippet.
pub fn assign(findings: &mut [Finding]) -> Vec<String> {
    let mut seen: HashMap<String, u32> = HashMap::default();
    let mut seen_legacy: HashMap<String, u32> = HashMap::default();
    let mut legacy = Vec::with_capacity(findings.len());
    for f in findings.iter_mut() {
        let key = if f.fingerprint.is_empty() {
            format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}",
                f.rule.id(),
                f.path,
                normalize(&f.snippet)
            )
        } else {
            std::mem::take(&mut f.fingerprint)
        };
        let (key, old) = match key.split_once(LEGACY_SEP) {
            Some((k, o)) => (k.to_string(), Some(o.to_string())),
            None => (key, None),
        };
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        f.fingerprint = hash(&key, *n);
        legacy.push(match old {
            Some(o) => {
                let n = seen_legacy.entry(o.clone()).or_insert(0);
                *n += 1;
                hash(&o, *n)
            }
            None => String::new(),
        });
    }
    legacy
}

const BLOCK: usize = 100;
const MULT: u64 = 37;
const EOF: u64 = 65535;

/// GitHub's `primaryLocationLineHash` of every line of `text`: element `i` is the value for
/// line `i + 1`, as `<hex>:<n>` where `n` counts earlier lines with the same hash.
///
/// The hash of a line is a polynomial rolling hash (base 37, wrapping 64-bit) over the
/// [`BLOCK`] UTF-16 code units that start at the line, with spaces and tabs skipped and line
/// breaks (`\r\n`, `\r`, `\n`) read as `\n`; code units past the end count as zero.
pub fn line_hashes(text: &str) -> Vec<String> {
    let top = (0..BLOCK).fold(1u64, |acc, _| acc.wrapping_mul(MULT));
    let mut window = [0u64; BLOCK];
    // The line that starts at each window position, if one does.
    let mut starts: [Option<usize>; BLOCK] = [None; BLOCK];
    let mut out: Vec<String> = Vec::new();
    let mut counts: HashMap<u64, u32> = HashMap::default();
    let mut hash = 0u64;
    let mut pos = 0usize;
    let mut line = 0usize;
    let mut at_line_start = true;
    let mut after_cr = false;

    let mut emit = |starts: &mut [Option<usize>; BLOCK], pos: usize, hash: u64| {
        if let Some(l) = starts[pos].take() {
            let n = counts.entry(hash).or_insert(0);
            *n += 1;
            if out.len() < l {
                out.resize(l, String::new());
            }
            out[l - 1] = format!("{hash:x}:{n}");
        }
    };
    let roll = |window: &mut [u64; BLOCK], pos: &mut usize, hash: &mut u64, c: u64| {
        let leaving = window[*pos];
        window[*pos] = c;
        *hash = MULT
            .wrapping_mul(*hash)
            .wrapping_add(c)
            .wrapping_sub(top.wrapping_mul(leaving));
        *pos = (*pos + 1) % BLOCK;
    };

    let units = text
        .encode_utf16()
        .map(u64::from)
        .chain(std::iter::once(EOF));
    for mut c in units {
        if c == u64::from(b' ') || c == u64::from(b'\t') || (after_cr && c == u64::from(b'\n')) {
            after_cr = false;
            continue;
        }
        after_cr = c == u64::from(b'\r');
        if after_cr {
            c = u64::from(b'\n');
        }
        emit(&mut starts, pos, hash);
        if at_line_start {
            at_line_start = false;
            line += 1;
            starts[pos] = Some(line);
        }
        if c == u64::from(b'\n') {
            at_line_start = true;
        }
        roll(&mut window, &mut pos, &mut hash, c);
    }
    for _ in 0..BLOCK {
        emit(&mut starts, pos, hash);
        roll(&mut window, &mut pos, &mut hash, 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values: the rolling hash evaluated directly from its definition.
    fn direct(units: &[u64], start: usize) -> u64 {
        let mut h = 0u64;
        for i in 0..BLOCK {
            let c = units.get(start + i).copied().unwrap_or(0);
            h = h.wrapping_mul(MULT).wrapping_add(c);
        }
        h
    }

    #[test]
    fn rolling_hash_matches_its_definition() {
        let text = "def f(patient):\n    logger.info(patient.diagnosis)\n\n\treturn 1\r\nx = 2";
        let hashes = line_hashes(text);
        // The stream the hash reads: blanks dropped, CRLF as LF, then the end marker.
        let mut units = Vec::new();
        let mut line_starts = Vec::new();
        let mut start = true;
        let chars: Vec<u64> = text.encode_utf16().map(u64::from).collect();
        let mut i = 0;
        while i < chars.len() {
            let mut c = chars[i];
            i += 1;
            if c == 32 || c == 9 {
                continue;
            }
            if c == 13 {
                c = 10;
                if chars.get(i) == Some(&10) {
                    i += 1;
                }
            }
            if start {
                line_starts.push(units.len());
                start = false;
            }
            if c == 10 {
                start = true;
            }
            units.push(c);
        }
        units.push(EOF);
        assert_eq!(hashes.len(), line_starts.len());
        for (l, s) in line_starts.iter().enumerate() {
            let h = direct(&units, *s);
            assert!(
                hashes[l].starts_with(&format!("{h:x}:")),
                "line {}: {} vs {h:x}",
                l + 1,
                hashes[l]
            );
        }
    }

    #[test]
    fn identical_lines_are_counted() {
        let hashes = line_hashes("a\na\n");
        // "a\na\n" and "a\n" followed by the end marker differ, so both are first occurrences.
        assert!(hashes[0].ends_with(":1") && hashes[1].ends_with(":1"));
        let blank = line_hashes("\n\n");
        assert_eq!(blank.len(), 3);
    }

    #[test]
    fn whitespace_does_not_change_the_line_hash() {
        let a = line_hashes("x = f(a,b)\n");
        let b = line_hashes("x  =  f(a, b)\n");
        assert_eq!(a, b);
    }

    fn python_tokens(text: &str, needle: &str) -> String {
        let tree = crate::lang::Lang::by_name("python")
            .expect("registered")
            .parse(text)
            .expect("parses");
        let start = text.find(needle).expect("needle") as u32;
        let end = text.rfind(')').expect("call") as u32 + 1;
        tokens(
            crate::lang::Lang::by_name("python").expect("registered"),
            &tree,
            text,
            start,
            end,
        )
        .expect("tokens")
    }

    #[test]
    fn dotted_names_tokenise_as_the_parser_does() {
        for lang in crate::lang::Lang::all() {
            for text in ["patient.diagnosis", "self.x.prompts", "record", "a.b_c.d2"] {
                let fast = fragment_tokens(lang, text, 0, text.len() as u32);
                let (tree, wrapped, from, to) = lang.parse_fragment(text).expect("parses");
                let slow = tokens(lang, &tree, &wrapped, from, to);
                assert_eq!(fast, slow, "{lang:?} {text}");
            }
        }
    }

    #[test]
    fn tokens_ignore_layout_comments_trailing_commas_and_quotes() {
        let a = python_tokens("logger.info('visit %s', patient.diagnosis)\n", "logger");
        let b = python_tokens(
            "logger.info(\n    \"visit %s\",  # why\n    (patient.diagnosis),\n)\n",
            "logger",
        );
        assert_eq!(a, b);
        assert_ne!(
            a,
            python_tokens("logger.info('visit', patient.name)\n", "logger")
        );
    }

    #[test]
    fn normalises_whitespace() {
        assert_eq!(normalize("  a(\n   b,\tc )  "), "a( b, c )");
    }
}
