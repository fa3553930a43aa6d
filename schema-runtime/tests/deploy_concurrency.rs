//! One deployer at a time through every phase (the deploy lease), honest history and resumable
//! runs, against a real PostgreSQL: many concurrent deployers, `kill -9` mid-apply, a held and
//! a stale lease, and the client-side deadline of the concurrent index phase.

use std::process::{Command, Stdio};

use schema_core::builder::*;
use schema_core::model::*;
use schema_core::DataType;
use schema_runtime::testkit::{TestDatabase, TestServer};
use schema_runtime::{converge, validate, ErrorKind, Mode, Policy};

const TABLES: usize = 5;
const ROWS: usize = 2000;

fn t(name: &str) -> DataType {
    DataType::parse(name).unwrap()
}

/// v1: five tables with an enum column; v2 adds an enum label used by a new default (so the
/// label phase runs), and four indexes on each existing table (built concurrently).
fn schema(v2: bool) -> Schema {
    let labels: &[&str] = if v2 {
        &["new", "old", "archived"]
    } else {
        &["new", "old"]
    };
    let mut builder = Schema::builder().enum_type("state", labels.iter().copied());
    for i in 0..TABLES {
        let mut table = TableDef::new(format!("t{i}").as_str())
            .column(
                ColumnDef::new("id", t("int8"))
                    .identity(Identity::Always)
                    .primary_key(),
            )
            .column(ColumnDef::new("a", t("int4")).not_null())
            .column(ColumnDef::new("b", t("text")))
            .column(ColumnDef::new("c", t("int4")))
            .column(
                ColumnDef::new("state", DataType::named("public", "state"))
                    .not_null()
                    .default_sql(if v2 && i == 0 { "'archived'" } else { "'new'" }),
            );
        if v2 {
            table = table
                .index(IndexDef::on_columns(["a"]))
                .index(IndexDef::on_columns(["b"]))
                .index(IndexDef::on_columns(["c"]))
                .index(IndexDef::on_columns(["a", "c"]));
        }
        builder = builder.table(table);
    }
    builder.build()
}

fn apply() -> Policy {
    Policy::new(Mode::Apply)
}

/// A database at v1 with rows in every table.
fn at_v1(prefix: &str) -> TestDatabase {
    let db = TestServer::shared().create_database(prefix).unwrap();
    let mut client = db.connect();
    converge(&mut client, &schema(false), &apply()).unwrap();
    for i in 0..TABLES {
        client
            .batch_execute(&format!(
                "INSERT INTO t{i} (a, b, c) SELECT g, 'row ' || g, g % 97 \
                 FROM generate_series(1, {ROWS}) g"
            ))
            .unwrap();
    }
    db
}

fn count(client: &mut postgres::Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).unwrap().get(0)
}

fn invalid_indexes(client: &mut postgres::Client) -> i64 {
    count(
        client,
        "SELECT count(*) FROM pg_index WHERE NOT indisvalid OR NOT indisready",
    )
}

#[test]
fn sixteen_concurrent_deployers_v1_then_v2_one_history_row_each_no_invalid_index() {
    let db = TestServer::shared().create_database("deploy16").unwrap();
    for (version, v2) in [(1, false), (2, true)] {
        let declared = schema(v2);
        let barrier = std::sync::Barrier::new(16);
        let applied: Vec<usize> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..16)
                .map(|_| {
                    s.spawn(|| {
                        let mut client = db.connect();
                        barrier.wait();
                        converge(&mut client, &declared, &apply())
                            .unwrap_or_else(|e| panic!("a v{version} deployer failed: {e}"))
                            .applied
                            .len()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            applied.iter().filter(|n| **n > 0).count(),
            1,
            "v{version}: {applied:?}"
        );
        if !v2 {
            let mut client = db.connect();
            for i in 0..TABLES {
                client
                    .batch_execute(&format!(
                        "INSERT INTO t{i} (a, b, c) SELECT g, 'row ' || g, g % 97 \
                         FROM generate_series(1, {ROWS}) g"
                    ))
                    .unwrap();
            }
        }
    }
    let mut client = db.connect();
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM pgdecl.history"),
        2,
        "one history row per schema change"
    );
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pgdecl.history WHERE outcome = 'applied' \
             AND remaining_sql IS NULL AND error IS NULL"
        ),
        2
    );
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'"
        ),
        (TABLES * 5) as i64
    );
    assert_eq!(invalid_indexes(&mut client), 0);
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM pgdecl.deploy_lease"),
        0,
        "the lease is released"
    );
    validate(&mut client, &schema(true)).unwrap();
}

