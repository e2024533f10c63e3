//! The terminal reporter: one block per finding with a code frame, then a summary.
//!
//! ```text
//! src/app.py:14:5  health-data-to-ai-model  Health data (diagnosis) is sent to OpenAI
//!    |
//! 14 |     client.chat.completions.create(
//!    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//!    = source: attribute `diagnosis` of a patient at src/app.py:12:28
//!    = help: send only the fields …; see `healthflow explain health-data-to-ai-model`
//! ```

use super::{LevelCounts, RenderOptions, Sources};
use crate::finding::{Finding, Report};
use crate::rules::Level;
use std::fmt::Write as _;

/// Sink lines shown in a code frame; longer sinks end with a `...` line.
const MAX_FRAME_LINES: u32 = 6;

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, codes: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{codes}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn level_codes(level: Level) -> &'static str {
        match level {
            Level::Error => "1;31",
            Level::Warning => "1;33",
            Level::Note => "1;36",
        }
    }

    fn gutter(&self, s: &str) -> String {
        self.paint("1;34", s)
    }
}

/// Scanned text (paths, code, messages quoting code, skip reasons) with control characters and
/// bidirectional overrides escaped, so a scanned file cannot drive the terminal.
fn esc(s: &str) -> String {
    let hostile = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(hostile) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if hostile(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The caret line's indentation: tabs kept, every other character one space.
fn caret_prefix(line: &str, chars: usize) -> String {
    line.chars()
        .take(chars)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect()
}

/// Longest source line a frame shows whole; a longer (minified) line is cut to a window
/// around the finding.
const MAX_FRAME_CHARS: usize = 160;

/// `line` cut to at most [`MAX_FRAME_CHARS`] characters around the character range starting at
/// `from` (0-based), with `…` where text was cut; returns the text and where `from` now is.
fn frame_window(line: &str, from: usize) -> (String, usize) {
    let n = line.chars().count();
    if n <= MAX_FRAME_CHARS {
        return (line.to_string(), from);
    }
    let start = from.saturating_sub(MAX_FRAME_CHARS / 4).min(n);
    let end = (start + MAX_FRAME_CHARS).min(n);
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(line.chars().skip(start).take(end - start));
    if end < n {
        shown.push('…');
    }
    (shown, from - start + usize::from(start > 0))
}

/// Writes the frame and returns the gutter width.
fn code_frame(out: &mut String, st: &Style, sources: &mut Sources, f: &Finding) -> usize {
    let start = f.span.start_line.max(1);
    let end = f.span.end_line.max(start);
    let shown_end = end.min(start.saturating_add(MAX_FRAME_LINES - 1));
    let width = shown_end.to_string().len();
    let pad = " ".repeat(width);
    let bar = st.gutter("|");
    let _ = writeln!(out, "{pad} {bar}");

    let Some(first) = sources.line(&f.path, start).map(str::to_string) else {
        // The file is gone or unreadable: show the recorded snippet without a caret.
        let num = st.gutter(&format!("{start:>width$}"));
        let _ = writeln!(out, "{num} {bar} {}", esc(&f.snippet));
        return width;
    };
    for n in start..=shown_end {
        let line = if n == start {
            first.clone()
        } else {
            sources.line(&f.path, n).unwrap_or_default().to_string()
        };
        let num = st.gutter(&format!("{n:>width$}"));
        let from = if n == start {
            (sources.char_col(&f.path, start, f.span.start_col) as usize).saturating_sub(1)
        } else {
            0
        };
        let (line, at) = frame_window(&line, from);
        let _ = writeln!(out, "{num} {bar} {}", esc(&line));
        if n == start {
            let line_chars = line.chars().count();
            let to = if end == start {
                (sources.char_col(&f.path, start, f.span.end_col) as usize)
                    .saturating_sub(1)
                    .saturating_sub(from)
                    + at
            } else {
                line_chars
            };
            let len = to.min(line_chars).saturating_sub(at).max(1);
            let carets = st.paint(Style::level_codes(f.level), &"^".repeat(len));
            let shown: String = esc(&line.chars().take(at).collect::<String>());
            let _ = writeln!(
                out,
                "{pad} {bar} {}{carets}",
                caret_prefix(&shown, shown.chars().count())
            );
        }
    }
    if shown_end < end {
        let _ = writeln!(out, "{pad} {bar} ...");
    }
    width
}

fn finding_block(out: &mut String, st: &Style, sources: &mut Sources, f: &Finding) {
    let line = f.span.start_line.max(1);
    let col = sources.char_col(&f.path, line, f.span.start_col);
    let _ = writeln!(
        out,
        "{}  {}  {}",
        st.paint("1", &format!("{}:{line}:{col}", esc(&f.path))),
        st.paint(Style::level_codes(f.level), f.rule.id()),
        esc(&f.message)
    );
    let pad = " ".repeat(code_frame(out, st, sources, f));
    let eq = st.gutter("=");
    if let Some(src) = f.flows.first().and_then(|flow| flow.first()) {
        let sline = src.span.start_line.max(1);
        let scol = sources.char_col(&src.path, sline, src.span.start_col);
        let more = match f.flows.len() {
            0 | 1 => String::new(),
            n => format!(
                " (+{} more {})",
                n - 1,
                if n == 2 { "path" } else { "paths" }
            ),
        };
        let _ = writeln!(
            out,
            "{pad} {eq} {} {} at {}:{sline}:{scol}{more}",
            st.paint("1", "source:"),
            esc(&src.message),
            esc(&src.path)
        );
    }
    let _ = writeln!(
        out,
        "{pad} {eq} {} {}; see `healthflow explain {}`",
        st.paint("1", "help:"),
        f.rule.meta().help,
        f.rule.id()
    );
}

/// Human-readable report; `opts.color` adds ANSI colours.
/// Written to `w` a few findings at a time.
pub fn render_to(
    report: &Report,
    opts: &RenderOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let st = Style { on: opts.color };
    let mut sources = Sources::new(&report.root);
    let mut out = String::new();
    for f in &report.findings {
        finding_block(&mut out, &st, &mut sources, f);
        out.push('\n');
        if out.len() >= 1 << 16 {
            w.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    for d in report.workflow.unused_suppressions.iter().flatten() {
        let what = match &d.rules {
            None => "healthflow: ignore".to_string(),
            Some(ids) => format!("healthflow: ignore[{}]", ids.join(", ")),
        };
        let _ = writeln!(
            out,
            "{}  {}  `{}` silences no finding; remove it",
            st.paint("1", &format!("{}:{}:{}", esc(&d.path), d.line, d.column)),
            st.paint(Style::level_codes(Level::Warning), "unused-suppression"),
            esc(&what),
        );
    }
    if report
        .workflow
        .unused_suppressions
        .as_ref()
        .is_some_and(|u| !u.is_empty())
    {
        out.push('\n');
    }
    let mb = report.bytes_scanned as f64 / 1_000_000.0;
    let _ = writeln!(
        out,
        "{} scanned ({mb:.1} MB, {}), {} skipped",
        plural(report.files_scanned as u64, "file", "files"),
        plural(report.lines_scanned, "line", "lines"),
        report.skipped.len()
    );
    for s in &report.skipped {
        let _ = writeln!(
            out,
            "  skipped {}: {}",
            esc(&s.path),
            esc(&s.reason.to_string())
        );
    }
    let c = LevelCounts::of(report);
    let _ = writeln!(
        out,
        "findings: {}, {}, {}",
        st.paint(
            Style::level_codes(Level::Error),
            &plural(c.errors as u64, "error", "errors")
        ),
        st.paint(
            Style::level_codes(Level::Warning),
            &plural(c.warnings as u64, "warning", "warnings")
        ),
        st.paint(
            Style::level_codes(Level::Note),
            &plural(c.notes as u64, "note", "notes")
        ),
    );
    let wf = &report.workflow;
    if wf.suppressed_count > 0 || wf.baselined.is_some() {
        let mut parts = vec![format!("{} suppressed inline", wf.suppressed_count)];
        if let Some(b) = wf.baselined {
            parts.push(format!("{b} in the baseline"));
        }
        let _ = writeln!(out, "not reported: {}", parts.join(", "));
    }
    w.write_all(out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_prefix_keeps_tabs() {
        assert_eq!(caret_prefix("\tab", 2), "\t ");
        assert_eq!(caret_prefix("é x", 2), "  ");
    }

    #[test]
    fn empty_report_has_a_summary() {
        let r = Report::default();
        let out = crate::report::render(crate::report::Format::Text, &r, &RenderOptions::default());
        assert_eq!(
            out,
            "0 files scanned (0.0 MB, 0 lines), 0 skipped\nfindings: 0 errors, 0 warnings, 0 notes\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_finding() {
        let line = "x".repeat(500) + "SINK" + &"y".repeat(500);
        let (shown, at) = frame_window(&line, 500);
        assert!(
            shown.chars().count() <= MAX_FRAME_CHARS + 2,
            "{}",
            shown.len()
        );
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().skip(at).take(4).collect::<String>(), "SINK");
        let short = "logger.info(patient)";
        assert_eq!(frame_window(short, 7), (short.to_string(), 7));
    }
}
