//! Seeds `corpus/lower` from `fixtures/`: each file, prefixed with the byte that selects its
//! language's dialect in the `lower` target; `corpus/lower-<language>` with that language's
//! files, prefixed for a run with `HEALTHFLOW_FUZZ_LANG=<language>`; and `corpus/patterns` from
//! the pattern files.
use healthflow::lang::Lang;
use std::path::Path;

fn main() -> std::io::Result<()> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (lower, patterns) = (here.join("corpus/lower"), here.join("corpus/patterns"));
    std::fs::create_dir_all(&lower)?;
    std::fs::create_dir_all(&patterns)?;
    let dialects: Vec<Lang> = Lang::dialects().collect();
    let mut stack = vec![here.join("../fixtures")];
    let mut n = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(lang) = Lang::from_path(&p) {
                let pick = dialects.iter().position(|d| *d == lang).unwrap_or(0) as u8;
                let own: Vec<Lang> = dialects
                    .iter()
                    .copied()
                    .filter(|d| d.name() == lang.name())
                    .collect();
                let own_pick = own.iter().position(|d| *d == lang).unwrap_or(0) as u8;
                let text = std::fs::read(&p)?;
                n += 1;
                let mut data = vec![pick];
                data.extend(&text);
                std::fs::write(lower.join(format!("seed-{n}")), data)?;
                let dir = here.join(format!("corpus/lower-{}", lang.name()));
                std::fs::create_dir_all(&dir)?;
                let mut data = vec![own_pick];
                data.extend(&text);
                std::fs::write(dir.join(format!("seed-{n}")), data)?;
            }
        }
    }
    for lang in Lang::all() {
        std::fs::write(
            patterns.join(format!("{}.toml", lang.name())),
            lang.patterns(),
        )?;
    }
    println!("seeded: {n} source files, {} pattern files", Lang::count());
    Ok(())
}
