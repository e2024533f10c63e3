//! `emotion-or-biometric-ai`: a call to an emotion-recognition or biometric-categorisation API.

use super::{Level, RuleId, RuleMeta};

pub(super) const META: RuleMeta = RuleMeta {
    id: RuleId::EmotionOrBiometricAi,
    code: "emotion-or-biometric-ai",
    level: Level::Warning,
    security_severity: Some(7.0),
    flow_message: None,
    name: "EmotionOrBiometricAi",
    short: "Code calls an emotion-recognition or biometric-categorisation AI API.",
    full: "A call to an emotion-recognition or biometric-categorisation API, such as the face \
        emotion attributes of AWS Rekognition or Azure Face, or Hume. It is reported at the \
        call, whether or not health data flows into it.",
    what: "Calls that request emotion or biometric attributes from an AI service (for example \
        `detect_faces` with `Attributes=[\"EMOTIONS\"]`, Azure Face emotion attributes, Hume \
        expression measurement).",
    why: "Biometric data used to identify people and inferences about health are special \
        categories (GDPR Art. 9), and such processing calls for a DPIA (Art. 35). Under the EU \
        AI Act, inferring emotions in the workplace or in education institutions is prohibited \
        (Art. 5(1)(f), since 2 Feb 2025) except for medical or safety reasons. Elsewhere, \
        emotion recognition is high-risk (Annex III 1(c)), from 2 Aug 2026 (Digital Omnibus: \
        2 Dec 2027, pending OJ), and deployers must inform the people exposed to it \
        (Art. 50(3), from 2 Aug 2026). Biometric categorisation that infers race, political \
        opinions, trade-union membership, religious or philosophical beliefs, sex life or \
        sexual orientation is prohibited (Art. 5(1)(g)); categorisation by other sensitive \
        attributes, health included, is high-risk (Annex III 1(b)).",
    example_lang: "python",
    example: r#"def mood(frame):
    return rekognition.detect_faces(Image={"Bytes": frame}, Attributes=["EMOTIONS"])
"#,
    fix: "Check that the feature is needed at all. In a workplace or an educational setting, \
        remove emotion inference unless it serves a medical or safety purpose. Otherwise treat \
        it as a high-risk AI system: run a DPIA, inform the people exposed (Art. 50(3)), and \
        keep biometric data minimal and short-lived.",
    help: "remove emotion inference in workplace or education settings; otherwise run a DPIA \
        and inform the people exposed (AI Act Art. 50(3))",
    gdpr: &["9", "35"],
    ai_act: &["5(1)(f)", "Annex III 1(c)", "50(3)"],
    ai_act_note: "5(1)(f) in workplace and education settings",
    other: &[],
    precision: "high",
};
