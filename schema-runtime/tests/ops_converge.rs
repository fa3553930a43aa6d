//! Operations (issue 11) through the library, against a real server: the whole-run timeout,
//! on-failure continue, backups before an apply (a real `pg_dump -Fc`, a failing command, a
//! missing one, a Rust hook), the approval gate, audit events, ignore patterns, the drift
//! summary, creating a missing database, and the skip switch.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use schema_core::builder::*;
use schema_core::{DataType, Schema};
use schema_runtime::converge::{
    converge_audited, BackupHook, BackupPolicy, BackupStatus, Env, IgnorePatterns, OnFailure,
    Operation, Outcome, Validation,
};
use schema_runtime::testkit::{TestDatabase, TestServer};
use schema_runtime::{converge, converge_url, create_database_if_missing, ErrorKind, Mode, Policy};

/// `items(id integer primary key, name text, [note text])`, commented, with an index; and
/// `tags(id integer primary key)`.
fn version(note: bool) -> Schema {
    let mut items = TableDef::new("items")
        .column(ColumnDef::new("id", DataType::builtin("integer")).primary_key())
        .column(ColumnDef::new("name", DataType::builtin("text")))
        .index(IndexDef::on_columns(["name"]).named("items_name_idx"))
        .comment("what we sell");
    if note {
        items = items.column(ColumnDef::new("note", DataType::builtin("text")));
    }
    let tags = TableDef::new("tags")
        .column(ColumnDef::new("id", DataType::builtin("integer")).primary_key());
    Schema::builder().table(items).table(tags).build()
}

fn has_column(client: &mut postgres::Client, table: &str, column: &str) -> bool {
    client
        .query_opt(
            "SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2",
            &[&table, &column],
        )
        .unwrap()
        .is_some()
}

fn last_history(client: &mut postgres::Client) -> (String, Option<String>, Option<i64>) {
    let row = client
        .query_one(
            "SELECT outcome, backup_status, backup_size_bytes FROM pgdecl.history
             ORDER BY id DESC LIMIT 1",
            &[],
        )
        .unwrap();
    (row.get(0), row.get(1), row.get(2))
}

fn apply() -> Policy {
    Policy::new(Mode::Apply)
}

#[test]
fn the_whole_run_stops_at_its_limit_and_rolls_back() {
    let db = TestServer::shared().create_database("ops_timeout").unwrap();
    let mut client = db.connect();
    converge(&mut client, &version(false), &apply()).unwrap();

    // A long read holds the table: the run's ALTER waits on it, past its 1 s limit, although
    // each lock wait (5 s, 5 retries) alone would allow far longer.
    let mut holder = db.connect();
    let mut hold = holder.transaction().unwrap();
    hold.batch_execute("LOCK TABLE items IN ACCESS SHARE MODE")
        .unwrap();
    let policy = Policy {
        run_timeout: Some(Duration::from_secs(1)),
        ..apply()
    };
    let started = Instant::now();
    let err = converge(&mut client, &version(true), &policy).unwrap_err();
    let took = started.elapsed();
    hold.rollback().unwrap();

    assert_eq!(err.kind(), ErrorKind::RunTimeout, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("PGDECL_RUN_TIMEOUT") && text.contains("1s"),
        "{text}"
    );
    assert!(took < Duration::from_secs(4), "stopped after {took:?}");
    assert!(!has_column(&mut client, "items", "note"), "nothing applied");
    // Stopped in the transactional phase: recorded as failed, with the limit named.
    let error: String = client
        .query_one(
            "SELECT outcome || ': ' || error FROM pgdecl.history ORDER BY id DESC LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(
        error.starts_with("failed: ") && error.contains("PGDECL_RUN_TIMEOUT"),
        "{error}"
    );

    // Blocked while reading the catalog (a lock on the table the catalog functions wait
    // for): stopped all the same.
    let mut hold = holder.transaction().unwrap();
    hold.batch_execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let err = converge(&mut client, &version(true), &policy).unwrap_err();
    hold.rollback().unwrap();
    assert_eq!(err.kind(), ErrorKind::RunTimeout, "{err}");

    // The same run with time to spare converges.
    let roomy = Policy {
        run_timeout: Some(Duration::from_secs(120)),
        ..apply()
    };
    converge(&mut client, &version(true), &roomy).unwrap();
    assert!(has_column(&mut client, "items", "note"));
}

