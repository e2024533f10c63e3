//! `health-data-to-tracking`: health data reaches an analytics, ads or monitoring SDK.

use super::{FlowMessage, Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::HealthDataToTracking,
    code: "health-data-to-tracking",
    level: Level::Error,
    security_severity: Some(9.0),
    flow_message: Some(message),
    name: "HealthDataToTracking",
    short: "Health data is sent to an analytics, advertising, telemetry or error-monitoring SDK.",
    full: "Health data reaches a tracking SDK: product analytics (Segment, Mixpanel, Amplitude, \
        PostHog, Google Analytics), advertising (Meta pixel or Conversions API), telemetry or \
        error monitoring (Sentry, Datadog, New Relic, Bugsnag, Rollbar).",
    what: "Event tracking, user-property, breadcrumb, error-context and metric calls of \
        analytics, advertising, telemetry and error-monitoring SDKs that receive a value derived \
        from health data.",
    why: "No Art. 9(2) condition covers advertising, and analytics rarely has one: health data \
        sent to a tracker usually lacks both the Art. 9 condition and an Art. 6 legal basis, and \
        breaks purpose limitation (Art. 5(1)(b)). People must be told about these recipients \
        (Art. 13). In France, trackers need consent under Art. 82 of the Loi Informatique et \
        Libertés. Error-monitoring SDKs capture variables and request bodies, so health data \
        often reaches them by accident.",
    example_lang: "python",
    example: r#"def on_booked(user_id, patient):
    analytics.track(user_id, "Appointment booked",
                    {"diagnosis": patient.diagnosis})
"#,
    fix: "Keep health data out of events, user properties, breadcrumbs and error context: send \
        neutral event names and pseudonymous ids. Scrub payloads before they leave (for example \
        Sentry's `before_send` hook and `send_default_pii=False`), and collect consent for \
        trackers.",
    help: "keep health data out of events and error context; scrub payloads (e.g. Sentry \
        before_send) and send only pseudonymous ids",
    gdpr: &["9", "6", "5(1)(b)", "13"],
    ai_act: &[],
    ai_act_note: "",
    other: &["Loi Informatique et Libertés Art. 82 (trackers)"],
    precision: "high",
};

/// The finding's message.
fn message(m: &FlowMessage) -> String {
    format!(
        "{} from {} reaches a tracking or monitoring SDK: {}`{}`. Analytics and error monitoring have no Art. 9 ground for health data (GDPR Art. 9, 6, 5(1)(b)); trackers also need consent (Loi Informatique et Libertés Art. 82). Send an opaque id, never the data.",
        m.what,
        m.source,
        m.by(),
        m.callee
    )
}
