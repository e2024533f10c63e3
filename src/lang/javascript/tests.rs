//! Lowering tests for the JavaScript / TypeScript adapter.

use crate::lang::Lang;
use crate::model::*;

fn lower_as(ext: &str, src: &str) -> Module {
    let lang = Lang::from_path(std::path::Path::new(&format!("x.{ext}"))).expect("registered");
    lang.lower(src).expect("grammar loads")
}

/// Prints the model of the file named by `JS_DUMP` (a debugging aid).
#[test]
#[ignore]
fn dump() {
    let Ok(path) = std::env::var("JS_DUMP") else {
        return;
    };
    let src = std::fs::read_to_string(&path).expect("readable");
    let ext = path.rsplit('.').next().unwrap_or("js");
    let m = lower_as(ext, &src);
    println!("{}", serde_json::to_string_pretty(&m.functions).unwrap());
}