#[test]
fn a_held_lease_makes_the_next_deployer_wait_and_names_the_holder() {
    let db = at_v1("lease_held");
    let mut holder = db.connect();
    holder
        .batch_execute(
            "INSERT INTO pgdecl.deploy_lease SELECT 1, 'other-deployer', pg_backend_pid(), \
             backend_start, 'billing-service', now(), now(), now() + interval '1 hour' \
             FROM pg_stat_activity WHERE pid = pg_backend_pid()",
        )
        .unwrap();
    let mut client = db.connect();
    let impatient = Policy {
        deploy_lock_timeout: std::time::Duration::from_millis(100),
        ..apply()
    };
    let err = converge(&mut client, &schema(true), &impatient).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LockTimeout, "{err}");
    let text = err.to_string();
    for needle in [
        "other-deployer",
        "billing-service",
        "PGDECL_DEPLOY_LOCK_TIMEOUT",
    ] {
        assert!(text.contains(needle), "{needle} missing from: {text}");
    }
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM pgdecl.history"),
        1,
        "nothing was applied while the lease was held"
    );

    // A patient deployer waits, and proceeds once the holder releases the lease.
    std::thread::scope(|s| {
        let waiter = s.spawn(|| {
            let mut client = db.connect();
            converge(&mut client, &schema(true), &apply()).map(|r| r.applied.len())
        });
        holder
            .batch_execute("DELETE FROM pgdecl.deploy_lease")
            .unwrap();
        let applied = waiter.join().unwrap().unwrap();
        assert!(applied > 0);
    });
    validate(&mut client, &schema(true)).unwrap();
    assert_eq!(invalid_indexes(&mut client), 0);
}

#[test]
fn a_lease_whose_holder_is_gone_or_expired_is_taken_over_at_once() {
    let db = at_v1("lease_stale");
    // Held by a backend that is gone (a client killed with kill -9 on a direct connection).
    let mut gone = db.connect();
    let pid: i32 = gone
        .query_one(
            "INSERT INTO pgdecl.deploy_lease SELECT 1, 'killed-deployer', pg_backend_pid(), \
             backend_start, 'pgdecl', now(), now(), now() + interval '1 hour' \
             FROM pg_stat_activity WHERE pid = pg_backend_pid() RETURNING holder_pid",
            &[],
        )
        .unwrap()
        .get(0);
    drop(gone);
    let mut client = db.connect();
    while count(
        &mut client,
        &format!("SELECT count(*) FROM pg_stat_activity WHERE pid = {pid}"),
    ) > 0
    {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // No waiting allowed: the stale lease must be taken over on the first attempt.
    let no_wait = Policy {
        deploy_lock_timeout: std::time::Duration::ZERO,
        ..apply()
    };
    converge(&mut client, &schema(true), &no_wait).unwrap();
    validate(&mut client, &schema(true)).unwrap();

    // Held by a live backend, but expired.
    let db = at_v1("lease_expired");
    let mut client = db.connect();
    let mut live = db.connect();
    live.batch_execute(
        "INSERT INTO pgdecl.deploy_lease SELECT 1, 'stuck-deployer', pg_backend_pid(), \
         backend_start, 'pgdecl', now(), now(), now() - interval '1 second' \
         FROM pg_stat_activity WHERE pid = pg_backend_pid()",
    )
    .unwrap();
    converge(&mut client, &schema(true), &no_wait).unwrap();
    validate(&mut client, &schema(true)).unwrap();
}

#[test]
fn the_concurrent_phase_has_a_client_side_deadline_and_leaves_no_session_setting() {
    let db = at_v1("deadline");
    // An open transaction that wrote to t3 makes CREATE INDEX CONCURRENTLY on t3 wait for it.
    let mut blocker = db.connect();
    blocker
        .batch_execute("BEGIN; INSERT INTO t3 (a) VALUES (1)")
        .unwrap();
    let mut client = db.connect();
    let short = Policy {
        statement_timeout: std::time::Duration::from_secs(2),
        ..apply()
    };
    let err = converge(&mut client, &schema(true), &short).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StatementTimeout, "{err}");
    assert!(
        err.to_string().contains("PGDECL_STATEMENT_TIMEOUT"),
        "{err}"
    );
    let row = client
        .query_one(
            "SELECT outcome, remaining_sql FROM pgdecl.history ORDER BY id DESC LIMIT 1",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "failed");
    let remaining: String = row.get(1);
    assert!(remaining.contains("t3"), "{remaining}");
    // The session keeps the server's defaults: nothing was SET outside a transaction.
    for setting in ["statement_timeout", "lock_timeout"] {
        let value: String = client
            .query_one(&format!("SHOW {setting}"), &[])
            .unwrap()
            .get(0);
        assert_eq!(value, "0", "{setting}");
    }
    blocker.batch_execute("ROLLBACK").unwrap();
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM pgdecl.deploy_lease"),
        0,
        "the lease is released on error too"
    );
}

