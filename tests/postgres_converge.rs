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
use pgdecl::{diff, Schema, View};
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
/// column list folded into the names), and the comment an extension ships with, which
/// introspection reads as none.
#[test]
fn offline_diff_agrees_with_the_live_database() {
    let declared = common::every_feature();
    let db = database("offline_agree");
    run(&db, &declared.create_sql(), "every feature");
    let live = introspect(&mut db.connect(), &Scope::default())
        .expect("introspect")
        .schema;
    let plan = diff(&declared, &live);
    assert!(plan.is_empty(), "{}", plan.to_sql());
}

/// The comment an extension ships with is not the user's: introspection reads it as none, and
/// a declaration that spells it out plans nothing, neither when the extension is created nor
/// once it is there (canonicalization reads the declared comment as none too). A comment of
/// the user's own is read, planned and converged like any other.
#[test]
fn an_extension_comment_as_shipped_plans_nothing() {
    let db = database("ext_shipped_comment");
    let shipped: String = db
        .connect()
        .query_one(
            "SELECT comment FROM pg_available_extensions WHERE name = 'pg_trgm'",
            &[],
        )
        .expect("pg_trgm is available")
        .get(0);
    let with_comment = |comment: &str| Schema {
        extensions: vec![pgdecl::model::Extension {
            name: "pg_trgm".into(),
            schema: None,
            comment: Some(comment.into()),
        }],
        ..Schema::default()
    };
    let declared = with_comment(&shipped);
    let create = replan(&db, &declared);
    assert!(create.contains("CREATE EXTENSION"), "{create}");
    assert!(!create.contains("COMMENT ON EXTENSION"), "{create}");
    run(&db, &create, "create pg_trgm");
    let live = introspect(&mut db.connect(), &Scope::default())
        .expect("introspect")
        .schema;
    assert_eq!(
        live.extensions[0].comment, None,
        "the shipped comment reads as none"
    );
    assert_eq!(
        replan(&db, &declared),
        "",
        "declared as shipped, live as shipped"
    );

    let own = with_comment("trigram matching for the search box");
    let set = replan(&db, &own);
    assert!(set.contains("COMMENT ON EXTENSION"), "{set}");
    run(&db, &set, "own comment");
    assert_eq!(replan(&db, &own), "", "own comment converged");
    let live = introspect(&mut db.connect(), &Scope::default())
        .expect("introspect")
        .schema;
    assert_eq!(
        live.extensions[0].comment.as_deref(),
        Some("trigram matching for the search box")
    );
}

/// Views over several tables written with bare columns, with aliases, outer joins, a derived
/// table and subqueries: PostgreSQL prints every column qualified with its table, and the
/// offline diff qualifies the declared ones from the declared tables' columns.
fn views_over_several_tables() -> Schema {
    use pgdecl::builder::{ColumnDef, TableDef};
    let ty = |t: &str| pgdecl::DataType::parse(t).expect("a type");
    Schema::builder()
        .table(
            TableDef::new("customers")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("name", ty("text")).not_null())
                .column(ColumnDef::new("deleted_at", ty("timestamptz"))),
        )
        .table(
            TableDef::new("orders")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("customer_id", ty("bigint")).not_null())
                .column(ColumnDef::new("amount", ty("numeric")).not_null()),
        )
        .table(
            TableDef::new("refunds")
                .column(ColumnDef::new("order_id", ty("bigint")).not_null())
                .column(ColumnDef::new("reason", ty("text"))),
        )
        .view(View::new(
            "order_lines",
            "SELECT name, amount FROM customers JOIN orders ON customers.id = customer_id",
        ))
        .view(View::new(
            "customer_totals",
            "SELECT c.name, sum(amount) AS total, count(reason) AS refunded \
             FROM public.customers AS c \
             LEFT OUTER JOIN orders o ON customer_id = c.id \
             LEFT JOIN refunds ON order_id = o.id \
             WHERE deleted_at IS NULL GROUP BY c.name ORDER BY total DESC",
        ))
        .view(View::new(
            "big_spenders",
            "SELECT id, name FROM customers \
             WHERE id IN (SELECT customer_id FROM orders WHERE amount > 100) \
             AND NOT EXISTS (SELECT 1 FROM refunds r JOIN orders ON r.order_id = orders.id \
                             WHERE customer_id = customers.id)",
        ))
        .view(View::new(
            "order_counts",
            "SELECT name, n FROM customers \
             JOIN (SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id) AS per \
             ON per.customer_id = id",
        ))
        .build()
}

