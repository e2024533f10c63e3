//! Sink checks: which rule a call fires, where its data goes (endpoint, region, TLS), and
//! the finding text.

use super::summary::{ParamSink, SinkHit};
use super::{arg_index, arg_value, looks_like_url, Analyzer, Env, Taint, Value};
use crate::finding::{Finding, FlowStep, SinkInfo, SinkKind};
use crate::model::{ArgKind, BinOp, Call, Expr, ExprKind};
use crate::patterns::{glob_to_regex, ArgSel, SinkSpec, Zone};
use crate::rules::RuleId;
use std::rc::Rc;

pub(crate) struct CallSite<'e> {
    pub expr: &'e Expr,
    pub call: &'e Call,
    pub paths: &'e [&'e str],
    pub raw: &'e str,
    pub recv: Option<&'e Value>,
    pub args: &'e [Value],
}

/// Where a sink sends its data.
#[derive(Debug, Default)]
struct Destination {
    host: Option<String>,
    cleartext_url: bool,
    loopback: bool,
    zone: Option<Zone>,
    host_provider: Option<String>,
    host_kind: Option<SinkKind>,
    /// A relative URL (`/api/patients/1`): the origin the code was served from, the
    /// application's own server.
    same_origin: bool,
}

impl<'a> Analyzer<'a> {
    /// Fire the first matching sink whose conditions hold; returns its kind when the call is a
    /// sink.
    pub(crate) fn check_sinks(&mut self, cs: &CallSite<'_>) -> Option<SinkKind> {
        for i in self.pats.sinks.matches(cs.paths) {
            let spec = &self.pats.file.sink[i];
            if !self.conditions_hold(spec, cs) {
                continue;
            }
            let model = spec
                .model_args
                .iter()
                .find_map(|s| arg_value(cs.call, cs.args, s).and_then(|v| v.text.clone()));
            let dest = self.destination(spec, cs);
            let mut kind = spec.kind;
            if kind == SinkKind::ThirdParty {
                if let Some(k) = dest.host_kind {
                    kind = k;
                }
            }
            let provider = dest
                .host_provider
                .clone()
                .filter(|_| dest.host_kind.is_some() && spec.kind == SinkKind::ThirdParty)
                .or_else(|| spec.provider.clone());
            let info = SinkInfo {
                callee: self.short(cs.call.callee.span),
                provider: provider.clone(),
                endpoint: dest.host.clone(),
                model: model.clone(),
            };
            if self.opts.inventory && matches!(kind, SinkKind::AiModel | SinkKind::AiTraining) {
                self.ai_inventory(cs, &info, kind);
            }
            let Some(taint) = self.sink_taint(spec, cs) else {
                return Some(kind);
            };
            // A parameter's data too: a caller's data then reaches what reads the file back.
            if kind == SinkKind::Storage {
                self.written_to_file(cs, &taint);
            }
            let network = matches!(
                kind,
                SinkKind::AiModel
                    | SinkKind::AiTraining
                    | SinkKind::ThirdParty
                    | SinkKind::Tracking
            );
            if dest.loopback && matches!(kind, SinkKind::ThirdParty | SinkKind::Tracking) {
                return Some(kind);
            }
            // The organisation's own hosts: no third-party transfer; cleartext still counts.
            let internal = network
                && kind == SinkKind::ThirdParty
                && (dest.same_origin || self.is_internal(dest.host.as_deref()));
            let mut rules = Vec::new();
            if !internal {
                rules.push((kind.rule(), None));
            }
            if network || kind == SinkKind::Storage {
                let insecure = cs.recv.is_some_and(|r| r.insecure)
                    || cs.args.iter().any(|a| a.insecure)
                    || self.call_insecure(cs);
                if network && !dest.loopback && (dest.cleartext_url || insecure) {
                    let why = if dest.cleartext_url {
                        format!(
                            "over plain http:// to {}",
                            dest.host.as_deref().unwrap_or("its host")
                        )
                    } else {
                        "over a connection whose TLS certificate verification is disabled"
                            .to_string()
                    };
                    rules.push((RuleId::HealthDataOverCleartext, Some(why)));
                }
                if dest.zone == Some(Zone::NonEu) && !dest.loopback && !internal {
                    let to = dest
                        .host
                        .clone()
                        .unwrap_or_else(|| "its endpoint".to_string());
                    rules.push((RuleId::HealthDataCrossBorder, Some(to)));
                }
            }
            // A third party only for want of a host, with a parameter for its URL: the
            // callers' URLs decide.
            let url_param = (kind == SinkKind::ThirdParty
                && !internal
                && dest.host.is_none()
                && dest.zone.is_none())
            .then(|| self.url_parameter(spec, cs))
            .flatten();
            let span = cs.expr.span;
            let hit = std::sync::Arc::new(SinkHit {
                kind,
                rules,
                info,
                path: self.file.clone(),
                span,
                snippet: self.line_text(span.start_line),
            });
            self.reach(&hit, &taint, &[], url_param);
            return Some(kind);
        }
        None
    }

