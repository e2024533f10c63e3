//! Jupyter notebooks (`.ipynb`, nbformat 4): the code cells of a Python notebook, as one
//! Python module whose lines remember where they are in the notebook file.
//!
//! The JSON is read by a small iterative tokenizer (no recursion, whatever the nesting of the
//! outputs) that keeps the byte position of every string, so each code line is located in the
//! file: nbformat writes one source line per JSON line, and findings land on that line.
//! Outputs and markdown cells are ignored. IPython magics and shell escapes (`%`, `!`, `%%`
//! cells) are not Python: their lines are blanked.

use crate::lang::{LineMap, LineOrigin};

/// The code of a notebook's Python cells, or why it cannot be read.
pub(crate) fn extract(json: &str) -> Result<(String, LineMap), String> {
    let doc = scan(json)?;
    if let Some(lang) = doc.language.as_deref() {
        if !lang.eq_ignore_ascii_case("python") {
            return Err(format!("notebook in {lang}, not Python"));
        }
    }
    if !doc.has_cells {
        return Err("not a Jupyter notebook (no `cells` list)".to_string());
    }
    let mut text = String::new();
    let mut origins = Vec::new();
    for (n, cell) in doc.cells.iter().enumerate() {
        if cell.kind.as_deref() != Some("code") {
            continue;
        }
        let cell_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let whole_cell_magic = cell
            .lines
            .first()
            .is_some_and(|l| l.text.trim_start().starts_with("%%"));
        for line in &cell.lines {
            let t = line.text.trim_start();
            let magic = whole_cell_magic || t.starts_with('%') || t.starts_with('!');
            if !magic {
                text.push_str(&line.text);
            }
            text.push('\n');
            origins.push(LineOrigin {
                line: line.line,
                col: line.col,
                part: cell_no,
            });
        }
        // A blank line between cells, placed on the cell's last line.
        if let Some(last) = origins.last().copied() {
            text.push('\n');
            origins.push(last);
        }
    }
    Ok((text, LineMap::new(origins)))
}

/// One code line of a cell: its text (without the newline) and where it starts in the file.
struct Line {
    text: String,
    line: u32,
    col: u32,
    /// Ended by a newline (the next source string starts a new line).
    closed: bool,
}

#[derive(Default)]
struct Cell {
    kind: Option<String>,
    lines: Vec<Line>,
}

#[derive(Default)]
struct Doc {
    has_cells: bool,
    cells: Vec<Cell>,
    /// `metadata.kernelspec.language` or `metadata.language_info.name`.
    language: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

enum Frame {
    Object { key: Option<String> },
    Array { next: usize },
}

/// Line and column (1-based, in bytes, as tree-sitter counts) of byte offsets, computed
/// incrementally: offsets only grow, so the whole file is counted once.
struct Positions<'a> {
    text: &'a [u8],
    at: usize,
    line: u32,
    line_start: usize,
}

impl Positions<'_> {
    fn to(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        if offset > self.at {
            for (i, &b) in self.text[self.at..offset].iter().enumerate() {
                if b == b'\n' {
                    self.line = self.line.saturating_add(1);
                    self.line_start = self.at + i + 1;
                }
            }
            self.at = offset;
        }
        let col = u32::try_from(self.at - self.line_start + 1).unwrap_or(u32::MAX);
        (self.line, col)
    }
}

