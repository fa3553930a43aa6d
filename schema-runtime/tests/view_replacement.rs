//! A view whose output column changes type cannot be replaced (`CREATE OR REPLACE VIEW`
//! refuses): it is dropped and created again, with the views built on it.

use schema_core::builder::*;
use schema_core::{DataType, Schema, View};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, Mode, Policy};

fn schema(info: &str) -> Schema {
    Schema::builder()
        .table(
            TableDef::new("films")
                .column(ColumnDef::new("id", DataType::builtin("bigint")).primary_key())
                .column(ColumnDef::new("title", DataType::builtin("text")).not_null()),
        )
        .view(View::new(
            "film_info",
            format!("SELECT id, {info} AS info FROM films"),
        ))
        .view(View::new(
            "film_info_count",
            "SELECT count(info) AS n FROM film_info",
        ))
        .build()
}

#[test]
fn a_view_column_that_changes_type_rebuilds_the_view_and_its_dependents() {
    let db = TestServer::shared().create_database("viewtype").unwrap();
    let mut client = db.connect();
    let v1 = schema("title");
    converge(&mut client, &v1, &Policy::new(Mode::Apply)).unwrap();
    let v2 = schema("to_jsonb(title)");
    let report = converge(&mut client, &v2, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    let sql = report.plan.to_sql();
    assert!(
        sql.contains("DROP VIEW IF EXISTS public.film_info_count"),
        "{sql}"
    );
    assert!(
        sql.contains("DROP VIEW IF EXISTS public.film_info;"),
        "{sql}"
    );
    let ty: String = client
        .query_one(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
             WHERE attrelid = 'film_info'::regclass AND attname = 'info'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(ty, "jsonb");
    schema_runtime::validate(&mut client, &v2).unwrap();
    // And back.
    converge(&mut client, &v1, &Policy::new(Mode::Apply)).unwrap();
    schema_runtime::validate(&mut client, &v1).unwrap();
}
