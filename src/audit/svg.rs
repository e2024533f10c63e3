//! The data map as an inline SVG: health-data categories → modules → recipients, left to
//! right. Recipients outside the EU/EEA get a red border and an "outside EU/EEA" label;
//! cleartext links are dashed and the recipient says how (`unencrypted: http://`); no text sits on a link.
//! Names are never cut: long ones wrap, and every box grows to the tallest. Large maps fold modules into top-level packages
//! and keep the columns at [`MAX_ROWS`] nodes, so the drawing stays readable.

use super::model::{AuditModel, Location, RecipientKind};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Nodes per column at most (the last one says how many were folded into it).
pub const MAX_ROWS: usize = 12;

const WIDTH: u32 = 1000;
/// Height of a text line in a box, and the space between boxes.
const LINE: u32 = 16;
const GAP: u32 = 10;
const TOP: u32 = 40;
const COLS: [(u32, u32); 3] = [(10, 180), (300, 300), (700, 290)];

/// Escapes text for XML and HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `s` in lines of at most `max` characters, broken at spaces, and inside words longer than
/// a line after `.`, `/`, `-` or `_` where possible. Nothing is dropped.
fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let len = |t: &str| t.chars().count();
        if !cur.is_empty() && len(&cur) + 1 + len(word) <= max {
            cur.push(' ');
            cur.push_str(word);
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        let mut rest: Vec<char> = word.chars().collect();
        while rest.len() > max {
            let cut = rest[..max]
                .iter()
                .rposition(|c| matches!(c, '.' | '/' | '-' | '_'))
                .map_or(max, |i| i + 1);
            lines.push(rest.drain(..cut).collect());
        }
        cur = rest.into_iter().collect();
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

struct Node {
    key: String,
    label: String,
    sub: String,
    class: String,
    title: String,
}

/// The module a file is drawn under: the file itself, or its top-level package when there
/// are too many files.
fn fold_modules(paths: &[String]) -> BTreeMap<String, String> {
    let top = |p: &str| match p.split_once('/') {
        Some((first, _)) => format!("{first}/"),
        None => p.to_string(),
    };
    let fold = paths.len() > MAX_ROWS;
    paths
        .iter()
        .map(|p| (p.clone(), if fold { top(p) } else { p.clone() }))
        .collect()
}

/// Keeps the first `MAX_ROWS - 1` keys (in the given order) and maps the rest to `other`.
fn cap(keys: &[String], other: &str) -> BTreeMap<String, String> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            let to = if keys.len() > MAX_ROWS && i >= MAX_ROWS - 1 {
                other.to_string()
            } else {
                k.clone()
            };
            (k.clone(), to)
        })
        .collect()
}

