//! Diff plans, per change kind, each as a three-phase case (sqldef's shape): the up plan
//! `diff(current, desired)`, the empty `diff(desired, desired)`, the down plan
//! `diff(desired, current)`. Snapshots show every change with its lock, hazards,
//! transactionality and inverse.

mod common;

use common::ty;
use schema_core::builder::*;
use schema_core::*;

/// A plan as a reviewer reads it.
fn describe(plan: &Plan) -> String {
    if plan.is_empty() {
        return "(empty)\n".into();
    }
    let mut out = String::new();
    for change in &plan.changes {
        out.push_str(&format!(
            "-- {} {} | lock: {}",
            change.kind, change.object, change.lock
        ));
        if !change.transactional {
            out.push_str(" | not transactional");
        }
        out.push('\n');
        if !change.hazards.is_empty() {
            let codes: Vec<&str> = change.hazards.iter().map(|h| h.code()).collect();
            out.push_str(&format!("-- hazards: {}\n", codes.join(", ")));
        }
        out.push_str(&change.sql());
        out.push('\n');
        match &change.inverse_sql() {
            Some(inverse) if inverse.is_empty() => out.push_str("-- inverse: nothing to undo\n"),
            Some(inverse) => {
                out.push_str("-- inverse:\n");
                for line in inverse.lines() {
                    out.push_str("--   ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
            None => out.push_str("-- inverse: none\n"),
        }
        out.push('\n');
    }
    out
}

#[test]
fn three_phase_cases() {
    for case in common::cases::all() {
        let up = diff(&case.current, &case.desired);
        assert!(
            schema_core::diff::plan_walk(&case.desired, &case.desired).is_empty(),
            "{}: desired -> desired is not empty",
            case.name
        );
        assert!(
            schema_core::diff::plan_walk(&case.current, &case.current).is_empty(),
            "{}: current -> current is not empty",
            case.name
        );
        let down = diff(&case.desired, &case.current);
        let text = format!(
            "== up ==\n{}\n== up as SQL ==\n{}\n== down ==\n{}",
            describe(&up),
            up.to_sql(),
            describe(&down)
        );
        insta::assert_snapshot!(case.name, text);
    }
}

#[test]
fn every_fixture_diffs_empty_against_itself() {
    for schema in [
        common::extensions(),
        common::schemas(),
        common::enums(),
        common::sequences(),
        common::columns(),
        common::constraints(),
        common::indexes(),
        common::functions(),
        common::triggers(),
        common::views(),
        common::comments(),
        common::hostile(),
        common::partitions(),
        common::domains(),
        common::composite_types(),
        common::range_types(),
        common::hostile_types(),
        common::policies(),
        common::grants(),
        common::sql_functions(),
        common::constraints_and_columns(),
        common::every_feature(),
    ] {
        let plan = schema_core::diff::plan_walk(&schema, &schema);
        assert!(plan.is_empty(), "{}", plan.to_sql());
        // And the JSON round trip the macro relies on changes nothing.
        let back = Schema::from_json(&schema.to_json()).unwrap();
        assert!(schema_core::diff::plan_walk(&schema, &back).is_empty());
    }
}

#[test]
fn creating_everything_from_nothing_then_dropping_it() {
    let all = common::every_feature();
    let up = diff(&Schema::default(), &all);
    assert!(!up.is_destructive(), "{}", up.to_sql());
    let down = diff(&all, &Schema::default());
    assert!(down.is_destructive());
    assert!(down.hazards().contains(&Hazard::DeletesData));
}

/// Type aliases are the same type: no change.
#[test]
fn aliases_are_not_changes() {
    let pairs = [
        ("int4", "integer"),
        ("int", "integer"),
        ("int8", "bigint"),
        ("varchar", "character varying"),
        ("varchar(20)", "character varying(20)"),
        ("timestamptz", "timestamp with time zone"),
        ("timestamptz(3)", "timestamp(3) with time zone"),
        ("timestamp", "timestamp without time zone"),
        ("decimal(10)", "numeric(10,0)"),
        ("decimal(10, 2)", "numeric(10,2)"),
        ("bool", "boolean"),
        ("float8", "double precision"),
        ("float4", "real"),
        ("char", "character(1)"),
        ("int[]", "integer[]"),
        ("varbit(4)", "bit varying(4)"),
    ];
    for (a, b) in pairs {
        let schema = |t: &str| {
            Schema::builder()
                .table(TableDef::new("t").column(ColumnDef::new("c", ty(t))))
                .function(
                    Function::new("f")
                        .arg(FunctionArg::new("x", ty(t)))
                        .returns(ty(t))
                        .body("SELECT x"),
                )
                .build()
        };
        let plan = diff(&schema(a), &schema(b));
        assert!(plan.is_empty(), "{a} vs {b}: {}", plan.to_sql());
    }
}

/// Expressions compare after normalization: white space, outer parentheses and keyword case
/// are not changes. (Inner parentheses are: telling `(a + b) * c` from `a + b * c` needs the
/// parser's precedence, which only the server's reprint settles.)
#[test]
fn expression_formatting_is_not_a_change() {
    let schema = |default: &str, check: &str, predicate: &str| {
        Schema::builder()
            .table(
                TableDef::new("t")
                    .column(ColumnDef::new("a", ty("int")).default_sql(default))
                    .constraint(ConstraintDef::check(check).named("t_a_check"))
                    .index(IndexDef::on_columns(["a"]).where_sql(predicate)),
            )
            .build()
    };
    let plan = diff(
        &schema("1 + 2", "a > 0 AND a < 10", "a IS NOT NULL"),
        &schema(" (1+2) ", "(a>0  and a<10)", "(a is not null)"),
    );
    assert!(plan.is_empty(), "{}", plan.to_sql());
}

/// Primary key, identity and serial columns are NOT NULL whether or not the model says so.
#[test]
fn implied_not_null_is_not_a_change() {
    let mut explicit = Schema::builder()
        .table(
            TableDef::new("t")
                .column(ColumnDef::new("id", ty("int")).primary_key())
                .column(ColumnDef::new("s", ty("serial")))
                .column(ColumnDef::new("i", ty("int")).identity(Identity::Always)),
        )
        .build();
    let implicit = explicit.clone();
    for c in &mut explicit.tables[0].columns {
        c.not_null = false;
    }
    assert!(diff(&explicit, &implicit).is_empty());
    assert!(diff(&implicit, &explicit).is_empty());
}

#[test]
fn hazards_have_stable_codes_and_messages() {
    let mut text = String::new();
    for h in Hazard::ALL {
        text.push_str(&format!(
            "{}{}\n  {}\n  help: {}\n",
            h.code(),
            if h.is_destructive() {
                " (destructive)"
            } else {
                ""
            },
            h.message(),
            h.help()
        ));
    }
    insta::assert_snapshot!(text);
}

#[test]
fn plan_inverse_undoes_additive_plans() {
    let current = common::cases::all()
        .into_iter()
        .find(|c| c.name == "table_create")
        .unwrap();
    let up = diff(&current.current, &current.desired);
    let inverse = up
        .inverse_sql()
        .expect("every change of a create plan has an inverse");
    insta::assert_snapshot!(inverse);
}
