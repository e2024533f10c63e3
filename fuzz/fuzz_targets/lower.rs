#![no_main]
//! Every language of the table: the first byte picks the language and dialect
//! (`Lang::dialects()` order), the rest is the source. With `HEALTHFLOW_FUZZ_LANG=<name>`
//! only that language's dialects are picked, so each adapter can be fuzzed on its own.
#[path = "common.rs"]
mod common;
use healthflow::lang::Lang;
use std::sync::OnceLock;

fn dialects() -> &'static [Lang] {
    static D: OnceLock<Vec<Lang>> = OnceLock::new();
    D.get_or_init(|| {
        let only = std::env::var("HEALTHFLOW_FUZZ_LANG").ok();
        let all: Vec<Lang> = Lang::dialects().collect();
        match only {
            Some(name) => {
                let some: Vec<Lang> = all.iter().copied().filter(|l| l.name() == name).collect();
                assert!(!some.is_empty(), "HEALTHFLOW_FUZZ_LANG: no language {name}");
                some
            }
            None => all,
        }
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, source)) = data.split_first() else {
        return;
    };
    let dialects = dialects();
    if let Some(&lang) = dialects.get(usize::from(pick) % dialects.len().max(1)) {
        common::lower_and_analyze(lang, source);
    }
});
