//! Everything `pg_dump --schema-only` prints that pgdecl does not model is reported by
//! introspection as not modelled, never silently ignored; a fresh database reports nothing
//! (PostgreSQL's own initial grants, such as those on `public`, are not the user's).

use schema_runtime::introspect::{introspect, Scope};
use schema_runtime::testkit::TestServer;

#[test]
fn a_fresh_database_reports_nothing() {
    let db = TestServer::shared().create_database("unmodfresh").unwrap();
    let mut client = db.connect();
    client
        .batch_execute("CREATE TABLE plain (id bigint PRIMARY KEY, note text)")
        .unwrap();
    let found = introspect(&mut client, &Scope::default()).unwrap();
    assert!(found.unmodeled.is_empty(), "{:?}", found.unmodeled);
}

#[test]
fn every_other_kind_is_reported() {
    let db = TestServer::shared().create_database("unmodkinds").unwrap();
    let mut client = db.connect();
    let role = format!("{}_reader", db.name());
    client
        .batch_execute(&format!(
            "CREATE ROLE {role};
             CREATE SCHEMA app;
             GRANT USAGE ON SCHEMA app TO {role};
             CREATE TABLE app.docs (id bigint PRIMARY KEY, body text, secret text)
                 WITH (fillfactor = 70);
             ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;
             ALTER TABLE app.docs FORCE ROW LEVEL SECURITY;
             CREATE POLICY docs_read ON app.docs FOR SELECT USING (true);
             GRANT SELECT ON app.docs TO {role};
             GRANT SELECT (body) ON app.docs TO {role};
             ALTER TABLE app.docs ALTER COLUMN body SET STATISTICS 500;
             ALTER TABLE app.docs ALTER COLUMN body SET STORAGE EXTERNAL;
             ALTER TABLE app.docs ALTER COLUMN secret SET (n_distinct = 10);
             ALTER TABLE app.docs REPLICA IDENTITY FULL;
             CREATE UNLOGGED TABLE app.scratch (id int);
             CREATE TABLE app.base (id int);
             CREATE TABLE app.derived (extra int) INHERITS (app.base);
             CREATE RULE docs_no_delete AS ON DELETE TO app.docs DO INSTEAD NOTHING;
             CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
             REVOKE EXECUTE ON FUNCTION app.f() FROM PUBLIC;
             CREATE TYPE app.mood AS ENUM ('ok');
             GRANT USAGE ON TYPE app.mood TO {role};
             ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO {role};
             CREATE STATISTICS app.docs_stats ON id, body FROM app.docs;
             CREATE COLLATION app.german (provider = icu, locale = 'de-DE');
             CREATE TEXT SEARCH CONFIGURATION app.english_copy (COPY = pg_catalog.english);
             CREATE FUNCTION app.int_eq(int, int) RETURNS bool LANGUAGE sql IMMUTABLE
                 AS 'SELECT $1 = $2';
             CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = app.int_eq);
             CREATE PUBLICATION docs_pub FOR TABLE app.docs;
             CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql
                 AS 'BEGIN END';
             CREATE EVENT TRIGGER {role}_ddl ON ddl_command_end EXECUTE FUNCTION app.on_ddl();
             CREATE FOREIGN DATA WRAPPER {role}_fdw;
             CREATE SERVER {role}_srv FOREIGN DATA WRAPPER {role}_fdw;
             CREATE FOREIGN TABLE app.remote (id int) SERVER {role}_srv;
             GRANT SELECT ON app.remote TO {role};
             ALTER FOREIGN TABLE app.remote ALTER COLUMN id SET STATISTICS 100;
             ALTER TABLE app.docs ALTER COLUMN secret SET COMPRESSION pglz;
             ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO {role};"
        ))
        .unwrap();
    let found = introspect(&mut client, &Scope::default()).unwrap();
    let report: Vec<String> = found
        .unmodeled
        .iter()
        .map(|u| format!("{} {}", u.kind, u.name))
        .collect();
    // Database-wide objects of other tests may show up too: look for ours.
    let expected = [
        "rule app.docs docs_no_delete".to_string(),
        "privileges on foreign table app.remote".to_string(),
        "default privileges (database-wide) for role postgres on sequences".to_string(),
        // A foreign table's column options are not modelled (a table's are).
        "column option statistics 100 on app.remote.id".to_string(),
        "replica identity full on app.docs".to_string(),
        "inheritance (table inherits app.base) app.derived".to_string(),
        "extended statistics app.docs_stats".to_string(),
        "collation app.german".to_string(),
        "text search configuration app.english_copy".to_string(),
        "operator app.===(integer, integer)".to_string(),
        "publication docs_pub".to_string(),
        format!("event trigger {role}_ddl"),
        format!("foreign-data wrapper {role}_fdw"),
        format!("foreign server {role}_srv"),
    ];
    let missing: Vec<&String> = expected.iter().filter(|e| !report.contains(e)).collect();
    assert!(
        missing.is_empty(),
        "not reported: {missing:?}\nreport: {report:#?}"
    );
    // Row-level security and policies are modelled: read, not reported.
    assert!(
        !report
            .iter()
            .any(|r| r.starts_with("policy") || r.contains("row level security")),
        "{report:#?}"
    );
    assert_eq!(found.schema.policies.len(), 1);
    // Grants on modelled objects and per-schema default privileges are modelled too.
    assert!(
        !report.iter().any(|r| r.starts_with("privileges on table")
            || r.starts_with("privileges on schema")
            || r.starts_with("privileges on function")
            || r.starts_with("privileges on type")
            || r.starts_with("column privileges")
            || r.starts_with("default privileges for role")),
        "{report:#?}"
    );
    assert_eq!(found.schema.grants.len(), 5, "{:#?}", found.schema.grants);
    assert_eq!(found.schema.default_privileges.len(), 1);
    // Unlogged tables are modelled too.
    assert!(
        !report.iter().any(|r| r.contains("unlogged")),
        "{report:#?}"
    );
    let scratch = found
        .schema
        .table(&schema_core::model::QualifiedName::new("app", "scratch"))
        .unwrap();
    assert!(scratch.unlogged);
    // So are storage parameters of tables.
    assert!(
        !report.iter().any(|r| r.starts_with("storage parameters")),
        "{report:#?}"
    );
    let docs = found
        .schema
        .table(&schema_core::model::QualifiedName::new("app", "docs"))
        .unwrap();
    assert_eq!(
        docs.storage,
        [schema_core::model::StorageParameter::new(
            "fillfactor",
            "70"
        )]
    );
    // And columns' statistics targets, storage, compression and attribute options.
    assert!(
        !report
            .iter()
            .any(|r| r.starts_with("column option") && r.contains("app.docs")),
        "{report:#?}"
    );
    let body = docs.column("body").unwrap();
    assert_eq!(body.statistics, Some(500));
    assert_eq!(body.storage, Some(schema_core::model::Storage::External));
    let secret = docs.column("secret").unwrap();
    assert_eq!(secret.compression.as_deref(), Some("pglz"));
    assert_eq!(
        secret.options,
        [schema_core::model::StorageParameter::new(
            "n_distinct",
            "10"
        )]
    );
    assert_eq!(docs.column("id").unwrap().storage, None);
    assert_eq!(
        found.schema.row_security,
        [schema_core::model::RowSecurity::on("app.docs").force()]
    );
    // Roles are cluster-wide: drop this one (and what it was granted) for the next run.
    client
        .batch_execute(&format!(
            "DROP EVENT TRIGGER {role}_ddl; DROP OWNED BY {role}; DROP ROLE {role};"
        ))
        .unwrap();
}
