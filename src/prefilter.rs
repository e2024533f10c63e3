//! A literal prefilter run before tree-sitter: most files of most repositories mention no
//! health term at all, and a file that cannot produce a finding need not be parsed.
//!
//! It is built from the same catalog the engine uses, so it cannot drift from it: a file
//! passes when it contains, at a word boundary as the classifier splits names, any word that
//! can make a name health data (strong terms, patient contexts, direct identifiers, SQL
//! tables), a patient-context type name, a module that health sources or emotion APIs come
//! from, an HL7 header, or a digit run that could be a hard-coded identifier. Files with
//! non-ASCII text always pass (accents are folded by the classifier, not here).

use crate::classify::ids::IdKind;
use crate::patterns::Catalog;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

pub struct Prefilter {
    /// Every literal the prefilter looks for (words, call anchors, HL7 needles, type names),
    /// lower-cased, in one case-insensitive automaton: one pass over a file's bytes.
    needles: AhoCorasick,
    /// Per needle: what finding it means for the file, and how it must occur.
    kinds: Vec<Vec<Needle>>,
    /// Modules whose types are never health records (`threading`, `asyncio`, `typing`).
    non_health: Vec<String>,
    /// The start of a SQL query string (the engine only reads strings that begin so).
    sql_start: regex::bytes::Regex,
    /// `WITH name [(columns)] AS (` at the start of a string: a CTE, not prose.
    cte_as: regex::bytes::Regex,
    /// The word FROM, which every query the engine reads has.
    sql_from: regex::bytes::Regex,
    /// Health table names, which only matter in a file with a SQL `SELECT`.
    sql_tables: AhoCorasick,
    ids: regex::bytes::Regex,
    /// Words a weak identifier's line must contain (`identifier_hints` in the lexicon).
    id_hints: Vec<String>,
    /// Set when the automata could not be built: every file passes.
    pass_all: bool,
}

/// What a literal found in a file means.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Needle {
    /// A health word, at word boundaries.
    Word,
    /// A piece of a catalog call; `whole`: only as a whole identifier.
    Anchor { whole: bool },
    /// A case-sensitive needle of HL7 messages (`MSH|`), anywhere.
    Exact(String),
    /// A health-record type name (`Patient`, `Condition`), case-sensitive, as a whole
    /// identifier not qualified by, imported from or declared as something else.
    Type(String),
}

impl std::fmt::Debug for Prefilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prefilter")
    }
}

/// How far after its opening quote a query string's table may be: the engine reads strings
/// under 20,000 bytes; the rest is room for the quotes, comments and layout between the
/// pieces of a concatenated literal.
const SQL_WINDOW: usize = 40_000;

/// Words too common to stand for a phrase (`nhs number` is found by `nhs`).
const COMMON: &[&str] = &[
    "number",
    "numbers",
    "id",
    "no",
    "code",
    "data",
    "info",
    "information",
    "record",
    "records",
    "status",
    "result",
    "results",
    "test",
    "note",
    "notes",
    "plan",
    "group",
    "type",
    "rate",
    "health",
    "care",
    "list",
    "file",
    "value",
    "values",
    "report",
    "history",
    "national",
    "de",
    "en",
    "of",
    "identifier",
    "member",
    "body",
    "mass",
    "progress",
    "profile",
    "diagnostic",
    "signs",
    "orientation",
    "card",
    "numero",
    "saturation",
    "fingerprint",
    "embedding",
    "self",
    "template",
    "stay",
    "index",
    "scan",
    "request",
    "statement",
    "study",
    "summary",
    "face",
    "ins",
];

/// A literal piece a call pattern cannot match without (every piece of a call's path is
/// text of the file): its longest run of characters free of wildcards and separators.
fn anchor(pattern: &str, common: &[String]) -> Option<(String, bool)> {
    let pieces: Vec<&str> = pattern
        .split(['.', '(', ')', '!', '*', '?'])
        .filter(|p| p.len() >= 3)
        .collect();
    let piece = pieces
        .iter()
        .filter(|p| !common.iter().any(|c| c.eq_ignore_ascii_case(p)))
        .max_by_key(|p| p.len())
        .or_else(|| pieces.iter().max_by_key(|p| p.len()))?;
    // A whole segment of the call path (`parse_message` of `hl7apy.parser.parse_message`) is
    // a whole identifier in the code; one next to a wildcard (`*pseudonymi?e*`) is not.
    let at = pattern.find(piece).unwrap_or(0);
    let wild = |c: Option<char>| matches!(c, Some('*' | '?'));
    let whole = !wild(pattern[..at].chars().next_back())
        && !wild(pattern[at + piece.len()..].chars().next());
    Some((piece.to_ascii_lowercase(), whole))
}

