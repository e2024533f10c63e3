//! Maven `pom.xml` and Gradle `build.gradle` / `build.gradle.kts`: the dependencies they
//! declare, as `groupId:artifactId`. Read by a line scan, never by an XML parser (no entity
//! expansion, no external resources): `<dependency>` blocks' `<groupId>` and `<artifactId>`,
//! and Gradle dependency notations `"group:artifact:version"` /
//! `group: 'g', name: 'a'`; and Gradle version catalogs (`gradle/libs.versions.toml`), whose
//! `[libraries]` build scripts refer to as `libs.<alias>`.

pub(crate) fn is_manifest(file_name: &str) -> bool {
    matches!(file_name, "pom.xml" | "build.gradle" | "build.gradle.kts")
        || file_name.ends_with(".versions.toml")
}

pub(crate) fn packages(file_name: &str, text: &str) -> Vec<String> {
    let mut out = if file_name == "pom.xml" {
        pom(text)
    } else if file_name.ends_with(".versions.toml") {
        catalog(text)
    } else {
        gradle(text)
    };
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out
}

/// The text between `<tag>` and `</tag>` starting in `s`, if both are there.
fn element<'a>(s: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = s.find(&open)? + open.len();
    let len = s[start..].find(&close)?;
    Some(s[start..start + len].trim())
}

/// A coordinate part made of the characters Maven allows, without properties (`${x}`).
fn plain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn pom(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    // `<dependency>` blocks, wherever they are (dependencies, dependencyManagement, profiles).
    while let Some(i) = rest.find("<dependency>") {
        let block_start = i + "<dependency>".len();
        let Some(len) = rest[block_start..].find("</dependency>") else {
            break;
        };
        let block = &rest[block_start..block_start + len];
        if let (Some(g), Some(a)) = (element(block, "groupId"), element(block, "artifactId")) {
            if plain(g) && plain(a) {
                out.push(format!("{g}:{a}"));
            }
        }
        rest = &rest[block_start + len..];
    }
    out
}

/// A version catalog's libraries: `alias = "g:a:v"`, `{ module = "g:a", … }` or
/// `{ group = "g", name = "a", … }`. A catalog that is not valid TOML declares nothing.
fn catalog(text: &str) -> Vec<String> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(libs) = doc.get("libraries").and_then(|l| l.as_table()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for v in libs.values() {
        let coord = match v {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Table(t) => match (t.get("module"), t.get("group"), t.get("name")) {
                (Some(toml::Value::String(m)), _, _) => Some(m.clone()),
                (_, Some(toml::Value::String(g)), Some(toml::Value::String(a))) => {
                    Some(format!("{g}:{a}"))
                }
                _ => None,
            },
            _ => None,
        };
        let Some(coord) = coord else { continue };
        let mut segs = coord.split(':');
        if let (Some(g), Some(a)) = (segs.next(), segs.next()) {
            if plain(g) && plain(a) {
                out.push(format!("{g}:{a}"));
            }
        }
    }
    out
}

/// Configurations whose dependencies ship with (or test) the code.
const CONFIGURATIONS: &[&str] = &[
    "implementation",
    "api",
    "compileOnly",
    "runtimeOnly",
    "testImplementation",
    "testRuntimeOnly",
    "annotationProcessor",
    "compile",
    "runtime",
    "kapt",
];

fn gradle(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        let Some(conf) = CONFIGURATIONS.iter().find(|c| {
            l.strip_prefix(**c)
                .is_some_and(|r| r.starts_with('(') || r.starts_with(' ') || r.starts_with('\''))
        }) else {
            continue;
        };
        let rest = l[conf.len()..].trim_start();
        // `group: 'g', name: 'a', version: 'v'` (Groovy map notation).
        if rest.contains("group") && rest.contains("name") {
            let value = |key: &str| {
                let i = rest.find(&format!("{key}:"))? + key.len() + 1;
                let r = rest[i..].trim_start();
                let q = r.chars().next().filter(|c| *c == '\'' || *c == '"')?;
                let end = r[1..].find(q)?;
                Some(r[1..1 + end].to_string())
            };
            if let (Some(g), Some(a)) = (value("group"), value("name")) {
                if plain(&g) && plain(&a) {
                    out.push(format!("{g}:{a}"));
                }
            }
            continue;
        }
        // `"g:a:v"` or `'g:a'`, in parentheses or not; `platform("g:a:v")` too.
        for q in ['"', '\''] {
            let mut parts = rest.split(q);
            parts.next();
            if let Some(coord) = parts.next() {
                let mut segs = coord.split(':');
                if let (Some(g), Some(a)) = (segs.next(), segs.next()) {
                    if plain(g) && plain(a) {
                        out.push(format!("{g}:{a}"));
                    }
                }
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_catalog_libraries() {
        let text = r#"
[versions]
lc4j = "0.35.0"

[libraries]
langchain4j-openai = { module = "dev.langchain4j:langchain4j-open-ai", version.ref = "lc4j" }
sentry = { group = "io.sentry", name = "sentry", version = "7.14.0" }
okhttp = "com.squareup.okhttp3:okhttp:4.12.0"
broken = { version = "1" }

[plugins]
spring = { id = "org.springframework.boot", version = "3.3.0" }
"#;
        assert_eq!(
            packages("libs.versions.toml", text),
            [
                "dev.langchain4j:langchain4j-open-ai",
                "com.squareup.okhttp3:okhttp",
                "io.sentry:sentry"
            ]
        );
        assert!(packages("libs.versions.toml", "[libraries\nx = ").is_empty());
    }

    #[test]
    fn pom_dependencies() {
        let text = r#"<?xml version="1.0"?>
<!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<project>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent>
  <dependencies>
    <dependency>
      <groupId>com.openai</groupId>
      <artifactId>openai-java</artifactId>
      <version>2.1.0</version>
    </dependency>
    <dependency><groupId>io.sentry</groupId><artifactId>sentry</artifactId></dependency>
    <dependency><groupId>${evil}</groupId><artifactId>&x;</artifactId></dependency>
  </dependencies>
</project>"#;
        assert_eq!(
            packages("pom.xml", text),
            ["com.openai:openai-java", "io.sentry:sentry"]
        );
        assert!(packages("pom.xml", "<dependency><groupId>a").is_empty());
    }

    #[test]
    fn gradle_dependencies() {
        let text = r#"
dependencies {
    implementation("dev.langchain4j:langchain4j-open-ai:0.35.0")
    implementation 'com.mixpanel:mixpanel-java:1.5.2'
    testImplementation group: 'org.junit.jupiter', name: 'junit-jupiter', version: '5.10.0'
    // implementation("commented:out:1")
    runtimeOnly(libs.postgres)
}"#;
        assert_eq!(
            packages("build.gradle.kts", text),
            [
                "dev.langchain4j:langchain4j-open-ai",
                "com.mixpanel:mixpanel-java",
                "org.junit.jupiter:junit-jupiter"
            ]
        );
        assert!(is_manifest("build.gradle") && is_manifest("pom.xml"));
        assert!(is_manifest("libs.versions.toml"));
        assert!(!is_manifest("settings.gradle"));
    }
}
