//! `health-data-unencrypted-storage`: health data is written without encryption.

use super::{FlowMessage, Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::HealthDataUnencryptedStorage,
    code: "health-data-unencrypted-storage",
    level: Level::Warning,
    security_severity: Some(5.5),
    flow_message: Some(message),
    name: "HealthDataUnencryptedStorage",
    short: "Health data is written to a file, object storage or a cache without encryption.",
    full: "Health data reaches a write outside a database with no encryption step: local files \
        (`open(...).write`, `json.dump`, `pickle.dump`, pandas `to_csv` / `to_parquet`, \
        `std::fs::write`, `File::create` then write), object storage (`s3.put_object` without \
        server-side encryption, GCS uploads) and caches.",
    what: "Writes of a value derived from health data to local files, object storage or caches \
        when no encryption call or server-side encryption setting is seen on the way.",
    why: "GDPR Art. 32(1)(a) names encryption as a security measure, Art. 5(1)(f) requires \
        confidentiality and Art. 25 asks for data protection by design. Unencrypted exports end \
        up in backups, shared drives and buckets; encrypted data can also spare you from \
        notifying each person after a breach (Art. 34(3)(a)). In France, hosting health data \
        for others requires HDS certification (CSP L.1111-8); in the US, HIPAA 45 CFR \
        164.312(a)(2)(iv) covers encryption at rest.",
    example_lang: "python",
    example: r#"def export(patient):
    with open("export.json", "w") as f:
        json.dump({"nir": patient.nir, "diagnosis": patient.diagnosis}, f)
"#,
    fix: "Encrypt before writing (for example Fernet or AES-GCM with a key from a secrets \
        manager) or request server-side encryption (`ServerSideEncryption=\"aws:kms\"`), and \
        write only the fields you need. Prefer a database with access control over ad hoc \
        files.",
    help: "encrypt before writing (or request server-side encryption) and store only the \
        fields you need",
    gdpr: &["32(1)(a)", "5(1)(f)", "25"],
    ai_act: &[],
    ai_act_note: "",
    other: &["HDS (CSP L.1111-8)", "HIPAA 164.312(a)(2)(iv)"],
    precision: "medium",
};

/// The finding's message.
fn message(m: &FlowMessage) -> String {
    format!(
        "{} from {} is stored without encryption: {}`{}`. Encrypt it at rest (GDPR Art. 32(1)(a), 25) or keep it in an encrypted store.",
        m.what,
        m.source,
        m.by(),
        m.callee
    )
}
