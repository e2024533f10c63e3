//! Inline suppressions: `# healthflow: ignore[rule-id, …] -- reason` (or `//` in Rust).
//!
//! A suppression applies to a finding whose sink starts on the comment's line, or ends on it,
//! or starts on the next line when the comment stands alone on its line. Without a rule list it
//! silences every rule there. This pass runs after the scan, on the comments the adapters
//! collected; the taint engine never sees suppressions.

use crate::finding::{Finding, Report, Suppressed};
use crate::model::Comment;
use crate::rules::RuleId;
use regex::Regex;
use serde::Serialize;
use std::sync::OnceLock;

/// One `healthflow: ignore` comment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Directive {
    /// File, relative to the report root.
    pub path: String,
    /// Line of the comment.
    pub line: u32,
    /// Column of the comment (1-based bytes).
    pub column: u32,
    /// Rule ids listed in brackets; `None` for a bare `healthflow: ignore`.
    pub rules: Option<Vec<String>>,
    /// The reason after `--`.
    pub reason: Option<String>,
    /// Nothing but whitespace precedes the comment on its line.
    #[serde(skip)]
    pub own_line: bool,
}

impl Directive {
    pub fn covers(&self, f: &Finding) -> bool {
        if *self.path != *f.path {
            return false;
        }
        let start = f.span.start_line;
        let end = f.span.end_line.max(start);
        let here = self.line == start || self.line == end;
        let above = self.own_line && self.line + 1 == start;
        if !(here || above) {
            return false;
        }
        match &self.rules {
            None => true,
            Some(ids) => ids.iter().any(|id| id == f.rule.id()),
        }
    }

    /// `path:line: healthflow: ignore[...]` for messages.
    pub fn describe(&self) -> String {
        let what = match &self.rules {
            None => "healthflow: ignore".to_string(),
            Some(ids) => format!("healthflow: ignore[{}]", ids.join(", ")),
        };
        format!("{}:{}:{}: {what}", self.path, self.line, self.column)
    }
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // The pattern is a constant; it compiles.
        Regex::new(r"(?i)healthflow:\s*ignore(?:\[([^\]]*)\])?(?:\s*--\s*(.*?))?\s*(?:\*/)?\s*$")
            .unwrap_or_else(|_| unreachable!())
    })
}

/// The suppressions among one file's comments.
pub fn parse(path: &str, comments: &[Comment], source: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    for c in comments {
        if !c.text.to_ascii_lowercase().contains("healthflow:") {
            continue;
        }
        let Some(caps) = pattern().captures(&c.text) else {
            continue;
        };
        let rules = caps.get(1).map(|m| {
            m.as_str()
                .split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        });
        let reason = caps
            .get(2)
            .map(|m| m.as_str().trim().to_string())
            .filter(|s| !s.is_empty());
        let start = usize::try_from(c.span.start_byte).unwrap_or(0);
        let line_start = source
            .get(..start)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1);
        let own_line = source
            .get(line_start..start)
            .is_some_and(|s| s.trim().is_empty());
        out.push(Directive {
            path: path.to_string(),
            line: c.span.start_line,
            column: c.span.start_col,
            rules,
            reason,
            own_line,
        });
    }
    out
}

/// A rule id in a suppression that names no rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRule {
    pub directive: Directive,
    pub rule: String,
    /// The closest rule id, when one is close enough to be a typo.
    pub suggestion: Option<&'static str>,
}

/// Edit distance (insertions, deletions, substitutions) between two strings.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The rule id nearest to `id`, if within a third of its length.
fn suggest(id: &str) -> Option<&'static str> {
    RuleId::ALL
        .iter()
        .map(|r| (distance(id, r.id()), r.id()))
        .min()
        .filter(|(d, r)| *d * 3 <= r.len())
        .map(|(_, r)| r)
}

/// Suppression directives naming rules that do not exist.
pub fn unknown_rules(directives: &[Directive]) -> Vec<UnknownRule> {
    let mut out = Vec::new();
    for d in directives {
        for id in d.rules.iter().flatten() {
            if RuleId::from_id(id).is_none() {
                out.push(UnknownRule {
                    directive: d.clone(),
                    rule: id.clone(),
                    suggestion: suggest(id),
                });
            }
        }
    }
    out
}

