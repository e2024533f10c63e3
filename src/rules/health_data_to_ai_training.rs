//! `health-data-to-ai-training`: health data is used to train or fine-tune a model.

use super::{FlowMessage, Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::HealthDataToAiTraining,
    code: "health-data-to-ai-training",
    level: Level::Error,
    security_severity: Some(8.0),
    flow_message: Some(message),
    name: "HealthDataToAiTraining",
    short: "Health data is used to train or fine-tune an AI model.",
    full: "Health data reaches a model training or fine-tuning call: `fit`, `train`, a \
        `Trainer(train_dataset=...)`, the creation of a fine-tuning job, or the upload of a \
        training file.",
    what: "Training and fine-tuning entry points that receive a value derived from health \
        data: scikit-learn style `fit`, `train` methods, Hugging Face `Trainer(train_dataset=...)`, \
        fine-tuning job creation and training-file uploads to hosted AI vendors.",
    why: "Reusing care data to train a model is a new purpose: GDPR purpose limitation \
        (Art. 5(1)(b)) and the compatibility test of Art. 6(4) apply, and Art. 9 still requires \
        a condition, such as research under Art. 9(2)(j) with the safeguards of Art. 89. \
        Building a training set from health data calls for a DPIA (Art. 35). Under the EU AI \
        Act, Art. 10 sets data-governance duties for high-risk systems; Art. 10(5) allows \
        special-category data only where strictly necessary for bias detection, with safeguards \
        such as pseudonymisation, access control and deletion. In France, reusing health data \
        for research goes through a CNIL reference methodology (MR) or an authorisation.",
    example_lang: "python",
    example: r#"def train_readmission_model(patients):
    X = [[p.age, p.hba1c, p.bmi] for p in patients]
    y = [p.readmitted for p in patients]
    return LogisticRegression().fit(X, y)
"#,
    fix: "Train on pseudonymised or anonymised data, drop direct identifiers, and keep only \
        the features the model needs. Document the purpose and the legal basis (Art. 6(4) \
        compatibility, an Art. 9(2) condition, Art. 89 safeguards), run a DPIA and, in France, \
        follow the applicable CNIL reference methodology. For hosted fine-tuning, check the \
        vendor's processing terms and where the training files are stored.",
    help: "train on pseudonymised or anonymised data, and document the purpose, the legal \
        basis and the DPIA",
    gdpr: &["9", "5(1)(b)", "6(4)", "35", "89"],
    ai_act: &["10"],
    ai_act_note: "10(5) for bias detection",
    other: &["CNIL reference methodologies (MR)"],
    precision: "medium",
};

/// The finding's message.
fn message(m: &FlowMessage) -> String {
    format!(
        "{} from {} is used to train or fine-tune a model: {}`{}`. Reuse for training needs the compatibility test (GDPR Art. 5(1)(b), 6(4)), an Art. 9 condition and a DPIA (Art. 35); data governance under AI Act Art. 10.",
        m.what,
        m.source,
        m.by(),
        m.callee
    )
}
