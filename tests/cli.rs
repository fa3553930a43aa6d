//! The `pgdecl` binary against a real PostgreSQL: exit codes, stdout holds only SQL, unmodelled
//! objects are named on stderr, no password in errors.

use std::process::Command;

use pgdecl::runtime::testkit::{TestDatabase, TestServer};

fn pgdecl(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pgdecl"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn db(prefix: &str, sql: &str) -> TestDatabase {
    let db = TestServer::shared().create_database(prefix).unwrap();
    db.connect().batch_execute(sql).unwrap();
    db
}

#[test]
fn diff_exit_codes_and_output() {
    let from = db(
        "cli_from",
        "CREATE AGGREGATE positive(integer) (SFUNC = int4pl, STYPE = integer, COMBINEFUNC = int4pl);
         CREATE TABLE users (id bigint PRIMARY KEY);
         CREATE TABLE legacy (id int);",
    );
    let to = db(
        "cli_to",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL DEFAULT '');",
    );

    let (code, stdout, stderr) = pgdecl(&["diff", from.url(), from.url()]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(
        stderr.contains("not modelled") && stderr.contains("positive"),
        "{stderr}"
    );

    // Dropping `legacy` is withheld without the flag: exit 3, the safe part still printed.
    let (code, stdout, stderr) = pgdecl(&["diff", from.url(), to.url()]);
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert!(
        stdout.contains("ADD COLUMN IF NOT EXISTS email"),
        "{stdout}"
    );
    assert!(!stdout.contains("DROP TABLE"), "{stdout}");
    assert!(stdout.contains("withheld"), "{stdout}");

    let (code, stdout, _) = pgdecl(&["diff", from.url(), to.url(), "--allow-destructive"]);
    assert_eq!(code, 2);
    assert!(stdout.contains("DROP TABLE"), "{stdout}");

    // What it printed is what turns FROM into TO.
    let applied = from
        .psql_command()
        .args(["-f", "-"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(stdout.as_bytes())?;
            child.wait()
        })
        .unwrap();
    assert!(applied.success());
    let (code, stdout, _) = pgdecl(&["diff", from.url(), to.url()]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn inspect_prints_schema_source() {
    let db = db(
        "cli_inspect",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
    );
    let (code, stdout, stderr) = pgdecl(&["inspect", db.url()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("pgdecl::schema! {"), "{stdout}");
    assert!(stdout.contains("table users {"), "{stdout}");
}

#[test]
fn errors_exit_1_without_the_password() {
    let (code, _, stderr) = pgdecl(&[
        "diff",
        "postgresql://app:hunter2@127.0.0.1:1/x?connect_timeout=2",
        "postgresql://app:hunter2@127.0.0.1:1/y?connect_timeout=2",
    ]);
    assert_eq!(code, 1);
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(stderr.contains("help:"), "{stderr}");
    let (code, _, stderr) = pgdecl(&["frobnicate"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("usage"), "{stderr}");
}
