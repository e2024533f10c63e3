//! Embedded knowledge (`patterns/*.toml`): the health lexicon, per-language sinks, sources,
//! sanitisers and clients, and the endpoint catalog. Loaded once, validated, compiled.
//!
//! Call patterns are globs over a call's *path*: the dotted callee with imports and known
//! receiver types substituted, where `()` marks a call result — `openai.OpenAI().chat.completions.create`,
//! `logging.getLogger().info`, `reqwest.Client.new().post().json().send`. `*` matches any text
//! (dots included). Each call is tried under its resolved path and as written.

use crate::finding::SinkKind;
use crate::lang::Lang;
use regex::bytes::RegexSet;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    #[error("{file}: {message}")]
    Toml { file: String, message: String },
    #[error("{file}: pattern `{pattern}` does not compile: {message}")]
    Glob {
        file: String,
        pattern: String,
        message: String,
    },
}

/// Which value of a call a pattern is about.
#[derive(Clone, Debug, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum ArgSel {
    /// Positional argument, 0-based.
    Index(usize),
    /// A keyword argument's name, or `receiver` for the object a method is called on.
    Name(String),
}

// ---------- serde shapes (what the TOML says) ----------

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconFile {
    #[serde(default)]
    pub category: Vec<CategorySpec>,
    pub context: ContextSpec,
    pub direct_identifiers: PhraseList,
    pub negative: NegativeSpec,
    #[serde(default)]
    pub sql: SqlSpec,
    #[serde(default)]
    pub identifier_hints: HintSpec,
    #[serde(default)]
    pub returning_calls: ReturningCallsSpec,
    #[serde(default)]
    pub messages: MessageSpec,
    #[serde(default)]
    pub identifier_test_ranges: TestRangeSpec,
    #[serde(default)]
    pub test_code: TestCodeSpec,
    #[serde(default)]
    pub generic_words: GenericWords,
    #[serde(default)]
    pub own_server: OwnServer,
    #[serde(default)]
    pub call_pieces: CallPieces,
}

/// Pieces of call paths too common in code to find a call pattern by (the prefilter).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallPieces {
    /// Lower-case path pieces.
    #[serde(default)]
    pub common: Vec<String>,
}

/// Words too common in code to find a phrase by (the prefilter looks for its other words or
/// its joined forms instead).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenericWords {
    #[serde(default)]
    pub words: Vec<String>,
}

/// Names of a base URL that is the application's own server (`config.serverBaseUrl`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnServer {
    /// One of these words must be in the name.
    #[serde(default)]
    pub words: Vec<String>,
    /// Every word of the name must be one of these.
    #[serde(default)]
    pub base_words: Vec<String>,
    /// Verbs a getter's name starts with (`getBackendUrl()`): the rest names the base.
    #[serde(default)]
    pub getter_verbs: Vec<String>,
}

/// Test-code conventions (see `crate::testcode`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCodeSpec {
    /// Directory names that hold tests.
    #[serde(default)]
    pub dirs: Vec<String>,
    /// Whole file names (`conftest.py`).
    #[serde(default)]
    pub file_names: Vec<String>,
    #[serde(default)]
    pub stem_prefixes: Vec<String>,
    #[serde(default)]
    pub stem_suffixes: Vec<String>,
    /// Words of a directory name or a file stem that make it test data (`synthetic` in
    /// `synthetic-patient-data/`, `mock` in `mock_values.py`).
    #[serde(default)]
    pub data_words: Vec<String>,
    /// Callee substrings of test doubles (lower case).
    #[serde(default)]
    pub doubles: Vec<String>,
    /// Literals that show a test serves the application on loopback (`127.0.0.1:0`).
    #[serde(default)]
    pub loopback_servers: Vec<String>,
    /// Imports that show a test drives a running application through a client configured
    /// with its base URL (Playwright's `request` fixture, supertest).
    #[serde(default)]
    pub app_drivers: Vec<String>,
}

