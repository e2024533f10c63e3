//! The type environment: which classes and structs of the project hold health records.
//!
//! A type is a health-record type when its name is a patient context or a FHIR resource the
//! lexicon lists (`Patient`, `Observation`), when it declares a field that is health data by
//! its name (`diagnosis`, `nir`) or whose type is a health-record type, or when it derives from
//! one. Settings and reference types (`fhir_version`, `fhir_base_url`) declare no such field.

use crate::classify::Classifier;
use crate::model::TypeDecl;
use std::collections::HashMap;

/// Health-record types by simple name, with the reason a reviewer can check.
pub type HealthTypes = HashMap<String, String>;

/// Find the health-record types among `types` (every parsed file's declarations).
pub fn health_types<'t>(
    cls: &Classifier,
    types: impl Iterator<Item = &'t TypeDecl>,
) -> HealthTypes {
    let types: Vec<&TypeDecl> = types.collect();
    let mut out = HealthTypes::new();
    for t in &types {
        if let Some(why) = own_reason(cls, t) {
            out.entry(t.name.clone()).or_insert(why);
        }
    }
    // Fields typed with, and bases that are, health-record types: a few rounds reach nesting.
    for _ in 0..3 {
        let mut added = false;
        for t in &types {
            if out.contains_key(&t.name) {
                continue;
            }
            let via_field = t.fields.iter().find(|f| {
                f.ty.as_deref()
                    .is_some_and(|ty| segments(ty).any(|s| out.contains_key(s)))
            });
            let via_base = t
                .bases
                .iter()
                .find(|b| segments(b).any(|s| out.contains_key(s)));
            let why = match (via_field, via_base) {
                (Some(f), _) => Some(format!(
                    "`{}` holds a health record in field `{}`",
                    t.name, f.name
                )),
                (None, Some(b)) => Some(format!("`{}` extends health-record type `{b}`", t.name)),
                _ => None,
            };
            if let Some(w) = why {
                out.insert(t.name.clone(), w);
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    out
}

fn own_reason(cls: &Classifier, t: &TypeDecl) -> Option<String> {
    if cls.is_context_type(&t.name) {
        return Some(format!("`{}` is a patient or health-record type", t.name));
    }
    let mut health: Vec<&str> = t
        .fields
        .iter()
        .filter(|f| {
            let c = cls.classify_name(&f.name);
            c.health && !c.context
        })
        .map(|f| f.name.as_str())
        .collect();
    health.dedup();
    match health.as_slice() {
        [] => None,
        [one] => Some(format!("`{}` declares health field `{one}`", t.name)),
        [a, b, ..] => Some(format!(
            "`{}` declares health fields `{a}`, `{b}`{}",
            t.name,
            if health.len() > 2 { ", …" } else { "" }
        )),
    }
}

/// The identifier segments of a type as written (`Optional[Visit]` → `Optional`, `Visit`).
pub fn segments(ty: &str) -> impl Iterator<Item = &str> {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|s| !s.is_empty())
}
