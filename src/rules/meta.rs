//! Rule documentation: the [`RuleMeta`] type, the article taxonomies, and the renderings used by
//! `healthflow explain`, SARIF `help` and `docs/rules.md`.

use super::RuleId;

/// What a flow finding's message is made of.
pub struct FlowMessage<'a> {
    /// "Health data (diagnosis, identifier)".
    pub what: &'a str,
    /// "`patient.nir` (line 13: a patient identifier)".
    pub source: &'a str,
    pub callee: &'a str,
    /// Provider or library of the sink; empty when unknown.
    pub provider: &'a str,
    pub model: Option<&'a str>,
    pub endpoint: Option<&'a str>,
    /// The transport rule's detail (the host and its zone, `http://` or disabled TLS).
    pub detail: Option<&'a str>,
}

impl FlowMessage<'_> {
    /// "OpenAI " before the callee, or nothing.
    pub fn by(&self) -> String {
        if self.provider.is_empty() {
            String::new()
        } else {
            format!("{} ", self.provider)
        }
    }
}

/// Documentation and legal mapping of one rule. Each rule's value lives in its own file
/// (`src/rules/<snake_case_id>.rs`); read it through [`RuleId::meta`].
pub struct RuleMeta {
    pub id: RuleId,
    /// The public id (`health-data-in-logs`). Never renamed.
    pub code: &'static str,
    /// Default SARIF level.
    pub level: super::Level,
    /// GitHub's `security-severity` (0.0–10.0); `None` for the inventory notes.
    pub security_severity: Option<f32>,
    /// The message of a source-to-sink finding (flow rules only).
    pub flow_message: Option<fn(&FlowMessage) -> String>,
    /// CamelCase form of the id (SARIF `name`).
    pub name: &'static str,
    /// One sentence (SARIF `shortDescription`).
    pub short: &'static str,
    /// A paragraph (SARIF `fullDescription`).
    pub full: &'static str,
    /// Explanation section "What it finds".
    pub what: &'static str,
    /// Explanation section "Why it matters": the articles, with their caveats.
    pub why: &'static str,
    /// Language of `example` (`python` or `rust`), for code fences.
    pub example_lang: &'static str,
    /// A short snippet that triggers the rule.
    pub example: &'static str,
    /// Explanation section "How to fix".
    pub fix: &'static str,
    /// The fix in one line, for the text reporter's `= help:` line.
    pub help: &'static str,
    /// GDPR articles as cited (`"9"`, `"5(1)(c)"`).
    pub gdpr: &'static [&'static str],
    /// EU AI Act articles or annex points as cited (`"50(1)"`, `"Annex III 1(c)"`).
    pub ai_act: &'static [&'static str],
    /// When the AI Act entries apply; empty if they always do or there are none.
    pub ai_act_note: &'static str,
    /// French and other references (`"HDS (CSP L.1111-8)"`).
    pub other: &'static [&'static str],
    /// SARIF / GitHub precision: `very-high`, `high` or `medium`.
    pub precision: &'static str,
}

/// Tags every rule starts with, in this order.
pub const FIXED_TAGS: [&str; 3] = ["security", "privacy", "health-data"];
/// GitHub keeps at most this many tags per rule.
pub const MAX_TAGS: usize = 20;

