//! The command-line handlers of plan files, history, rollback, export and many databases
//! (`schema_runtime::cli::ops`), against a real PostgreSQL: what they print and the exit
//! status they return.

mod versions;

use schema_runtime::cli::ops::{
    apply_plan, export, many, plan_out, print_history, rollback, ExportSource,
};
use schema_runtime::cli::{EXIT_CHANGES, EXIT_OK, EXIT_WITHHELD};
use schema_runtime::export::{ExportOptions, Format};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, Mode, Policy};
use versions::schema;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn plan_apply_history_rollback_as_the_cli_runs_them() {
    let db = TestServer::shared().create_database("commands").unwrap();
    let mut client = db.connect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(print_history(&mut client, &mut out).unwrap(), EXIT_OK);
    assert!(text(&out).contains("no runs recorded"));

    converge(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let apply = Policy::new(Mode::Apply);
    let (mut out, mut err2) = (Vec::new(), Vec::new());
    let code = plan_out(
        &mut client,
        &schema(true),
        &apply,
        &path,
        &mut out,
        &mut err2,
    )
    .unwrap();
    assert_eq!(code, EXIT_CHANGES);
    assert!(text(&out).contains("CREATE INDEX CONCURRENTLY"));
    assert!(text(&err2).contains("plan written to"), "{}", text(&err2));

    client
        .batch_execute("ALTER TABLE orders ADD COLUMN hand_made int")
        .unwrap();
    let code = apply_plan(
        &mut client,
        &schema(true),
        &apply,
        &path,
        false,
        &mut out,
        &mut err,
    )
    .unwrap();
    assert_eq!(code, EXIT_WITHHELD);
    assert!(
        text(&err).contains("table public.orders column hand_made added"),
        "{}",
        text(&err)
    );
    client
        .batch_execute("ALTER TABLE orders DROP COLUMN hand_made")
        .unwrap();
    // A production profile that requires approval refuses the unapproved file.
    let mut err = Vec::new();
    let code = apply_plan(
        &mut client,
        &schema(true),
        &apply,
        &path,
        true,
        &mut out,
        &mut err,
    )
    .unwrap();
    assert_eq!(code, EXIT_WITHHELD);
    assert!(text(&err).contains("no approval"), "{}", text(&err));
    let mut out = Vec::new();
    let code = apply_plan(
        &mut client,
        &schema(true),
        &apply,
        &path,
        false,
        &mut out,
        &mut err,
    )
    .unwrap();
    assert_eq!(code, EXIT_OK, "{}", text(&err));
    assert!(text(&out).contains("applied: missing table public.audit_log"));

    let mut out = Vec::new();
    print_history(&mut client, &mut out).unwrap();
    let listing = text(&out);
    assert_eq!(listing.lines().count(), 3, "{listing}");
    let first_id: i64 = listing
        .lines()
        .last()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();

    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = rollback(
        &mut client,
        &Policy::default(),
        first_id,
        &mut out,
        &mut err,
    )
    .unwrap();
    assert_eq!(code, EXIT_WITHHELD);
    assert!(text(&err).contains("deletes-data"), "{}", text(&err));
    let allow = Policy {
        allow_destructive: true,
        ..Policy::default()
    };
    let code = rollback(&mut client, &allow, first_id, &mut out, &mut err).unwrap();
    assert_eq!(code, EXIT_OK);
    schema_runtime::validate(&mut client, &schema(false)).unwrap();
}

#[test]
fn export_and_many_as_the_cli_runs_them() {
    let dir = tempfile::tempdir().unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    // The sql format needs no database.
    let options = ExportOptions::new(Format::Sql, dir.path());
    let code = export(
        &schema(true),
        &Policy::default(),
        &ExportSource::None,
        &options,
        &mut out,
        &mut err,
    )
    .unwrap();
    assert_eq!(code, EXIT_OK);
    assert!(text(&out).contains("001_initial_schema.sql"));
    // A plan format needs a source.
    let options = ExportOptions::new(Format::Goose, dir.path());
    let e = export(
        &schema(true),
        &Policy::default(),
        &ExportSource::None,
        &options,
        &mut out,
        &mut err,
    )
    .unwrap_err();
    assert!(e.to_string().contains("--from URL"), "{e}");

    let server = TestServer::shared();
    let dbs: Vec<_> = (0..3)
        .map(|i| {
            server
                .create_database(&format!("commands_many_{i}"))
                .unwrap()
        })
        .collect();
    let urls = dir.path().join("urls");
    let mut list: Vec<String> = dbs.iter().map(|d| d.url().to_string()).collect();
    list.push(list[0].replace(dbs[0].name(), "pgdecl_missing_db"));
    std::fs::write(&urls, list.join("\n")).unwrap();
    let mut out = Vec::new();
    let code = many(
        &schema(false),
        &Policy::new(Mode::Apply),
        &urls,
        2,
        &mut out,
    )
    .unwrap();
    assert_eq!(code, 1, "{}", text(&out));
    assert!(
        text(&out).ends_with("4 database(s), 1 failed\n"),
        "{}",
        text(&out)
    );
}
