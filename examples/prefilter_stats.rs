fn main() {
    let cat = healthflow::patterns::Catalog::embedded().unwrap();
    let pf = healthflow::prefilter::Prefilter::new(&cat);
    let mut counts = std::collections::BTreeMap::<String, (usize, u64)>::new();
    for p in std::env::args().skip(1) {
        let Ok(src) = std::fs::read_to_string(&p) else {
            continue;
        };
        if let Some((stage, m)) = pf.explain(&src) {
            let e = counts.entry(format!("{stage} {m}")).or_default();
            e.0 += 1;
            e.1 += src.len() as u64;
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by_key(|(_, (n, _))| std::cmp::Reverse(*n));
    for (k, (n, b)) in v.iter().take(40) {
        println!("{n:5} {:8.1} KB  {k}", *b as f64 / 1e3);
    }
    println!(
        "total {} files {:.1} MB",
        v.iter().map(|x| x.1 .0).sum::<usize>(),
        v.iter().map(|x| x.1 .1).sum::<u64>() as f64 / 1e6
    );
}
