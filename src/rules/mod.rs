//! The rule registry: every rule's id, level, severity and legal mapping, declared once and
//! read by the engine, `healthflow rules`, `healthflow explain` and the SARIF `rules[]`.

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
    catalog_markdown, explain_markdown, explain_text, taxon_key, Regulation, RuleMeta, Taxon,
    AI_ACT_TAXA, FIXED_TAGS, GDPR_TAXA, MAX_TAGS,
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
        match self {
            RuleId::HealthDataToAiModel => "health-data-to-ai-model",
            RuleId::HealthDataToAiTraining => "health-data-to-ai-training",
            RuleId::HealthDataToThirdParty => "health-data-to-third-party",
            RuleId::HealthDataToTracking => "health-data-to-tracking",
            RuleId::HealthDataOverCleartext => "health-data-over-cleartext",
            RuleId::HealthDataCrossBorder => "health-data-cross-border",
            RuleId::HealthDataInLogs => "health-data-in-logs",
            RuleId::HealthDataUnencryptedStorage => "health-data-unencrypted-storage",
            RuleId::HardcodedHealthIdentifier => "hardcoded-health-identifier",
            RuleId::EmotionOrBiometricAi => "emotion-or-biometric-ai",
            RuleId::HealthDataInventory => "health-data-inventory",
            RuleId::AiSystemInventory => "ai-system-inventory",
        }
    }

    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn level(self) -> Level {
        match self {
            RuleId::HealthDataToAiModel
            | RuleId::HealthDataToAiTraining
            | RuleId::HealthDataToTracking
            | RuleId::HealthDataOverCleartext => Level::Error,
            RuleId::HealthDataInventory | RuleId::AiSystemInventory => Level::Note,
            _ => Level::Warning,
        }
    }

    /// GitHub's `security-severity` (0.0–10.0); `None` for the inventory notes.
    pub fn security_severity(self) -> Option<f32> {
        Some(match self {
            RuleId::HealthDataToAiModel => 8.0,
            RuleId::HealthDataToAiTraining => 8.0,
            RuleId::HealthDataToThirdParty => 6.0,
            RuleId::HealthDataToTracking => 9.0,
            RuleId::HealthDataOverCleartext => 8.5,
            RuleId::HealthDataCrossBorder => 7.0,
            RuleId::HealthDataInLogs => 6.5,
            RuleId::HealthDataUnencryptedStorage => 5.5,
            RuleId::HardcodedHealthIdentifier => 5.0,
            RuleId::EmotionOrBiometricAi => 7.0,
            RuleId::HealthDataInventory | RuleId::AiSystemInventory => return None,
        })
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
