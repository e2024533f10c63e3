//! The audit's dependency list for Java: `pom.xml` and `build.gradle(.kts)` dependencies and
//! their use in the code (`import com.openai…;`).

use healthflow::audit;
use healthflow::scan::{Engine, ScanOptions};

/// Package names as the audit lists them: normalised like every ecosystem's (lower case, `.`
/// and `_` as `-`), so `com.openai:openai-java` is `com-openai:openai-java`.
fn deps(dir: &std::path::Path) -> Vec<(String, bool)> {
    let engine = Engine::new().expect("engine");
    let m = audit::audit(&engine, dir, &ScanOptions::default(), None, "test").expect("audit");
    assert_eq!(m.summary.languages.get("java"), Some(&1));
    m.dependencies
        .iter()
        .map(|d| (d.package.clone(), d.used))
        .collect()
}

#[test]
fn pom_dependencies_and_their_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("pom.xml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<project>
  <modelVersion>4.0.0</modelVersion>
  <dependencies>
    <dependency>
      <groupId>com.openai</groupId>
      <artifactId>openai-java</artifactId>
      <version>2.1.0</version>
    </dependency>
    <dependency><groupId>io.sentry</groupId><artifactId>sentry</artifactId><version>8.0.0</version></dependency>
    <dependency><groupId>dev.langchain4j</groupId><artifactId>langchain4j-open-ai</artifactId></dependency>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
  </dependencies>
</project>"#,
    )
    .expect("write");
    let src = dir.path().join("src/main/java/com/acme");
    std::fs::create_dir_all(&src).expect("mkdir");
    std::fs::write(
        src.join("App.java"),
        "package com.acme;\n\nimport com.openai.client.OpenAIClient;\nimport static io.sentry.Sentry.captureMessage;\n\n// dev.langchain4j is mentioned, not imported\nclass App { String s = \"dev.langchain4j\"; }\n",
    )
    .expect("write");
    assert_eq!(
        deps(dir.path()),
        vec![
            ("com-openai:openai-java".to_string(), true),
            ("dev-langchain4j:langchain4j-open-ai".to_string(), false),
            ("io-sentry:sentry".to_string(), true),
        ]
    );
}

#[test]
fn gradle_dependencies_and_their_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("build.gradle.kts"),
        "dependencies {\n    implementation(\"com.mixpanel:mixpanel-java:1.5.3\")\n    implementation(\"software.amazon.awssdk:s3:2.29.0\")\n    testImplementation(\"org.junit.jupiter:junit-jupiter:5.11.0\")\n}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("Upload.java"),
        "import software.amazon.awssdk.services.s3.S3Client;\nclass Upload {}\n",
    )
    .expect("write");
    assert_eq!(
        deps(dir.path()),
        vec![
            ("com-mixpanel:mixpanel-java".to_string(), false),
            ("software-amazon-awssdk:s3".to_string(), true),
        ]
    );
}

#[test]
fn version_catalog_dependencies_and_their_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("gradle")).expect("mkdir");
    std::fs::write(
        dir.path().join("gradle/libs.versions.toml"),
        "[versions]\nlc4j = \"0.35.0\"\n\n[libraries]\nlangchain4j-openai = { module = \"dev.langchain4j:langchain4j-open-ai\", version.ref = \"lc4j\" }\nsentry = { group = \"io.sentry\", name = \"sentry\", version = \"7.14.0\" }\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("build.gradle.kts"),
        "dependencies {\n    implementation(libs.langchain4j.openai)\n    implementation(libs.sentry)\n}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("Chat.java"),
        "import dev.langchain4j.model.openai.OpenAiChatModel;\nclass Chat {}\n",
    )
    .expect("write");
    assert_eq!(
        deps(dir.path()),
        vec![
            ("dev-langchain4j:langchain4j-open-ai".to_string(), true),
            ("io-sentry:sentry".to_string(), false),
        ]
    );
}
