//! `hardcoded-health-identifier`: a literal validates as a health identifier.

use super::{Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::HardcodedHealthIdentifier,
    code: "hardcoded-health-identifier",
    level: Level::Warning,
    security_severity: Some(5.0),
    flow_message: None,
    name: "HardcodedHealthIdentifier",
    short: "A literal in the code is a valid health identifier.",
    full: "A string or number literal validates as a health identifier: a French NIR (mod-97 \
        key, Corsica 2A/2B), a UK NHS number (mod 11), a US NPI (Luhn over the 80840 prefix) or \
        a US Medicare MBI. Values that only look like one are not reported.",
    what: "Literals anywhere in the code, tests and fixtures included, that pass the \
        identifier's check: the NIR key, the NHS number check digit, the NPI Luhn check, or the \
        MBI format.",
    why: "A real identifier in source code is personal data copied to every clone, CI log and \
        backup: it breaks confidentiality (GDPR Art. 5(1)(f)) and the security of processing \
        (Art. 32). In France, the NIR may only be used for the purposes and by the users listed \
        in the décret cadre NIR 2019-341.",
    example_lang: "python",
    example: r#"TEST_PATIENT_NIR = "295109912611193"
"#,
    fix: "Replace the value with a synthetic one that does not validate, or generate test \
        identifiers at run time. If a test needs a value that validates, use a documented test \
        identifier and suppress the finding. Remove real identifiers from the repository \
        history if they were committed.",
    help: "use a synthetic identifier that does not validate, and purge real ones from the \
        history",
    gdpr: &["5(1)(f)", "32"],
    ai_act: &[],
    ai_act_note: "",
    other: &["Décret cadre NIR 2019-341"],
    precision: "very-high",
};
