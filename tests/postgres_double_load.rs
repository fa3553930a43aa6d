//! `create_sql()` on a real server: every feature loads, and loading it again changes nothing
//! (`pg_dump --schema-only` is identical after each load). Hostile names make it through
//! without injecting anything.

#[path = "../schema-core/tests/common/mod.rs"]
mod common;
mod postgres_support;

use postgres_support::{database, dump, dump_diff, run};

/// The schemas loaded twice, each in a database of its own (they reuse names: `users`,
/// `docs`). `every_feature` is the snapshot of record for the older kinds; row-level security
/// with policies, and the newer function shapes, have fixtures of their own.
fn fixtures() -> Vec<(&'static str, schema_core::Schema)> {
    vec![
        ("double_load", common::every_feature()),
        ("double_load_policies", common::policies()),
        ("double_load_sql_functions", common::sql_functions()),
        ("double_load_grants", common::grants()),
        (
            "double_load_constraints_and_columns",
            common::constraints_and_columns(),
        ),
    ]
}

/// Every kind issue 8 lists that pgdecl models, by the fixture that holds it and a line its
/// `pg_dump --schema-only` must contain: the test fails if a fixture stops exercising one.
const KINDS: &[(&str, &str, &str)] = &[
    ("partitioned table", "double_load", "PARTITION BY RANGE"),
    ("partition with bounds", "double_load", "FOR VALUES FROM ("),
    ("default partition", "double_load", "DEFAULT;"),
    ("multi-level partition", "double_load", "FOR VALUES IN ("),
    (
        "hash partition",
        "double_load",
        "FOR VALUES WITH (modulus 2",
    ),
    ("domain", "double_load", "CREATE DOMAIN"),
    ("composite type", "double_load", "AS ("),
    ("range type", "double_load", "AS RANGE"),
    (
        "materialized view",
        "double_load",
        "CREATE MATERIALIZED VIEW",
    ),
    ("aggregate", "double_load", "CREATE AGGREGATE"),
    (
        "transition table",
        "double_load",
        "REFERENCING OLD TABLE AS",
    ),
    (
        "constraint trigger",
        "double_load",
        "CREATE CONSTRAINT TRIGGER",
    ),
    (
        "deferred constraint trigger",
        "double_load",
        "INITIALLY DEFERRED",
    ),
    (
        "statement trigger",
        "double_load_sql_functions",
        "FOR EACH STATEMENT",
    ),
    (
        "row-level security",
        "double_load_policies",
        "ENABLE ROW LEVEL SECURITY",
    ),
    (
        "forced row-level security",
        "double_load_policies",
        "FORCE ROW LEVEL SECURITY",
    ),
    ("policy", "double_load_policies", "CREATE POLICY"),
    (
        "restrictive policy",
        "double_load_policies",
        "AS RESTRICTIVE",
    ),
    (
        "return body",
        "double_load_sql_functions",
        "RETURN GREATEST(",
    ),
    (
        "begin atomic body",
        "double_load_sql_functions",
        "BEGIN ATOMIC",
    ),
    (
        "overload",
        "double_load_sql_functions",
        "FUNCTION public.describe(text)",
    ),
    (
        "overload",
        "double_load_sql_functions",
        "FUNCTION public.describe(integer)",
    ),
    ("returns void", "double_load_sql_functions", "RETURNS void"),
    ("empty body", "double_load_sql_functions", "AS $$$$;"),
    (
        "column grant",
        "double_load_grants",
        "GRANT UPDATE(note) ON TABLE audit.items TO PUBLIC;",
    ),
    (
        "revoked function privilege",
        "double_load_grants",
        "REVOKE ALL ON FUNCTION audit.add(a integer, b integer) FROM PUBLIC;",
    ),
    (
        "default privileges",
        "double_load_grants",
        "ALTER DEFAULT PRIVILEGES",
    ),
    (
        "exclusion constraint",
        "double_load_constraints_and_columns",
        "EXCLUDE USING gist",
    ),
    (
        "not valid constraint",
        "double_load_constraints_and_columns",
        "NOT VALID",
    ),
    (
        "unlogged table",
        "double_load_constraints_and_columns",
        "CREATE UNLOGGED TABLE",
    ),
    (
        "storage parameter",
        "double_load_constraints_and_columns",
        "fillfactor=",
    ),
    (
        "column compression",
        "double_load_constraints_and_columns",
        "COMPRESSION lz4",
    ),
    (
        "column storage",
        "double_load_constraints_and_columns",
        "SET STORAGE EXTERNAL",
    ),
    (
        "column statistics target",
        "double_load_constraints_and_columns",
        "SET STATISTICS 300",
    ),
    (
        "column attribute option",
        "double_load_constraints_and_columns",
        "n_distinct=",
    ),
];