impl Prefilter {
    pub fn new(catalog: &Catalog) -> Prefilter {
        let lex = &catalog.lexicon;
        // Weak words and count words are everywhere; a phrase is found by its other words.
        let mut common: Vec<String> = COMMON.iter().map(|s| s.to_string()).collect();
        common.extend(lex.generic_words.words.iter().cloned());
        for c in &lex.category {
            common.extend(c.weak.iter().flat_map(|w| crate::classify::words(w)));
        }
        common.extend(
            lex.negative
                .count_words
                .iter()
                .flat_map(|w| crate::classify::words(w)),
        );
        let mut words: Vec<String> = Vec::new();
        let mut phrase = |p: &str| {
            // Every word of a phrase must appear: take the longest that is not a common word.
            let ws = crate::classify::words(p);
            match ws
                .iter()
                .filter(|w| !common.contains(w))
                .max_by_key(|w| w.len())
            {
                Some(w) => words.push(w.clone()),
                // Only common words (`health data`): the whole phrase, as names write it.
                None if ws.len() > 1 => {
                    for sep in ["_", "-", " ", ""] {
                        words.push(ws.join(sep));
                    }
                }
                None => words.extend(ws.first().cloned()),
            }
        };
        for c in &lex.category {
            c.strong.iter().for_each(|s| phrase(s));
        }
        lex.context.names.iter().for_each(|s| phrase(s));
        lex.direct_identifiers
            .phrases
            .iter()
            .for_each(|s| phrase(s));
        let code_common = &lex.call_pieces.common;
        let mut anchors: Vec<(String, bool)> = Vec::new();
        for lang in catalog.langs() {
            for s in &lang.file.source {
                anchors.extend(s.calls.iter().filter_map(|c| anchor(c, code_common)));
            }
            for s in &lang.file.emotion {
                // A call that fires only with one of some literals needs one of them in the
                // file: those stand for a call whose own pieces are all common (`*.path().post`
                // with "emotion").
                let literals =
                    !s.literal_any.is_empty() && s.literal_any.iter().all(|l| l.len() >= 5);
                for c in &s.calls {
                    match anchor(c, code_common) {
                        Some(a) if !(literals && code_common.contains(&a.0)) => anchors.push(a),
                        _ if literals => anchors.extend(
                            s.literal_any
                                .iter()
                                .map(|l| (l.to_ascii_lowercase(), false)),
                        ),
                        a => anchors.extend(a),
                    }
                }
            }
        }
        // One entry per text; a text anchored anywhere once is anchored anywhere.
        anchors.sort();
        anchors.dedup_by(|later, first| later.0 == first.0);
        words.extend(
            lex.messages
                .record_phrases
                .iter()
                .map(|p| p.to_ascii_lowercase()),
        );
        words.sort();
        words.dedup();
        let mut exact: Vec<String> = lex.messages.starts_with.clone();
        exact.extend(lex.messages.contains.iter().cloned());
        // One needle per lower-cased text, with every meaning it has.
        let mut needles: std::collections::BTreeMap<String, Vec<Needle>> = Default::default();
        let mut add = |text: &str, kind: Needle| {
            needles
                .entry(text.to_ascii_lowercase())
                .or_default()
                .push(kind)
        };
        words.iter().for_each(|w| add(w, Needle::Word));
        for (a, whole) in &anchors {
            add(a, Needle::Anchor { whole: *whole });
        }
        exact.iter().for_each(|e| add(e, Needle::Exact(e.clone())));
        for t in &lex.context.types {
            add(t, Needle::Type(t.clone()));
        }
        let (needle_texts, kinds): (Vec<String>, Vec<Vec<Needle>>) = needles
            .into_iter()
            .map(|(t, mut k)| {
                k.sort();
                k.dedup();
                (t, k)
            })
            .unzip();
        let mut tables: Vec<String> = lex
            .sql
            .tables
            .iter()
            .map(|t| crate::classify::words(t).join(" "))
            .collect();
        tables.sort();
        tables.dedup();
        // Full DFAs: every file's bytes go through these, with overlapping searches, which
        // an NFA answers several times slower (its failure transitions are taken per byte).
        let build = |pats: &[String], ci: bool| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(ci)
                .match_kind(MatchKind::Standard)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(pats)
        };
        // Runs of characters a hard-coded identifier is written with; each is validated.
        let ids = regex::bytes::Regex::new(r"[0-9][0-9 _\-ABab]{8,24}[0-9]|[1-9][0-9A-Z\-]{10,12}");
        // A query string starts with SELECT, or is a CTE, WITH … AS ( (see
        // `Classifier::sql_reads_health`).
        let sql_start = regex::bytes::Regex::new(r#"(?i)["'`]\s*(select|with)\b"#);
        // The CTE's name (and columns) then `AS (` right after the WITH, across the quotes and
        // `+` of a concatenated literal.
        let cte_as = regex::bytes::Regex::new(
            r#"(?i)^["'`]\s*with[\s"'`+\\]+(recursive[\s"'`+\\]+)?[a-z_][a-z0-9_]*[\s"'`+\\]*(\([^)]*\)[\s"'`+\\]*)?as[\s"'`+\\]*\("#,
        );
        let sql_from = regex::bytes::Regex::new(r"(?i)[^a-z0-9_]from[^a-z0-9_]");
        // Building from the embedded catalog cannot fail; should a user extension ever make
        // it fail, the prefilter lets every file through rather than risk a missed finding.
        match (
            build(&needle_texts, true),
            build(&tables, true),
            ids,
            sql_start,
            cte_as,
            sql_from,
        ) {
            (Ok(needles), Ok(sql_tables), Ok(ids), Ok(sql_start), Ok(cte_as), Ok(sql_from)) => {
                Prefilter {
                    needles,
                    kinds,
                    non_health: lex.context.non_health_modules.clone(),
                    sql_start,
                    cte_as,
                    sql_from,
                    sql_tables,
                    ids,
                    id_hints: lex.identifier_hints.words.clone(),
                    pass_all: false,
                }
            }
            _ => Prefilter::pass_all(),
        }
    }

