use healthflow::lang::Lang;
use healthflow::scan::Engine;
use healthflow::taint::{analyze, EngineOptions, FileInput};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new().expect("embedded patterns load"))
}

/// Lower `data` as `lang`, complete the model with the patterns, and run the taint analysis
/// on the model, inventory on and off.
pub fn lower_and_analyze(lang: Lang, data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let e = engine();
    let Ok(module) = healthflow::complete::lower(&e.catalog, lang, src, "") else {
        return;
    };
    for inventory in [false, true] {
        let input = FileInput {
            path: "fuzz.input",
            lang,
            module: &module,
            source: src,
            lines: None,
        };
        let opts = EngineOptions {
            inventory,
            ..EngineOptions::default()
        };
        let _ = analyze(&input, &e.catalog, &e.classifier, &opts);
    }
    let _ = e.prefilter().may_match(src);
}
