//! `health-data-in-logs`: health data is logged or printed.

use super::{FlowMessage, Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::HealthDataInLogs,
    code: "health-data-in-logs",
    level: Level::Warning,
    security_severity: Some(6.5),
    flow_message: Some(message),
    name: "HealthDataInLogs",
    short: "Health data is written to a log or printed.",
    full: "Health data reaches a logging or printing call: Python `logging` and `logger.*`, \
        `print`, `sys.stdout` or `sys.stderr` writes; Rust `println!`, `eprintln!`, `dbg!`, \
        `log::*!` and `tracing::*!` macros, and `#[tracing::instrument]` on a function (the \
        arguments it does not skip and its `fields(..)`, reported at the attribute).",
    what: "Logging and printing calls whose arguments (format strings, interpolated values, \
        structured fields) include a value derived from health data.",
    why: "Logs are copied, shipped to log platforms, kept for long and read by many people: \
        health data in them breaks data minimisation (GDPR Art. 5(1)(c)) and confidentiality \
        (Art. 5(1)(f)), and weakens the security of processing (Art. 32). The record-keeping \
        duty of high-risk AI systems (AI Act Art. 12) does not lift these rules: those logs \
        must still be minimised.",
    example_lang: "rust",
    example: r#"fn admit(patient: &Patient) {
    println!("admitting {} for {}", patient.name, patient.diagnosis);
}
"#,
    fix: "Log events and pseudonymous references, not values: \
        `logger.info(\"summary sent for record %s\", record_ref)`. Redact with a logging filter \
        or a `Debug` implementation that hides health fields, and keep log access and retention \
        short.",
    help: "log events and pseudonymous ids, not health values; redact health fields (logging \
        filter, custom Debug)",
    gdpr: &["5(1)(c)", "5(1)(f)", "32"],
    ai_act: &["12"],
    ai_act_note: "logs must still be minimised",
    other: &[],
    precision: "high",
};

/// The finding's message.
fn message(m: &FlowMessage) -> String {
    format!(
        "{} from {} is written to logs by `{}`. Logs copy health data beyond its purpose and its access controls (GDPR Art. 5(1)(c), 5(1)(f), 32); log an opaque id or redact.",
        m.what, m.source, m.callee
    )
}
