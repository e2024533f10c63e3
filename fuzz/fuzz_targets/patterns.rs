#![no_main]
//! Pattern files as a user could write them: TOML → spec → compiled patterns, then a few
//! lookups; and the glob matcher on arbitrary input.

use healthflow::patterns::{glob_match, LangFile, LangPatterns};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(file) = toml::from_str::<LangFile>(text) {
        if let Ok(p) = LangPatterns::compile("fuzz.toml", file) {
            let paths = ["requests.post", "client.chat.completions.create", "print", ""];
            let _ = p.sinks.matches(&paths);
            let _ = p.sources.is_match(&paths);
            let _ = p.clients.last_match("openai.OpenAI");
        }
    }
    // Globs and call paths are short; the matcher's newline case is quadratic by design.
    if let Some((g, t)) = text.split_once('\u{0}') {
        if g.len() <= 512 && t.len() <= 512 {
            let _ = glob_match(g, t);
        }
    }
});
