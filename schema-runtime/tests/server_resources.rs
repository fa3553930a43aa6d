//! A declaration bigger than the server's lock table (thousands of objects, beyond
//! `max_locks_per_transaction`) canonicalizes in pieces, each rolled back (releasing its
//! locks) once read back; what must be built in one piece and still does not fit (a partition
//! tree bigger than the lock table) is an error that says the server ran out of a resource and
//! how to raise it, and blames no object of the declaration.

use schema_runtime::introspect::{introspect, Scope};
use schema_runtime::testkit::{ClusterOptions, TempCluster};
use schema_runtime::{canonical_form, ErrorKind};

/// A lock table of a few hundred entries: max_locks_per_transaction times the backends.
fn small_lock_table() -> TempCluster {
    TempCluster::start_with(
        &ClusterOptions::default()
            .setting("max_locks_per_transaction", "10")
            .setting("max_connections", "10"),
    )
    .unwrap()
}

#[test]
fn a_declaration_beyond_the_lock_table_canonicalizes_in_pieces() {
    let cluster = small_lock_table();
    // The schema, created in small transactions (each within the limit), then read back.
    let source = cluster.create_database("resources_src").unwrap();
    let mut client = source.connect();
    for chunk in 0..40 {
        let mut sql = String::from("BEGIN;\n");
        for i in 0..25 {
            let n = chunk * 25 + i;
            sql.push_str(&format!(
                "CREATE TABLE t_{n} (id bigint PRIMARY KEY, name text UNIQUE);\n"
            ));
        }
        sql.push_str("COMMIT;\n");
        client.batch_execute(&sql).unwrap();
    }
    let declared = introspect(&mut client, &Scope::default()).unwrap().schema;
    assert_eq!(declared.tables.len(), 1000);

    // One build of all 1000 tables (5000 locks) would not fit; pieces of a few tables do.
    let target = cluster.create_database("resources_dst").unwrap();
    let canonical = canonical_form(&mut target.connect(), &declared).unwrap();
    assert_eq!(canonical.canonical.tables.len(), 1000);
    assert_eq!(canonical.canonical.tables, declared.tables);
}

#[test]
fn a_partition_tree_beyond_the_lock_table_names_the_setting_not_an_object() {
    let cluster = small_lock_table();
    // A tree is built in one piece: 400 partitions, each with its key's index.
    let source = cluster.create_database("resources_tree_src").unwrap();
    let mut client = source.connect();
    client
        .batch_execute(
            "CREATE TABLE readings (id bigint, at integer, PRIMARY KEY (id, at))
             PARTITION BY RANGE (at);",
        )
        .unwrap();
    for chunk in 0..16 {
        let mut sql = String::from("BEGIN;\n");
        for i in 0..25 {
            let n = chunk * 25 + i;
            sql.push_str(&format!(
                "CREATE TABLE readings_{n} PARTITION OF readings FOR VALUES FROM ({n}) TO ({});\n",
                n + 1
            ));
        }
        sql.push_str("COMMIT;\n");
        client.batch_execute(&sql).unwrap();
    }
    let declared = introspect(&mut client, &Scope::default()).unwrap().schema;
    assert_eq!(declared.tables.len(), 401);

    let target = cluster.create_database("resources_tree_dst").unwrap();
    let err = canonical_form(&mut target.connect(), &declared).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerResources, "{err}");
    assert_eq!(err.sqlstate(), Some("53200"), "{err}");
    assert_eq!(err.rejected_object(), None, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("max_locks_per_transaction") && text.contains("PGDECL_CANONICAL_FILE"),
        "{text}"
    );
    assert!(!text.contains("correct the declaration"), "{text}");
}