    /// Health data written to a file: through a handle opened for writing (`fh.write(x)`,
    /// `json.dump(x, fh)`) or whole (`path.write_text(x)`); read back later from that path.
    fn written_to_file(&mut self, cs: &CallSite<'_>, taint: &Rc<super::Taint>) {
        let mut keys: Vec<String> = cs
            .recv
            .into_iter()
            .chain(cs.args.iter())
            .filter_map(|v| v.file.as_deref())
            .map(str::to_string)
            .collect();
        if let ExprKind::Attr { obj, attr } = &cs.call.callee.kind {
            if self.pats.file.flow.file_writers.iter().any(|w| w == attr) {
                keys.extend(self.file_key(obj));
            }
        }
        for k in keys {
            let cur = self.file_data.remove(&k);
            let joined = super::join_taint(cur, Some(Rc::clone(taint)));
            if let Some(t) = joined {
                self.file_data.insert(k, t);
            }
        }
    }

    /// A write into an in-memory buffer (`df.to_csv(buf)` with `buf = io.StringIO()`): no
    /// storage; the buffer now holds the data. Returns whether the call was one.
    pub(crate) fn writes_to_memory(&mut self, cs: &CallSite<'_>, env: &mut Env) -> bool {
        let buffers = &self.pats.file.flow.memory_buffers;
        if buffers.is_empty() {
            return false;
        }
        let in_memory = |v: &Value| {
            v.ty.as_deref().is_some_and(|t| {
                let t = t.strip_suffix("()").unwrap_or(t);
                buffers.iter().any(|b| b == t)
            })
        };
        // A writer made over an in-memory buffer (`csv.writer(io.StringIO())`).
        if let Some(w) = cs.recv.and_then(|r| r.wraps.clone()) {
            if env.get(&*w).is_some_and(in_memory) {
                let mut taint = None;
                for i in self.pats.sinks.matches(cs.paths) {
                    let spec = &self.pats.file.sink[i];
                    if spec.kind == crate::finding::SinkKind::Storage {
                        taint = super::join_taint(taint, self.sink_taint(spec, cs));
                    }
                }
                if let Some(t) = taint {
                    let v = Value {
                        taint: Some(t),
                        ..Value::default()
                    };
                    self.taint_var(&w, &v, cs.expr.span, env, false);
                }
                return true;
            }
        }
        for i in self.pats.sinks.matches(cs.paths) {
            let spec = &self.pats.file.sink[i];
            if spec.into_args.is_empty() || !self.conditions_hold(spec, cs) {
                continue;
            }
            let Some(k) = spec.into_args.iter().find_map(|s| arg_index(cs.call, s)) else {
                return false;
            };
            if !cs.args.get(k).is_some_and(in_memory) {
                return false;
            }
            let base = cs.call.args.get(k).and_then(|a| a.value.dotted());
            if let (Some(t), Some(base)) = (self.sink_taint(spec, cs), base) {
                let v = Value {
                    taint: Some(t),
                    ..Value::default()
                };
                self.taint_var(&base, &v, cs.expr.span, env, false);
            }
            return true;
        }
        false
    }

