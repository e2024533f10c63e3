//! The type environment: which classes and structs of the project hold health records.
//!
//! A type is a health-record type when its name is a patient context or a FHIR resource the
//! lexicon lists (`Patient`, `Observation`), when it declares a field that is health data by
//! its name (`diagnosis`, `nir`) or whose type is a health-record type, or when it derives from
//! one. Settings and reference types (`fhir_version`, `fhir_base_url`) declare no such field.

use crate::classify::Classifier;
use crate::model::TypeDecl;
use rustc_hash::FxHashMap as HashMap;

/// What the project says about one health-record type.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HealthType {
    /// Why it holds health records, in words a reviewer can check ("declares health field
    /// `diagnosis`").
    pub why: String,
    /// Categories of its health fields (a whole record sent sends them all).
    pub categories: Vec<u16>,
    /// It has a direct-identifier field (`nir`, `mrn`, `patient_id`).
    pub direct_id: bool,
    /// A patient context by name (`Patient`): every attribute is health data. Other record
    /// types hold health data only in their health fields.
    pub patient: bool,
    /// Every declared field, and those that hold health data.
    pub fields: Vec<String>,
    pub health_fields: Vec<String>,
    /// Health fields known by their column, not their name: (field, column).
    pub health_columns: Vec<(String, String)>,
    /// The files (scan indices) whose declaration of this name is a health-record type.
    pub files: Vec<usize>,
    /// The category of the health fields whose names say none (a FHIR resource's `code`):
    /// the type's own, else care-record.
    pub element_category: u16,
    /// Relation fields and the entity each refers to: (field, type).
    pub relations: Vec<(String, String)>,
}

/// Health-record types by simple name.
pub type HealthTypes = HashMap<String, HealthType>;

/// Find the health-record types among `types` (every parsed file's declarations).
/// `types` are (declaring file, declaration).
pub fn health_types<'t>(
    cls: &Classifier,
    types: impl Iterator<Item = (usize, &'t TypeDecl)>,
) -> HealthTypes {
    own_health_types(cls, types, None)
}

