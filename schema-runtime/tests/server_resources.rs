//! A declaration too big for the server's lock table (one transaction creating thousands of
//! objects, beyond `max_locks_per_transaction`): the error says the server ran out of a
//! resource and how to raise it, and blames no object of the declaration.

use schema_runtime::introspect::{introspect, Scope};
use schema_runtime::testkit::{ClusterOptions, TempCluster};
use schema_runtime::{canonical_form, ErrorKind};

#[test]
fn a_declaration_beyond_the_lock_table_names_the_setting_not_an_object() {
    // A lock table of a few hundred entries: max_locks_per_transaction times the backends.
    let cluster = TempCluster::start_with(
        &ClusterOptions::default()
            .setting("max_locks_per_transaction", "10")
            .setting("max_connections", "10"),
    )
    .unwrap();
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

    // Canonicalizing it builds all 1000 tables in one transaction.
    let target = cluster.create_database("resources_dst").unwrap();
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