    fn pass_all() -> Prefilter {
        let none = AhoCorasick::new(Vec::<&str>::new()).unwrap_or_else(|_| unreachable_automaton());
        Prefilter {
            needles: none.clone(),
            kinds: Vec::new(),
            non_health: Vec::new(),
            sql_start: regex::bytes::Regex::new("$^").unwrap_or_else(|_| unreachable_regex()),
            cte_as: regex::bytes::Regex::new("$^").unwrap_or_else(|_| unreachable_regex()),
            sql_from: regex::bytes::Regex::new("$^").unwrap_or_else(|_| unreachable_regex()),
            sql_tables: none,
            ids: regex::bytes::Regex::new("$^").unwrap_or_else(|_| unreachable_regex()),
            id_hints: Vec::new(),
            pass_all: true,
        }
    }

    /// Whether `src` may produce a finding. `false` means it certainly cannot.
    pub fn may_match(&self, src: &str) -> bool {
        if self.pass_all {
            return true;
        }
        if src.is_ascii() {
            return self.ascii_may_match(src.as_bytes());
        }
        self.ascii_may_match(fold(src).as_bytes())
    }

    /// Why a file passes (for measuring the prefilter): the stage and the matched text.
    #[doc(hidden)]
    pub fn explain(&self, src: &str) -> Option<(&'static str, String)> {
        let folded = fold(src);
        let b = folded.as_bytes();
        if let Some((stage, s, e)) = self.first_needle(b) {
            return Some((stage, String::from_utf8_lossy(&b[s..e]).into_owned()));
        }
        if self.ascii_may_match(b) {
            return Some(("sql-or-id", String::new()));
        }
        None
    }

    /// The first literal in `b` that lets the file through: its stage and where it is.
    fn first_needle(&self, b: &[u8]) -> Option<(&'static str, usize, usize)> {
        let mut file_level: Vec<(&[u8], bool)> = Vec::new();
        for m in self.needles.find_overlapping_iter(b) {
            let (s, e) = (m.start(), m.end());
            let Some(kinds) = self.kinds.get(m.pattern().as_usize()) else {
                continue;
            };
            if on_comment_line(b, s) {
                continue;
            }
            for k in kinds {
                let (stage, hit) = match k {
                    Needle::Word => ("word", at_word_start(b, s) && at_word_end(b, e)),
                    Needle::Anchor { whole } => (
                        "anchor",
                        !whole
                            || ((s == 0 || !is_ident(b[s - 1]))
                                && b.get(e).is_none_or(|&c| !is_ident(c))),
                    ),
                    Needle::Exact(t) => ("exact", &b[s..e] == t.as_bytes()),
                    Needle::Type(t) => (
                        "type",
                        &b[s..e] == t.as_bytes() && self.type_occurs(b, s, e, &mut file_level),
                    ),
                };
                if hit {
                    return Some((stage, s, e));
                }
            }
        }
        None
    }

