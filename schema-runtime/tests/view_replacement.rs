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

/// A function whose result type changes cannot be replaced (`CREATE OR REPLACE FUNCTION`
/// refuses): it is dropped and created again, and everything that calls it (a column default,
/// a check, an index, a view, a policy) goes before and comes back after, rows kept, through
/// `converge` with nothing destructive to allow.
#[test]
fn a_function_whose_result_type_changes_takes_its_callers_along() {
    let scored = |returns: &str| {
        let int = || DataType::builtin("integer");
        Schema::builder()
            .function(
                schema_core::Function::new("score")
                    .arg(schema_core::FunctionArg::new("n", int()))
                    .returns(DataType::builtin(returns))
                    .immutable()
                    .body("SELECT n * 2"),
            )
            .table(
                TableDef::new("games")
                    .column(ColumnDef::new("id", int()).primary_key())
                    .column(
                        ColumnDef::new("n", int())
                            .default_sql("score(1)")
                            .check("score(n) >= 0"),
                    )
                    .index(
                        IndexDef::new()
                            .named("games_score_idx")
                            .expression("score(n)"),
                    ),
            )
            .view(View::new(
                "game_scores",
                "SELECT id, score(n) AS s FROM games",
            ))
            .row_security(schema_core::RowSecurity::on("games"))
            .policy(schema_core::RowPolicy::new("games_scored", "games").using_sql("score(n) > 0"))
            .build()
    };
    let db = TestServer::shared().create_database("fnchain").unwrap();
    let mut client = db.connect();
    let v1 = scored("integer");
    converge(&mut client, &v1, &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO games (id) VALUES (1), (2)")
        .unwrap();
    for (step, schema) in [("to bigint", scored("bigint")), ("back", v1)] {
        let report = converge(&mut client, &schema, &Policy::new(Mode::Apply)).unwrap();
        assert!(report.in_sync(), "{step}: {report}");
        assert!(
            !report.plan.is_destructive(),
            "{step}: {}",
            report.plan.to_sql()
        );
        assert!(
            report.plan.to_sql().contains("DROP FUNCTION"),
            "{step}: {}",
            report.plan.to_sql()
        );
        schema_runtime::validate(&mut client, &schema).unwrap_or_else(|e| panic!("{step}: {e}"));
        let rows: i64 = client
            .query_one("SELECT count(*) FROM games WHERE n = 2", &[])
            .unwrap()
            .get(0);
        assert_eq!(rows, 2, "{step}: rows and their defaulted values kept");
    }
}
