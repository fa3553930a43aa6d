//! Declarations the server rejects, which the compiler cannot see (a raw SQL default, a view
//! query, a PL/pgSQL body): the error names the object, the statement, the server's message
//! and SQLSTATE, and a help line (issue 10 item 5). Nothing is applied.

use schema_core::builder::*;
use schema_core::model::{Function, FunctionArg, View};
use schema_core::{DataType, Schema};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, Error, ErrorKind, Mode, Policy};

fn ty(name: &str) -> DataType {
    DataType::parse(name).expect("a type")
}

fn things() -> TableDef {
    TableDef::new("things").column(ColumnDef::new("id", ty("bigint")).primary_key())
}

/// Converges `declared` into a fresh database and returns the error it must give, after
/// checking that nothing of the declaration was created.
fn rejected(prefix: &str, declared: &Schema) -> Error {
    let db = TestServer::shared().create_database(prefix).unwrap();
    let mut client = db.connect();
    let err = converge(&mut client, declared, &Policy::new(Mode::Apply))
        .expect_err("the server rejects the declaration");
    let created: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(created, 0, "nothing was created: {err}");
    err
}

/// The parts every such error has.
fn assert_names(err: &Error, object: &str, sqlstate: &str, statement: &str) {
    let text = err.to_string();
    assert_eq!(err.rejected_object(), Some(object), "{text}");
    assert_eq!(err.kind(), ErrorKind::Sql, "{text}");
    assert_eq!(err.sqlstate(), Some(sqlstate), "{text}");
    assert!(text.contains(&format!("{object} was rejected: ")), "{text}");
    assert!(text.contains(&format!("[SQLSTATE {sqlstate}]")), "{text}");
    assert!(text.contains("\n  statement:\n    "), "{text}");
    assert!(text.contains(statement), "{text}");
    assert!(text.contains("\n  help: "), "{text}");
    assert!(
        !text.contains("pgdecl_scratch"),
        "scratch names mapped back: {text}"
    );
    assert!(
        std::error::Error::source(err)
            .and_then(|s| s.downcast_ref::<postgres::Error>())
            .is_some(),
        "the server's error stays the source: {text}"
    );
}

#[test]
fn a_default_the_column_type_cannot_take_names_the_column() {
    let declared = Schema::builder()
        .table(things().column(ColumnDef::new("n", ty("integer")).default_sql("'abc'")))
        .build();
    let err = rejected("rejected_default", &declared);
    assert_names(
        &err,
        "table public.things, column n",
        "22P02",
        "CREATE TABLE IF NOT EXISTS public.things",
    );
    let text = err.to_string();
    assert!(
        text.contains("invalid input syntax for type integer"),
        "{text}"
    );
    assert!(
        text.contains("help: correct the declaration of table public.things, column n"),
        "{text}"
    );
}

#[test]
fn a_view_over_a_missing_column_names_the_view() {
    let declared = Schema::builder()
        .table(things())
        .view(View::new("recent", "SELECT id, created_at FROM things"))
        .build();
    let err = rejected("rejected_view", &declared);
    assert_names(&err, "view public.recent", "42703", "created_at");
    assert!(
        err.to_string()
            .contains("column \"created_at\" does not exist"),
        "{err}"
    );
}

#[test]
fn a_plpgsql_syntax_error_names_the_function_and_the_line() {
    let declared = Schema::builder()
        .table(things())
        .function(
            Function::new("bump")
                .arg(FunctionArg::unnamed(ty("integer")))
                .returns(ty("integer"))
                .language("plpgsql")
                .body("BEGIN\n    RETURN $1 +;\nEND"),
        )
        .build();
    let err = rejected("rejected_plpgsql", &declared);
    assert_names(
        &err,
        "function public.bump(integer)",
        "42601",
        "RETURN $1 +;",
    );
    let text = err.to_string();
    assert!(
        text.contains("help: fix the PL/pgSQL body of function public.bump(integer)"),
        "{text}"
    );
    assert!(text.contains("line 2"), "where in the body: {text}");
}

/// A correct PL/pgSQL body converges (the bodies are compiled, not rejected wholesale).
#[test]
fn a_correct_plpgsql_body_converges() {
    let declared = Schema::builder()
        .table(things())
        .function(
            Function::new("bump")
                .arg(FunctionArg::unnamed(ty("integer")))
                .returns(ty("integer"))
                .language("plpgsql")
                .body("BEGIN\n    RETURN $1 + 1;\nEND"),
        )
        .build();
    let db = TestServer::shared()
        .create_database("accepted_plpgsql")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &declared, &Policy::new(Mode::Apply)).expect("converges");
    let two: i32 = client.query_one("SELECT bump(1)", &[]).unwrap().get(0);
    assert_eq!(two, 2);
}

/// Applying: a change the live data refuses names the object too, and the plan's
/// transaction is rolled back.
#[test]
fn a_change_the_live_data_refuses_names_the_object() {
    let db = TestServer::shared()
        .create_database("rejected_apply")
        .unwrap();
    let mut client = db.connect();
    let before = Schema::builder()
        .table(things().column(ColumnDef::new("n", ty("integer"))))
        .build();
    converge(&mut client, &before, &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO things VALUES (1, 7), (2, 7)")
        .unwrap();
    let after = Schema::builder()
        .table(
            things()
                .column(ColumnDef::new("n", ty("integer")))
                .column(ColumnDef::new("note", ty("text")))
                .check("n > 10"),
        )
        .build();
    let err = converge(&mut client, &after, &Policy::new(Mode::Apply))
        .expect_err("the rows refuse the check");
    let text = err.to_string();
    assert_eq!(err.sqlstate(), Some("23514"), "{text}");
    let object = err.rejected_object().expect("names the object");
    assert!(
        object.starts_with("table public.things, constraint "),
        "{text}"
    );
    assert!(text.contains("\n  statement:\n    "), "{text}");
    assert!(
        text.contains("VALIDATE CONSTRAINT things_n_check"),
        "{text}"
    );
    assert!(text.contains("were rolled back"), "{text}");
    assert!(
        !note_column(&mut client),
        "nothing of the plan stayed: {text}"
    );
}

/// A concurrent index build, after the plan's transaction committed: named too, and the help
/// says what stayed.
#[test]
fn a_concurrent_index_the_live_data_refuses_names_the_index() {
    let db = TestServer::shared()
        .create_database("rejected_index")
        .unwrap();
    let mut client = db.connect();
    let before = Schema::builder()
        .table(things().column(ColumnDef::new("n", ty("integer"))))
        .build();
    converge(&mut client, &before, &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO things VALUES (1, 7), (2, 7)")
        .unwrap();
    let after = Schema::builder()
        .table(
            things()
                .column(ColumnDef::new("n", ty("integer")))
                .unique(["n"]),
        )
        .build();
    let err = converge(&mut client, &after, &Policy::new(Mode::Apply))
        .expect_err("duplicates refuse the unique index");
    let text = err.to_string();
    assert_eq!(err.sqlstate(), Some("23505"), "{text}");
    assert_eq!(
        err.rejected_object(),
        Some("index public.things_n_key"),
        "{text}"
    );
    assert!(text.contains("CREATE UNIQUE INDEX CONCURRENTLY"), "{text}");
    assert!(text.contains("were committed"), "{text}");
}

fn note_column(client: &mut postgres::Client) -> bool {
    client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns \
             WHERE table_name = 'things' AND column_name = 'note')",
            &[],
        )
        .unwrap()
        .get(0)
}
