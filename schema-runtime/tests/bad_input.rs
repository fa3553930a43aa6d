//! Bad input at run time: each failure is a clear error that names the cause and the fix,
//! never a panic, a half-applied schema or a password in a message.

use schema_core::builder::*;
use schema_core::DataType;
use schema_core::Schema;
use schema_runtime::testkit::TestServer;
use schema_runtime::{connect, converge, ErrorKind, Mode, Policy};

fn accounts() -> TableDef {
    TableDef::new("accounts")
        .column(ColumnDef::new("id", DataType::builtin("bigint")).primary_key())
        .column(ColumnDef::new("email", DataType::builtin("text")).not_null())
}

fn declared() -> Schema {
    Schema::builder().table(accounts()).build()
}

/// `accounts` with one more column, and another table.
fn next() -> Schema {
    Schema::builder()
        .table(accounts().column(ColumnDef::new("name", DataType::builtin("text"))))
        .table(TableDef::new("other").column(ColumnDef::new("id", DataType::builtin("integer"))))
        .build()
}

/// The error of a connection that must fail.
fn connect_err(url: &str) -> schema_runtime::Error {
    match connect(url) {
        Ok(_) => panic!("connecting to {url} should fail"),
        Err(e) => e,
    }
}

/// The URL of `db` with another database name.
fn url_with_db(url: &str, old: &str, new: &str) -> String {
    url.replacen(&format!("/{old}"), &format!("/{new}"), 1)
}

#[test]
fn unreachable_server_names_the_cause_and_hides_the_password() {
    let err = connect_err("postgresql://app:hunter2@127.0.0.1:1/app?connect_timeout=2");
    assert_eq!(err.kind(), ErrorKind::Unreachable);
    assert_eq!(err.code(), "unreachable");
    let text = err.to_string();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("pg_isready"), "{text}");
    assert_eq!(
        format!("{err:?}"),
        text,
        "Debug prints the cause and the fix"
    );
    // The client library's error stays reachable, not flattened into text.
    let source = std::error::Error::source(&err).expect("a source");
    assert!(
        source.downcast_ref::<postgres::Error>().is_some(),
        "{source:?}"
    );
}

#[test]
fn missing_database() {
    let db = TestServer::shared().create_database("missingdb").unwrap();
    let url = url_with_db(db.url(), db.name(), "no_such_database_here");
    let err = connect_err(&url);
    assert_eq!(err.kind(), ErrorKind::MissingDatabase, "{err}");
    assert_eq!(err.code(), "missing-database");
    assert_eq!(err.sqlstate(), Some("3D000"), "{err}");
    assert!(err.to_string().contains("createdb"), "{err}");
}

#[test]
fn wrong_password() {
    let server = TestServer::shared();
    let Some(cluster) = server.temp_cluster() else {
        eprintln!("skipped: needs the throwaway cluster to change pg_hba.conf");
        return;
    };
    let db = server.create_database("password").unwrap();
    let mut admin = db.connect();
    admin
        .batch_execute("DO $$ BEGIN CREATE ROLE pw_user LOGIN PASSWORD 'right-one'; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        .unwrap();
    // Require a password for this one role, ahead of the trust lines.
    let hba = cluster.data_dir().join("pg_hba.conf");
    let old = std::fs::read_to_string(&hba).unwrap();
    if !old.contains("pw_user") {
        std::fs::write(&hba, format!("local all pw_user scram-sha-256\n{old}")).unwrap();
        admin.batch_execute("SELECT pg_reload_conf()").unwrap();
    }
    let url = db.url().replacen("postgres@", "pw_user:wrong-secret@", 1);
    let err = connect_err(&url);
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    let text = err.to_string();
    assert!(!text.contains("wrong-secret"), "{text}");
    assert!(text.contains("password"), "{text}");
    let ok = db.url().replacen("postgres@", "pw_user:right-one@", 1);
    connect(&ok).unwrap();
}

#[test]
fn missing_privilege_changes_nothing() {
    let db = TestServer::shared().create_database("privilege").unwrap();
    let mut admin = db.connect();
    admin
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE limited LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
             REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        )
        .unwrap();
    let url = db.url().replacen("postgres@", "limited@", 1);
    let mut client = connect(&url).unwrap();
    let err = converge(&mut client, &declared(), &Policy::new(Mode::Apply)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingPrivilege, "{err}");
    assert!(err.to_string().contains("GRANT"), "{err}");
    let n: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'pgdecl%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "nothing may be left behind");
}

/// Holds an ACCESS EXCLUSIVE lock on `accounts` in another session while `f` runs.
fn while_locked<T>(db: &schema_runtime::testkit::TestDatabase, f: impl FnOnce() -> T) -> T {
    let mut holder = db.connect();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let out = f();
    tx.rollback().unwrap();
    out
}

#[test]
fn lock_timeout_leaves_nothing_half_applied() {
    let db = TestServer::shared().create_database("locktimeout").unwrap();
    let mut client = db.connect();
    converge(&mut client, &declared(), &Policy::new(Mode::Apply)).unwrap();
    // The new declaration adds a table and a column to the locked one: all or nothing.
    let next = next();
    let policy = Policy {
        lock_timeout: std::time::Duration::from_millis(200),
        lock_retries: 1,
        ..Policy::new(Mode::Apply)
    };
    let err = while_locked(&db, || converge(&mut client, &next, &policy)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LockTimeout, "{err}");
    assert!(err.to_string().contains("lock_timeout"), "{err}");
    let other: bool = client
        .query_one("SELECT to_regclass('public.other') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(!other, "the transaction must have rolled back whole");
    let failed: i64 = client
        .query_one(
            "SELECT count(*) FROM pgdecl.history WHERE outcome = 'failed'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(failed, 1, "the failed run is recorded");
}

#[test]
fn statement_timeout() {
    let db = TestServer::shared().create_database("stmttimeout").unwrap();
    let mut client = db.connect();
    converge(&mut client, &declared(), &Policy::new(Mode::Apply)).unwrap();
    let policy = Policy {
        lock_timeout: std::time::Duration::from_secs(30),
        statement_timeout: std::time::Duration::from_millis(300),
        ..Policy::new(Mode::Apply)
    };
    let next = next();
    let err = while_locked(&db, || converge(&mut client, &next, &policy)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StatementTimeout, "{err}");
    assert!(err.to_string().contains("statement_timeout"), "{err}");
}

#[test]
fn unmodelled_objects_are_reported_and_kept() {
    let db = TestServer::shared().create_database("unmodelled").unwrap();
    let mut client = db.connect();
    client
        .batch_execute(
            "CREATE AGGREGATE parallel_sum(int4) (SFUNC = int4pl, STYPE = int4, COMBINEFUNC = int4pl);",
        )
        .unwrap();
    let report = converge(&mut client, &declared(), &Policy::new(Mode::Apply)).unwrap();
    let names: Vec<String> = report
        .unmodeled
        .iter()
        .map(|u| format!("{} {}", u.kind, u.name))
        .collect();
    // A plain aggregate is modelled; one with options the model cannot hold is reported.
    assert!(
        names
            .iter()
            .any(|n| n.contains("aggregate with options") && n.contains("parallel_sum")),
        "{names:?}"
    );
    let still: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_proc WHERE proname = 'parallel_sum'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(still, 1);
}
