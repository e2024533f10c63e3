fn main() {
    let engine = healthflow::scan::Engine::new().unwrap();
    let opts = healthflow::scan::ScanOptions {
        paths: std::env::args()
            .skip(1)
            .map(std::path::PathBuf::from)
            .collect(),
        ..Default::default()
    };
    let r = healthflow::scan::scan(&engine, &opts).unwrap();
    for f in &r.findings {
        println!(
            "{}:{}:{} {} {}",
            f.path, f.span.start_line, f.span.start_col, f.rule, f.message
        );
    }
    println!("{:?}", r.skipped);
}
