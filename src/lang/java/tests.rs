//! Lowering tests for the Java adapter.

use crate::lang::Lang;
use crate::model::testing::all_exprs;
use crate::model::{ArgKind, ExprKind, Module, ParamKind, Stmt, Target};

/// Lowered and completed with the embedded patterns (routes, clients, storage), as a scan does.
fn lower(src: &str) -> Module {
    let lang = Lang::by_name("java").expect("java is registered");
    crate::complete::lower_embedded(lang, src).expect("lowers")
}

/// Dotted callees of every call, in document order.
fn callees(m: &Module) -> Vec<String> {
    all_exprs(m)
        .into_iter()
        .filter_map(|e| match &e.kind {
            ExprKind::Call(c) => c.callee.dotted(),
            _ => None,
        })
        .collect()
}

fn function<'m>(m: &'m Module, name: &str) -> &'m crate::model::Function {
    m.functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function {name}"))
}

#[test]
fn imports_single_on_demand_and_static() {
    let m = lower(
        "package com.acme.care;\nimport org.slf4j.Logger;\nimport java.util.*;\nimport static io.sentry.Sentry.captureMessage;\nclass A {}\n",
    );
    let got: Vec<(&str, &str)> = m
        .imports
        .iter()
        .map(|i| (i.path.as_str(), i.alias.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("org.slf4j.Logger", "Logger"),
            ("java.util", "*"),
            ("io.sentry.Sentry.captureMessage", "captureMessage"),
        ]
    );
}

#[test]
fn same_package_types_are_imported_from_the_package() {
    let m = lower(
        "package com.acme.care;\nimport com.acme.model.Patient;\nclass Svc {\n  Report r(Patient p) { return ReportMapper.from(p); }\n}\n",
    );
    let paths: Vec<&str> = m.imports.iter().map(|i| i.path.as_str()).collect();
    assert!(paths.contains(&"com.acme.care.Report"), "{paths:?}");
    assert!(paths.contains(&"com.acme.care.ReportMapper"), "{paths:?}");
    assert!(paths.contains(&"com.acme.model.Patient"));
    assert!(!paths.iter().any(|p| p.ends_with(".String") || p.ends_with(".Svc")));
}

#[test]
fn module_names_are_the_files_and_the_packages() {
    let java = Lang::by_name("java").unwrap();
    assert_eq!(
        java.module_names("src/main/java/com/acme/Foo.java")[..2],
        ["src.main.java.com.acme.Foo", "main.java.com.acme.Foo"]
    );
    let names = java.module_names("src/main/java/com/acme/Foo.java");
    assert!(names.contains(&"com.acme.Foo".to_string()));
    assert!(names.contains(&"com.acme".to_string()));
}

#[test]
fn classes_fields_methods_and_this() {
    let m = lower(
        r#"
class PatientService {
    private final PatientRepository repo;
    private String cache = "x";
    PatientService(PatientRepository repo) { this.repo = repo; }
    String load(long id) {
        Patient p = repo.findById(id).orElseThrow();
        return helper(p);
    }
    private String helper(Patient p) { return p.getDiagnosis(); }
    static String util(String s) { return s.trim(); }
}
"#,
    );
    let t = m.types.iter().find(|t| t.name == "PatientService").unwrap();
    let fields: Vec<(&str, Option<&str>)> = t
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.ty.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [("repo", Some("PatientRepository")), ("cache", Some("String"))]
    );
    let ctor = function(&m, "<init>");
    assert_eq!(ctor.owner.as_deref(), Some("PatientService"));
    assert_eq!(ctor.params[0].kind, ParamKind::SelfParam);
    // The field initialiser runs first in the constructor.
    assert!(matches!(&ctor.body[0], Stmt::Assign { targets, .. }
        if matches!(&targets[0], Target::Attr { attr, .. } if attr == "cache")));
    let load = function(&m, "load");
    assert_eq!(load.params.len(), 2);
    let cs = callees(&m);
    // A bare field is `self.repo`, a bare own method `self.helper`.
    assert!(cs.contains(&"self.repo.findById".to_string()), "{cs:?}");
    assert!(cs.contains(&"self.helper".to_string()), "{cs:?}");
    let util = function(&m, "util");
    assert!(util.params.iter().all(|p| p.kind != ParamKind::SelfParam));
}

