//! Test code: which files and regions are tests, so that their findings are told apart.
//!
//! Conventions per language: Python test files (`test_*.py`, `*_test.py`, `conftest.py`, files
//! under `tests/` or `test/`), Rust integration tests (`tests/`) and `#[cfg(test)]` modules.
//! Flows whose source is in test code and whose sink is not are fixtures feeding the code
//! under test, not health data leaving it.

use crate::model::Span;

/// Directory names that hold tests.
const TEST_DIRS: &[&str] = &[
    "tests",
    "test",
    "testing",
    "__tests__",
    "e2e",
    "e2e_automation",
];

/// Whether a file (a `/`-separated path relative to the report root) is test code.
pub fn is_test_path(rel: &str) -> bool {
    let mut parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    let Some(file) = parts.pop() else {
        return false;
    };
    if parts.iter().any(|d| TEST_DIRS.contains(d)) {
        return true;
    }
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    file == "conftest.py"
        || stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
}

/// The line ranges of `#[cfg(test)]` modules in a Rust source (brace matching on the text,
/// skipping string and character literals and comments; linear in the source).
pub fn rust_test_regions(src: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = src[from..].find("#[cfg(test)]") {
        let start = from + i;
        from = start + 12;
        let rest = &src[from..];
        // The attribute must be followed by a `mod` item (possibly after other attributes).
        let Some(m) = rest.find("mod ") else { break };
        if rest[..m].contains(';') || rest[..m].contains('{') {
            continue;
        }
        let Some(open) = rest[m..].find(['{', ';']).map(|o| from + m + o) else {
            break;
        };
        if src.as_bytes()[open] == b';' {
            continue;
        }
        let end = matching_brace(src, open).unwrap_or(src.len());
        let line = |b: usize| src[..b.min(src.len())].matches('\n').count() as u32 + 1;
        out.push((line(start), line(end)));
        from = end.max(from);
    }
    out
}

fn matching_brace(src: &str, open: usize) -> Option<usize> {
    let b = src.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether `span` of the file at `rel` (with its source) lies in test code.
pub fn is_test_code(rel: &str, span: Span, regions: &[(u32, u32)]) -> bool {
    is_test_path(rel)
        || regions
            .iter()
            .any(|(a, b)| *a <= span.start_line && span.start_line <= *b)
}

/// Sinks that stay inside a test: mocks, test clients, recorded responses.
pub fn is_test_double(callee: &str) -> bool {
    let l = callee.to_ascii_lowercase();
    [
        "mock",
        "testclient",
        "test_client",
        "self.client.",
        "responses.",
        "httpx_mock",
        "requests_mock",
        "wiremock",
        "mockito",
        "fake",
        "stub",
    ]
    .iter()
    .any(|w| l.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths() {
        for p in [
            "tests/test_api.py",
            "app/tests/helpers.py",
            "test_models.py",
            "svc/models_test.py",
            "conftest.py",
            "crate/tests/it.rs",
        ] {
            assert!(is_test_path(p), "{p}");
        }
        for p in [
            "app/models.py",
            "contest.py",
            "latest.py",
            "src/attestation.rs",
            "protest/x.py",
        ] {
            assert!(!is_test_path(p), "{p}");
        }
    }

    #[test]
    fn cfg_test_modules() {
        let src =
            "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { let s = \"}\"; }\n}\nfn c() {}\n";
        assert_eq!(rust_test_regions(src), vec![(2, 5)]);
        assert!(rust_test_regions("#[cfg(test)]\nuse x;\n").is_empty());
    }
}
