//! Diff plans on a real server, for every case of `schema-core/tests/common/cases.rs`, in
//! three phases: build `current`, apply the up plan (and apply it again: it must change
//! nothing), compare with a fresh build of `desired`; then apply the down plan and compare with
//! a fresh build of `current`.

#[path = "../schema-core/tests/common/mod.rs"]
mod common;
mod postgres_support;

use pgdecl::{diff, Schema};
use postgres_support::{database, dump, dump_diff, run};

fn fresh_dump(schema: &Schema, name: &str) -> String {
    let db = database(&format!("{name}_fresh"));
    run(&db, &schema.create_sql(), &format!("{name}: fresh build"));
    dump(&db)
}

#[test]
fn plans_run_and_converge() {
    let mut failures = Vec::new();
    for case in common::cases::all() {
        let result = std::panic::catch_unwind(|| check_case(&case));
        if let Err(e) = result {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("== {} ==\n{msg}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn check_case(case: &common::cases::Case) {
    let name = case.name;
    let db = database(name);
    run(
        &db,
        &case.current.create_sql(),
        &format!("{name}: build current"),
    );
    let current_dump = dump(&db);

    let up = diff(&case.current, &case.desired).to_sql();
    run(&db, &up, &format!("{name}: up"));
    let migrated = dump(&db);
    run(&db, &up, &format!("{name}: up again"));
    let again = dump(&db);
    assert!(
        migrated == again,
        "{name}: running the up plan twice changed the schema:\n{}",
        dump_diff(&migrated, &again)
    );
    if case.dump_equal {
        let fresh = fresh_dump(&case.desired, name);
        assert!(
            migrated == fresh,
            "{name}: migrated database differs from a fresh build (- migrated, + fresh):\n{}",
            dump_diff(&migrated, &fresh)
        );
    }

    let down = diff(&case.desired, &case.current).to_sql();
    run(&db, &down, &format!("{name}: down"));
    if case.dump_equal {
        let back = dump(&db);
        assert!(
            back == current_dump,
            "{name}: down did not restore the schema (- after down, + original):\n{}",
            dump_diff(&back, &current_dump)
        );
    }
}