/// The offline diff of views over several tables against the database built from them is
/// empty (issue 9 item 5).
#[test]
fn offline_diff_sees_through_views_over_several_tables() {
    let declared = views_over_several_tables();
    let db = database("offline_join_views");
    run(&db, &declared.create_sql(), "join views");
    let live = introspect(&mut db.connect(), &Scope::default())
        .expect("introspect")
        .schema;
    let plan = diff(&declared, &live);
    let printed: Vec<String> = live.views.iter().map(|v| v.query.clone()).collect();
    assert!(
        plan.is_empty(),
        "{}\n--- printed ---\n{}",
        plan.to_sql(),
        printed.join("\n")
    );
    assert!(diff(&live, &declared).is_empty());
}

/// SQL-standard function bodies (`RETURN`, `BEGIN ATOMIC` with queries and a `DELETE`), which
/// PostgreSQL reprints with columns and arguments qualified, subquery outputs named and
/// constants cast: the offline diff against the database built from them is empty (issue 9
/// item 5).
#[test]
fn offline_diff_of_sql_standard_bodies() {
    let declared = common::sql_functions();
    let db = database("offline_sql_bodies");
    run(&db, &declared.create_sql(), "sql functions");
    let live = introspect(&mut db.connect(), &Scope::default())
        .expect("introspect")
        .schema;
    let plan = diff(&declared, &live);
    let printed: Vec<String> = live
        .functions
        .iter()
        .filter(|f| f.has_sql_body())
        .map(|f| format!("{}: {:?} {}", f.name, f.body_style, f.body))
        .collect();
    assert!(
        plan.is_empty(),
        "{}\n--- printed ---\n{}",
        plan.to_sql(),
        printed.join("\n")
    );
    assert!(diff(&live, &declared).is_empty());
}

/// What `sql` creates, as pgdecl reads it back, declared: the whole-schema script loads into an
/// empty database, a plan from nothing applies, and both replan empty. Databases are named
/// after `name`.
fn loads_and_plans(name: &str, sql: &str) -> Schema {
    let source = database(&format!("{name}_src"));
    run(&source, sql, name);
    let declared = introspect(&mut source.connect(), &Scope::default())
        .expect("introspect")
        .schema;
    let scripted = database(&format!("{name}_script"));
    run(&scripted, &declared.create_sql(), "the whole-schema script");
    assert_eq!(replan(&scripted, &declared), "");
    let planned = database(&format!("{name}_plan"));
    run(
        &planned,
        &diff(&Schema::default(), &declared).to_sql(),
        "a plan from nothing",
    );
    assert_eq!(replan(&planned, &declared), "");
    declared
}

/// A table whose columns have another table's row type is created after it, whatever the
/// declaration order.
#[test]
fn a_column_of_a_row_type_waits_for_its_table() {
    let declared = loads_and_plans(
        "row_col",
        "CREATE TABLE users (id bigint PRIMARY KEY, name text);
         CREATE TABLE archive (id bigint PRIMARY KEY, was users, history users[]);",
    );
    // The catalog lists `archive` before `users`, so the declaration does too.
    let names: Vec<&str> = declared
        .tables
        .iter()
        .map(|t| t.name.name.as_str())
        .collect();
    assert_eq!(names, ["archive", "users"]);
}

/// Types built on a table's row type are created among the tables, after it and before the
/// tables using them (`audit` comes before `users` in the catalog, so in the declaration
/// too); one built on a view's row type after the views.
#[test]
fn types_on_a_row_type_wait_for_their_relation() {
    let declared = loads_and_plans(
        "row_type",
        "CREATE TABLE users (id bigint PRIMARY KEY, name text);
         CREATE TYPE change AS (old users, new users);
         CREATE DOMAIN checked_change AS change CHECK ((VALUE).new IS NOT NULL);
         CREATE TABLE audit (id bigint PRIMARY KEY, what change, seen checked_change[]);
         CREATE FUNCTION newer(c change) RETURNS bigint LANGUAGE sql IMMUTABLE
             AS $$ SELECT (c).new.id $$;
         CREATE VIEW named AS SELECT id, name FROM users;
         CREATE TYPE named_pair AS (a named, b named);
         COMMENT ON TYPE change IS 'before and after';",
    );
    assert_eq!((declared.composites.len(), declared.domains.len()), (2, 1));
}

/// An aggregate over a table's row type, calling a function on that row type, is created
/// after the tables and functions it waits for, in the whole-schema script as in a plan.
#[test]
fn an_aggregate_over_a_row_type_waits_for_its_table() {
    let declared = loads_and_plans(
        "agg_row",
        "CREATE TABLE users (id bigint PRIMARY KEY, name text);
         CREATE FUNCTION count_user(n bigint, u users) RETURNS bigint LANGUAGE sql IMMUTABLE
             AS $$ SELECT n + 1 $$;
         CREATE AGGREGATE user_total(users) (SFUNC = count_user, STYPE = bigint, INITCOND = '0');
         COMMENT ON AGGREGATE user_total(users) IS 'one per user';",
    );
    assert_eq!(declared.aggregates.len(), 1);
}