    /// A query string naming a health table: a string that starts with SELECT (or WITH, with
    /// an `AS (` after it) and a table word within [`SQL_WINDOW`] bytes, the most one string
    /// expression can span.
    fn sql_may_match(&self, b: &[u8]) -> bool {
        self.sql_start.captures_iter(b).any(|c| {
            let Some(m) = c.get(0) else {
                return false;
            };
            // `'select'` alone: a string that is just the keyword is not a query.
            let quote = b[m.start()];
            if b.get(m.end()) == Some(&quote) {
                return false;
            }
            let window = &b[m.start()..b.len().min(m.start() + SQL_WINDOW)];
            // The engine reads a query only with a FROM clause.
            if !self.sql_from.is_match(window) {
                return false;
            }
            let is_with = c
                .get(1)
                .is_some_and(|k| k.as_bytes().eq_ignore_ascii_case(b"with"));
            if is_with && !self.cte_as.is_match(&window[..window.len().min(400)]) {
                return false;
            }
            self.sql_tables.find_overlapping_iter(window).any(|t| {
                at_word_start(window, t.start())
                    && at_word_end(window, t.end())
                    && names_table(window, t.start())
            })
        })
    }

    /// A health-record type name at `b[s..e]` as the engine reads one: a whole identifier,
    /// not qualified by a non-health module (`threading.Condition`), not imported from one on
    /// a one-line import, not a type the file declares itself. `file_level` remembers, per
    /// name, whether the file declares or imports it from elsewhere.
    fn type_occurs<'b>(
        &self,
        b: &'b [u8],
        s: usize,
        e: usize,
        file_level: &mut Vec<(&'b [u8], bool)>,
    ) -> bool {
        let non_health = |q: &[u8]| self.non_health.iter().any(|m| m.as_bytes() == q);
        if (s > 0 && is_ident(b[s - 1])) || b.get(e).is_some_and(|&c| is_ident(c)) {
            return false;
        }
        // Every qualifier of the path (`tokio::sync::Condition`, `a.threading.Condition`).
        let mut at = s;
        loop {
            let sep = if at > 1 && &b[at - 2..at] == b"::" {
                2
            } else if at > 0 && b[at - 1] == b'.' {
                1
            } else {
                break;
            };
            let q = ident_before(b, at - sep);
            if q.is_empty() {
                break;
            }
            if non_health(q) {
                return false;
            }
            at -= sep + q.len();
        }
        let name = &b[s..e];
        let elsewhere = match file_level.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => *v,
            None => {
                let v = declares(b, name) || self.imported_from_non_health(b, name);
                file_level.push((name, v));
                v
            }
        };
        !elsewhere
    }

    /// `from threading import Condition` / `use tokio::sync::Notify` on one line.
    fn imported_from_non_health(&self, b: &[u8], name: &[u8]) -> bool {
        b.split(|&c| c == b'\n').any(|line| {
            let t = line.trim_ascii_start();
            let rest = t
                .strip_prefix(b"from ")
                .or_else(|| t.strip_prefix(b"use "))
                .or_else(|| t.strip_prefix(b"pub use "));
            let Some(rest) = rest else {
                return false;
            };
            let root_len = rest
                .iter()
                .position(|&c| !is_ident(c))
                .unwrap_or(rest.len());
            if !self
                .non_health
                .iter()
                .any(|m| m.as_bytes() == &rest[..root_len])
            {
                return false;
            }
            let mut from = 0;
            while let Some(i) = find(&line[from..], name) {
                let (s, e) = (from + i, from + i + name.len());
                if (s == 0 || !is_ident(line[s - 1])) && line.get(e).is_none_or(|&c| !is_ident(c)) {
                    return true;
                }
                from = s + 1;
            }
            false
        })
    }

    fn ascii_may_match(&self, b: &[u8]) -> bool {
        if self.first_needle(b).is_some() || self.sql_may_match(b) {
            return true;
        }
        self.ids.find_iter(b).any(|m| {
            let run = String::from_utf8_lossy(m.as_bytes()).replace('_', "");
            match crate::classify::ids::classify_literal(&run) {
                None => false,
                Some(IdKind::Nir | IdKind::Mbi) => true,
                // The engine wants a hint word on the line for these (see `identifier_hints`).
                Some(IdKind::NhsNumber | IdKind::Npi) => {
                    let start = b[..m.start()]
                        .iter()
                        .rposition(|&c| c == b'\n')
                        .map_or(0, |i| i + 1);
                    let end = b[m.end()..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(b.len(), |i| m.end() + i);
                    let mut line = String::from_utf8_lossy(&b[start..m.start()]).into_owned();
                    line.push(' ');
                    line.push_str(&String::from_utf8_lossy(&b[m.end()..end]));
                    crate::classify::words(&line)
                        .iter()
                        .any(|w| self.id_hints.iter().any(|h| h == w))
                }
            }
        })
    }
}

