//! What is health data: identifier names (split into words, matched against the lexicon in
//! `patterns/lexicon.toml`), patient-context names and types, SQL queries over health tables,
//! and validated health identifiers ([`ids`]).

pub mod ids;

use crate::patterns::LexiconFile;

/// What a name says about the value it names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NameClass {
    /// The value is health data.
    pub health: bool,
    /// The value is a whole patient / health record: its attributes are health data too.
    pub context: bool,
    /// A direct health identifier (NIR, INS, MRN, NHS number, ...).
    pub direct_id: bool,
    /// Index into [`Classifier::categories`].
    pub category: Option<u16>,
}

impl NameClass {
    pub const NONE: NameClass = NameClass {
        health: false,
        context: false,
        direct_id: false,
        category: None,
    };
}

#[derive(Debug)]
struct Phrase {
    words: Vec<String>,
    /// What matching it means.
    tag: Tag,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Strong(u16),
    Weak(u16),
    Context,
    Direct,
    Negative,
    Count,
    SqlTable,
    Reference,
    NotOfPerson,
}

/// The compiled lexicon.
#[derive(Debug)]
pub struct Classifier {
    /// Distinguishes classifiers (lexicons) in the per-thread cache of name classes.
    id: u64,
    pub categories: Vec<String>,
    /// First word → phrases starting with it.
    index: rustc_hash::FxHashMap<String, Vec<Phrase>>,
    context_types: Vec<String>,
    person_types: Vec<String>,
    person_id_fields: Vec<String>,
    record_routes: Vec<String>,
    person_ref_words: Vec<String>,
    own_record_words: Vec<String>,
    patient_attributes: Vec<String>,
    patient_identifiers: Vec<String>,
    many_patients_words: Vec<String>,
    record_id_words: Vec<String>,
    person_role_words: Vec<String>,
    record_names_like_ids: Vec<String>,
    name_qualifiers: Vec<String>,
    reference_suffixes: Vec<String>,
    sql_catalog_tables: Vec<String>,
    sql_reference_heads: Vec<String>,
    store_words: Vec<String>,
    resource_type_keys: Vec<String>,
    resource_request_keys: Vec<String>,
    resource_bare_keys: Vec<String>,
    fhir_elements: Vec<String>,
    fhir_content_elements: Vec<String>,
    identifier_category: u16,
    returning_prefixes: Vec<String>,
    message_starts: Vec<String>,
    message_contains: Vec<String>,
    record_phrases: Vec<String>,
    metadata_words: Vec<String>,
    metadata_fields: Vec<String>,
    self_naming_words: Vec<String>,
    quantity_words: Vec<String>,
    aggregate_words: Vec<String>,
    aggregate_type_words: Vec<String>,
    location_fields: Vec<String>,
    position_fields: Vec<String>,
    dimension_params: Vec<String>,
    namespace_fields: Vec<String>,
    about_type_words: Vec<String>,
    non_health_modules: Vec<String>,
}

/// The category of the first weak word among `tags` that `keep` accepts.
fn weak_category(tags: &[Tag], keep: impl Fn(u16) -> bool) -> Option<u16> {
    tags.iter().find_map(|t| match t {
        Tag::Weak(c) if keep(*c) => Some(*c),
        _ => None,
    })
}

/// `name`, read as words, is one of the phrases of `list` (`output_dir` → "output dir").
fn is_whole_name_in(list: &[String], name: &str) -> bool {
    list.contains(&words(name).join(" "))
}

