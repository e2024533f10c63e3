//! The audit as Markdown (tables; the data map as a table, no diagram). Text from the scanned
//! code is escaped with [`md`]; code frames use a fence longer than any backtick run in them.

use super::model::{AiUse, AuditModel, Location};
use crate::rules::RuleId;
use std::fmt::Write as _;

/// Escapes Markdown and inline HTML in table cells and paragraphs.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '|' | '[' | ']' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn join(items: &[String]) -> String {
    if items.is_empty() {
        "—".to_string()
    } else {
        md(&items.join(", "))
    }
}

fn loc(l: Location) -> String {
    match l {
        Location::NonEu => "**outside EU/EEA**".to_string(),
        other => other.label().to_string(),
    }
}

pub fn render(m: &AuditModel) -> String {
    let mut s = String::new();
    let sm = &m.summary;
    let _ = writeln!(s, "# Health-data audit: {}\n", md(&m.target.name));
    let _ = writeln!(
        s,
        "healthflow {} · {}\n\n> Drawn from the source code alone: guidance for a compliance review, not legal advice.\n",
        md(&m.tool.version),
        m.target
            .commit
            .as_deref()
            .map(|c| format!("commit {}", md(c)))
            .unwrap_or_else(|| "not a git repository".into())
    );

    s.push_str("## Summary\n\n");
    let _ = writeln!(s, "{}\n", md(&sm.verdict));
    let langs: Vec<String> = sm
        .languages
        .iter()
        .map(|(l, n)| format!("{l} ({n})"))
        .collect();
    let _ = writeln!(
        s,
        "| | |\n|---|---|\n| Files scanned | {} |\n| Languages (source files) | {} |\n| Lines | {} |\n| Files skipped | {} |\n| Findings | {} errors, {} warnings, {} notes |\n",
        sm.files_scanned,
        join(&langs),
        sm.lines_scanned,
        sm.skipped.len(),
        sm.errors,
        sm.warnings,
        sm.notes
    );
    if !sm.skipped.is_empty() {
        s.push_str("| Skipped file | Reason |\n|---|---|\n");
        for k in &sm.skipped {
            let _ = writeln!(s, "| {} | {} |", md(&k.path), md(&k.reason));
        }
        s.push('\n');
    }
    s.push_str("| Rule | Level | Count |\n|---|---|---:|\n");
    for r in &sm.by_rule {
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            r.rule.id(),
            r.level.as_str(),
            r.count
        );
    }

    s.push_str("\n## Data map\n\n");
    if m.data_map.flows.is_empty() && m.data_map.modules.is_empty() {
        s.push_str("No health data was found.\n");
    } else {
        s.push_str(
            "| Module | Health data | Recipient | Where | Transport |\n|---|---|---|---|---|\n",
        );
        for (md_, flow) in m.data_map_rows() {
            match flow {
                None => {
                    let _ = writeln!(
                        s,
                        "| {} | {} | — (declared or held only) | | |",
                        md(&md_.path),
                        join(&md_.categories)
                    );
                }
                Some((f, r)) => {
                    let _ = writeln!(
                        s,
                        "| {} | {} | {} | {} | {} |",
                        md(&md_.path),
                        join(&f.categories),
                        md(&r.name),
                        loc(r.location),
                        if r.cleartext {
                            format!(
                                "**cleartext: {}**",
                                md(r.cleartext_how.as_deref().unwrap_or("unencrypted"))
                            )
                        } else {
                            "—".into()
                        }
                    );
                }
            }
        }
    }

    s.push_str("\n## AI register\n\n");
    if m.ai_register.is_empty() {
        s.push_str("No AI model call was found.\n");
    }
    for a in &m.ai_register {
        let _ = writeln!(
            s,
            "### {}:{} — {}\n\n- Provider: {}; model: {}\n- Endpoint: {}{} ({})\n- Use: {}\n- Health data: {}\n- Evidence: {}",
            md(&a.path),
            a.line,
            md(&a.callee),
            md(a.provider.as_deref().unwrap_or("unknown")),
            a.model.as_deref().map(md).unwrap_or_else(|| "not a literal".into()),
            a.endpoint.as_deref().map(md).unwrap_or_else(|| "not named in the code".into()),
            a.region
                .as_deref()
                .map(|r| format!(", region {}", md(r)))
                .unwrap_or_default(),
            loc(a.location),
            match a.use_ {
                AiUse::Inference => "inference",
                AiUse::Training => "training",
            },
            if a.health_data {
                format!("yes ({})", join(&a.categories))
            } else {
                "no (not found)".into()
            },
            a.findings.join(", ")
        );
        for n in &a.notes {
            let _ = writeln!(s, "- {}", md(n));
        }
        s.push('\n');
    }

    s.push_str("\n## Recipients and transfers\n\n");
    if m.recipients.is_empty() {
        s.push_str("No health data leaves the code's control.\n");
    } else {
        s.push_str("| Recipient | Kind | Endpoint | Health data | EU/EEA | Transport | From | Evidence |\n|---|---|---|---|---|---|---|---|\n");
        for r in &m.recipients {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {}{} | {} | {} | {} | {} |",
                md(&r.name),
                r.kind.label(),
                r.endpoint
                    .as_deref()
                    .map(md)
                    .unwrap_or_else(|| md(&r.callees.join(", "))),
                if r.categories.is_empty() {
                    "health data (category not determined)".to_string()
                } else {
                    join(&r.categories)
                },
                if r.direct_identifier {
                    ", **direct identifier**"
                } else {
                    ""
                },
                loc(r.location),
                if r.cleartext {
                    format!(
                        "**cleartext: {}**",
                        md(r.cleartext_how.as_deref().unwrap_or("unencrypted"))
                    )
                } else {
                    "—".into()
                },
                join(&r.modules),
                r.findings.join(", ")
            );
        }
    }

    s.push_str("\n## DPIA screening\n\n");
    for c in &m.dpia.criteria {
        let _ = writeln!(
            s,
            "- **{}**: {}. {}{}",
            md(&c.title),
            if c.evidenced {
                "evidenced"
            } else {
                "not evidenced"
            },
            md(&c.explanation),
            if c.evidenced {
                format!(" Evidence: {}.", c.evidence.join(", "))
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(s, "\n**{}**", md(&m.dpia.recommendation));

    s.push_str("\n## Findings\n");
    for rule in RuleId::ALL {
        let fs: Vec<_> = m.findings.iter().filter(|f| f.rule == rule).collect();
        if fs.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n### {} ({})\n", rule.id(), fs.len());
        if rule.is_inventory() {
            for f in fs {
                let _ = writeln!(
                    s,
                    "- {} {}:{} — {}",
                    f.id,
                    md(&f.path),
                    f.line,
                    md(&f.message)
                );
            }
            continue;
        }
        for f in fs {
            let _ = writeln!(
                s,
                "#### {} {}:{}:{} ({})\n\n{}\n",
                f.id,
                md(&f.path),
                f.line,
                f.column,
                f.level.as_str(),
                md(&f.message)
            );
            let body: String = f
                .frame
                .iter()
                .map(|l| format!("{:>4} | {}\n", l.line, l.text))
                .collect();
            let fence = "`".repeat(longest_backtick_run(&body).max(2) + 1);
            let _ = writeln!(s, "{fence}text\n{body}{fence}\n");
            for (i, st) in f.path_steps.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "{}. {}:{}:{} {}",
                    i + 1,
                    md(&st.path),
                    st.line,
                    st.column,
                    md(&st.message)
                );
            }
            let gdpr: Vec<&str> = f.gdpr.iter().map(String::as_str).collect();
            let _ = writeln!(
                s,
                "\n- GDPR: {}\n- AI Act: {}\n- Other: {}\n- Fix: {}\n",
                md(&crate::rules::RuleMeta::cite(&gdpr)),
                md(&f.ai_act),
                md(&f.other),
                md(&f.fix)
            );
        }
    }

    s.push_str("\n## Dependencies\n\n");
    if m.dependencies.is_empty() {
        s.push_str("No AI, tracking, cloud or messaging SDK is declared.\n");
    } else {
        s.push_str("| Package | Provider | Kind | Declared in | Imported by the code |\n|---|---|---|---|---|\n");
        for d in &m.dependencies {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                md(&d.package),
                md(&d.provider),
                d.kind.label(),
                md(&d.manifest),
                if d.used {
                    "yes"
                } else {
                    "**no: declared but not imported**"
                }
            );
        }
    }
    s.push_str(
        "\n## Still to do by hand\n\n\
         - Confirm the purposes and the legal basis of each processing (GDPR Art. 6 and an Art. 9(2) condition).\n\
         - Check contracts: Art. 28 processor agreements, no training on the data for AI vendors, HDS certification where applicable (France).\n\
         - For each transfer outside the EU/EEA: DPF certification, or SCCs (Art. 46) plus a transfer impact assessment, or an Art. 49 derogation.\n\
         - Establish the scale, retention, access, and whether any AI output decides without human review.\n\
         - Classify each AI system from its stated intended purpose, and check how patients interact with it.\n\
         - Cover what the scan cannot see: configuration, infrastructure, databases, languages other than ",
    );
    s.push_str(&crate::lang::Lang::display_list());
    s.push_str(".\n");
    s
}

fn longest_backtick_run(s: &str) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for c in s.chars() {
        if c == '`' {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}