fn scan(json: &str) -> Result<Doc, String> {
    let b = json.as_bytes();
    let mut pos = Positions {
        text: b,
        at: 0,
        line: 1,
        line_start: 0,
    };
    let mut doc = Doc::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<Seg> = Vec::new();
    let mut i = 0usize;
    let mut expect_value = true;
    let mut seen_root = false;
    loop {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        let Some(&c) = b.get(i) else {
            break;
        };
        match c {
            b'{' | b'[' => {
                if !expect_value {
                    return Err(bad(&mut pos, i));
                }
                seen_root = true;
                if c == b'{' {
                    stack.push(Frame::Object { key: None });
                } else {
                    stack.push(Frame::Array { next: 0 });
                    if path_is(&path, &["cells"]) {
                        doc.has_cells = true;
                    }
                }
                i += 1;
                // An object expects a key first, an array a value.
                expect_value = c == b'[';
            }
            b'}' | b']' => {
                match (stack.pop(), c) {
                    (Some(Frame::Object { .. }), b'}') => {}
                    (Some(Frame::Array { next }), b']') => {
                        // An empty array (or a trailing comma) left its next index on the path.
                        if path.last() == Some(&Seg::Index(next)) {
                            path.pop();
                        }
                    }
                    _ => return Err(bad(&mut pos, i)),
                }
                i += 1;
                end_value(&mut stack, &mut path);
                expect_value = false;
            }
            b',' => {
                i += 1;
                match stack.last() {
                    Some(Frame::Array { .. }) => expect_value = true,
                    Some(Frame::Object { .. }) => expect_value = false,
                    None => return Err(bad(&mut pos, i - 1)),
                }
            }
            b':' => {
                i += 1;
                expect_value = true;
            }
            b'"' => {
                let start = i + 1;
                let (s, end) = string_at(json, start).ok_or_else(|| bad(&mut pos, i))?;
                i = end;
                let is_key =
                    matches!(stack.last(), Some(Frame::Object { key: None })) && !expect_value;
                if is_key {
                    if let Some(Frame::Object { key }) = stack.last_mut() {
                        *key = Some(s.clone());
                    }
                    // Keep keys only where they matter (the cells and the metadata).
                    path.push(Seg::Key(if path.len() < 4 { s } else { String::new() }));
                    continue;
                }
                seen_root = true;
                let (line, col) = pos.to(start);
                on_string(&mut doc, &path, s, line, col);
                end_value(&mut stack, &mut path);
                expect_value = false;
            }
            _ => {
                // Numbers, true, false, null.
                let start = i;
                while i < b.len()
                    && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    i += 1;
                }
                let tok = &json[start..i];
                let literal = matches!(tok, "true" | "false" | "null")
                    || tok.parse::<f64>().is_ok_and(f64::is_finite);
                if !literal || !expect_value {
                    return Err(bad(&mut pos, start));
                }
                seen_root = true;
                end_value(&mut stack, &mut path);
                expect_value = false;
            }
        }
        // Entering a value inside an array: the path gets its index.
        if expect_value {
            if let Some(Frame::Array { next }) = stack.last() {
                if path.last() != Some(&Seg::Index(*next)) {
                    path.push(Seg::Index(*next));
                }
            }
        }
    }
    if !stack.is_empty() || !seen_root {
        return Err("invalid JSON: unexpected end of file".to_string());
    }
    Ok(doc)
}

fn bad(pos: &mut Positions, at: usize) -> String {
    let (line, col) = pos.to(at);
    format!("invalid JSON at line {line}, column {col}")
}

/// A value ended: pop its path segment (an object key or an array index).
fn end_value(stack: &mut [Frame], path: &mut Vec<Seg>) {
    let keyed = match stack.last_mut() {
        Some(Frame::Object { key }) => key.take().is_some(),
        Some(Frame::Array { next }) => {
            let indexed = path.last() == Some(&Seg::Index(*next));
            *next += 1;
            indexed
        }
        None => false,
    };
    if keyed {
        path.pop();
    }
}

fn path_is(path: &[Seg], keys: &[&str]) -> bool {
    path.len() == keys.len()
        && path
            .iter()
            .zip(keys)
            .all(|(s, k)| matches!(s, Seg::Key(x) if x == k))
}

fn on_string(doc: &mut Doc, path: &[Seg], s: String, line: u32, col: u32) {
    match path {
        [Seg::Key(c), Seg::Index(n), Seg::Key(k), rest @ ..] if c == "cells" => {
            while doc.cells.len() <= *n {
                doc.cells.push(Cell::default());
            }
            let cell = &mut doc.cells[*n];
            match (k.as_str(), rest) {
                ("cell_type", []) => cell.kind = Some(s),
                ("source", []) | ("source", [Seg::Index(_)]) => push_source(cell, &s, line, col),
                _ => {}
            }
        }
        [Seg::Key(m), Seg::Key(a), Seg::Key(b)]
            if m == "metadata"
                && ((a == "kernelspec" && b == "language")
                    || (a == "language_info" && b == "name")) =>
        {
            doc.language.get_or_insert(s);
        }
        _ => {}
    }
}

/// Adds a source string to the cell: it continues the cell's last line unless that one
/// ended with a newline. Lines after a newline inside one JSON string are placed where the
/// string starts.
fn push_source(cell: &mut Cell, s: &str, line: u32, col: u32) {
    for piece in s.split_inclusive('\n') {
        let (body, closed) = match piece.strip_suffix('\n') {
            Some(b) => (b.strip_suffix('\r').unwrap_or(b), true),
            None => (piece, false),
        };
        match cell.lines.last_mut() {
            Some(last) if !last.closed => {
                last.text.push_str(body);
                last.closed = closed;
            }
            _ => cell.lines.push(Line {
                text: body.to_string(),
                line,
                col,
                closed,
            }),
        }
    }
}

