//! Rust dependency manifests: `Cargo.toml` (dependencies of every kind, workspace and target
//! sections, renamed packages).

pub(crate) fn is_manifest(name: &str) -> bool {
    name == "Cargo.toml"
}

pub(crate) fn packages(text: &str) -> Vec<String> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    fn sections<'a>(t: &'a toml::Table, into: &mut Vec<&'a toml::Table>) {
        for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if let Some(d) = t.get(key).and_then(|v| v.as_table()) {
                into.push(d);
            }
        }
    }
    let mut tables: Vec<&toml::Table> = Vec::new();
    sections(&doc, &mut tables);
    if let Some(ws) = doc.get("workspace").and_then(|v| v.as_table()) {
        sections(ws, &mut tables);
    }
    if let Some(targets) = doc.get("target").and_then(|v| v.as_table()) {
        for t in targets.values().filter_map(|v| v.as_table()) {
            sections(t, &mut tables);
        }
    }
    let mut out = Vec::new();
    for t in tables {
        for (key, v) in t {
            // `foo = { package = "real-name" }` renames a dependency.
            let real = v
                .get("package")
                .and_then(|p| p.as_str())
                .unwrap_or(key.as_str());
            out.push(real.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn cargo_manifest() {
        let cargo = "[dependencies]\nsentry = \"0.34\"\nai = { package = \"async-openai\", version = \"0.2\" }\n";
        assert_eq!(super::packages(cargo), vec!["async-openai", "sentry"]);
    }
}
