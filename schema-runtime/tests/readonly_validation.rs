//! Read-only validation against a real PostgreSQL: a role with nothing beyond `CONNECT`,
//! `USAGE` on schema pgdecl and `SELECT` on pgdecl.canonical_cache validates a database that
//! was initialised outside pgdecl (`psql -f` of `create_sql()`), once one write-capable run
//! stored the canonical form, even a run that found nothing to do.

use schema_core::builder::*;
use schema_core::model::*;
use schema_core::DataType;
use schema_runtime::converge::forget_canonical_forms;
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, Mode, Policy};

fn t(name: &str) -> DataType {
    DataType::parse(name).unwrap()
}

/// A declaration no other test uses (so no cached form from elsewhere can answer), with the
/// shapes the server reprints: a cast default, a check.
fn declared() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("readonly_probe_orders")
                .column(ColumnDef::new("id", t("bigint")).not_null())
                .column(ColumnDef::new("qty", t("numeric(10,2)")).default_sql("0"))
                .column(ColumnDef::new("code", t("varchar(20)")).default_sql("'new'"))
                .primary_key(["id"])
                .check("qty >= 0"),
        )
        .build()
}

#[test]
fn a_connect_only_role_validates_after_an_apply_that_changed_nothing() {
    let db = TestServer::shared().create_database("readonly").unwrap();
    let mut admin = db.connect();
    let schema = declared();

    // Initialised outside pgdecl, as `psql -f` would.
    admin.batch_execute(&schema.create_sql()).unwrap();

    // A deploy finds nothing to do, and still leaves pgdecl's tables and the canonical form.
    forget_canonical_forms();
    let report = converge(&mut admin, &schema, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.plan.changes.is_empty(), "{}", report.plan.to_sql());
    let hash = schema_runtime::converge::schema_hash(&schema);
    let stored: i64 = admin
        .query_one(
            "SELECT count(*) FROM pgdecl.canonical_cache WHERE schema_hash = $1",
            &[&hash],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        stored, 1,
        "an apply with nothing to do stores the canonical form"
    );

    // A role with only CONNECT, USAGE on pgdecl and SELECT on the cache: no TEMP, no CREATE.
    admin
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE readonly_validator LOGIN; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$;
             DO $$ BEGIN
               EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
               EXECUTE format('GRANT CONNECT ON DATABASE %I TO readonly_validator',
                              current_database());
             END $$;
             REVOKE CREATE ON SCHEMA public FROM PUBLIC;
             GRANT USAGE ON SCHEMA pgdecl TO readonly_validator;
             GRANT SELECT ON pgdecl.canonical_cache TO readonly_validator;",
        )
        .unwrap();
    let url = db.url().replacen("postgres@", "readonly_validator@", 1);
    let mut validator = schema_runtime::connect(&url).unwrap();
    let privileges = validator
        .query_one(
            "SELECT has_database_privilege(current_database(), 'TEMP'),
                    has_database_privilege(current_database(), 'CREATE'),
                    has_schema_privilege('public', 'CREATE')",
            &[],
        )
        .unwrap();
    let (temp, create_db, create_public): (bool, bool, bool) =
        (privileges.get(0), privileges.get(1), privileges.get(2));
    assert!(
        !temp && !create_db && !create_public,
        "the role must be read-only"
    );

    forget_canonical_forms();
    converge(&mut validator, &schema, &Policy::new(Mode::ValidateOnly))
        .unwrap_or_else(|e| panic!("validate-only with CONNECT and SELECT only: {e}"));
}

/// A canonical form computed ahead of time and shipped as JSON lets a role with only
/// `CONNECT` validate a database pgdecl never wrote to (no pgdecl schema, no cache table);
/// without it the error names both ways to provide one.
#[test]
fn a_shipped_canonical_form_validates_without_the_cache_table() {
    let db = TestServer::shared().create_database("shipped").unwrap();
    let mut admin = db.connect();
    let mut schema = declared();
    schema.tables[0].name.name = "shipped_probe_orders".into();
    admin.batch_execute(&schema.create_sql()).unwrap();

    // Ahead of time (here: on the same server, by a role with CREATE), written to a file.
    let form = schema_runtime::canonical_form(&mut admin, &schema).unwrap();
    assert_eq!(
        form.schema_hash,
        schema_runtime::converge::schema_hash(&schema)
    );
    let path = std::env::temp_dir().join(format!("pgdecl-canonical-{}.json", std::process::id()));
    std::fs::write(&path, format!("[{}]", form.to_json())).unwrap();
    let shipped = schema_runtime::CanonicalForm::read_file(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(shipped, vec![form.clone()]);
    let leftovers: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'pgdecl%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(leftovers, 0, "computing the form leaves nothing behind");

    admin
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE shipped_validator LOGIN; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$;
             DO $$ BEGIN
               EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
               EXECUTE format('GRANT CONNECT ON DATABASE %I TO shipped_validator',
                              current_database());
             END $$;
             REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        )
        .unwrap();
    let url = db.url().replacen("postgres@", "shipped_validator@", 1);
    let mut validator = schema_runtime::connect(&url).unwrap();

    // Neither a stored nor a shipped form: the error says how to provide one.
    forget_canonical_forms();
    let err = converge(&mut validator, &schema, &Policy::new(Mode::ValidateOnly)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("PGDECL_CANONICAL_FILE") && text.contains("write-capable converge"),
        "{text}"
    );

    // A form for another major version does not answer; the matching one does.
    let mut other = form.clone();
    other.server_major += 1;
    let wrong = Policy::new(Mode::ValidateOnly).with_canonical_forms(vec![other]);
    forget_canonical_forms();
    assert!(converge(&mut validator, &schema, &wrong).is_err());
    let policy = Policy::new(Mode::ValidateOnly).with_canonical_forms(shipped);
    forget_canonical_forms();
    converge(&mut validator, &schema, &policy)
        .unwrap_or_else(|e| panic!("validate-only from the shipped form: {e}"));
}
