//! Convergence through the runtime's eyes: after a plan is applied, the live database read back
//! by `introspect` (its fragments matched against the target's print chains) and the target
//! schema as the server prints it (`canonicalize`) diff to nothing — for every diff case, both
//! directions, and for the every-feature schema.

#[path = "../schema-core/tests/common/mod.rs"]
mod common;
mod postgres_support;

use pgdecl::runtime::canonicalize::canonicalize;
use pgdecl::runtime::introspect::{introspect, Scope};
use pgdecl::runtime::testkit::TestDatabase;
use pgdecl::{diff, Schema};
use postgres_support::{database, run};

/// The plan from the live database to `target`, as the runtime would compute it.
fn replan(db: &TestDatabase, target: &Schema) -> String {
    let mut client = db.connect();
    let mut live = introspect(&mut client, &Scope::default())
        .expect("introspect")
        .schema;
    let canonical = canonicalize(&mut client, target).expect("canonicalize");
    canonical.adopt_prints(&mut live);
    diff(&live, &canonical.schema).to_sql()
}

#[test]
fn applied_plans_replan_empty() {
    let mut failures = Vec::new();
    for case in common::cases::all() {
        let db = database(case.name);
        run(&db, &case.current.create_sql(), case.name);
        run(&db, &diff(&case.current, &case.desired).to_sql(), case.name);
        let up = replan(&db, &case.desired);
        if !up.is_empty() {
            failures.push(format!("== {} (up) ==\n{up}", case.name));
        }
        run(&db, &diff(&case.desired, &case.current).to_sql(), case.name);
        let down = replan(&db, &case.current);
        if !down.is_empty() {
            failures.push(format!("== {} (down) ==\n{down}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_feature_replans_empty() {
    let all = common::every_feature();
    let db = database("converge_every");
    run(&db, &all.create_sql(), "every feature");
    let plan = replan(&db, &all);
    assert!(plan.is_empty(), "{plan}");
}

/// Offline and live agree (issue 9 item 5): the pure diff of the every-feature declaration
/// against the database built from it, with no server to print either side, is empty: the
/// defaults, checks, index keys and predicates, domain checks, policies, trigger conditions
/// and functions PostgreSQL prints back (`'x'::text`, `= ANY (ARRAY[...])`, `(c)::text`,
/// `VALUE::integer`, an `OUT` argument's result type) compare equal to what was written, and
/// so do view queries, which PostgreSQL reprints whole (every column qualified and named, the
/// column list folded into the names). Left out: the comment an extension ships with, which
/// the runtime takes from the live database.
#[test]
fn offline_diff_agrees_with_the_live_database() {
    let mut declared = common::every_feature();
    let db = database("offline_agree");
    run(&db, &declared.create_sql(), "every feature");
    let live = introspect(&mut db.connect(), &Scope::default())
        .expect("introspect")
        .schema;
    for ext in &mut declared.extensions {
        let shipped = live.extensions.iter().find(|l| l.name == ext.name);
        if ext.comment.is_none() {
            ext.comment = shipped.and_then(|l| l.comment.clone());
        }
    }
    let plan = diff(&declared, &live);
    assert!(plan.is_empty(), "{}", plan.to_sql());
}
