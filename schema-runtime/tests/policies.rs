//! Row-level security and policies on a real server: read into the model (not reported as
//! unmodelled), in the same round trips; a declaration converges from nothing and plans empty
//! against what it created; policies filter rows as declared; changes go current -> desired
//! -> current through ALTER POLICY or drop and create; a role that does not exist is an error
//! that names it.

use schema_core::builder::*;
use schema_core::model::*;
use schema_core::DataType;
use schema_runtime::introspect::{introspect, Scope};
use schema_runtime::testkit::TestServer;

mod support;
use schema_runtime::{converge, plan, Mode, Policy};
use support::TestRole;

fn docs_table() -> TableDef {
    TableDef::new("docs")
        .column(ColumnDef::new("id", DataType::builtin("integer")).primary_key())
        .column(ColumnDef::new("owner", DataType::builtin("text")).not_null())
        .column(ColumnDef::new("secret", DataType::builtin("boolean")).not_null())
}

fn declared(reader: &str, visible: &str) -> Schema {
    Schema::builder()
        .table(docs_table())
        .row_security(RowSecurity::on("docs"))
        .policy(
            RowPolicy::new("docs_read", "docs")
                .command(PolicyCommand::Select)
                .to([reader])
                .using_sql(visible)
                .comment("what readers see"),
        )
        .policy(
            RowPolicy::new("docs_no_secrets", "docs")
                .restrictive()
                .using_sql("NOT secret"),
        )
        .policy(
            RowPolicy::new("docs_write", "docs")
                .command(PolicyCommand::Insert)
                .to([reader])
                .with_check_sql(
                    "owner = current_user AND id IN (SELECT id FROM docs WHERE false) IS NOT TRUE",
                ),
        )
        .build()
}

#[test]
fn reads_row_security_and_policies() {
    let db = TestServer::shared()
        .create_database("policies_read")
        .unwrap();
    let role = TestRole::new(&db, "rls_read");
    let mut client = db.connect();
    client
        .batch_execute(&format!(
            "CREATE TABLE docs (id int, owner text);
             ALTER TABLE docs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
             CREATE POLICY own ON docs AS RESTRICTIVE FOR UPDATE TO {0}, public
               USING (owner = current_user) WITH CHECK (id > 0);
             CREATE POLICY everyone ON docs;
             COMMENT ON POLICY everyone ON docs IS 'all rows';
             CREATE TABLE plain (id int);",
            role.name
        ))
        .unwrap();
    let found = introspect(&mut client, &Scope::default()).unwrap();
    assert!(found.unmodeled.is_empty(), "{:?}", found.unmodeled);
    let s = &found.schema;
    assert_eq!(
        s.row_security,
        [RowSecurity::on("docs").force()],
        "plain has it off"
    );
    assert_eq!(
        s.policies,
        [
            RowPolicy::new("everyone", "docs").comment("all rows"),
            RowPolicy::new("own", "docs")
                .restrictive()
                .command(PolicyCommand::Update)
                // `TO role, public` is stored as `TO public` (with a warning).
                .using_sql("owner = CURRENT_USER")
                .with_check_sql("id > 0"),
        ]
    );
    // The source printer writes what the macro reads.
    let source = schema_runtime::source::to_schema_source(s);
    assert!(
        source.contains("row level security on docs force;"),
        "{source}"
    );
    assert!(
        source.contains(
            "policy own on docs as restrictive for update using \"owner = CURRENT_USER\" with check \"id > 0\";"
        ),
        "{source}"
    );
}

#[test]
fn a_declaration_converges_plans_empty_and_filters_rows() {
    let db = TestServer::shared()
        .create_database("policies_converge")
        .unwrap();
    let role = TestRole::new(&db, "rls_reader");
    let mut client = db.connect();
    let want = declared(&role.name, "owner = 'ann'");
    let report = converge(&mut client, &want, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    let again = plan(&mut client, &want, &[]).unwrap();
    assert!(again.is_empty(), "after apply:\n{}", again.to_sql());
    // The script is idempotent: a second run changes nothing.
    client.batch_execute(&want.create_sql()).unwrap();
    client.batch_execute(&want.create_sql()).unwrap();
    assert!(plan(&mut client, &want, &[]).unwrap().is_empty());

    client
        .batch_execute(&format!(
            "INSERT INTO docs VALUES (1, 'ann', false), (2, 'bob', false), (3, 'ann', true);
             GRANT SELECT ON docs TO {0};",
            role.name
        ))
        .unwrap();
    let visible = |client: &mut postgres::Client| -> i64 {
        let mut tx = client.transaction().unwrap();
        tx.batch_execute(&format!("SET LOCAL ROLE {}", role.name))
            .unwrap();
        let n = tx
            .query_one("SELECT count(*) FROM docs", &[])
            .unwrap()
            .get(0);
        tx.rollback().unwrap();
        n
    };
    // Ann's rows, without the secret one (the restrictive policy).
    assert_eq!(visible(&mut client), 1);

    // current -> desired: the USING changes in place; the roles stay.
    let wider = declared(&role.name, "true");
    let step = plan(&mut client, &wider, &[]).unwrap();
    let sql = step.to_sql();
    assert!(
        sql.contains("ALTER POLICY docs_read ON public.docs TO"),
        "{sql}"
    );
    assert!(!sql.contains("DROP POLICY"), "{sql}");
    assert!(step
        .changes
        .iter()
        .all(|c| c.hazards.contains(&schema_core::Hazard::ChangesAccess)));
    // Destructive: withheld unless allowed.
    let policy = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    converge(&mut client, &wider, &policy).unwrap();
    assert!(plan(&mut client, &wider, &[]).unwrap().is_empty());
    assert_eq!(visible(&mut client), 2);

    // desired -> current, and then row-level security off: every row for the role.
    converge(&mut client, &want, &policy).unwrap();
    assert!(plan(&mut client, &want, &[]).unwrap().is_empty());
    assert_eq!(visible(&mut client), 1);
    let off = Schema::builder().table(docs_table()).build();
    converge(&mut client, &off, &policy).unwrap();
    let found = introspect(&mut client, &Scope::default()).unwrap();
    assert!(found.schema.row_security.is_empty() && found.schema.policies.is_empty());
    assert_eq!(visible(&mut client), 3);
}

#[test]
fn a_role_that_does_not_exist_is_named_with_the_fix() {
    let db = TestServer::shared()
        .create_database("policies_missing_role")
        .unwrap();
    let mut client = db.connect();
    let want = declared("pgdecl_no_such_role", "true");
    let err = converge(&mut client, &want, &Policy::new(Mode::Apply)).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("pgdecl_no_such_role"), "{text}");
    assert!(text.contains("CREATE ROLE"), "{text}");
}