/// [`health_types`] of one file's `types`, whose models (a serializer's `Meta.model`) may
/// name the project's health-record types (`known`); only the file's own types are returned.
pub fn own_health_types<'t>(
    cls: &Classifier,
    types: impl Iterator<Item = (usize, &'t TypeDecl)>,
    known: Option<&HealthTypes>,
) -> HealthTypes {
    let types: Vec<(usize, &TypeDecl)> = types.collect();
    let mut out = HealthTypes::default();
    // Other files' record types, for this file's types to refer to; dropped at the end.
    let mut seeded: Vec<String> = Vec::new();
    if let Some(known) = known {
        for (_, t) in &types {
            for name in t.model.as_deref().into_iter().flat_map(segments) {
                if out.contains_key(name) || types.iter().any(|(_, t)| t.name == name) {
                    continue;
                }
                if let Some(h) = known.get(name) {
                    out.insert(name.to_string(), h.clone());
                    seeded.push(name.to_string());
                }
            }
        }
    }
    for &(file, t) in &types {
        if let Some(why) = own_reason(cls, t) {
            out.entry(t.name.clone())
                .or_insert_with(|| describe(cls, t, why))
                .files
                .push(file);
        }
    }
    let declared: rustc_hash::FxHashSet<&str> =
        types.iter().map(|(_, t)| t.name.as_str()).collect();
    // Fields typed with, and bases that are, health-record types: a few rounds reach nesting.
    for _ in 0..3 {
        let mut added = false;
        for &(file, t) in &types {
            if out.contains_key(&t.name) {
                continue;
            }
            // Only a patient record nested in a field makes the holder a record (an app's
            // state or configuration that holds a client or a cache does not).
            // Also a field named as the patient whose type the project declares
            // (`patient: Optional[Demographics]`): that type is how it holds the patient.
            let via_field = t.fields.iter().find(|f| {
                f.ty.as_deref().is_some_and(|ty| {
                    segments(ty).any(|s| out.get(s).is_some_and(|h| h.patient))
                        || (cls.classify_name(&f.name).context
                            && segments(ty).any(|s| s != t.name && declared.contains(s)))
                })
            });
            let via_base = t
                .bases
                .iter()
                .find(|b| segments(b).any(|s| out.contains_key(s)));
            // A serializer of a record type (`Meta.model = Patient`) holds its records,
            // whatever its name says.
            if let Some((m, h)) = t
                .model
                .as_deref()
                .and_then(|m| Some((m, out.get(m)?.clone())))
            {
                let h = HealthType {
                    why: format!("stands for records of `{m}`, which {}", h.why),
                    files: vec![file],
                    ..h
                };
                out.insert(t.name.clone(), h);
                added = true;
                continue;
            }
            if cls.is_metadata_type_name(&t.name) {
                continue;
            }
            let why = match (via_field, via_base) {
                (Some(f), _) => Some(format!("holds a health record in field `{}`", f.name)),
                (None, Some(b)) => Some(format!("extends health-record type `{b}`")),
                _ => None,
            };
            if let Some(why) = why {
                let mut h = describe(cls, t, why);
                h.files.push(file);
                out.insert(t.name.clone(), h);
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    for name in seeded {
        out.remove(&name);
    }
    out
}

/// The URLs settings types give their fields by default: type → field → URL
/// (`dropbox_url: str = "http://..."`, `registry_url: str = os.getenv("REGISTRY_URL", "http://...")`).
pub type FieldUrls = HashMap<String, HashMap<String, String>>;

/// Default URLs of declared fields: class-level string constants, and the default of an
/// environment read (`env_readers`, positional 1 or `default=`) initialising a field.
pub fn field_urls<'t>(
    types: impl Iterator<Item = &'t TypeDecl>,
    env_readers: &[String],
) -> FieldUrls {
    let mut out = FieldUrls::default();
    for t in types {
        let mut urls: HashMap<String, String> = t
            .constants
            .iter()
            .filter(|(name, text)| !name.contains('.') && super::looks_like_url(text))
            .map(|(name, text)| (name.clone(), text.clone()))
            .collect();
        for f in &t.fields {
            let default = f
                .annotations
                .iter()
                .filter(|a| env_readers.iter().any(|r| r == &a.name))
                .flat_map(|a| &a.args)
                .find(|arg| match &arg.at {
                    crate::patterns::ArgSel::Index(i) => *i == 1,
                    crate::patterns::ArgSel::Name(n) => n == "default",
                });
            if let Some(d) = default.filter(|d| super::looks_like_url(&d.value)) {
                urls.entry(f.name.clone())
                    .or_insert_with(|| d.value.clone());
            }
        }
        if !urls.is_empty() {
            out.entry(t.name.clone()).or_default().extend(urls);
        }
    }
    out
}

/// Store types by simple name, with the health-record type they hold.
pub type StoreTypes = HashMap<String, String>;

/// The types among `types` that store records of a health-record type without being one: a
/// store by name whose base takes that type as argument (`VisitRepository extends
/// JpaRepository<Visit, Long>`, `class VisitRepo(BaseRepository[Visit])`), directly or through
/// another store.
pub fn store_types<'t>(
    cls: &Classifier,
    types: impl Iterator<Item = &'t TypeDecl>,
    is_health: impl Fn(&str) -> bool,
) -> StoreTypes {
    let types: Vec<&TypeDecl> = types.collect();
    let mut out = StoreTypes::default();
    for _ in 0..3 {
        let mut added = false;
        for t in &types {
            if out.contains_key(&t.name) || is_health(&t.name) {
                continue;
            }
            let held = t.bases.iter().find_map(|b| {
                let (head, args) = b.split_once(['<', '['])?;
                let base = segments(head).last()?;
                if !(cls.is_store_name(&t.name) || cls.is_store_name(base)) {
                    return None;
                }
                segments(args).find(|s| is_health(s)).map(str::to_string)
            });
            let held = held.or_else(|| {
                t.bases
                    .iter()
                    .find_map(|b| segments(b).find_map(|s| out.get(s).cloned()))
            });
            if let Some(h) = held {
                out.insert(t.name.clone(), h);
                added = true;
            }
        }
        if !added {
            break;
        }
    }
    out
}

/// A health-record type's facts: its health fields, their categories, a direct identifier.
fn describe(cls: &Classifier, t: &TypeDecl, why: String) -> HealthType {
    let patient = cls.classify_name(&t.name).context
        || t.table
            .as_deref()
            .is_some_and(|table| cls.classify_name(table).context);
    let mut h = HealthType {
        why,
        patient,
        element_category: cls
            .classify_name(&t.name)
            .category
            .unwrap_or_else(|| cls.care_record_category()),
        ..HealthType::default()
    };
    // A FHIR resource's clinical elements (`Condition.code`) hold its data whatever their
    // names say.
    let fhir = cls
        .fhir_elements_of(&t.name, t.fields.iter().map(|f| f.name.as_str()))
        .len()
        >= 2;
    for f in &t.fields {
        if !h.fields.contains(&f.name) {
            h.fields.push(f.name.clone());
        }
        if let Some(r) = &f.relation {
            h.relations.push((f.name.clone(), r.clone()));
        }
        let mut c = cls.classify_member(&f.name, patient);
        // A generic field name over a health column (`code` mapped to `dx_code`).
        if let Some(col) = f.column.as_deref().filter(|_| !c.health) {
            c = cls.classify_member(col, patient);
            if c.health {
                h.health_columns.push((f.name.clone(), col.to_string()));
            }
        }
        if !c.health && fhir && cls.is_fhir_content_element(&f.name) {
            c.health = true;
            c.category = Some(h.element_category);
        }
        if !c.health || crate::classify::is_constant_name(f.name.trim_start_matches('_')) {
            continue;
        }
        h.health_fields.push(f.name.clone());
        h.direct_id |= c.direct_id;
        if let Some(cat) = c.category {
            if !h.categories.contains(&cat) {
                h.categories.push(cat);
            }
        }
    }
    // The table's own category (`vitals`, `prescriptions`), or the type's (`Medication`),
    // when no field says more.
    if let Some(cat) = t
        .table
        .as_deref()
        .and_then(|table| cls.classify_name(table).category)
        .or_else(|| {
            Some(cls.classify_name(&t.name))
                .filter(|c| c.health && !c.context)?
                .category
        })
    {
        if h.categories.is_empty() {
            h.categories.push(cat);
        }
    }
    h.categories.sort_unstable();
    h
}

fn own_reason(cls: &Classifier, t: &TypeDecl) -> Option<String> {
    // A patient context by name (`Patient`, `DossierMedical`). A project class that merely
    // shares a FHIR resource's name (`threading.Condition`, coverage.py's `Coverage`) is a
    // health record only by its fields or a FHIR base class.
    if cls.classify_name(&t.name).context {
        return Some("is a patient or health-record type".to_string());
    }
    // A type named after reference data (`ClinVarRecord`, `DrugCatalogEntry`) describes codes
    // and catalogs, not a person, whatever its fields are called.
    if cls.is_reference_name(&t.name) {
        return None;
    }
    // A table of statistics (`AnalyteStats { loinc, mean, n }`) holds aggregates and group
    // keys, not a person's record.
    if cls.is_aggregate_type(&t.name) {
        return None;
    }
    // An ORM model mapped to a health table (`@Table(name = "patient_visits")`,
    // `__tablename__ = "diagnoses"`), whatever the class is called.
    if let Some(table) = t.table.as_deref() {
        if cls.names_records(table) && !cls.is_reference_name(table) {
            return Some(format!("is mapped to table `{table}`"));
        }
    }
    if let Some(b) = t.bases.iter().find(|b| {
        let l = b.to_ascii_lowercase();
        l.contains("fhir") && cls.is_context_type(b)
    }) {
        return Some(format!("extends FHIR resource `{b}`"));
    }
    // Named as a FHIR resource and shaped like one (`Observation` with `value_quantity` and
    // `effective_date_time`), unlike `threading.Condition`.
    if let [a, b, ..] = cls
        .fhir_elements_of(&t.name, t.fields.iter().map(|f| f.name.as_str()))
        .as_slice()
    {
        return Some(format!(
            "is a FHIR `{}` resource (declares `{a}`, `{b}`)",
            t.name
        ));
    }
    // Named for health data (`Medication`, `MoodEntry`) and saying so again in weaker words
    // (`dose` and `condition`; `mood` beside `user_id`): a record of that data, not a
    // catalogue entry (`Medication(name, dose, form)` of a formulary has one such word).
    let named = cls.classify_name(&t.name);
    if named.health && !named.context && !cls.is_metadata_name(&t.name) {
        let weak: Vec<&str> = t
            .fields
            .iter()
            .filter(|f| cls.classify_weak_beside_patient(&f.name).is_some())
            .map(|f| f.name.as_str())
            .collect();
        let of_person = t.fields.iter().any(|f| cls.names_person_ref(&f.name));
        match weak.as_slice() {
            [a, b, ..] => {
                return Some(format!(
                    "is named for health data and declares `{a}` and `{b}`"
                ))
            }
            [a] if of_person => {
                return Some(format!(
                    "is named for health data and declares `{a}` for a person"
                ))
            }
            _ => {}
        }
    }
    // (the name that says health — the field's, or its column's —, how the field is shown)
    let mut health: Vec<(&str, String)> = t
        .fields
        .iter()
        .filter(|f| !crate::classify::is_constant_name(f.name.trim_start_matches('_')))
        .filter_map(|f| {
            let by = |n: &str| {
                let c = cls.classify_name(n);
                c.health && !c.context
            };
            if by(&f.name) {
                return Some((f.name.as_str(), format!("`{}`", f.name)));
            }
            let col = f.column.as_deref().filter(|c| by(c))?;
            Some((col, format!("`{}` (column `{col}`)", f.name)))
        })
        .collect();
    health.dedup();
    // One abbreviation repeated (`bmi_pre_order`, `bmi_post_order` in a tree walker) is a
    // coincidence of names; a record declares a direct identifier, several distinct health
    // words, or one full health word among few fields.
    let mut stems: Vec<String> = Vec::new();
    let mut direct = false;
    for (f, _) in &health {
        direct |= cls.classify_name(f).direct_id;
        let stem = crate::classify::words(f)
            .into_iter()
            .find(|w| cls.classify_name(w).health)
            .unwrap_or_else(|| f.to_string());
        if !stems.contains(&stem) {
            stems.push(stem);
        }
    }
    let plausible = direct
        || stems.len() >= 2
        || (stems.len() == 1 && t.fields.len() <= 12 && stems[0].chars().count() > 3);
    if !plausible {
        return None;
    }
    match health.as_slice() {
        [] => None,
        [(_, one)] => Some(format!("declares health field {one}")),
        [(_, a), (_, b), ..] => Some(format!(
            "declares health fields {a}, {b}{}",
            if health.len() > 2 { ", …" } else { "" }
        )),
    }
}

/// The identifier segments of a type as written (`Optional[Visit]` → `Optional`, `Visit`).
/// The dotted names in a type's text (`Optional[threading.Condition]` → `Optional`,
/// `threading.Condition`).
/// `ty` without the type arguments of generics that `keep` says do not hold their argument
/// (`FieldErrors<Form>`, `Category<Condition>`: errors and categories *about* a record type).
pub fn without_generics_of(ty: &str, keep: impl Fn(&str) -> bool) -> std::borrow::Cow<'_, str> {
    if !ty.contains('<') {
        return std::borrow::Cow::Borrowed(ty);
    }
    let mut out = String::with_capacity(ty.len());
    let mut skip = 0usize;
    let mut ident_start = None;
    for (i, c) in ty.char_indices() {
        if skip > 0 {
            match c {
                '<' => skip += 1,
                '>' => skip -= 1,
                _ => {}
            }
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            ident_start.get_or_insert(i);
        } else {
            let ident = ident_start.take().map(|s| &ty[s..i]).unwrap_or("");
            if c == '<' && !ident.is_empty() && !keep(ident) {
                skip = 1;
                continue;
            }
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

pub fn dotted_names(ty: &str) -> impl Iterator<Item = &str> {
    names_outside_literals(ty, |c| c.is_alphanumeric() || c == '_' || c == '.')
}

pub fn segments(ty: &str) -> impl Iterator<Item = &str> {
    names_outside_literals(ty, |c| c.is_alphanumeric() || c == '_')
}

/// The runs of `part` characters of a type's text, outside string literal types
/// (`"Patient" | "Staff"`, `Literal['Patient']` name no type). A `'` that is a Rust lifetime
/// (`Cow<'a, Patient>`) is not a quote.
fn names_outside_literals(ty: &str, part: fn(char) -> bool) -> impl Iterator<Item = &str> {
    let mut quote: Option<char> = None;
    let mut start: Option<usize> = None;
    let mut chars = ty.char_indices();
    let mut done = false;
    std::iter::from_fn(move || loop {
        let (i, c) = match chars.next() {
            Some(x) => x,
            None if done => return None,
            None => {
                done = true;
                return start.take().map(|s| &ty[s..]);
            }
        };
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        if part(c) {
            start.get_or_insert(i);
            continue;
        }
        let run = start.take().map(|s| &ty[s..i]);
        if c == '"' || c == '`' || (c == '\'' && is_quoted_literal(&ty[i + 1..])) {
            quote = Some(c);
        }
        if run.is_some() {
            return run;
        }
    })
}

/// Whether the text after a `'` closes it as a literal's text (`Patient' | …`), not as a
/// lifetime's name followed by more type (`a, Patient>`).
fn is_quoted_literal(rest: &str) -> bool {
    rest.find('\'').is_some_and(|end| {
        rest[..end]
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
    })
}

/// A module's top-level string constants (`BASE_URL = "https://…"`, `const Q: &str = "…"`):
/// other files import them by name.
pub fn string_constants(m: &crate::model::Module) -> Vec<(String, String)> {
    use crate::model::{ExprKind, Stmt, Target};
    let Some(top) = m.functions.iter().find(|f| f.is_module) else {
        return Vec::new();
    };
    top.body
        .iter()
        .filter_map(|s| match s {
            Stmt::Assign {
                targets,
                value,
                augmented: false,
                ..
            } => match (targets.as_slice(), &value.kind) {
                ([Target::Name(n, _)], ExprKind::Str(t)) if t.len() <= 20_000 => {
                    Some((n.clone(), t.clone()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Fields that a class's constructors set to a new object of a named class
/// (`self.store = RecordingStore(settings)` in `__init__`): (class, field, the class's absolute
/// path). Other files read them through instances (`svc.store.save(...)`).
pub fn constructed_fields(
    m: &crate::model::Module,
    flow: &crate::patterns::FlowSpec,
    lang: crate::lang::Lang,
    primary: &str,
    is_package: bool,
) -> Vec<(String, String, String)> {
    use crate::model::{ExprKind, Stmt, Target};
    let imports: std::collections::HashMap<&str, &str> = m
        .imports
        .iter()
        .map(|i| (i.alias.as_str(), i.path.as_str()))
        .collect();
    let mut out = Vec::new();
    for f in &m.functions {
        let Some(owner) = &f.owner else { continue };
        if !flow.constructors.contains(&f.name) {
            continue;
        }
        for s in &f.body {
            let Stmt::Assign {
                targets,
                value,
                augmented: false,
                ..
            } = s
            else {
                continue;
            };
            let ([Target::Attr { obj, attr, .. }], ExprKind::Call(c)) =
                (targets.as_slice(), &value.kind)
            else {
                continue;
            };
            let ExprKind::Name(recv) = &obj.kind else {
                continue;
            };
            if !flow.instance_receivers.contains(recv) {
                continue;
            }
            let Some(callee) = c.callee.dotted() else {
                continue;
            };
            let last = callee.rsplit('.').next().unwrap_or(&callee);
            if !last.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let first = callee.split('.').next().unwrap_or(&callee);
            let path = if let Some(p) = imports.get(first) {
                let p = format!("{p}{}", &callee[first.len()..]);
                lang.absolute_import(&p, primary, is_package)
            } else if m.types.iter().any(|t| t.name == callee) && !primary.is_empty() {
                format!("{primary}.{callee}")
            } else {
                continue;
            };
            out.push((owner.clone(), attr.clone(), path));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_skip_string_literal_types() {
        fn v(t: &str) -> Vec<&str> {
            segments(t).collect()
        }
        assert_eq!(v("Option<Vec<Patient>>"), ["Option", "Vec", "Patient"]);
        assert_eq!(v(r#""Patient" | "Family Member""#), Vec::<&str>::new());
        assert_eq!(v("Literal['Patient', 'Staff'] | None"), ["Literal", "None"]);
        assert_eq!(v("Cow<'a, Patient>"), ["Cow", "a", "Patient"]);
        assert_eq!(
            v("fn(&'a Patient, &'b Visit)"),
            ["fn", "a", "Patient", "b", "Visit"]
        );
        assert_eq!(v("{ kind: `Patient` } & Visit"), ["kind", "Visit"]);
        assert_eq!(
            dotted_names("fhir.Patient | 'x'").collect::<Vec<_>>(),
            ["fhir.Patient"]
        );
    }
}