#[test]
fn every_feature_loads_twice_to_the_same_schema() {
    let mut dumps = std::collections::BTreeMap::new();
    for (name, schema) in fixtures() {
        let sql = schema.create_sql();
        let db = database(name);
        run(&db, &sql, "first load");
        let first = dump(&db);
        run(&db, &sql, "second load");
        let second = dump(&db);
        assert!(
            first == second,
            "{name}: the second load changed the schema:\n{}",
            dump_diff(&first, &second)
        );
        dumps.insert(name, first);
    }
    let missing: Vec<String> = KINDS
        .iter()
        .filter(|(_, fixture, line)| !dumps[fixture].contains(line))
        .map(|(kind, fixture, line)| format!("{kind}: `{line}` not in the dump of {fixture}"))
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn hostile_names_inject_nothing() {
    let schema = common::hostile();
    let db = database("hostile");
    run(&db, &schema.create_sql(), "hostile names");
    let mut client = db.connect();
    // Exactly the declared tables exist, under their exact names.
    let tables: Vec<String> = client
        .query(
            "SELECT n.nspname || '|' || c.relname FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
             ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut expected: Vec<String> = schema
        .tables
        .iter()
        .map(|t| format!("{}|{}", t.name.schema, t.name.name))
        .collect();
    expected.sort();
    assert_eq!(tables, expected);
    // Labels, comments, function bodies and trigger arguments hold exactly what was declared.
    let labels: Vec<String> = client
        .query(
            "SELECT enumlabel::text FROM pg_enum WHERE enumtypid = '\"Weird Schema\".\"select\"'::regtype ORDER BY enumsortorder",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(labels, schema.enums[0].values);
    let comment: String = client
        .query_one(
            "SELECT obj_description(c.oid, 'pg_class') FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'Weird Schema' AND c.relname = $1",
            &[&schema.tables[0].name.name],
        )
        .unwrap()
        .get(0);
    assert_eq!(Some(&comment), schema.tables[0].comment.as_ref());
    let body: String = client
        .query_one("SELECT prosrc FROM pg_proc WHERE proname = '$$fn'", &[])
        .unwrap()
        .get(0);
    assert_eq!(body, schema.functions[0].body);
    let config: Vec<String> = client
        .query_one("SELECT proconfig FROM pg_proc WHERE proname = '$$fn'", &[])
        .unwrap()
        .get(0);
    assert_eq!(config, ["search_path=\"Weird Schema\", public"]);
    let args: Vec<u8> = client
        .query_one("SELECT tgargs FROM pg_trigger WHERE tgname = 'trg\"'", &[])
        .unwrap()
        .get(0);
    let args: Vec<&str> = std::str::from_utf8(&args)
        .unwrap()
        .trim_end_matches('\0')
        .split('\0')
        .collect();
    assert_eq!(args, schema.triggers[0].args);
    // And loading it again changes nothing.
    let first = dump(&db);
    run(&db, &schema.create_sql(), "hostile names, again");
    assert_eq!(first, dump(&db));
}