impl RuleMeta {
    /// SARIF `properties.tags`: the fixed tags, then `gdpr/art-N` and `ai-act/art-N`
    /// (one per article number, in citation order), at most [`MAX_TAGS`].
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = FIXED_TAGS.iter().map(|t| t.to_string()).collect();
        for reg in Regulation::ALL {
            for entry in self.articles(reg) {
                if let Some(key) = taxon_key(entry) {
                    let tag = format!("{}/{key}", reg.tag_prefix());
                    if !tags.contains(&tag) {
                        tags.push(tag);
                    }
                }
            }
        }
        tags.truncate(MAX_TAGS);
        tags
    }

    /// The entries cited for one regulation.
    pub fn articles(&self, reg: Regulation) -> &'static [&'static str] {
        match reg {
            Regulation::Gdpr => self.gdpr,
            Regulation::AiAct => self.ai_act,
        }
    }

    /// The taxa of one regulation this rule relates to, deduplicated, in citation order,
    /// as indices into [`Regulation::taxa`].
    pub fn taxa(&self, reg: Regulation) -> Vec<usize> {
        let mut out = Vec::new();
        for entry in self.articles(reg) {
            let Some(key) = taxon_key(entry) else {
                continue;
            };
            if let Some(i) = reg.taxa().iter().position(|t| t.key == key) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }

    /// "Art. 9, Art. 5(1)(c)"; annex points as written; "—" when empty.
    pub fn cite(entries: &[&str]) -> String {
        if entries.is_empty() {
            return "—".to_string();
        }
        entries
            .iter()
            .map(|e| {
                if e.starts_with(|c: char| c.is_ascii_digit()) {
                    format!("Art. {e}")
                } else {
                    e.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The AI Act cell: the entries, then the note in parentheses.
    pub fn ai_act_cited(&self) -> String {
        let cited = Self::cite(self.ai_act);
        if self.ai_act_note.is_empty() {
            cited
        } else {
            format!("{cited} ({})", self.ai_act_note)
        }
    }

    pub fn other_cited(&self) -> String {
        if self.other.is_empty() {
            "—".to_string()
        } else {
            self.other.join("; ")
        }
    }
}

/// A regulation used as a SARIF taxonomy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regulation {
    Gdpr,
    AiAct,
}

/// One article (or annex) of a regulation: a SARIF taxon.
#[derive(Debug)]
pub struct Taxon {
    /// SARIF taxon id and tag suffix: `art-9`, `annex-iii`.
    pub key: &'static str,
    /// `Art. 9`.
    pub label: &'static str,
    /// Official English title.
    pub title: &'static str,
}

impl Regulation {
    pub const ALL: [Regulation; 2] = [Regulation::Gdpr, Regulation::AiAct];

    /// SARIF toolComponent `name`.
    pub fn name(self) -> &'static str {
        match self {
            Regulation::Gdpr => "GDPR",
            Regulation::AiAct => "EU AI Act",
        }
    }

    pub fn full_name(self) -> &'static str {
        match self {
            Regulation::Gdpr => "General Data Protection Regulation (EU) 2016/679",
            Regulation::AiAct => "Artificial Intelligence Act (EU) 2024/1689",
        }
    }

    /// Fixed SARIF toolComponent `guid`; never change it.
    pub fn guid(self) -> &'static str {
        match self {
            Regulation::Gdpr => "43edf81a-7fd6-4a76-a635-58d1fb90b966",
            Regulation::AiAct => "39e11664-f2e4-4add-a6b4-ef5fe8ce361b",
        }
    }

    pub fn information_uri(self) -> &'static str {
        match self {
            Regulation::Gdpr => "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
            Regulation::AiAct => "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
        }
    }

    pub fn tag_prefix(self) -> &'static str {
        match self {
            Regulation::Gdpr => "gdpr",
            Regulation::AiAct => "ai-act",
        }
    }

    pub fn taxa(self) -> &'static [Taxon] {
        match self {
            Regulation::Gdpr => GDPR_TAXA,
            Regulation::AiAct => AI_ACT_TAXA,
        }
    }
}

const fn taxon(key: &'static str, label: &'static str, title: &'static str) -> Taxon {
    Taxon { key, label, title }
}

/// The GDPR articles the rules cite, in article order.
pub const GDPR_TAXA: &[Taxon] = &[
    taxon("art-5", "Art. 5", "Principles relating to processing of personal data"),
    taxon("art-6", "Art. 6", "Lawfulness of processing"),
    taxon("art-9", "Art. 9", "Processing of special categories of personal data"),
    taxon("art-13", "Art. 13", "Information to be provided where personal data are collected from the data subject"),
    taxon("art-14", "Art. 14", "Information to be provided where personal data have not been obtained from the data subject"),
    taxon("art-25", "Art. 25", "Data protection by design and by default"),
    taxon("art-28", "Art. 28", "Processor"),
    taxon("art-30", "Art. 30", "Records of processing activities"),
    taxon("art-32", "Art. 32", "Security of processing"),
    taxon("art-35", "Art. 35", "Data protection impact assessment"),
    taxon("art-44", "Art. 44", "General principle for transfers"),
    taxon("art-45", "Art. 45", "Transfers on the basis of an adequacy decision"),
    taxon("art-46", "Art. 46", "Transfers subject to appropriate safeguards"),
    taxon("art-49", "Art. 49", "Derogations for specific situations"),
    taxon("art-89", "Art. 89", "Safeguards and derogations relating to processing for archiving purposes in the public interest, scientific or historical research purposes or statistical purposes"),
];