/// Lower-case words of an identifier: `bloodPressure` → `blood pressure`,
/// `HTTPServer` → `http server`, `groupe_sanguin` → `groupe sanguin`. Accents are removed.
/// Digits stay attached (`icd10`, `hba1c`); see [`split_digits`].
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().map(fold_accent).collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `TARGET_DISEASE`, `FHIR_SERVER`: a constant's name, which says what it is about, not whose.
pub fn is_constant_name(n: &str) -> bool {
    n.len() > 1
        && n.chars().any(|c| c.is_ascii_uppercase())
        && n.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// `icd10` → `icd 10`: the same words with letter/digit boundaries split too.
pub fn split_digits(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for w in words {
        let mut cur = String::new();
        let mut digit = None;
        for c in w.chars() {
            let d = c.is_ascii_digit();
            if digit.is_some_and(|p| p != d) {
                out.push(std::mem::take(&mut cur));
            }
            digit = Some(d);
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// `é` → `e`, `ß` → `s`: the folding applied to names before matching.
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
        'À' | 'Â' | 'Ä' | 'Á' => 'A',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'î' | 'ï' | 'í' => 'i',
        'Î' | 'Ï' | 'Í' => 'I',
        'ô' | 'ö' | 'ó' | 'õ' => 'o',
        'Ô' | 'Ö' | 'Ó' => 'O',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'Ù' | 'Û' | 'Ü' | 'Ú' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ß' => 's',
        other => other,
    }
}

fn word_matches(token: &str, word: &str, last: bool) -> bool {
    if token == word {
        return true;
    }
    last && token.len() > word.len()
        && token.starts_with(word)
        && matches!(&token[word.len()..], "s" | "es")
}

impl Classifier {
    pub fn new(lex: &LexiconFile) -> Classifier {
        let mut index: rustc_hash::FxHashMap<String, Vec<Phrase>> =
            rustc_hash::FxHashMap::default();
        let mut add = |phrase: &str, tag: Tag| {
            let ws = split_digits(&words(phrase));
            let ws = if ws.len() > 1 && phrase.split_whitespace().count() == 1 {
                // A single lexicon word with digits (`icd10`) is matched unsplit.
                words(phrase)
            } else {
                ws
            };
            if let Some(first) = ws.first().cloned() {
                index
                    .entry(first)
                    .or_default()
                    .push(Phrase { words: ws, tag });
            }
        };
        let mut categories = Vec::new();
        for (i, c) in lex.category.iter().enumerate() {
            categories.push(c.name.clone());
            for s in &c.strong {
                add(s, Tag::Strong(i as u16));
            }
            for w in &c.weak {
                add(w, Tag::Weak(i as u16));
            }
        }
        let identifier_category = categories.len() as u16;
        categories.push("identifier".to_string());
        for n in &lex.context.names {
            add(n, Tag::Context);
        }
        for p in &lex.direct_identifiers.phrases {
            add(p, Tag::Direct);
        }
        for p in &lex.negative.phrases {
            add(p, Tag::Negative);
        }
        for p in &lex.negative.count_words {
            add(p, Tag::Count);
        }
        for p in &lex.negative.not_of_person {
            add(p, Tag::NotOfPerson);
        }
        for p in &lex.negative.reference_words {
            add(p, Tag::Reference);
        }
        for t in &lex.sql.tables {
            add(t, Tag::SqlTable);
        }
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Classifier {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            categories,
            index,
            context_types: lex.context.types.clone(),
            person_types: lex.context.person_types.clone(),
            person_id_fields: lex.context.person_id_fields.clone(),
            record_routes: lex.context.record_routes.clone(),
            person_ref_words: lex.context.person_ref_words.clone(),
            own_record_words: lex.context.own_record_words.clone(),
            patient_attributes: lex.context.patient_attributes.clone(),
            patient_identifiers: lex.context.patient_identifiers.clone(),
            many_patients_words: lex.context.many_patients_words.clone(),
            record_id_words: lex.negative.record_id_words.clone(),
            person_role_words: lex.negative.person_role_words.clone(),
            record_names_like_ids: lex.negative.record_names_like_ids.clone(),
            name_qualifiers: lex.negative.name_qualifiers.clone(),
            reference_suffixes: lex.negative.reference_suffixes.clone(),
            sql_catalog_tables: lex.sql.catalog_tables.clone(),
            sql_reference_heads: lex.sql.reference_table_heads.clone(),
            store_words: lex.context.store_words.clone(),
            resource_type_keys: lex.context.resource_type_keys.clone(),
            resource_request_keys: lex.context.resource_request_keys.clone(),
            resource_bare_keys: lex.context.resource_bare_keys.clone(),
            fhir_elements: lex.context.fhir_elements.clone(),
            fhir_content_elements: lex.context.fhir_content_elements.clone(),
            identifier_category,
            returning_prefixes: lex.returning_calls.prefixes.clone(),
            message_starts: lex.messages.starts_with.clone(),
            message_contains: lex.messages.contains.clone(),
            record_phrases: lex
                .messages
                .record_phrases
                .iter()
                .map(|p| p.to_lowercase())
                .collect(),
            metadata_words: lex.negative.metadata_words.clone(),
            metadata_fields: lex.negative.metadata_fields.clone(),
            self_naming_words: lex.negative.self_naming_words.clone(),
            quantity_words: lex.negative.quantity_words.clone(),
            aggregate_words: lex.negative.aggregate_words.clone(),
            aggregate_type_words: lex.negative.aggregate_type_words.clone(),
            location_fields: lex.negative.location_fields.clone(),
            position_fields: lex.negative.position_fields.clone(),
            dimension_params: lex.negative.dimension_params.clone(),
            namespace_fields: lex.negative.namespace_fields.clone(),
            about_type_words: lex.negative.about_type_words.clone(),
            non_health_modules: lex.context.non_health_modules.clone(),
        }
    }

    fn tags(&self, ws: &[String], out: &mut Vec<Tag>) {
        let mut spans = Vec::new();
        self.tag_spans(ws, &mut spans);
        // A negative phrase cancels the words it covers (`test result` in `genetic_test_result`
        // leaves `genetic`).
        let neg: Vec<(usize, usize)> = spans
            .iter()
            .filter(|(t, _, _)| *t == Tag::Negative)
            .map(|(_, s, n)| (*s, *n))
            .collect();
        let health: Vec<(usize, usize)> = spans
            .iter()
            .filter(|(t, _, _)| {
                matches!(
                    t,
                    Tag::Strong(_) | Tag::Weak(_) | Tag::Context | Tag::Direct
                )
            })
            .map(|(_, s, n)| (*s, *n))
            .collect();
        for (t, s, n) in spans {
            let covered =
                t != Tag::Negative && neg.iter().any(|(ns, nn)| s < ns + nn && *ns < s + n);
            // `blood type`, `total cholesterol`: a health phrase that spans the reference or
            // count word keeps its meaning.
            let inside_health = matches!(t, Tag::Reference | Tag::Count)
                && health
                    .iter()
                    .any(|(hs, hn)| *hn > n && *hs <= s && s + n <= hs + hn);
            if !covered && !inside_health {
                out.push(t);
            }
        }
    }

    fn tag_spans(&self, ws: &[String], out: &mut Vec<(Tag, usize, usize)>) {
        for start in 0..ws.len() {
            if let Some(phrases) = self.index.get(&ws[start]).or_else(|| {
                // plural of a one-word entry: `allergies` → `allergy` is listed; `diagnoses` too.
                ws[start].strip_suffix('s').and_then(|w| self.index.get(w))
            }) {
                for p in phrases {
                    let n = p.words.len();
                    if start + n <= ws.len()
                        && p.words
                            .iter()
                            .enumerate()
                            .all(|(k, w)| word_matches(&ws[start + k], w, k + 1 == n))
                    {
                        out.push((p.tag, start, n));
                    }
                }
            }
        }
    }

    /// A name whose last words are reference words after its identifier words: the name of
    /// the identifier's system, type or URL (`nhs_number_system`, `mrn_type`), not its value.
    fn ends_in_reference(&self, ws: &[String]) -> bool {
        let mut spans = Vec::new();
        self.tag_spans(ws, &mut spans);
        let direct_end = spans
            .iter()
            .filter(|(t, _, _)| *t == Tag::Direct)
            .map(|(_, s, n)| s + n)
            .max();
        direct_end.is_some_and(|end| {
            spans
                .iter()
                .any(|(t, s, n)| *t == Tag::Reference && *s >= end && s + n == ws.len())
        })
    }

    /// Classify an identifier (variable, parameter, attribute, field, dict key).
    pub fn classify_name(&self, name: &str) -> NameClass {
        let c = self.classify_words(name);
        // `'patient-chart-slot'`, `'medical-condition'`: a hyphenated key names a slot, route
        // or setting, not a field of a record; a header such as `x-patient-id` still counts.
        if c.health && !c.direct_id && name.contains('-') {
            return NameClass::NONE;
        }
        c
    }

    /// Whether `attr` read from an object named `obj` is an id or other metadata of a record
    /// other than the person's, by the two names together (`encounter.id`, `docRef.id`: the
    /// negative phrases `encounter id`, `doc ref id`).
    pub fn is_metadata_of_named_record(&self, obj: &str, attr: &str) -> bool {
        let aw = words(attr);
        if aw.is_empty()
            || !aw
                .iter()
                .all(|w| self.metadata_words.iter().any(|m| m == w))
        {
            return false;
        }
        if self.phrase_across(obj, attr, Tag::Negative) {
            return true;
        }
        // `relatedPersonFoundByNumber.id`, `locationRef.id`: the record the
        // name is headed by (before `by`, `from`, …, or a trailing `reference`).
        let head = self.name_head(obj);
        head.len() < words(obj).len() && self.phrase_across(&head.join(" "), "id", Tag::Negative)
    }

    /// The words of a name up to a qualifier (`relatedPersonFoundByNumber` → `related person`,
    /// `locationRef` → `location`): the thing it names.
    fn name_head(&self, name: &str) -> Vec<String> {
        let mut ws = words(name);
        let head = self.unqualified(&ws).len();
        ws.truncate(head);
        if ws.len() > 1
            && ws
                .last()
                .is_some_and(|w| self.reference_suffixes.contains(w))
        {
            ws.pop();
        }
        ws
    }

    /// The words before a qualifier (`resources by report ref` → `resources`).
    fn unqualified<'w>(&self, ws: &'w [String]) -> &'w [String] {
        match ws.iter().position(|w| self.name_qualifiers.contains(w)) {
            Some(i) if i > 0 => &ws[..i],
            _ => ws,
        }
    }

    /// An object named as configuration or reference data by its head noun (`testConfig`,
    /// `vitalsRuleSettings`, `labCatalog`), not as a record: its fields hold no one's data.
    pub fn is_reference_object_name(&self, obj: &str) -> bool {
        let head = self.name_head(obj);
        head.last().is_some_and(|w| self.is_reference_name(w)) && !self.names_records(obj)
    }

    /// Whether `attr` read from an object named `obj` is the patient's identifier by the two
    /// names together (`patient.id`, `fhirPatient.mrn`: `patient id`).
    pub fn is_direct_id_of_named_record(&self, obj: &str, attr: &str) -> bool {
        self.phrase_across(obj, attr, Tag::Direct) && !self.phrase_across(obj, attr, Tag::Negative)
    }

    /// Whether a lexicon phrase tagged `tag` spans the end of `obj` and the start of `attr`
    /// read as one name (`encounter` + `id` → `encounter id`).
    fn phrase_across(&self, obj: &str, attr: &str, tag: Tag) -> bool {
        let mut ws = words(obj);
        let first_attr = ws.len();
        ws.extend(words(attr));
        if first_attr == ws.len() {
            return false;
        }
        let mut spans = Vec::new();
        self.tag_spans(&ws, &mut spans);
        spans
            .iter()
            .any(|(t, s, n)| *t == tag && *s < first_attr && s + n > first_attr)
    }

    fn classify_words(&self, name: &str) -> NameClass {
        thread_local! {
            static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<(u64, String), NameClass>> =
                Default::default();
        }
        let key = (self.id, name.to_string());
        if let Some(c) = SEEN.with(|m| m.borrow().get(&key).copied()) {
            return c;
        }
        let c = self.classify_words_uncached(name);
        SEEN.with(|m| {
            let mut m = m.borrow_mut();
            // Bounded: names of one scan repeat; a huge vocabulary starts over.
            if m.len() >= 1 << 16 {
                m.clear();
            }
            m.insert(key, c);
        });
        c
    }

    fn classify_words_uncached(&self, name: &str) -> NameClass {
        let ws = words(name);
        if ws.is_empty() || ws.len() > 12 {
            return NameClass::NONE;
        }
        let mut tags = Vec::new();
        self.tags(&ws, &mut tags);
        let split = split_digits(&ws);
        if split.len() != ws.len() {
            self.tags(&split, &mut tags);
        }
        tags.retain(|t| *t != Tag::Negative);
        if tags.is_empty() {
            return NameClass::NONE;
        }
        if tags.contains(&Tag::Direct) && !self.ends_in_reference(&ws) {
            return NameClass {
                health: true,
                context: false,
                direct_id: true,
                category: Some(self.identifier_category),
            };
        }
        if tags.contains(&Tag::Count)
            || tags.contains(&Tag::Reference)
            || tags.contains(&Tag::NotOfPerson)
            || self.ends_in_record_id(&ws)
        {
            return NameClass::NONE;
        }
        let strong = tags.iter().find_map(|t| match t {
            Tag::Strong(c) => Some(*c),
            _ => None,
        });
        let weak = weak_category(&tags, |_| true);
        let context = tags.contains(&Tag::Context);
        if let Some(c) = strong {
            return NameClass {
                health: true,
                context,
                direct_id: false,
                category: Some(c),
            };
        }
        if context {
            return NameClass {
                health: true,
                context: true,
                direct_id: false,
                category: weak.or(Some(self.care_record_category())),
            };
        }
        NameClass::NONE
    }

    /// A person's own attribute by its whole name (`name`, `date_of_birth`, `ssn`), as the
    /// patient's when it is one: a direct identifier for those that identify the person.
    pub fn patient_attribute(&self, name: &str) -> Option<NameClass> {
        let w = words(name).join(" ");
        let direct = self.patient_identifiers.contains(&w);
        if !direct && !self.patient_attributes.contains(&w) {
            return None;
        }
        Some(NameClass {
            health: true,
            context: false,
            direct_id: direct,
            category: Some(if direct {
                self.identifier_category
            } else {
                self.care_record_category()
            }),
        })
    }

    /// A function named for one patient (`add_patient`, `find_patient_by_ssn`; not
    /// `export_patient_list`, `sync_patients`): what it is given describes that patient.
    pub fn names_one_patient(&self, fn_name: &str) -> bool {
        if !self.classify_name(fn_name).context {
            return false;
        }
        let ws = words(fn_name);
        let context = |w: &String| self.classify_words(w).context;
        ws.iter().any(|w| context(w) && !w.ends_with('s'))
            && !ws
                .iter()
                .any(|w| (context(w) && w.ends_with('s')) || self.many_patients_words.contains(w))
    }

    /// Weak words count when the object they are read from is a patient context.
    pub fn classify_member(&self, name: &str, parent_is_context: bool) -> NameClass {
        let c = self.classify_name(name);
        if c.health || !parent_is_context {
            return c;
        }
        // `patient.ssn`: the patient's social security number identifies them.
        if let Some(c) = self.patient_attribute(name).filter(|c| c.direct_id) {
            return c;
        }
        let tags = self.name_tags(name);
        if tags.contains(&Tag::Count)
            || tags.contains(&Tag::NotOfPerson)
            || (tags.contains(&Tag::Negative) && tags.len() == 1)
            || self.ends_in_record_id(&words(name))
        {
            return NameClass::NONE;
        }
        NameClass {
            health: true,
            context: false,
            direct_id: false,
            category: weak_category(&tags, |_| true).or(Some(self.care_record_category())),
        }
    }

    /// A field of a row that health data was read into, named with a strong health word and
    /// a reference word (`icd10_codes`, `diagnosis_codes` of a claim): the person's coded
    /// values, not a code list. Counts, negatives and fields not about the person stay out.
    pub fn classify_row_field(&self, name: &str) -> NameClass {
        let c = self.classify_name(name);
        if c.health {
            return c;
        }
        let tags = self.name_tags(name);
        if !tags.contains(&Tag::Reference)
            || tags
                .iter()
                .any(|t| matches!(t, Tag::Count | Tag::NotOfPerson | Tag::Negative))
        {
            return c;
        }
        match tags.iter().find_map(|t| match t {
            Tag::Strong(cat) => Some(*cat),
            _ => None,
        }) {
            Some(cat) => NameClass {
                health: true,
                context: false,
                direct_id: false,
                category: Some(cat),
            },
            None => c,
        }
    }

    fn name_tags(&self, name: &str) -> Vec<Tag> {
        let mut tags = Vec::new();
        self.tags(&words(name), &mut tags);
        tags
    }

    /// A name that is health data only beside a patient (a weak word such as `temperature`
    /// or `weight`, with no count, negative or not-of-person word): its class then, else `None`.
    /// The care-record category's weak words (`status`, `note`, `record`) are too general.
    pub fn classify_weak_beside_patient(&self, name: &str) -> Option<NameClass> {
        let tags = self.name_tags(name);
        if tags
            .iter()
            .any(|t| matches!(t, Tag::Count | Tag::NotOfPerson | Tag::Negative))
        {
            return None;
        }
        let care = self.care_record_category();
        let category = weak_category(&tags, |c| c != care)?;
        Some(NameClass {
            health: true,
            context: false,
            direct_id: false,
            category: Some(category),
        })
    }

    /// The `care-record` category: what a field of a record is when its name says no more.
    pub fn care_record_category(&self) -> u16 {
        self.category_index("care-record").unwrap_or(0)
    }

    /// The number of a category by its name (`genetic`), as findings carry it.
    pub fn category_index(&self, name: &str) -> Option<u16> {
        self.categories
            .iter()
            .position(|c| c == name)
            .map(|p| p as u16)
    }

    /// `get_patient` → `patient`: the noun a getter-like function name returns (the name
    /// itself when it has no verb prefix).
    pub fn returned_noun<'n>(&self, name: &'n str) -> &'n str {
        self.returning_prefixes
            .iter()
            .find_map(|p| {
                name.strip_prefix(p.as_str())
                    .filter(|rest| !rest.is_empty())
            })
            .unwrap_or(name)
    }

    /// A literal that is a health message by its format (an HL7 v2 message).
    pub fn is_health_message(&self, s: &str) -> bool {
        self.message_starts
            .iter()
            .any(|p| s.starts_with(p.as_str()))
            || self.message_contains.iter().any(|p| s.contains(p.as_str()))
    }

    /// The phrase by which a text says that what is written into it is a person's clinical
    /// record (`[messages] record_phrases`).
    pub fn record_phrase(&self, text: &str) -> Option<&str> {
        if self.record_phrases.is_empty() {
            return None;
        }
        let lower = text.to_lowercase();
        self.record_phrases
            .iter()
            .find(|p| lower.contains(p.as_str()))
            .map(String::as_str)
    }

    /// Why a name with health words is not health data, if it is such a look-alike:
    /// "`version` makes it reference data", "`count` makes it a count or measure".
    pub fn why_not_health(&self, name: &str) -> Option<String> {
        let ws = words(name);
        if ws.is_empty() || ws.len() > 12 || self.classify_name(name).health {
            return None;
        }
        let mut spans = Vec::new();
        self.tag_spans(&ws, &mut spans);
        let healthy = spans.iter().any(|(t, _, _)| {
            matches!(
                t,
                Tag::Strong(_) | Tag::Weak(_) | Tag::Context | Tag::Direct
            )
        });
        if !healthy {
            return None;
        }
        let phrase = |s: usize, n: usize| ws[s..s + n].join(" ");
        for (t, s, n) in &spans {
            let w = phrase(*s, *n);
            match t {
                Tag::Negative => return Some(format!("`{w}` marks a look-alike")),
                Tag::Reference => {
                    return Some(format!(
                        "`{w}` makes it about a format, location or catalog (reference data)"
                    ))
                }
                Tag::Count => return Some(format!("`{w}` makes it a count, flag or measure")),
                _ => {}
            }
        }
        Some("its health words are weak and it is not a field of a patient record".to_string())
    }

    /// A field name for metadata: configuration, state, time, errors, versions, counts
    /// (`environment`, `created_at`, `error`, `canvas_instance`, `retry_count`).
    pub fn is_metadata_name(&self, name: &str) -> bool {
        let ws = words(name);
        let mut tags = Vec::new();
        self.tags(&ws, &mut tags);
        tags.iter()
            .any(|t| matches!(t, Tag::Reference | Tag::Count | Tag::Negative))
            || ws
                .iter()
                .any(|w| self.metadata_words.iter().any(|m| m == w))
    }

    /// A type name for metadata (`JobStatus`, `RetryState`), read without a last word that
    /// only says how the type is passed (`DraftNoteRequest` is a draft note's request, not a
    /// request's metadata).
    pub fn is_metadata_type_name(&self, name: &str) -> bool {
        let ws = words(name);
        match ws.split_last() {
            Some((last, head))
                if !head.is_empty() && self.own_record_words.iter().any(|o| o == last) =>
            {
                self.is_metadata_name(&head.join(" "))
            }
            _ => self.is_metadata_name(name),
        }
    }

    /// A name of configuration, reference data or a look-alike (`get_clinical_model`,
    /// `load_settings`): a reference word or a negative phrase, not metadata words alone.
    pub fn is_reference_or_negative(&self, name: &str) -> bool {
        self.name_tags(name)
            .iter()
            .any(|t| matches!(t, Tag::Reference | Tag::Negative))
    }

    /// A field name made only of record-metadata words (`id`, `status`, `createdAt`).
    pub fn is_record_metadata(&self, name: &str) -> bool {
        let ws = words(name);
        if ws.is_empty() {
            return false;
        }
        ws.iter()
            .all(|w| self.metadata_words.iter().any(|m| m == w))
            || self.metadata_fields.iter().any(|d| *d == ws.join(" "))
    }

    /// A field that names or sorts a record of type `ty` itself: the type's own noun and a
    /// self-naming word (`case_name` of `EvaluationCase`), not data of the person.
    pub fn names_the_record(&self, ty: &str, field: &str) -> bool {
        let (tw, fw) = (words(ty), words(field));
        match (tw.last(), fw.as_slice()) {
            (Some(noun), [head, what]) => {
                head == noun && self.self_naming_words.iter().any(|s| s == what)
            }
            _ => false,
        }
    }

    /// A lexicon health-record type other than the person's own record (`Observation`,
    /// `Coverage`, not `Patient`).
    pub fn is_record_about_person(&self, ty: &str) -> bool {
        self.context_types.iter().any(|t| t == ty) && !self.person_types.iter().any(|t| t == ty)
    }

    /// The record type other than the person's own that a variable's name says it holds
    /// (`existing_immunization_resource` → `Immunization`), unless the name also names the
    /// patient (`patient_observation`).
    pub fn record_about_person_named(&self, name: &str) -> Option<&str> {
        let ws = words(name);
        if ws.is_empty() || self.classify_name(name).context {
            return None;
        }
        self.context_types
            .iter()
            .filter(|t| !self.person_types.iter().any(|p| p == *t))
            .find(|t| {
                let tw = words(t);
                !tw.is_empty()
                    && ws.windows(tw.len()).any(|win| {
                        win.iter().zip(&tw).enumerate().all(|(i, (w, t))| {
                            w == t || (i + 1 == tw.len() && w.strip_suffix('s') == Some(t))
                        })
                    })
            })
            .map(String::as_str)
    }

    /// `prescription_id`, `vitalUuid`, `Patient_AllergyID`: words ending with a record-id
    /// word after others, unless they name the patient and no health record
    /// (`patientExternalId` is the patient's).
    fn ends_in_record_id(&self, ws: &[String]) -> bool {
        // `resourcesByReportRef` is resources; `createdById` is an id.
        let head = self.unqualified(ws);
        let ws = if head.len() + 2 < ws.len() { head } else { ws };
        let Some((last, body)) = ws.split_last() else {
            return false;
        };
        if body.is_empty() || !self.record_id_words.iter().any(|r| r == last) {
            return false;
        }
        // `docRefs`: DocumentReference records.
        let tail = ws[ws.len().saturating_sub(2)..].join(" ");
        if self
            .record_names_like_ids
            .iter()
            .any(|r| *r == tail || r == last)
        {
            return false;
        }
        // `subscriberId`, `memberId`: a person's id.
        if body
            .last()
            .is_some_and(|w| self.person_role_words.iter().any(|r| r == w))
        {
            return false;
        }
        let classes: Vec<NameClass> = body.iter().map(|w| self.classify_words(w)).collect();
        // `consultation_id`: a context word that names a record about the person (a lexicon
        // record type other than the person's own) does not make the id the person's.
        let about = |w: &String| {
            self.context_types
                .iter()
                .filter(|t| !self.person_types.iter().any(|p| p == *t))
                .any(|t| {
                    let tw = words(t);
                    tw.len() == 1 && (tw[0] == *w || w.strip_suffix('s') == Some(tw[0].as_str()))
                })
        };
        let of_patient = classes.iter().any(|c| c.context)
            && classes.iter().all(|c| c.context || !c.health)
            && !body
                .iter()
                .zip(&classes)
                .filter(|(_, c)| c.context)
                .all(|(w, _)| about(w));
        !of_patient
    }

    /// The id of a record other than the person's (`prescription_id`, `allergyUuid`): it
    /// points to health data and is not health data itself.
    pub fn is_record_id_name(&self, name: &str) -> bool {
        self.ends_in_record_id(&words(name)) && !self.classify_words(name).direct_id
    }

    /// A project type named for the patient and something else than the patient's own record
    /// (`PatientVital`, `PatientAllergyMapping`; not `PatientProfile`, `PatientCreate`): a
    /// record about the patient.
    pub fn is_record_about_patient_type(&self, ty: &str) -> bool {
        let ws = words(ty);
        let mut context = false;
        let mut other = false;
        for w in &ws {
            if self.classify_words(w).context {
                context = true;
            } else if self.own_record_words.iter().any(|o| o == w) {
                return false;
            } else {
                other = true;
            }
        }
        context && other
    }

    /// A field naming the person a record is about (`user_id`, `owner`, `patient`).
    pub fn names_person_ref(&self, name: &str) -> bool {
        words(name)
            .iter()
            .any(|w| self.person_ref_words.iter().any(|p| p == w))
    }

    /// A word of a route that receives records in a health standard's format (`hl7`).
    pub fn is_record_route_word(&self, word: &str) -> bool {
        self.record_routes
            .iter()
            .any(|r| r.eq_ignore_ascii_case(word))
    }

    /// A field of the person's own record that identifies the person (`Patient.id`).
    pub fn is_person_id_field(&self, name: &str) -> bool {
        self.person_id_fields.iter().any(|f| f == name)
    }

    /// A lexicon type whose instance is the person's own record (`Patient`).
    pub fn is_person_type(&self, ty: &str) -> bool {
        self.person_types.iter().any(|t| t == ty)
    }

    /// A table of reference data by the last words of its name (`icd10_codes`, `concept`).
    fn is_reference_table(&self, table: &str) -> bool {
        let name = table.rsplit('.').next().unwrap_or(table);
        let ws = words(name);
        let n = ws.len();
        self.sql_reference_heads.iter().any(|h| {
            let hw: Vec<&str> = h.split(' ').collect();
            n >= hw.len() && ws[n - hw.len()..].iter().zip(&hw).all(|(a, b)| a == b)
        })
    }

    /// A name about reference data: code systems, catalogs, versions (`ClinVarRecord`).
    pub fn is_reference_name(&self, name: &str) -> bool {
        let ws = words(name);
        let mut tags = Vec::new();
        self.tags(&ws, &mut tags);
        tags.contains(&Tag::Reference)
    }

    /// A module whose types only share FHIR resource names (`threading.Condition`).
    pub fn is_non_health_module(&self, root: &str) -> bool {
        self.non_health_modules.iter().any(|m| m == root)
    }

    /// A store or table name that holds patient records (`patients`, `patient_repo`,
    /// `dossiers_db`): a patient context or health table among its words.
    pub fn names_records(&self, name: &str) -> bool {
        let mut tags = Vec::new();
        self.tags(&words(name), &mut tags);
        !tags.contains(&Tag::Count)
            && tags
                .iter()
                .any(|t| matches!(t, Tag::Context | Tag::SqlTable))
    }

    /// A generic type named as being *about* its type argument (`FieldErrors<Form>`,
    /// `Category<Condition>`), not holding values of it.
    pub fn is_about_type_name(&self, name: &str) -> bool {
        words(name)
            .iter()
            .any(|w| self.about_type_words.iter().any(|a| a == w))
    }

    /// A type named as a store of records (`VisitRepository`, `PatientDao`, `CrudRepository`).
    pub fn is_store_name(&self, name: &str) -> bool {
        words(name)
            .iter()
            .any(|w| self.store_words.iter().any(|s| s == w))
    }

    /// The health-record type a JSON object declares as its resource type
    /// (`{"resourceType": "Immunization", "status": "completed"}`), given its keys and the
    /// constant text of each value. None for a request: a search (`params`) or a bare
    /// reference (`{"resourceType": "Patient", "id": id}`).
    pub fn resource_literal_type<'a>(
        &self,
        entries: &'a [(String, Option<String>)],
    ) -> Option<&'a str> {
        let is = |list: &[String], k: &str| list.iter().any(|x| x == k);
        let ty = entries.iter().find_map(|(k, v)| {
            v.as_deref()
                .filter(|t| is(&self.resource_type_keys, k) && is(&self.context_types, t))
        })?;
        let request = entries
            .iter()
            .any(|(k, _)| is(&self.resource_request_keys, k));
        let content = entries
            .iter()
            .any(|(k, _)| !is(&self.resource_bare_keys, k) && !is(&self.resource_type_keys, k));
        (!request && content).then_some(ty)
    }

    /// A field that is never the person's (`secrets`, `concept`, `datatype`).
    pub fn is_not_of_person(&self, name: &str) -> bool {
        let mut tags = Vec::new();
        self.tags(&words(name), &mut tags);
        tags.contains(&Tag::NotOfPerson)
    }

    /// A variable name for a quantity (`total_num_deleted_patients`, `patient_count`).
    pub fn is_quantity_name(&self, name: &str) -> bool {
        self.has_word_of(&self.quantity_words, name)
    }

    /// A field name for a count or an aggregate (`total_variants`, `mean_age`).
    pub fn is_aggregate_name(&self, name: &str) -> bool {
        self.has_word_of(&self.aggregate_words, name)
    }

    /// A type named as a table of statistics (`AnalyteStats`, `CohortMetrics`).
    pub fn is_aggregate_type(&self, name: &str) -> bool {
        self.has_word_of(&self.aggregate_type_words, name)
    }

    /// A word of `name` (digits split off) is in `list`, and the name is no direct identifier.
    fn has_word_of(&self, list: &[String], name: &str) -> bool {
        split_digits(&words(name)).iter().any(|w| list.contains(w)) && !self.is_direct_id_name(name)
    }

    /// A field name for where a record is kept (`filename`, `output_dir`).
    pub fn is_location_field(&self, name: &str) -> bool {
        is_whole_name_in(&self.location_fields, name)
    }

    /// A field name for a record's position in a series (`sequence_number`, `seq_no`).
    pub fn is_position_field(&self, name: &str) -> bool {
        is_whole_name_in(&self.position_fields, name)
    }

    /// A parameter name of drawing or layout code (`width`, `dpi`).
    pub fn is_dimension_param(&self, name: &str) -> bool {
        is_whole_name_in(&self.dimension_params, name)
    }

    /// A whole field name that never holds the person's value (`system`).
    pub fn is_namespace_field(&self, name: &str) -> bool {
        is_whole_name_in(&self.namespace_fields, name)
    }

    fn is_direct_id_name(&self, name: &str) -> bool {
        let mut tags = Vec::new();
        self.tags(&words(name), &mut tags);
        tags.contains(&Tag::Direct)
    }

    /// A name for a count or flag (`patient_count`, `num_visits`).
    pub fn is_count_name(&self, name: &str) -> bool {
        let mut tags = Vec::new();
        self.tags(&words(name), &mut tags);
        tags.contains(&Tag::Count) && !tags.contains(&Tag::Direct)
    }

    pub fn identifier_category(&self) -> u16 {
        self.identifier_category
    }

    /// An element name of FHIR resources (`value_quantity`, `effectiveDateTime`).
    pub fn is_fhir_element(&self, name: &str) -> bool {
        is_whole_name_in(&self.fhir_elements, name)
    }

    /// The FHIR resource elements a type named as a lexicon record type declares (`subject`,
    /// `onset_date_time` of a `Condition`); two or more make it that resource. Empty for
    /// other types.
    pub fn fhir_elements_of<'a>(
        &self,
        name: &str,
        fields: impl Iterator<Item = &'a str>,
    ) -> Vec<&'a str> {
        if !self.is_lexicon_record_type(name) {
            return Vec::new();
        }
        fields.filter(|f| self.is_fhir_element(f)).collect()
    }

    /// An element of a FHIR resource that holds its clinical content (`code`, `onset_date_time`).
    pub fn is_fhir_content_element(&self, name: &str) -> bool {
        is_whole_name_in(&self.fhir_content_elements, name)
    }

    /// A lexicon health-record type by its exact name (`Observation`, `Condition`).
    pub fn is_lexicon_record_type(&self, name: &str) -> bool {
        self.context_types.iter().any(|t| t == name)
    }

    /// A type annotation or constructor naming a patient-context type (`Patient`,
    /// `Optional[Observation]`, `fhir.resources.patient.Patient`, `&MedicalRecord`).
    pub fn is_context_type(&self, ty: &str) -> bool {
        ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|s| !s.is_empty())
            .any(|seg| {
                self.context_types.iter().any(|t| t == seg) || {
                    let c = self.classify_name(seg);
                    c.context && seg.chars().next().is_some_and(|ch| ch.is_uppercase())
                }
            })
    }

    /// A SQL query reading health data: `SELECT ... FROM patients`, or health columns.
    pub fn sql_reads_health(&self, sql: &str) -> bool {
        let lower = sql.to_ascii_lowercase();
        let trimmed = lower.trim_start();
        let has_from = lower
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| w == "from");
        if !reads_only_lower(trimmed) || !has_from {
            return false;
        }
        // Every table read is the database's catalog: its structure, not its rows.
        let read = read_tables(&lower);
        if !read.is_empty()
            && read.iter().all(|t| {
                self.sql_catalog_tables.iter().any(|c| {
                    if c.ends_with('.') {
                        t.starts_with(c.as_str())
                    } else {
                        t == c || t.ends_with(&format!(".{c}"))
                    }
                })
            })
        {
            return false;
        }
        // Every table read is a code list or lookup table (`FROM ref.icd10_codes`).
        if !read.is_empty() && read.iter().all(|t| self.is_reference_table(t)) {
            return false;
        }
        // `SELECT COUNT(*) FROM patients` returns a number, not health data; so do counts per
        // group (`SELECT ward_id, count(*) FROM encounters GROUP BY ward_id`).
        // Counts per patient (`GROUP BY patient_id`) are still about each patient.
        if aggregate_query(trimmed, |k| {
            let c = self.classify_name(k);
            c.direct_id || c.context
        }) {
            return false;
        }
        let ws = words(sql);
        let mut tags = Vec::new();
        self.tags(&ws, &mut tags);
        if tags
            .iter()
            .any(|t| matches!(t, Tag::Strong(_) | Tag::Direct))
        {
            return true;
        }
        // A health table where a table is named (`FROM patients`, `JOIN public.diagnoses`).
        let mut spans = Vec::new();
        self.tag_spans(&ws, &mut spans);
        let neg: Vec<(usize, usize)> = spans
            .iter()
            .filter(|(t, _, _)| *t == Tag::Negative)
            .map(|(_, s, n)| (*s, *n))
            .collect();
        spans.iter().any(|&(t, s, n)| {
            let before = |i: usize| s.checked_sub(i).map(|j| ws[j].as_str());
            t == Tag::SqlTable
                && (matches!(before(1), Some("from" | "join"))
                    || matches!(before(2), Some("from" | "join")))
                && !neg.iter().any(|(ns, nn)| s < ns + nn && *ns < s + n)
        })
    }

    /// Of a query that reads health data ([`Classifier::sql_reads_health`]): it reads the
    /// patients' own table (`FROM patients p JOIN ...`), so each row it returns is that
    /// patient's record, every column of it (Recital 35).
    pub fn sql_reads_person(&self, sql: &str) -> bool {
        read_tables(&sql.to_ascii_lowercase()).iter().any(|t| {
            self.classify_name(t.rsplit('.').next().unwrap_or(t))
                .context
        })
    }

    pub fn category_name(&self, c: u16) -> &str {
        self.categories
            .get(c as usize)
            .map(String::as_str)
            .unwrap_or("health")
    }
}