pub fn render(m: &AuditModel) -> String {
    let dm = &m.data_map;
    // Modules, folded and capped by how many flows they carry.
    let files: Vec<String> = dm.modules.iter().map(|x| x.path.clone()).collect();
    let folded = fold_modules(&files);
    let mut weight: BTreeMap<String, usize> = BTreeMap::new();
    for v in folded.values() {
        weight.entry(v.clone()).or_default();
    }
    for f in &dm.flows {
        if let Some(v) = folded.get(&f.module) {
            *weight.entry(v.clone()).or_default() += 1;
        }
    }
    let mut order: Vec<(String, usize)> = weight.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let module_keys: Vec<String> = order.into_iter().map(|(k, _)| k).collect();
    let module_cap = cap(&module_keys, "other modules");
    // Drawn in path order; the busiest ones were kept above.
    let mut module_keys = module_keys;
    module_keys.sort();
    let module_of = |file: &str| -> Option<String> {
        folded.get(file).and_then(|v| module_cap.get(v)).cloned()
    };
    // Recipients: outside-EU and cleartext first, then by kind and name; capped.
    let mut rec: Vec<&super::model::Recipient> = m.recipients.iter().collect();
    rec.sort_by_key(|r| {
        (
            r.location != Location::NonEu,
            !r.cleartext,
            r.kind,
            r.name.clone(),
        )
    });
    let rec_keys: Vec<String> = rec.iter().map(|r| r.id.clone()).collect();
    let rec_cap = cap(&rec_keys, "other recipients");
    let cat_keys: Vec<String> = dm.categories.clone();
    let cat_cap = cap(&cat_keys, "other categories");

    // Nodes per column.
    let mut cats: Vec<Node> = Vec::new();
    for k in unique(cat_keys.iter().filter_map(|k| cat_cap.get(k))) {
        cats.push(Node {
            key: k.clone(),
            label: k.clone(),
            sub: String::new(),
            class: "node category".into(),
            title: k.clone(),
        });
    }
    let mut mods: Vec<Node> = Vec::new();
    for k in unique(module_keys.iter().filter_map(|k| module_cap.get(k))) {
        let n = files
            .iter()
            .filter(|f| module_of(f).as_ref() == Some(&k))
            .count();
        mods.push(Node {
            key: k.clone(),
            label: k.clone(),
            sub: if k.ends_with('/') || k == "other modules" {
                format!("{n} files")
            } else {
                String::new()
            },
            class: "node module".into(),
            title: k.clone(),
        });
    }
    let mut recs: Vec<Node> = Vec::new();
    for k in unique(rec_keys.iter().filter_map(|k| rec_cap.get(k))) {
        match m.recipients.iter().find(|r| r.id == k) {
            Some(r) => {
                let mut class = format!("node recipient kind-{}", kind_class(r.kind));
                let mut sub = vec![r.kind.label().to_string()];
                if r.location == Location::NonEu {
                    class.push_str(" non-eu");
                    sub.insert(0, "outside EU/EEA".to_string());
                } else if r.location == Location::Eu {
                    sub.push("EU/EEA".to_string());
                }
                if r.cleartext {
                    class.push_str(" cleartext");
                    sub.push(match r.cleartext_how.as_deref() {
                        Some(how) => format!("unencrypted: {how}"),
                        None => "unencrypted".to_string(),
                    });
                }
                if !r.models.is_empty() {
                    sub.push(r.models.join(", "));
                }
                let title = format!(
                    "{}{} ({})",
                    r.name,
                    r.endpoint
                        .as_deref()
                        .map(|e| format!(" — {e}"))
                        .unwrap_or_default(),
                    r.location.label()
                );
                recs.push(Node {
                    key: k.clone(),
                    label: r.name.clone(),
                    sub: sub.join(" · "),
                    class,
                    title,
                });
            }
            None => {
                let n = rec_cap.values().filter(|v| **v == k).count();
                recs.push(Node {
                    key: k.clone(),
                    label: k.clone(),
                    sub: format!("{n} recipients, see the table"),
                    class: "node recipient".into(),
                    title: k.clone(),
                });
            }
        }
    }

    // Edges.
    let mut cat_edges: BTreeSet<(String, String)> = BTreeSet::new();
    for md in &dm.modules {
        let Some(mk) = module_of(&md.path) else {
            continue;
        };
        for c in &md.categories {
            if let Some(ck) = cat_cap.get(c) {
                cat_edges.insert((ck.clone(), mk.clone()));
            }
        }
    }
    let mut rec_edges: BTreeMap<(String, String), bool> = BTreeMap::new();
    for f in &dm.flows {
        let (Some(mk), Some(rk)) = (module_of(&f.module), rec_cap.get(&f.recipient)) else {
            continue;
        };
        *rec_edges.entry((mk, rk.clone())).or_default() |= f.cleartext;
    }

    // Characters per line in each column (13 px text; the sub-line is 11 px).
    const CHARS: [usize; 3] = [24, 40, 36];
    let lines_of = |n: &Node, col: usize| -> (Vec<String>, Vec<String>) {
        let sub = if n.sub.is_empty() {
            Vec::new()
        } else {
            wrap(&n.sub, CHARS[col] + 6)
        };
        (wrap(&n.label, CHARS[col]), sub)
    };
    let most = [&cats, &mods, &recs]
        .iter()
        .enumerate()
        .flat_map(|(col, nodes)| {
            nodes.iter().map(move |n| {
                let (a, b) = lines_of(n, col);
                a.len() + b.len()
            })
        })
        .max()
        .unwrap_or(1)
        .max(2) as u32;
    let box_h = 8 + most * LINE;
    let row = box_h + GAP;
    let rows = cats.len().max(mods.len()).max(recs.len()).max(1) as u32;
    let height = TOP + rows * row + 50;
    let y_of = |col: &[Node], i: usize| -> u32 {
        let offset = (rows - col.len() as u32) * row / 2;
        TOP + offset + i as u32 * row
    };
    let pos = |col: &[Node], key: &str| col.iter().position(|n| n.key == key);

    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"data-map\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"data-map-title\" \
         font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"13\">\
         <title id=\"data-map-title\">Data map: health-data categories, modules and recipients</title>"
    );
    s.push_str(
        "<style>.edge{fill:none;stroke:#8a94a6;stroke-width:1.5}.edge.to-recipient{stroke:#3b5b92}\
         .edge.cleartext{stroke:#b00020;stroke-dasharray:7 5;stroke-width:2}\
         .node rect{fill:#fff;stroke:#5b6b82;stroke-width:1.2;rx:6}\
         .category rect{fill:#eef4ff}.module rect{fill:#f6f6f6}\
         .recipient rect{fill:#fffdf4}.recipient.non-eu rect{stroke:#b00020;stroke-width:3}\
         .sub{font-size:11px;fill:#4a5568}.non-eu .sub{fill:#b00020;font-weight:600}\
         .cleartext .sub{fill:#b00020}.head{font-weight:700;font-size:14px;fill:#1a202c}</style>",
    );
    for (i, h) in ["Health data", "Modules", "Recipients"].iter().enumerate() {
        let _ = write!(
            s,
            "<text class=\"head\" x=\"{}\" y=\"22\">{h}</text>",
            COLS[i].0
        );
    }
    // Edges first, under the boxes.
    for (ck, mk) in &cat_edges {
        let (Some(a), Some(b)) = (pos(&cats, ck), pos(&mods, mk)) else {
            continue;
        };
        let (x1, y1) = (COLS[0].0 + COLS[0].1, y_of(&cats, a) + box_h / 2);
        let (x2, y2) = (COLS[1].0, y_of(&mods, b) + box_h / 2);
        let _ = write!(
            s,
            "<path class=\"edge\" d=\"M{x1} {y1} C{} {y1} {} {y2} {x2} {y2}\"/>",
            x1 + 50,
            x2 - 50
        );
    }
    for ((mk, rk), clear) in &rec_edges {
        let (Some(a), Some(b)) = (pos(&mods, mk), pos(&recs, rk)) else {
            continue;
        };
        let (x1, y1) = (COLS[1].0 + COLS[1].1, y_of(&mods, a) + box_h / 2);
        let (x2, y2) = (COLS[2].0, y_of(&recs, b) + box_h / 2);
        let class = if *clear {
            "edge to-recipient cleartext"
        } else {
            "edge to-recipient"
        };
        let _ = write!(
            s,
            "<path class=\"{class}\" data-from=\"{}\" data-to=\"{}\" d=\"M{x1} {y1} C{} {y1} {} {y2} {x2} {y2}\"/>",
            esc(mk),
            esc(rk),
            x1 + 60,
            x2 - 60
        );
    }
    for (col, nodes) in [(0usize, &cats), (1, &mods), (2, &recs)] {
        let (x, w) = COLS[col];
        for (i, n) in nodes.iter().enumerate() {
            let y = y_of(nodes, i);
            let id = match col {
                0 => format!("map-category-{}", i + 1),
                1 => format!("map-module-{}", i + 1),
                _ => format!("map-{}", n.key),
            };
            let _ = write!(
                s,
                "<g class=\"{}\" id=\"{}\" data-label=\"{}\"><title>{}</title>\
                 <rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{box_h}\" rx=\"6\"/>",
                n.class,
                esc(&id),
                esc(&n.label),
                esc(&n.title)
            );
            let (label, sub) = lines_of(n, col);
            // The lines centred in the box.
            let mut ty = y + (box_h - LINE * (label.len() + sub.len()) as u32) / 2 + 13;
            for (k, l) in label.iter().chain(&sub).enumerate() {
                let class = if k >= label.len() {
                    " class=\"sub\""
                } else {
                    ""
                };
                let _ = write!(
                    s,
                    "<text{class} x=\"{}\" y=\"{ty}\">{}</text>",
                    x + 8,
                    esc(l)
                );
                ty += LINE;
            }
            s.push_str("</g>");
        }
    }
    // Legend.
    let ly = height - 20;
    let _ = write!(
        s,
        "<g class=\"legend\"><rect x=\"10\" y=\"{}\" width=\"22\" height=\"14\" fill=\"#fffdf4\" stroke=\"#b00020\" stroke-width=\"3\"/>\
         <text x=\"40\" y=\"{}\">recipient outside the EU/EEA</text>\
         <path class=\"edge cleartext\" d=\"M300 {} L340 {}\"/><text x=\"350\" y=\"{}\">health data sent without transport encryption</text></g>",
        ly - 11,
        ly,
        ly - 4,
        ly - 4,
        ly
    );
    s.push_str("</svg>");
    s
}

fn unique<'a>(it: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    it.filter(|k| seen.insert((*k).clone())).cloned().collect()
}

pub fn kind_class(k: RecipientKind) -> &'static str {
    match k {
        RecipientKind::AiModel => "ai-model",
        RecipientKind::AiTraining => "ai-training",
        RecipientKind::Tracking => "tracking",
        RecipientKind::ThirdParty => "third-party",
        RecipientKind::Logs => "logs",
        RecipientKind::Storage => "storage",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_character() {
        assert_eq!(wrap("third party", 36), ["third party"]);
        assert_eq!(
            wrap("outside EU/EEA · AI model · claude-3-5-sonnet-20241022", 30),
            ["outside EU/EEA · AI model ·", "claude-3-5-sonnet-20241022"]
        );
        let long = "hub.resultats-region.example.very-long-hostname.example.org";
        let lines = wrap(long, 24);
        assert!(lines.iter().all(|l| l.chars().count() <= 24), "{lines:?}");
        assert_eq!(lines.concat(), long);
        assert_eq!(wrap("", 10), [""]);
    }
}
