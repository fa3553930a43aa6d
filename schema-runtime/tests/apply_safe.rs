//! Apply-safe is honest: what it withholds makes the run fail (unless tolerated), the report is
//! never "in sync" then, and `app_main apply` honours `PGDECL_MODE=apply-safe`.

use schema_core::builder::*;
use schema_core::{DataType, Schema};
use schema_runtime::testkit::TestServer;
use schema_runtime::{cli, converge, ErrorKind, Mode, Policy};

/// `items(id integer, qty <qty> DEFAULT 0)`, plus `note text` when `note`; `qty`'s default is
/// `1` once it is a `bigint`, so a type change carries a default change with it.
fn version(qty: &str, note: bool) -> Schema {
    let default = if qty == "bigint" { "1" } else { "0" };
    let mut t = TableDef::new("items")
        .column(ColumnDef::new("id", DataType::builtin("integer")).primary_key())
        .column(ColumnDef::new("qty", DataType::builtin(qty)).default_sql(default));
    if note {
        t = t.column(ColumnDef::new("note", DataType::builtin("text")));
    }
    Schema::builder().table(t).build()
}

fn column_type(client: &mut postgres::Client, column: &str) -> Option<String> {
    client
        .query_opt(
            "SELECT data_type::text FROM information_schema.columns
             WHERE table_name = 'items' AND column_name = $1",
            &[&column],
        )
        .unwrap()
        .map(|r| r.get(0))
}

fn qty_default(client: &mut postgres::Client) -> Option<String> {
    client
        .query_one(
            "SELECT column_default::text FROM information_schema.columns
             WHERE table_name = 'items' AND column_name = 'qty'",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn apply_safe_errors_naming_what_it_withheld_unless_tolerated() {
    let db = TestServer::shared().create_database("applysafe").unwrap();
    let mut client = db.connect();
    converge(
        &mut client,
        &version("integer", false),
        &Policy::new(Mode::Apply),
    )
    .unwrap();

    // v2 adds a column (additive) and widens a type (rewrites the table: not additive).
    let v2 = version("bigint", true);
    let err = converge(&mut client, &v2, &Policy::new(Mode::ApplySafe)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
    let text = err.to_string();
    assert!(text.contains("items.qty"), "{text}");
    assert!(text.contains("ALTER TABLE"), "the fix is listed: {text}");
    assert!(text.contains("PGDECL_ALLOW_WITHHELD"), "{text}");
    // The additive part was applied, the rest left alone.
    assert_eq!(column_type(&mut client, "note").as_deref(), Some("text"));
    assert_eq!(column_type(&mut client, "qty").as_deref(), Some("integer"));
    // The type change and its default are one change: withheld whole, the default untouched.
    assert_eq!(qty_default(&mut client).as_deref(), Some("0"));

    // Tolerated: Ok, but the report says what was withheld and is not in sync.
    let tolerant = Policy {
        allow_withheld: true,
        ..Policy::new(Mode::ApplySafe)
    };
    let report = converge(&mut client, &v2, &tolerant).unwrap();
    assert_eq!(report.withheld.len(), 1, "{report}");
    assert!(!report.in_sync());
    let shown = report.to_string();
    assert!(shown.contains("withheld by apply-safe"), "{shown}");
    assert!(shown.contains("NOT in sync"), "{shown}");
}

#[test]
fn app_main_apply_honours_pgdecl_mode() {
    // The only test of this binary that touches the environment.
    let db = TestServer::shared().create_database("appmain").unwrap();
    let mut client = db.connect();
    converge(
        &mut client,
        &version("integer", false),
        &Policy::new(Mode::Apply),
    )
    .unwrap();
    let v2 = version("bigint", true);
    let args: Vec<String> = ["apply", "--url", db.url()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let run = || {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = cli::app_main_with(&v2, &args, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap() + &String::from_utf8(err).unwrap(),
        )
    };

    std::env::set_var("PGDECL_MODE", "apply-safe");
    let (code, text) = run();
    assert_eq!(code, 3, "withheld changes: exit 3\n{text}");
    assert!(text.contains("items.qty"), "{text}");
    assert_eq!(column_type(&mut client, "qty").as_deref(), Some("integer"));

    std::env::remove_var("PGDECL_MODE");
    let (code, text) = run();
    assert_eq!(code, 0, "{text}");
    assert_eq!(column_type(&mut client, "qty").as_deref(), Some("bigint"));
    assert_eq!(qty_default(&mut client).as_deref(), Some("1"));
}