/// `with [recursive] name [(columns)] as (`: a common table expression, not prose.
/// A SQL statement that only reads: `SELECT …`, or a `WITH` query.
pub fn sql_only_reads(sql: &str) -> bool {
    reads_only_lower(sql.trim_start().to_ascii_lowercase().as_str())
}

/// Text that is a SQL statement, read or write (`SELECT`, `WITH`, `INSERT`, `UPDATE`,
/// `DELETE`).
pub fn is_sql_statement(sql: &str) -> bool {
    let l = sql.trim_start().to_ascii_lowercase();
    reads_only_lower(&l)
        || ["insert", "update", "delete"]
            .iter()
            .any(|k| l.starts_with(k))
}

/// [`sql_only_reads`] of lower-case text with no leading space.
fn reads_only_lower(l: &str) -> bool {
    l.starts_with("select") || is_cte(l)
}

fn is_cte(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("with") else {
        return false;
    };
    let mut rest = rest.trim_start();
    if let Some(r) = rest.strip_prefix("recursive ") {
        rest = r.trim_start();
    }
    let name = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '"'))
        .unwrap_or(rest.len());
    if name == 0 {
        return false;
    }
    rest = rest[name..].trim_start();
    if rest.starts_with('(') {
        match rest.find(')') {
            Some(i) => rest = rest[i + 1..].trim_start(),
            None => return false,
        }
    }
    rest.strip_prefix("as")
        .is_some_and(|r| r.trim_start().starts_with('('))
}

