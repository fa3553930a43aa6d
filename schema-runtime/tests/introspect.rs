//! Introspection against a real PostgreSQL: every object kind reads back into the model, and
//! the number of catalog queries does not grow with the number of tables.

use schema_core::model::*;
use schema_core::DataType;
use schema_runtime::introspect::{
    introspect, introspect_in, introspect_url_shared, introspect_urls_compared, is_unprinted, Scope,
};
use schema_runtime::testkit::{TestDatabase, TestServer};

const DDL: &str = r#"
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA audit;
COMMENT ON SCHEMA audit IS 'audit trail';
CREATE TYPE user_role AS ENUM ('admin', 'member', 'guest');
CREATE TYPE audit.level AS ENUM ('low', 'high');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (a positive_int, b text COLLATE "C");
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE SEQUENCE invoice_numbers AS bigint INCREMENT 2 START 1000 MINVALUE 1000 MAXVALUE 999999 CACHE 10 CYCLE;
CREATE TABLE orgs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    legacy serial,
    email varchar(255) NOT NULL UNIQUE,
    role user_role NOT NULL DEFAULT 'member',
    levels audit.level[],
    score numeric(10,2) NOT NULL DEFAULT 0,
    name text COLLATE "C",
    name_lower text GENERATED ALWAYS AS (lower(name)) STORED,
    org_id uuid REFERENCES orgs (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    status text CHECK (status IN ('a', 'b')),
    CONSTRAINT users_name_email UNIQUE NULLS NOT DISTINCT (name, email) INCLUDE (score)
);
COMMENT ON TABLE users IS 'people';
COMMENT ON COLUMN users.email IS 'login';
CREATE INDEX users_lower_idx ON users (lower(email));
CREATE UNIQUE INDEX users_name_pattern ON users USING btree (name text_pattern_ops DESC NULLS LAST) INCLUDE (score) WHERE (deleted IS NULL);
CREATE INDEX users_created_at_idx ON users (created_at DESC);
CREATE FUNCTION add(a integer, b integer DEFAULT 1) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a + b';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$BEGIN RETURN NEW; END$$;
CREATE FUNCTION user_ids() RETURNS TABLE(id bigint, email text) LANGUAGE sql STABLE AS 'SELECT id, email FROM users';
CREATE PROCEDURE archive(INOUT n integer) LANGUAGE plpgsql AS $$BEGIN n := n + 1; END$$;
CREATE TRIGGER users_touch BEFORE UPDATE OF email, role OR INSERT ON users FOR EACH ROW WHEN (NEW.email IS NOT NULL) EXECUTE FUNCTION touch('x', 'y');
CREATE VIEW active_users AS SELECT id, email FROM users WHERE status = 'a';
CREATE MATERIALIZED VIEW user_counts AS SELECT count(*) FROM users WITH NO DATA;
CREATE UNIQUE INDEX user_counts_count ON user_counts (count);
CREATE AGGREGATE total(integer) (SFUNC = add, STYPE = integer, INITCOND = '0');
CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
"#;

/// [`DDL`], loadable.
fn every_kind_ddl() -> String {
    // `deleted` is referenced by a partial index predicate; add it before the index.
    DDL.replace(
        "    status text CHECK",
        "    deleted timestamptz,\n    status text CHECK",
    )
}

/// A new database named `name` holding [`DDL`], with a connection to it.
fn every_kind_database(name: &str) -> (TestDatabase, postgres::Client) {
    let db = TestServer::shared().create_database(name).unwrap();
    let mut client = db.connect();
    client.batch_execute(&every_kind_ddl()).unwrap();
    (db, client)
}

