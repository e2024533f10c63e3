//! Python dependency manifests: `requirements*.txt`, `pyproject.toml` (PEP 621, Poetry,
//! dependency groups), `Pipfile`, `setup.cfg`.

use crate::lang::toolkit::toml_keys as table_keys;

pub(crate) fn is_manifest(name: &str) -> bool {
    matches!(name, "pyproject.toml" | "Pipfile" | "setup.cfg")
        || (name.starts_with("requirements") && name.ends_with(".txt"))
}

/// Package names declared in one manifest.
pub(crate) fn packages(file_name: &str, text: &str) -> Vec<String> {
    let mut out = match file_name {
        "pyproject.toml" => pyproject_deps(text),
        "Pipfile" => pipfile_deps(text),
        "setup.cfg" => setup_cfg_deps(text),
        _ => text.lines().filter_map(requirement_name).collect(),
    };
    out.retain(|n| !n.is_empty());
    out
}

/// The distribution name at the start of a PEP 508 requirement (`sentry-sdk[fastapi]>=2`).
fn requirement_name(line: &str) -> Option<String> {
    let line = line.split('#').next().unwrap_or("").trim();
    if line.is_empty() || line.starts_with('-') {
        return None;
    }
    let name: String = line
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then_some(name)
}

fn string_list(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .filter_map(requirement_name)
                .collect()
        })
        .unwrap_or_default()
}

fn pyproject_deps(text: &str) -> Vec<String> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(project) = doc.get("project") {
        out.extend(string_list(project.get("dependencies")));
        if let Some(opt) = project
            .get("optional-dependencies")
            .and_then(|v| v.as_table())
        {
            for v in opt.values() {
                out.extend(string_list(Some(v)));
            }
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(|v| v.as_table()) {
        for v in groups.values() {
            out.extend(string_list(Some(v)));
        }
    }
    if let Some(poetry) = doc.get("tool").and_then(|t| t.get("poetry")) {
        out.extend(table_keys(poetry.get("dependencies")));
        out.extend(table_keys(poetry.get("dev-dependencies")));
        if let Some(groups) = poetry.get("group").and_then(|v| v.as_table()) {
            for g in groups.values() {
                out.extend(table_keys(g.get("dependencies")));
            }
        }
    }
    out.retain(|n| n != "python");
    out
}

fn pipfile_deps(text: &str) -> Vec<String> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = table_keys(doc.get("packages"));
    out.extend(table_keys(doc.get("dev-packages")));
    out
}

/// `install_requires` and `extras_require` values of a setup.cfg (INI, indented continuations).
fn setup_cfg_deps(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut in_list = false;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim();
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed.trim_matches(['[', ']']).trim().to_string();
            in_list = false;
            continue;
        }
        let indented = line.starts_with(' ') || line.starts_with('\t');
        if !indented {
            in_list = false;
            if let Some((key, value)) = trimmed.split_once('=') {
                let key = key.trim();
                in_list = (section == "options" && key == "install_requires")
                    || section == "options.extras_require";
                if in_list {
                    out.extend(requirement_name(value));
                }
            }
            continue;
        }
        if in_list {
            out.extend(requirement_name(trimmed));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names() {
        assert_eq!(
            requirement_name("sentry-sdk[fastapi]>=2.10,<3").as_deref(),
            Some("sentry-sdk")
        );
        assert_eq!(requirement_name("  # comment"), None);
        assert_eq!(requirement_name("-r base.txt"), None);
    }

    #[test]
    fn manifests_parse() {
        let py = "[project]\ndependencies = [\"openai>=1\", \"posthog\"]\n[tool.poetry.dependencies]\npython = \"^3.11\"\nmixpanel = \"*\"\n";
        assert_eq!(pyproject_deps(py), vec!["openai", "posthog", "mixpanel"]);
        let cfg = "[options]\ninstall_requires =\n    boto3>=1\n    requests\nzip_safe = False\n";
        assert_eq!(setup_cfg_deps(cfg), vec!["boto3", "requests"]);
        let pip = "[packages]\nanthropic = \"*\"\n[dev-packages]\npytest = \"*\"\n";
        assert_eq!(pipfile_deps(pip), vec!["anthropic", "pytest"]);
    }
}