#[test]
fn getters_setters_and_columns_are_fields() {
    let m = lower(
        r#"
class A {
    void f(Patient p, ResultSet rs, Intake form) {
        String d = p.getDiagnosis();
        boolean s = p.isSmoker();
        p.setNotes(d);
        String c = rs.getString("diagnosis");
        String y = form.symptoms();
        int n = form.size();
    }
}
"#,
    );
    let f = function(&m, "f");
    let attrs: Vec<String> = all_exprs(&m)
        .into_iter()
        .filter_map(|e| match &e.kind {
            ExprKind::Attr { .. } => e.dotted(),
            _ => None,
        })
        .collect();
    assert!(attrs.contains(&"p.diagnosis".to_string()), "{attrs:?}");
    assert!(attrs.contains(&"p.smoker".to_string()), "{attrs:?}");
    assert!(attrs.contains(&"form.symptoms".to_string()), "{attrs:?}");
    assert!(f.body.iter().any(|s| matches!(s, Stmt::Assign { targets, .. }
        if matches!(&targets[0], Target::Attr { attr, .. } if attr == "notes"))));
    assert!(all_exprs(&m).iter().any(|e| matches!(&e.kind,
        ExprKind::Index { index, .. } if matches!(&index.kind, ExprKind::Str(s) if s == "diagnosis"))));
}

#[test]
fn builders_are_calls_with_keywords_and_lift_into_their_call() {
    let m = lower(
        r#"
class A {
    void f(S3Client s3, String body) {
        s3.putObject(PutObjectRequest.builder().bucket("b").key("k").serverSideEncryption(ServerSideEncryption.AES256).build(), RequestBody.fromString(body));
        Patient p = Patient.builder().diagnosis(body).build();
        Request r = new Request.Builder().url("http://x").build();
    }
}
"#,
    );
    let calls: Vec<_> = all_exprs(&m)
        .into_iter()
        .filter_map(|e| match &e.kind {
            ExprKind::Call(c) => Some(c),
            _ => None,
        })
        .collect();
    let put = calls
        .iter()
        .find(|c| c.callee.dotted().as_deref() == Some("s3.putObject"))
        .unwrap();
    let kws: Vec<&str> = put
        .args
        .iter()
        .filter(|a| a.kind == ArgKind::Keyword)
        .filter_map(|a| a.name.as_deref())
        .collect();
    assert_eq!(kws, ["bucket", "key", "serverSideEncryption"]);
    assert!(calls.iter().any(|c| c.callee.dotted().as_deref() == Some("Patient")
        && c.args.iter().any(|a| a.name.as_deref() == Some("diagnosis"))));
    assert!(calls.iter().any(|c| c.callee.dotted().as_deref() == Some("Request")
        && c.args.iter().any(|a| a.name.as_deref() == Some("url"))));
}

#[test]
fn records_lambdas_method_references_and_streams() {
    let m = lower(
        r#"
record Visit(String patientName, String diagnosis) {}
class A {
    List<String> f(List<Visit> visits) {
        visits.forEach(v -> log.info(v.diagnosis()));
        return visits.stream().map(Visit::diagnosis).map(String::trim).collect(Collectors.toList());
    }
}
"#,
    );
    let t = m.types.iter().find(|t| t.name == "Visit").unwrap();
    assert_eq!(t.fields.len(), 2);
    // Accessors of the record's components.
    assert!(m
        .functions
        .iter()
        .any(|f| f.name == "diagnosis" && f.owner.as_deref() == Some("Visit")));
    let lambdas = all_exprs(&m)
        .into_iter()
        .filter(|e| matches!(e.kind, ExprKind::Lambda { .. }))
        .count();
    assert_eq!(lambdas, 3);
    let attrs: Vec<String> = all_exprs(&m)
        .into_iter()
        .filter_map(|e| match &e.kind {
            ExprKind::Attr { .. } => e.dotted(),
            _ => None,
        })
        .collect();
    assert!(attrs.contains(&"v.diagnosis".to_string()));
    assert!(attrs.contains(&"$ref.diagnosis".to_string()), "{attrs:?}");
}