#[test]
fn reads_every_object_kind() {
    let (_db, mut client) = every_kind_database("introspect");
    let found = introspect(&mut client, &Scope::default()).unwrap();
    let s = &found.schema;

    assert_eq!(
        s.extensions
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["pgcrypto"]
    );
    assert_eq!(s.schemas.len(), 1);
    assert_eq!(s.schemas[0].comment.as_deref(), Some("audit trail"));
    let role = s.enum_type(&QualifiedName::public("user_role")).unwrap();
    assert_eq!(role.values, ["admin", "member", "guest"]);
    assert!(s.enum_type(&QualifiedName::new("audit", "level")).is_some());
    assert_eq!(
        s.sequences.len(),
        1,
        "serial and identity sequences belong to their columns: {:?}",
        s.sequences
    );
    let seq = &s.sequences[0];
    assert_eq!(
        (seq.increment, seq.start, seq.cache, seq.cycle),
        (Some(2), Some(1000), Some(10), true)
    );

    let users = s.table(&QualifiedName::public("users")).unwrap();
    assert_eq!(users.comment.as_deref(), Some("people"));
    let col = |n: &str| users.column(n).unwrap_or_else(|| panic!("column {n}"));
    assert_eq!(col("id").identity, Some(Identity::Always));
    assert_eq!(col("legacy").data_type.to_string(), "serial");
    assert_eq!(col("legacy").default, None);
    assert_eq!(col("email").data_type.to_string(), "character varying(255)");
    assert_eq!(col("email").comment.as_deref(), Some("login"));
    assert_eq!(
        col("role").data_type,
        schema_core::DataType::named("public", "user_role")
    );
    assert_eq!(col("role").default.as_deref(), Some("'member'::user_role"));
    assert_eq!(col("levels").data_type.to_string(), "audit.level[]");
    assert_eq!(col("score").data_type.to_string(), "numeric(10,2)");
    assert_eq!(col("name").collation.as_deref(), Some("C"));
    assert_eq!(col("name_lower").generated.as_deref(), Some("lower(name)"));
    assert_eq!(
        col("created_at").data_type.to_string(),
        "timestamp(3) with time zone"
    );
    assert!(col("created_at").not_null);

    let con = |n: &str| {
        users
            .constraints
            .iter()
            .find(|c| c.name == n)
            .unwrap_or_else(|| panic!("constraint {n}: {:?}", users.constraints))
    };
    assert!(
        matches!(&con("users_pkey").kind, ConstraintKind::PrimaryKey { columns, .. } if columns == &["id"])
    );
    assert!(matches!(
        &con("users_email_key").kind,
        ConstraintKind::Unique { .. }
    ));
    match &con("users_name_email").kind {
        ConstraintKind::Unique {
            columns,
            include,
            nulls_not_distinct,
        } => {
            assert_eq!(columns, &["name", "email"]);
            assert_eq!(include, &["score"]);
            assert!(nulls_not_distinct);
        }
        other => panic!("{other:?}"),
    }
    let fk = con("users_org_id_fkey");
    assert!(fk.deferrable && fk.initially_deferred);
    assert!(
        matches!(&fk.kind, ConstraintKind::ForeignKey { on_delete: FkAction::Cascade, ref_columns, .. } if ref_columns == &["id"])
    );
    assert!(
        matches!(&con("users_status_check").kind, ConstraintKind::Check { expr } if expr.contains("ANY"))
    );

    let idx = |n: &str| {
        users
            .indexes
            .iter()
            .find(|i| i.name == n)
            .unwrap_or_else(|| panic!("index {n}: {:?}", users.indexes))
    };
    assert_eq!(
        users.indexes.len(),
        3,
        "constraint-backed indexes are not listed: {:?}",
        users.indexes
    );
    assert_eq!(
        idx("users_lower_idx").elements[0].target,
        IndexTarget::Expression("lower(email::text)".into())
    );
    let pattern = idx("users_name_pattern");
    assert!(pattern.unique);
    assert_eq!(
        pattern.elements[0].target,
        IndexTarget::Column("name".into())
    );
    assert_eq!(
        pattern.elements[0].opclass.as_deref(),
        Some("text_pattern_ops")
    );
    assert!(pattern.elements[0].descending);
    assert_eq!(pattern.elements[0].nulls_first, Some(false));
    assert_eq!(pattern.include, ["score"]);
    assert_eq!(pattern.predicate.as_deref(), Some("deleted IS NULL"));
    let created = idx("users_created_at_idx");
    assert!(created.elements[0].descending);
    assert_eq!(
        created.elements[0].nulls_first, None,
        "DESC implies NULLS FIRST"
    );

    let f = |n: &str| {
        s.functions
            .iter()
            .find(|f| f.name.name == n)
            .unwrap_or_else(|| panic!("function {n}"))
    };
    let add = f("add");
    assert_eq!(add.args.len(), 2);
    assert_eq!(add.args[1].default.as_deref(), Some("1"));
    assert_eq!(add.volatility, Volatility::Immutable);
    assert!(add.strict);
    assert_eq!(add.body, "SELECT a + b");
    let touch = f("touch");
    assert!(touch.security_definer);
    assert_eq!(
        touch.config,
        [("search_path".to_string(), "public, pg_temp".to_string())]
    );
    assert!(matches!(&f("user_ids").returns, Some(Returns::Table(cols)) if cols.len() == 2));
    let archive = f("archive");
    assert!(archive.is_procedure && archive.returns.is_none());
    assert_eq!(archive.args[0].mode, ArgMode::InOut);

    assert_eq!(s.triggers.len(), 1);
    let t = &s.triggers[0];
    assert_eq!(t.timing, TriggerTiming::Before);
    assert_eq!(
        t.events,
        [
            TriggerEvent::Insert,
            TriggerEvent::Update(vec!["email".into(), "role".into()])
        ]
    );
    assert!(t.for_each_row);
    assert_eq!(t.when.as_deref(), Some("new.email IS NOT NULL"));
    assert_eq!(t.args, ["x", "y"]);
    assert_eq!(s.views.len(), 2);
    assert!(
        s.views[0].query.contains("status = 'a'::text"),
        "{}",
        s.views[0].query
    );
    // A materialized view, with its index (read in the tables' index round trip).
    let counts = &s.views[1];
    assert!(counts.materialized && !counts.with_data);
    assert_eq!(counts.indexes.len(), 1);
    assert_eq!(counts.indexes[0].name, "user_counts_count");
    assert!(counts.indexes[0].unique);
    // A plain aggregate, read with the functions.
    assert_eq!(s.aggregates.len(), 1);
    let total = &s.aggregates[0];
    assert_eq!(total.sfunc, QualifiedName::public("add"));
    assert_eq!(total.initcond.as_deref(), Some("0"));
    assert_eq!(total.args, [DataType::parse("integer").unwrap()]);

    // Partitioned tables and partitions are tables, with their key and bound.
    let events = s.table(&QualifiedName::public("events")).unwrap();
    assert_eq!(events.partition_by, Some(PartitionKey::range(["at"])));
    let partition = s.table(&QualifiedName::public("events_2026")).unwrap();
    assert_eq!(
        partition.partition_of,
        Some(PartitionOf {
            parent: QualifiedName::public("events"),
            bound: PartitionBound::range(["'2026-01-01'"], ["'2027-01-01'"]),
        })
    );
    // The rest is reported, not dropped.
    let kinds: Vec<&str> = found.unmodeled.iter().map(|u| u.kind.as_str()).collect();
    assert!(!kinds.contains(&"materialized view"), "{kinds:?}");
    assert!(!kinds.contains(&"aggregate"), "{kinds:?}");
    // Domains, composite and range types are read into the model (a range's multirange
    // type belongs to the range).
    let positive = s.domain(&QualifiedName::public("positive_int")).unwrap();
    assert_eq!(positive.checks[0].expr, "VALUE > 0");
    let pair = s.composite_type(&QualifiedName::public("pair")).unwrap();
    assert_eq!(
        pair.attributes[0].data_type,
        schema_core::DataType::named("public", "positive_int")
    );
    assert_eq!(pair.attributes[1].collation.as_deref(), Some("C"));
    let range = s.range_type(&QualifiedName::public("floatrange")).unwrap();
    assert_eq!(range.subtype_diff.as_deref(), Some("float8mi"));
    assert_eq!(range.multirange_type_name, None);
    assert!(
        !kinds
            .iter()
            .any(|k| k.contains("domain") || k.contains("range")),
        "{kinds:?}"
    );
    // Extension-owned functions (pgcrypto's) are not listed.
    assert!(s.functions.iter().all(|f| f.name.name != "gen_random_uuid"));
}

