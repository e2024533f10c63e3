//! Deterministic benchmark corpora. The health-dense corpus is generated from the fixture
//! modules: each generated module is a fixture with its functions renamed, `expect:`
//! markers removed and seeded clinical helper functions appended. Same seed, same bytes.

use std::path::{Path, PathBuf};

/// SplitMix64: small, seedable, stable across platforms.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next_u64() % xs.len() as u64) as usize]
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

const FIELDS: &[&str] = &[
    "diagnosis",
    "blood_pressure",
    "heart_rate",
    "allergies",
    "medications",
    "hba1c",
    "icd10_code",
    "lab_results",
    "weight",
    "nhs_number",
    "mrn",
    "symptoms",
    "prescription",
    "pregnancy_status",
    "bmi",
    "genotype",
    "discharge_summary",
    "triage_notes",
];
const NEUTRAL: &[&str] = &[
    "count",
    "total",
    "created_at",
    "page",
    "offset",
    "limit",
    "locale",
    "timezone",
    "retries",
];
const VERBS: &[&str] = &[
    "load",
    "summarise",
    "export",
    "sync",
    "review",
    "archive",
    "normalise",
    "audit",
    "merge",
];

const PY_HEALTH: &str = "
def {f}(patient, db):
    {v} = patient.{a}
    if {v} is None:
        return None
    _gen_log.info(\"{f}: %s\", {v})
    db.execute(\"INSERT INTO visits (pid, {a}) VALUES (?, ?)\", (patient.id, {v}))
    return {v}
";
const PY_NEUTRAL: &str = "
def {f}(items, {n}=10):
    total = 0
    for it in items[:{n}]:
        if it.{n} > total:
            total = it.{n}
    return {{\"{f}\": total, \"{n}\": {n}}}
";
const PY_CLASS: &str = "
class {F}Record:
    def __init__(self, patient):
        self.{a} = patient.{a}
        self.{n} = 0

    def payload(self):
        return {{\"{a}\": self.{a}, \"{n}\": self.{n}}}
";
const RS_HEALTH: &str = "
pub fn {f}(patient: &Patient) -> String {
    let {v} = patient.{a}.clone();
    tracing::info!(\"{f}: {{}}\", {v});
    format!(\"{{}}-{{}}\", patient.id, {v})
}
";
const RS_NEUTRAL: &str = "
pub fn {f}(items: &[u64], {n}: usize) -> u64 {
    let mut total = 0;
    for it in items.iter().take({n}) {
        total = total.max(*it);
    }
    total
}
";

fn fill(t: &str, f: &str, a: &str, v: &str, n: &str) -> String {
    let cap = {
        let mut c = f.chars();
        c.next()
            .map(|x| x.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
            .replace('_', "")
    };
    t.replace("{f}", f)
        .replace("{F}", &cap)
        .replace("{a}", a)
        .replace("{v}", v)
        .replace("{n}", n)
        .replace("{{", "{")
        .replace("}}", "}")
}

fn templates(root: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(rd) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            templates(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("py" | "rs")) {
            if let Ok(t) = std::fs::read_to_string(&p) {
                out.push((p, t));
            }
        }
    }
}

/// One generated module from `template`, variant `k`.
fn mutate(template: &str, rust: bool, k: usize, rng: &mut Rng) -> String {
    let mut names = Vec::new();
    for line in template.lines() {
        let l = line.trim_start();
        let rest = l
            .strip_prefix("def ")
            .or_else(|| l.strip_prefix("async def "))
            .or_else(|| l.strip_prefix("fn "))
            .or_else(|| l.strip_prefix("pub fn "));
        if let Some(r) = rest {
            let name: String = r
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.len() > 2 && name != "main" && !name.starts_with("__") {
                names.push(name);
            }
        }
    }
    names.sort();
    names.dedup();
    let mut out = String::with_capacity(template.len() * 2);
    for line in template.lines() {
        let line = match line.find("# expect:").or_else(|| line.find("// expect:")) {
            Some(i) => line[..i].trim_end(),
            None => line,
        };
        out.push_str(&rename(line, &names, k));
        out.push('\n');
    }
    if rust {
        out.push_str("\npub struct Patient { pub id: u64 }\n");
    } else {
        out.push_str(
            "\nimport logging as _gen_logging\n\n_gen_log = _gen_logging.getLogger(__name__)\n",
        );
    }
    let extra = 4 + rng.below(8);
    for i in 0..extra {
        let f = format!("{}_{}_{k}_{i}", rng.pick(VERBS), rng.pick(FIELDS));
        let a = *rng.pick(FIELDS);
        let n = *rng.pick(NEUTRAL);
        let v = format!("{a}_value");
        let t = match (rust, rng.below(3)) {
            (true, 0) => RS_NEUTRAL,
            (true, _) => RS_HEALTH,
            (false, 0) => PY_NEUTRAL,
            (false, 1) => PY_CLASS,
            (false, _) => PY_HEALTH,
        };
        out.push_str(&fill(t, &f, a, &v, n));
    }
    out
}

/// Replace whole-word occurrences of `names` with a per-variant name.
fn rename(line: &str, names: &[String], k: usize) -> String {
    if names.is_empty() {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 16);
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        if word(b[i]) && (i == 0 || !word(b[i - 1])) {
            let mut j = i;
            while j < b.len() && word(b[j]) {
                j += 1;
            }
            let w = &line[i..j];
            out.push_str(w);
            if names.iter().any(|n| n == w) {
                out.push_str(&format!("_v{k}"));
            }
            i = j;
        } else {
            let ch = line[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Write a health-dense corpus of at least `lines` lines into `dir` (replaced if it exists
/// with a different size). Returns (files, bytes, lines).
pub fn health_dense(fixtures: &Path, dir: &Path, lines: usize, seed: u64) -> (usize, u64, usize) {
    let stamp = dir.join(".corpus");
    let want = format!("lines={lines} seed={seed} v=1");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s.starts_with(&want)) {
        if let Some(n) = std::fs::read_to_string(&stamp)
            .ok()
            .and_then(|s| s.split_once('\n').map(|(_, r)| r.trim().to_string()))
        {
            let v: Vec<u64> = n.split(' ').filter_map(|x| x.parse().ok()).collect();
            if v.len() == 3 {
                return (v[0] as usize, v[1], v[2] as usize);
            }
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    let mut tpl = Vec::new();
    templates(fixtures, &mut tpl);
    tpl.retain(|(p, _)| !p.components().any(|c| c.as_os_str() == "inventory"));
    assert!(
        !tpl.is_empty(),
        "no fixture templates under {}",
        fixtures.display()
    );
    let mut rng = Rng::new(seed);
    let (mut files, mut bytes, mut total) = (0usize, 0u64, 0usize);
    let mut k = 0usize;
    while total < lines {
        let (p, t) = rng.pick(&tpl);
        let rust = p.extension().and_then(|e| e.to_str()) == Some("rs");
        let text = mutate(t, rust, k, &mut rng);
        let sub = dir.join(format!("pkg{:03}", k / 100));
        let _ = std::fs::create_dir_all(&sub);
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("m");
        let name = format!("{stem}_{k:05}.{}", if rust { "rs" } else { "py" });
        if std::fs::write(sub.join(name), &text).is_ok() {
            files += 1;
            bytes += text.len() as u64;
            total += text.lines().count();
        }
        k += 1;
    }
    let _ = std::fs::write(&stamp, format!("{want}\n{files} {bytes} {total}\n"));
    (files, bytes, total)
}
