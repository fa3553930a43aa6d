//! Domains, composite and range types on a real server: read into the model, planned empty
//! against what their declaration creates, a `NOT VALID` domain check validated, and a
//! rebuild that keeps every stored value.

#[path = "../../schema-core/tests/common/mod.rs"]
mod common;

use schema_core::builder::*;
use schema_core::model::*;
use schema_core::{diff, DataType};
use schema_runtime::introspect::{introspect, Scope};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, plan, Mode, Policy};

const DDL: &str = r#"
CREATE SCHEMA audit;
CREATE DOMAIN public."bıgınt" AS bigint;
CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);
ALTER DOMAIN year ADD CONSTRAINT year_max CHECK (VALUE < 3000) NOT VALID;
COMMENT ON DOMAIN year IS 'a year';
CREATE DOMAIN code AS varchar(10) COLLATE "C" DEFAULT 'x' NOT NULL CHECK (VALUE <> '');
CREATE TYPE address AS (street text, zip code, years year[], gone int);
ALTER TYPE address DROP ATTRIBUTE gone;
COMMENT ON COLUMN address.street IS 'first line';
CREATE TYPE textrange AS RANGE (subtype = text, collation = "C", multirange_type_name = audit.texts);
CREATE TYPE patternrange AS RANGE (subtype = text, subtype_opclass = text_pattern_ops);
CREATE TABLE t (y year, a address, r textrange, rs audit.texts, p patternrange[], b "bıgınt");
"#;

#[test]
fn reads_domains_composite_and_range_types() {
    let db = TestServer::shared()
        .create_database("user_types_read")
        .unwrap();
    let mut client = db.connect();
    client.batch_execute(DDL).unwrap();
    let found = introspect(&mut client, &Scope::default()).unwrap();
    assert!(found.unmodeled.is_empty(), "{:?}", found.unmodeled);
    let s = &found.schema;
    // Read in the round trip that reads enums: no query more than for an empty database.
    let empty = TestServer::shared()
        .create_database("user_types_read_empty")
        .unwrap();
    let nothing = introspect(&mut empty.connect(), &Scope::default()).unwrap();
    assert_eq!(found.queries, nothing.queries);

    let year = s.domain(&QualifiedName::public("year")).unwrap();
    assert_eq!(year.data_type, DataType::builtin("integer"));
    assert_eq!(year.comment.as_deref(), Some("a year"));
    let checks: Vec<(&str, &str, bool)> = year
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.expr.as_str(), c.validated))
        .collect();
    assert_eq!(
        checks,
        [
            ("year_check", "VALUE >= 1901 AND VALUE <= 2155", true),
            ("year_max", "VALUE < 3000", false)
        ]
    );
    let code = s.domain(&QualifiedName::public("code")).unwrap();
    assert_eq!(code.data_type, DataType::parse("varchar(10)").unwrap());
    assert!(code.not_null);
    assert_eq!(code.collation.as_deref(), Some("C"));
    assert_eq!(code.default.as_deref(), Some("'x'::character varying"));
    assert_eq!(code.checks[0].name, "code_check");
    assert!(s.domain(&QualifiedName::public("bıgınt")).is_some());

    let address = s.composite_type(&QualifiedName::public("address")).unwrap();
    let attributes: Vec<(&str, String)> = address
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), a.data_type.to_string()))
        .collect();
    assert_eq!(
        attributes,
        [
            ("street", "text".to_string()),
            ("zip", "code".to_string()),
            ("years", "year[]".to_string())
        ]
    );
    assert_eq!(address.attributes[0].comment.as_deref(), Some("first line"));

    let text = s.range_type(&QualifiedName::public("textrange")).unwrap();
    assert_eq!(text.collation.as_deref(), Some("C"));
    assert_eq!(
        text.multirange_type_name,
        Some(QualifiedName::new("audit", "texts"))
    );
    let pattern = s
        .range_type(&QualifiedName::public("patternrange"))
        .unwrap();
    assert_eq!(pattern.subtype_opclass.as_deref(), Some("text_pattern_ops"));
    assert_eq!(pattern.multirange_type_name, None);
    assert_eq!(pattern.collation, None);

    // A range's constructor functions belong to it: not read as the schema's functions.
    assert!(s.functions.is_empty(), "{:?}", s.functions);

    let t = s.table(&QualifiedName::public("t")).unwrap();
    let types: Vec<String> = t.columns.iter().map(|c| c.data_type.to_string()).collect();
    assert_eq!(
        types,
        [
            "year",
            "address",
            "textrange",
            "audit.texts",
            "patternrange[]",
            "\"bıgınt\""
        ]
    );
}