    /// Health data `taint` reaches `hit`, through `via` (steps inside callees, when the sink
    /// is in a called function): real data fires the hit's rules; parameters of the function
    /// being analysed go into its summary.
    pub(crate) fn reach(
        &mut self,
        hit: &std::sync::Arc<SinkHit>,
        taint: &Rc<Taint>,
        via: &[FlowStep],
        url_param: Option<u32>,
    ) {
        if taint.real {
            for (rule, detail) in &hit.rules {
                self.emit(*rule, hit, taint, via, detail.clone());
            }
        }
        if taint.params == 0 {
            return;
        }
        let Some(cur) = self.current.as_mut() else {
            return;
        };
        for i in 0..64u32 {
            if taint.params & (1u64 << i) == 0 {
                continue;
            }
            // The path from this parameter: the value's own path when it is the parameter's,
            // else just the parameter.
            let mut steps = if !taint.real && taint.params == 1u64 << i {
                taint.steps.clone()
            } else {
                cur.param_steps
                    .get(i as usize)
                    .cloned()
                    .into_iter()
                    .collect()
            };
            steps.extend(via.iter().cloned());
            if steps.len() > super::MAX_STEPS {
                let cut = steps.len() - super::MAX_STEPS;
                steps.drain(1..1 + cut);
            }
            cur.summary.sinks.push(ParamSink {
                param: i,
                fields: super::param_parts(taint, i),
                steps,
                hit: hit.clone(),
                url_param,
            });
        }
    }

    /// The parameter of the function being summarised that a sink's URL argument is, as
    /// passed in (`fetch(url, init)` with `url` a parameter).
    fn url_parameter(&self, spec: &SinkSpec, cs: &CallSite<'_>) -> Option<u32> {
        spec.url_args.iter().find_map(|sel| {
            let i = super::arg_index(cs.call, sel)?;
            self.param_named(&cs.call.args.get(i)?.value, cs.args.get(i)?)
        })
    }

    /// The parameter of the function being summarised that `e` is, unchanged.
    pub(crate) fn param_named(&self, e: &Expr, v: &Value) -> Option<u32> {
        let ExprKind::Name(n) = &e.kind else {
            return None;
        };
        let cur = self.current.as_ref()?;
        let j = cur.summary.params.iter().position(|p| **p == **n)?;
        let t = v.taint.as_ref()?;
        (j < 64 && !t.real && t.params == 1u64 << j).then_some(j as u32)
    }

    fn call_insecure(&self, cs: &CallSite<'_>) -> bool {
        let method = match &cs.call.callee.kind {
            ExprKind::Attr { attr, .. } => Some(attr.as_str()),
            _ => None,
        };
        self.is_insecure(cs.call, method, cs.args)
    }

    fn is_internal(&self, host: Option<&str>) -> bool {
        let Some(h) = host else { return false };
        self.opts
            .internal_hosts
            .iter()
            .any(|g| regex::Regex::new(&glob_to_regex(g)).is_ok_and(|re| re.is_match(h)))
    }

    /// A GET through an HTTP client whose URL path reads patient records: a FHIR resource
    /// about a person (`/Patient/{id}`, `/Observation?subject=…`) or a patient route
    /// (`/api/patients/{id}/notes`), or a GET carrying a patient's identifier. Returns what
    /// makes it one: the response is a health read.
    pub(crate) fn http_read(&self, cs: &CallSite<'_>) -> Option<String> {
        let is_get = cs.paths.iter().any(|p| {
            p.split('.')
                .any(|seg| seg.trim_end_matches("()").eq_ignore_ascii_case("get"))
        }) || (cs.paths.iter().any(|p| {
            self.pats
                .file
                .flow
                .get_by_default
                .iter()
                .any(|g| crate::patterns::glob_match(g, p))
        }) && !names_other_method(cs.call));
        if !is_get {
            return None;
        }
        for i in self.pats.sinks.matches(cs.paths) {
            let spec = &self.pats.file.sink[i];
            if spec.kind != SinkKind::ThirdParty || !self.conditions_hold(spec, cs) {
                continue;
            }
            // `requests.get(url, params={"patient": mrn})`: a GET about a patient's
            // identifier answers with that patient's data.
            if cs
                .args
                .iter()
                .any(|a| a.taint.as_ref().is_some_and(|t| t.real && t.direct_id))
            {
                return Some("carrying a patient identifier".to_string());
            }
            for sel in &spec.url_args {
                let Some(i) = super::arg_index(cs.call, sel) else {
                    continue;
                };
                let mut texts: Vec<String> = cs
                    .args
                    .get(i)
                    .and_then(|v| v.text.clone())
                    .into_iter()
                    .collect();
                // `base + "Patient/" + pid`: the literal pieces of a built URL.
                if let Some(a) = cs.call.args.get(i) {
                    literal_pieces(&a.value, &mut texts);
                }
                for text in &texts {
                    if let Some(path) = self.record_path(text) {
                        return Some(format!("of patient records `{path}`"));
                    }
                }
            }
        }
        None
    }

