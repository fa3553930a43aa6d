//! Plan files against a real PostgreSQL: written as JSON, applied exactly, refused when the
//! live schema or the declaration moved on (naming what changed), left-out changes, approval.

mod versions;

use schema_runtime::converge::plan_file::{
    apply_plan_file, fingerprint, plan_file, plan_to_file, PlanFile, SPLIT_MARKER,
};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, validate, ErrorKind, Mode, Policy};
use versions::schema;

#[test]
fn a_plan_file_is_applied_exactly_and_refused_once_stale() {
    let db = TestServer::shared().create_database("plans_stale").unwrap();
    let mut client = db.connect();
    converge(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let file = plan_to_file(&mut client, &schema(true), &Policy::new(Mode::Apply), &path).unwrap();
    // Data a reviewer's tools can read: JSON with the fields the issue names.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for key in [
        "format_version",
        "pgdecl_version",
        "created_at",
        "live_fingerprint",
        "declared_hash",
        "changes",
    ] {
        assert!(json.get(key).is_some(), "no `{key}` in {json:#}");
    }
    let first = &json["changes"][0];
    for key in ["sql", "hazards", "lock", "transactional", "object", "kind"] {
        assert!(first.get(key).is_some(), "no `{key}` in {first:#}");
    }
    assert_eq!(PlanFile::read(&path).unwrap(), file);
    assert!(file.left_out.is_empty(), "{:#?}", file.left_out);
    // The concurrent index build is marked for people who run the plan by hand.
    let concurrent = file
        .changes
        .iter()
        .find(|c| c.sql.contains("CONCURRENTLY"))
        .expect("an index on an existing table is built concurrently");
    assert!(!concurrent.transactional);
    assert!(file.script().contains(SPLIT_MARKER), "{}", file.script());
    assert!(file
        .notes
        .iter()
        .any(|n| n.contains("--single-transaction")));

    // The same database planned again has the same fingerprint.
    let again = plan_file(&mut client, &schema(true), &Policy::new(Mode::Apply)).unwrap();
    assert_eq!(again.live_fingerprint, file.live_fingerprint);

    // A hand-made change since the plan: refused, naming it, and nothing applied.
    client
        .batch_execute("ALTER TABLE accounts ADD COLUMN hand_made text")
        .unwrap();
    let err =
        apply_plan_file(&mut client, &schema(true), &Policy::new(Mode::Apply), &file).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
    let text = err.to_string();
    assert!(
        text.contains(
            "live schema changed since the plan: table public.accounts column hand_made added"
        ),
        "{text}"
    );
    let email: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.columns
             WHERE table_name = 'accounts' AND column_name = 'email'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(email, 0, "a refused plan applied something");

    // Undone: the plan applies, and the database is the declared schema.
    client
        .batch_execute("ALTER TABLE accounts DROP COLUMN hand_made")
        .unwrap();
    let report =
        apply_plan_file(&mut client, &schema(true), &Policy::new(Mode::Apply), &file).unwrap();
    assert_eq!(report.applied.len(), file.changes.len());
    validate(&mut client, &schema(true)).unwrap();
    let recorded: i64 = client
        .query_one(
            "SELECT count(*) FROM pgdecl.history
             WHERE outcome = 'applied' AND declared_model IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(recorded, 2, "the v1 run and the plan's run");
}

#[test]
fn a_plan_file_for_another_declaration_is_refused() {
    let db = TestServer::shared()
        .create_database("plans_declared")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();
    let file = plan_file(&mut client, &schema(true), &Policy::new(Mode::Apply)).unwrap();
    let err = apply_plan_file(
        &mut client,
        &schema(false),
        &Policy::new(Mode::Apply),
        &file,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused);
    assert!(
        err.to_string()
            .contains("the declared schema changed since the plan"),
        "{err}"
    );
}

#[test]
fn destructive_changes_are_left_out_with_a_note_and_stay_out() {
    let db = TestServer::shared()
        .create_database("plans_left_out")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &schema(true), &Policy::new(Mode::Apply)).unwrap();
    // v2 -> v1 drops columns and a table: without allow_destructive they are left out.
    let file = plan_file(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();
    assert!(!file.left_out.is_empty());
    assert!(
        file.left_out.iter().all(|c| c.destructive),
        "{:#?}",
        file.left_out
    );
    assert!(file.changes.iter().all(|c| !c.destructive));
    assert!(file
        .notes
        .iter()
        .any(|n| n.contains("left out by the policy")));
    assert!(file.script().contains("-- left out by the policy"));
    // Applying the plan with a policy that allows destructive changes still applies only
    // what the file holds.
    let allow = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    let report = apply_plan_file(&mut client, &schema(false), &allow, &file).unwrap();
    assert_eq!(report.applied.len(), file.changes.len());
    let email: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.columns
             WHERE table_name = 'accounts' AND column_name = 'email'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(email, 1, "a left-out drop was applied");

    // With allow_destructive at plan time, they are in the plan.
    let all = plan_file(&mut client, &schema(false), &allow).unwrap();
    assert!(all.left_out.is_empty());
    assert!(all.changes.iter().any(|c| c.destructive));
}

#[test]
fn approval_is_checked_and_survives_the_file() {
    let db = TestServer::shared()
        .create_database("plans_approval")
        .unwrap();
    let mut client = db.connect();
    let mut file = plan_file(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();
    let err = file.require_approval().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused);
    assert!(err.to_string().contains("no approval"), "{err}");
    file.approve("ops@example.com");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    file.write(&path).unwrap();
    let read = PlanFile::read(&path).unwrap();
    read.require_approval().unwrap();
    assert_eq!(read.approval.unwrap().by, "ops@example.com");
    apply_plan_file(
        &mut client,
        &schema(false),
        &Policy::new(Mode::Apply),
        &file,
    )
    .unwrap();
    validate(&mut client, &schema(false)).unwrap();
}

#[test]
fn a_file_that_is_not_a_plan_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, "{\"hello\": 1}").unwrap();
    let err = PlanFile::read(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().contains("not a pgdecl plan file"), "{err}");
}

#[test]
fn the_fingerprint_ignores_catalog_order_and_sees_changes() {
    let a = schema(true);
    let mut b = a.clone();
    b.tables.reverse();
    b.tables[0].indexes.reverse();
    assert_eq!(fingerprint(&a), fingerprint(&b));
    let mut c = a.clone();
    c.tables[0].columns.pop();
    assert_ne!(fingerprint(&a), fingerprint(&c));
    // Column order is part of a table.
    let mut d = a.clone();
    d.tables[0].columns.reverse();
    assert_ne!(fingerprint(&a), fingerprint(&d));
}
