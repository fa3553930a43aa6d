//! Read-only validation against a real PostgreSQL: a role with nothing beyond `CONNECT`,
//! `USAGE` on schema pgdecl and `SELECT` on pgdecl.canonical_cache validates a database that
//! was initialised outside pgdecl (`psql -f` of `create_sql()`, or of an older print: a dump
//! restore), once one write-capable run stored the canonical form, even a run that found
//! nothing to do, or with a shipped form.

use schema_core::builder::*;
use schema_core::model::*;
use schema_core::DataType;
use schema_runtime::converge::forget_canonical_forms;
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, Mode, Policy};

fn t(name: &str) -> DataType {
    DataType::parse(name).unwrap()
}

/// A declaration no other test uses (so no cached form from elsewhere can answer), with the
/// shapes the server reprints: a cast default, a check.
fn declared() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("readonly_probe_orders")
                .column(ColumnDef::new("id", t("bigint")).not_null())
                .column(ColumnDef::new("qty", t("numeric(10,2)")).default_sql("0"))
                .column(ColumnDef::new("code", t("varchar(20)")).default_sql("'new'"))
                .primary_key(["id"])
                .check("qty >= 0"),
        )
        .build()
}

#[test]
fn a_connect_only_role_validates_after_an_apply_that_changed_nothing() {
    let db = TestServer::shared().create_database("readonly").unwrap();
    let mut admin = db.connect();
    let schema = declared();

    // Initialised outside pgdecl, as `psql -f` would.
    admin.batch_execute(&schema.create_sql()).unwrap();

    // A deploy finds nothing to do, and still leaves pgdecl's tables and the canonical form.
    forget_canonical_forms();
    let report = converge(&mut admin, &schema, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.plan.changes.is_empty(), "{}", report.plan.to_sql());
    let hash = schema_runtime::converge::schema_hash(&schema);
    let stored: i64 = admin
        .query_one(
            "SELECT count(*) FROM pgdecl.canonical_cache WHERE schema_hash = $1",
            &[&hash],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        stored, 1,
        "an apply with nothing to do stores the canonical form"
    );

    // A role with only CONNECT, USAGE on pgdecl and SELECT on the cache: no TEMP, no CREATE.
    admin
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE readonly_validator LOGIN; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$;
             DO $$ BEGIN
               EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
               EXECUTE format('GRANT CONNECT ON DATABASE %I TO readonly_validator',
                              current_database());
             END $$;
             REVOKE CREATE ON SCHEMA public FROM PUBLIC;
             GRANT USAGE ON SCHEMA pgdecl TO readonly_validator;
             GRANT SELECT ON pgdecl.canonical_cache TO readonly_validator;",
        )
        .unwrap();
    let url = db.url().replacen("postgres@", "readonly_validator@", 1);
    let mut validator = schema_runtime::connect(&url).unwrap();
    let privileges = validator
        .query_one(
            "SELECT has_database_privilege(current_database(), 'TEMP'),
                    has_database_privilege(current_database(), 'CREATE'),
                    has_schema_privilege('public', 'CREATE')",
            &[],
        )
        .unwrap();
    let (temp, create_db, create_public): (bool, bool, bool) =
        (privileges.get(0), privileges.get(1), privileges.get(2));
    assert!(
        !temp && !create_db && !create_public,
        "the role must be read-only"
    );

    forget_canonical_forms();
    converge(&mut validator, &schema, &Policy::new(Mode::ValidateOnly))
        .unwrap_or_else(|e| panic!("validate-only with CONNECT and SELECT only: {e}"));
}

