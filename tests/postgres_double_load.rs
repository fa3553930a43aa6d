//! `create_sql()` on a real server: every feature loads, and loading it again changes nothing
//! (`pg_dump --schema-only` is identical after each load). Hostile names make it through
//! without injecting anything.

#[path = "../schema-core/tests/common/mod.rs"]
mod common;
mod postgres_support;

use postgres_support::{database, dump, dump_diff, run};

#[test]
fn every_feature_loads_twice_to_the_same_schema() {
    // Row-level security and policies load on their own schema: `every_feature` is the
    // snapshot of record for the older kinds.
    for (name, schema) in [
        ("double_load", common::every_feature()),
        ("double_load_policies", common::policies()),
        (
            "double_load_constraints_and_columns",
            common::constraints_and_columns(),
        ),
    ] {
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
        if name == "double_load_constraints_and_columns" {
            assert!(first.contains("EXCLUDE USING gist"), "{first}");
            assert!(first.contains("NOT VALID"), "{first}");
        }
        if name == "double_load_policies" {
            assert!(first.contains("CREATE POLICY"), "{first}");
            assert!(first.contains("FORCE ROW LEVEL SECURITY"), "{first}");
        }
    }
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
