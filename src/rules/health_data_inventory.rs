//! `health-data-inventory`: opt-in note for each health-data declaration (data map).

use super::{Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::HealthDataInventory,
    code: "health-data-inventory",
    level: Level::Note,
    security_severity: None,
    flow_message: None,
    name: "HealthDataInventory",
    short: "A health-data field or patient-context type is declared here.",
    full: "An opt-in note for each declaration of a health-data field (ORM, dataclass, pydantic \
        or serde model fields, class attributes) or of a patient-context type, to build the \
        data map an audit needs.",
    what: "Declarations, not flows: model fields such as `diagnosis = Column(String)`, \
        `blood_type: str` or `pub nir: String`, and types named like a patient or medical record \
        or matching a FHIR resource. Enabled with `--inventory`.",
    why: "The record of processing activities (GDPR Art. 30) must describe the categories of \
        data processed, and its small-organisation exemption does not apply to the special \
        categories of Art. 9. A DPIA (Art. 35) starts from knowing where health data lives. \
        This note has no security severity.",
    example_lang: "python",
    example: r#"class Patient(Base):
    nir = Column(String)
    diagnosis = Column(String)
"#,
    fix: "Nothing to fix: use the list to complete the record of processing activities and \
        the DPIA, and check that each field is needed (data minimisation).",
    help: "nothing to fix: use it for the record of processing activities and the DPIA",
    gdpr: &["9", "30", "35"],
    ai_act: &[],
    ai_act_note: "",
    other: &[],
    precision: "medium",
};
