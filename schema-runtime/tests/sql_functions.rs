//! Functions with SQL-standard bodies through `converge`: PostgreSQL parses such a body at
//! creation and refuses to drop a view it reads or change the type of a column it names, so a
//! plan that does either drops the function first and creates it again after; the result
//! validates in sync and the function runs.

use schema_core::builder::*;
use schema_core::{DataType, Function, FunctionArg, Schema, View};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, Mode, Policy};

fn t(name: &str) -> DataType {
    DataType::parse(name).unwrap()
}

fn schema(info: &str, title: &str) -> Schema {
    Schema::builder()
        .table(
            TableDef::new("films")
                .column(ColumnDef::new("id", t("bigint")).primary_key())
                .column(ColumnDef::new("title", t(title)).not_null()),
        )
        .view(View::new(
            "film_info",
            format!("SELECT id, {info} AS info FROM films"),
        ))
        .function(
            Function::new("info_count")
                .returns(t("bigint"))
                .stable()
                .begin_atomic("SELECT count(info) FROM film_info;"),
        )
        .function(
            Function::new("title_of")
                .arg(FunctionArg::new("film", t("bigint")))
                .returns(t("text"))
                .stable()
                .return_sql("(SELECT title FROM films WHERE id = film)"),
        )
        .build()
}

#[test]
fn a_rebuilt_view_or_retyped_column_takes_the_sql_body_functions_with_it() {
    let db = TestServer::shared().create_database("sqlbody").unwrap();
    let mut client = db.connect();
    let v1 = schema("title", "varchar(100)");
    converge(&mut client, &v1, &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO films VALUES (1, 'Alien'), (2, 'Heat')")
        .unwrap();
    schema_runtime::validate(&mut client, &v1).unwrap();

    // The view's column changes type (the view is rebuilt) and `title` widens to text.
    let v2 = schema("to_jsonb(title)", "text");
    let report = converge(&mut client, &v2, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    let sql = report.plan.to_sql();
    for dropped in [
        "DROP FUNCTION IF EXISTS public.info_count();",
        "DROP FUNCTION IF EXISTS public.title_of(bigint);",
    ] {
        assert!(sql.contains(dropped), "{sql}");
    }
    schema_runtime::validate(&mut client, &v2).unwrap();
    let row = client
        .query_one("SELECT info_count(), title_of(2)", &[])
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 2);
    assert_eq!(row.get::<_, String>(1), "Heat");

    // And the view back (the column stays text: narrowing it is withheld by default).
    let v3 = schema("title", "text");
    let report = converge(&mut client, &v3, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    schema_runtime::validate(&mut client, &v3).unwrap();
    let n: i64 = client.query_one("SELECT info_count()", &[]).unwrap().get(0);
    assert_eq!(n, 2);
}