/// Fold accents as the classifier does; other non-ASCII characters become spaces (a
/// boundary), which can only let more files through.
fn fold(src: &str) -> std::borrow::Cow<'_, str> {
    if src.is_ascii() {
        return std::borrow::Cow::Borrowed(src);
    }
    std::borrow::Cow::Owned(
        src.chars()
            .map(|c| {
                let f = crate::classify::fold_accent(c);
                if f.is_ascii() {
                    f
                } else {
                    ' '
                }
            })
            .collect(),
    )
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether the identifier holding byte `at` comes where a query names a table: after FROM or
/// JOIN, with at most one other name (a schema, an alias) between, as the engine reads it.
fn names_table(b: &[u8], at: usize) -> bool {
    let sep =
        |c: u8| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b'[' | b']' | b'.');
    let mut i = at - ident_before(b, at).len();
    for _ in 0..2 {
        while i > 0 && sep(b[i - 1]) {
            i -= 1;
        }
        let word = ident_before(b, i);
        if word.eq_ignore_ascii_case(b"from") || word.eq_ignore_ascii_case(b"join") {
            return true;
        }
        if word.is_empty() {
            return false;
        }
        i -= word.len();
    }
    false
}

/// The identifier ending at byte `end` (exclusive).
fn ident_before(b: &[u8], end: usize) -> &[u8] {
    let start = b[..end]
        .iter()
        .rposition(|&c| !is_ident(c))
        .map_or(0, |i| i + 1);
    &b[start..end]
}

/// Whether `b` declares a type `name` of its own (`class Condition`, `struct Condition`).
fn declares(b: &[u8], name: &[u8]) -> bool {
    ["class ", "struct ", "enum ", "interface ", "type "]
        .iter()
        .any(|kw| {
            let mut needle = kw.as_bytes().to_vec();
            needle.extend_from_slice(name);
            let mut from = 0;
            while let Some(i) = find(&b[from..], &needle) {
                let (s, e) = (from + i, from + i + needle.len());
                if (s == 0 || !is_ident(b[s - 1])) && b.get(e).is_none_or(|&c| !is_ident(c)) {
                    return true;
                }
                from = s + 1;
            }
            false
        })
}

