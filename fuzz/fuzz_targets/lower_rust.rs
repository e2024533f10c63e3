#![no_main]
#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::lower_and_analyze(healthflow::lang::Lang::Rust, data);
});