#[test]
fn routes_from_class_and_method_mappings() {
    let m = lower(
        r#"
@RestController
@RequestMapping("/patients")
class PatientController {
    @GetMapping("/{id}/notes")
    String notes(@PathVariable Long id) { return ""; }
    @PostMapping
    void create(@RequestBody PatientDto dto) {}
    @RequestMapping(value = "/search", method = RequestMethod.GET)
    void search(@RequestParam String q) {}
    void plain() {}
}
"#,
    );
    assert_eq!(
        function(&m, "notes").route.as_deref(),
        Some("/patients/{id}/notes")
    );
    assert_eq!(function(&m, "create").route.as_deref(), Some("/patients"));
    assert_eq!(
        function(&m, "search").route.as_deref(),
        Some("/patients/search")
    );
    assert_eq!(function(&m, "plain").route, None);
}

#[test]
fn try_with_resources_concatenation_format_and_text_blocks() {
    let m = lower(
        r#"
class A {
    void f(Patient p) throws Exception {
        try (FileWriter w = new FileWriter("out.txt")) {
            w.write("dx: " + p.getDiagnosis());
        } catch (IOException e) {
            log.warn("failed", e);
        } finally {
            done();
        }
        String s = String.format("%s", p);
        String t = """
            Patient summary
            """;
    }
}
"#,
    );
    let f = function(&m, "f");
    assert!(f.body.iter().any(|s| matches!(s, Stmt::With { items, .. }
        if matches!(&items[0].1, Some(Target::Name(n, _)) if n == "w"))));
    assert!(all_exprs(&m).iter().any(|e| matches!(&e.kind, ExprKind::Str(s) if s.contains("Patient summary"))));
    assert!(callees(&m).contains(&"String.format".to_string()));
    assert!(m.literals.iter().any(|l| l.value == "out.txt"));
}

#[test]
fn enums_interfaces_and_anonymous_classes() {
    let m = lower(
        r#"
interface PatientRepository extends JpaRepository<Patient, Long> {
    List<Patient> findByWard(String ward);
}
enum Triage { RED("r"), GREEN("g"); Triage(String c) {} }
class A {
    TrustManager[] tms = new TrustManager[] { new X509TrustManager() {
        public void checkServerTrusted(X509Certificate[] c, String a) {}
        public void checkClientTrusted(X509Certificate[] c, String a) {}
        public X509Certificate[] getAcceptedIssuers() { return null; }
    } };
}
"#,
    );
    let repo = m.types.iter().find(|t| t.name == "PatientRepository").unwrap();
    assert_eq!(repo.bases, ["JpaRepository<Patient, Long>"]);
    assert!(m.types.iter().any(|t| t.name == "Triage"));
    let trust = all_exprs(&m).into_iter().any(|e| matches!(&e.kind,
        ExprKind::Call(c) if c.args.iter().any(|a| a.name.as_deref() == Some("trustAll"))));
    assert!(trust);
    assert!(m
        .functions
        .iter()
        .any(|f| f.name == "checkServerTrusted" && f.owner.as_deref() == Some("X509TrustManager")));
}

#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 100_000;
    let mut src = String::from("class A { int f(int x) { return ");
    src.push_str(&"(".repeat(depth));
    src.push('x');
    src.push_str(&")".repeat(depth));
    src.push_str("; }\n int g(int x) { return x");
    for _ in 0..depth {
        src.push_str(" + x");
    }
    src.push_str("; }\n void h() { ");
    for _ in 0..2_000 {
        src.push_str("if (a) { ");
    }
    src.push_str(&"}".repeat(2_000));
    src.push_str(" }\n}\n");
    let m = lower(&src);
    assert!(m.functions.iter().any(|f| f.name == "g"));
}

#[test]
fn junit_classes_are_test_regions() {
    let java = Lang::by_name("java").unwrap();
    let test = "import org.junit.jupiter.api.Test;\nclass ATest {\n  @Test void t() {}\n}\n";
    assert_eq!(java.test_regions(test), [(1, 4)]);
    assert!(java.test_regions("class A { void t() {} }").is_empty());
}

