//! `ai-system-inventory`: opt-in note for each AI model call site (AI register).

use super::{Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::AiSystemInventory,
    code: "ai-system-inventory",
    level: Level::Note,
    security_severity: None,
    flow_message: None,
    name: "AiSystemInventory",
    short: "An AI model is called here.",
    full: "An opt-in note for each AI model call site, with the provider and the model name \
        when they are literals, to build the register of AI systems an audit needs.",
    what: "Every AI model inference or training call the scanner recognises, whether or not \
        health data reaches it, with the provider and the literal model name when known. \
        Enabled with `--inventory`.",
    why: "The EU AI Act duties depend on knowing which AI systems you provide or deploy: AI \
        literacy of the staff who use them (Art. 4, since 2 Feb 2025), deployer duties for \
        high-risk systems (Art. 26) and transparency towards the people who interact with them \
        (Art. 50, from 2 Aug 2026). A GDPR DPIA (Art. 35) needs the same list. This note has no \
        security severity.",
    example_lang: "rust",
    example: r#"let resp = client
    .post("https://api.mistral.ai/v1/chat/completions")
    .json(&body)
    .send()?;
"#,
    fix: "Nothing to fix: record each call site in the AI register with its purpose, provider, \
        model, the data it processes and its risk classification.",
    help: "nothing to fix: record the call site in the AI register",
    gdpr: &["35"],
    ai_act: &["4", "26", "50"],
    ai_act_note: "",
    other: &[],
    precision: "high",
};