    /// The path of a URL when it reads patient records.
    fn record_path(&self, text: &str) -> Option<String> {
        let path = match text.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
            None => text,
        };
        let path = path.split('#').next().unwrap_or(path);
        let fhir = path.split(['/', '?', '&', '=']).any(|seg| {
            seg.chars().next().is_some_and(char::is_uppercase) && self.cls.is_context_type(seg)
        });
        let route = path.split('?').next().unwrap_or(path);
        (fhir || (route.contains('/') && self.is_patient_route(route))).then(|| path.to_string())
    }

    fn conditions_hold(&self, spec: &SinkSpec, cs: &CallSite<'_>) -> bool {
        let imported = |m: &String| {
            self.imports
                .values()
                .any(|p| p == m || p.starts_with(&format!("{m}.")))
        };
        if spec.imports_none.iter().any(imported) {
            return false;
        }
        if !spec.imports_any.is_empty() {
            let root = cs.raw.split('.').next().unwrap_or("");
            // Also a receiver made by that library through a project factory
            // (`getTwilioClient()` returning `twilio(sid, token)`).
            let made_by = |m: &str| {
                cs.paths
                    .iter()
                    .any(|p| p.split('.').next().map(|r| r.trim_end_matches("()")) == Some(m))
            };
            let ok = spec.imports_any.iter().any(|m| {
                root == m
                    || made_by(m)
                    || self
                        .imports
                        .values()
                        .any(|p| p == m || p.starts_with(&format!("{m}.")))
            });
            if !ok {
                return false;
            }
        }
        let kw = |n: &str| cs.call.args.iter().any(|a| a.name.as_deref() == Some(n));
        if !spec.requires_args.is_empty()
            && !spec
                .requires_args
                .iter()
                .any(|sel| super::arg_value(cs.call, cs.args, sel).is_some())
        {
            return false;
        }
        if !spec.kwargs_any.is_empty() && !spec.kwargs_any.iter().any(|k| kw(k)) {
            return false;
        }
        for (k, v) in &spec.kwarg_equals {
            let hit = cs.call.args.iter().zip(cs.args).any(|(a, val)| {
                a.name.as_deref() == Some(k.as_str()) && val.text.as_deref() == Some(v.as_str())
            });
            if !hit {
                return false;
            }
        }
        if !spec.unless.is_empty() {
            if spec.unless.iter().any(|k| kw(k)) {
                return false;
            }
            let chain = chain_methods(&cs.call.callee);
            if spec.unless.iter().any(|k| chain.iter().any(|m| m == k)) {
                return false;
            }
        }
        if !spec.arg0_types.is_empty() {
            let ty = cs
                .call
                .args
                .first()
                .and_then(|_| cs.args.first())
                .and_then(|v| v.ty.clone())
                .unwrap_or_default();
            let ok = spec
                .arg0_types
                .iter()
                .any(|g| regex::Regex::new(&glob_to_regex(g)).is_ok_and(|re| re.is_match(&ty)));
            if !ok {
                return false;
            }
        }
        true
    }

    /// The health data reaching the sink's data arguments, if any.
    fn sink_taint(&self, spec: &SinkSpec, cs: &CallSite<'_>) -> Option<Rc<Taint>> {
        let mut t: Option<Rc<Taint>> = None;
        let mut add = |v: &Value| {
            t = super::join_taint(t.take(), v.taint.clone());
        };
        if spec.args.is_empty() {
            for v in cs.args {
                add(v);
            }
            return t;
        }
        for sel in &spec.args {
            match sel {
                ArgSel::Name(n) if n == "receiver" => {
                    if let Some(r) = cs.recv {
                        add(r);
                    }
                }
                sel => {
                    if let Some(v) = arg_value(cs.call, cs.args, sel) {
                        add(v);
                    }
                }
            }
        }
        // Splats may carry any argument.
        for (a, v) in cs.call.args.iter().zip(cs.args) {
            if matches!(a.kind, ArgKind::Splat | ArgKind::KwSplat) {
                add(v);
            }
        }
        t
    }

    fn destination(&self, spec: &SinkSpec, cs: &CallSite<'_>) -> Destination {
        let mut candidates: Vec<String> = Vec::new();
        let mut same_origin = false;
        for sel in &spec.url_args {
            if let Some(v) = arg_value(cs.call, cs.args, sel) {
                // Only for a function or a module's default client (`fetch`, `axios.post`):
                // an instance built elsewhere may carry a base URL of its own.
                let module_call = cs
                    .recv
                    .is_none_or(|r| r.ty.as_deref().is_some_and(|t| !t.ends_with("()")));
                if candidates.is_empty() && module_call && self.is_relative_url(cs.call, sel, v) {
                    same_origin = true;
                }
                if let Some(t) = v.text.as_deref().filter(|t| looks_like_url(t) || is_arn(t)) {
                    candidates.push(t.to_string());
                } else if let Some(ep) = &v.endpoint {
                    candidates.push(ep.clone());
                }
            }
        }
        if let Some(r) = cs.recv {
            if let Some(ep) = &r.endpoint {
                candidates.push(ep.clone());
            }
        }
        if let Some(p) = &spec.provider {
            if let Some(ep) = self.module_endpoints.get(p) {
                candidates.push(ep.clone());
            }
        }
        if let Some(ep) = &spec.endpoint {
            candidates.push(ep.clone());
        }
        let mut d = Destination {
            same_origin: same_origin && candidates.is_empty(),
            ..Destination::default()
        };
        let Some(ep) = candidates.into_iter().next() else {
            return d;
        };
        // A path on a client whose base URL is the application's own server.
        if ep == super::OWN_ORIGIN_ENDPOINT {
            d.same_origin = true;
            return d;
        }
        let lower = ep.trim().to_ascii_lowercase();
        // `arn:aws:sns:eu-west-3:123456789012:alerts`: the region is the fourth part.
        if is_arn(&lower) {
            d.zone = lower
                .split(':')
                .nth(3)
                .and_then(|r| self.catalog.endpoints.region_zone(r));
            return d;
        }
        if let Some(zone) = self.catalog.endpoints.region_zone(&lower) {
            d.zone = Some(zone);
            d.host = Some(lower);
            return d;
        }
        let (scheme, rest) = match lower.split_once("://") {
            Some((s, r)) => (Some(s.to_string()), r.to_string()),
            None => (None, lower.clone()),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let hostport = authority.rsplit('@').next().unwrap_or(authority);
        let host = if hostport.starts_with('[') {
            hostport
                .split(']')
                .next()
                .unwrap_or("")
                .trim_start_matches('[')
                .to_string()
        } else {
            hostport.split(':').next().unwrap_or("").to_string()
        };
        // `http://hapi-fhir:8080`: a single-label name is a service on the deployment's own
        // network (a compose or cluster service), not an external one.
        if !host.is_empty()
            && !host.contains(['.', ':'])
            && host != "localhost"
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && scheme.is_some()
        {
            d.same_origin = true;
            return d;
        }
        if host.is_empty() || !(host.contains('.') || host == "localhost" || host.contains(':')) {
            return d;
        }
        d.loopback = is_loopback(&host);
        d.cleartext_url = scheme.as_deref() == Some("http") || scheme.as_deref() == Some("ws");
        if let Some(h) = self.catalog.endpoints.host(&host) {
            d.zone = Some(h.zone);
            d.host_provider = Some(h.provider.clone());
            d.host_kind = h.kind;
        } else if let Some(region) = aws_region_in_host(&host) {
            d.zone = self.catalog.endpoints.region_zone(region);
        }
        d.host = Some(host);
        d
    }

    /// A URL argument that is a path on the page's own origin: a constant `/api/…`, a string
    /// or template written starting with `/` (`\`/rest/patient/${id}\``), or one built on a
    /// base named only as the application's own server (`config.serverBaseUrl`); not one that
    /// starts with another base (`\`${base}/rest\``, `fhirServerUrl`).
    pub(super) fn is_relative_url(&self, call: &Call, sel: &ArgSel, v: &Value) -> bool {
        super::arg_index(call, sel)
            .and_then(|i| call.args.get(i))
            .is_some_and(|a| self.relative_expr(&a.value, v))
    }

    /// `is_relative_url` for an argument expression and its value (a caller's argument for
    /// a callee's URL parameter too).
    pub(crate) fn relative_expr(&self, e: &Expr, v: &Value) -> bool {
        let rel = |t: &str| t.starts_with('/') && !t.starts_with("//");
        if v.constant && v.text.as_deref().is_some_and(|t| rel(t.trim_start())) {
            return true;
        }
        // What the URL starts with: the left end of a concatenation.
        let mut head = e;
        while let ExprKind::Binary {
            op: BinOp::Arith,
            left,
            ..
        }
        | ExprKind::Wrap(left) = &head.kind
        {
            head = left;
        }
        // `${config.serverBaseUrl}/rest/…`, `config.serverBaseUrl + endPoint`: a base named
        // only as the application's own server.
        // `${protocol}//${window.location.host}/api/ws`: the page's own host.
        let page_host = |x: &Expr| {
            x.dotted().is_some_and(|d| {
                self.pats.file.flow.page_origins.iter().any(|l| {
                    d.strip_suffix(l.as_str())
                        .is_some_and(|head| head.is_empty() || head.ends_with('.'))
                })
            })
        };
        let base = match &head.kind {
            ExprKind::Str(t) => return rel(t.trim_start()),
            ExprKind::Template {
                literal,
                parts,
                opens_with_text,
            } => {
                if *opens_with_text {
                    return rel(literal.trim_start());
                }
                if parts.iter().take(2).any(page_host) {
                    return true;
                }
                parts.first()
            }
            _ => Some(head),
        };
        if base.is_some_and(page_host) {
            return true;
        }
        // `getBackendUrl()`, `apiConfig.getBackendApiUrl()`: a getter named for the base.
        let (base, getter) = match base.map(|b| &b.kind) {
            Some(ExprKind::Call(c)) => (Some(&c.callee), true),
            _ => (base, false),
        };
        let Some(base) = base.and_then(Expr::dotted) else {
            return false;
        };
        let last = base.rsplit('.').next().unwrap_or("");
        let own = &self.catalog.lexicon.own_server;
        let mut words = crate::classify::words(last);
        if getter && words.len() > 1 && own.getter_verbs.contains(&words[0]) {
            words.remove(0);
        }
        let lang_words = &self.pats.file.flow.own_server_words;
        // `VITE_API_URL`: the build tool's prefix for variables exposed to the browser.
        let skip = self
            .pats
            .file
            .flow
            .env_prefixes
            .iter()
            .map(|p| p.split(' ').collect::<Vec<_>>())
            .find(|p| words.len() > p.len() && words.iter().zip(p).all(|(w, p)| w == p))
            .map_or(0, |p| p.len());
        let words = &words[skip..];
        !words.is_empty()
            && words
                .iter()
                .any(|w| own.words.contains(w) || lang_words.contains(w))
            && words.iter().all(|w| own.base_words.contains(w))
    }

    fn ai_inventory(&mut self, cs: &CallSite<'_>, info: &SinkInfo, kind: SinkKind) {
        let what = if kind == SinkKind::AiTraining {
            "AI training call"
        } else {
            "AI model call"
        };
        let mut msg = format!(
            "{what}: {} `{}`",
            info.provider.as_deref().unwrap_or("model"),
            info.callee
        );
        if let Some(m) = &info.model {
            msg.push_str(&format!(", model `{m}`"));
        }
        if let Some(h) = &info.endpoint {
            msg.push_str(&format!(", endpoint {h}"));
        }
        msg.push_str(" (AI register; AI Act Art. 4, 26, 50; GDPR Art. 35).");
        let span = cs.expr.span;
        let snippet = self.line_text(span.start_line);
        self.findings.push(Finding {
            rule: RuleId::AiSystemInventory,
            level: RuleId::AiSystemInventory.level(),
            path: self.file.clone(),
            span,
            message: msg,
            sink: Some(info.clone()),
            flows: Vec::new(),
            total_flows: 0,
            direct_identifier: false,
            categories: Vec::new(),
            security_severity: None,
            snippet,
            fingerprint: String::new(),
            test: false,
        });
    }

    fn emit(
        &mut self,
        rule: RuleId,
        hit: &SinkHit,
        taint: &Rc<Taint>,
        via: &[FlowStep],
        detail: Option<String>,
    ) {
        let info = &hit.info;
        let kind = hit.kind;
        // The most sensitive category first.
        let mut ordered: Vec<u16> = taint.categories.iter().copied().collect();
        ordered.sort_by_key(|c| (std::cmp::Reverse(super::sensitivity(self.cls, *c)), *c));
        let cats: Vec<String> = ordered
            .iter()
            .map(|c| self.cls.category_name(*c).to_string())
            .collect();
        let first = taint.steps.first();
        // "`patient.nir` — a patient identifier: field …" → "`patient.nir` (line 13: a …)".
        let source = first
            .map(|s| {
                // In a container file (a notebook) the line is the file's, not the code's.
                let line = match self.input.lines {
                    Some(map) if *s.path == *self.input.path => {
                        map.position(s.span.start_line, 1).0
                    }
                    _ => s.span.start_line,
                };
                match s.message.split_once(" — ") {
                    Some((subject, why)) => format!("{subject} (line {line}: {why})"),
                    None => format!("{} (line {line})", s.message),
                }
            })
            .unwrap_or_else(|| "health data".to_string());
        let what = if cats.is_empty() {
            "Health data".to_string()
        } else {
            format!("Health data ({})", cats.join(", "))
        };
        let callee = &info.callee;
        let provider = info.provider.as_deref().unwrap_or("");
        let parts = crate::rules::FlowMessage {
            what: &what,
            source: &source,
            callee,
            provider,
            model: info.model.as_deref(),
            endpoint: info.endpoint.as_deref(),
            detail: detail.as_deref(),
        };
        let mut msg = match rule.meta().flow_message {
            Some(message) => message(&parts),
            None => format!("{what} from {source} reaches `{callee}`."),
        };
        if taint.direct_id {
            let unkeyed = taint
                .steps
                .iter()
                .find_map(|s| s.message.strip_prefix(super::UNKEYED_HASH_STEP));
            match unkeyed {
                Some(how) => {
                    let by = how.split(':').next().unwrap_or(how);
                    msg.push_str(&format!(" It includes a direct identifier hashed without a key by {by}: the digest of an identifier is reversed by hashing every possible value, so it is not pseudonymised; use a keyed hash (HMAC with a secret kept apart) or a pseudonym table (GDPR Art. 25(1), 4(5))."));
                }
                None => msg.push_str(" It includes a direct identifier that was not pseudonymised: pseudonymise it before it leaves (GDPR Art. 25(1), 4(5))."),
            }
        }
        let kind_txt = match kind {
            SinkKind::AiModel => "AI model",
            SinkKind::AiTraining => "AI training",
            SinkKind::ThirdParty => "third party",
            SinkKind::Tracking => "tracking SDK",
            SinkKind::Logs => "log",
            SinkKind::Storage => "unencrypted storage",
        };
        // One code flow per source: the value's own path first, then the other sources'.
        let flows: Vec<Vec<FlowStep>> = taint
            .paths()
            .into_iter()
            .map(|mut flow| {
                flow.extend(via.iter().cloned());
                flow.push(FlowStep {
                    path: hit.path.clone(),
                    span: hit.span,
                    message: crate::finding::shared_text(format!(
                        "reaches `{callee}` ({kind_txt})"
                    )),
                });
                if flow.len() > super::MAX_STEPS * 2 {
                    let cut = flow.len() - super::MAX_STEPS * 2;
                    flow.drain(1..1 + cut);
                }
                flow
            })
            .collect();
        let severity = rule.security_severity().map(|s| {
            if taint.direct_id {
                (s + 1.0).min(10.0)
            } else {
                s
            }
        });
        let snippet = hit.snippet.clone();
        // Held until the report: no spare capacity (tens of thousands in a large project).
        msg.shrink_to_fit();
        self.findings.push(Finding {
            rule,
            level: rule.level(),
            path: hit.path.clone(),
            span: hit.span,
            message: msg,
            sink: Some(info.clone()),
            total_flows: flows.len(),
            flows,
            direct_identifier: taint.direct_id,
            categories: cats,
            security_severity: severity,
            snippet,
            fingerprint: String::new(),
            test: false,
        });
    }

    pub(crate) fn check_emotion(&mut self, e: &Expr, c: &Call, paths: &[&str]) {
        for i in self.pats.emotion.matches(paths) {
            let spec = &self.pats.file.emotion[i];
            if !spec.imports_any.is_empty()
                && !spec.imports_any.iter().any(|m| {
                    self.imports
                        .values()
                        .any(|p| p == m || p.starts_with(&format!("{m}.")))
                })
            {
                continue;
            }
            if !spec.literal_any.is_empty() {
                let mut lits = Vec::new();
                collect_literals(&c.callee, &mut lits);
                for a in &c.args {
                    collect_literals(&a.value, &mut lits);
                }
                if !lits.iter().any(|l| spec.literal_any.iter().any(|w| w == l)) {
                    continue;
                }
            }
            let provider = spec
                .provider
                .clone()
                .unwrap_or_else(|| "emotion recognition".into());
            let span = e.span;
            let snippet = self.line_text(span.start_line);
            self.findings.push(Finding {
                rule: RuleId::EmotionOrBiometricAi,
                level: RuleId::EmotionOrBiometricAi.level(),
                path: self.file.clone(),
                span,
                message: format!(
                    "Emotion recognition or biometric categorisation: {provider} via `{}`. The AI Act prohibits emotion inference in workplaces and education except for medical or safety reasons (Art. 5(1)(f)); elsewhere it is high-risk (Annex III 1(c)) and exposed people must be told (Art. 50(3)). Biometric data is special-category data (GDPR Art. 9) and needs a DPIA (Art. 35).",
                    self.short(c.callee.span)
                ),
                sink: Some(SinkInfo {
                    callee: self.short(c.callee.span),
                    provider: Some(provider),
                    endpoint: None,
                    model: None,
                }),
                flows: Vec::new(),
                total_flows: 0,
                direct_identifier: false,
                categories: vec!["biometric".to_string()],
                security_severity: RuleId::EmotionOrBiometricAi.security_severity(),
                snippet,
                fingerprint: String::new(),
                test: false,
            });
            return;
        }
    }
}

