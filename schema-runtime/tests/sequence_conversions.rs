//! A serial column, a declared sequence and an identity turn into each other in place: a
//! sequence is never dropped while the result uses it, and the generator's position is never
//! moved back (no value is handed out twice).

use schema_core::builder::*;
use schema_core::{DataType, Identity, Schema, Sequence};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, Mode, Policy};

fn ty(sql: &str) -> DataType {
    DataType::parse(sql).unwrap()
}

fn serial(ty_name: &str) -> Schema {
    Schema::builder()
        .table(
            TableDef::new("robots")
                .column(ColumnDef::new("id", ty(ty_name)).primary_key())
                .column(ColumnDef::new("name", ty("text"))),
        )
        .build()
}

fn declared_sequence() -> Schema {
    Schema::builder()
        .sequence(
            Sequence::new("robots_id_seq")
                .data_type(ty("bigint"))
                .owned_by("robots", "id"),
        )
        .table(
            TableDef::new("robots")
                .column(
                    ColumnDef::new("id", ty("bigint"))
                        .primary_key()
                        .default_sql("nextval('robots_id_seq'::regclass)"),
                )
                .column(ColumnDef::new("name", ty("text"))),
        )
        .build()
}

fn identity(ty_name: &str, identity: Identity) -> Schema {
    Schema::builder()
        .table(
            TableDef::new("robots")
                .column(
                    ColumnDef::new("id", ty(ty_name))
                        .primary_key()
                        .identity(identity),
                )
                .column(ColumnDef::new("name", ty("text"))),
        )
        .build()
}

fn next_id(client: &mut postgres::Client) -> i64 {
    client
        .query_one(
            "INSERT INTO robots (name) VALUES ('r') RETURNING id::bigint",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn serial_and_declared_sequence_convert_keeping_the_position() {
    let db = TestServer::shared().create_database("seqconv").unwrap();
    let mut client = db.connect();
    converge(&mut client, &serial("serial"), &Policy::new(Mode::Apply)).unwrap();
    for _ in 0..5 {
        next_id(&mut client);
    }
    // Rows 4 and 5 go: the sequence stays ahead of the largest id.
    client
        .batch_execute("DELETE FROM robots WHERE id > 3")
        .unwrap();

    // Neither direction needs destructive changes: nothing is dropped.
    let report = converge(&mut client, &declared_sequence(), &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    assert!(
        !report.plan.to_sql().contains("DROP SEQUENCE"),
        "{}",
        report.plan.to_sql()
    );
    assert_eq!(next_id(&mut client), 6, "the position is kept");
    schema_runtime::validate(&mut client, &declared_sequence()).unwrap();

    client
        .batch_execute("DELETE FROM robots WHERE id > 3")
        .unwrap();
    // Back to a serial column (bigserial: the sequence and column stay bigint).
    let report = converge(&mut client, &serial("bigserial"), &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    assert!(!report.plan.to_sql().contains("DROP SEQUENCE"));
    assert_eq!(
        next_id(&mut client),
        7,
        "never moved back to the largest id"
    );
    schema_runtime::validate(&mut client, &serial("bigserial")).unwrap();
}

/// Every step converges with nothing withheld, no `DROP SEQUENCE` of a sequence the result
/// uses, the next id one past the last one handed out (rows at the top were deleted, so the
/// largest id is lower), and validate agrees.
#[test]
fn identity_converts_to_and_from_owned_sequences_keeping_the_position() {
    let db = TestServer::shared().create_database("identconv").unwrap();
    let mut client = db.connect();
    converge(&mut client, &serial("serial"), &Policy::new(Mode::Apply)).unwrap();
    let mut last = 0;
    for _ in 0..5 {
        last = next_id(&mut client);
    }
    let steps = [
        (
            "serial to identity",
            identity("integer", Identity::ByDefault),
        ),
        ("identity to serial", serial("serial")),
        (
            "serial to always identity",
            identity("integer", Identity::Always),
        ),
        ("identity to a declared sequence", declared_sequence()),
        (
            "declared sequence to identity",
            identity("bigint", Identity::ByDefault),
        ),
        ("identity to bigserial", serial("bigserial")),
    ];
    for (step, schema) in steps {
        // Rows at the top go: only the generator remembers how far it got.
        client
            .batch_execute("DELETE FROM robots WHERE id > 3")
            .unwrap();
        let report = converge(&mut client, &schema, &Policy::new(Mode::Apply)).unwrap();
        assert!(report.in_sync(), "{step}: {report}");
        assert!(
            !report.plan.is_destructive(),
            "{step}: nothing destructive\n{}",
            report.plan.to_sql()
        );
        eprintln!("--- {step}\n{}", report.plan.to_sql());
        let id = next_id(&mut client);
        assert_eq!(
            id,
            last + 1,
            "{step}: the position is kept\n{}",
            report.plan.to_sql()
        );
        last = id;
        schema_runtime::validate(&mut client, &schema).unwrap_or_else(|e| panic!("{step}: {e}"));
        // A second run finds nothing to do.
        let again = schema_runtime::plan(&mut client, &schema, &[]).unwrap();
        assert!(again.is_empty(), "{step}: re-plan\n{}", again.to_sql());
    }
}