/// The JSON string starting at byte `start` (after its opening quote): its value and the
/// byte after its closing quote.
fn string_at(json: &str, start: usize) -> Option<(String, usize)> {
    let b = json.as_bytes();
    let mut out = String::new();
    let mut i = start;
    let mut run = start;
    while i < b.len() {
        match b[i] {
            b'"' => {
                out.push_str(json.get(run..i)?);
                return Some((out, i + 1));
            }
            b'\\' => {
                out.push_str(json.get(run..i)?);
                let e = *b.get(i + 1)?;
                i += 2;
                match e {
                    b'n' => out.push('\n'),
                    b't' => out.push('\t'),
                    b'r' => out.push('\r'),
                    b'b' => out.push('\u{8}'),
                    b'f' => out.push('\u{c}'),
                    b'"' => out.push('"'),
                    b'\\' => out.push('\\'),
                    b'/' => out.push('/'),
                    b'u' => {
                        let hi = u32::from_str_radix(json.get(i..i + 4)?, 16).ok()?;
                        i += 4;
                        let c = if (0xD800..0xDC00).contains(&hi)
                            && json.get(i..i + 2) == Some("\\u")
                        {
                            let lo = u32::from_str_radix(json.get(i + 2..i + 6)?, 16).ok()?;
                            i += 6;
                            char::from_u32(
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF),
                            )
                        } else {
                            char::from_u32(hi)
                        };
                        out.push(c.unwrap_or('\u{FFFD}'));
                    }
                    _ => return None,
                }
                run = i;
            }
            0..=0x1f => return None,
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const NB: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": [
    "# Readmissions\n",
    "import nothing\n"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [{"name": "stdout", "output_type": "stream", "text": ["source\n"]}],
   "source": [
    "%matplotlib inline\n",
    "import pandas as pd\n",
    "df = pd.read_csv(\"patients.csv\")"
   ]
  },
  {
   "cell_type": "code",
   "metadata": {},
   "outputs": [],
   "source": "print(df.head())\nx = 1"
  }
 ],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

    #[test]
    fn code_cells_keep_their_file_lines() {
        let (text, map) = extract(NB).expect("reads");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "", "the magic is blanked");
        assert_eq!(lines[1], "import pandas as pd");
        assert_eq!(lines[2], "df = pd.read_csv(\"patients.csv\")");
        assert!(!text.contains("import nothing"), "markdown is left out");
        assert!(!text.contains("source\n"), "outputs are left out");
        let file_line = |needle: &str| {
            NB.lines()
                .position(|l| l.contains(needle))
                .map(|i| i as u32 + 1)
        };
        // `import pandas` starts after 4 spaces of indentation and the opening quote.
        assert_eq!(map.position(2, 1), (file_line("import pandas").unwrap(), 6));
        assert_eq!(map.part(2), Some(2));
        // The one-string cell: both lines stay on the string's line.
        let print = lines
            .iter()
            .position(|l| *l == "print(df.head())")
            .expect("cell 3");
        assert_eq!(
            Some(map.position(print as u32 + 1, 1).0),
            file_line("print(df.head())")
        );
        assert_eq!(map.part(print as u32 + 2), Some(3));
    }

    #[test]
    fn malformed_and_foreign_notebooks_are_refused() {
        assert!(extract("{\"cells\": [")
            .unwrap_err()
            .contains("invalid JSON"));
        assert!(extract("[1, 2]").unwrap_err().contains("no `cells`"));
        assert!(extract("{\"cells\": [{\"cell_type\": \"code\", \"source\": \"x\\q\"}]}").is_err());
        let r = r#"{"cells": [], "metadata": {"kernelspec": {"language": "R"}}}"#;
        assert_eq!(extract(r).unwrap_err(), "notebook in R, not Python");
        let deep = format!(
            "{{\"cells\": [], \"x\": {}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(extract(&deep).is_ok());
    }

    #[test]
    fn escapes_decode() {
        let nb =
            r#"{"cells": [{"cell_type": "code", "source": ["s = \"caf\u00e9 \ud83d\ude00\"\n"]}]}"#;
        let (text, _) = extract(nb).expect("reads");
        assert!(text.starts_with("s = \"café 😀\""), "{text}");
    }
}
