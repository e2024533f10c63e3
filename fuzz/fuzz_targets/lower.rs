#![no_main]
//! Every language of the table: the first byte picks the language and dialect
//! (`Lang::dialects()` order), the rest is the source.
#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, source)) = data.split_first() else {
        return;
    };
    let dialects: Vec<_> = healthflow::lang::Lang::dialects().collect();
    if let Some(&lang) = dialects.get(usize::from(pick) % dialects.len().max(1)) {
        common::lower_and_analyze(lang, source);
    }
});
