//! What a language's patterns say about a lowered module's declarations: the tables and
//! columns its types are mapped to (`[storage]`), the routes its handlers serve and the
//! requests of its declarative client interfaces (`[routes]`). Adapters keep annotations and
//! their literal arguments in the model; this step reads them, for every language alike.

use crate::lang::{Lang, LowerError};
use crate::model::{
    Arg, ArgKind, Call, Expr, ExprKind, Function, Module, ParamKind, Stmt, TypeDecl,
};
use crate::patterns::{Catalog, FileRoute, LangFile, RouteSpec, StorageSpec};

/// Lowers `src`, the file at `rel` (`/` separators), as `lang` and completes the model with
/// the catalog's patterns.
pub fn lower(catalog: &Catalog, lang: Lang, src: &str, rel: &str) -> Result<Module, LowerError> {
    let mut m = lang.lower(src)?;
    complete(&catalog.lang(lang).file, &mut m, rel);
    Ok(m)
}

/// [`lower`] with the embedded catalog, built once (adapter tests).
#[cfg(test)]
pub(crate) fn lower_embedded(lang: Lang, src: &str) -> Result<Module, LowerError> {
    lower_embedded_at(lang, src, "")
}

/// [`lower_embedded`] for the file at `rel`.
#[cfg(test)]
pub(crate) fn lower_embedded_at(lang: Lang, src: &str, rel: &str) -> Result<Module, LowerError> {
    static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    let catalog = CATALOG.get_or_init(|| Catalog::embedded().expect("embedded patterns load"));
    lower(catalog, lang, src, rel)
}

/// Completes a lowered module, the file at `rel`, with what `file` says about its
/// declarations and its place.
pub fn complete(file: &LangFile, m: &mut Module, rel: &str) {
    map_storage(&file.storage, &mut m.types);
    type_params(&file.storage, m);
    map_routes(&file.routes, m);
    map_file_routes(&file.routes.files, m, rel);
}

/// The route a file serves by its path, and its top-level handlers of it.
fn map_file_routes(specs: &[FileRoute], m: &mut Module, rel: &str) {
    let Some((route, spec)) = specs.iter().find_map(|s| Some((file_route(s, rel)?, s))) else {
        return;
    };
    for f in m.functions.iter_mut() {
        if f.owner.is_none()
            && !f.is_module
            && f.route.is_none()
            && spec.functions.contains(&f.name)
        {
            f.route = Some(route.clone());
        }
    }
}

/// `src/app/api/patients/[id]/route.ts` under `app` with stem `route` → `/api/patients/[id]`.
/// Directories the spec omits (Next.js route groups, `(admin)`) are not part of the path.
fn file_route(spec: &FileRoute, rel: &str) -> Option<String> {
    let segs: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
    let (file, dirs) = segs.split_last()?;
    let stem = file.split('.').next().unwrap_or(file);
    let want: Vec<&str> = spec.dir.split('/').filter(|s| !s.is_empty()).collect();
    if want.is_empty() || dirs.len() < want.len() {
        return None;
    }
    let at = (0..=dirs.len() - want.len())
        .rev()
        .find(|&i| dirs[i..i + want.len()] == want[..])?;
    let mut path: Vec<&str> = dirs[at + want.len()..]
        .iter()
        .copied()
        .filter(|s| !spec.omit.iter().any(|g| crate::patterns::glob_match(g, s)))
        .collect();
    if spec.stems.is_empty() {
        if stem != "index" {
            path.push(stem);
        }
    } else if !spec.stems.iter().any(|s| s == stem) {
        return None;
    }
    Some(format!(
        "{}/{}",
        spec.prefix.trim_end_matches('/'),
        path.join("/")
    ))
}

/// Sets each type's `table` and each field's `column` (when it differs from the field's name).
fn map_storage(spec: &StorageSpec, types: &mut [TypeDecl]) {
    for t in types {
        t.table = spec
            .tables
            .iter()
            .find_map(|n| n.find(&t.annotations, &t.constants));
        t.model = spec
            .models
            .iter()
            .find_map(|n| n.find(&t.annotations, &t.constants));
        for f in &mut t.fields {
            f.column = spec
                .columns
                .iter()
                .find_map(|n| n.find(&f.annotations, &[]))
                .filter(|c| *c != f.name);
            // `"Clinic"`, `Clinic`, `"app.Clinic"`: the entity's simple name.
            f.relation = spec
                .relations
                .iter()
                .find_map(|n| n.find(&f.annotations, &[]))
                .map(|r| {
                    let r = r.trim_matches(|c| c == '"' || c == '\'');
                    r.rsplit('.').next().unwrap_or(r).to_string()
                })
                .filter(|r| r.chars().next().is_some_and(char::is_alphabetic));
        }
    }
}

/// Parameters of methods typed by their class's constants (`[storage] typed_params`).
fn type_params(spec: &StorageSpec, m: &mut Module) {
    if spec.typed_params.is_empty() {
        return;
    }
    for_each_method(m, |f, owner| {
        let Some(t) = owner else {
            return;
        };
        for p in f.params.iter_mut().filter(|p| p.ty.is_none()) {
            p.ty = spec
                .typed_params
                .iter()
                .filter(|tp| tp.param == p.name)
                .find_map(|tp| t.constants.iter().find(|(k, _)| *k == tp.constant))
                .map(|(_, v)| v.clone());
        }
    });
}

