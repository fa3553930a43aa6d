//! Partitioned tables against a real PostgreSQL: what PostgreSQL propagates to partitions
//! (attached indexes, cloned keys, checks and triggers) is not read as the partitions' own,
//! in the same number of round trips; keys of a partitioned table are built in one statement
//! (no `USING INDEX`), its indexes `ON ONLY` with each partition's built `CONCURRENTLY` and
//! attached, and an INVALID partitioned index (a partition lacks its index) is finished the
//! same way, without a drop; a partition that moves keeps its rows.

use schema_core::builder::*;
use schema_core::model::*;
use schema_core::DataType;
use schema_runtime::introspect::{introspect, Scope};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, plan, Mode, Policy};

fn t(name: &str) -> DataType {
    DataType::parse(name).unwrap()
}

const DDL: &str = r#"
CREATE TABLE devices (name text PRIMARY KEY);
CREATE TABLE metrics (
    id bigint NOT NULL,
    recorded_on date NOT NULL,
    device text NOT NULL REFERENCES devices,
    value numeric CHECK (value >= 0),
    PRIMARY KEY (recorded_on, id, device)
) PARTITION BY RANGE (recorded_on);
CREATE INDEX metrics_device_idx ON metrics (device);
CREATE TRIGGER metrics_same BEFORE UPDATE ON metrics FOR EACH ROW
    EXECUTE FUNCTION suppress_redundant_updates_trigger();
CREATE TABLE metrics_2025 PARTITION OF metrics FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE metrics_rest PARTITION OF metrics DEFAULT PARTITION BY LIST (device);
CREATE TABLE metrics_rest_a PARTITION OF metrics_rest (CONSTRAINT small CHECK (value < 10))
    FOR VALUES IN ('a');
CREATE INDEX metrics_rest_a_value_idx ON metrics_rest_a (value);
CREATE TABLE sightings (day date, metric bigint, device text,
    FOREIGN KEY (day, metric, device) REFERENCES metrics);
"#;

#[test]
fn propagated_objects_belong_to_the_parent() {
    let server = TestServer::shared();
    let plain = server.create_database("partitions_plain").unwrap();
    plain
        .connect()
        .batch_execute("CREATE TABLE t (id int PRIMARY KEY)")
        .unwrap();
    let baseline = introspect(&mut plain.connect(), &Scope::default()).unwrap();

    let db = server.create_database("partitions_read").unwrap();
    let mut client = db.connect();
    client.batch_execute(DDL).unwrap();
    let found = introspect(&mut client, &Scope::default()).unwrap();
    assert!(found.unmodeled.is_empty(), "{:?}", found.unmodeled);
    assert_eq!(found.queries, baseline.queries, "same round trips");
    let s = &found.schema;
    let table = |name: &str| s.table(&QualifiedName::public(name)).unwrap();

    let metrics = table("metrics");
    assert_eq!(
        metrics.partition_by,
        Some(PartitionKey::range(["recorded_on"]))
    );
    assert_eq!(metrics.constraints.len(), 3, "{:?}", metrics.constraints);
    assert_eq!(metrics.indexes.len(), 1);

    // A leaf partition: none of the parent's keys, checks, indexes or triggers.
    let leaf = table("metrics_2025");
    assert_eq!(leaf.columns.len(), 4);
    assert!(leaf.constraints.is_empty(), "{:?}", leaf.constraints);
    assert!(leaf.indexes.is_empty(), "{:?}", leaf.indexes);
    assert_eq!(
        leaf.partition_of.as_ref().unwrap().bound,
        PartitionBound::range(["'2025-01-01'"], ["'2026-01-01'"])
    );
    // Two levels down: only its own check and index.
    let deep = table("metrics_rest_a");
    let own: Vec<&str> = deep.constraints.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(own, ["small"]);
    let own: Vec<&str> = deep.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(own, ["metrics_rest_a_value_idx"]);
    assert_eq!(
        table("metrics_rest").partition_by,
        Some(PartitionKey::list("device"))
    );
    // The foreign key into the partitioned table, once (not once per partition).
    assert_eq!(table("sightings").constraints.len(), 1);
    let triggers: Vec<&str> = s.triggers.iter().map(|t| t.table.name.as_str()).collect();
    assert_eq!(triggers, ["metrics"]);
}

/// `metrics` partitioned by day, with two yearly partitions; `keys` adds a primary key, a
/// unique key, a foreign key, a check and two indexes to the parent.
fn declared(keys: bool) -> Schema {
    let mut parent = TableDef::new("metrics")
        .column(ColumnDef::new("id", t("bigint")).not_null())
        .column(ColumnDef::new("recorded_on", t("date")).not_null())
        .column(ColumnDef::new("device", t("text")))
        .partition_by(PartitionKey::range(["recorded_on"]));
    if keys {
        parent = parent
            .primary_key(["recorded_on", "id"])
            .unique(["device", "recorded_on"])
            .foreign_key(["device"], References::table("devices"))
            .check("id > 0")
            .index(IndexDef::on_columns(["device"]))
            .index(IndexDef::on_columns(["id"]).named("metrics_id_idx"));
    }
    let year = |y: u32| {
        TableDef::new(format!("metrics_{y}").as_str()).partition_of(
            "metrics",
            PartitionBound::range([format!("'{y}-01-01'")], [format!("'{}-01-01'", y + 1)]),
        )
    };
    Schema::builder()
        .table(TableDef::new("devices").column(ColumnDef::new("name", t("text")).primary_key()))
        .table(parent)
        .table(year(2025))
        .table(year(2026))
        .build()
}