/// Method names along a builder chain: `a.b().c(x).send()` → `[send, c, b]`.
fn chain_methods(callee: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = callee;
    loop {
        match &cur.kind {
            ExprKind::Attr { obj, attr } => {
                out.push(attr.clone());
                cur = obj;
            }
            ExprKind::Call(c) => cur = &c.callee,
            ExprKind::Wrap(inner) => cur = inner,
            _ => break,
        }
        if out.len() > 64 {
            break;
        }
    }
    out
}

/// String literals and dotted constant paths (`Attribute::All` → `Attribute.All`, `All`) in an
/// expression and its builder chain, iteratively.
fn collect_literals(e: &Expr, out: &mut Vec<String>) {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        if out.len() > 256 {
            return;
        }
        match &e.kind {
            ExprKind::Str(s) => out.push(s.clone()),
            ExprKind::Attr { obj, attr } => {
                if let Some(d) = e.dotted() {
                    out.push(d);
                    out.push(attr.clone());
                }
                stack.push(obj);
            }
            ExprKind::Name(n) => out.push(n.clone()),
            ExprKind::Call(c) => {
                stack.push(&c.callee);
                for a in &c.args {
                    stack.push(&a.value);
                }
            }
            ExprKind::Collection(items) | ExprKind::Other(items) => stack.extend(items.iter()),
            ExprKind::Wrap(inner) => stack.push(inner),
            ExprKind::Dict(entries) => {
                for (k, v) in entries {
                    if let Some(k) = k {
                        stack.push(k);
                    }
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
}

pub(crate) fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0"
}

/// An Amazon Resource Name (`arn:aws:sns:…`, `arn:aws-cn:…`).
fn is_arn(t: &str) -> bool {
    t.trim_start()
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("arn:aws"))
}

fn aws_region_in_host(host: &str) -> Option<&str> {
    host.split('.').find(|p| {
        let parts: Vec<&str> = p.split('-').collect();
        parts.len() == 3 && parts[2].chars().all(|c| c.is_ascii_digit()) && parts[0].len() == 2
    })
}

/// The string literals a URL is built from (`base + "Patient/" + pid`, `f"{base}/Patient"`),
/// walked without recursion.
fn literal_pieces(e: &Expr, out: &mut Vec<String>) {
    let mut todo = vec![e];
    while let Some(e) = todo.pop() {
        match &e.kind {
            ExprKind::Str(s) => out.push(s.clone()),
            ExprKind::Template { literal, .. } => out.push(literal.clone()),
            ExprKind::Binary {
                op: BinOp::Arith,
                left,
                right,
            } => {
                todo.push(right);
                todo.push(left);
            }
            ExprKind::Wrap(inner) => todo.push(inner),
            _ => {}
        }
    }
}

/// Whether a call's options name an HTTP method other than GET (`{ method: 'POST' }`).
fn names_other_method(c: &Call) -> bool {
    c.args.iter().any(|a| match &a.value.kind {
        ExprKind::Dict(items) => items.iter().any(|(k, v)| {
            k.as_ref().is_some_and(|k| {
                matches!(&k.kind, ExprKind::Str(s) | ExprKind::Name(s) if s.eq_ignore_ascii_case("method"))
            }) && !matches!(&v.kind, ExprKind::Str(s) if s.eq_ignore_ascii_case("get"))
        }),
        _ => a.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case("method")),
    })
}
