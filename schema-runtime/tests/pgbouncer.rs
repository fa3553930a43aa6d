//! pgdecl through a real PgBouncer in transaction pooling mode: every statement outside a
//! transaction must use the unnamed statement, and no session setting may outlive pgdecl's own
//! transactions, since PgBouncer hands the server connection to another client after each one.
//!
//! Needs the `pgbouncer` binary (CI installs it). Without it these tests FAIL with an install
//! hint, unless `PGDECL_SKIP_PGBOUNCER=1` says to skip them on purpose.

use schema_core::builder::*;
use schema_core::{DataType, Schema};
use schema_runtime::introspect::{introspect, introspect_url_shared, Scope};
use schema_runtime::testkit::{ClusterError, PgBouncer, TempCluster, TestDatabase};
use schema_runtime::{converge, Mode, Policy};

fn t(name: &str) -> DataType {
    DataType::parse(name).unwrap()
}

/// A throwaway cluster with a PgBouncer (transaction mode, `pool` server connections) in
/// front, or `None` when the binary is missing and the caller asked to skip.
fn bouncer(pool: u32) -> Option<(TempCluster, PgBouncer)> {
    // A cluster of its own: the bouncer's pool must be the only way this test reaches it.
    let cluster = TempCluster::start().expect("throwaway cluster");
    match PgBouncer::start(&cluster, pool) {
        Ok(bouncer) => Some((cluster, bouncer)),
        Err(ClusterError::NoPgBouncer)
            if std::env::var("PGDECL_SKIP_PGBOUNCER").as_deref() == Ok("1") =>
        {
            eprintln!("skipped: no pgbouncer binary, and PGDECL_SKIP_PGBOUNCER=1");
            None
        }
        Err(err) => panic!("{err}"),
    }
}

fn v1() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("accounts")
                .column(ColumnDef::new("id", t("int8")).primary_key())
                .column(ColumnDef::new("email", t("text")).not_null()),
        )
        .build()
}

/// v1 plus an index on the existing table (built CONCURRENTLY, outside a transaction).
fn v2() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("accounts")
                .column(ColumnDef::new("id", t("int8")).primary_key())
                .column(ColumnDef::new("email", t("text")).not_null())
                .index(IndexDef::on_columns(["email"])),
        )
        .build()
}

/// v2 plus a check the existing rows violate: the apply fails and must record that.
fn v3_failing() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("accounts")
                .column(ColumnDef::new("id", t("int8")).primary_key())
                .column(ColumnDef::new("email", t("text")).not_null())
                .index(IndexDef::on_columns(["email"]))
                .check("id > 100"),
        )
        .build()
}

fn protocol_error(text: &str) -> bool {
    text.contains("prepared statement") || text.contains("does not exist")
}

fn app(declared: &Schema, url: &str, command: &str) -> (i32, String) {
    let args = ["--url".to_string(), url.to_string(), command.to_string()];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = schema_runtime::cli::app_main_with(declared, &args, &mut out, &mut err);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&err)
    );
    (code, text)
}

#[test]
fn converges_through_pgbouncer_in_transaction_mode() {
    // One server connection, shared by every client: what another client leaves on it,
    // pgdecl meets, and the other way round.
    let Some((cluster, bouncer)) = bouncer(1) else {
        return;
    };
    let db: TestDatabase = cluster.create_database("bouncer").unwrap();
    let url = bouncer.url_for(db.name());
    // Another client of the pool (another process, say) holds the named statements `s0`...
    // on that server connection. rust-postgres names its own statements `s<n>` from a counter
    // of this process, so any named statement of pgdecl's would fail with "prepared statement
    // \"s<n>\" already exists"; the unnamed statement never collides.
    let mut other = bouncer.connect(db.name()).unwrap();
    let names: String = (0..2000)
        .map(|n| format!("PREPARE s{n} AS SELECT {n};"))
        .collect();
    other.batch_execute(&names).unwrap();
    let mut client = bouncer.connect(db.name()).unwrap();

    let report = converge(&mut client, &v1(), &Policy::new(Mode::Apply)).unwrap();
    assert!(!report.applied.is_empty());
    client
        .batch_execute("INSERT INTO accounts VALUES (1, 'a@x'), (2, 'b@x')")
        .unwrap();
    let report = converge(&mut client, &v2(), &Policy::new(Mode::Apply)).unwrap();
    assert!(!report.applied.is_empty(), "v2 must build the index");

    // Through the pool, from other clients too: status and validate.
    let (code, text) = app(&v2(), &url, "status");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("up to date"), "{text}");
    let (code, text) = app(&v2(), &url, "validate");
    assert_eq!(code, 0, "{text}");
    converge(&mut client, &v2(), &Policy::new(Mode::ValidateOnly)).unwrap();

    // A failing apply, recorded as such through the pool.
    let err = converge(&mut client, &v3_failing(), &Policy::new(Mode::Apply)).unwrap_err();
    assert!(!protocol_error(&err.to_string()), "{err}");
    let mut direct = db.connect();
    let failed: i64 = direct
        .query_one(
            "SELECT count(*) FROM pgdecl.history WHERE outcome = 'failed'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(failed, 1, "the failure must be recorded");
    let valid: bool = direct
        .query_one(
            "SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = 'accounts'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(valid);

    // No session state left on the pool's server connections: every server connection the
    // pool holds is checked (more clients than connections, each in its own transaction).
    drop(client);
    for _ in 0..4 {
        let mut c = bouncer.connect(db.name()).unwrap();
        for setting in ["lock_timeout", "statement_timeout"] {
            let value = c
                .simple_query(&format!("SHOW {setting}"))
                .unwrap()
                .into_iter()
                .find_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                    _ => None,
                })
                .unwrap();
            assert_eq!(value, "0", "{setting} leaked to another client of the pool");
        }
    }
}

