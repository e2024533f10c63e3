//! `health-data-cross-border`: health data goes to an endpoint outside the EU/EEA.

use super::{FlowMessage, Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::HealthDataCrossBorder,
    code: "health-data-cross-border",
    level: Level::Warning,
    security_severity: Some(7.0),
    flow_message: Some(message),
    name: "HealthDataCrossBorder",
    short: "Health data is sent to an endpoint outside the EU/EEA.",
    full: "Health data reaches an outbound call whose endpoint is known to be outside the \
        EU/EEA, SDK defaults included (the OpenAI and Anthropic SDKs default to US endpoints) \
        and non-EU regions such as `us-east-1`. EU endpoints do not fire.",
    what: "Outbound calls carrying health data to a host or region known to be outside the \
        EU/EEA: literal URLs, cloud regions, and the default endpoints of SDKs. Endpoints such \
        as `eu.api.openai.com`, `eu-west-3`, `api.mistral.ai` or `*.ingest.de.sentry.io` do not \
        fire. It fires in addition to the sink's own rule.",
    why: "A transfer of personal data outside the EU/EEA needs a transfer tool under GDPR \
        Chapter V (Art. 44). For a US recipient: verify DPF certification (Art. 45; the \
        adequacy decision (EU) 2023/1795 covers only self-certified organisations), or SCCs \
        (Art. 46) plus a transfer impact assessment, or an Art. 49 derogation. For other \
        countries, an adequacy decision (Art. 45) where one exists takes the place of the DPF. \
        In France, \
        Décret 2026-209 requires HDS-hosted health data to be stored in the EU/EEA, with \
        transfers, remote access included, only under Art. 45 or 46.",
    example_lang: "python",
    example: r#"client = OpenAI()  # default endpoint: api.openai.com (US)

def ask(patient):
    return client.responses.create(model="gpt-4o", input=patient.diagnosis)
"#,
    fix: "Prefer an EU endpoint or region (`eu.api.openai.com`, `eu-west-3`, an EU-hosted \
        provider). Otherwise document the transfer tool: verify DPF certification, or SCCs \
        (Art. 46) plus a transfer impact assessment, or an Art. 49 derogation; and minimise and \
        pseudonymise what is sent.",
    help: "use an EU endpoint or region; otherwise verify an adequacy decision (Art. 45; DPF \
        certification for a US recipient), or SCCs (Art. 46) plus a transfer impact assessment, \
        or an Art. 49 derogation",
    gdpr: &["44", "45", "46", "49"],
    ai_act: &[],
    ai_act_note: "",
    other: &["Décret 2026-209 (HDS storage in the EU/EEA)"],
    precision: "medium",
};

/// The finding's message.
fn message(m: &FlowMessage) -> String {
    format!(
        "{} from {} goes to {} ({}), outside the EU/EEA, through `{}`. Verify an adequacy decision (GDPR Art. 45; for a US recipient, its DPF certification), or SCCs (Art. 46) plus a transfer impact assessment, or an Art. 49 derogation; HDS hosting must stay in the EU/EEA (Décret 2026-209).",
        m.what,
        m.source,
        m.detail.unwrap_or_default(),
        if m.provider.is_empty() { "endpoint" } else { m.provider },
        m.callee
    )
}
