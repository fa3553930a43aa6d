//! Diff plans on a real server, for every case of `schema-core/tests/common/cases.rs`, in
//! three phases: build `current`, apply the up plan (and apply it again: it must change
//! nothing), compare with a fresh build of `desired`; then apply the down plan and compare with
//! a fresh build of `current`.

#[path = "../schema-core/tests/common/mod.rs"]
mod common;
mod postgres_support;

use pgdecl::model::{ConstraintKind, Identity};
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

/// A diff of two live databases leaves the expressions both hold alike unprinted until it
/// knows their prints are not needed (issue 12); it must make exactly the plan it makes with
/// every expression printed. For every case: `current` and `desired` each built in a database
/// of its own, diffed both ways.
#[test]
fn live_diffs_plan_as_with_every_expression_printed() {
    use pgdecl::runtime::cli::{diff_databases, diff_databases_printing_all};
    let mut failures = Vec::new();
    for case in common::cases::all() {
        let (current, desired) = (
            database(&format!("{}_live_from", case.name)),
            database(&format!("{}_live_to", case.name)),
        );
        run(&current, &case.current.create_sql(), "build current");
        run(&desired, &case.desired.create_sql(), "build desired");
        for (from, to) in [(&current, &desired), (&desired, &current)] {
            let plan = diff_databases(from.url(), to.url()).unwrap();
            let printed = diff_databases_printing_all(from.url(), to.url()).unwrap();
            let texts = |plan: &pgdecl::Plan| (plan.to_sql(), plan.inverse_sql());
            if texts(&plan) != texts(&printed) {
                failures.push(format!(
                    "== {} ==\n{}\n-- with every expression printed --\n{}",
                    case.name,
                    plan.to_sql(),
                    printed.to_sql()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// An index both databases hold with the same expression (the same node tree, written at
/// the same place in its statement), but unique on one side only, is dropped and created
/// again: the plan writes its expression out, printed (the read first left it unprinted).
#[test]
fn a_plan_writing_out_an_expression_left_unprinted_prints_it() {
    use pgdecl::runtime::cli::diff_databases;
    use pgdecl::runtime::introspect::{introspect_urls_compared, is_unprinted};
    let (from, to) = (database("unprinted_from"), database("unprinted_to"));
    // `UNIQUE ` is made up for by spaces: the key expression stands at the same place.
    run(
        &from,
        "CREATE TABLE u (email text, CONSTRAINT u_email CHECK (email <> ''));
         CREATE INDEX        u_idx ON u (lower(email)) WHERE email IS NOT NULL;",
        "build from",
    );
    run(
        &to,
        "CREATE TABLE u (email text, CONSTRAINT u_email CHECK (email <> ''));
         CREATE UNIQUE INDEX u_idx ON u (lower(email)) WHERE email IS NOT NULL;",
        "build to",
    );
    let (read, _) = introspect_urls_compared(from.url(), to.url(), true).unwrap();
    let index = &read.schema.tables[0].indexes[0];
    assert!(
        is_unprinted(index.predicate.as_deref().unwrap_or_default()),
        "the read printed {index:?}: this test no longer tests what it says"
    );
    let sql = diff_databases(from.url(), to.url()).unwrap().to_sql();
    assert!(!sql.contains('\0'), "{sql}");
    assert!(
        sql.contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS u_idx ON public.u USING btree ((lower(email))) WHERE (email IS NOT NULL)"),
        "{sql}"
    );
    assert!(!sql.contains("u_email"), "{sql}");
}

/// Tables holding rows keep every row across every non-destructive plan: for each case whose
/// up plan is not destructive, seed a row per table, run the plan in one transaction, count.
/// A plan that refuses to run on rows (a new NOT NULL column without default, a check the
/// generic row violates) fails whole and is skipped; enough cases must be verified.
#[test]
fn non_destructive_plans_keep_rows() {
    let mut verified = Vec::new();
    let mut skipped = Vec::new();
    for case in common::cases::all() {
        let plan = diff(&case.current, &case.desired);
        if plan.is_destructive() || plan.is_empty() {
            continue;
        }
        let db = database(&format!("{}_rows", case.name));
        run(&db, &case.current.create_sql(), "build current");
        let seeded = seed_rows(&db, &case.current);
        if seeded.is_empty() {
            skipped.push(format!("{} (no table takes a generic row)", case.name));
            continue;
        }
        let mut psql = db.psql_command();
        let status = psql
            .args(["-1", "-f", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(plan.to_sql().as_bytes())?;
                child.wait()
            })
            .unwrap();
        if !status.success() {
            skipped.push(format!("{} (the plan refuses to run on rows)", case.name));
            continue;
        }
        assert_rows_kept(&db, &case.desired, &seeded, case.name);
        verified.push(case.name);
    }
    eprintln!(
        "rows kept in {} cases: {verified:?}; skipped: {skipped:?}",
        verified.len()
    );
    assert!(
        verified.len() >= 10,
        "only {} cases verified: {verified:?}; skipped: {skipped:?}",
        verified.len()
    );
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

/// A value of `ty` for a generic row, or `None` to leave the column to its default or NULL.
fn sample_value(schema: &Schema, ty: &pgdecl::DataType) -> String {
    if ty.array {
        return "'{}'".into();
    }
    if let Some(ns) = &ty.schema {
        let name = pgdecl::QualifiedName::new(ns.clone(), ty.name.clone());
        if let Some(e) = schema.enum_type(&name) {
            return pgdecl::ident::quote_literal(&e.values[0]);
        }
        return "NULL".into();
    }
    match ty.name.as_str() {
        "smallint" | "integer" | "bigint" | "smallserial" | "serial" | "bigserial" | "numeric"
        | "real" | "double precision" | "money" => "1".into(),
        "boolean" => "true".into(),
        "uuid" => "'00000000-0000-0000-0000-000000000001'".into(),
        "date" => "'2026-01-01'".into(),
        n if n.starts_with("timestamp") || n.starts_with("time") => "'2026-01-01 00:00'".into(),
        n if n.starts_with("interval") => "'1 day'".into(),
        "json" | "jsonb" => "'{}'".into(),
        "bytea" => "'\\x00'".into(),
        "inet" | "cidr" => "'127.0.0.1'".into(),
        "bit" => "B'1'".into(),
        _ => "'x'".into(),
    }
}

/// Inserts one row into every table of `schema` that accepts a generic one (parents before
/// children), each in its own savepoint; returns the tables that hold a row.
fn seed_rows(
    db: &pgdecl::runtime::testkit::TestDatabase,
    schema: &Schema,
) -> Vec<pgdecl::QualifiedName> {
    let mut client = db.connect();
    let mut seeded = Vec::new();
    // Up to as many passes as tables, so a child whose parent was seeded later still gets a row.
    for _ in 0..schema.tables.len() {
        for table in &schema.tables {
            if seeded.contains(&table.name) {
                continue;
            }
            let mut cols = Vec::new();
            let mut vals = Vec::new();
            for col in &table.columns {
                let fk = table.constraints.iter().find_map(|c| match &c.kind {
                    ConstraintKind::ForeignKey {
                        columns,
                        ref_table,
                        ref_columns,
                        ..
                    } if columns.len() == 1 && columns[0] == col.name => {
                        Some((ref_table, &ref_columns[0]))
                    }
                    _ => None,
                });
                let value = if col.identity == Some(Identity::Always) || col.generated.is_some() {
                    continue;
                } else if let Some((t, c)) = fk {
                    format!(
                        "(SELECT {} FROM {} LIMIT 1)",
                        pgdecl::ident::quote_ident(c),
                        pgdecl::ident::quote_qualified(&t.schema, &t.name)
                    )
                } else if col.default.is_some()
                    || col.identity.is_some()
                    || col.data_type.serial_base().is_some()
                {
                    continue;
                } else {
                    sample_value(schema, &col.data_type)
                };
                cols.push(pgdecl::ident::quote_ident(&col.name).into_owned());
                vals.push(value);
            }
            let sql = if cols.is_empty() {
                format!(
                    "INSERT INTO {} DEFAULT VALUES",
                    pgdecl::ident::quote_qualified(&table.name.schema, &table.name.name)
                )
            } else {
                format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    pgdecl::ident::quote_qualified(&table.name.schema, &table.name.name),
                    cols.join(", "),
                    vals.join(", ")
                )
            };
            let mut tx = client.transaction().unwrap();
            if tx.batch_execute(&sql).is_ok() {
                tx.commit().unwrap();
                seeded.push(table.name.clone());
            }
        }
    }
    seeded
}

/// Every seeded table (under its new name, if renamed) still holds its row.
fn assert_rows_kept(
    db: &pgdecl::runtime::testkit::TestDatabase,
    desired: &Schema,
    seeded: &[pgdecl::QualifiedName],
    name: &str,
) {
    let mut client = db.connect();
    for old in seeded {
        let now = desired.tables.iter().find(|t| {
            &t.name == old
                || (t.renamed_from.as_deref() == Some(old.name.as_str())
                    && t.name.schema == old.schema)
        });
        let Some(table) = now else { continue };
        let n: i64 = client
            .query_one(
                &format!(
                    "SELECT count(*) FROM {}",
                    pgdecl::ident::quote_qualified(&table.name.schema, &table.name.name)
                ),
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(
            n, 1,
            "{name}: a non-destructive plan lost the row of {}",
            table.name.name
        );
    }
}