// Sixteen deployers of v2 (an index built CONCURRENTLY on an existing table) at once through
// a two-connection pool: without the lease, the concurrent index phase ran after the commit,
// outside the deploy lock, so every deployer recorded v2 as applied and built the index again.
#[test]
fn sixteen_deployers_through_pgbouncer() {
    let Some((cluster, bouncer)) = bouncer(2) else {
        return;
    };
    let db = cluster.create_database("bouncer16").unwrap();
    let mut first = bouncer.connect(db.name()).unwrap();
    converge(&mut first, &v1(), &Policy::new(Mode::Apply)).unwrap();
    first
        .batch_execute("INSERT INTO accounts VALUES (1, 'a@x')")
        .unwrap();
    drop(first);
    let declared = v2();
    let barrier = std::sync::Barrier::new(16);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|_| {
                s.spawn(|| {
                    let mut client = bouncer.connect(db.name()).unwrap();
                    barrier.wait();
                    converge(&mut client, &declared, &Policy::new(Mode::Apply))
                        .unwrap_or_else(|e| panic!("a deployer failed: {e}"));
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
    let mut direct = db.connect();
    let applied: i64 = direct
        .query_one(
            "SELECT count(*) FROM pgdecl.history WHERE outcome = 'applied'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(applied, 2, "v1 once, v2 once");
    let invalid: i64 = direct
        .query_one("SELECT count(*) FROM pg_index WHERE NOT indisvalid", &[])
        .unwrap()
        .get(0);
    assert_eq!(invalid, 0);
}

/// A catalog read that shares its queries with a second connection (as a converge of a
/// large schema reads) through the bouncer. With two server connections both take part and
/// the read is the one-connection read. With one, the second connection waits for the
/// server connection the read itself holds: the read must go on alone rather than wait
/// for it (it would wait forever), and read the same.
#[test]
fn a_shared_catalog_read_through_pgbouncer() {
    for pool in [2, 1] {
        let Some((cluster, bouncer)) = bouncer(pool) else {
            return;
        };
        let db = cluster.create_database("bouncer_shared").unwrap();
        let mut client = bouncer.connect(db.name()).unwrap();
        converge(&mut client, &v2(), &Policy::new(Mode::Apply)).unwrap();
        let alone = introspect(&mut client, &Scope::default()).unwrap();
        // Every server connection of the pool holds the named statements `s0`...: a named
        // statement of either connection of the read (rust-postgres names its own `s<n>`)
        // fails with "already exists" (see the first test).
        let mut holders: Vec<_> = (0..pool)
            .map(|_| bouncer.connect(db.name()).unwrap())
            .collect();
        let names: String = (0..2000)
            .map(|n| format!("PREPARE s{n} AS SELECT {n};"))
            .collect();
        // Each in a transaction at once, so each pins a server connection of its own.
        let mut open: Vec<_> = holders
            .iter_mut()
            .map(|h| h.transaction().unwrap())
            .collect();
        for tx in &mut open {
            tx.batch_execute(&names).unwrap();
        }
        for tx in open {
            tx.commit().unwrap();
        }
        let url = bouncer.url_for(db.name());
        let (shared, ran) = introspect_url_shared(&url, &Scope::default(), pool > 1)
            .unwrap_or_else(|e| panic!("shared read with a pool of {pool}: {e}"));
        assert_eq!(shared, alone, "pool of {pool}");
        if pool > 1 {
            assert!(ran > 0, "the second connection ran none of the queries");
        } else {
            assert_eq!(
                ran, 0,
                "a second connection got the pool's only server connection"
            );
        }
    }
}
