//! Helpers for the real-PostgreSQL tests of rendered SQL: run a script with `psql`, read the
//! schema back with `pg_dump`.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

use schema_runtime::testkit::{TestDatabase, TestServer};

/// A fresh database of its own on the shared test server.
pub fn database(prefix: &str) -> TestDatabase {
    TestServer::shared()
        .create_database(prefix)
        .unwrap_or_else(|e| panic!("cannot create a test database: {e}"))
}

/// Runs `sql` through `psql` (each statement on its own, as a release would: no surrounding
/// transaction, so `CREATE INDEX CONCURRENTLY` runs), stopping at the first error.
pub fn run(db: &TestDatabase, sql: &str, what: &str) {
    let mut child = db
        .psql_command()
        .args(["-v", "VERBOSITY=terse"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("psql runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(sql.as_bytes())
        .expect("write to psql");
    let out = child.wait_with_output().expect("psql finishes");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what}: psql failed:\n{stderr}\n--- script ---\n{sql}"
    );
    let errors: Vec<&str> = stderr.lines().filter(|l| !l.contains("NOTICE:")).collect();
    assert!(
        errors.is_empty(),
        "{what}: psql said:\n{}",
        errors.join("\n")
    );
}

/// `pg_dump --schema-only` of the database, without the lines that differ on every run.
pub fn dump(db: &TestDatabase) -> String {
    let out = with_output(db.pg_dump_command().arg("--schema-only"));
    out.lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn with_output(cmd: &mut Command) -> String {
    let out = cmd.output().expect("command runs");
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// A line diff of two dumps, for assertion messages.
pub fn dump_diff(a: &str, b: &str) -> String {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let mut out = String::new();
    for line in &a {
        if !b.contains(line) {
            out.push_str(&format!("- {line}\n"));
        }
    }
    for line in &b {
        if !a.contains(line) {
            out.push_str(&format!("+ {line}\n"));
        }
    }
    out
}