#[test]
fn query_count_does_not_grow_with_tables() {
    let server = TestServer::shared();
    let small = server.create_database("introspect_small").unwrap();
    let large = server.create_database("introspect_large").unwrap();
    let mut c = small.connect();
    c.batch_execute("CREATE TABLE t0 (id int PRIMARY KEY, v text CHECK (v <> ''))")
        .unwrap();
    let one = introspect(&mut c, &Scope::default()).unwrap();
    let mut c = large.connect();
    let mut ddl = String::new();
    for i in 0..60 {
        ddl.push_str(
            &format!(
            "CREATE TABLE t{i} (id int PRIMARY KEY, v text CHECK (v <> ''), p int REFERENCES t0);
             CREATE INDEX ON t{i} (lower(v)) WHERE v IS NOT NULL;"
        )
            .replace(" REFERENCES t0", if i == 0 { "" } else { " REFERENCES t0" }),
        );
    }
    c.batch_execute(&ddl).unwrap();
    let many = introspect(&mut c, &Scope::default()).unwrap();
    assert_eq!(many.schema.tables.len(), 60);
    assert_eq!(one.queries, many.queries);
    // One per object kind: row-level security and policies took the twelfth, privileges
    // and default privileges the thirteenth; the types the columns use the fourteenth.
    assert_eq!(one.queries, 14, "{} queries", one.queries);
}