/// Removes suppressed findings from `report.findings`, recording them in `report.workflow`
/// (kept when `keep`), and the unused directives when `report_unused`.
pub fn apply(report: &mut Report, keep: bool, report_unused: bool) {
    let directives = std::mem::take(&mut report.directives);
    let mut used = vec![false; directives.len()];
    let mut active = Vec::with_capacity(report.findings.len());
    for f in std::mem::take(&mut report.findings) {
        let hit = directives
            .iter()
            .enumerate()
            .filter(|(_, d)| d.covers(&f))
            .map(|(i, _)| i)
            .collect::<Vec<_>>();
        if hit.is_empty() {
            active.push(f);
            continue;
        }
        for &i in &hit {
            used[i] = true;
        }
        report.workflow.suppressed_count += 1;
        if keep {
            let justification = hit.iter().find_map(|&i| directives[i].reason.clone());
            report.workflow.suppressed.push(Suppressed {
                finding: f,
                justification,
            });
        }
    }
    report.findings = active;
    if report_unused {
        report.workflow.unused_suppressions = Some(
            directives
                .iter()
                .zip(&used)
                .filter(|(_, u)| !**u)
                .map(|(d, _)| d.clone())
                .collect(),
        );
    }
    report.directives = directives;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_case_directives_and_typo_suggestions() {
        let src = "x = 1  # HEALTHFLOW: IGNORE[PHI-TO-LOG] -- reviewed\n";
        let c = comment("# HEALTHFLOW: IGNORE[PHI-TO-LOG] -- reviewed", src, 1);
        let d = parse("a.py", &[c], src);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rules, Some(vec!["phi-to-log".to_string()]));
        let id = RuleId::ALL[0].id();
        let typo = format!("{}x", &id[..id.len() - 1]);
        assert_eq!(suggest(&typo), Some(id));
        assert_eq!(suggest("completely-unrelated-words-here"), None);
    }
    use crate::model::Span;

    /// The comment `text` on 1-based `line` of `source`.
    fn comment(text: &str, source: &str, line: u32) -> Comment {
        let line_start: usize = source
            .split_inclusive('\n')
            .take(line as usize - 1)
            .map(str::len)
            .sum();
        let col = source[line_start..].find(text).expect("comment on line");
        let start = line_start + col;
        Comment {
            text: text.to_string(),
            span: Span {
                start_byte: start as u32,
                end_byte: (start + text.len()) as u32,
                start_line: line,
                start_col: col as u32 + 1,
                end_line: line,
                end_col: (col + text.len()) as u32 + 1,
            },
        }
    }

    #[test]
    fn parses_rules_and_reasons() {
        let src = "x = 1  # healthflow: ignore[health-data-in-logs, bogus] -- reviewed by DPO\n\
                   # healthflow: ignore\n\
                   // healthflow:ignore[health-data-to-ai-model]\n\
                   # healthflow: ignored in docs\n";
        let cs = [
            comment(
                "# healthflow: ignore[health-data-in-logs, bogus] -- reviewed by DPO",
                src,
                1,
            ),
            comment("# healthflow: ignore", src, 2),
            comment("// healthflow:ignore[health-data-to-ai-model]", src, 3),
            comment("# healthflow: ignored in docs", src, 4),
        ];
        let ds = parse("a.py", &cs, src);
        assert_eq!(ds.len(), 3);
        assert_eq!(
            ds[0].rules.as_deref(),
            Some(&["health-data-in-logs".to_string(), "bogus".to_string()][..])
        );
        assert_eq!(ds[0].reason.as_deref(), Some("reviewed by DPO"));
        assert!(!ds[0].own_line);
        assert_eq!(ds[1].rules, None);
        assert!(ds[1].own_line);
        assert_eq!(ds[2].line, 3);
        let unknown = unknown_rules(&ds);
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].rule, "bogus");
    }
}