#[test]
fn on_failure_continue_returns_a_report_carrying_the_failure() {
    let db = TestServer::shared()
        .create_database("ops_continue")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &version(false), &apply()).unwrap();
    let mut holder = db.connect();
    let mut hold = holder.transaction().unwrap();
    hold.batch_execute("LOCK TABLE items IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let policy = Policy {
        on_failure: OnFailure::Continue,
        lock_timeout: Duration::from_millis(100),
        lock_retries: 0,
        ..apply()
    };
    let report = converge(&mut client, &version(true), &policy).expect("continue: Ok");
    hold.rollback().unwrap();
    let failure = report.failure.as_ref().expect("the failure is reported");
    assert_eq!(failure.code, "lock-timeout");
    assert!(!report.in_sync());
    assert!(
        report.to_string().starts_with("FAILED (lock-timeout)"),
        "{report}"
    );
    // Validate-only drift with continue: the report keeps the differences.
    let validate = Policy {
        on_failure: OnFailure::Continue,
        ..Policy::new(Mode::ValidateOnly)
    };
    let report = converge(&mut client, &version(true), &validate).unwrap();
    assert_eq!(report.failure.as_ref().unwrap().code, "drift");
    assert_eq!(report.plan.changes.len(), 1, "{report}");
}

/// `pg_dump -Fc` of the test installation, writing `$PGDECL_BACKUP_FILE`.
fn pg_dump_command(db: &TestDatabase) -> String {
    let pg_dump = db.bin("pg_dump");
    format!(
        "'{}' -Fc -f \"$PGDECL_BACKUP_FILE\"",
        pg_dump.get_program().to_string_lossy()
    )
}

#[test]
fn a_real_pg_dump_runs_before_an_apply_and_is_recorded() {
    let db = TestServer::shared().create_database("ops_backup").unwrap();
    let mut client = db.connect();
    let dir = std::env::temp_dir().join(format!("pgdecl-ops-backup-{}", std::process::id()));
    let policy = Policy {
        backup: BackupPolicy {
            command: Some(pg_dump_command(&db)),
            dir: Some(dir.clone()),
            ..BackupPolicy::required("full", true)
        },
        ..apply()
    };
    let report = converge(&mut client, &version(false), &policy).unwrap();
    let backup = report.backup.clone().expect("a backup was taken");
    assert_eq!(backup.status, BackupStatus::Ok, "{backup:?}");
    let file = backup.file.clone().expect("a file");
    assert!(file.starts_with(dir.to_str().unwrap()), "{file}");
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"PGDMP"), "a custom-format archive");
    assert_eq!(backup.size_bytes, Some(bytes.len() as u64));
    let (outcome, status, size) = last_history(&mut client);
    assert_eq!(
        (outcome.as_str(), status.as_deref(), size),
        ("applied", Some("ok"), Some(bytes.len() as i64))
    );
    // In sync: nothing to apply, no backup.
    let report = converge(&mut client, &version(false), &policy).unwrap();
    assert!(report.backup.is_none());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_failing_or_missing_backup_refuses_a_production_apply() {
    let db = TestServer::shared()
        .create_database("ops_backup_fail")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &version(false), &apply()).unwrap();
    // The production profile, applying (approval checked elsewhere).
    let production = Policy {
        mode: Mode::Apply,
        require_approval: false,
        ..Policy::for_env(Env::Production)
    };
    let failing = Policy {
        backup: BackupPolicy {
            command: Some("echo 'pg_dump: error: disk full' >&2; exit 3".into()),
            ..production.backup.clone()
        },
        ..production.clone()
    };
    let err = converge(&mut client, &version(true), &failing).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Backup, "{err}");
    let text = err.to_string();
    assert!(text.contains("exit status: 3"), "{text}");
    assert!(
        text.contains("pg_dump: error: disk full"),
        "stderr tail: {text}"
    );
    assert!(!has_column(&mut client, "items", "note"), "nothing applied");
    let (outcome, status, _) = last_history(&mut client);
    assert_eq!(
        (outcome.as_str(), status.as_deref()),
        ("failed", Some("failed"))
    );

    // Exit 0 without writing the file: a verified backup is missing.
    let silent = Policy {
        backup: BackupPolicy {
            command: Some("true".into()),
            ..production.backup.clone()
        },
        ..production.clone()
    };
    let err = converge(&mut client, &version(true), &silent).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Backup, "{err}");
    assert!(err.to_string().contains("wrote no file"), "{err}");

    // None configured at all.
    let err = converge(&mut client, &version(true), &production).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Backup, "{err}");
    assert!(err.to_string().contains("PGDECL_BACKUP_COMMAND"), "{err}");
    assert!(!has_column(&mut client, "items", "note"));
}

