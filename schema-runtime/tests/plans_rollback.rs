//! History and rollback against a real PostgreSQL: every run stores its declared model,
//! `history` lists the runs, `rollback_to` converges back to a stored model (refused across a
//! dropped column without allow, with the data-loss hazard named), validate runs recorded.

mod versions;

use schema_runtime::converge::rollback::{history, rollback_to, stored_model, validate_recorded};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, validate, ErrorKind, Mode, Policy};
use versions::{dump, schema};

fn last_applied(client: &mut postgres::Client) -> i64 {
    client
        .query_one(
            "SELECT max(id) FROM pgdecl.history WHERE outcome = 'applied'",
            &[],
        )
        .unwrap()
        .get(0)
}

fn has_email(client: &mut postgres::Client) -> bool {
    client
        .query_one(
            "SELECT count(*) = 1 FROM information_schema.columns
             WHERE table_name = 'accounts' AND column_name = 'email'",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn rollback_across_a_dropped_column_needs_allow_and_names_the_data_loss() {
    let server = TestServer::shared();
    let reference = server.create_database("rollback_ref").unwrap();
    converge(
        &mut reference.connect(),
        &schema(false),
        &Policy::new(Mode::Apply),
    )
    .unwrap();

    let db = server.create_database("rollback").unwrap();
    let mut client = db.connect();
    converge(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();
    let v1 = last_applied(&mut client);
    assert_eq!(stored_model(&mut client, v1).unwrap(), schema(false));
    converge(&mut client, &schema(true), &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO accounts (name, email) VALUES ('a', 'a@example.com')")
        .unwrap();

    // The binary is at v2; the way back to v1 drops accounts.email (with its data).
    let err = rollback_to(&mut client, v1, &Policy::new(Mode::Apply)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&format!("rolling back to run {v1}")),
        "{text}"
    );
    assert!(text.contains("column public.accounts.email"), "{text}");
    assert!(text.contains("deletes-data"), "{text}");
    assert!(text.contains("--allow-destructive"), "{text}");
    assert!(
        has_email(&mut client),
        "a refused rollback changed the database"
    );

    let allow = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    let report = rollback_to(&mut client, v1, &allow).unwrap();
    assert!(report
        .applied
        .iter()
        .any(|c| c.hazards.iter().any(|h| h.code() == "deletes-data")));
    assert!(!has_email(&mut client));
    validate(&mut client, &schema(false)).unwrap();
    assert_eq!(dump(&db), dump(&reference));

    // history: newest first, each with its model and statement count.
    let runs = history(&mut client, 10).unwrap();
    assert_eq!(runs.len(), 3, "{runs:#?}");
    assert!(runs.windows(2).all(|w| w[0].id > w[1].id));
    assert!(runs.iter().all(|r| r.outcome == "applied" && r.has_model));
    assert!(runs.iter().all(|r| r.statements > 0), "{runs:#?}");
    let line = runs[0].to_string();
    assert!(line.contains("apply") && line.contains("applied"), "{line}");
}

#[test]
fn a_run_without_a_model_or_no_run_at_all_is_a_clear_error() {
    let db = TestServer::shared()
        .create_database("rollback_nomodel")
        .unwrap();
    let mut client = db.connect();
    // A database pgdecl never wrote to has no history (and that is not an error).
    assert!(history(&mut client, 10).unwrap().is_empty());
    converge(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();
    let id = last_applied(&mut client);
    // As a run recorded before pgdecl stored models.
    client
        .batch_execute("UPDATE pgdecl.history SET declared_model = NULL")
        .unwrap();
    let err = rollback_to(&mut client, id, &Policy::new(Mode::Apply)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(
        err.to_string().contains("recorded before pgdecl stored"),
        "{err}"
    );
    assert!(!history(&mut client, 10).unwrap()[0].has_model);
    let err = rollback_to(&mut client, id + 100, &Policy::new(Mode::Apply)).unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("there is no run {}", id + 100)),
        "{err}"
    );
}

#[test]
fn validate_runs_are_recorded_when_asked() {
    let db = TestServer::shared()
        .create_database("validate_recorded")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();
    validate_recorded(&mut client, &schema(false), &Policy::default()).unwrap();
    let err = validate_recorded(&mut client, &schema(true), &Policy::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Drift);
    let runs = history(&mut client, 10).unwrap();
    let outcomes: Vec<(&str, &str)> = runs
        .iter()
        .map(|r| (r.mode.as_str(), r.outcome.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("validate-only", "drift"),
            ("validate-only", "validated"),
            ("apply", "applied")
        ]
    );
    assert!(runs[0].statements > 0);
    assert_eq!(runs[1].statements, 0);
}
