//! `health-data-to-ai-model`: health data reaches an AI model inference call.

use super::{FlowMessage, Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::HealthDataToAiModel,
    code: "health-data-to-ai-model",
    level: Level::Error,
    security_severity: Some(8.0),
    flow_message: Some(message),
    name: "HealthDataToAiModel",
    short: "Health data is sent to an AI model for inference.",
    full: "Health data (data concerning health, genetic data or biometric data) reaches an AI \
        model inference call: an LLM or ML API through an SDK, a raw HTTP request to a known AI \
        endpoint, or a local model's predict, generate or embedding call.",
    what: "Calls that run an AI model on a value derived from health data: SDK calls (OpenAI, \
        Anthropic, Google Gemini / Vertex, Mistral, Cohere, AWS Bedrock, Azure OpenAI, Hugging \
        Face Inference, LiteLLM, LangChain, LlamaIndex, Ollama), HTTP requests to known AI \
        endpoints such as `api.openai.com` or `api.anthropic.com`, and local models \
        (`transformers.pipeline(...)(x)`, `model.generate`, `model.predict`, embeddings). The \
        finding is reported at the call; its code flow shows where the health data came from.",
    why: "Health data is a special category (GDPR Art. 9): processing it needs an Art. 9(2) \
        condition on top of an Art. 6 legal basis. Only what the task needs may be sent \
        (Art. 5(1)(c), data minimisation). A hosted model vendor is a processor: it needs a \
        written Art. 28 agreement, which should rule out training on your data. Art. 32 asks for \
        security measures such as pseudonymisation, and health data combined with AI should be \
        treated as needing a DPIA (Art. 35). Under the EU AI Act, patients who interact with the \
        system must be told it is an AI (Art. 50(1), from 2 Aug 2026); the deployer duties of \
        Art. 26 apply only if the system is high-risk. A medical use of AI is not high-risk by \
        itself: it is high-risk through Art. 6(1) + Annex I when the software is a medical \
        device that needs a notified body (from 2 Aug 2027 (Digital Omnibus: 2 Aug 2028, \
        pending OJ)), or through Annex III 5(d) for emergency patient triage. In France, a \
        vendor that stores the data on your behalf must be HDS-certified (CSP L.1111-8).",
    example_lang: "python",
    example: r#"def summarize(patient, client):
    prompt = f"Summarise: {patient.diagnosis}"
    return client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": prompt}])
"#,
    fix: "Send the model only the fields the task needs, and pseudonymise identifiers before \
        the call (for example a keyed hash of the patient id, with the key kept separately). Use \
        a vendor bound by a data processing agreement (Art. 28) that excludes training on your \
        data, an EU endpoint or a self-hosted model, and in France an HDS-certified host when \
        the vendor stores data. Record the processing in your DPIA and tell patients when they \
        are interacting with an AI system.",
    help: "send only the fields the task needs, pseudonymised, to a vendor under an Art. 28 \
        agreement, and cover the processing in a DPIA",
    gdpr: &["9", "5(1)(c)", "28", "32", "35"],
    ai_act: &["26", "50(1)"],
    ai_act_note: "50(1) when patients interact with it; 26 only if high-risk; 6(1) + Annex I \
        only for medical-device software that needs a notified body, Annex III 5(d) only for \
        emergency triage",
    other: &["HDS (CSP L.1111-8) if the vendor stores data"],
    precision: "high",
};

/// The finding's message.
fn message(m: &FlowMessage) -> String {
    format!(
        "{} from {} reaches an AI model: {}`{}`{}. Check the Art. 9(2) condition, a processor agreement that excludes training on the data (GDPR Art. 28), minimisation (Art. 5(1)(c)) and a DPIA (Art. 35); if patients interact with it, disclose the AI (AI Act Art. 50(1)).",
        m.what,
        m.source,
        m.by(),
        m.callee,
        m.model.map(|x| format!(" (model `{x}`)")).unwrap_or_default()
    )
}