/// Key, include and referenced columns are read as numbers and named from the columns read,
/// and key collations are told apart from the ones their columns imply without a catalog
/// lookup per key (issue 12): names after a dropped column, a foreign key to a table outside
/// the schemas read, a materialized view's index, and every kind of key collation.
#[test]
fn names_keys_and_collations_from_the_columns_read() {
    let db = TestServer::shared()
        .create_database("introspect_keys")
        .unwrap();
    let mut client = db.connect();
    client
        .batch_execute(
            r#"
CREATE SCHEMA outside;
CREATE TABLE outside.owners (pad int, "Owner Id" bigint UNIQUE);
CREATE DOMAIN c_text AS text COLLATE "C";
CREATE TABLE items (
    gone int,
    id bigint PRIMARY KEY,
    owner bigint REFERENCES outside.owners ("Owner Id"),
    parent bigint,
    label text,
    code text COLLATE "C",
    tag c_text,
    n int,
    CONSTRAINT items_label_key UNIQUE (label) INCLUDE (n, code),
    CONSTRAINT items_id_label UNIQUE (id, label)
);
ALTER TABLE items DROP COLUMN gone;
ALTER TABLE items ADD CONSTRAINT items_parent_fkey FOREIGN KEY (parent, label) REFERENCES items (id, label);
CREATE INDEX items_plain ON items (label, code, tag, n) INCLUDE (parent);
CREATE INDEX items_default ON items (code COLLATE "default", tag COLLATE "default");
CREATE INDEX items_c ON items (label COLLATE "C", lower(label) COLLATE "C", lower(code));
CREATE INDEX items_expr ON items (n, (n + 1), label);
CREATE MATERIALIZED VIEW item_labels AS SELECT id, label FROM items WITH NO DATA;
CREATE INDEX item_labels_label ON item_labels (label, id);
"#,
        )
        .unwrap();
    let scope = Scope {
        only: Some(vec!["public".to_string()]),
        ..Scope::default()
    };
    let found = introspect(&mut client, &scope).unwrap();
    let items = found.schema.table(&QualifiedName::public("items")).unwrap();
    let con = |n: &str| {
        &items
            .constraints
            .iter()
            .find(|c| c.name == n)
            .unwrap_or_else(|| panic!("constraint {n}: {:?}", items.constraints))
            .kind
    };
    assert!(
        matches!(con("items_pkey"), ConstraintKind::PrimaryKey { columns, .. } if columns == &["id"])
    );
    assert!(matches!(con("items_label_key"),
        ConstraintKind::Unique { columns, include, .. } if columns == &["label"] && include == &["n", "code"]));
    match con("items_owner_fkey") {
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            ..
        } => {
            assert_eq!(columns, &["owner"]);
            assert_eq!(ref_table, &QualifiedName::new("outside", "owners"));
            assert_eq!(ref_columns, &["Owner Id"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(con("items_parent_fkey"),
        ConstraintKind::ForeignKey { columns, ref_columns, .. }
            if columns == &["parent", "label"] && ref_columns == &["id", "label"]));

    let index = |n: &str| {
        items
            .indexes
            .iter()
            .find(|i| i.name == n)
            .unwrap_or_else(|| panic!("index {n}: {:?}", items.indexes))
    };
    // (target, collation) of each key.
    let keys = |n: &str| {
        index(n)
            .elements
            .iter()
            .map(|e| {
                let target = match &e.target {
                    IndexTarget::Column(c) => c.clone(),
                    IndexTarget::Expression(x) => format!("({x})"),
                };
                (target, e.collation.clone())
            })
            .collect::<Vec<_>>()
    };
    let key = |t: &str, c: Option<&str>| (t.to_string(), c.map(str::to_string));
    assert_eq!(
        keys("items_plain"),
        [
            key("label", None),
            key("code", None),
            key("tag", None),
            key("n", None)
        ]
    );
    assert_eq!(index("items_plain").include, ["parent"]);
    assert_eq!(
        keys("items_default"),
        [key("code", Some("default")), key("tag", Some("default"))]
    );
    assert_eq!(
        keys("items_c"),
        [
            key("label", Some("C")),
            key("(lower(label))", Some("C")),
            // An expression's collation is compared with its type's, not the one the
            // expression derives (the column's "C"): read the same way from the scratch
            // build, so a declaration plans nothing either way.
            key("(lower(code))", Some("C"))
        ]
    );
    assert_eq!(
        keys("items_expr"),
        [key("n", None), key("(n + 1)", None), key("label", None)]
    );
    let view = found
        .schema
        .views
        .iter()
        .find(|v| v.name.name == "item_labels")
        .unwrap();
    assert_eq!(
        view.indexes[0]
            .elements
            .iter()
            .map(|e| e.target.clone())
            .collect::<Vec<_>>(),
        [
            IndexTarget::Column("label".into()),
            IndexTarget::Column("id".into())
        ]
    );
}

/// A read sharing its queries with a second connection (as a converge of a large schema
/// reads) reads exactly what one connection reads, whole or scoped; the second connection
/// ran some of them, and is closed when the read returns.
#[test]
fn a_read_shared_with_a_second_connection_reads_the_same() {
    let (db, mut client) = every_kind_database("introspect_shared");
    let scopes = [
        Scope::default(),
        Scope {
            only: Some(vec!["audit".to_string()]),
            ..Scope::default()
        },
        Scope {
            skip: vec!["audit".to_string()],
            home: Some("audit".to_string()),
            ..Scope::default()
        },
        Scope {
            relations_only: true,
            ..Scope::default()
        },
    ];
    for scope in &scopes {
        let alone = introspect(&mut client, scope).unwrap();
        let (shared, ran) = introspect_url_shared(db.url(), scope, true).unwrap();
        assert!(
            ran > 0,
            "the second connection ran none of the queries ({scope:?})"
        );
        assert_eq!(shared, alone, "{scope:?}");
        // Closed on the client's side before the read returned; the server's backend
        // exits right after (`DROP DATABASE` waits 5 s for such backends, so does this).
        let others = |client: &mut postgres::Client| -> i64 {
            client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    &[],
                )
                .unwrap()
                .get(0)
        };
        let mut left = others(&mut client);
        for _ in 0..50 {
            if left == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
            left = others(&mut client);
        }
        assert_eq!(left, 0, "a connection of the shared read outlived it");
    }
}

/// A read of the relations only (as the read-backs of the pieces of a large declaration
/// between the first and the last are) reads the relations and all that belongs to them
/// exactly as a whole read, in four queries less: no schema, extension, type, function or
/// aggregate, and no function or aggregate reported unmodelled.
#[test]
fn a_read_of_the_relations_only_reads_them_as_a_whole_read() {
    let (_db, mut client) = every_kind_database("introspect_relations_only");
    let all = introspect(&mut client, &Scope::default()).unwrap();
    let s = &all.schema;
    assert!(
        !s.schemas.is_empty()
            && !s.extensions.is_empty()
            && !s.enums.is_empty()
            && !s.domains.is_empty()
            && !s.composites.is_empty()
            && !s.ranges.is_empty()
            && !s.functions.is_empty()
            && !s.aggregates.is_empty(),
        "every schema-wide kind is there to leave out"
    );
    let relations = introspect(
        &mut client,
        &Scope {
            relations_only: true,
            ..Scope::default()
        },
    )
    .unwrap();
    let mut expected = all.schema.clone();
    expected.schemas.clear();
    expected.extensions.clear();
    expected.enums.clear();
    expected.domains.clear();
    expected.composites.clear();
    expected.ranges.clear();
    expected.functions.clear();
    expected.aggregates.clear();
    assert_eq!(relations.schema, expected);
    assert_eq!(relations.queries + 4, all.queries);
    for u in &relations.unmodeled {
        assert!(
            !u.kind.contains("function") && !u.kind.contains("aggregate"),
            "{u:?}"
        );
        assert!(all.unmodeled.contains(u), "{u:?}");
    }
}

/// A scoped read that finds its relations through their dependency on their schema (as the
/// read-backs of canonicalization's scratch schemas do) reads exactly what the scan of
/// `pg_class` reads: every kind of relation, their indexes, row-level security and the
/// unmodelled settings found per relation, whether the relations were committed long ago or
/// created in the reading transaction itself (as scratch builds are), and nothing of the
/// schemas outside the scope.
#[test]
fn a_scoped_read_finding_relations_by_dependency_reads_the_same() {
    let (_db, mut client) = every_kind_database("introspect_by_dependency");
    client
        .batch_execute(
            r#"
CREATE TABLE audit.trail (id bigint PRIMARY KEY, at timestamptz, note text);
CREATE INDEX trail_at ON audit.trail (at DESC) WHERE note IS NOT NULL;
CREATE SEQUENCE audit.trail_ids OWNED BY audit.trail.id;
ALTER TABLE users REPLICA IDENTITY FULL;
ALTER TABLE orgs ENABLE ROW LEVEL SECURITY;
CREATE POLICY orgs_all ON orgs USING (true);
ALTER TABLE audit.trail FORCE ROW LEVEL SECURITY;
CREATE VIEW audit.barrier WITH (security_barrier) AS SELECT id FROM audit.trail;
ALTER MATERIALIZED VIEW user_counts ALTER COLUMN count SET STATISTICS 100;
CREATE RULE orgs_notify AS ON INSERT TO orgs DO ALSO NOTIFY orgs;
CREATE TABLE events_2027 (id bigint, at date);
ALTER TABLE events ATTACH PARTITION events_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE SCHEMA elsewhere;
CREATE TABLE elsewhere.other (id int PRIMARY KEY);
ALTER TABLE elsewhere.other REPLICA IDENTITY FULL;
"#,
        )
        .unwrap();
    let scope = |by_dependency: bool| Scope {
        only: Some(vec!["public".to_string(), "audit".to_string()]),
        relations_by_dependency: by_dependency,
        ..Scope::default()
    };
    let scanned = introspect(&mut client, &scope(false)).unwrap();
    let found = introspect(&mut client, &scope(true)).unwrap();
    assert_eq!(found, scanned);
    // Not vacuous: what each query finds by dependency is there.
    let s = &found.schema;
    for name in ["users", "orgs", "events", "events_2026", "events_2027"] {
        assert!(s.table(&QualifiedName::public(name)).is_some(), "{name}");
    }
    let trail = s.table(&QualifiedName::new("audit", "trail")).unwrap();
    assert_eq!(trail.indexes.len(), 1);
    assert!(s.views.iter().any(|v| v.name.name == "barrier"));
    assert!(s.views.iter().any(|v| v.name.name == "user_counts"));
    assert!(s.sequences.iter().any(|q| q.name.name == "trail_ids"));
    assert!(s.sequences.iter().any(|q| q.name.name == "invoice_numbers"));
    assert_eq!(s.row_security.len(), 1, "{:?}", s.row_security);
    assert_eq!(s.policies.len(), 1);
    let names: Vec<String> = found
        .unmodeled
        .iter()
        .map(|u| format!("{} {}", u.kind, u.name))
        .collect();
    for expected in [
        "replica identity full on public.users",
        "storage parameters (security_barrier=true) on audit.barrier",
        "column option statistics 100 on public.user_counts.count",
        "row level security forced but not enabled on audit.trail",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("elsewhere")), "{names:?}");

    // Relations created by the reading transaction itself.
    let mut tx = client.transaction().unwrap();
    tx.batch_execute(
        "CREATE SCHEMA fresh;
         CREATE TABLE fresh.t (id int PRIMARY KEY, v text);
         CREATE INDEX t_v ON fresh.t (v);
         ALTER TABLE fresh.t REPLICA IDENTITY FULL;
         CREATE VIEW fresh.v AS SELECT id FROM fresh.t;
         CREATE SEQUENCE fresh.s;",
    )
    .unwrap();
    let fresh = |by_dependency: bool| Scope {
        only: Some(vec!["fresh".to_string()]),
        relations_by_dependency: by_dependency,
        ..Scope::default()
    };
    let scanned = introspect_in(&mut tx, &fresh(false)).unwrap();
    let found = introspect_in(&mut tx, &fresh(true)).unwrap();
    assert_eq!(found, scanned);
    let t = found
        .schema
        .table(&QualifiedName::new("fresh", "t"))
        .unwrap();
    assert_eq!(t.indexes.len(), 1);
    assert_eq!(found.schema.views.len(), 1);
    assert_eq!(found.schema.sequences.len(), 1);
    assert_eq!(found.unmodeled.len(), 1, "{:?}", found.unmodeled);
}