/// Each method of `m`, with its class's declaration when the module holds it.
fn for_each_method(m: &mut Module, mut visit: impl FnMut(&mut Function, Option<&TypeDecl>)) {
    let Module {
        functions, types, ..
    } = m;
    for f in functions.iter_mut() {
        let Some(owner) = f.owner.as_deref() else {
            continue;
        };
        let owner = types.iter().find(|t| t.name == owner);
        visit(f, owner);
    }
}

/// Routes of annotated handlers, and the requests of client interfaces' bodiless methods.
fn map_routes(spec: &RouteSpec, m: &mut Module) {
    if spec.handlers.is_empty() && spec.clients.is_empty() {
        return;
    }
    for_each_method(m, |f, owner| {
        let route = f
            .route
            .is_none()
            .then(|| own_route(spec, f, owner))
            .flatten();
        let client = owner.and_then(|t| {
            t.annotations.iter().find_map(|a| {
                let e = spec.clients.iter().find(|e| e.names(a))?;
                Some((a.name.clone(), e.value_of(a)))
            })
        });
        match client {
            // The mapping is the remote service's, not a route this code serves.
            Some((name, base)) if f.body.is_empty() => {
                let url = format!(
                    "{}{}",
                    base.unwrap_or_default().trim_end_matches('/'),
                    route.unwrap_or_default()
                );
                f.body = request(f, &name, url);
            }
            _ => {
                if route.is_some() {
                    f.route = route;
                }
            }
        }
    });
}

/// The route a handler's annotations declare, under its class's prefix.
fn own_route(spec: &RouteSpec, f: &Function, owner: Option<&TypeDecl>) -> Option<String> {
    let hits: Vec<Option<String>> = f
        .annotations
        .iter()
        .filter_map(|a| {
            let e = spec.handlers.iter().find(|e| e.names(a))?;
            Some(e.value_of(a))
        })
        .collect();
    if hits.is_empty() {
        return None;
    }
    // `@GET @Path("/{id}")`: the annotation with a path wins over the bare verb.
    let own = hits.into_iter().flatten().next().unwrap_or_default();
    let prefix = owner
        .and_then(|t| {
            t.annotations.iter().find_map(|a| {
                let e = spec.prefixes.iter().find(|e| e.names(a))?;
                Some(e.value_of(a).unwrap_or_default())
            })
        })
        .unwrap_or_default();
    let (prefix, own) = (prefix.trim_matches('/'), own.trim_matches('/'));
    let mut r = format!("/{prefix}");
    if !own.is_empty() {
        if !prefix.is_empty() {
            r.push('/');
        }
        r.push_str(own);
    }
    Some(r)
}

/// `return Client(param…, url = "…")`: a client method's request, at the method's name.
fn request(f: &Function, client: &str, url: String) -> Vec<Stmt> {
    let span = f.name_span.unwrap_or(f.span);
    let mut args: Vec<Arg> = f
        .params
        .iter()
        .filter(|p| p.kind != ParamKind::SelfParam)
        .map(|p| Arg {
            name: None,
            value: Expr::new(ExprKind::Name(p.name.clone()), p.span),
            kind: ArgKind::Positional,
        })
        .collect();
    args.push(Arg {
        name: Some("url".to_string()),
        value: Expr::new(ExprKind::Str(url), span),
        kind: ArgKind::Keyword,
    });
    let call = Call {
        callee: Expr::new(ExprKind::Name(client.to_string()), span),
        args,
        type_args: Vec::new(),
    };
    vec![Stmt::Return(
        Some(Expr::new(ExprKind::Call(Box::new(call)), span)),
        span,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(dir: &str, prefix: &str, stems: &[&str]) -> FileRoute {
        FileRoute {
            dir: dir.into(),
            prefix: prefix.into(),
            stems: stems.iter().map(|s| s.to_string()).collect(),
            omit: vec!["(*)".into()],
            functions: vec!["GET".into()],
        }
    }

    #[test]
    fn routes_by_file_path() {
        let app = spec("app", "", &["route"]);
        let route = |s: &FileRoute, rel: &str| file_route(s, rel);
        assert_eq!(
            route(&app, "web/src/app/api/patients/[id]/route.ts").as_deref(),
            Some("/api/patients/[id]")
        );
        // The last `app` counts; route groups are not in the path.
        assert_eq!(
            route(&app, "app/web/app/(clinic)/api/notes/route.js").as_deref(),
            Some("/api/notes")
        );
        assert_eq!(route(&app, "app/route.ts").as_deref(), Some("/"));
        assert_eq!(route(&app, "app/api/notes/page.tsx"), None);
        assert_eq!(route(&app, "lib/api/notes/route.ts"), None);
        assert_eq!(route(&app, "route.ts"), None);
        let pages = spec("pages/api", "/api", &[]);
        assert_eq!(
            route(&pages, "pages/api/patients/[id].ts").as_deref(),
            Some("/api/patients/[id]")
        );
        assert_eq!(
            route(&pages, "pages/api/notes/index.ts").as_deref(),
            Some("/api/notes")
        );
        assert_eq!(route(&pages, "pages/notes.tsx"), None);
    }
}