#[test]
fn a_rust_hook_backs_up_only_when_there_is_something_to_apply() {
    let db = TestServer::shared()
        .create_database("ops_backup_hook")
        .unwrap();
    let mut client = db.connect();
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let policy = Policy {
        backup: BackupPolicy {
            hook: Some(BackupHook::new(move |request| {
                seen.fetch_add(1, Ordering::SeqCst);
                assert!(request.database.starts_with("ops_backup_hook"));
                std::fs::write(&request.file, b"backup").map_err(|e| e.to_string())
            })),
            ..BackupPolicy::required("full", true)
        },
        ..apply()
    };
    converge(&mut client, &version(false), &policy).unwrap();
    converge(&mut client, &version(false), &policy).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let failing = Policy {
        backup: BackupPolicy {
            hook: Some(BackupHook::new(|_| Err("snapshot API down".into()))),
            ..BackupPolicy::required("full", false)
        },
        ..apply()
    };
    let err = converge(&mut client, &version(true), &failing).unwrap_err();
    assert!(err.to_string().contains("snapshot API down"), "{err}");
}

#[test]
fn production_refuses_an_unapproved_apply_naming_the_plan_file_flow() {
    let db = TestServer::shared()
        .create_database("ops_approval")
        .unwrap();
    let mut client = db.connect();
    let policy = Policy {
        mode: Mode::Apply,
        ..Policy::for_env(Env::Production)
    };
    let err = converge(&mut client, &version(false), &policy).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
    let text = err.to_string();
    assert!(text.contains("approved plan"), "{text}");
    assert!(text.contains("schema plan --out"), "{text}");
    assert!(text.contains("missing table public.items"), "{text}");
    assert!(!has_table(&mut client, "items"));
    // Nothing to apply: nothing to approve.
    converge(&mut client, &version(false), &apply()).unwrap();
    converge(&mut client, &version(false), &policy).unwrap();
}

fn has_table(client: &mut postgres::Client, table: &str) -> bool {
    client
        .query_opt("SELECT 1 FROM pg_tables WHERE tablename = $1", &[&table])
        .unwrap()
        .is_some()
}

#[test]
fn every_run_yields_one_audit_event() {
    let db = TestServer::shared().create_database("ops_audit").unwrap();
    let mut client = db.connect();
    std::env::set_var("PGDECL_CORRELATION_ID", "req-42");
    let production = Policy::for_env(Env::Production);

    // Validate on an empty database: drift, with what differs.
    let (result, event) = converge_audited(&mut client, &version(false), &production);
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Drift);
    assert_eq!(event.operation, Operation::Validate);
    assert_eq!(event.outcome, Outcome::Drift);
    assert_eq!(event.validation, Validation::Failed);
    assert_eq!(event.environment, Some(Env::Production));
    assert_eq!(event.affected_tables, ["public.items", "public.tags"]);
    assert!(!event.changes.is_empty());
    assert_eq!(event.correlation_id.as_deref(), Some("req-42"));
    let json: serde_json::Value = serde_json::from_str(&event.to_json()).unwrap();
    for key in [
        "operation",
        "outcome",
        "environment",
        "schema_hash",
        "pgdecl_version",
        "duration_ms",
        "affected_tables",
        "backup",
        "validation",
        "changes",
        "hazards",
        "error",
        "trace_id",
        "user",
        "mode",
    ] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    assert_eq!(json["error"]["code"], "drift");
    assert_eq!(json["environment"], "production");
    assert_eq!(json["mode"], "validate-only");
    assert!(json["changes"][0]["sql"]
        .as_str()
        .unwrap()
        .contains("CREATE TABLE"));

    // Apply: applied, with the changes applied.
    let (result, event) = converge_audited(&mut client, &version(false), &apply());
    let report = result.unwrap();
    assert_eq!(event.outcome, Outcome::Applied);
    assert_eq!(event.changes.len(), report.applied.len());
    assert_eq!(event.backup.status, BackupStatus::Skipped);
    // Report serializes with its stable names.
    let json = serde_json::to_value(&report).unwrap();
    assert!(
        json["duration_ms"].is_u64() && json["mode"] == "apply",
        "{json}"
    );
    // Then in sync.
    let (_, event) = converge_audited(&mut client, &version(false), &production);
    assert_eq!(
        (event.outcome, event.validation),
        (Outcome::InSync, Validation::Passed)
    );
    assert!(event.error.is_none());
}