/// A canonical form computed ahead of time and shipped as JSON lets a role with only
/// `CONNECT` validate a database pgdecl never wrote to (no pgdecl schema, no cache table);
/// without it the error names both ways to provide one.
#[test]
fn a_shipped_canonical_form_validates_without_the_cache_table() {
    let db = TestServer::shared().create_database("shipped").unwrap();
    let mut admin = db.connect();
    let mut schema = declared();
    schema.tables[0].name.name = "shipped_probe_orders".into();
    admin.batch_execute(&schema.create_sql()).unwrap();

    // Ahead of time (here: on the same server, by a role with CREATE), written to a file.
    let form = schema_runtime::canonical_form(&mut admin, &schema).unwrap();
    assert_eq!(
        form.schema_hash,
        schema_runtime::converge::schema_hash(&schema)
    );
    let path = std::env::temp_dir().join(format!("pgdecl-canonical-{}.json", std::process::id()));
    std::fs::write(&path, format!("[{}]", form.to_json())).unwrap();
    let shipped = schema_runtime::CanonicalForm::read_file(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(shipped, vec![form.clone()]);
    let leftovers: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'pgdecl%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(leftovers, 0, "computing the form leaves nothing behind");

    admin
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE shipped_validator LOGIN; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$;
             DO $$ BEGIN
               EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
               EXECUTE format('GRANT CONNECT ON DATABASE %I TO shipped_validator',
                              current_database());
             END $$;
             REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
        )
        .unwrap();
    let url = db.url().replacen("postgres@", "shipped_validator@", 1);
    let mut validator = schema_runtime::connect(&url).unwrap();

    // Neither a stored nor a shipped form: the error says how to provide one.
    forget_canonical_forms();
    let err = converge(&mut validator, &schema, &Policy::new(Mode::ValidateOnly)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("PGDECL_CANONICAL_FILE") && text.contains("write-capable converge"),
        "{text}"
    );

    // A form for another major version does not answer; the matching one does.
    let mut other = form.clone();
    other.server_major += 1;
    let wrong = Policy::new(Mode::ValidateOnly).with_canonical_forms(vec![other]);
    forget_canonical_forms();
    assert!(converge(&mut validator, &schema, &wrong).is_err());
    let policy = Policy::new(Mode::ValidateOnly).with_canonical_forms(shipped);
    forget_canonical_forms();
    converge(&mut validator, &schema, &policy)
        .unwrap_or_else(|e| panic!("validate-only from the shipped form: {e}"));
}

/// The awkward shapes the server prints differently once created from its own print: `IN`
/// lists over `varchar` and `text` (checks, a partial index, an index expression, a view),
/// casts, negative numbers, dates.
fn awkward() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("older_print_orders")
                .column(ColumnDef::new("id", t("bigint")).not_null())
                .column(
                    ColumnDef::new("status", t("varchar(20)"))
                        .not_null()
                        .default_sql("'new'")
                        .check("status IN ('new', 'it''s', 'done')"),
                )
                .column(ColumnDef::new("kind", t("text")).check("kind IN ('a', 'b')"))
                .column(
                    ColumnDef::new("qty", t("numeric(10,2)"))
                        .default_sql("-1.5")
                        .check("qty > -1"),
                )
                .column(ColumnDef::new("n", t("integer")).default_sql("-1"))
                .column(ColumnDef::new("code", t("varchar(10)")).default_sql("'x'::varchar"))
                .column(ColumnDef::new("since", t("date")).default_sql("'2020-01-01'"))
                .primary_key(["id"])
                .check("n::text IN ('-1', '0') OR code IN ('x', 'y')")
                .index(
                    IndexDef::new()
                        .named("older_print_orders_open")
                        .expression("lower(kind)")
                        .where_sql("status IN ('new', 'it''s')"),
                )
                .index(
                    IndexDef::new()
                        .named("older_print_orders_flag")
                        .expression("status IN ('a', 'b')"),
                ),
        )
        .view(View::new(
            "older_print_open",
            "SELECT id FROM older_print_orders WHERE status IN ('new', 'done')",
        ))
        // A domain's check and default, a partition key expression and an SQL-standard body
        // print the same way.
        .domain(
            DomainDef::new("older_print_code", t("varchar(10)"))
                .default_sql("'x'")
                .named_check("older_print_code_known", "VALUE IN ('x', 'it''s')"),
        )
        .table(
            TableDef::new("older_print_events")
                .column(ColumnDef::new("code", t("varchar(10)")))
                .column(ColumnDef::new("kind", t("older_print_code")))
                .partition_by(
                    PartitionKey::new(PartitionStrategy::List, Vec::<String>::new())
                        .expression("code IN ('a', 'b')"),
                ),
        )
        .table(
            TableDef::new("older_print_events_ab")
                .partition_of("older_print_events", PartitionBound::list(["true"])),
        )
        .function(
            Function::new("older_print_known")
                .arg(FunctionArg::new("c", t("varchar")))
                .returns(t("boolean"))
                .immutable()
                .return_sql("c IN ('a', 'b')"),
        )
        .build()
}

