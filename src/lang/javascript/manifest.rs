//! `package.json`: the packages of `dependencies`, `devDependencies`,
//! `optionalDependencies` and `peerDependencies`.

const SECTIONS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

/// Package names declared in one `package.json`.
pub(crate) fn packages(text: &str) -> Vec<String> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for s in SECTIONS {
        if let Some(map) = doc.get(s).and_then(|v| v.as_object()) {
            for k in map.keys() {
                if !k.is_empty() && !out.contains(k) {
                    out.push(k.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_dependency_section() {
        let text = r#"{"name":"portal","dependencies":{"openai":"^4.0.0","@anthropic-ai/sdk":"0.30"},
            "devDependencies":{"jest":"29"},"optionalDependencies":{"@sentry/node":"8"},
            "peerDependencies":{"react":"18","openai":"*"}}"#;
        let mut got = super::packages(text);
        got.sort();
        assert_eq!(
            got,
            [
                "@anthropic-ai/sdk",
                "@sentry/node",
                "jest",
                "openai",
                "react"
            ]
        );
        assert!(super::packages("{ not json").is_empty());
        assert!(super::packages("[]").is_empty());
    }
}