/// What `create_sql` makes of each declaration plans empty against it: introspection and
/// canonicalization see the same thing.
#[test]
fn declarations_plan_empty_against_what_they_create() {
    for (name, declared) in [
        ("domains", common::domains()),
        ("composite_types", common::composite_types()),
        ("range_types", common::range_types()),
        ("hostile_types", common::hostile_types()),
    ] {
        let db = TestServer::shared()
            .create_database(&format!("user_types_{name}"))
            .unwrap();
        let mut client = db.connect();
        client.batch_execute(&declared.create_sql()).unwrap();
        let found = introspect(&mut client, &Scope::default()).unwrap();
        assert!(found.unmodeled.is_empty(), "{name}: {:?}", found.unmodeled);
        let plan = plan(&mut client, &declared, &[]).unwrap();
        assert!(plan.is_empty(), "{name}:\n{}", plan.to_sql());
        // Applying the declaration converges from nothing, too.
        let fresh = TestServer::shared()
            .create_database(&format!("user_types_{name}_apply"))
            .unwrap();
        let mut client = fresh.connect();
        converge(&mut client, &declared, &Policy::new(Mode::Apply)).unwrap();
        let again = plan_of(&mut client, &declared);
        assert!(again.is_empty(), "{name} after apply:\n{}", again.to_sql());
    }
}

fn plan_of(client: &mut postgres::Client, declared: &Schema) -> schema_core::Plan {
    plan(client, declared, &[]).unwrap()
}

#[test]
fn a_not_valid_domain_check_is_validated_and_values_are_checked() {
    let db = TestServer::shared()
        .create_database("user_types_validate")
        .unwrap();
    let mut client = db.connect();
    client
        .batch_execute(
            "CREATE DOMAIN year AS integer;
             CREATE TABLE films (y year);
             INSERT INTO films VALUES (1999), (2024);
             ALTER DOMAIN year ADD CONSTRAINT year_check CHECK (VALUE >= 1901) NOT VALID;",
        )
        .unwrap();
    let declared = Schema::builder()
        .domain(DomainDef::new("year", DataType::builtin("integer")).check("VALUE >= 1901"))
        .table(
            TableDef::new("films").column(ColumnDef::new("y", DataType::named("public", "year"))),
        )
        .build();
    let planned = plan_of(&mut client, &declared);
    let sql = planned.to_sql();
    assert_eq!(planned.changes.len(), 1, "{sql}");
    assert!(
        sql.contains("ALTER DOMAIN public.year VALIDATE CONSTRAINT year_check;"),
        "{sql}"
    );
    converge(&mut client, &declared, &Policy::new(Mode::Apply)).unwrap();
    assert!(plan_of(&mut client, &declared).is_empty());

    // A new check on a domain in use is added NOT VALID, then validated: a value that breaks
    // it makes the apply fail, with nothing applied.
    client
        .batch_execute("INSERT INTO films VALUES (2500)")
        .unwrap();
    let stricter = Schema::builder()
        .domain(
            DomainDef::new("year", DataType::builtin("integer"))
                .check("VALUE >= 1901")
                .check("VALUE <= 2155"),
        )
        .table(
            TableDef::new("films").column(ColumnDef::new("y", DataType::named("public", "year"))),
        )
        .build();
    let sql = plan_of(&mut client, &stricter).to_sql();
    assert!(sql.contains("CHECK (VALUE <= 2155) NOT VALID"), "{sql}");
    assert!(sql.contains("VALIDATE CONSTRAINT year_check1"), "{sql}");
    let err = converge(&mut client, &stricter, &Policy::new(Mode::Apply)).unwrap_err();
    assert!(err.to_string().contains("year_check1"), "{err}");
    let live = introspect(&mut client, &Scope::default()).unwrap().schema;
    assert_eq!(live.domains[0].checks.len(), 1, "nothing was applied");
}

/// A domain's new base type rebuilds it: every stored value converts, the view over the
/// column comes back, and the plan afterwards is empty.
#[test]
fn a_rebuilt_domain_keeps_its_values() {
    let db = TestServer::shared()
        .create_database("user_types_rebuild")
        .unwrap();
    let mut client = db.connect();
    let schema = |base: &str| {
        Schema::builder()
            .domain(DomainDef::new("amount", DataType::parse(base).unwrap()).check("VALUE >= 0"))
            .composite_type(
                CompositeType::new("priced")
                    .attribute(CompositeAttribute::new("label", DataType::builtin("text")))
                    .attribute(CompositeAttribute::new(
                        "price",
                        DataType::named("public", "amount"),
                    )),
            )
            .table(
                TableDef::new("items")
                    .column(ColumnDef::new("id", DataType::builtin("integer")).primary_key())
                    .column(
                        ColumnDef::new("price", DataType::named("public", "amount"))
                            .default_sql("0"),
                    )
                    .column(ColumnDef::new("tag", DataType::named("public", "priced"))),
            )
            .view(View::new("cheap", "SELECT id FROM items WHERE price < 10"))
            .build()
    };
    let allow = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    converge(&mut client, &schema("integer"), &allow).unwrap();
    client
        .batch_execute("INSERT INTO items VALUES (1, 5, ROW('a', 7)), (2, 50, NULL)")
        .unwrap();
    let next = schema("numeric(10,2)");
    assert!(!diff(&schema("integer"), &next).is_empty());
    converge(&mut client, &next, &allow).unwrap();
    assert!(plan_of(&mut client, &next).is_empty());
    let rows: Vec<(i32, String, Option<String>)> = client
        .query(
            "SELECT id, price::text, tag::text FROM items ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        rows,
        [
            (1, "5.00".to_string(), Some("(a,7.00)".to_string())),
            (2, "50.00".to_string(), None)
        ]
    );
    let cheap: i64 = client
        .query_one("SELECT count(*) FROM cheap", &[])
        .unwrap()
        .get(0);
    assert_eq!(cheap, 1);
}
