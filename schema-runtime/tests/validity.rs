//! Validity against a real PostgreSQL: an INVALID index (a failed concurrent build) and a
//! constraint added `NOT VALID` are differences that validate reports and apply repairs.

use schema_core::builder::*;
use schema_core::model::*;
use schema_core::DataType;
use schema_runtime::introspect::{introspect, Scope};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, ErrorKind, Mode, Policy};

fn t(name: &str) -> DataType {
    DataType::parse(name).unwrap()
}

/// Users with a unique index on email, and posts referencing users.
fn declared() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("users")
                .column(ColumnDef::new("id", t("int8")).primary_key())
                .column(ColumnDef::new("email", t("text")).not_null())
                .index(
                    IndexDef::on_columns(["email"])
                        .named("users_email_uidx")
                        .unique(),
                ),
        )
        .table(
            TableDef::new("posts")
                .column(ColumnDef::new("id", t("int8")).primary_key())
                .column(ColumnDef::new("author", t("int8")).references("users")),
        )
        .build()
}

fn invalid_indexes(client: &mut postgres::Client) -> Vec<String> {
    client
        .query(
            "SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE NOT (i.indisvalid AND i.indisready) ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn an_invalid_unique_index_is_reported_then_rebuilt() {
    let db = TestServer::shared()
        .create_database("validity_index")
        .unwrap();
    let mut client = db.connect();
    let mut without_index = declared();
    without_index.tables[0].indexes.clear();
    converge(&mut client, &without_index, &Policy::new(Mode::Apply)).unwrap();
    let before = introspect(&mut client, &Scope::default()).unwrap();
    client
        .batch_execute("INSERT INTO users VALUES (1, 'dup@x'), (2, 'dup@x'), (3, 'one@x')")
        .unwrap();
    // A failed concurrent build leaves the index behind, INVALID.
    let failed =
        client.batch_execute("CREATE UNIQUE INDEX CONCURRENTLY users_email_uidx ON users (email)");
    assert!(failed.is_err());
    assert_eq!(invalid_indexes(&mut client), vec!["users_email_uidx"]);

    // Read into the model (not "unmodeled"), in the same number of round trips.
    let found = introspect(&mut client, &Scope::default()).unwrap();
    let users = found.schema.table(&QualifiedName::public("users")).unwrap();
    assert_eq!(users.indexes.len(), 1);
    assert!(!users.indexes[0].valid);
    assert!(found.unmodeled.is_empty(), "{:?}", found.unmodeled);
    assert_eq!(found.queries, before.queries);

    let err = converge(&mut client, &declared(), &Policy::new(Mode::ValidateOnly)).unwrap_err();
    let text = err.to_string();
    assert_eq!(err.kind(), ErrorKind::Drift, "{text}");
    assert!(text.contains("users_email_uidx"), "{text}");
    assert!(text.contains("CREATE UNIQUE INDEX CONCURRENTLY"), "{text}");

    // The duplicates are still there: the rebuild fails naming the index and the key.
    let err = converge(&mut client, &declared(), &Policy::new(Mode::Apply)).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("users_email_uidx"), "{text}");
    assert!(text.contains("dup@x"), "{text}");
    assert_eq!(invalid_indexes(&mut client), vec!["users_email_uidx"]);

    client
        .batch_execute("DELETE FROM users WHERE id = 2")
        .unwrap();
    let report = converge(&mut client, &declared(), &Policy::new(Mode::Apply)).unwrap();
    assert!(!report.plan.changes.is_empty());
    assert!(invalid_indexes(&mut client).is_empty());
    let validate = converge(&mut client, &declared(), &Policy::new(Mode::ValidateOnly));
    assert!(validate.is_ok(), "{}", validate.unwrap_err());
    let dup = client.batch_execute("INSERT INTO users VALUES (4, 'one@x')");
    assert!(
        dup.is_err(),
        "the rebuilt index does not enforce uniqueness"
    );
}

#[test]
fn a_not_valid_foreign_key_is_reported_then_validated() {
    let db = TestServer::shared().create_database("validity_fk").unwrap();
    let mut client = db.connect();
    converge(&mut client, &declared(), &Policy::new(Mode::Apply)).unwrap();
    let fk: String = client
        .query_one(
            "SELECT conname::text FROM pg_constraint WHERE contype = 'f'",
            &[],
        )
        .unwrap()
        .get(0);
    client
        .batch_execute(&format!(
            "ALTER TABLE posts DROP CONSTRAINT {fk};
             ALTER TABLE posts ADD CONSTRAINT {fk} FOREIGN KEY (author) REFERENCES users NOT VALID;"
        ))
        .unwrap();

    let err = converge(&mut client, &declared(), &Policy::new(Mode::ValidateOnly)).unwrap_err();
    let text = err.to_string();
    assert_eq!(err.kind(), ErrorKind::Drift, "{text}");
    assert!(
        text.contains(&format!("VALIDATE CONSTRAINT {fk}")),
        "{text}"
    );

    converge(&mut client, &declared(), &Policy::new(Mode::Apply)).unwrap();
    let validated: bool = client
        .query_one(
            "SELECT convalidated FROM pg_constraint WHERE conname = $1",
            &[&fk],
        )
        .unwrap()
        .get(0);
    assert!(validated);
    let again = converge(&mut client, &declared(), &Policy::new(Mode::Apply)).unwrap();
    assert!(again.plan.changes.is_empty(), "{}", again.plan.to_sql());
}
