//! Convergence against a real PostgreSQL: apply, re-plan empty, rows kept.

use schema_core::builder::*;
use schema_core::model::*;
use schema_core::DataType;
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, Mode, Policy};

fn t(name: &str) -> DataType {
    DataType::parse(name).unwrap()
}

/// A schema with the expression shapes the catalog reprints.
fn awkward() -> Schema {
    Schema::builder()
        .extension(Extension {
            name: "pgcrypto".into(),
            schema: None,
            comment: None,
        })
        .schema(Namespace {
            name: "audit".into(),
            comment: Some("audit trail".into()),
        })
        .enum_type("user_role", ["admin", "member", "guest"])
        .function(Function {
            name: QualifiedName::public("clamp_score"),
            is_procedure: false,
            args: vec![FunctionArg {
                mode: ArgMode::In,
                name: Some("s".into()),
                data_type: t("numeric"),
                default: None,
            }],
            returns: Some(Returns::Type(t("numeric"))),
            language: "sql".into(),
            body: "SELECT greatest(s, 0)".into(),
            body_style: BodyStyle::Quoted,
            volatility: Volatility::Immutable,
            strict: true,
            security_definer: false,
            config: vec![],
            comment: None,
        })
        .table(
            TableDef::new("users")
                .column(
                    ColumnDef::new("id", t("int8"))
                        .identity(Identity::Always)
                        .primary_key(),
                )
                .column(ColumnDef::new("legacy", t("serial")))
                .column(
                    ColumnDef::new("email", t("varchar(255)"))
                        .not_null()
                        .unique(),
                )
                .column(
                    ColumnDef::new("role", DataType::named("public", "user_role"))
                        .not_null()
                        .default_sql("'member'"),
                )
                .column(
                    ColumnDef::new("score", t("decimal(10,2)"))
                        .not_null()
                        .default_sql("0")
                        .check("score BETWEEN -1 AND 100"),
                )
                .column(
                    ColumnDef::new("tags", t("text[]"))
                        .not_null()
                        .default_sql("ARRAY['a','b']::text[]"),
                )
                .column(
                    ColumnDef::new("status", t("text")).check("status IN ('active', 'disabled')"),
                )
                .column(ColumnDef::new("delta", t("int4")).default_sql("-1"))
                .column(
                    ColumnDef::new("created_at", t("timestamptz"))
                        .not_null()
                        .default_sql("now()"),
                )
                .column(ColumnDef::new("seen_at", t("timestamp")).default_sql("CURRENT_TIMESTAMP"))
                .column(ColumnDef::new("token", t("uuid")).default_sql("gen_random_uuid()"))
                .column(ColumnDef::new("bonus", t("numeric")).default_sql("clamp_score(5)"))
                .column(ColumnDef::new("note", t("text")))
                .check("email != '' AND note IS NOT DISTINCT FROM note")
                .index(IndexDef::on_columns(["email"]).where_sql("status = 'active'"))
                .index(
                    IndexDef::new()
                        .expression("lower(email)")
                        .expression("clamp_score(score)"),
                )
                .index(IndexDef::new().element(IndexElement::column("note").opclass("text_ops"))),
        )
        .table(
            TableDef::new(QualifiedName::new("audit", "events"))
                .column(ColumnDef::new("id", t("bigserial")).primary_key())
                .column(
                    ColumnDef::new("user_id", t("bigint"))
                        .references(References::table("users").on_delete(FkAction::Cascade)),
                )
                .column(
                    ColumnDef::new("at", t("timestamp with time zone"))
                        .default_sql("CURRENT_TIMESTAMP"),
                ),
        )
        .build()
}