/// Two reads compared (`pgdecl diff`) leave unprinted exactly the checks, the index
/// expressions and predicates, and the column defaults and generation expressions both hold
/// alike (issue 12), and print the others as a read alone does: one that differs, one that
/// only one side has, one that calls a function of the user's, one whose node tree is the same
/// but whose column is named differently, a serial's default, and a materialized view's
/// index. Reading a database against itself prints none of the others
/// and takes no more queries than a read alone; reading two that differ takes one more.
#[test]
fn reads_compared_leave_unprinted_only_what_both_hold_alike() {
    let (a, mut a_client) = every_kind_database("introspect_compared_a");
    let (b, mut b_client) = every_kind_database("introspect_compared_b");
    a_client
        .batch_execute(
            "CREATE TABLE t (a int, CONSTRAINT t_pos CHECK (a > 0), CONSTRAINT t_more CHECK (a > 1),
                             CONSTRAINT t_calls CHECK (add(a) > 0));
             CREATE TABLE only_a (v text CHECK (v <> ''));",
        )
        .unwrap();
    b_client
        .batch_execute(
            "CREATE TABLE t (x int, CONSTRAINT t_pos CHECK (x > 0), CONSTRAINT t_more CHECK (x > 2),
                             CONSTRAINT t_calls CHECK (add(x) > 0));",
        )
        .unwrap();
    let alone_a = introspect(&mut a_client, &Scope::default()).unwrap();
    let alone_b = introspect(&mut b_client, &Scope::default()).unwrap();

    // Without digests, the reads are reads alone.
    let (plain_a, plain_b) = introspect_urls_compared(a.url(), b.url(), false).unwrap();
    assert_eq!(plain_a, alone_a);
    assert_eq!(plain_b, alone_b);

    let (read_a, read_b) = introspect_urls_compared(a.url(), b.url(), true).unwrap();
    assert_eq!(
        read_a.queries,
        alone_a.queries + 1,
        "one query prints the others"
    );
    let texts = |schema: &Schema| {
        let mut out = std::collections::BTreeMap::new();
        schema_core::print_chain::for_each_fragment(schema, &mut |slot, text| {
            out.insert(slot, text.to_string());
        });
        out
    };
    let (read_a_texts, read_b_texts) = (texts(&read_a.schema), texts(&read_b.schema));
    let (alone_a_texts, alone_b_texts) = (texts(&alone_a.schema), texts(&alone_b.schema));
    assert_eq!(
        read_a_texts.keys().collect::<Vec<_>>(),
        alone_a_texts.keys().collect::<Vec<_>>()
    );
    let mut unprinted = Vec::new();
    for (slot, text) in &read_a_texts {
        if is_unprinted(text) {
            // The same placeholder on the other side, where both print the same.
            assert_eq!(read_b_texts.get(slot), Some(text), "{slot:?}");
            assert_eq!(alone_a_texts[slot], alone_b_texts[slot], "{slot:?}");
            unprinted.push(format!("{slot:?}"));
        } else {
            assert_eq!(text, &alone_a_texts[slot], "{slot:?}");
        }
    }
    for (slot, text) in &read_b_texts {
        if !is_unprinted(text) {
            assert_eq!(text, &alone_b_texts[slot], "{slot:?}");
        }
    }
    let unprinted = unprinted.join("\n");
    for alike in [
        "constraint: \"users_status_check\"",
        "index: \"users_lower_idx\"",
        "index: \"users_name_pattern\"",
        "ColumnDefault { table: QualifiedName { schema: \"public\", name: \"users\" }, column: \"score\"",
        "ColumnGenerated { table: QualifiedName { schema: \"public\", name: \"users\" }, column: \"name_lower\"",
    ] {
        assert!(unprinted.contains(alike), "{alike} printed:\n{unprinted}");
    }
    for printed in [
        "t_pos", // the same tree, a column of another name
        "t_more",
        "t_calls",
        "only_a",
        "user_counts_count",  // a materialized view's index
        "users_created_at",   // no expression
        "column: \"legacy\"", // a serial's default: it names its sequence
    ] {
        assert!(
            !unprinted.contains(printed),
            "{printed} unprinted:\n{unprinted}"
        );
    }

    // Against itself: everything a digest can stand for is unprinted, in no extra query.
    let (self_a, self_b) = introspect_urls_compared(a.url(), a.url(), true).unwrap();
    assert_eq!(self_a, self_b);
    assert_eq!(self_a.queries, alone_a.queries);
    let t = self_a
        .schema
        .tables
        .iter()
        .find(|t| t.name.name == "t")
        .unwrap();
    let check = |name: &str| match &t.constraints.iter().find(|c| c.name == name).unwrap().kind {
        ConstraintKind::Check { expr } => expr.clone(),
        other => panic!("{other:?}"),
    };
    assert!(is_unprinted(&check("t_pos")));
    assert_eq!(check("t_calls"), "add(a) > 0", "a function of the user's");
}