#[test]
fn ignored_tables_are_neither_dropped_nor_reported() {
    let db = TestServer::shared().create_database("ops_ignore").unwrap();
    let mut client = db.connect();
    client
        .batch_execute(
            "CREATE TABLE schema_migrations (version bigint PRIMARY KEY);
             CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint);
             INSERT INTO schema_migrations VALUES (20240101);",
        )
        .unwrap();
    // Without patterns they are differences.
    converge(&mut client, &version(false), &apply()).unwrap();
    let err = converge(
        &mut client,
        &version(false),
        &Policy::new(Mode::ValidateOnly),
    )
    .unwrap_err();
    assert!(err.to_string().contains("schema_migrations"), "{err}");

    let ignore = IgnorePatterns::parse("public.schema_migrations, public.goose_*");
    let destructive = Policy {
        allow_destructive: true,
        ignore: ignore.clone(),
        ..apply()
    };
    let report = converge(&mut client, &version(false), &destructive).unwrap();
    assert!(report.in_sync(), "{report}");
    assert!(has_table(&mut client, "schema_migrations"));
    assert!(has_table(&mut client, "goose_db_version"));
    let validate = Policy {
        ignore,
        ..Policy::new(Mode::ValidateOnly)
    };
    converge(&mut client, &version(false), &validate).unwrap();
}

#[test]
fn the_drift_error_starts_with_a_summary_line() {
    let db = TestServer::shared().create_database("ops_summary").unwrap();
    let mut client = db.connect();
    let err = converge(
        &mut client,
        &version(false),
        &Policy::new(Mode::ValidateOnly),
    )
    .unwrap_err();
    let text = err.to_string();
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    assert!(
        first.starts_with("validating the database schema: missing tables: [items tags]; run: `"),
        "{first}"
    );
    assert!(first.contains("schema apply`"), "{first}");
    // One line per table: the comment and the index are part of the table's line.
    let listed: Vec<&str> = text.lines().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(
        listed,
        [
            "  - missing table public.items (with 1 index, 1 comment)",
            "  - missing table public.tags"
        ],
        "{text}"
    );
    converge(&mut client, &version(false), &apply()).unwrap();
    client
        .batch_execute("ALTER TABLE items ALTER COLUMN name TYPE varchar(20)")
        .unwrap();
    let err = converge(
        &mut client,
        &version(false),
        &Policy::new(Mode::ValidateOnly),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("validating the database schema: 1 column differs; run:"),
        "{text}"
    );
}

/// `db`'s URL naming the database `name` instead (percent-encoded).
fn url_for(db: &TestDatabase, name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    db.url()
        .replacen(&format!("/{}", db.name()), &format!("/{encoded}"), 1)
}

#[test]
fn a_missing_database_is_created_once_when_replicas_race() {
    let db = TestServer::shared()
        .create_database("ops_createdb")
        .unwrap();
    let mut admin = db.connect();
    // A hostile name: quotes, a semicolon, spaces, upper case.
    let name = format!("Ops \"x\"; DROP DATABASE {} --", db.name());
    let url = url_for(&db, &name);
    let created: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| s.spawn(|| create_database_if_missing(&url)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap().expect("every replica succeeds"))
            .collect()
    });
    assert_eq!(created.iter().filter(|c| **c).count(), 1, "{created:?}");
    assert!(!create_database_if_missing(&url).unwrap());
    let exists: bool = admin
        .query_one(
            "SELECT count(*) = 1 FROM pg_database WHERE datname = $1",
            &[&name],
        )
        .unwrap()
        .get(0);
    assert!(exists);
    // A converge through the URL works on it.
    converge_url(&url, &version(false), &apply()).unwrap();

    // A role without CREATEDB: the error says so.
    let role = format!("ops_nocreatedb_{}", std::process::id());
    admin
        .batch_execute(&format!(
            "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN"
        ))
        .unwrap();
    let url_as_role =
        url_for(&db, "ops_never_created").replacen("postgres@", &format!("{role}@"), 1);
    let err = create_database_if_missing(&url_as_role).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingPrivilege, "{err}");
    assert!(err.to_string().contains("CREATEDB"), "{err}");

    admin
        .batch_execute(&format!(
            "DROP DATABASE {} WITH (FORCE)",
            schema_core::ident::quote_ident(&name)
        ))
        .unwrap();
    admin.batch_execute(&format!("DROP ROLE {role}")).unwrap();
}

#[test]
fn mode_off_returns_without_connecting() {
    let policy = Policy::new(Mode::Off);
    let started = Instant::now();
    let report = converge_url(
        "postgresql://nobody:secret@127.0.0.1:1/none",
        &version(false),
        &policy,
    )
    .unwrap();
    assert!(report.skipped && !report.in_sync());
    assert!(started.elapsed() < Duration::from_secs(1));
    // A client in hand is not used either.
    let db = TestServer::shared().create_database("ops_off").unwrap();
    let mut client = db.connect();
    let (result, event) = converge_audited(&mut client, &version(false), &policy);
    assert!(result.unwrap().skipped);
    assert_eq!(event.outcome, Outcome::Skipped);
    assert!(!has_table(&mut client, "items"));
}
