//! `health-data-over-cleartext`: health data travels over plain HTTP or unverified TLS.

use super::{FlowMessage, Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::HealthDataOverCleartext,
    code: "health-data-over-cleartext",
    level: Level::Error,
    security_severity: Some(8.5),
    flow_message: Some(message),
    name: "HealthDataOverCleartext",
    short: "Health data is sent over plain HTTP or with TLS verification disabled.",
    full: "Health data reaches an outbound call whose URL is `http://` to a non-loopback host, \
        or whose TLS certificate verification is disabled (`verify=False`, \
        `danger_accept_invalid_certs(true)`).",
    what: "Outbound calls carrying health data where the transport is not protected: a literal \
        `http://` URL to a host other than localhost, or TLS with certificate checks turned off. \
        It fires in addition to the sink's own rule (third party, AI model, tracking).",
    why: "GDPR Art. 32(1)(a) names encryption as a security measure and Art. 5(1)(f) requires \
        confidentiality: health data in cleartext can be read or altered on the network path, \
        and TLS without certificate verification does not stop an interception. If the AI \
        system is high-risk, AI Act Art. 15(5) asks for resilience against confidentiality \
        attacks. In the US, HIPAA 45 CFR 164.312(e) covers transmission security.",
    example_lang: "python",
    example: r#"def push_result(result):
    requests.post("http://labs.example.org/results", json={"hba1c": result.hba1c})
"#,
    fix: "Use `https://` and keep certificate verification on. If the server uses a private \
        certificate authority, pass its certificate (`verify=\"/path/ca.pem\"`, \
        `add_root_certificate`) instead of disabling the check.",
    help: "use https:// with certificate verification on (pass a private CA bundle instead of \
        disabling checks)",
    gdpr: &["32(1)(a)", "5(1)(f)"],
    ai_act: &["15(5)"],
    ai_act_note: "only if the AI system is high-risk",
    other: &["HIPAA 164.312(e)"],
    precision: "high",
};

/// The finding's message.
fn message(m: &FlowMessage) -> String {
    format!(
        "{} from {} travels {} in `{}`. Use HTTPS with certificate verification (GDPR Art. 32(1)(a), 5(1)(f); HIPAA 164.312(e)).",
        m.what,
        m.source,
        m.detail.unwrap_or_default(),
        m.callee
    )
}
