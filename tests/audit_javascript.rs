//! The audit's dependency list for JavaScript and TypeScript: `package.json` sections and
//! imports (`import … from 'pkg'`, `require('pkg')`).

use healthflow::audit;
use healthflow::scan::{Engine, ScanOptions};

#[test]
fn package_json_dependencies_and_their_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("package.json"),
        r#"{
  "name": "portal",
  "dependencies": { "openai": "^4.67.0", "@anthropic-ai/sdk": "^0.30.0", "express": "^4.19.0" },
  "devDependencies": { "jest": "^29.0.0" },
  "optionalDependencies": { "@sentry/node": "^8.0.0" },
  "peerDependencies": { "mixpanel-browser": "^2.55.0" }
}"#,
    )
    .expect("write");
    std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
    std::fs::write(
        dir.path().join("src/app.ts"),
        "import OpenAI from 'openai';\nconst Sentry = require('@sentry/node');\n// the anthropic sdk is not used: '@anthropic-ai/sdk-like' is another name\nconst note = '@anthropic-ai/sdk';\nexport const client = new OpenAI();\n",
    )
    .expect("write");
    let engine = Engine::new().expect("engine");
    let m =
        audit::audit(&engine, dir.path(), &ScanOptions::default(), None, "test").expect("audit");
    let deps: Vec<(&str, bool)> = m
        .dependencies
        .iter()
        .map(|d| (d.package.as_str(), d.used))
        .collect();
    assert_eq!(
        deps,
        vec![
            ("@anthropic-ai/sdk", false),
            ("@sentry/node", true),
            ("mixpanel-browser", false),
            ("openai", true),
        ]
    );
    assert_eq!(m.summary.languages.get("javascript"), Some(&1));
}
