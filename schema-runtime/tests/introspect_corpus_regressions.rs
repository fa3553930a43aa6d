//! Regressions found by the practice corpus (`tests/corpus.rs` of the root package): real
//! schemas that introspection read in a form that did not converge.

use postgres::Client;
use schema_core::model::*;
use schema_core::{diff, DataType};
use schema_runtime::introspect::{introspect, introspect_in, Scope};
use schema_runtime::testkit::{TestDatabase, TestServer};

fn database(prefix: &str) -> (TestDatabase, Client) {
    let db = TestServer::shared().create_database(prefix).unwrap();
    let client = db.connect();
    (db, client)
}

fn read(client: &mut Client) -> Schema {
    introspect(client, &Scope::default()).unwrap().schema
}

/// What the catalog prints for every SQL fragment of table `t` and view `v`, as pg_dump
/// shows them: the test's notion of "the same catalog".
fn printed(client: &mut Client) -> Vec<String> {
    client
        .query(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint
              WHERE conrelid = 't'::regclass AND contype = 'c'
             UNION ALL SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 't'::regclass
             UNION ALL SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 't'::regclass
             UNION ALL SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 't'::regclass
             UNION ALL SELECT pg_get_viewdef(oid) FROM pg_class WHERE oid = to_regclass('v')
             ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// `varchar_column IN ('a', 'b')` prints as `ARRAY[...]::text[]`, which PostgreSQL parses back
/// into a different expression (the cast pushed into each element). Introspection used to
/// return the printed text: a database built from it (aim's 5 checks) never compared equal to
/// the original and the plan was never empty. Now each fragment reads back as text that
/// rebuilds the same catalog expression, in every place an expression can be.
#[test]
fn in_lists_on_varchar_read_back_as_text_that_rebuilds_them() {
    let ddl = "
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
        CREATE TABLE t (
            id int,
            status varchar(20) NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'it''s', 'done')),
            flag boolean GENERATED ALWAYS AS (status IN ('new', 'done')) STORED,
            kinds varchar(10)[] DEFAULT ARRAY['x', 'y']::varchar[]
        );
        CREATE INDEX t_open ON t (id) WHERE status IN ('new', 'it''s');
        CREATE INDEX t_expr ON t ((status IN ('a', 'b')));
        CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW
            WHEN (NEW.status IN ('done', 'new')) EXECUTE FUNCTION touch();
        CREATE VIEW v AS SELECT id FROM t WHERE status IN ('new', 'done');";
    let (_a, mut a) = database("corpus_reg_in_a");
    a.batch_execute(ddl).unwrap();
    let from_a = read(&mut a);
    let check = from_a.tables[0]
        .constraints
        .iter()
        .find_map(|c| match &c.kind {
            ConstraintKind::Check { expr } => Some(expr.clone()),
            _ => None,
        })
        .unwrap();
    assert!(
        check.contains("::character varying[]::text[]"),
        "the array's own type is explicit: {check}"
    );

    // Built from the introspected model, the database prints exactly as the original...
    let (b_db, mut b) = database("corpus_reg_in_b");
    b.batch_execute(&from_a.create_sql()).unwrap();
    assert_eq!(printed(&mut a), printed(&mut b));
    // ... reads back the same ...
    assert_eq!(read(&mut b), from_a);
    // ... and neither the tool's diff nor an app's plan finds anything to do.
    assert!(schema_runtime::cli::diff_databases(_a.url(), b_db.url())
        .unwrap()
        .changes
        .is_empty());
    let plan = schema_runtime::plan(&mut b, &from_a, &[]).unwrap();
    assert!(plan.changes.is_empty(), "{}", plan.to_sql());
}

/// A database restored from printed text (`pg_dump | psql`) holds a different expression than
/// its source (pg_dump prints them differently too): the plan re-creates it from the source's
/// text, after which both print the same and the plan is empty.
#[test]
fn a_restored_dump_converges_to_its_source() {
    let (a_db, mut a) = database("corpus_reg_dump_a");
    a.batch_execute("CREATE TABLE t (s varchar(5) CHECK (s IN ('a', 'b')))")
        .unwrap();
    let (b_db, mut b) = database("corpus_reg_dump_b");
    // What pg_dump prints for it, run again.
    b.batch_execute(
        "CREATE TABLE t (s varchar(5) CHECK (((s)::text = ANY \
         ((ARRAY['a'::character varying, 'b'::character varying])::text[]))))",
    )
    .unwrap();
    assert_ne!(printed(&mut a), printed(&mut b));
    let plan = schema_runtime::cli::diff_databases(b_db.url(), a_db.url()).unwrap();
    assert!(!plan.changes.is_empty());
    b.batch_execute(&plan.to_sql()).unwrap();
    assert_eq!(printed(&mut a), printed(&mut b));
    assert_eq!(read(&mut a), read(&mut b));
    assert!(schema_runtime::cli::diff_databases(b_db.url(), a_db.url())
        .unwrap()
        .changes
        .is_empty());
}