#[test]
fn broken_code_still_lowers() {
    let m = lower("class A { void f( { log.info(patient.getNotes() } \n class { ");
    assert!(m.syntax_errors > 0);
}


#[test]
fn feign_clients_are_requests() {
    let m = lower(
        r#"
@FeignClient(name = "labs", url = "http://labs.example")
interface LabClient {
    @PostMapping("/orders")
    String place(@RequestBody Order order);
}
"#,
    );
    let place = function(&m, "place");
    assert_eq!(place.route, None);
    let Some(Stmt::Return(Some(e), _)) = place.body.first() else {
        panic!("no request in {:?}", place.body);
    };
    let ExprKind::Call(c) = &e.kind else {
        panic!("not a call");
    };
    assert_eq!(c.callee.dotted().as_deref(), Some("FeignClient"));
    assert!(c.args.iter().any(|a| a.name.as_deref() == Some("url")
        && matches!(&a.value.kind, ExprKind::Str(u) if u == "http://labs.example/orders")));
    assert!(matches!(&c.args[0].value.kind, ExprKind::Name(n) if n == "order"));
}

#[test]
fn switch_expressions_and_appenders() {
    let m = lower(
        r#"
class A {
    String f(Patient p, int mode) {
        String line = switch (mode) { case 0 -> p.getDiagnosis(); default -> { yield "n/a"; } };
        StringBuilder sb = new StringBuilder();
        sb.append("dx ").append(line);
        return sb.toString();
    }
}
"#,
    );
    let f = function(&m, "f");
    // The switch's arms carry their values.
    assert!(all_exprs(&m).iter().any(|e| matches!(&e.kind,
        ExprKind::Block { value: Some(v), .. } if v.dotted().as_deref() == Some("p.diagnosis"))));
    // `sb` is assigned what was appended to it.
    let sb_assigns = f
        .body
        .iter()
        .filter(|s| matches!(s, Stmt::Assign { targets, .. }
            if matches!(&targets[0], Target::Name(n, _) if n == "sb")))
        .count();
    assert_eq!(sb_assigns, 2);
}

#[test]
fn aws_regions_are_region_names() {
    let m = lower("class A { SqsClient c = SqsClient.builder().region(Region.EU_WEST_3).build(); }");
    assert!(all_exprs(&m)
        .iter()
        .any(|e| matches!(&e.kind, ExprKind::Str(s) if s == "eu-west-3")));
}

#[test]
fn deeply_nested_classes_and_lambdas_do_not_overflow() {
    let depth = 20_000;
    let mut src = String::from("class A { Object f() { return ");
    for _ in 0..depth {
        src.push_str("x -> ");
    }
    src.push_str("x; }\n");
    for _ in 0..depth {
        src.push_str("class B { ");
    }
    src.push_str(&"}".repeat(depth));
    src.push_str(" Object g() { return ");
    for _ in 0..depth {
        src.push_str("new Object() { Object h() { return ");
    }
    src.push('1');
    src.push_str(&"; } }".repeat(depth));
    src.push_str("; }\n}\n");
    let m = lower(&src);
    assert!(m.functions.iter().any(|f| f.name == "f"));
}

#[test]
fn jax_rs_routes() {
    let m = lower(
        r#"
@Path("/patients")
public class PatientResource {
    @GET
    @Path("/{id}")
    public Patient get(@PathParam("id") String id) { return null; }
    @POST
    public void create(PatientDto dto) {}
}
"#,
    );
    assert_eq!(function(&m, "get").route.as_deref(), Some("/patients/{id}"));
    assert_eq!(function(&m, "create").route.as_deref(), Some("/patients"));
}

#[test]
fn derived_queries_read_like_find_by() {
    let m = lower(
        "class A { void f(PatientRepository repo) { repo.findByInsuranceMemberId(\"x\"); repo.findTop10ByOrderByAdmittedAtDesc(); repo.countByWard(\"w\"); repo.getReport(); } }",
    );
    let cs = callees(&m);
    assert_eq!(cs.iter().filter(|c| *c == "repo.findBy").count(), 2, "{cs:?}");
    assert!(cs.contains(&"repo.countByWard".to_string()));
}
