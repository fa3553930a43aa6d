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

/// `posts.author` and a check declared `not valid`.
fn declared_not_valid() -> Schema {
    let mut schema = declared();
    schema.tables[1] = Schema::builder()
        .table(
            TableDef::new("posts")
                .column(ColumnDef::new("id", t("int8")).primary_key())
                .column(
                    ColumnDef::new("author", t("int8"))
                        .references(References::table("users").column("id"))
                        .not_valid()
                        .check("author > 0")
                        .not_valid(),
                ),
        )
        .build()
        .tables
        .remove(0);
    schema
}

fn validated(client: &mut postgres::Client) -> Vec<(String, bool)> {
    client
        .query(
            "SELECT conname::text, convalidated FROM pg_constraint
             WHERE conrelid = 'posts'::regclass AND contype IN ('c', 'f') ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[test]
fn a_declared_not_valid_constraint_is_added_not_valid_and_never_validated() {
    let db = TestServer::shared()
        .create_database("validity_declared")
        .unwrap();
    let mut client = db.connect();
    let mut without = declared();
    without.tables[1]
        .constraints
        .retain(|c| c.name == "posts_pkey");
    converge(&mut client, &without, &Policy::new(Mode::Apply)).unwrap();
    // Rows that break both constraints: `NOT VALID` leaves them alone.
    client
        .batch_execute("INSERT INTO posts VALUES (1, -5), (2, 42)")
        .unwrap();

    converge(
        &mut client,
        &declared_not_valid(),
        &Policy::new(Mode::Apply),
    )
    .unwrap();
    let expected = vec![
        ("posts_author_check".to_string(), false),
        ("posts_author_fkey".to_string(), false),
    ];
    assert_eq!(validated(&mut client), expected);
    // New rows are checked.
    assert!(client
        .batch_execute("INSERT INTO posts VALUES (3, -1)")
        .is_err());
    // Kept so: validate-only is content, apply plans nothing.
    let validate = converge(
        &mut client,
        &declared_not_valid(),
        &Policy::new(Mode::ValidateOnly),
    );
    assert!(validate.is_ok(), "{}", validate.unwrap_err());
    let again = converge(
        &mut client,
        &declared_not_valid(),
        &Policy::new(Mode::Apply),
    )
    .unwrap();
    assert!(again.plan.changes.is_empty(), "{}", again.plan.to_sql());
    // Introspection reads the state, and the source printer writes it back.
    let found = introspect(&mut client, &Scope::default()).unwrap();
    let source = schema_runtime::source::to_schema_source(&found.schema);
    assert!(
        source.contains("foreign key (author) references users (id) not valid"),
        "{source}"
    );
    assert!(
        source.contains("check \"author > 0\" not valid"),
        "{source}"
    );

    // Declared valid again: both are validated, each in a step of its own, once the rows
    // that break them are gone.
    let err = converge(&mut client, &declared(), &Policy::new(Mode::Apply)).unwrap_err();
    assert!(err.to_string().contains("posts_author_fkey"), "{err}");
    client
        .batch_execute("DELETE FROM posts WHERE id <> 1; UPDATE posts SET author = NULL")
        .unwrap();
    let mut with_check = declared();
    let mut check = declared_not_valid().tables[1]
        .constraints
        .iter()
        .find(|c| c.name == "posts_author_check")
        .unwrap()
        .clone();
    check.validated = true;
    with_check.tables[1].constraints.push(check);
    let report = converge(&mut client, &with_check, &Policy::new(Mode::Apply)).unwrap();
    let sql = report.plan.to_sql();
    assert!(
        sql.contains("VALIDATE CONSTRAINT posts_author_check"),
        "{sql}"
    );
    assert!(
        sql.contains("VALIDATE CONSTRAINT posts_author_fkey"),
        "{sql}"
    );
    assert_eq!(
        validated(&mut client),
        vec![
            ("posts_author_check".to_string(), true),
            ("posts_author_fkey".to_string(), true),
        ]
    );
    // A live valid constraint declared `not valid` stays as it is.
    let kept = converge(
        &mut client,
        &declared_not_valid(),
        &Policy::new(Mode::Apply),
    )
    .unwrap();
    assert!(kept.plan.changes.is_empty(), "{}", kept.plan.to_sql());
}

#[test]
fn exclusion_constraints_are_read_and_enforced() {
    let db = TestServer::shared()
        .create_database("validity_exclusion")
        .unwrap();
    let mut client = db.connect();
    let schema = Schema::builder()
        .extension(Extension::new("btree_gist"))
        .table(
            TableDef::new("bookings")
                .column(ColumnDef::new("room", t("int4")).not_null())
                .column(ColumnDef::new("during", t("tstzrange")).not_null())
                .constraint(
                    ConstraintDef::exclude(
                        IndexMethod::Gist,
                        [
                            ExclusionElement::column("room", "="),
                            ExclusionElement::column("during", "&&"),
                        ],
                    )
                    .where_sql("room > 0"),
                ),
        )
        .build();
    converge(&mut client, &schema, &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO bookings VALUES (1, '[2025-01-01,2025-01-03)')")
        .unwrap();
    let overlap =
        client.batch_execute("INSERT INTO bookings VALUES (1, '[2025-01-02,2025-01-04)')");
    assert!(overlap.is_err());
    let found = introspect(&mut client, &Scope::default()).unwrap();
    assert!(found.unmodeled.is_empty(), "{:?}", found.unmodeled);
    let table = found
        .schema
        .table(&QualifiedName::public("bookings"))
        .unwrap();
    assert_eq!(table.constraints.len(), 1);
    assert_eq!(table.constraints[0].name, "bookings_room_during_excl");
    match &table.constraints[0].kind {
        ConstraintKind::Exclusion {
            method,
            elements,
            predicate,
            ..
        } => {
            assert_eq!(*method, IndexMethod::Gist);
            let ops: Vec<&str> = elements.iter().map(|e| e.operator.as_str()).collect();
            assert_eq!(ops, ["=", "&&"]);
            assert_eq!(predicate.as_deref(), Some("room > 0"));
        }
        other => panic!("{other:?}"),
    }
    assert!(table.indexes.is_empty(), "{:?}", table.indexes);
    let again = converge(&mut client, &schema, &Policy::new(Mode::Apply)).unwrap();
    assert!(again.plan.changes.is_empty(), "{}", again.plan.to_sql());
}
