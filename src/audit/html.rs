//! One self-contained HTML page: inline CSS, inline SVG, no script, no external resource (a
//! Content-Security-Policy forbids them too), printable. Every piece of text that comes from
//! the scanned code — paths, snippets, messages, names — goes through [`esc`].

use super::deps::Dependency;
use super::model::{AiUse, AuditFinding, AuditModel, Location, Recipient};
use super::svg::{self, esc};
use crate::rules::{Level, RuleId};
use std::fmt::Write as _;

/// Evidence links shown per DPIA criterion before "and N more".
const MAX_EVIDENCE_LINKS: usize = 12;

const CSS: &str = r#"
:root{--fg:#1a202c;--muted:#4a5568;--line:#d8dee9;--red:#b00020;--amber:#8a5a00;--blue:#2b4c7e;--bg2:#f7f8fa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:#fff}
header,main,footer{max-width:1060px;margin:0 auto;padding:0 20px}
header{padding-top:24px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:21px;margin:36px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:17px;margin:22px 0 8px}
.meta{color:var(--muted);margin:0}
.notice{background:#fff8e6;border-left:4px solid var(--amber);padding:8px 12px;margin:12px 0}
nav{max-width:1060px;margin:12px auto 0;padding:0 20px}
nav a{margin-right:14px;color:var(--blue)}
table{border-collapse:collapse;width:100%;margin:8px 0 12px;font-size:14px}
th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--bg2)}
td.num{text-align:right}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
pre.frame{background:var(--bg2);border:1px solid var(--line);padding:8px;overflow-x:auto;margin:6px 0;white-space:pre}
.ln{color:var(--muted);user-select:none}
.verdict{font-size:16px;background:var(--bg2);padding:12px 14px;border-radius:6px}
.tag{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;font-weight:600;border:1px solid currentColor}
.tag.non-eu,.tag.cleartext,.tag.error,.tag.yes{color:var(--red)}
.tag.eu{color:#1f6f3f}.tag.warning{color:var(--amber)}.tag.note,.tag.unknown,.tag.local{color:var(--muted)}
.map{overflow-x:auto;border:1px solid var(--line);border-radius:6px;padding:8px;margin:8px 0}
.map svg{max-width:100%;height:auto}
.finding{border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:4px;padding:8px 12px;margin:10px 0}
.finding.error{border-left-color:var(--red)}.finding.warning{border-left-color:var(--amber)}
.finding h4{margin:0 0 4px;font-size:14px}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0 0;font-size:14px}
.finding dt{font-weight:600;color:var(--muted)}.finding dd{margin:0}
ol.steps{margin:4px 0;padding-left:22px;font-size:14px}
.criterion.met{border-left:4px solid var(--red);padding-left:8px}
.criterion{border-left:4px solid var(--line);padding-left:8px;margin:8px 0}
.recommendation{font-weight:600}
footer{color:var(--muted);font-size:13px;margin-top:40px;padding-bottom:30px}
@media print{
 body{font-size:10.5pt}
 nav{display:none}
 header,main,footer{max-width:none;padding:0}
 h2{break-after:avoid}
 .finding,tr,.criterion,figure{break-inside:avoid}
 .map{overflow:visible;border:none}
 a{color:inherit;text-decoration:none}
 pre.frame{white-space:pre-wrap}
}
"#;

/// `esc(s)` with each `` `code` `` span set as `<code>`; unpaired backticks stay as text.
fn rich(s: &str) -> String {
    if !s.matches('`').count().is_multiple_of(2) {
        return esc(s);
    }
    s.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part)
            }
        })
        .collect()
}

fn level_tag(l: Level) -> String {
    format!("<span class=\"tag {0}\">{0}</span>", l.as_str())
}

fn location_tag(l: Location) -> String {
    let class = match l {
        Location::Eu => "eu",
        Location::NonEu => "non-eu",
        Location::Unknown => "unknown",
        Location::Local => "local",
    };
    format!("<span class=\"tag {class}\">{}</span>", l.label())
}

fn list_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "—".to_string()
    } else {
        esc(&items.join(", "))
    }
}

fn link(id: &str) -> String {
    format!("<a href=\"#{0}\">{0}</a>", esc(id))
}

fn links(ids: &[String]) -> String {
    if ids.is_empty() {
        return "—".to_string();
    }
    ids.iter().map(|i| link(i)).collect::<Vec<_>>().join(" ")
}

