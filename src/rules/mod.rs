//! The rule registry. Each rule lives in its own file (`src/rules/<snake_case_id>.rs`): its
//! public id, level, security severity, documentation, legal mapping and message, read by the
//! engine, `healthflow rules`, `healthflow explain` and the SARIF `rules[]`.

use serde::Serialize;

mod ai_system_inventory;
mod emotion_or_biometric_ai;
mod hardcoded_health_identifier;
mod health_data_cross_border;
mod health_data_in_logs;
mod health_data_inventory;
mod health_data_over_cleartext;
mod health_data_to_ai_model;
mod health_data_to_ai_training;
mod health_data_to_third_party;
mod health_data_to_tracking;
mod health_data_unencrypted_storage;
mod meta;

pub use meta::{
    catalog_markdown, explain_markdown, explain_text, taxon_key, FlowMessage, Regulation, RuleMeta,
    Taxon, AI_ACT_TAXA, FIXED_TAGS, GDPR_TAXA, MAX_TAGS,
};

/// Result level, ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// Every rule. Ids are public interface: never rename one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    HealthDataToAiModel,
    HealthDataToAiTraining,
    HealthDataToThirdParty,
    HealthDataToTracking,
    HealthDataOverCleartext,
    HealthDataCrossBorder,
    HealthDataInLogs,
    HealthDataUnencryptedStorage,
    HardcodedHealthIdentifier,
    EmotionOrBiometricAi,
    HealthDataInventory,
    AiSystemInventory,
}

impl RuleId {
    pub const ALL: [RuleId; 12] = [
        RuleId::HealthDataToAiModel,
        RuleId::HealthDataToAiTraining,
        RuleId::HealthDataToThirdParty,
        RuleId::HealthDataToTracking,
        RuleId::HealthDataOverCleartext,
        RuleId::HealthDataCrossBorder,
        RuleId::HealthDataInLogs,
        RuleId::HealthDataUnencryptedStorage,
        RuleId::HardcodedHealthIdentifier,
        RuleId::EmotionOrBiometricAi,
        RuleId::HealthDataInventory,
        RuleId::AiSystemInventory,
    ];

    pub fn id(self) -> &'static str {
        self.meta().code
    }

    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn level(self) -> Level {
        self.meta().level
    }

    /// GitHub's `security-severity` (0.0–10.0); `None` for the inventory notes.
    pub fn security_severity(self) -> Option<f32> {
        self.meta().security_severity
    }

    /// The rule's documentation and legal mapping.
    pub fn meta(self) -> &'static RuleMeta {
        match self {
            RuleId::HealthDataToAiModel => &health_data_to_ai_model::META,
            RuleId::HealthDataToAiTraining => &health_data_to_ai_training::META,
            RuleId::HealthDataToThirdParty => &health_data_to_third_party::META,
            RuleId::HealthDataToTracking => &health_data_to_tracking::META,
            RuleId::HealthDataOverCleartext => &health_data_over_cleartext::META,
            RuleId::HealthDataCrossBorder => &health_data_cross_border::META,
            RuleId::HealthDataInLogs => &health_data_in_logs::META,
            RuleId::HealthDataUnencryptedStorage => &health_data_unencrypted_storage::META,
            RuleId::HardcodedHealthIdentifier => &hardcoded_health_identifier::META,
            RuleId::EmotionOrBiometricAi => &emotion_or_biometric_ai::META,
            RuleId::HealthDataInventory => &health_data_inventory::META,
            RuleId::AiSystemInventory => &ai_system_inventory::META,
        }
    }

    /// Inventory rules are opt-in (`--inventory`).
    pub fn is_inventory(self) -> bool {
        matches!(
            self,
            RuleId::HealthDataInventory | RuleId::AiSystemInventory
        )
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}
