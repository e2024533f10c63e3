//! Test code: which files and regions are tests, so that their findings are told apart.
//!
//! Conventions per language: Python test files (`test_*.py`, `*_test.py`, `conftest.py`, files
//! under `tests/` or `test/`), Rust integration tests (`tests/`) and `#[cfg(test)]` modules,
//! JavaScript and TypeScript tests (`*.test.ts`, `*.spec.js`, `__tests__/`, `e2e/`).
//! Flows whose source is in test code and whose sink is not are fixtures feeding the code
//! under test, not health data leaving it.

use crate::model::Span;
use crate::patterns::TestCodeSpec;

/// Whether a file (a `/`-separated path relative to the report root) is test code.
pub fn is_test_path(spec: &TestCodeSpec, rel: &str) -> bool {
    let mut parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    let Some(file) = parts.pop() else {
        return false;
    };
    if parts.iter().any(|d| spec.dirs.iter().any(|t| t == d)) {
        return true;
    }
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    // Generators and stores of made-up records (`synthetic-patient-data/`, `mock_values.py`).
    let data_word = |name: &str| {
        crate::classify::words(name)
            .iter()
            .any(|w| spec.data_words.iter().any(|d| d == w))
    };
    if parts.iter().any(|d| data_word(d)) || data_word(stem) {
        return true;
    }
    spec.file_names.iter().any(|n| n == file)
        || spec
            .stem_prefixes
            .iter()
            .any(|p| stem.starts_with(p.as_str()))
        || spec
            .stem_suffixes
            .iter()
            .any(|x| stem.ends_with(x.as_str()))
}

/// Whether `span` of the file at `rel` lies in test code (`regions`: the language's in-file
/// test regions, see [`crate::lang::Lang::test_regions`]).
pub fn is_test_code(spec: &TestCodeSpec, rel: &str, span: Span, regions: &[(u32, u32)]) -> bool {
    is_test_path(spec, rel)
        || regions
            .iter()
            .any(|(a, b)| *a <= span.start_line && span.start_line <= *b)
}

/// Whether a test file sends its requests to the application under test: it serves the
/// application on a loopback port (`TcpListener::bind("127.0.0.1:0")`), or drives a running
/// one through a client that holds its base URL (`@playwright/test`'s `request`).
pub fn reaches_app_under_test(spec: &TestCodeSpec, source: &str) -> bool {
    spec.loopback_servers
        .iter()
        .chain(&spec.app_drivers)
        .any(|m| source.contains(m.as_str()))
}

/// Sinks that stay inside a test: mocks, test clients, recorded responses.
pub fn is_test_double(spec: &TestCodeSpec, callee: &str) -> bool {
    let l = callee.to_ascii_lowercase();
    spec.doubles.iter().any(|w| l.contains(w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Catalog;

    #[test]
    fn test_paths() {
        let catalog = Catalog::embedded().unwrap();
        let spec = &catalog.lexicon.test_code;
        for p in [
            "tests/test_api.py",
            "app/tests/helpers.py",
            "test_models.py",
            "svc/models_test.py",
            "conftest.py",
            "crate/tests/it.rs",
            "src/api/visits.test.ts",
            "web/components/Chart.spec.tsx",
            "scripts/synthetic-patient-data/plan.ts",
            "evaluations/synthetic_profile_generator.py",
            "lambdas/shared/mock_values.py",
            "src/fixtures/fakePatients.ts",
            "prisma/seed.ts",
            "scripts/seed-supabase.mjs",
            "db/seeders/20240101-patients.js",
        ] {
            assert!(is_test_path(spec, p), "{p}");
        }
        for p in [
            "app/models.py",
            "contest.py",
            "latest.py",
            "src/attestation.rs",
            "protest/x.py",
            "src/mockingbird/app.py",
            "app/fakeredis_client.py",
            "src/latest.ts",
            "src/respec.js",
            "src/seedling.ts",
            "app/proceed.py",
        ] {
            assert!(!is_test_path(spec, p), "{p}");
        }
        assert!(is_test_double(spec, "mock.MagicMock().send"));
        assert!(!is_test_double(spec, "requests.post"));
    }
}