pub fn render(m: &AuditModel) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let title = format!("Health-data audit: {}", m.target.name);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    let _ = write!(
        s,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">healthflow {} · {}</p>\n\
         <p class=\"notice\">This report is drawn from the source code alone. It is guidance for a \
         compliance review, not legal advice: the controller and its DPO decide.</p>\n</header>\n",
        esc(&title),
        esc(&m.tool.version),
        match &m.target.commit {
            Some(c) => format!("commit <code>{}</code>", esc(c)),
            None => "not a git repository".to_string(),
        }
    );
    s.push_str(
        "<nav><a href=\"#summary\">Summary</a><a href=\"#data-map\">Data map</a>\
         <a href=\"#ai-register\">AI register</a><a href=\"#recipients\">Recipients and transfers</a>\
         <a href=\"#dpia\">DPIA screening</a><a href=\"#findings\">Findings</a>\
         <a href=\"#dependencies\">Dependencies</a><a href=\"#by-hand\">Still to do by hand</a></nav>\n<main>\n",
    );
    summary(&mut s, m);
    data_map(&mut s, m);
    ai_register(&mut s, m);
    recipients(&mut s, m);
    dpia(&mut s, m);
    findings(&mut s, m);
    dependencies(&mut s, &m.dependencies);
    by_hand(&mut s);
    let _ = write!(
        s,
        "</main>\n<footer>Generated by healthflow {} from {}. Same code, same report.</footer>\n</body>\n</html>\n",
        esc(&m.tool.version),
        esc(&m.target.path)
    );
    s
}