/// A query that returns only aggregates, or aggregates per group: every selected column is an
/// aggregate (`count(*) filter (...) as n`) or one of the `GROUP BY` keys, and no key is a
/// person (`person_key`).
/// The tables a lower-cased query reads: the word after each FROM and JOIN, unquoted.
fn read_tables(lower: &str) -> Vec<&str> {
    lower
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[0] == "from" || w[0] == "join")
        .map(|w| w[1].trim_matches(|c: char| c == '"' || c == '`' || c == '(' || c == ';'))
        .collect()
}

fn aggregate_query(lower: &str, person_key: impl Fn(&str) -> bool) -> bool {
    let flat = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(rest) = flat.strip_prefix("select ") else {
        return false;
    };
    let Some(cols) = rest.split(" from ").next() else {
        return false;
    };
    let keys: Vec<String> = flat
        .split_once(" group by ")
        .map(|(_, g)| {
            let end = [" having ", " order by ", " limit ", " window ", ";", ")"]
                .iter()
                .filter_map(|k| g.find(k))
                .min()
                .unwrap_or(g.len());
            g[..end]
                .split(',')
                .map(|k| k.trim().rsplit('.').next().unwrap_or("").to_string())
                .filter(|k| !k.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if keys.iter().any(|k| person_key(k)) {
        return false;
    }
    let aggregates = ["count(", "sum(", "avg(", "min(", "max("];
    let mut depth = 0i32;
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, ch) in cols.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&cols[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&cols[start..]);
    // Each selected expression without its alias.
    let exprs: Vec<&str> = parts
        .iter()
        .map(|c| c.trim().split(" as ").next().unwrap_or(c).trim())
        .collect();
    let is_aggregate = |e: &str| aggregates.iter().any(|a| e.starts_with(a));
    !cols.trim().is_empty()
        && exprs.iter().any(|e| is_aggregate(e))
        && exprs.iter().all(|e| {
            is_aggregate(e)
                || keys
                    .iter()
                    .any(|k| e.rsplit('.').next() == Some(k.as_str()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Catalog;

    fn cls() -> Classifier {
        Classifier::new(&Catalog::embedded().unwrap().lexicon)
    }

    #[test]
    fn ids_of_records_are_not_the_patients_data() {
        let c = cls();
        for n in [
            "prescription_id",
            "vitalUuid",
            "Patient_AllergyID",
            "medication_ids",
        ] {
            assert!(c.is_record_id_name(n), "{n}");
            assert!(!c.classify_name(n).health, "{n}");
        }
        // The patient's own identifiers.
        for n in ["patient_id", "patientExternalId", "id"] {
            assert!(!c.is_record_id_name(n), "{n}");
        }
        assert!(c.classify_name("patient_id").direct_id);
        assert!(c.is_record_about_patient_type("PatientVital"));
        assert!(c.is_record_about_patient_type("PatientAllergyMapping"));
        for t in ["Patient", "PatientProfile", "PatientCreate", "Vital"] {
            assert!(!c.is_record_about_patient_type(t), "{t}");
        }
    }

    #[test]
    fn a_variable_names_the_record_about_the_person_it_holds() {
        let c = cls();
        let named = |n: &str| c.record_about_person_named(n).map(str::to_string);
        assert_eq!(
            named("existing_immunization_resource").as_deref(),
            Some("Immunization")
        );
        assert_eq!(named("latestObservations").as_deref(), Some("Observation"));
        assert_eq!(
            named("medication_request").as_deref(),
            Some("MedicationRequest")
        );
        // The patient's own record, or a record named with the patient, is not metadata.
        assert_eq!(named("patient"), None);
        assert_eq!(named("patient_observation"), None);
        assert_eq!(named("config"), None);
    }

    #[test]
    fn tokenizer_splits_cases_and_accents() {
        assert_eq!(words("bloodPressure"), vec!["blood", "pressure"]);
        assert_eq!(words("HTTPServer_url"), vec!["http", "server", "url"]);
        assert_eq!(words("groupe_sanguin"), vec!["groupe", "sanguin"]);
        assert_eq!(
            words("antécédents-médicaux"),
            vec!["antecedents", "medicaux"]
        );
        assert_eq!(words("icd10_code"), vec!["icd10", "code"]);
        assert_eq!(split_digits(&words("icd10Code")), vec!["icd", "10", "code"]);
        assert_eq!(words("PATIENT_ID"), vec!["patient", "id"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn health_names() {
        let c = cls();
        for n in [
            "diagnosis",
            "diagnoses",
            "icd10_code",
            "bloodPressure",
            "groupe_sanguin",
            "antecedents_medicaux",
            "ordonnance",
            "Befund",
            "allergies",
            "heart_rate",
            "lab_results",
            "hba1c",
            "is_pregnant",
            "hivStatus",
            "mental_health_notes",
            "patient_weight",
            "medicalHistory",
            "diagnostico",
        ] {
            assert!(c.classify_name(n).health, "{n} should be health data");
        }
    }

    #[test]
    fn direct_identifiers() {
        let c = cls();
        for n in [
            "patient_id",
            "patientId",
            "mrn",
            "nir",
            "numero_securite_sociale",
            "matricule_ins",
            "nhs_number",
            "mbi",
            "carte_vitale",
        ] {
            let k = c.classify_name(n);
            assert!(k.health && k.direct_id, "{n} should be a direct identifier");
        }
    }

    #[test]
    fn traps_are_not_health() {
        let c = cls();
        for n in [
            "healthcheck",
            "health_check",
            "healthz",
            "service_health",
            "cluster_health",
            "battery_health",
            "condition",
            "race_condition",
            "diagnostics",
            "diagnostic",
            "stored_procedure",
            "observation",
            "treatment_group",
            "temperature",
            "weights",
            "dose",
            "max_age",
            "num_patients",
            "patient_count",
            "total_diagnoses",
            "health",
            "std",
            "chart",
            "dataset",
            "record",
            "status",
        ] {
            assert!(!c.classify_name(n).health, "{n} should not be health data");
        }
    }

    #[test]
    fn context_names_and_types() {
        let c = cls();
        assert!(c.classify_name("patient").context);
        assert!(c.classify_name("dossier_medical").context);
        assert!(c.is_context_type("Patient"));
        assert!(c.is_context_type("Optional[Observation]"));
        assert!(c.is_context_type("fhir.resources.patient.Patient"));
        assert!(c.is_context_type("Condition"));
        assert!(!c.classify_name("condition").health);
        assert!(!c.is_context_type("str"));
        assert!(c.classify_member("temperature", true).health);
        assert!(!c.classify_member("temperature", false).health);
    }

    #[test]
    fn returning_calls_and_messages() {
        let c = cls();
        assert_eq!(c.returned_noun("get_patient"), "patient");
        assert_eq!(c.returned_noun("fetchDiagnosis"), "Diagnosis");
        assert_eq!(c.returned_noun("get"), "get");
        assert_eq!(c.returned_noun("summarise"), "summarise");
        assert!(c.is_health_message("MSH|^~\\&|LAB|HOSP|"));
        assert!(!c.is_health_message("SELECT 1"));
    }

    #[test]
    fn sql_queries() {
        let c = cls();
        assert!(c.sql_reads_health("SELECT name, diagnosis FROM visits WHERE id = %s"));
        assert!(c.sql_reads_health("select * from patients"));
        assert!(c.sql_reads_health(
            "WITH recent AS (SELECT * FROM visits) SELECT diagnosis FROM recent"
        ));
        assert!(!c.sql_reads_health("with the patients from the ward"));
        assert!(!c.sql_reads_health("SELECT id FROM users"));
        assert!(!c.sql_reads_health("SELECT COUNT(*) FROM dossiers WHERE closed = 0"));
        // Counts per group, unless the group is a patient.
        assert!(!c.sql_reads_health(
            "SELECT ward_id, count(*) FILTER (WHERE discharged_at IS NULL) AS occupied\n FROM encounters GROUP BY ward_id"
        ));
        assert!(
            c.sql_reads_health("SELECT patient_id, count(*) FROM encounters GROUP BY patient_id")
        );
        assert!(c.sql_reads_health(
            "SELECT ward_id, diagnosis FROM encounters GROUP BY ward_id, diagnosis"
        ));
        assert!(c.sql_reads_health(
            "SELECT ward_id, diagnosis, count(*) FROM encounters GROUP BY ward_id"
        ));
        // Code lists and lookup tables are reference data.
        assert!(!c.sql_reads_health("SELECT code, label FROM ref.icd10_codes WHERE chapter = 'E'"));
        assert!(!c.sql_reads_health("INSERT INTO patients VALUES (?)"));
        // The catalog describes a health table; it does not read its rows.
        assert!(!c.sql_reads_health(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'diagnoses'"
        ));
        assert!(!c.sql_reads_health(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='patients'"
        ));
        assert!(c.sql_reads_health(
            "SELECT p.diagnosis FROM patients p JOIN information_schema.tables t ON t.x = p.x"
        ));
    }
}