/// Re-reading needs temporary objects; in a read-only transaction (a standby, a read-only
/// role's session) introspection still works, with the text as first read.
#[test]
fn introspection_works_in_a_read_only_transaction() {
    let (_db, mut c) = database("corpus_reg_ro");
    c.batch_execute("CREATE TABLE t (s varchar(5) DEFAULT 'a' CHECK (s IN ('a', 'b')))")
        .unwrap();
    let mut tx = c.build_transaction().read_only(true).start().unwrap();
    let found = introspect_in(&mut tx, &Scope::default()).unwrap();
    // The transaction is still usable afterwards.
    tx.query_one("SELECT 1", &[]).unwrap();
    tx.rollback().unwrap();
    let t = &found.schema.tables[0];
    assert_eq!(
        t.columns[0].default.as_deref(),
        Some("'a'::character varying")
    );
    assert!(
        matches!(&t.constraints[0].kind, ConstraintKind::Check { expr } if expr.contains("ANY"))
    );
    let writable = introspect(&mut c, &Scope::default()).unwrap();
    assert_eq!(found.queries, writable.queries);
}

/// Harbor's `ALTER SEQUENCE robot_id_seq AS bigint MAXVALUE 9007199254740991` on a serial
/// column: introspection used to read the column as `bigserial` and drop the sequence from the
/// model, losing its options. A sequence is folded into a serial column only when it has
/// exactly the options `serial` gives it.
#[test]
fn serial_sequences_with_other_options_stay_sequences() {
    let (_db, mut c) = database("corpus_reg_serial");
    c.batch_execute(
        "CREATE TABLE plain (id serial, big bigserial);
         CREATE TABLE robot (id serial);
         ALTER TABLE robot ALTER COLUMN id TYPE bigint;
         ALTER SEQUENCE robot_id_seq AS bigint MAXVALUE 9007199254740991;
         -- As a dump of a PostgreSQL 9.x database restores it: a bigint sequence.
         CREATE TABLE old (id integer NOT NULL);
         CREATE SEQUENCE old_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
         ALTER SEQUENCE old_id_seq OWNED BY old.id;
         ALTER TABLE ONLY old ALTER COLUMN id SET DEFAULT nextval('old_id_seq'::regclass);",
    )
    .unwrap();
    let s = read(&mut c);
    let column = |table: &str| {
        s.table(&QualifiedName::public(table))
            .unwrap()
            .columns
            .clone()
    };
    assert_eq!(column("plain")[0].data_type, DataType::builtin("serial"));
    assert_eq!(column("plain")[1].data_type, DataType::builtin("bigserial"));

    let robot = &column("robot")[0];
    assert_eq!(robot.data_type, DataType::builtin("bigint"));
    assert_eq!(
        robot.default.as_deref(),
        Some("nextval('robot_id_seq'::regclass)")
    );
    let seq = s
        .sequences
        .iter()
        .find(|q| q.name.name == "robot_id_seq")
        .expect("robot_id_seq is listed");
    assert_eq!(seq.max_value, Some(9007199254740991));
    assert_eq!(
        seq.owned_by,
        Some((QualifiedName::public("robot"), "id".to_string()))
    );

    assert_eq!(column("old")[0].data_type, DataType::builtin("integer"));
    let old = s
        .sequences
        .iter()
        .find(|q| q.name.name == "old_id_seq")
        .expect("old_id_seq is listed");
    assert_eq!(old.data_type, Some(DataType::builtin("bigint")));

    // Rebuilt from the model, the sequences keep their options.
    let (_b, mut b) = database("corpus_reg_serial_b");
    b.batch_execute(&s.create_sql()).unwrap();
    assert_eq!(read(&mut b), s);
    assert!(diff(&s, &read(&mut b)).changes.is_empty());
}