#[test]
fn keys_in_one_statement_indexes_partition_by_partition() {
    let db = TestServer::shared()
        .create_database("partitions_keys")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &declared(false), &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute(
            "INSERT INTO devices VALUES ('a');
             INSERT INTO metrics VALUES (1, '2025-06-01', 'a'), (2, '2026-06-01', NULL)",
        )
        .unwrap();

    let planned = plan(&mut client, &declared(true), &[]).unwrap();
    let sql = planned.to_sql();
    assert!(!sql.contains("USING INDEX"), "{sql}");
    assert!(!sql.contains("FOREIGN KEY (device) REFERENCES public.devices (name) NOT VALID"));
    // Never CONCURRENTLY on the partitioned table itself: only on its partitions.
    assert!(
        !sql.contains("CONCURRENTLY IF NOT EXISTS metrics_device_idx"),
        "{sql}"
    );
    assert!(
        sql.contains("CREATE INDEX IF NOT EXISTS metrics_device_idx ON ONLY public.metrics"),
        "{sql}"
    );
    assert!(
        sql.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS metrics_2025_device_idx ON public.metrics_2025"),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER INDEX public.metrics_device_idx ATTACH PARTITION public.metrics_2025_device_idx;"),
        "{sql}"
    );
    let report = converge(&mut client, &declared(true), &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    let again = plan(&mut client, &declared(true), &[]).unwrap();
    assert!(again.is_empty(), "{}", again.to_sql());
    // Every partition has the parent's indexes, attached.
    let attached: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE c.relkind = 'i' AND c.relname LIKE 'metrics_20%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        attached,
        2 * 4,
        "pkey, unique key and two indexes on each partition"
    );
    let invalid: i64 = client
        .query_one("SELECT count(*) FROM pg_index WHERE NOT indisvalid", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        invalid, 0,
        "the parent's indexes are valid once all are attached"
    );
}

#[test]
fn an_invalid_partitioned_index_is_finished_without_a_drop() {
    let db = TestServer::shared()
        .create_database("partitions_invalid")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &declared(false), &Policy::new(Mode::Apply)).unwrap();
    // An `ON ONLY` build that never attached its partitions' indexes: INVALID.
    client
        .batch_execute(
            "CREATE INDEX metrics_id_idx ON ONLY metrics (id);
             CREATE INDEX metrics_stale_idx ON ONLY metrics (device);",
        )
        .unwrap();
    let found = introspect(&mut client, &Scope::default()).unwrap();
    let metrics = found
        .schema
        .table(&QualifiedName::public("metrics"))
        .unwrap();
    assert!(
        metrics.indexes.iter().all(|i| !i.valid),
        "{:?}",
        metrics.indexes
    );

    let mut wanted = declared(false);
    wanted.tables[1].indexes.push(Index {
        name: "metrics_id_idx".into(),
        unique: false,
        method: IndexMethod::Btree,
        elements: vec![IndexElement {
            target: IndexTarget::Column("id".into()),
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: None,
        }],
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct: false,
        comment: None,
        valid: true,
        storage: Vec::new(),
    });
    let planned = plan(&mut client, &wanted, &[]).unwrap();
    let sql = planned.to_sql();
    // The declared one is finished: its partitions' indexes built and attached.
    assert!(
        !sql.contains("DROP INDEX IF EXISTS public.metrics_id_idx;"),
        "{sql}"
    );
    assert!(
        sql.contains(
            "ALTER INDEX public.metrics_id_idx ATTACH PARTITION public.metrics_2025_id_idx;"
        ),
        "{sql}"
    );
    // The undeclared one goes, in the transaction (not CONCURRENTLY: a partitioned index).
    assert!(
        sql.contains("DROP INDEX IF EXISTS public.metrics_stale_idx;"),
        "{sql}"
    );
    let policy = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    converge(&mut client, &wanted, &policy).unwrap();
    let invalid: i64 = client
        .query_one("SELECT count(*) FROM pg_index WHERE NOT indisvalid", &[])
        .unwrap()
        .get(0);
    assert_eq!(invalid, 0);
    assert!(plan(&mut client, &wanted, &[]).unwrap().is_empty());
}

