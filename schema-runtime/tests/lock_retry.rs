//! Lock waits: the plan's table locks are taken up front in one order, a lock wait is
//! retried with back-off until the holder goes away, no table the run already locked stays
//! locked while it waits for another, and when the retries run out the error names the
//! session that blocks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use schema_core::builder::*;
use schema_core::{DataType, Schema};
use schema_runtime::testkit::{TestDatabase, TestServer};
use schema_runtime::{converge, ErrorKind, Mode, Policy};

fn table(name: &str, extra: Option<&str>) -> TableDef {
    let mut t =
        TableDef::new(name).column(ColumnDef::new("id", DataType::builtin("bigint")).primary_key());
    if let Some(column) = extra {
        t = t.column(ColumnDef::new(column, DataType::builtin("text")));
    }
    t
}

/// v1: two tables.
fn v1() -> Schema {
    Schema::builder()
        .table(table("accounts", None))
        .table(table("webhooks", None))
        .build()
}

/// v2: a column on each (ACCESS EXCLUSIVE on both), and a new table.
fn v2() -> Schema {
    Schema::builder()
        .table(table("accounts", Some("name")))
        .table(table("webhooks", Some("url")))
        .table(table("audit_events", None))
        .build()
}

/// Holds ACCESS SHARE on `webhooks` (a long report, say) in a session named `lock-holder`
/// until `release` is received; `ready` is sent once the lock is held.
fn hold_webhooks(
    db: &TestDatabase,
    ready: mpsc::Sender<i32>,
    release: mpsc::Receiver<()>,
) -> std::thread::JoinHandle<()> {
    let mut holder = db.connect();
    std::thread::spawn(move || {
        let mut tx = holder.transaction().unwrap();
        tx.batch_execute(
            "SET LOCAL application_name = 'lock-holder';
             LOCK TABLE webhooks IN ACCESS SHARE MODE",
        )
        .unwrap();
        let pid: i32 = tx.query_one("SELECT pg_backend_pid()", &[]).unwrap().get(0);
        ready.send(pid).unwrap();
        let _ = release.recv();
        tx.commit().unwrap();
    })
}

fn policy(lock_timeout_ms: u64, retries: u32) -> Policy {
    Policy {
        lock_timeout: Duration::from_millis(lock_timeout_ms),
        lock_retries: retries,
        lock_retry_max_delay: Duration::from_millis(400),
        application_name: "pgdecl-lock-test".into(),
        ..Policy::new(Mode::Apply)
    }
}

#[test]
fn a_held_lock_is_retried_until_released_and_other_tables_stay_readable() {
    let db = TestServer::shared().create_database("lockretry").unwrap();
    let mut client = db.connect();
    converge(&mut client, &v1(), &Policy::new(Mode::Apply)).unwrap();

    let (ready_tx, ready) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let holder = hold_webhooks(&db, ready_tx, release_rx);
    ready.recv().unwrap();

    // A reader of `accounts` that gives up after 100 ms of lock wait: if the run held
    // `accounts` (which it alters) while waiting for `webhooks`, up to lock_timeout (300 ms)
    // at a time, the reader would fail.
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let mut reader = db.connect();
        let stop = stop.clone();
        std::thread::spawn(move || {
            reader.batch_execute("SET lock_timeout = '100ms'").unwrap();
            let (mut ok, mut blocked) = (0, Vec::new());
            while !stop.load(Ordering::SeqCst) {
                match reader.query_one("SELECT count(*) FROM accounts", &[]) {
                    Ok(_) => ok += 1,
                    Err(e) => blocked.push(e.to_string()),
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            (ok, blocked)
        })
    };
    // The holder lets go after the run has had to retry a few times.
    let releaser = std::thread::spawn({
        let mut watcher = db.connect();
        move || {
            // Wait until the run is waiting for the lock (retried at least once: the run
            // logs nothing we can see, so look at pg_stat_activity for its lock wait).
            let mut seen = 0;
            for _ in 0..500 {
                let waiting: bool = watcher
                    .query_one(
                        "SELECT EXISTS (SELECT FROM pg_stat_activity
                          WHERE application_name = 'pgdecl-lock-test' AND wait_event_type = 'Lock')",
                        &[],
                    )
                    .unwrap()
                    .get(0);
                if waiting {
                    seen += 1;
                    if seen >= 3 {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(350));
                } else {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
            release.send(()).unwrap();
            seen
        }
    });

    let report =
        converge(&mut client, &v2(), &policy(300, 20)).expect("retried until it got the lock");
    let seen_waiting = releaser.join().unwrap();
    holder.join().unwrap();
    stop.store(true, Ordering::SeqCst);
    let (reads, blocked) = reader.join().unwrap();

    assert!(seen_waiting >= 1, "the run waited for the held lock");
    assert!(report.in_sync(), "{report:?}");
    assert!(reads > 0);
    assert!(
        blocked.is_empty(),
        "a table the run alters stayed locked while it waited for another: {blocked:?}"
    );
    let applied: i64 = client
        .query_one(
            "SELECT count(*) FROM pgdecl.history WHERE outcome = 'applied'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        applied, 2,
        "v1 and v2, each recorded once: retries are not runs"
    );
    let failed: i64 = client
        .query_one(
            "SELECT count(*) FROM pgdecl.history WHERE outcome <> 'applied'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(failed, 0);
}

#[test]
fn exhausted_retries_name_the_blocking_session_and_leave_nothing_applied() {
    let db = TestServer::shared()
        .create_database("lockexhausted")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &v1(), &Policy::new(Mode::Apply)).unwrap();

    let (ready_tx, ready) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let holder = hold_webhooks(&db, ready_tx, release_rx);
    let holder_pid = ready.recv().unwrap();

    let err = converge(&mut client, &v2(), &policy(100, 2)).unwrap_err();
    release.send(()).unwrap();
    holder.join().unwrap();

    assert_eq!(err.kind(), ErrorKind::LockTimeout, "{err}");
    let text = err.to_string();
    for needle in [
        format!("pid {holder_pid}"),
        "lock-holder".to_string(),
        "idle in transaction".to_string(),
        "public.webhooks".to_string(),
        "3 attempts".to_string(),
        "PGDECL_LOCK_TIMEOUT".to_string(),
        "PGDECL_LOCK_RETRIES".to_string(),
    ] {
        assert!(text.contains(&needle), "missing {needle:?} in: {text}");
    }
    // Nothing of v2 applied, not even the new table or the other table's column.
    let (audit, name): (bool, bool) = {
        let row = client
            .query_one(
                "SELECT to_regclass('public.audit_events') IS NOT NULL,
                        EXISTS (SELECT FROM information_schema.columns
                                WHERE table_name = 'accounts' AND column_name = 'name')",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert!(!audit && !name, "the run rolled back whole");
    // Once the holder is gone, the next run goes through.
    converge(&mut client, &v2(), &policy(100, 2)).unwrap();
}