#[test]
fn apply_then_replan_is_empty_and_rows_survive() {
    let db = TestServer::shared().create_database("converge").unwrap();
    let mut client = db.connect();
    let declared = awkward();
    let report = converge(&mut client, &declared, &Policy::new(Mode::Apply)).unwrap();
    assert!(!report.applied.is_empty());
    assert!(report.withheld.is_empty(), "{:#?}", report.withheld);

    client
        .batch_execute("INSERT INTO users (email, status) VALUES ('a@x', 'active'), ('b@x', NULL)")
        .unwrap();
    let again = converge(&mut client, &declared, &Policy::new(Mode::Apply)).unwrap();
    assert!(
        again.plan.changes.is_empty(),
        "re-plan is not empty:\n{}",
        again.plan.to_sql()
    );
    let validate = converge(&mut client, &declared, &Policy::new(Mode::ValidateOnly));
    assert!(validate.is_ok(), "{}", validate.unwrap_err());
    let n: i64 = client
        .query_one("SELECT count(*) FROM users", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 2);
    let applied: i64 = client
        .query_one(
            "SELECT count(*) FROM pgdecl.history WHERE outcome = 'applied'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(applied, 1, "a run with nothing to do records nothing");
}

#[test]
fn validate_only_names_every_difference_and_the_fix() {
    let db = TestServer::shared().create_database("validate").unwrap();
    let mut client = db.connect();
    let err = converge(&mut client, &awkward(), &Policy::new(Mode::ValidateOnly)).unwrap_err();
    let text = err.to_string();
    assert_eq!(err.kind(), schema_runtime::ErrorKind::Drift, "{text}");
    assert!(text.contains("missing table public.users"), "{text}");
    assert!(text.contains("missing table audit.events"), "{text}");
    assert!(text.contains("CREATE TABLE IF NOT EXISTS"), "{text}");
    // Nothing was created.
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname IN ('users', 'events')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
}

#[test]
fn eight_concurrent_deployers_apply_once() {
    let db = TestServer::shared().create_database("concurrent").unwrap();
    let declared = awkward();
    let barrier = std::sync::Barrier::new(8);
    let applied: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    let mut client = db.connect();
                    barrier.wait();
                    let report = converge(&mut client, &declared, &Policy::new(Mode::Apply))
                        .unwrap_or_else(|e| panic!("a deployer failed: {e}"));
                    report.applied.len()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(applied.iter().filter(|n| **n > 0).count(), 1, "{applied:?}");
    let mut client = db.connect();
    let rows: i64 = client
        .query_one(
            "SELECT count(*) FROM pgdecl.history WHERE outcome = 'applied'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(rows, 1);
}

#[test]
fn destructive_changes_are_withheld_unless_allowed() {
    let db = TestServer::shared().create_database("destructive").unwrap();
    let mut client = db.connect();
    let declared = awkward();
    converge(&mut client, &declared, &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO users (email) VALUES ('keep@x')")
        .unwrap();
    // Declare the schema without `note` and without audit.events.
    let mut smaller = declared.clone();
    smaller.tables.retain(|t| t.name.name != "events");
    let users = smaller
        .tables
        .iter_mut()
        .find(|t| t.name.name == "users")
        .unwrap();
    users.columns.retain(|c| c.name != "note");
    users
        .constraints
        .retain(|c| !matches!(&c.kind, ConstraintKind::Check { expr } if expr.contains("note")));
    users.indexes.retain(|i| {
        !i.elements
            .iter()
            .any(|e| e.target == IndexTarget::Column("note".into()))
    });
    let report = converge(&mut client, &smaller, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.applied.is_empty(), "{:#?}", report.applied);
    assert!(report.withheld.len() >= 2, "{:#?}", report.withheld);
    let has_note: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'note')",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(has_note, "a withheld drop must leave the column in place");

    // Apply-safe refuses them as well; allowed, they run and the plan is empty afterwards.
    let refused = converge(&mut client, &smaller, &Policy::new(Mode::ApplySafe)).unwrap_err();
    assert_eq!(
        refused.kind(),
        schema_runtime::ErrorKind::Refused,
        "{refused}"
    );
    let tolerant = Policy {
        allow_withheld: true,
        ..Policy::new(Mode::ApplySafe)
    };
    let safe = converge(&mut client, &smaller, &tolerant).unwrap();
    assert!(safe.applied.is_empty() && !safe.withheld.is_empty());
    assert!(!safe.in_sync());
    let allow = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    let report = converge(&mut client, &smaller, &allow).unwrap();
    assert!(!report.applied.is_empty());
    let again = converge(&mut client, &smaller, &Policy::new(Mode::Apply)).unwrap();
    assert!(again.plan.changes.is_empty(), "{}", again.plan.to_sql());
    let n: i64 = client
        .query_one("SELECT count(*) FROM users", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

#[test]
fn new_enum_value_used_by_a_default_in_the_same_release() {
    let db = TestServer::shared().create_database("enumvalue").unwrap();
    let mut client = db.connect();
    let version = |labels: &[&str], default: &str| {
        Schema::builder()
            .enum_type("status", labels.iter().copied())
            .table(
                TableDef::new("tickets")
                    .column(ColumnDef::new("id", t("int")).primary_key())
                    .column(
                        ColumnDef::new("status", DataType::named("public", "status"))
                            .not_null()
                            .default_sql(default),
                    ),
            )
            .build()
    };
    let v1 = version(&["open", "closed"], "'open'");
    let v2 = version(&["new", "open", "closed"], "'new'");
    converge(&mut client, &v1, &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO tickets (id) VALUES (1)")
        .unwrap();
    let report = converge(&mut client, &v2, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.applied.len() >= 2, "{:#?}", report.applied);
    let again = converge(&mut client, &v2, &Policy::new(Mode::Apply)).unwrap();
    assert!(again.plan.changes.is_empty(), "{}", again.plan.to_sql());
    let labels: Vec<String> = client
        .query_one("SELECT enum_range(NULL::status)::text[]", &[])
        .unwrap()
        .get(0);
    assert_eq!(labels, ["new", "open", "closed"]);
    let history: i64 = client
        .query_one(
            "SELECT count(*) FROM pgdecl.history WHERE outcome = 'applied'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        history, 2,
        "one row per converge run that changed something"
    );
}

#[test]
fn objects_outside_the_declared_schemas_are_unmanaged_and_never_dropped() {
    let db = TestServer::shared().create_database("unmanaged").unwrap();
    let mut client = db.connect();
    client
        .batch_execute(
            "CREATE SCHEMA reporting; CREATE TABLE reporting.daily (day date PRIMARY KEY);
             CREATE EXTENSION IF NOT EXISTS pg_trgm;",
        )
        .unwrap();
    let allow = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    let report = converge(&mut client, &awkward(), &allow).unwrap();
    let unmanaged: Vec<String> = report
        .unmodeled
        .iter()
        .map(|u| format!("{} {}", u.kind, u.name))
        .collect();
    assert!(
        unmanaged.contains(&"unmanaged table reporting.daily".to_string()),
        "{unmanaged:?}"
    );
    assert!(
        unmanaged.contains(&"unmanaged extension pg_trgm".to_string()),
        "{unmanaged:?}"
    );
    assert!(report
        .plan
        .changes
        .iter()
        .all(|c| !c.object.name.contains("reporting")));
    let kept: bool = client
        .query_one("SELECT to_regclass('reporting.daily') IS NOT NULL", &[])
        .unwrap()
        .get(0);
    assert!(
        kept,
        "even with destructive changes allowed, unmanaged objects stay"
    );
    let again = converge(&mut client, &awkward(), &allow).unwrap();
    assert!(again.plan.changes.is_empty(), "{}", again.plan.to_sql());
}

#[test]
fn a_role_without_create_validates_from_the_stored_canonical_form() {
    use schema_runtime::converge::forget_canonical_forms;
    let db = TestServer::shared()
        .create_database("storedcanonical")
        .unwrap();
    let mut admin = db.connect();
    admin
        .batch_execute("DO $$ BEGIN CREATE ROLE validator LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        .unwrap();
    // A declaration no other test uses, so no other test's in-process cache entry can answer.
    let mut declared = awkward();
    declared.tables.push(
        Schema::builder()
            .table(TableDef::new("stored_canonical_probe").column(ColumnDef::new("id", t("int"))))
            .build()
            .tables
            .remove(0),
    );
    let url = db.url().replacen("postgres@", "validator@", 1);
    let mut validator = schema_runtime::connect(&url).unwrap();

    // Nothing stored yet: a role without CREATE on the database cannot canonicalize.
    forget_canonical_forms();
    let err = converge(&mut validator, &declared, &Policy::new(Mode::ValidateOnly)).unwrap_err();
    assert_eq!(
        err.kind(),
        schema_runtime::ErrorKind::MissingPrivilege,
        "{err}"
    );

    // A deploy stores the canonical form; the validator reads it from pgdecl.canonical_cache.
    converge(&mut admin, &declared, &Policy::new(Mode::Apply)).unwrap();
    admin
        .batch_execute(
            "GRANT USAGE ON SCHEMA pgdecl TO validator;
             GRANT SELECT ON pgdecl.canonical_cache TO validator;",
        )
        .unwrap();
    forget_canonical_forms();
    converge(&mut validator, &declared, &Policy::new(Mode::ValidateOnly))
        .unwrap_or_else(|e| panic!("validate-only from the stored canonical form: {e}"));
}

/// The shared checks run before anything touches the database: a schema built by hand whose
/// foreign key names a column its target lacks is refused with a typed error that lists every
/// problem (code, the object it is in, message, help), and nothing is created.
#[test]
fn an_invalid_declared_schema_is_refused_before_any_change() {
    let db = TestServer::shared()
        .create_database("invalid_schema")
        .unwrap();
    let mut client = db.connect();
    let declared = Schema::builder()
        .table(TableDef::new("users").column(ColumnDef::new("id", t("int8")).primary_key()))
        .table(
            TableDef::new("orders")
                .column(ColumnDef::new("id", t("int8")).primary_key())
                .column(
                    ColumnDef::new("user_id", t("int8"))
                        .references(References::table("users").column("user_key")),
                ),
        )
        .build();
    for mode in [Mode::Apply, Mode::ValidateOnly, Mode::PlanOnly] {
        let err = converge(&mut client, &declared, &Policy::new(mode)).unwrap_err();
        let text = err.to_string();
        assert_eq!(
            err.kind(),
            schema_runtime::ErrorKind::InvalidSchema,
            "{text}"
        );
        assert_eq!(err.code(), "invalid-schema", "{text}");
        assert!(text.contains("error[fk-target-column-missing]"), "{text}");
        assert!(text.contains("user_key"), "{text}");
        assert!(text.contains("orders"), "{text}");
        assert!(text.contains("help: "), "{text}");
        let schema_runtime::Error::InvalidSchema { diagnostics } = &err else {
            panic!("not an invalid-schema error: {err:?}");
        };
        assert!(
            diagnostics
                .iter()
                .any(|d| d.code == "fk-target-column-missing"),
            "{text}"
        );
    }
    let err = schema_runtime::plan(&mut client, &declared, &[]).unwrap_err();
    assert_eq!(err.code(), "invalid-schema", "{err}");
    let err = schema_runtime::validate(&mut client, &declared).unwrap_err();
    assert_eq!(err.code(), "invalid-schema", "{err}");
    let created: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('public', 'pgdecl')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(created, 0, "an invalid schema changed the database");
}

/// A key added to a table that exists is built `CONCURRENTLY` after the converge transaction
/// commits; what needs that index (the `ADD CONSTRAINT ... USING INDEX` of a unique key or
/// primary key, a foreign key onto the columns a new unique index covers) must wait for it
/// rather than fail in the transaction ("index ... does not exist").
#[test]
fn keys_on_existing_tables_wait_for_their_concurrent_index() {
    let db = TestServer::shared().create_database("keys_wait").unwrap();
    let mut client = db.connect();
    client
        .batch_execute(
            "CREATE TABLE t (a int, b int NOT NULL); INSERT INTO t VALUES (1, 1), (2, 2);
             CREATE TABLE codes (code text NOT NULL); INSERT INTO codes VALUES ('x'), ('y');",
        )
        .unwrap();
    let declared = Schema::builder()
        .table(
            TableDef::new("t")
                .column(ColumnDef::new("a", t("int")).unique())
                .column(ColumnDef::new("b", t("int")).primary_key()),
        )
        .table(
            TableDef::new("codes")
                .column(ColumnDef::new("code", t("text")).not_null())
                .index(
                    IndexDef::on_columns(["code"])
                        .named("codes_code_idx")
                        .unique(),
                ),
        )
        .table(
            TableDef::new("uses").column(
                ColumnDef::new("code", t("text"))
                    .references(References::table("codes").columns(["code"])),
            ),
        )
        .build();
    let report = converge(&mut client, &declared, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    let sql = report.plan.to_sql();
    assert!(sql.contains("CREATE UNIQUE INDEX CONCURRENTLY"), "{sql}");
    let again = schema_runtime::plan(&mut client, &declared, &[]).unwrap();
    assert!(again.is_empty(), "{}", again.to_sql());
    schema_runtime::validate(&mut client, &declared).unwrap();
    let rows: i64 = client
        .query_one("SELECT count(*) FROM t", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 2);
    client
        .batch_execute("INSERT INTO uses VALUES ('x')")
        .unwrap();
    assert!(client
        .batch_execute("INSERT INTO uses VALUES ('z')")
        .is_err());
}

/// A converge from a URL of a schema large enough for the live read to share its queries
/// with a second connection (500 tables and more): the plan after an apply is empty, and a
/// column dropped by hand, a changed default and an index dropped, in three of the tables,
/// are each found; the command line's `plan`, `validate` and `status` share their read too.
#[test]
fn a_large_schema_read_on_two_connections_finds_every_difference() {
    let db = TestServer::shared().create_database("shared_read").unwrap();
    let mut builder = Schema::builder();
    for i in 0..500 {
        builder = builder.table(
            TableDef::new(format!("t{i:03}").as_str())
                .column(ColumnDef::new("id", t("int8")).primary_key())
                .column(ColumnDef::new("note", t("text")).default_sql("'none'"))
                .index(IndexDef::on_columns(["note"])),
        );
    }
    let declared = builder.build();
    let apply = Policy::new(Mode::Apply);
    let report = schema_runtime::converge_url(db.url(), &declared, &apply).unwrap();
    assert_eq!(report.applied.len(), 1000, "500 tables and their indexes");
    let plan = Policy::new(Mode::PlanOnly);
    let report = schema_runtime::converge_url(db.url(), &declared, &plan).unwrap();
    assert!(report.plan.changes.is_empty(), "{:?}", report.plan.changes);

    // The command line's runs share the read too: two sessions each (the server counts the
    // sessions a database had, when each ends), where a read on one connection has one.
    let mut watcher = TestServer::shared().connect().unwrap();
    let sessions = |watcher: &mut postgres::Client| -> i64 {
        watcher
            .query_one(
                "SELECT sessions FROM pg_stat_database WHERE datname = $1",
                &[&db.name()],
            )
            .unwrap()
            .get(0)
    };
    for command in ["plan", "validate", "status"] {
        let before = sessions(&mut watcher);
        let args: Vec<String> = [command, "--url", db.url()]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = schema_runtime::cli::app_main_with(&declared, &args, &mut out, &mut err);
        assert_eq!(code, 0, "{command}: {}", String::from_utf8_lossy(&err));
        let mut seen = sessions(&mut watcher) - before;
        for _ in 0..50 {
            if seen >= 2 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
            seen = sessions(&mut watcher) - before;
        }
        assert_eq!(seen, 2, "{command}: sessions of the run");
    }

    db.connect()
        .batch_execute(
            "ALTER TABLE t007 DROP COLUMN note;
             ALTER TABLE t250 ALTER COLUMN note SET DEFAULT 'other';
             DROP INDEX t499_note_idx;",
        )
        .unwrap();
    let err = schema_runtime::converge_url(db.url(), &declared, &Policy::new(Mode::ValidateOnly))
        .unwrap_err();
    let text = err.to_string();
    for expected in ["t007", "note", "t250", "'none'", "t499_note_idx"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}