#[test]
fn a_partition_that_moves_keeps_its_rows() {
    let db = TestServer::shared()
        .create_database("partitions_move")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &declared(false), &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO metrics VALUES (1, '2025-06-01', 'a'), (2, '2026-06-01', 'b')")
        .unwrap();
    // 2026 grows to cover 2027 as well.
    let mut wider = declared(false);
    wider.tables[3].partition_of.as_mut().unwrap().bound =
        PartitionBound::range(["'2026-01-01'"], ["'2028-01-01'"]);
    let planned = plan(&mut client, &wider, &[]).unwrap();
    assert_eq!(planned.changes.len(), 1, "{}", planned.to_sql());
    assert!(planned.is_destructive(), "detaching is withheld by default");
    let withheld = converge(&mut client, &wider, &Policy::new(Mode::Apply)).unwrap();
    assert!(!withheld.in_sync());
    assert_eq!(withheld.withheld.len(), 1);
    let policy = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    converge(&mut client, &wider, &policy).unwrap();
    client
        .batch_execute("INSERT INTO metrics VALUES (3, '2027-06-01', 'c')")
        .unwrap();
    let rows: i64 = client
        .query_one("SELECT count(*) FROM metrics_2026", &[])
        .unwrap()
        .get(0);
    assert_eq!(rows, 2);
    assert!(plan(&mut client, &wider, &[]).unwrap().is_empty());
}

/// Bounds the macro cannot order (text compares by collation) are PostgreSQL's to refuse: the
/// run-time error names the partition, the one it overlaps, and what to change.
#[test]
fn an_overlap_only_the_server_can_see_is_a_clear_error() {
    let db = TestServer::shared()
        .create_database("partitions_overlap")
        .unwrap();
    let mut client = db.connect();
    let schema = Schema::builder()
        .table(
            TableDef::new("names")
                .column(ColumnDef::new("name", t("text")))
                .partition_by(PartitionKey::range(["name"])),
        )
        .table(
            TableDef::new("names_a_m")
                .partition_of("names", PartitionBound::range(["'a'"], ["'m'"])),
        )
        .table(
            TableDef::new("names_b_z")
                .partition_of("names", PartitionBound::range(["'b'"], ["'z'"])),
        )
        .try_build()
        .expect("the macro cannot order text bounds: no finding");
    let err = converge(&mut client, &schema, &Policy::new(Mode::Apply)).unwrap_err();
    let text = format!("{err}");
    assert!(text.contains("names_b_z"), "{text}");
    assert!(
        text.contains("would overlap partition \"names_a_m\""),
        "{text}"
    );
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relname LIKE 'names%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "nothing applied");
}

/// Two levels: a new index on a table whose default partition is partitioned itself is built
/// `ON ONLY` on both partitioned tables, `CONCURRENTLY` on each leaf, attached level by level;
/// at the end every index is valid, the re-plan is empty and a second converge does nothing.
#[test]
fn an_index_over_two_levels_of_partitions() {
    let schema = |indexed: bool| {
        let mut parent = TableDef::new("events")
            .column(ColumnDef::new("id", t("bigint")).not_null())
            .column(ColumnDef::new("kind", t("text")).not_null())
            .column(ColumnDef::new("at", t("date")).not_null())
            .partition_by(PartitionKey::list("kind"));
        if indexed {
            parent = parent.index(
                IndexDef::new()
                    .named("events_lower_kind")
                    .expression("lower(kind)"),
            );
        }
        Schema::builder()
            .table(parent)
            .table(TableDef::new("events_a").partition_of("events", PartitionBound::list(["'a'"])))
            .table(
                TableDef::new("events_rest")
                    .partition_of("events", PartitionBound::Default)
                    .partition_by(PartitionKey::range(["at"])),
            )
            .table(TableDef::new("events_rest_2025").partition_of(
                "events_rest",
                PartitionBound::range(["'2025-01-01'"], ["'2026-01-01'"]),
            ))
            .build()
    };
    let db = TestServer::shared()
        .create_database("partitions_two_levels")
        .unwrap();
    let mut client = db.connect();
    converge(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO events VALUES (1, 'a', '2025-02-01'), (2, 'b', '2025-03-01')")
        .unwrap();
    let report = converge(&mut client, &schema(true), &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    let sql = report.plan.to_sql();
    assert!(sql.contains("ON ONLY public.events_rest "), "{sql}");
    assert!(
        sql.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS events_rest_2025_lower_idx"),
        "{sql}"
    );
    let (invalid, attached): (i64, i64) = {
        let row = client
            .query_one(
                "SELECT (SELECT count(*) FROM pg_index WHERE NOT indisvalid),
                        (SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                          WHERE c.relkind = 'I' OR (c.relkind = 'i' AND c.relname LIKE 'events_%'))",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!(invalid, 0, "{sql}");
    assert_eq!(attached, 3, "events_a, events_rest, events_rest_2025");
    assert!(plan(&mut client, &schema(true), &[]).unwrap().is_empty());
    schema_runtime::validate(&mut client, &schema(true)).unwrap();
}