fn summary(s: &mut String, m: &AuditModel) {
    let sm = &m.summary;
    s.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    let _ = writeln!(s, "<p class=\"verdict\">{}</p>", esc(&sm.verdict));
    let langs = if sm.languages.is_empty() {
        "—".to_string()
    } else {
        sm.languages
            .iter()
            .map(|(l, n)| format!("{} ({n})", esc(l)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        s,
        "<table class=\"scanned\"><tbody>\
         <tr><th>Target</th><td><code>{}</code></td></tr>\
         <tr><th>Commit</th><td>{}</td></tr>\
         <tr><th>Files scanned</th><td>{}</td></tr>\
         <tr><th>Languages (source files)</th><td>{}</td></tr>\
         <tr><th>Lines</th><td>{}</td></tr>\
         <tr><th>Files skipped</th><td>{}</td></tr>\
         <tr><th>Findings</th><td>{} errors, {} warnings, {} notes</td></tr>\
         </tbody></table>",
        esc(&m.target.path),
        m.target
            .commit
            .as_deref()
            .map(|c| format!("<code>{}</code>", esc(c)))
            .unwrap_or_else(|| "—".into()),
        sm.files_scanned,
        langs,
        sm.lines_scanned,
        sm.skipped.len(),
        sm.errors,
        sm.warnings,
        sm.notes
    );
    if !sm.skipped.is_empty() {
        s.push_str("<h3>Skipped files</h3>\n<table><thead><tr><th>File</th><th>Reason</th></tr></thead><tbody>\n");
        for k in &sm.skipped {
            let _ = writeln!(
                s,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                esc(&k.path),
                esc(&k.reason)
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("<h3>Findings by rule</h3>\n<table class=\"by-rule\"><thead><tr><th>Rule</th><th>Level</th><th>Count</th></tr></thead><tbody>\n");
    for r in &sm.by_rule {
        let _ = writeln!(
            s,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td></tr>",
            r.rule.id(),
            level_tag(r.level),
            r.count
        );
    }
    s.push_str("</tbody></table>\n</section>\n");
}

fn data_map(s: &mut String, m: &AuditModel) {
    s.push_str("<section id=\"data-map\">\n<h2>Data map</h2>\n<p>Health-data categories, the modules that handle them and where the data goes. \
                A red border marks a recipient outside the EU/EEA; a dashed red line, data sent without transport encryption.</p>\n");
    if m.data_map.modules.is_empty() && m.recipients.is_empty() {
        s.push_str("<p>No health data was found.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(s, "<figure class=\"map\">{}</figure>", svg::render(m));
    s.push_str("<h3>As a table</h3>\n<table id=\"data-map-table\"><thead><tr><th>Module</th><th>Health data</th><th>Recipient</th><th>Where</th><th>Transport</th></tr></thead><tbody>\n");
    for (md, flow) in m.data_map_rows() {
        match flow {
            None => {
                let _ = writeln!(
                    s,
                    "<tr><td><code>{}</code></td><td>{}</td><td>— (declared or held only)</td><td></td><td></td></tr>",
                    esc(&md.path),
                    list_or_dash(&md.categories)
                );
            }
            Some((f, r)) => {
                let _ = writeln!(
                    s,
                    "<tr><td><code>{}</code></td><td>{}</td><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
                    esc(&md.path),
                    list_or_dash(&f.categories),
                    esc(&r.id),
                    esc(&r.name),
                    location_tag(r.location),
                    transport(r)
                );
            }
        }
    }
    s.push_str("</tbody></table>\n</section>\n");
}

fn transport(r: &Recipient) -> String {
    if r.cleartext {
        format!(
            "<span class=\"tag cleartext\">cleartext: {}</span>",
            esc(r.cleartext_how.as_deref().unwrap_or("unencrypted"))
        )
    } else if matches!(
        r.kind,
        super::model::RecipientKind::Logs | super::model::RecipientKind::Storage
    ) {
        "not encrypted at rest".to_string()
    } else {
        "TLS (as far as the code shows)".to_string()
    }
}

fn ai_register(s: &mut String, m: &AuditModel) {
    s.push_str("<section id=\"ai-register\">\n<h2>AI register</h2>\n<p>Every AI model call site found, whether or not health data reaches it (AI Act Art. 4, 26, 50; GDPR Art. 35).</p>\n");
    if m.ai_register.is_empty() {
        s.push_str("<p>No AI model call was found.</p>\n</section>\n");
        return;
    }
    s.push_str("<table class=\"ai-register\"><thead><tr><th>Call site</th><th>Provider / model</th><th>Endpoint</th><th>Use</th><th>Health data</th><th>AI Act and GDPR notes</th></tr></thead><tbody>\n");
    // Rows share most notes: each is printed once below the table, rows refer to it.
    let mut all_notes: Vec<&String> = Vec::new();
    for n in m.ai_register.iter().flat_map(|a| &a.notes) {
        if !all_notes.contains(&n) {
            all_notes.push(n);
        }
    }
    for a in &m.ai_register {
        let endpoint = match (&a.endpoint, &a.region) {
            (Some(e), Some(r)) => format!("<code>{}</code> (region {})", esc(e), esc(r)),
            (Some(e), None) => format!("<code>{}</code>", esc(e)),
            _ => "not named in the code".to_string(),
        };
        let notes = a
            .notes
            .iter()
            .filter_map(|n| all_notes.iter().position(|x| *x == n))
            .map(|i| format!("<a href=\"#ai-note-{0}\">{0}</a>", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            s,
            "<tr class=\"ai-system\"><td><code>{}:{}</code><br><code>{}</code><br>{}</td><td>{}<br>{}</td><td>{}<br>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&a.path),
            a.line,
            esc(&a.callee),
            links(&a.findings),
            esc(a.provider.as_deref().unwrap_or("unknown provider")),
            a.model
                .as_deref()
                .map(|x| format!("model <code>{}</code>", esc(x)))
                .unwrap_or_else(|| "model not a literal".to_string()),
            endpoint,
            location_tag(a.location),
            match a.use_ {
                AiUse::Inference => "inference",
                AiUse::Training => "training",
            },
            if a.health_data {
                format!(
                    "<span class=\"tag yes\">yes</span> {}{}",
                    list_or_dash(&a.categories),
                    if a.direct_identifier {
                        ", with a direct identifier"
                    } else {
                        ""
                    }
                )
            } else {
                "no (not found)".to_string()
            },
            notes
        );
    }
    s.push_str("</tbody></table>\n<ol class=\"ai-notes\">\n");
    for (i, n) in all_notes.iter().enumerate() {
        let _ = writeln!(s, "<li id=\"ai-note-{}\">{}</li>", i + 1, rich(n));
    }
    s.push_str("</ol>\n</section>\n");
}

fn recipients(s: &mut String, m: &AuditModel) {
    s.push_str("<section id=\"recipients\">\n<h2>Recipients and transfers</h2>\n<p>Each destination of health data — the core of the GDPR Art. 30 record of processing and of the Art. 13/14 information on recipients and transfers.</p>\n");
    if m.recipients.is_empty() {
        s.push_str("<p>No health data leaves the code's control.</p>\n</section>\n");
        return;
    }
    s.push_str("<table class=\"recipients\"><thead><tr><th>Recipient</th><th>Kind</th><th>Endpoint</th><th>Health data</th><th>EU/EEA</th><th>Transport</th><th>From</th><th>Evidence</th></tr></thead><tbody>\n");
    for r in &m.recipients {
        let _ = writeln!(
            s,
            "<tr id=\"{}\" class=\"recipient {}\"><td>{}{}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.id),
            svg::kind_class(r.kind),
            esc(&r.name),
            if r.models.is_empty() {
                String::new()
            } else {
                format!("<br>model {}", esc(&r.models.join(", ")))
            },
            r.kind.label(),
            r.endpoint
                .as_deref()
                .map(|e| format!("<code>{}</code>", esc(e)))
                .unwrap_or_else(|| esc(&r.callees.join(", "))),
            if r.categories.is_empty() {
                "health data (category not determined)".to_string()
            } else {
                esc(&r.categories.join(", "))
            },
            if r.direct_identifier {
                ", <strong>direct identifier</strong>"
            } else {
                ""
            },
            location_tag(r.location),
            transport(r),
            r.modules
                .iter()
                .map(|x| format!("<code>{}</code>", esc(x)))
                .collect::<Vec<_>>()
                .join("<br>"),
            links(&r.findings)
        );
    }
    s.push_str("</tbody></table>\n");
    if m.recipients.iter().any(|r| r.location == Location::NonEu) {
        s.push_str("<p>For each recipient outside the EU/EEA: verify DPF certification, or SCCs (Art. 46) plus a transfer impact assessment, or an Art. 49 derogation. In France, health data hosted for others must stay in the EU/EEA (Décret 2026-209).</p>\n");
    }
    s.push_str("</section>\n");
}

fn dpia(s: &mut String, m: &AuditModel) {
    s.push_str("<section id=\"dpia\">\n<h2>DPIA screening</h2>\n<p>The EDPB criteria for a data protection impact assessment (GDPR Art. 35) this code gives evidence for. Criteria marked “hint” depend on facts the code cannot show.</p>\n");
    for c in &m.dpia.criteria {
        let shown: Vec<String> = c
            .evidence
            .iter()
            .take(MAX_EVIDENCE_LINKS)
            .cloned()
            .collect();
        let more = c.evidence.len().saturating_sub(shown.len());
        let _ = writeln!(
            s,
            "<div class=\"criterion{}\" id=\"dpia-{}\"><strong>{}</strong> — {}<br><span class=\"meta\">{}</span>{}</div>",
            if c.evidenced { " met" } else { "" },
            esc(&c.id),
            esc(&c.title),
            if c.evidenced {
                "<span class=\"tag yes\">evidenced</span>"
            } else {
                "<span class=\"tag note\">not evidenced</span>"
            },
            esc(&c.explanation),
            if c.evidenced {
                format!(
                    "<br>Evidence: {}{}",
                    links(&shown),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                )
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(
        s,
        "<p class=\"recommendation\" id=\"dpia-recommendation\">{}</p>\n</section>",
        esc(&m.dpia.recommendation)
    );
}

fn finding_card(s: &mut String, f: &AuditFinding) {
    let _ = write!(
        s,
        "<article class=\"finding {}\" id=\"{}\"><h4>{} <code>{}:{}:{}</code> <a href=\"#{}\">{}</a></h4><p>{}</p>",
        f.level.as_str(),
        esc(&f.id),
        level_tag(f.level),
        esc(&f.path),
        f.line,
        f.column,
        esc(&f.id),
        esc(&f.id),
        rich(&f.message)
    );
    let width = f
        .frame
        .last()
        .map(|l| l.line.to_string().len())
        .unwrap_or(1);
    s.push_str("<pre class=\"frame\"><code>");
    for l in &f.frame {
        let _ = writeln!(
            s,
            "<span class=\"ln\">{:>width$} | </span>{}",
            l.line,
            esc(&l.text)
        );
    }
    s.push_str("</code></pre>");
    if !f.path_steps.is_empty() {
        s.push_str("<ol class=\"steps\">");
        for st in &f.path_steps {
            let _ = write!(
                s,
                "<li><code>{}:{}:{}</code> {}</li>",
                esc(&st.path),
                st.line,
                st.column,
                rich(&st.message)
            );
        }
        s.push_str("</ol>");
    }
    let _ = writeln!(
        s,
        "<dl><dt>Rule</dt><dd><code>{}</code></dd><dt>GDPR</dt><dd>{}</dd><dt>AI Act</dt><dd>{}</dd><dt>Other</dt><dd>{}</dd><dt>Fix</dt><dd>{}</dd></dl></article>",
        f.rule.id(),
        esc(&crate::rules::RuleMeta::cite(
            &f.gdpr.iter().map(String::as_str).collect::<Vec<_>>()
        )),
        esc(&f.ai_act),
        esc(&f.other),
        esc(&f.fix)
    );
}

fn findings(s: &mut String, m: &AuditModel) {
    s.push_str("<section id=\"findings\">\n<h2>Findings</h2>\n");
    for rule in RuleId::ALL.iter().filter(|r| !r.is_inventory()) {
        let fs: Vec<&AuditFinding> = m.findings.iter().filter(|f| f.rule == *rule).collect();
        if fs.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<h3 id=\"rule-{0}\"><code>{0}</code> ({1}) — {2}</h3>",
            rule.id(),
            fs.len(),
            esc(rule.meta().short)
        );
        for f in fs {
            finding_card(s, f);
        }
    }
    for rule in RuleId::ALL.iter().filter(|r| r.is_inventory()) {
        let fs: Vec<&AuditFinding> = m.findings.iter().filter(|f| f.rule == *rule).collect();
        if fs.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<h3 id=\"rule-{0}\"><code>{0}</code> ({1}) — {2}</h3>\n<table class=\"inventory\"><thead><tr><th>Id</th><th>Where</th><th>Note</th></tr></thead><tbody>",
            rule.id(),
            fs.len(),
            esc(rule.meta().short)
        );
        for f in fs {
            let _ = writeln!(
                s,
                "<tr id=\"{0}\"><td><a href=\"#{0}\">{0}</a></td><td><code>{1}:{2}</code></td><td>{3}</td></tr>",
                esc(&f.id),
                esc(&f.path),
                f.line,
                rich(&f.message)
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("</section>\n");
}

fn dependencies(s: &mut String, deps: &[Dependency]) {
    s.push_str("<section id=\"dependencies\">\n<h2>Dependencies</h2>\n<p>AI, tracking, cloud and messaging SDKs declared in the manifests. A declared SDK the code does not import still deserves a line in the record: it may be loaded by configuration or be dead weight to remove.</p>\n");
    if deps.is_empty() {
        s.push_str("<p>None declared.</p>\n</section>\n");
        return;
    }
    s.push_str("<table class=\"dependencies\"><thead><tr><th>Package</th><th>Provider</th><th>Kind</th><th>Declared in</th><th>Imported by the code</th></tr></thead><tbody>\n");
    for d in deps {
        let _ = writeln!(
            s,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            esc(&d.package),
            esc(&d.provider),
            d.kind.label(),
            esc(&d.manifest),
            if d.used {
                "yes"
            } else {
                "<strong>no: declared but not imported</strong>"
            }
        );
    }
    s.push_str("</tbody></table>\n</section>\n");
}

fn by_hand(s: &mut String) {
    s.push_str(
        "<section id=\"by-hand\">\n<h2>Still to do by hand</h2>\n<ul>\n\
         <li>Confirm the purposes and the legal basis of each processing (GDPR Art. 6 and an Art. 9(2) condition); code does not show them.</li>\n\
         <li>Check contracts: an Art. 28 processor agreement with each recipient, no training on the data for AI vendors, HDS certification where health data is hosted for others (France).</li>\n\
         <li>For each transfer outside the EU/EEA: DPF certification, or SCCs plus a transfer impact assessment, or an Art. 49 derogation.</li>\n\
         <li>Establish the scale (number of patients), retention periods, who has access, and whether any AI output decides without human review.</li>\n\
         <li>Classify each AI system from its intended purpose as stated by the provider (instructions for use, CE marking), and check how patients interact with it.</li>\n\
         <li>Cover what the scan cannot see: configuration and environment variables, infrastructure, databases and their encryption, languages other than ",
    );
    s.push_str(&crate::lang::Lang::display_list());
    s.push_str(".</li>\n</ul>\n</section>\n");
}