/// Identifiers their issuer publishes for testing: not reported when hard-coded.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestRangeSpec {
    #[serde(default)]
    pub nhs_number_prefixes: Vec<String>,
    #[serde(default)]
    pub nhs_numbers: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturningCallsSpec {
    /// Verb prefixes of function names that return what the rest of the name says.
    pub prefixes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageSpec {
    /// A literal starting with one of these is a health message (`MSH|`).
    #[serde(default)]
    pub starts_with: Vec<String>,
    /// A literal containing one of these is a health message.
    #[serde(default)]
    pub contains: Vec<String>,
    /// Text that says what is written into it is a person's clinical record (a scribe's
    /// prompt: "Summarize the following patient consultation … {transcript}"), lower case.
    #[serde(default)]
    pub record_phrases: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HintSpec {
    /// Words that must appear on the line of a weak identifier literal (NHS number, NPI).
    pub words: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategorySpec {
    pub name: String,
    /// Words or phrases (space-separated words) that denote health data on their own.
    #[serde(default)]
    pub strong: Vec<String>,
    /// Words that denote health data only next to another health word or a patient context
    /// (`condition`, `temperature`, `dose`).
    #[serde(default)]
    pub weak: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSpec {
    /// Variable / parameter names (phrases) naming a patient or health record.
    pub names: Vec<String>,
    /// Type names whose instances carry health data (FHIR resources, `Patient`).
    pub types: Vec<String>,
    /// Modules whose types merely share a FHIR resource's name (`threading.Condition`).
    #[serde(default)]
    pub non_health_modules: Vec<String>,
    /// Types of `types` whose instance is the person's own record (`Patient`): the others
    /// (`Observation`, `Coverage`) are records *about* the person, whose metadata (`id`,
    /// `status`) identifies the record, not the person.
    #[serde(default)]
    pub person_types: Vec<String>,
    /// Fields of a `person_types` value that identify the person (`Patient.id`).
    #[serde(default)]
    pub person_id_fields: Vec<String>,
    /// Words of a field that refers to the person a record is about (`user_id`, `owner`).
    #[serde(default)]
    pub person_ref_words: Vec<String>,
    /// Words of a route that receives health records in a standard's format (`/hl7`,
    /// `/fhir/Observation`): what a handler of that route is sent is such a record.
    #[serde(default)]
    pub record_routes: Vec<String>,
    /// Words that, beside a context word in a type's name, still make it the person's own
    /// record (`PatientProfile`, `PatientCreate`); with any other word it is a record about
    /// the person (`PatientVital`, `PatientAllergyMapping`), whose id is its own.
    #[serde(default)]
    pub own_record_words: Vec<String>,
    /// The person's own attributes (`name`, `date_of_birth`, `ssn`): given to a function
    /// named for a patient (`add_patient(name, ssn)`), they are that patient's.
    #[serde(default)]
    pub patient_attributes: Vec<String>,
    /// Those of `patient_attributes` that identify the person (`ssn`): a direct identifier
    /// when they are a patient's.
    #[serde(default)]
    pub patient_identifiers: Vec<String>,
    /// Words of a function's name that make it handle many patients (`export_patient_list`):
    /// its parameters are not one patient's attributes.
    #[serde(default)]
    pub many_patients_words: Vec<String>,
    /// Words of a type that stores records of its base's type argument
    /// (`VisitRepository extends JpaRepository<Visit, Long>`).
    #[serde(default)]
    pub store_words: Vec<String>,
    /// Keys of a JSON object that name its FHIR resource type (`resourceType`).
    #[serde(default)]
    pub resource_type_keys: Vec<String>,
    /// Keys that make such an object a request (a search), not a resource.
    #[serde(default)]
    pub resource_request_keys: Vec<String>,
    /// Keys that alone make such an object a reference to read, not a resource.
    #[serde(default)]
    pub resource_bare_keys: Vec<String>,
    /// Element names of FHIR resources (`valueQuantity`, `effectiveDateTime`): a project type
    /// named as a resource that declares several of them is that resource.
    #[serde(default)]
    pub fhir_elements: Vec<String>,
    /// The elements among them that hold the clinical content (`code`, `onsetDateTime`,
    /// `valueQuantity`): a field of that name in such a type is health data.
    #[serde(default)]
    pub fhir_content_elements: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhraseList {
    pub phrases: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegativeSpec {
    /// Phrases that make a name *not* health data (`health check`, `race condition`).
    pub phrases: Vec<String>,
    /// Words that make a name a count or a flag derived from health data (`count`, `num`).
    pub count_words: Vec<String>,
    /// Words that make a name about a format, standard, version, location or catalog
    /// (`fhir_version`, `FHIR_SERVER`, `ehr_root`, `vaccine_types`): reference data, not a
    /// person's data. Fields of a patient record are still read as health data.
    #[serde(default)]
    pub reference_words: Vec<String>,
    /// Words of field names that describe a record rather than the person in it.
    #[serde(default)]
    pub metadata_words: Vec<String>,
    /// Last words of a name that make it the id of a record (`prescription_id`,
    /// `vitalUuid`): not health data unless the name is a direct identifier (`patient_id`).
    #[serde(default)]
    pub record_id_words: Vec<String>,
    /// Names ending in an id word that are records themselves (`doc ref`: a FHIR
    /// DocumentReference), not references to one.
    #[serde(default)]
    pub record_names_like_ids: Vec<String>,
    /// Words that qualify what a name names (`by`, `for`): `relatedPersonFoundByNumber` is a
    /// related person.
    #[serde(default)]
    pub name_qualifiers: Vec<String>,
    /// Last words of a name that make it a pointer to what the words before name
    /// (`locationRef` points to a location).
    #[serde(default)]
    pub reference_suffixes: Vec<String>,
    /// Words for a person in a role (`subscriber`, `member`): a name ending in an id word
    /// right after one (`subscriberId`) is that person's id, not a record's.
    #[serde(default)]
    pub person_role_words: Vec<String>,
    /// Whole field names that are a record's metadata like an id: its business identifiers
    /// and its references to a definition (`identifier` of a ServiceRequest, `questionnaire`
    /// of a QuestionnaireResponse). Never applied to the person's own record.
    #[serde(default)]
    pub metadata_fields: Vec<String>,
    /// Words that, after a record type's own noun, name or sort the record itself
    /// (`case_name`, `case_type` of an `EvaluationCase`), not the person it is about.
    #[serde(default)]
    pub self_naming_words: Vec<String>,
    /// Words of a variable that holds a quantity (`total_num_patients`): what is assigned to
    /// it is a count or an amount, not health data.
    #[serde(default)]
    pub quantity_words: Vec<String>,
    /// Words that make a field of a record a count or an aggregate over its data
    /// (`report.total_variants`): reading it gives no health data.
    #[serde(default)]
    pub aggregate_words: Vec<String>,
    /// Words that make a project type a table of statistics (`AnalyteStats`, `CohortMetrics`):
    /// its fields are aggregates and group keys, not a person's data.
    #[serde(default)]
    pub aggregate_type_words: Vec<String>,
    /// Field names for where a record is kept (`path`, `file_name`, `working_directory`):
    /// reading one of a whole record gives no health data.
    #[serde(default)]
    pub location_fields: Vec<String>,
    /// Whole field names for a record's position in a series (`sequence_number`).
    #[serde(default)]
    pub position_fields: Vec<String>,
    /// Whole field names that never hold the person's value (a FHIR `system`).
    #[serde(default)]
    pub namespace_fields: Vec<String>,
    /// Parameter names of drawing and layout code (`width`, `dpi`): a function that takes one
    /// is sized, so its weak-named parameters (`height`) are not the patient's measurements.
    #[serde(default)]
    pub dimension_params: Vec<String>,
    /// Words of a generic type that is about its type argument rather than a holder of it
    /// (`FieldErrors<Form>`, `Category<Condition>`, `ResourceDefinition<Patient>`).
    #[serde(default)]
    pub about_type_words: Vec<String>,
    /// Phrases of a field that is never the person's, even in a patient record (`secrets`,
    /// `api key`, `logger`).
    #[serde(default)]
    pub not_of_person: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqlSpec {
    /// Table names (phrases) whose rows are health data.
    #[serde(default)]
    pub tables: Vec<String>,
    /// Schemas and tables of the database's own catalog (`information_schema.columns`): a
    /// query on them reads the database's structure, not its rows.
    #[serde(default)]
    pub catalog_tables: Vec<String>,
    /// Last words of a table name that make it a code list or lookup table (`icd10_codes`,
    /// `concept`): its rows are reference data.
    #[serde(default)]
    pub reference_table_heads: Vec<String>,
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct LangFile {
    #[serde(default)]
    pub sink: Vec<SinkSpec>,
    #[serde(default)]
    pub sanitizer: Vec<CallSpec>,
    #[serde(default)]
    pub source: Vec<SourceSpec>,
    #[serde(default)]
    pub clean: Vec<CallSpec>,
    #[serde(default)]
    pub client: Vec<ClientSpec>,
    #[serde(default)]
    pub emotion: Vec<EmotionSpec>,
    #[serde(default)]
    pub flow: FlowSpec,
    /// SDKs of this language's ecosystem for the audit's dependency list (`audit::deps`
    /// reads them; same fields as `patterns/dependencies.toml`, ecosystem implied).
    #[serde(default)]
    pub sdk: Vec<toml::Table>,
    #[serde(default)]
    pub storage: StorageSpec,
    #[serde(default)]
    pub routes: RouteSpec,
}

/// Web handlers and declarative HTTP clients declared by annotations (see
/// `crate::complete`).
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSpec {
    /// Annotations that make a method a handler, and where they hold its path (none: the
    /// class's prefix alone): Spring's `@GetMapping("/{id}")`, NestJS's `@Get(':id')`.
    #[serde(default)]
    pub handlers: Vec<DeclaredName>,
    /// Annotations on a class that prefix its handlers' paths (`@RequestMapping("/patients")`).
    #[serde(default)]
    pub prefixes: Vec<DeclaredName>,
    /// Annotations that make an interface a remote service's client, and where they hold its
    /// base URL (`@FeignClient(url = "…")`): each of its bodiless methods is a request, a call
    /// of the annotation's name, to the base URL joined with the method's mapping.
    #[serde(default)]
    pub clients: Vec<DeclaredName>,
    /// Routes served by where a file is (Next.js `app/api/patients/[id]/route.ts`).
    #[serde(default)]
    pub files: Vec<FileRoute>,
}

/// A framework that routes by file path: under `dir`, a file serves the path of its
/// directory (with `stems`: only files of those names) or of its own name (`index` serves
/// its directory), and its top-level `functions` handle the requests.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FileRoute {
    /// Directory segments the routed tree starts below (`app`, `pages/api`); the last place
    /// they occur in a file's path counts.
    pub dir: String,
    /// Written before the path under `dir` (`/api` for `pages/api`).
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub stems: Vec<String>,
    /// Directory names (globs) that are not part of the path: Next.js route groups `(*)`.
    #[serde(default)]
    pub omit: Vec<String>,
    pub functions: Vec<String>,
}

/// Where a mapped type names its storage table and a field its column: ORM annotations and
/// their arguments, class constants, the calls that map a field.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSpec {
    /// Tried in order; the first that names something wins.
    #[serde(default)]
    pub tables: Vec<DeclaredName>,
    #[serde(default)]
    pub columns: Vec<DeclaredName>,
    /// Where a field declares the entity it refers to (an ORM relation).
    #[serde(default)]
    pub relations: Vec<DeclaredName>,
    /// Where a type declares the record type it stands for (a serializer's `Meta.model`).
    #[serde(default)]
    pub models: Vec<DeclaredName>,
    /// Parameters of a class's methods typed by a class constant (`serializer` of a view
    /// whose `serializer_class` names the serializer).
    #[serde(default)]
    pub typed_params: Vec<TypedParam>,
}

/// A method parameter whose type the method's class names in a constant.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct TypedParam {
    pub param: String,
    pub constant: String,
}

/// Where a declaration names something: annotations and their arguments, class constants.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredName {
    /// Annotation (decorator, attribute, mapping call) simple names; `*` for any.
    #[serde(default)]
    pub annotations: Vec<String>,
    /// Their arguments that hold the name, in order of preference.
    #[serde(default)]
    pub args: Vec<ArgSel>,
    /// Class-level string constants that hold it, by dotted name in the class
    /// (`__tablename__`, `Meta.db_table`).
    #[serde(default)]
    pub constants: Vec<String>,
    /// Arguments by position may be plain names (`ForeignKey(Clinic)`), not only strings.
    #[serde(default)]
    pub names_by_position: bool,
}

impl DeclaredName {
    /// Whether this entry is about annotation `a`.
    pub fn names(&self, a: &crate::model::Annotation) -> bool {
        self.annotations.iter().any(|n| n == "*" || *n == a.name)
    }

    /// What annotation `a` names by this entry's arguments.
    pub fn value_of(&self, a: &crate::model::Annotation) -> Option<String> {
        self.args
            .iter()
            .find_map(|sel| match self.names_by_position {
                true => a.arg_or_name(sel),
                false => a.arg(sel),
            })
            .map(str::to_string)
    }

    /// What the first of `annotations` this entry is about names, or the first of its class
    /// constants present; an empty name is none.
    pub fn find(
        &self,
        annotations: &[crate::model::Annotation],
        constants: &[(String, String)],
    ) -> Option<String> {
        for c in &self.constants {
            if let Some((_, v)) = constants.iter().find(|(k, _)| k == c) {
                return Some(v.clone());
            }
        }
        annotations
            .iter()
            .filter(|a| self.names(a))
            .find_map(|a| self.value_of(a))
            .filter(|v| !v.is_empty())
    }
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SinkSpec {
    pub kind: SinkKind,
    #[serde(default)]
    pub provider: Option<String>,
    pub calls: Vec<String>,
    /// Values that carry data into the sink; empty = every argument.
    #[serde(default)]
    pub args: Vec<ArgSel>,
    /// Where the call names its URL, if it does.
    #[serde(default)]
    pub url_args: Vec<ArgSel>,
    /// The SDK's default host, when the code does not name one.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Only when the module imports one of these (path prefixes).
    #[serde(default)]
    pub imports_any: Vec<String>,
    /// Not when the module imports one of these (path prefixes): a framework whose client of
    /// the same shape talks to the application's own back end.
    #[serde(default)]
    pub imports_none: Vec<String>,
    /// Only when the call has one of these keyword arguments.
    #[serde(default)]
    pub kwargs_any: Vec<String>,
    /// Not when the call (or its builder chain) has one of these keyword arguments / methods.
    #[serde(default)]
    pub unless: Vec<String>,
    /// Only when these keyword arguments have these literal values.
    #[serde(default)]
    pub kwarg_equals: BTreeMap<String, String>,
    /// Where the model name is (for the AI register).
    #[serde(default)]
    pub model_args: Vec<ArgSel>,
    /// Only when the call passes one of these arguments (`df.to_csv(path)` writes a file;
    /// `df.to_csv()` returns a string).
    #[serde(default)]
    pub requires_args: Vec<ArgSel>,
    /// The file or buffer the call writes to (`df.to_csv(buf)`, `json.dump(obj, fp)`): when
    /// it is an in-memory buffer (`[flow] memory_buffers`), nothing is stored; the buffer
    /// holds what was written.
    #[serde(default)]
    pub into_args: Vec<ArgSel>,
    /// Only when the first argument's value has one of these types (globs): `writeln!(file, ..)`.
    #[serde(default)]
    pub arg0_types: Vec<String>,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CallSpec {
    pub calls: Vec<String>,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    pub calls: Vec<String>,
    pub category: String,
    /// The call parses its first argument (a message's text): the variable passed in holds
    /// that health data too (`hl7.parse(raw)` makes `raw` the message).
    #[serde(default)]
    pub parses_text: bool,
}

/// A constructor or configuration call that fixes a client's endpoint or TLS setting.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    pub calls: Vec<String>,
    #[serde(default)]
    pub provider: Option<String>,
    /// Keyword (or positional) arguments holding a URL / host / DSN / region.
    #[serde(default)]
    pub endpoint_args: Vec<ArgSel>,
    /// When true, the endpoint applies to the whole module (`sentry_sdk.init(dsn=...)`).
    #[serde(default)]
    pub module_wide: bool,
    /// The SDK's default endpoint, which the object keeps when no argument sets one, so that
    /// what is built from it (a LangChain `prompt | llm` chain) goes there too.
    #[serde(default)]
    pub endpoint: Option<String>,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct EmotionSpec {
    pub calls: Vec<String>,
    #[serde(default)]
    pub provider: Option<String>,
    /// Fires only if one of these literals appears among the call's (or chain's) arguments;
    /// empty = always.
    #[serde(default)]
    pub literal_any: Vec<String>,
    #[serde(default)]
    pub imports_any: Vec<String>,
}

/// A decorator that says what type a handler's parameter holds: Django's
/// `@receiver(post_save, sender=LabResult)` makes `instance` a `LabResult`.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DecoratorType {
    /// The decorator's name (its last segment).
    pub decorator: String,
    /// The decorator's keyword argument naming the type.
    pub type_arg: String,
    /// The parameter of that type.
    pub param: String,
}

#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlowSpec {
    /// Methods that initialise an instance (`__init__`, `new`): fields they set type `self.x`.
    #[serde(default)]
    pub constructors: Vec<String>,
    /// Method names whose arguments flow into the receiver (`append`, `push`).
    #[serde(default)]
    pub mutators: Vec<String>,
    /// Calls that make a writer over their first argument (`csv.writer(buf)`): what the
    /// writer writes goes there.
    #[serde(default)]
    pub writer_wrappers: Vec<String>,
    /// Calls (macros) that write their other arguments into the first one
    /// (`writeln!(text, "{patient}")`).
    #[serde(default)]
    pub buffer_writers: Vec<String>,
    /// Method names whose result is a key lookup: `x.get("diagnosis")` reads field `diagnosis`.
    #[serde(default)]
    pub getters: Vec<String>,
    /// Calls whose first string argument names what they make (`boto3.client("s3")`): the
    /// literal is kept in the path, `boto3.client(s3)`.
    #[serde(default)]
    pub service_calls: Vec<String>,
    /// Keyword arguments / builder methods that switch TLS verification off, as `name=value`
    /// (`verify=False`, `danger_accept_invalid_certs=true`).
    #[serde(default)]
    pub insecure: Vec<String>,
    /// Library calls whose result carries their arguments' data (formatting, serialisation,
    /// copies, containers). Other library calls pass no health data on.
    #[serde(default)]
    pub passthrough: Vec<String>,
    /// Method names whose result carries the receiver's and the arguments' data, whatever the
    /// receiver (`strip`, `to_dict`, `fetchall`, `clone`).
    #[serde(default)]
    pub passthrough_methods: Vec<String>,
    /// Attribute names that say nothing about a person, even on health data (`shape`,
    /// `status_code`, `returncode`, `stop_reason`).
    #[serde(default)]
    pub derived_attrs: Vec<String>,
    /// Calls whose result holds their input's items unchanged (`list`, `sorted`, `enumerate`,
    /// `*.iter`): a project record type carries through them to the items.
    #[serde(default)]
    pub item_passthrough: Vec<String>,
    /// Calls whose items are (index, item) pairs (`enumerate`): the index is a count.
    #[serde(default)]
    pub indexed_items: Vec<String>,
    /// Calls whose items are (key, item) pairs (`dict.items()`, `Object.entries`): the key is
    /// a field name or a map's key, health data only when named as the patient's identifier.
    #[serde(default)]
    pub keyed_items: Vec<String>,
    /// Attributes that hold a health value's content (`choices`, `content`, `body`, `data`):
    /// read from health data that is not a whole record, they are health data too; other
    /// attributes of such values (metadata, configuration) are not.
    #[serde(default)]
    pub content_attrs: Vec<String>,
    /// Method names that read records from a store or a model class
    /// (`Patient.objects.filter(...)`, `session.query(Patient).all()`).
    #[serde(default)]
    pub record_reads: Vec<String>,
    /// HTTP calls that read (GET) unless an option says otherwise (`fetch(url)`, not
    /// `fetch(url, { method: 'POST' })`).
    #[serde(default)]
    pub get_by_default: Vec<String>,
    /// Attributes of an HTTP answer that say the request succeeded (`response.ok`): where
    /// it did not, the answer's body is an error message, not the records asked for.
    #[serde(default)]
    pub success_flags: Vec<String>,
    /// Attributes of an HTTP answer that say the request failed (`response.is_error`).
    #[serde(default)]
    pub failure_flags: Vec<String>,
    /// Attributes or methods of an HTTP answer that hold its status code (`status_code`,
    /// `status()`): compared with a code, they say whether the request succeeded.
    #[serde(default)]
    pub status_fields: Vec<String>,
    /// Constructors of in-memory files (`io.StringIO`): writing into one stores nothing.
    #[serde(default)]
    pub memory_buffers: Vec<String>,
    /// Module-level request objects of web frameworks (`flask.request`): in a handler of a
    /// patient route, what they carry is that patient's data.
    #[serde(default)]
    pub request_globals: Vec<String>,
    /// A view's request parameter (Django, DRF: `def view(request, patient_id)`), and the
    /// attributes of it that hold what the client sent: in a view about one patient (a
    /// parameter names the patient's identifier) they are that patient's data.
    #[serde(default)]
    pub request_params: Vec<String>,
    #[serde(default)]
    pub request_content: Vec<String>,
    /// Methods that check one field of a form or serializer, named after it
    /// (`validate_<field>(self, value)` in DRF): their one argument is that field's value.
    #[serde(default)]
    pub field_validators: Vec<String>,
    /// Decorators that type a handler's parameter (`@receiver(post_save, sender=LabResult)`).
    #[serde(default)]
    pub decorator_types: Vec<DecoratorType>,
    /// Files: calls that open a path (`open(path, "w")`), methods that open their receiver
    /// (`path.open("rb")`), and methods that read or write their receiver's whole content
    /// (`path.read_text()`, `path.write_text(data)`). What was written to a path is read back.
    #[serde(default)]
    pub file_openers: Vec<String>,
    /// The open mode: its keyword (else the argument after the path), and the letters that
    /// open for writing (`"w"`, `"a+"`).
    #[serde(default)]
    pub file_mode_arg: Option<String>,
    #[serde(default)]
    pub file_write_modes: Vec<String>,
    #[serde(default)]
    pub file_open_methods: Vec<String>,
    #[serde(default)]
    pub file_readers: Vec<String>,
    #[serde(default)]
    pub file_writers: Vec<String>,
    /// Calls that give back the same path in another form (`str(path)`, `os.fspath(path)`).
    #[serde(default)]
    pub file_path_wrappers: Vec<String>,
    /// Types of numbers and flags: a value of one says nothing about what a text around it
    /// describes (`under {max_words} words`).
    #[serde(default)]
    pub number_types: Vec<String>,
    /// Calls (globs) that read the files whose paths they are given and send their content
    /// (`s3.upload_file(path, …)`, a speech model's `transcribe(path)`).
    #[serde(default)]
    pub file_senders: Vec<String>,
    /// Calls (globs) that call the function they are given with the arguments after it
    /// (`background_tasks.add_task(send, record)`, `loop.run_in_executor(None, send, record)`).
    #[serde(default)]
    pub invokers: Vec<String>,
    /// Calls (globs, as written) that make an empty container when given no arguments
    /// (`HashMap::new()`, `dict()`): a field or key initialised with one holds nothing yet.
    #[serde(default)]
    pub empty_containers: Vec<String>,
    /// Methods that return their receiver's text unchanged (`HOOK.to_string()`).
    #[serde(default)]
    pub text_copies: Vec<String>,
    /// Methods that fill in or edit a text (`SQL.format(schema=s)`): a query stays that query.
    #[serde(default)]
    pub query_edits: Vec<String>,
    /// Methods that read one segment of an HL7 v2 message by its name (`msg.segment("PID")`).
    #[serde(default)]
    pub segment_getters: Vec<String>,
    /// Segments about the message, not the person (`MSH`: sender, type, control id).
    #[serde(default)]
    pub header_segments: Vec<String>,
    /// Names of module constants worth parsing their file for, when a file imports one from a
    /// file not parsed yet (`LAB_BRIDGE_URL`, `COHORT_SQL`).
    #[serde(default)]
    pub wanted_constants: Vec<String>,
    /// Calls that read an environment variable with a default (`os.getenv("URL", "http://..")`):
    /// a settings field they initialise has that default.
    #[serde(default)]
    pub env_readers: Vec<String>,
    /// Methods that refine a query and keep what it returns (`order_by`, `limit`): records
    /// of a model stay records of that model through them.
    #[serde(default)]
    pub query_refiners: Vec<String>,
    /// Aggregate functions of query builders (`Count("id")`, `func.count()`): a query or
    /// grouping given one returns counts per group, not records.
    #[serde(default)]
    pub aggregate_calls: Vec<String>,
    /// Hash functions without a key (`hashlib.sha256`): sanitisers, except for a direct
    /// identifier, whose digest is reversed by brute force.
    #[serde(default)]
    pub unkeyed_hashes: Vec<String>,
    /// Keyword arguments that give such a hash a key (`hashlib.blake2b(data, key=secret)`).
    #[serde(default)]
    pub hash_key_args: Vec<String>,
    /// Calls that wrap a query's text in a query object without running it
    /// (`sqlalchemy.text(sql)`): the result is still the query.
    #[serde(default)]
    pub query_builders: Vec<String>,
    /// Words that in this language's code also name the application's own server in a base
    /// URL (`[own_server]`): a browser app's `API_URL` is its own backend.
    #[serde(default)]
    pub own_server_words: Vec<String>,
    /// Prefixes a build tool puts on variables it exposes to the browser (`VITE_`,
    /// `REACT_APP_`): not part of what the variable names.
    #[serde(default)]
    pub env_prefixes: Vec<String>,
    /// Class attributes that query a model's records (Django's `Model.objects`): on a
    /// health-record type, imported or not, what they return is that type's records.
    #[serde(default)]
    pub managers: Vec<String>,
    /// Generic types around the type a value has (`Optional[X]`, `Promise<X>`): neither an
    /// alternative of a declared union nor the client a getter returns.
    #[serde(default)]
    pub type_wrappers: Vec<String>,
    /// Dotted names of the page's own origin (`location.origin`, also as the end of a longer
    /// path: `window.location.host`): a URL built on one is a path on the app's own server.
    #[serde(default)]
    pub page_origins: Vec<String>,
    /// Methods of a schema object that return what they validate as a record of the
    /// schema's type (zod's `intakeSchema.parse(body)`, `safeParse`).
    #[serde(default)]
    pub schema_parsers: Vec<String>,
    /// Methods of a manager's queries that return one record (`get`, `first`).
    #[serde(default)]
    pub record_getters: Vec<String>,
    /// Members of a table's module that stand for its rows in a query (Diesel's
    /// `patients::table`): a query on a health table reads its records.
    #[serde(default)]
    pub table_handles: Vec<String>,
    /// Parameter types and defaults injected by web frameworks, never request data
    /// (`Session`, `Depends`).
    #[serde(default)]
    pub injected: Vec<String>,
    /// Declared field types of a library's client, service or settings object (`*Client`,
    /// `*Service`): a record's field of such a type holds no data of the person. A field typed
    /// as a package's default export (`stripeClient: Stripe` with `import Stripe from 'stripe'`)
    /// is one too.
    #[serde(default)]
    pub handle_types: Vec<String>,
    /// Methods whose closure receives an error, not the receiver's data (`map_err`).
    #[serde(default)]
    pub error_callbacks: Vec<String>,
    /// Parameter types of scalar query options, not request bodies (`str`, `int`).
    #[serde(default)]
    pub scalar_types: Vec<String>,
    /// Declared types of a flag (`bool`, `boolean`): a record's field of such a type says
    /// yes or no about the record, not what it holds.
    #[serde(default)]
    pub flag_types: Vec<String>,
    /// Names that are constants when nothing binds them (`None`).
    #[serde(default)]
    pub null_names: Vec<String>,
    /// Type wrappers that mean "an X or nothing" (`Optional[X]`, `Option<X>`), or that a value
    /// is used through as an X (`Arc<X>`, `web::Data<X>`): a value so typed is an X.
    #[serde(default)]
    pub optional_types: Vec<String>,
    /// Path roots that name the project's own modules (`crate`, `super`).
    #[serde(default)]
    pub module_roots: Vec<String>,
    /// How a method names its own instance in calls (`self.f()`), its class (`cls.f()`,
    /// `Self::f()`) and its base class (`super().f()`).
    #[serde(default)]
    pub instance_receivers: Vec<String>,
    #[serde(default)]
    pub class_receivers: Vec<String>,
    #[serde(default)]
    pub base_receivers: Vec<String>,
    /// Methods that run a query on a cursor (`cur.execute(sql)`): run with a query that reads
    /// no health data, the cursor holds that query's rows, not earlier ones.
    #[serde(default)]
    pub query_methods: Vec<String>,
    /// Calls that run their arguments (or the items of their one list argument) and return
    /// the results in order (`Promise.all`, `asyncio.gather`): unpacked, each name gets its
    /// own item's value.
    #[serde(default)]
    pub gather: Vec<String>,
    /// Keyword arguments of methods that configure the call, not data it returns
    /// (`sorted(rows, key=...)`, `d.get(k, default=...)`).
    #[serde(default)]
    pub option_keywords: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointFile {
    #[serde(default)]
    pub host: Vec<HostSpec>,
    #[serde(default)]
    pub region: RegionSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostSpec {
    /// Host glob (`*.ingest.sentry.io`).
    pub hosts: Vec<String>,
    pub provider: String,
    /// `eu` (EU/EEA), `non-eu`, or `unknown`.
    pub zone: Zone,
    /// What sending data to this host is: `ai-model`, `tracking`, `third-party`.
    #[serde(default)]
    pub kind: Option<SinkKind>,
}

#[derive(
    Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Zone {
    Eu,
    NonEu,
    Unknown,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSpec {
    /// Cloud region name globs inside the EU/EEA (`eu-*`, `europe-*`).
    #[serde(default)]
    pub eu: Vec<String>,
    /// Region globs outside it (`us-*`, `ap-*`).
    #[serde(default)]
    pub non_eu: Vec<String>,
}

// ---------- compiled forms ----------

/// A set of call globs; `entry[i]` says which spec pattern `i` belongs to. Nothing is
/// compiled: patterns are indexed by their last `.`-separated segment when it is literal
/// (`*.chat.completions.create` by `create`), so a lookup tries only the few patterns that
/// can match plus the ones without a literal last segment.
#[derive(Debug)]
pub struct GlobIndex {
    globs: Vec<String>,
    entry: Vec<usize>,
    /// Whether pattern `i` starts with `*` (a generic pattern).
    generic: Vec<bool>,
    by_last: rustc_hash::FxHashMap<String, Vec<usize>>,
    /// Patterns whose last segment has a wildcard and no literal text (`*`): always tried.
    unkeyed: Vec<usize>,
    /// Patterns whose last segment has a wildcard, tried when their longest literal run
    /// occurs in the text: pattern `unkeyed_lit[k]` has needle `k` of `unkeyed_ac`.
    unkeyed_lit: Vec<usize>,
    unkeyed_ac: Option<aho_corasick::AhoCorasick>,
    /// Per pattern, its longest run of literal text: a text that lacks it cannot match.
    needle: Vec<String>,
    /// Per pattern, the byte lengths of its literal head and tail (None: no wildcard).
    ends: Vec<Option<(usize, usize)>>,
}

/// The longest run of literal text in a glob (`pseudonymi` in `*pseudonymi?e*`).
fn longest_literal(glob: &str) -> String {
    glob.split(['*', '?'])
        .max_by_key(|p| p.len())
        .unwrap_or("")
        .to_string()
}

/// The literal last segment every text a glob matches ends with, if it has one.
fn glob_key(glob: &str) -> Option<&str> {
    let last = glob.rsplit('.').next().unwrap_or(glob);
    (!last.contains(['*', '?'])).then_some(last)
}

fn last_segment(text: &str) -> &str {
    text.rsplit('.').next().unwrap_or(text)
}

impl GlobIndex {
    fn build<'a>(
        file: &str,
        groups: impl Iterator<Item = (usize, &'a [String])>,
    ) -> Result<GlobIndex, PatternError> {
        let mut idx = GlobIndex {
            globs: Vec::new(),
            entry: Vec::new(),
            generic: Vec::new(),
            by_last: rustc_hash::FxHashMap::default(),
            unkeyed: Vec::new(),
            unkeyed_lit: Vec::new(),
            unkeyed_ac: None,
            needle: Vec::new(),
            ends: Vec::new(),
        };
        for (i, pats) in groups {
            for p in pats {
                let n = idx.globs.len();
                match glob_key(p) {
                    Some(k) => idx.by_last.entry(k.to_string()).or_default().push(n),
                    None => idx.unkeyed.push(n),
                }
                idx.needle.push(longest_literal(p));
                idx.ends.push(
                    p.find(['*', '?'])
                        .zip(p.rfind(['*', '?']))
                        .map(|(first, last)| (first, p.len() - last - 1)),
                );
                idx.globs.push(p.clone());
                idx.entry.push(i);
                idx.generic.push(p.starts_with('*'));
            }
        }
        // One pass over a text finds which wildcard patterns' literal runs it holds.
        let (lit, bare): (Vec<usize>, Vec<usize>) = std::mem::take(&mut idx.unkeyed)
            .into_iter()
            .partition(|&n| !idx.needle[n].is_empty());
        idx.unkeyed = bare;
        if !lit.is_empty() {
            let ac = aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(lit.iter().map(|&n| idx.needle[n].as_str()))
                .map_err(|e| PatternError::Toml {
                    file: file.to_string(),
                    message: format!("call globs: {e}"),
                })?;
            idx.unkeyed_ac = Some(ac);
        }
        idx.unkeyed_lit = lit;
        Ok(idx)
    }

    /// Indices of the patterns matching `path`.
    fn matching<'s>(&'s self, path: &'s str) -> impl Iterator<Item = usize> + 's {
        let keyed = self
            .by_last
            .get(last_segment(path))
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        let mut lit: Vec<usize> = match &self.unkeyed_ac {
            Some(ac) => ac
                .find_overlapping_iter(path)
                .map(|m| self.unkeyed_lit[m.pattern().as_usize()])
                .collect(),
            None => Vec::new(),
        };
        lit.sort_unstable();
        lit.dedup();
        let keyed = keyed.iter().copied().filter(move |&i| {
            self.ends_fit(i, path)
                && path.contains(self.needle[i].as_str())
                && glob_match(&self.globs[i], path)
        });
        let unkeyed = self
            .unkeyed
            .iter()
            .copied()
            .chain(lit)
            .filter(move |&i| self.ends_fit(i, path) && glob_match(&self.globs[i], path));
        keyed.chain(unkeyed)
    }

    /// A quick necessary condition for a match: the glob's literal head and tail (measured
    /// once) are the text's.
    fn ends_fit(&self, i: usize, text: &str) -> bool {
        let g = &self.globs[i];
        match self.ends[i] {
            None => g == text,
            Some((h, t)) => {
                text.len() >= h + t
                    && text.as_bytes().starts_with(&g.as_bytes()[..h])
                    && text.as_bytes().ends_with(&g.as_bytes()[g.len() - t..])
            }
        }
    }

    /// Spec entries matched by any of `paths`, without duplicates: entries matched by a
    /// pattern that does not start with `*` (a specific path) first, then the rest, each
    /// group in declaration order.
    pub fn matches(&self, paths: &[&str]) -> Vec<usize> {
        let mut out: Vec<(bool, usize)> = Vec::new();
        for p in paths {
            for m in self.matching(p) {
                out.push((self.generic[m], self.entry[m]));
            }
        }
        out.sort_unstable();
        let mut seen = std::collections::HashSet::new();
        out.into_iter()
            .filter(|(_, e)| seen.insert(*e))
            .map(|(_, e)| e)
            .collect()
    }

    /// The last-declared entry matching `path`.
    pub fn last_match(&self, path: &str) -> Option<usize> {
        self.matching(path).map(|m| self.entry[m]).max()
    }

    pub fn is_match(&self, paths: &[&str]) -> bool {
        paths.iter().any(|p| self.matching(p).next().is_some())
    }
}

/// Whether `text` matches `glob` as [`glob_to_regex`] defines it: `*` is any run of
/// characters and `?` any one character, neither matching a newline.
pub fn glob_match(glob: &str, text: &str) -> bool {
    if glob.is_ascii() && text.is_ascii() && !text.contains('\n') {
        return wildcard(glob.as_bytes(), text.as_bytes());
    }
    let g: Vec<char> = glob.chars().collect();
    let t: Vec<char> = text.chars().collect();
    if !text.contains('\n') {
        return wildcard(&g, &t);
    }
    // Wildcards stop at newlines: dynamic programming over (glob, text) prefixes.
    let mut row = vec![false; t.len() + 1];
    row[0] = true;
    for &gc in &g {
        let mut next = vec![false; t.len() + 1];
        for j in 0..=t.len() {
            next[j] = match gc {
                '*' => row[j] || (j > 0 && next[j - 1] && t[j - 1] != '\n'),
                '?' => j > 0 && row[j - 1] && t[j - 1] != '\n',
                c => j > 0 && row[j - 1] && t[j - 1] == c,
            };
        }
        row = next;
    }
    row[t.len()]
}

/// Greedy wildcard matching with one backtrack point (text without newlines).
fn wildcard<T: Copy + PartialEq + From<u8>>(g: &[T], t: &[T]) -> bool {
    let (star, any) = (T::from(b'*'), T::from(b'?'));
    let (mut gi, mut ti) = (0usize, 0usize);
    let mut back: Option<(usize, usize)> = None;
    while ti < t.len() {
        if gi < g.len() && g[gi] == star {
            back = Some((gi, ti));
            gi += 1;
        } else if gi < g.len() && (g[gi] == any || g[gi] == t[ti]) {
            gi += 1;
            ti += 1;
        } else if let Some((bg, bt)) = back {
            gi = bg + 1;
            ti = bt + 1;
            back = Some((bg, bt + 1));
        } else {
            return false;
        }
    }
    g[gi..].iter().all(|&c| c == star)
}

/// `*` matches any text, `?` any one character; everything else is literal.
pub fn glob_to_regex(glob: &str) -> String {
    let mut re = String::from("^");
    let mut lit = String::new();
    for ch in glob.chars() {
        if ch == '*' || ch == '?' {
            re.push_str(&regex::escape(&lit));
            lit.clear();
            re.push_str(if ch == '*' { ".*" } else { "." });
        } else {
            lit.push(ch);
        }
    }
    re.push_str(&regex::escape(&lit));
    re.push('$');
    re
}

/// [`glob_to_regex`] for the byte-oriented sets: `*` is any run of bytes but a newline,
/// which on UTF-8 input matches exactly what `.*` does, with a far smaller automaton than
/// Unicode `.` (faster to build and to search); `?` stays one character.
fn glob_to_set_regex(glob: &str) -> String {
    let mut re = String::from("^");
    let mut lit = String::new();
    for ch in glob.chars() {
        if ch == '*' || ch == '?' {
            re.push_str(&regex::escape(&lit));
            lit.clear();
            re.push_str(if ch == '*' { "(?-u:.)*" } else { "." });
        } else {
            lit.push(ch);
        }
    }
    re.push_str(&regex::escape(&lit));
    re.push('$');
    re
}

/// Compiled patterns for one language.
#[derive(Debug)]
pub struct LangPatterns {
    pub file: LangFile,
    pub sinks: GlobIndex,
    pub sanitizers: GlobIndex,
    pub sources: GlobIndex,
    pub clean: GlobIndex,
    pub clients: GlobIndex,
    pub emotion: GlobIndex,
    pub passthrough: GlobIndex,
    /// `[flow] file_senders`.
    pub file_senders: GlobIndex,
    /// `[flow] invokers`.
    pub invokers: GlobIndex,
    /// What the sink, source and client calls are made on: each pattern cut before one of
    /// its later segments (`boto3.client(kinesis)` of `boto3.client(kinesis).put_record`).
    pub receivers: GlobIndex,
}

/// The receivers of a call glob: its prefixes ending before each `.` outside parentheses,
/// when they hold some literal text beyond the wildcards and dots.
fn receiver_globs(glob: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    for (i, ch) in glob.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            '.' if depth == 0 && i > 0 => {
                let head = &glob[..i];
                if head.chars().any(|c| !matches!(c, '*' | '?' | '.')) {
                    out.push(head.to_string());
                }
            }
            _ => {}
        }
    }
    out
}

/// A pattern entry that names calls.
trait Calls {
    fn calls(&self) -> &[String];
}

macro_rules! impl_calls {
    ($($t:ty),*) => {$(impl Calls for $t {
        fn calls(&self) -> &[String] {
            &self.calls
        }
    })*};
}
impl_calls!(SinkSpec, CallSpec, SourceSpec, ClientSpec, EmotionSpec);

/// Index the call globs of a list of entries; a match gives the entry's position.
fn index_calls<T: Calls>(file: &str, entries: &[T]) -> Result<GlobIndex, PatternError> {
    GlobIndex::build(
        file,
        entries.iter().enumerate().map(|(i, e)| (i, e.calls())),
    )
}

impl LangPatterns {
    pub fn compile(name: &str, file: LangFile) -> Result<LangPatterns, PatternError> {
        let sinks = index_calls(name, &file.sink)?;
        let sanitizers = index_calls(name, &file.sanitizer)?;
        let sources = index_calls(name, &file.source)?;
        let clean = index_calls(name, &file.clean)?;
        let clients = index_calls(name, &file.client)?;
        let emotion = index_calls(name, &file.emotion)?;
        let passthrough = GlobIndex::build(name, std::iter::once((0, &file.flow.passthrough[..])))?;
        let file_senders =
            GlobIndex::build(name, std::iter::once((0, &file.flow.file_senders[..])))?;
        let invokers = GlobIndex::build(name, std::iter::once((0, &file.flow.invokers[..])))?;
        let mut heads: Vec<String> = file
            .sink
            .iter()
            .map(|e| e.calls())
            .chain(file.source.iter().map(|e| e.calls()))
            .chain(file.client.iter().map(|e| e.calls()))
            .flatten()
            .flat_map(|g| receiver_globs(g))
            .collect();
        heads.sort();
        heads.dedup();
        let receivers = GlobIndex::build(name, std::iter::once((0, &heads[..])))?;
        Ok(LangPatterns {
            passthrough,
            file_senders,
            invokers,
            receivers,
            file,
            sinks,
            sanitizers,
            sources,
            clean,
            clients,
            emotion,
        })
    }
}

/// Compiled endpoint catalog.
#[derive(Debug)]
pub struct Endpoints {
    pub file: EndpointFile,
    hosts: GlobIndex,
    eu_regions: RegexSet,
    non_eu_regions: RegexSet,
    /// Exact (glob-free) non-EU names, checked first: `eu-west-2` is London.
    non_eu_exact: RegexSet,
}

impl Endpoints {
    pub fn compile(name: &str, file: EndpointFile) -> Result<Endpoints, PatternError> {
        let hosts = GlobIndex::build(
            name,
            file.host.iter().enumerate().map(|(i, h)| (i, &h.hosts[..])),
        )?;
        let set = |globs: &[String]| {
            RegexSet::new(globs.iter().map(|g| glob_to_set_regex(g))).map_err(|e| {
                PatternError::Glob {
                    file: name.to_string(),
                    pattern: globs.join(", "),
                    message: e.to_string(),
                }
            })
        };
        let eu_regions = set(&file.region.eu)?;
        let non_eu_regions = set(&file.region.non_eu)?;
        let exact: Vec<String> = file
            .region
            .non_eu
            .iter()
            .filter(|g| !g.contains('*'))
            .cloned()
            .collect();
        let non_eu_exact = set(&exact)?;
        Ok(Endpoints {
            file,
            hosts,
            eu_regions,
            non_eu_regions,
            non_eu_exact,
        })
    }

    /// The catalog entry for a host; the most specific (last declared) wins.
    pub fn host(&self, host: &str) -> Option<&HostSpec> {
        let host = host.to_ascii_lowercase();
        self.hosts.last_match(&host).map(|i| &self.file.host[i])
    }

    pub fn region_zone(&self, region: &str) -> Option<Zone> {
        let r = region.to_ascii_lowercase();
        let r = r.as_bytes();
        if self.non_eu_exact.is_match(r) {
            Some(Zone::NonEu)
        } else if self.eu_regions.is_match(r) {
            Some(Zone::Eu)
        } else if self.non_eu_regions.is_match(r) {
            Some(Zone::NonEu)
        } else {
            None
        }
    }
}

/// Everything the engine knows, compiled.
#[derive(Debug)]
pub struct Catalog {
    pub lexicon: LexiconFile,
    /// Per language, in the language table's order.
    langs: Vec<LangPatterns>,
    pub endpoints: Endpoints,
}

pub const LEXICON_TOML: &str = include_str!("../patterns/lexicon.toml");
pub const ENDPOINTS_TOML: &str = include_str!("../patterns/endpoints.toml");

/// `extra` over `base`: tables merged key by key, lists concatenated (`extra`'s first), other
/// values from `extra`.
fn merge_values(extra: toml::Value, base: toml::Value) -> toml::Value {
    match (extra, base) {
        (toml::Value::Table(mut e), toml::Value::Table(b)) => {
            for (k, bv) in b {
                let merged = match e.remove(&k) {
                    Some(ev) => merge_values(ev, bv),
                    None => bv,
                };
                e.insert(k, merged);
            }
            toml::Value::Table(e)
        }
        (toml::Value::Array(mut e), toml::Value::Array(b)) => {
            e.extend(b);
            toml::Value::Array(e)
        }
        (e, _) => e,
    }
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T, PatternError> {
    toml::from_str(text).map_err(|e| PatternError::Toml {
        file: name.to_string(),
        message: e.to_string(),
    })
}

impl Catalog {
    /// The embedded catalog.
    pub fn embedded() -> Result<Catalog, PatternError> {
        Ok(Catalog {
            lexicon: parse("patterns/lexicon.toml", LEXICON_TOML)?,
            langs: Lang::all()
                .map(|l| {
                    let name = format!("patterns/{}.toml", l.name());
                    LangPatterns::compile(&name, parse(&name, l.patterns())?)
                })
                .collect::<Result<_, _>>()?,
            endpoints: Endpoints::compile(
                "patterns/endpoints.toml",
                parse("patterns/endpoints.toml", ENDPOINTS_TOML)?,
            )?,
        })
    }

    /// The embedded catalog with a configuration's additions. Added entries come first, so
    /// they win over embedded ones for the same call; added EU hosts are declared last, so
    /// they win over embedded host entries.
    pub fn with_extensions(mut ext: crate::config::Extensions) -> Result<Catalog, PatternError> {
        let merge = |name: &str, text: &str, extra: Option<LangFile>| {
            let file = match extra {
                None => parse(name, text)?,
                // Every list of the configuration's section goes before the embedded one, so
                // its entries win for the same call; no field can be forgotten.
                Some(e) => {
                    let toml_err = |message: String| PatternError::Toml {
                        file: name.to_string(),
                        message,
                    };
                    let base: toml::Value = parse(name, text)?;
                    let extra = toml::Value::try_from(&e).map_err(|e| toml_err(e.to_string()))?;
                    merge_values(extra, base)
                        .try_into()
                        .map_err(|e: toml::de::Error| toml_err(e.to_string()))?
                }
            };
            LangPatterns::compile(name, file)
        };
        let mut endpoints: EndpointFile = parse("patterns/endpoints.toml", ENDPOINTS_TOML)?;
        if !ext.eu_hosts.is_empty() {
            endpoints.host.push(HostSpec {
                hosts: ext.eu_hosts,
                provider: "EU endpoint (configuration)".into(),
                zone: Zone::Eu,
                kind: None,
            });
        }
        Ok(Catalog {
            lexicon: parse("patterns/lexicon.toml", LEXICON_TOML)?,
            langs: Lang::all()
                .map(|l| {
                    let name = format!("patterns/{}.toml", l.name());
                    merge(&name, l.patterns(), ext.langs.remove(l.name()))
                })
                .collect::<Result<_, _>>()?,
            endpoints: Endpoints::compile("patterns/endpoints.toml", endpoints)?,
        })
    }

    pub fn lang(&self, lang: Lang) -> &LangPatterns {
        &self.langs[lang.index()]
    }

    /// Every language's patterns, in the language table's order.
    pub fn langs(&self) -> impl Iterator<Item = &LangPatterns> {
        self.langs.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_sections_extend_every_list() {
        let extra: LangFile = toml::from_str(
            "[[sink]]\nkind = \"third-party\"\ncalls = [\"acme.push\"]\n\n[flow]\nmutators = [\"stash\"]\n",
        )
        .expect("parses");
        let ext = crate::config::Extensions {
            langs: [("python".to_string(), extra)].into(),
            ..Default::default()
        };
        let merged = Catalog::with_extensions(ext).expect("merges");
        let base = Catalog::embedded().expect("loads");
        let python = Lang::by_name("python").expect("registered");
        let rust = Lang::by_name("rust").expect("registered");
        let (m, b) = (&merged.lang(python).file, &base.lang(python).file);
        assert_eq!(m.sink.len(), b.sink.len() + 1);
        assert_eq!(m.sink[0].calls, vec!["acme.push".to_string()]);
        assert_eq!(m.flow.mutators[0], "stash");
        assert_eq!(m.flow.mutators.len(), b.flow.mutators.len() + 1);
        // Lists the section does not mention stay whole.
        assert_eq!(m.flow.constructors, b.flow.constructors);
        assert_eq!(m.flow.passthrough_methods, b.flow.passthrough_methods);
        assert_eq!(m.source.len(), b.source.len());
        assert_eq!(
            merged.lang(rust).file.sink.len(),
            base.lang(rust).file.sink.len()
        );
    }

    #[test]
    fn embedded_catalog_loads() {
        let c = Catalog::embedded().expect("embedded patterns must load");
        for l in Lang::all() {
            assert!(!c.lang(l).file.sink.is_empty(), "{}", l.name());
        }
    }

    #[test]
    fn byte_sets_match_what_unicode_globs_match() {
        let globs = [
            "*.chat.completions.create",
            "requests.?et",
            "*é*",
            "a?c",
            "*",
            "x.*.y",
        ];
        let texts = [
            "client.chat.completions.create",
            "requests.get",
            "requests.gét",
            "café.x",
            "aéc",
            "abc",
            "a\nc",
            "x.a.b.y",
            "",
            "x..y",
        ];
        for g in globs {
            let u = regex::Regex::new(&glob_to_regex(g)).unwrap();
            let b = regex::bytes::Regex::new(&glob_to_set_regex(g)).unwrap();
            for t in texts {
                assert_eq!(u.is_match(t), b.is_match(t.as_bytes()), "{g} on {t:?}");
            }
        }
    }

    /// The glob matcher agrees with the regex definition of globs on random input.
    #[test]
    fn glob_match_agrees_with_regex() {
        let mut x: u64 = 42;
        let mut rnd = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let alpha = ['a', 'b', '.', 'é', '\n', '*', '?'];
        for _ in 0..3_000 {
            let g: String = (0..rnd(7)).map(|_| alpha[rnd(7) as usize]).collect();
            let t: String = (0..rnd(9)).map(|_| alpha[rnd(5) as usize]).collect();
            let re = regex::Regex::new(&glob_to_regex(&g)).unwrap();
            assert_eq!(glob_match(&g, &t), re.is_match(&t), "{g:?} on {t:?}");
            // The index's quick rejections (literal ends, longest literal run) never reject
            // a match.
            let one = [g.clone()];
            let idx = GlobIndex::build("test", std::iter::once((0, &one[..]))).unwrap();
            assert_eq!(
                idx.is_match(&[t.as_str()]),
                re.is_match(&t),
                "{g:?} on {t:?}"
            );
        }
    }

    #[test]
    fn globs_match_paths() {
        let re = regex::Regex::new(&glob_to_regex("*.chat.completions.create")).unwrap();
        assert!(re.is_match("client.chat.completions.create"));
        assert!(re.is_match("openai.OpenAI().chat.completions.create"));
        assert!(!re.is_match("chat.completions.create_x"));
    }

    #[test]
    fn endpoint_zones() {
        let c = Catalog::embedded().unwrap();
        assert_eq!(
            c.endpoints.host("api.openai.com").unwrap().zone,
            Zone::NonEu
        );
        assert_eq!(
            c.endpoints.host("eu.api.openai.com").unwrap().zone,
            Zone::Eu
        );
        assert_eq!(c.endpoints.region_zone("eu-west-3"), Some(Zone::Eu));
        assert_eq!(c.endpoints.region_zone("us-east-1"), Some(Zone::NonEu));
        assert_eq!(c.endpoints.region_zone("eu-west-2"), Some(Zone::NonEu));
        assert_eq!(
            c.endpoints.host("o1.ingest.de.sentry.io").unwrap().zone,
            Zone::Eu
        );
        assert_eq!(
            c.endpoints.host("o1.ingest.sentry.io").unwrap().zone,
            Zone::NonEu
        );
    }
}