/// Whether `b[at]` is on a line that is a comment (`# …`, `// …`): the engine reads no name
/// there. A Rust attribute (`#[get("/patients")]`) and a JavaScript private field
/// (`#diagnosis = …`) are not comments.
fn on_comment_line(b: &[u8], at: usize) -> bool {
    let start = b[..at]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    let line = b[start..].trim_ascii_start();
    if line.len() > b.len() - at {
        // The line's text starts before `at`.
        let hash_comment = line.first() == Some(&b'#')
            && !line.starts_with(b"#[")
            && !line.starts_with(b"#![")
            && !line.get(1).is_some_and(|&c| is_ident(c) || c == b'$');
        return line.starts_with(b"//") || hash_comment;
    }
    false
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn unreachable_automaton() -> AhoCorasick {
    AhoCorasick::new(["\u{0}"]).expect("a one-byte automaton always builds")
}

fn unreachable_regex() -> regex::bytes::Regex {
    regex::bytes::Regex::new("x").expect("a one-letter regex always compiles")
}

fn class(c: u8) -> u8 {
    if c.is_ascii_lowercase() {
        1
    } else if c.is_ascii_uppercase() {
        2
    } else if c.is_ascii_digit() {
        3
    } else {
        0
    }
}

/// Whether a word can start at `i`, as [`crate::classify::words`] splits names.
fn at_word_start(b: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let (p, c) = (class(b[i - 1]), class(b[i]));
    let next = b.get(i + 1).map(|&x| class(x)).unwrap_or(0);
    p == 0
        || c == 0
        || (p != c && (p == 3 || c == 3))
        || (c == 2 && p == 1)
        || (c == 2 && p == 2 && next == 1)
}

/// Whether a word can end at `end` (allowing a plural `s` / `es`).
fn at_word_end(b: &[u8], end: usize) -> bool {
    let boundary = |j: usize| -> bool {
        if j >= b.len() || j == 0 {
            return true;
        }
        let (p, c) = (class(b[j - 1]), class(b[j]));
        c == 0 || p == 0 || (p != c && (p == 3 || c == 3)) || (c == 2 && p == 1) || {
            // `HIVStatus`: an upper-case run ends before an upper+lower pair.
            c == 2 && p == 2 && b.get(j + 1).map(|&x| class(x)) == Some(1)
        }
    };
    if boundary(end) {
        return true;
    }
    let lower = |j: usize, ch: u8| b.get(j).is_some_and(|x| x.to_ascii_lowercase() == ch);
    (lower(end, b's') && boundary(end + 1))
        || (lower(end, b'e') && lower(end + 1, b's') && boundary(end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pf() -> Prefilter {
        Prefilter::new(&Catalog::embedded().unwrap())
    }

    #[test]
    fn health_words_pass() {
        let p = pf();
        for src in [
            "x = patient.name",
            "def f(diagnosisCode): pass",
            "HIVStatus = 1",
            "ehr_entries = load()",
            "icd10_code = 3",
            "let groupe_sanguin = 1;",
            "SELECT * FROM patients",
            "q = 'select name from conditions'",
            "ds = pydicom.dcmread(p)",
            "m = 'MSH|^~\\\\&|'",
            "n = '295109912611193'",
            "obs: Observation = x",
            "client.path('/detect').post({ body: img, returnFaceAttributes: ['emotion'] })",
            "from fhir.resources.condition import Condition\nc: Condition = x",
            "cond = r4.Condition(code=x)",
            "def f(c: Condition): pass",
            "q = f\"\"\"\n  SELECT name FROM conditions\"\"\"",
            "allergies = []",
            "r = DeepFace.analyze(img)",
            "q = 'WITH recent AS (SELECT * FROM public.conditions c)'",
            "from hl7apy.parser import parse_message\nm = parse_message(raw)",
            "los = patient.length_of_stay",
            "const los = encounter.lengthOfStay;",
            "tc = row.total_cholesterol",
            "q = ('SELECT c.id '\n     'FROM visits v JOIN conditions c ON c.vid = v.id')",
            // A comment before the code, a Rust attribute, a comment after code on its line.
            "# load\nx = patient.name",
            "#[get(\"/patients/{id}\")]\nasync fn show() {}",
            "x = patient.name  # the record",
            "class Chart {\n  #diagnosis = null;\n}",
        ] {
            assert!(p.may_match(src), "{src} must pass the prefilter");
        }
    }

    #[test]
    fn health_free_code_is_filtered() {
        let p = pf();
        for src in [
            "def generate(general): return internal",
            "import os\nprint(os.environ['HOME'])",
            "health_check = True",
            "let returned = 5;",
            "if condition: pass",
            "import threading\ncv = threading.Condition()",
            "from threading import Lock, Condition\nc = Condition()",
            "class Condition:\n    def wait(self): pass",
            "lock = asyncio.Condition()",
            "import select\nr, w, x = select.select([a], [], [])\nprint('conditions')",
            "let n = tokio::sync::Condition::new();",
            "ConditionVariable = 1",
            "app.post('/login', (req, res) => res.send(req.body.user));",
            "const r = await fetch(request.url, { method: 'POST' });",
            // `ehr entry` is found by the whole phrase, not by `entry` alone.
            "for entry in os.scandir(path):\n    entries.append(entry.name)",
            "# stay a while\nprint('done')",
            // A catalog call's segment inside a longer name is another function.
            "def get_msg_id(value):\n    return parse_message_id(value)",
            // Strings that begin with a keyword but are no query the engine reads.
            "r, w, x = getattr(mod, 'select')(a)\nprint('conditions')",
            "t = ('select an element from the container '\n     'under the condition that it exists')",
            "t = 'with the condition that' + ' as (sic)'",
            // Health words and type names only in comment lines.
            "# Condition flags\nx = 1",
            "    // the patient's diagnosis is not read here\nlet x = 1;",
        ] {
            assert!(!p.may_match(src), "{src} should be filtered");
        }
    }
}
