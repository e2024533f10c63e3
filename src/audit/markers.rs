//! Wording the audit looks for (`patterns/audit.toml`): whole-word, case-insensitive phrases.

use super::AuditError;
use aho_corasick::AhoCorasick;
use serde::Deserialize;

pub const AUDIT_TOML: &str = include_str!("../../patterns/audit.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkersFile {
    patient_facing: Vec<String>,
    intended_purpose: Vec<String>,
    triage: Vec<String>,
    automated_decision: Vec<String>,
    large_scale: Vec<String>,
}

/// A list of phrases matched as whole words (no letter, digit or `_` on either side).
#[derive(Debug)]
pub struct PhraseSet {
    phrases: Vec<String>,
    ac: AhoCorasick,
}

impl PhraseSet {
    fn new(phrases: Vec<String>) -> Result<PhraseSet, AuditError> {
        let phrases: Vec<String> = phrases.into_iter().map(|p| p.to_lowercase()).collect();
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&phrases)
            .map_err(|e| AuditError::Patterns(format!("patterns/audit.toml: {e}")))?;
        Ok(PhraseSet { phrases, ac })
    }

    /// The phrases found in `text`, sorted, each once.
    pub fn find(&self, text: &str) -> Vec<String> {
        let lower = text.to_lowercase();
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        let mut out: Vec<String> = Vec::new();
        for m in self.ac.find_overlapping_iter(&lower) {
            let before = lower[..m.start()].chars().next_back();
            let after = lower[m.end()..].chars().next();
            if before.is_some_and(is_word) || after.is_some_and(is_word) {
                continue;
            }
            if let Some(p) = self.phrases.get(m.pattern().as_usize()) {
                out.push(p.clone());
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

#[derive(Debug)]
pub struct Markers {
    pub patient_facing: PhraseSet,
    pub intended_purpose: PhraseSet,
    pub triage: PhraseSet,
    pub automated_decision: PhraseSet,
    pub large_scale: PhraseSet,
}

impl Markers {
    pub fn embedded() -> Result<Markers, AuditError> {
        let f: MarkersFile = toml::from_str(AUDIT_TOML)
            .map_err(|e| AuditError::Patterns(format!("patterns/audit.toml: {e}")))?;
        Ok(Markers {
            patient_facing: PhraseSet::new(f.patient_facing)?,
            intended_purpose: PhraseSet::new(f.intended_purpose)?,
            triage: PhraseSet::new(f.triage)?,
            automated_decision: PhraseSet::new(f.automated_decision)?,
            large_scale: PhraseSet::new(f.large_scale)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        let m = Markers::embedded().expect("embedded markers");
        assert_eq!(m.triage.find("Patient TRIAGE level"), vec!["triage"]);
        assert!(m.triage.find("pretriaged").is_empty());
        assert_eq!(
            m.intended_purpose.find("CE mark under the MDR"),
            vec!["ce mark", "mdr"]
        );
        assert!(m.intended_purpose.find("Diagnosis: {x}").is_empty());
    }
}
