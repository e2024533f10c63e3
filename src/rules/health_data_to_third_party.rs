//! `health-data-to-third-party`: health data is sent to an external service.

use super::{FlowMessage, Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::HealthDataToThirdParty,
    code: "health-data-to-third-party",
    level: Level::Warning,
    security_severity: Some(6.0),
    flow_message: Some(message),
    name: "HealthDataToThirdParty",
    short: "Health data is sent to an external service.",
    full: "Health data reaches an outbound transfer to a service outside the code's control: \
        an HTTP client, a webhook, an e-mail or SMS sender, a SaaS SDK or a message broker.",
    what: "HTTP requests (`requests`, `httpx`, `aiohttp`, `urllib`; `reqwest`, `ureq`, \
        `hyper`), webhooks, e-mail and SMS senders, SaaS SDKs and message brokers that receive a \
        value derived from health data, when the destination is neither an AI model nor a \
        tracker (those have their own rules).",
    why: "Every disclosure of health data needs an Art. 9(2) condition (GDPR Art. 9). A \
        service that processes the data on your behalf is a processor bound by an Art. 28 \
        agreement; the transfer must keep the data confidential (Art. 5(1)(f)), and the privacy \
        notice must name the recipients (Art. 13 and 14). In France, a provider that hosts \
        health data on your behalf must be HDS-certified (CSP L.1111-8).",
    example_lang: "python",
    example: r#"def sync_contact(patient):
    requests.post("https://crm.example.com/contacts",
                  json={"name": patient.name, "diagnosis": patient.diagnosis})
"#,
    fix: "Send only the fields the recipient needs, pseudonymised where possible. Check that \
        the recipient is bound by an Art. 28 agreement (and HDS-certified when it hosts the data \
        in France), that the transport uses TLS with certificate verification, and that the \
        privacy notice lists the recipient.",
    help: "send only what the recipient needs, pseudonymised, to a processor under an Art. 28 \
        agreement",
    gdpr: &["9", "28", "5(1)(f)", "13", "14"],
    ai_act: &[],
    ai_act_note: "",
    other: &["HDS (CSP L.1111-8)"],
    precision: "medium",
};

/// The finding's message.
fn message(m: &FlowMessage) -> String {
    format!(
        "{} from {} is sent to a third party: {}`{}`{}. A processor agreement (GDPR Art. 28), security (Art. 5(1)(f)) and information to patients (Art. 13/14) are needed; in France a host of health data must be HDS-certified (CSP L.1111-8).",
        m.what,
        m.source,
        m.by(),
        m.callee,
        m.endpoint.map(|h| format!(" ({h})")).unwrap_or_default()
    )
}