/// The environment variable that turns [`child_applies_v2`] into a real child run.
const CHILD_URL: &str = "PGDECL_TEST_DEPLOY_CHILD_URL";

/// Not a test of its own: the child process of [`kill_9_at_random_points_then_the_next_run_converges`].
#[test]
#[ignore = "run as a child process by kill_9_at_random_points_then_the_next_run_converges"]
fn child_applies_v2() {
    let url = std::env::var(CHILD_URL).expect("run by the kill -9 test only");
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let policy = Policy {
        application_name: std::env::var("PGDECL_TEST_CHILD_NAME").unwrap(),
        ..apply()
    };
    converge(&mut client, &schema(true), &policy).unwrap();
}

#[test]
fn kill_9_at_random_points_then_the_next_run_converges() {
    let exe = std::env::current_exe().unwrap();
    // xorshift with a fixed seed: the same kill points on every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..20 {
        let db = at_v1(&format!("kill9_{round}"));
        let name = format!("killed-{round}");
        let mut child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "child_applies_v2",
                "--test-threads=1",
            ])
            .env(CHILD_URL, db.url())
            .env("PGDECL_TEST_CHILD_NAME", &name)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = 5 + next() % 300;
        std::thread::sleep(std::time::Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let mut client = db.connect();
        // Whatever the child left, a history row of it says `applied` only if nothing remains.
        let declared = schema(true);
        let remains = !schema_runtime::plan(&mut client, &declared, &[])
            .unwrap()
            .changes
            .is_empty();
        let claimed: i64 = client
            .query_one(
                "SELECT count(*) FROM pgdecl.history WHERE application_name = $1 \
                 AND outcome = 'applied'",
                &[&name],
            )
            .unwrap()
            .get(0);
        eprintln!("round {round}: killed after {delay} ms, work remained: {remains}");
        assert!(
            !(remains && claimed > 0),
            "round {round} (kill after {delay} ms): history says applied, but work remains"
        );
        converge(&mut client, &declared, &apply())
            .unwrap_or_else(|e| panic!("round {round} (kill after {delay} ms): {e}"));
        validate(&mut client, &declared)
            .unwrap_or_else(|e| panic!("round {round} (kill after {delay} ms): {e}"));
        assert_eq!(invalid_indexes(&mut client), 0, "round {round}");
    }
}