/// The EU AI Act articles and annexes the rules cite, in article order.
pub const AI_ACT_TAXA: &[Taxon] = &[
    taxon("art-4", "Art. 4", "AI literacy"),
    taxon("art-5", "Art. 5", "Prohibited AI practices"),
    taxon("art-10", "Art. 10", "Data and data governance"),
    taxon("art-12", "Art. 12", "Record-keeping"),
    taxon(
        "art-15",
        "Art. 15",
        "Accuracy, robustness and cybersecurity",
    ),
    taxon(
        "art-26",
        "Art. 26",
        "Obligations of deployers of high-risk AI systems",
    ),
    taxon(
        "art-50",
        "Art. 50",
        "Transparency obligations for providers and deployers of certain AI systems",
    ),
    taxon(
        "annex-iii",
        "Annex III",
        "High-risk AI systems referred to in Article 6(2)",
    ),
];

/// The taxon key of a cited entry: `"5(1)(c)"` → `art-5`, `"Annex III 1(c)"` → `annex-iii`.
pub fn taxon_key(entry: &str) -> Option<String> {
    let digits: String = entry.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        return Some(format!("art-{digits}"));
    }
    let rest = entry.strip_prefix("Annex ")?;
    let roman: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if roman.is_empty() {
        None
    } else {
        Some(format!("annex-{}", roman.to_ascii_lowercase()))
    }
}

fn severity_text(rule: RuleId) -> String {
    match rule.security_severity() {
        Some(s) => format!("{s:.1}"),
        None => "—".to_string(),
    }
}