/// The SQL fragments of `db` as the catalog prints them, to tell two builds apart.
fn prints(db: &mut postgres::Client) -> Vec<String> {
    db.query(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c'
           AND connamespace = 'public'::regnamespace
         UNION ALL SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef
         UNION ALL SELECT pg_get_indexdef(indexrelid) FROM pg_index
           WHERE indrelid = 'older_print_orders'::regclass
         UNION ALL SELECT pg_get_viewdef('older_print_open'::regclass)
         UNION ALL SELECT typdefault FROM pg_type WHERE typname = 'older_print_code'
         UNION ALL SELECT pg_get_partkeydef('older_print_events'::regclass)
         UNION ALL SELECT pg_get_function_sqlbody('older_print_known'::regproc)
         ORDER BY 1",
        &[],
    )
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

/// Runs `command`, failing the test with its stderr when it fails.
fn run(command: &mut std::process::Command) -> Vec<u8> {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{:?}: {}",
        command,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Databases whose fragments were created from an OLDER print of the declaration (a
/// `pg_dump | psql` restore; `psql -f` of `pgdecl inspect`'s print) hold other expressions,
/// printed otherwise, than a database built from the declaration. Introspection reads them as
/// printed, without writing; the declaration's print chains (stored by an apply that finds
/// nothing to do, or shipped) tell they are the declared ones: a role with only CONNECT and
/// SELECT on pgdecl's tables validates both, in sync.
#[test]
fn a_connect_only_role_validates_databases_built_from_older_prints() {
    let server = TestServer::shared();
    let schema = awkward();
    let source = server.create_database("older_print_source").unwrap();
    let mut src = source.connect();
    src.batch_execute(&schema.create_sql()).unwrap();
    let expected = prints(&mut src);

    // A dump of it, restored.
    let restored = server.create_database("older_print_restored").unwrap();
    let dump = run(source
        .pg_dump_command()
        .args(["--schema-only", "--no-owner"]));
    let dump_file = std::env::temp_dir().join(format!("pgdecl-older-{}.sql", std::process::id()));
    std::fs::write(&dump_file, dump).unwrap();
    run(restored.psql_command().arg("-f").arg(&dump_file));
    std::fs::remove_file(&dump_file).ok();
    // `pgdecl inspect`'s print of the source, loaded with `psql -f`.
    let reloaded = server.create_database("older_print_reloaded").unwrap();
    let printed = schema_runtime::introspect(&mut src, &Default::default())
        .unwrap()
        .schema;
    reloaded
        .connect()
        .batch_execute(&printed.create_sql())
        .unwrap();
    for db in [&restored, &reloaded] {
        assert_ne!(
            prints(&mut db.connect()),
            expected,
            "{}: built from an older print, it must hold other expressions",
            db.name()
        );
    }

    // The owner's apply finds nothing to do in the restored database, and stores the form.
    let mut owner = restored.connect();
    forget_canonical_forms();
    let report = converge(&mut owner, &schema, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.plan.changes.is_empty(), "{}", report.plan.to_sql());
    // Ahead of time, a form to ship for the other one.
    let form = schema_runtime::canonical_form(&mut src, &schema).unwrap();
    assert!(!form.print_chains.is_empty());

    let grants = "DO $$ BEGIN CREATE ROLE older_print_validator LOGIN; \
         EXCEPTION WHEN duplicate_object THEN NULL; END $$;
         DO $$ BEGIN
           EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
           EXECUTE format('GRANT CONNECT ON DATABASE %I TO older_print_validator',
                          current_database());
         END $$;
         REVOKE CREATE ON SCHEMA public FROM PUBLIC;
         GRANT SELECT ON ALL TABLES IN SCHEMA public TO older_print_validator;";
    owner
        .batch_execute(&format!(
            "{grants}
             GRANT USAGE ON SCHEMA pgdecl TO older_print_validator;
             GRANT SELECT ON ALL TABLES IN SCHEMA pgdecl TO older_print_validator;"
        ))
        .unwrap();
    reloaded.connect().batch_execute(grants).unwrap();

    for (db, policy) in [
        (&restored, Policy::new(Mode::ValidateOnly)),
        (
            &reloaded,
            Policy::new(Mode::ValidateOnly).with_canonical_forms(vec![form.clone()]),
        ),
    ] {
        let url = db.url().replacen("postgres@", "older_print_validator@", 1);
        let mut validator = schema_runtime::connect(&url).unwrap();
        let (temp, create): (bool, bool) = {
            let row = validator
                .query_one(
                    "SELECT has_database_privilege(current_database(), 'TEMP'),
                            has_database_privilege(current_database(), 'CREATE')",
                    &[],
                )
                .unwrap();
            (row.get(0), row.get(1))
        };
        assert!(!temp && !create, "the role must be read-only");
        forget_canonical_forms();
        converge(&mut validator, &schema, &policy)
            .unwrap_or_else(|e| panic!("{}: validate-only as a read-only role: {e}", db.name()));
    }

    // The chains are about prints, not anything: a real change is still a difference.
    let mut changed = restored.connect();
    changed
        .batch_execute(
            "ALTER TABLE older_print_orders DROP CONSTRAINT older_print_orders_status_check,
             ADD CONSTRAINT older_print_orders_status_check CHECK (status IN ('new', 'done'))",
        )
        .unwrap();
    forget_canonical_forms();
    let err = converge(&mut changed, &schema, &Policy::new(Mode::ValidateOnly)).unwrap_err();
    assert!(
        err.to_string().contains("older_print_orders_status_check"),
        "{err}"
    );
}

/// A canonical form written by an older pgdecl (a bare schema in `pgdecl.canonical_cache`, a
/// shipped file without a format) has no print chains, so it is never used: a read-only run
/// says how to provide a current one, and the next write-capable run replaces the row.
#[test]
fn canonical_forms_of_an_older_format_are_not_used() {
    let db = TestServer::shared().create_database("stale_form").unwrap();
    let mut admin = db.connect();
    let mut schema = declared();
    schema.tables[0].name.name = "stale_probe_orders".into();
    admin.batch_execute(&schema.create_sql()).unwrap();
    forget_canonical_forms();
    converge(&mut admin, &schema, &Policy::new(Mode::Apply)).unwrap();
    let hash = schema_runtime::converge::schema_hash(&schema);
    let form = schema_runtime::canonical_form(&mut admin, &schema).unwrap();
    // As an older pgdecl stored it.
    admin
        .execute(
            "UPDATE pgdecl.canonical_cache SET canonical = $1 WHERE schema_hash = $2",
            &[&form.canonical.to_json(), &hash],
        )
        .unwrap();
    admin
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE stale_validator LOGIN; \
             EXCEPTION WHEN duplicate_object THEN NULL; END $$;
             DO $$ BEGIN
               EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
               EXECUTE format('GRANT CONNECT ON DATABASE %I TO stale_validator',
                              current_database());
             END $$;
             REVOKE CREATE ON SCHEMA public FROM PUBLIC;
             GRANT USAGE ON SCHEMA pgdecl TO stale_validator;
             GRANT SELECT ON ALL TABLES IN SCHEMA pgdecl TO stale_validator;",
        )
        .unwrap();
    let url = db.url().replacen("postgres@", "stale_validator@", 1);
    let mut validator = schema_runtime::connect(&url).unwrap();
    forget_canonical_forms();
    let err = converge(&mut validator, &schema, &Policy::new(Mode::ValidateOnly)).unwrap_err();
    assert!(err.to_string().contains("write-capable converge"), "{err}");

    // A shipped file of an older pgdecl: no `format`, no chains.
    let mut old: serde_json::Value = serde_json::from_str(&form.to_json()).unwrap();
    old.as_object_mut().unwrap().remove("format");
    old.as_object_mut().unwrap().remove("print_chains");
    let shipped = schema_runtime::CanonicalForm::parse_many(&old.to_string()).unwrap();
    assert_eq!(shipped[0].format, 0);
    forget_canonical_forms();
    let policy = Policy::new(Mode::ValidateOnly).with_canonical_forms(shipped);
    let err = converge(&mut validator, &schema, &policy).unwrap_err();
    assert!(err.to_string().contains("format version 0"), "{err}");

    // The owner's next run replaces the row; then the read-only role validates.
    forget_canonical_forms();
    converge(&mut admin, &schema, &Policy::new(Mode::Apply)).unwrap();
    let stored: String = admin
        .query_one(
            "SELECT canonical FROM pgdecl.canonical_cache WHERE schema_hash = $1",
            &[&hash],
        )
        .unwrap()
        .get(0);
    let prefix = format!(
        "{{\"format\":{},",
        schema_runtime::canonical_form::CANONICAL_FORMAT
    );
    assert!(stored.starts_with(&prefix), "{stored:.80}");
    forget_canonical_forms();
    converge(&mut validator, &schema, &Policy::new(Mode::ValidateOnly))
        .unwrap_or_else(|e| panic!("validate-only after the owner's run: {e}"));
}
