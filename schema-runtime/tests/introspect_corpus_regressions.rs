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

/// Every place an expression can be, with `IN (...)` over `varchar`: it prints as
/// `ARRAY[...]::text[]`, which PostgreSQL parses back into a different expression (the cast
/// pushed into each element).
const IN_LISTS: &str = "
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

/// Introspection returns such expressions as the server prints them (it never re-prints them:
/// a read does not write). A database built from that print (aim's 5 checks; `pgdecl inspect`
/// output loaded with `psql -f`) holds different expressions that print differently, yet is
/// in sync with the original both ways, for the tool and for an application declaring the
/// print; and the tool's plan for a database lacking them rebuilds the original expressions
/// exactly.
#[test]
fn in_lists_on_varchar_converge_in_every_place() {
    let (a_db, mut a) = database("corpus_reg_in_a");
    a.batch_execute(IN_LISTS).unwrap();
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
        check.contains("'done'::character varying]::text[]"),
        "read as printed: {check}"
    );

    // Built from the print: other expressions, printed otherwise...
    let (b_db, mut b) = database("corpus_reg_in_b");
    b.batch_execute(&from_a.create_sql()).unwrap();
    assert_ne!(printed(&mut a), printed(&mut b));
    // ... and in sync both ways, for the tool and for an app that declares the print.
    for (from, to) in [(a_db.url(), b_db.url()), (b_db.url(), a_db.url())] {
        let plan = schema_runtime::cli::diff_databases(from, to).unwrap();
        assert!(plan.changes.is_empty(), "{}", plan.to_sql());
    }
    let plan = schema_runtime::plan(&mut b, &from_a, &[]).unwrap();
    assert!(plan.changes.is_empty(), "{}", plan.to_sql());
    let plan = schema_runtime::plan(&mut a, &from_a, &[]).unwrap();
    assert!(plan.changes.is_empty(), "{}", plan.to_sql());

    // The tool's plan from a database without them rebuilds exactly the original expressions.
    let (c_db, mut c) = database("corpus_reg_in_c");
    c.batch_execute("CREATE TABLE t (id int)").unwrap();
    let plan = schema_runtime::cli::diff_databases(c_db.url(), a_db.url()).unwrap();
    for change in &plan.changes {
        // One by one: `CREATE INDEX CONCURRENTLY` cannot run in a batch.
        c.batch_execute(&change.sql()).unwrap();
    }
    assert_eq!(printed(&mut a), printed(&mut c));
    assert_eq!(read(&mut c), from_a);
}

/// A database restored from a dump (`pg_dump | psql`) holds a different expression than its
/// source and prints it differently; it is the same schema, and the tool says so both ways.
/// Compared as printed (`--as-printed`, or when FROM's server does not allow the scratch
/// schemas), with a note saying so, the offline normalizer sees through where PostgreSQL put
/// the casts too.
#[test]
fn a_restored_dump_is_in_sync_with_its_source() {
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
    for (from, to) in [(b_db.url(), a_db.url()), (a_db.url(), b_db.url())] {
        let plan = schema_runtime::cli::diff_databases(from, to).unwrap();
        assert!(plan.changes.is_empty(), "{}", plan.to_sql());
    }

    let (plan, notes) =
        schema_runtime::cli::diff_databases_reporting(b_db.url(), a_db.url(), true).unwrap();
    assert!(plan.changes.is_empty(), "{}", plan.to_sql());
    assert!(
        notes.iter().any(|n| n.contains("compared as printed")),
        "{notes:?}"
    );

    // A genuine difference still shows through the chains.
    a.batch_execute("ALTER TABLE t DROP CONSTRAINT t_s_check, ADD CHECK (s IN ('a', 'b', 'c'))")
        .unwrap();
    let plan = schema_runtime::cli::diff_databases(b_db.url(), a_db.url()).unwrap();
    assert!(!plan.changes.is_empty());
    b.batch_execute(&plan.to_sql()).unwrap();
    assert_eq!(printed(&mut a), printed(&mut b));
    assert!(schema_runtime::cli::diff_databases(b_db.url(), a_db.url())
        .unwrap()
        .changes
        .is_empty());
}

/// Introspection never writes: inside `BEGIN; SET TRANSACTION READ ONLY` it works and reads
/// the same model as on its own, and in a writable transaction it is assigned no
/// transaction id (nothing was written, not even a temporary object).
#[test]
fn introspection_only_reads() {
    let (_db, mut c) = database("corpus_reg_ro");
    c.batch_execute(IN_LISTS).unwrap();
    c.batch_execute(
        "CREATE TABLE n (x numeric DEFAULT -1.5 CHECK (x > -1), i int DEFAULT -1,
                         d date DEFAULT '2020-01-01', u text CHECK (u IN ('x', 'y')))",
    )
    .unwrap();
    let alone = introspect(&mut c, &Scope::default()).unwrap();

    let mut tx = c.transaction().unwrap();
    tx.batch_execute("SET TRANSACTION READ ONLY").unwrap();
    let found = introspect_in(&mut tx, &Scope::default()).unwrap();
    // The transaction is still usable afterwards.
    tx.query_one("SELECT 1", &[]).unwrap();
    tx.rollback().unwrap();
    assert_eq!(found, alone);

    let mut tx = c.transaction().unwrap();
    introspect_in(&mut tx, &Scope::default()).unwrap();
    let xid: Option<i64> = tx
        .query_one("SELECT txid_current_if_assigned()", &[])
        .unwrap()
        .get(0);
    assert_eq!(xid, None, "introspection wrote something");
    tx.rollback().unwrap();
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

/// Canonicalization loads anything PostgreSQL loads (issue 9 item 4), for the shapes pg_dump
/// output has: a foreign key onto columns a unique *index* (not a constraint) covers, a
/// default of an extension's type (`'0'::public.ltree`), and a domain, check and default that
/// call a function. Each database read back is planned empty against itself (its canonical
/// form is computed in scratch schemas, which must load), and a fresh database converged to
/// what was read is in sync.
#[test]
fn what_postgresql_loads_canonicalizes() {
    let cases = [
        (
            "canon_fk_index",
            "CREATE TABLE a (id int NOT NULL, code text);
             CREATE UNIQUE INDEX a_id_key ON a (id);
             CREATE TABLE b (a_id int REFERENCES a (id));",
        ),
        (
            "canon_ext_default",
            "CREATE EXTENSION ltree;
             CREATE TABLE t (path public.ltree DEFAULT '0'::public.ltree NOT NULL, h text);",
        ),
        (
            "canon_functions_first",
            "CREATE FUNCTION pos(n int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT n > 0';
             CREATE DOMAIN posint AS int CHECK (pos(VALUE));
             CREATE TABLE t (a posint, b int DEFAULT 1 CHECK (pos(b)));",
        ),
    ];
    for (name, ddl) in cases {
        let (_db, mut client) = database(name);
        client.batch_execute(ddl).unwrap();
        let found = read(&mut client);
        let again = schema_runtime::plan(&mut client, &found, &[])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(again.changes.is_empty(), "{name}:\n{}", again.to_sql());
        let (_fresh, mut fresh) = database(&format!("{name}_fresh"));
        let report = schema_runtime::converge(
            &mut fresh,
            &found,
            &schema_runtime::Policy::new(schema_runtime::Mode::Apply),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(report.in_sync(), "{name}: {report}");
    }
}