/// Greedy word wrap of one paragraph, each line prefixed with `indent`.
fn wrap(text: &str, width: usize, indent: &str, out: &mut String) {
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty()
            && indent.len() + line.chars().count() + 1 + word.chars().count() > width
        {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
}

/// `healthflow explain <rule>`: plain text, wrapped at 88 columns.
pub fn explain_text(rule: RuleId) -> String {
    let m = rule.meta();
    let mut out = String::new();
    out.push_str(&format!("{} ({})\n", rule.id(), m.name));
    out.push_str(&format!(
        "level: {}, security-severity: {}, precision: {}\n\n",
        rule.level().as_str(),
        severity_text(rule),
        m.precision
    ));
    wrap(m.full, 88, "", &mut out);
    let sections = [("WHAT IT FINDS", m.what), ("WHY IT MATTERS", m.why)];
    for (title, body) in sections {
        out.push('\n');
        out.push_str(title);
        out.push('\n');
        wrap(body, 88, "  ", &mut out);
    }
    out.push('\n');
    out.push_str(&format!("  GDPR: {}\n", RuleMeta::cite(m.gdpr)));
    out.push_str(&format!("  EU AI Act: {}\n", m.ai_act_cited()));
    out.push_str(&format!("  France / other: {}\n", m.other_cited()));
    out.push_str("\nEXAMPLE\n");
    for line in m.example.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("\nHOW TO FIX\n");
    wrap(m.fix, 88, "  ", &mut out);
    out
}

/// Markdown help (SARIF `help.markdown`, `docs/rules.md`). Headings start at level 4 so the
/// text nests under a rule heading.
pub fn explain_markdown(rule: RuleId) -> String {
    let m = rule.meta();
    let mut out = String::new();
    out.push_str(&format!("**{}**\n\n{}\n\n", m.short, m.full));
    out.push_str(&format!("#### What it finds\n\n{}\n\n", m.what));
    out.push_str(&format!("#### Why it matters\n\n{}\n\n", m.why));
    out.push_str("| Regulation | Articles |\n|---|---|\n");
    out.push_str(&format!("| GDPR | {} |\n", RuleMeta::cite(m.gdpr)));
    out.push_str(&format!("| EU AI Act | {} |\n", m.ai_act_cited()));
    out.push_str(&format!("| France / other | {} |\n\n", m.other_cited()));
    out.push_str(&format!(
        "#### Example\n\n```{}\n{}\n```\n\n",
        m.example_lang,
        m.example.trim_end()
    ));
    out.push_str(&format!("#### How to fix\n\n{}\n", m.fix));
    out
}

/// The whole of `docs/rules.md`, generated from the registry.
pub fn catalog_markdown() -> String {
    let mut out = String::new();
    out.push_str("# healthflow rules\n\n");
    out.push_str(
        "<!-- Generated from src/rules/ by `HEALTHFLOW_BLESS=1 cargo test --lib rules`; \
         do not edit by hand. -->\n\n",
    );
    out.push_str(
        "Rule ids are a stable interface (suppressions, baselines, CI gates): they are never \
         renamed. `healthflow explain <id>` prints a rule's documentation in the terminal. \
         The inventory rules are notes, off unless `--inventory` is given.\n\n",
    );
    out.push_str(
        "| id | level | security-severity | GDPR | EU AI Act | France / other |\n\
         |---|---|---|---|---|---|\n",
    );
    for rule in RuleId::ALL {
        let m = rule.meta();
        out.push_str(&format!(
            "| [`{id}`](#{id}) | {} | {} | {} | {} | {} |\n",
            rule.level().as_str(),
            severity_text(rule),
            RuleMeta::cite(m.gdpr),
            m.ai_act_cited(),
            m.other_cited(),
            id = rule.id(),
        ));
    }
    out.push_str(
        "\nA finding whose data includes a direct health identifier (patient id, NIR, INS, NHS \
         number, MBI …) with no pseudonymisation has its security-severity raised by 1.0 \
         (capped at 10.0) and points to pseudonymisation (GDPR Art. 25(1), 4(5)).\n",
    );
    for rule in RuleId::ALL {
        let m = rule.meta();
        out.push_str(&format!(
            "\n### {}\n\n`{}` · level `{}` · security-severity {} · precision {}\n\n",
            rule.id(),
            m.name,
            rule.level().as_str(),
            severity_text(rule),
            m.precision
        ));
        out.push_str(&explain_markdown(rule));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn camel(id: &str) -> String {
        id.split('-')
            .map(|w| {
                let mut c = w.chars();
                match c.next() {
                    Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                    None => String::new(),
                }
            })
            .collect()
    }

    fn texts(m: &RuleMeta) -> Vec<&'static str> {
        let mut v = vec![
            m.name,
            m.short,
            m.full,
            m.what,
            m.why,
            m.example,
            m.fix,
            m.help,
            m.ai_act_note,
        ];
        v.extend(m.gdpr);
        v.extend(m.ai_act);
        v.extend(m.other);
        v
    }

    #[test]
    fn every_rule_has_complete_meta() {
        for rule in RuleId::ALL {
            let m = rule.meta();
            assert_eq!(m.id, rule);
            for (field, text) in [
                ("name", m.name),
                ("short", m.short),
                ("full", m.full),
                ("what", m.what),
                ("why", m.why),
                ("example", m.example),
                ("fix", m.fix),
                ("help", m.help),
            ] {
                assert!(!text.trim().is_empty(), "{rule}: empty {field}");
            }
            assert!(
                crate::lang::Lang::by_name(m.example_lang).is_some(),
                "{rule}: example_lang"
            );
            assert!(!m.gdpr.is_empty(), "{rule}: no GDPR article");
            assert!(
                matches!(m.precision, "very-high" | "high" | "medium" | "low"),
                "{rule}: precision"
            );
            assert!(m.short.ends_with('.'), "{rule}: short is one sentence");
            assert_eq!(
                m.short.matches(". ").count(),
                0,
                "{rule}: short is one sentence"
            );
        }
    }

    #[test]
    fn ids_round_trip_and_names_are_camel_case() {
        for rule in RuleId::ALL {
            assert_eq!(RuleId::from_id(rule.id()), Some(rule));
            assert_eq!(rule.meta().name, camel(rule.id()));
            assert_eq!(rule.meta().name, format!("{rule:?}"));
        }
        assert_eq!(RuleId::from_id("no-such-rule"), None);
    }

    #[test]
    fn tags_are_bounded_ordered_and_unique() {
        for rule in RuleId::ALL {
            let tags = rule.meta().tags();
            assert!(tags.len() <= MAX_TAGS, "{rule}: {} tags", tags.len());
            assert_eq!(&tags[..3], &FIXED_TAGS, "{rule}");
            let mut dedup = tags.clone();
            dedup.sort();
            dedup.dedup();
            assert_eq!(dedup.len(), tags.len(), "{rule}: duplicate tags");
            assert!(
                tags.iter().any(|t| t.starts_with("gdpr/art-")),
                "{rule}: no GDPR tag"
            );
        }
        let logs = RuleId::HealthDataInLogs.meta().tags();
        assert_eq!(
            logs,
            [
                "security",
                "privacy",
                "health-data",
                "gdpr/art-5",
                "gdpr/art-32",
                "ai-act/art-12"
            ]
        );
    }

    #[test]
    fn every_cited_entry_has_a_taxon() {
        for rule in RuleId::ALL {
            let m = rule.meta();
            for reg in Regulation::ALL {
                for entry in m.articles(reg) {
                    let key = taxon_key(entry).unwrap_or_default();
                    assert!(
                        reg.taxa().iter().any(|t| t.key == key),
                        "{rule}: {} {entry} has no taxon",
                        reg.name()
                    );
                }
                assert_eq!(
                    m.taxa(reg).len(),
                    m.tags()
                        .iter()
                        .filter(|t| t.starts_with(&format!("{}/", reg.tag_prefix())))
                        .count()
                );
            }
        }
        assert_eq!(taxon_key("5(1)(c)").as_deref(), Some("art-5"));
        assert_eq!(taxon_key("Annex III 1(c)").as_deref(), Some("annex-iii"));
        assert_eq!(taxon_key("HDS"), None);
    }

    #[test]
    fn rule_text_follows_the_wording_rules() {
        for rule in RuleId::ALL {
            let m = rule.meta();
            let all = texts(m).join("\n") + &explain_text(rule) + &explain_markdown(rule);
            assert!(!all.to_lowercase().contains("illegal"), "{rule}: 'illegal'");
            for (i, _) in all.match_indices("Annex III") {
                let after = &all[i + "Annex III".len()..];
                let ok = match rule {
                    RuleId::HealthDataToAiModel => after.starts_with(" 5(d)"),
                    RuleId::EmotionOrBiometricAi => {
                        after.starts_with(" 1(c)") || after.starts_with(" 1(b)")
                    }
                    _ => false,
                };
                assert!(ok, "{rule}: 'Annex III{}'", &after[..after.len().min(12)]);
            }
            for field in [m.short, m.full, m.help] {
                assert!(!field.contains('|'), "{rule}: '|' breaks tables");
            }
        }
    }

    #[test]
    fn explain_renderings_contain_the_sections() {
        for rule in RuleId::ALL {
            let t = explain_text(rule);
            for s in [
                "WHAT IT FINDS",
                "WHY IT MATTERS",
                "EXAMPLE",
                "HOW TO FIX",
                "GDPR: Art.",
            ] {
                assert!(t.contains(s), "{rule}: text lacks {s}");
            }
            let md = explain_markdown(rule);
            for s in [
                "#### What it finds",
                "#### Why it matters",
                "#### Example",
                "#### How to fix",
                "| GDPR | Art.",
            ] {
                assert!(md.contains(s), "{rule}: markdown lacks {s}");
            }
        }
    }

    #[test]
    fn docs_rules_md_is_generated_from_the_registry() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
        let expected = catalog_markdown();
        if std::env::var_os("HEALTHFLOW_BLESS").is_some() {
            std::fs::write(&path, &expected).expect("write docs/rules.md");
        }
        let doc = std::fs::read_to_string(&path).unwrap_or_default();
        for rule in RuleId::ALL {
            assert!(
                doc.contains(&format!("### {}", rule.id())),
                "docs/rules.md lacks {rule}"
            );
        }
        assert!(
            doc == expected,
            "docs/rules.md is stale: run `HEALTHFLOW_BLESS=1 cargo test --lib rules`"
        );
    }
}
