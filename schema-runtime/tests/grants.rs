//! Grants and default privileges on a real server: read into the model (relative to each
//! object's baseline, not reported as unmodelled); a declaration converges from nothing and
//! plans empty; privileges take effect; an undeclared grant in a managed schema is revoked
//! (destructive, `changes-access`) while a schema without grants keeps its own; a re-created
//! view or function gets its grants again; a missing role is named with the fix.

use schema_core::builder::*;
use schema_core::model::*;
use schema_core::{DataType, Hazard};
use schema_runtime::introspect::{introspect, Scope};
use schema_runtime::testkit::TestServer;

mod support;
use schema_runtime::{converge, plan, Mode, Policy};
use support::TestRole;

fn int() -> DataType {
    DataType::builtin("integer")
}

fn add_function() -> Function {
    Function::new("app.add")
        .arg(FunctionArg::new("a", int()))
        .arg(FunctionArg::new("b", int()))
        .returns(int())
        .language("sql")
        .immutable()
        .body("SELECT a + b")
}

/// Schema `app` with one of each kind of object, and grants on each to `reader`.
fn declared(reader: &str, view_query: &str) -> Schema {
    let items = QualifiedName::new("app", "items");
    Schema::builder()
        .schema(Namespace::new("app"))
        .enum_type("app.mood", ["sad", "happy"])
        .sequence(Sequence::new("app.counter"))
        .function(add_function())
        .table(
            TableDef::new(items.clone())
                .column(ColumnDef::new("id", int()).primary_key())
                .column(ColumnDef::new("secret", DataType::builtin("text"))),
        )
        .view(View::new("app.items_v", view_query))
        .grant(Grant::new(
            GrantObject::Schema("app".into()),
            [Privilege::Usage],
            [reader],
        ))
        .grant(Grant::new(
            GrantObject::Table(items.clone()),
            [Privilege::Insert],
            [reader],
        ))
        .grant(Grant::new(GrantObject::Table(items), [Privilege::Select], [reader]).columns(["id"]))
        .grant(
            Grant::new(
                GrantObject::Table(QualifiedName::new("app", "items_v")),
                [Privilege::Select],
                [reader],
            )
            .with_grant_option(),
        )
        .grant(Grant::all(
            GrantObject::Sequence(QualifiedName::new("app", "counter")),
            [reader],
        ))
        .grant(Grant::revoke(
            GrantObject::Function {
                name: QualifiedName::new("app", "add"),
                args: vec!["integer".into(), "integer".into()],
            },
            [Privilege::Execute],
            ["public"],
        ))
        .grant(Grant::new(
            GrantObject::Function {
                name: QualifiedName::new("app", "add"),
                args: vec!["integer".into(), "integer".into()],
            },
            [Privilege::Execute],
            [reader],
        ))
        .grant(Grant::new(
            GrantObject::Type(QualifiedName::new("app", "mood")),
            [Privilege::Usage],
            [reader],
        ))
        .default_privileges(DefaultPrivileges::new(
            "app",
            DefaultObjects::Tables,
            [Privilege::Select],
            [reader],
        ))
        .build()
}

#[test]
fn reads_grants_relative_to_the_baseline() {
    let db = TestServer::shared().create_database("grants_read").unwrap();
    let role = TestRole::new(&db, "grants_read");
    let mut client = db.connect();
    client
        .batch_execute(&format!(
            "CREATE SCHEMA app;
             CREATE TABLE app.t (id int, v text);
             CREATE FUNCTION app.f(x int) RETURNS int LANGUAGE sql AS 'SELECT x';
             CREATE TYPE app.mood AS ENUM ('a');
             CREATE TABLE app.plain (id int);
             GRANT USAGE ON SCHEMA app TO {0};
             GRANT ALL ON app.t TO {0} WITH GRANT OPTION;
             GRANT UPDATE (v) ON app.t TO {0};
             REVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;
             GRANT USAGE ON TYPE app.mood TO PUBLIC;
             -- granted and taken back: at its baseline again
             GRANT SELECT ON app.plain TO {0}; REVOKE SELECT ON app.plain FROM {0};
             -- a serial column's own sequence is not a declared object: reported
             CREATE TABLE app.counted (id serial);
             GRANT USAGE ON SEQUENCE app.counted_id_seq TO {0};
             ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT, UPDATE ON TABLES TO {0};",
            role.name
        ))
        .unwrap();
    let found = introspect(&mut client, &Scope::default()).unwrap();
    let report: Vec<String> = found
        .unmodeled
        .iter()
        .map(|u| format!("{} {}", u.kind, u.name))
        .collect();
    assert_eq!(report, ["privileges on sequence app.counted_id_seq"]);
    let r = role.name.as_str();
    let t = QualifiedName::new("app", "t");
    let f = GrantObject::Function {
        name: QualifiedName::new("app", "f"),
        args: vec!["integer".into()],
    };
    assert_eq!(
        found.schema.grants,
        [
            Grant::new(GrantObject::Schema("app".into()), [Privilege::Usage], [r]),
            Grant::all(GrantObject::Table(t.clone()), [r]).with_grant_option(),
            Grant::new(GrantObject::Table(t), [Privilege::Update], [r]).columns(["v"]),
            Grant::revoke(f, [Privilege::Execute], ["public"]),
        ],
        "the type's USAGE to PUBLIC is its baseline; app.plain is back at its baseline"
    );
    assert_eq!(
        found.schema.default_privileges,
        [DefaultPrivileges::new(
            "app",
            DefaultObjects::Tables,
            [Privilege::Select, Privilege::Update],
            [r]
        )]
    );
    let source = schema_runtime::source::to_schema_source(&found.schema);
    for line in [
        format!("grant usage on schema app to {r};"),
        format!("grant select, insert, update, delete, truncate, references, trigger on table app.t to {r} with grant option;"),
        format!("grant update (v) on table app.t to {r};"),
        "revoke execute on function app.f(integer) from public;".to_string(),
        format!("default privileges in schema app grant select, update on tables to {r};"),
    ] {
        assert!(source.contains(&line), "{line}\n{source}");
    }
}

#[test]
fn a_declaration_converges_plans_empty_and_grants_take_effect() {
    let db = TestServer::shared()
        .create_database("grants_converge")
        .unwrap();
    let role = TestRole::new(&db, "grants_reader");
    let mut client = db.connect();
    let want = declared(&role.name, "SELECT id FROM app.items");
    let report = converge(&mut client, &want, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    let again = plan(&mut client, &want, &[]).unwrap();
    assert!(again.is_empty(), "after apply:\n{}", again.to_sql());
    // The script is idempotent: a second run changes nothing.
    client.batch_execute(&want.create_sql()).unwrap();
    client.batch_execute(&want.create_sql()).unwrap();
    assert!(plan(&mut client, &want, &[]).unwrap().is_empty());

    let r = &role.name;
    let yes = |client: &mut postgres::Client, sql: &str| -> bool {
        client.query_one(sql, &[]).unwrap().get(0)
    };
    assert!(yes(
        &mut client,
        &format!("SELECT has_column_privilege('{r}', 'app.items', 'id', 'SELECT')")
    ));
    assert!(!yes(
        &mut client,
        &format!("SELECT has_column_privilege('{r}', 'app.items', 'secret', 'SELECT')")
    ));
    assert!(yes(
        &mut client,
        &format!("SELECT has_function_privilege('{r}', 'app.add(int, int)', 'EXECUTE')")
    ));
    assert!(!yes(
        &mut client,
        "SELECT has_function_privilege('public', 'app.add(int, int)', 'EXECUTE')"
    ));
    assert!(yes(
        &mut client,
        &format!("SELECT has_sequence_privilege('{r}', 'app.counter', 'USAGE')")
    ));
    // Default privileges: a table created later is readable by the role.
    client
        .batch_execute("CREATE TABLE app.later (id int)")
        .unwrap();
    assert!(yes(
        &mut client,
        &format!("SELECT has_table_privilege('{r}', 'app.later', 'SELECT')")
    ));
    client.batch_execute("DROP TABLE app.later").unwrap();

    // A grant made by hand in the managed schema is revoked: destructive, withheld unless
    // allowed.
    client
        .batch_execute(&format!("GRANT DELETE ON app.items TO {r}"))
        .unwrap();
    let step = plan(&mut client, &want, &[]).unwrap();
    let sql = step.to_sql();
    assert!(
        sql.contains(&format!("REVOKE DELETE ON TABLE app.items FROM {r};")),
        "{sql}"
    );
    assert!(step
        .changes
        .iter()
        .all(|c| c.hazards.contains(&Hazard::ChangesAccess)));
    let allow = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    converge(&mut client, &want, &allow).unwrap();
    assert!(plan(&mut client, &want, &[]).unwrap().is_empty());

    // The view is rebuilt (a column goes away): its grant is issued again after it.
    let narrower = declared(r, "SELECT 1 AS one FROM app.items");
    let step = plan(&mut client, &narrower, &[]).unwrap();
    let sql = step.to_sql();
    let create = sql.find("CREATE OR REPLACE VIEW app.items_v").expect(&sql);
    let grant = sql
        .find(&format!(
            "GRANT SELECT ON TABLE app.items_v TO {r} WITH GRANT OPTION;"
        ))
        .expect(&sql);
    assert!(create < grant, "{sql}");
    converge(&mut client, &narrower, &allow).unwrap();
    assert!(plan(&mut client, &narrower, &[]).unwrap().is_empty());
    assert!(yes(
        &mut client,
        &format!("SELECT has_table_privilege('{r}', 'app.items_v', 'SELECT WITH GRANT OPTION')")
    ));

    // desired -> current: back again, and then no grants at all: the schema is no longer
    // managed and keeps what it has.
    converge(&mut client, &want, &allow).unwrap();
    assert!(plan(&mut client, &want, &[]).unwrap().is_empty());
    let mut unmanaged = want.clone();
    unmanaged.grants.clear();
    unmanaged.default_privileges.clear();
    assert!(plan(&mut client, &unmanaged, &[]).unwrap().is_empty());
}

#[test]
fn a_recreated_function_is_granted_again() {
    let db = TestServer::shared()
        .create_database("grants_function")
        .unwrap();
    let role = TestRole::new(&db, "grants_fn");
    let mut client = db.connect();
    let want = declared(&role.name, "SELECT id FROM app.items");
    converge(&mut client, &want, &Policy::new(Mode::Apply)).unwrap();
    // A new return type: PostgreSQL cannot replace it, the plan drops and creates it.
    let mut retyped = want.clone();
    retyped.functions[0].returns = Some(Returns::Type(DataType::builtin("bigint")));
    retyped.functions[0].body = "SELECT (a + b)::bigint".into();
    let step = plan(&mut client, &retyped, &[]).unwrap();
    let sql = step.to_sql();
    assert!(sql.contains("DROP FUNCTION"), "{sql}");
    assert!(
        sql.contains("REVOKE EXECUTE ON ROUTINE app.add(integer, integer) FROM PUBLIC;"),
        "{sql}"
    );
    let allow = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    converge(&mut client, &retyped, &allow).unwrap();
    assert!(plan(&mut client, &retyped, &[]).unwrap().is_empty());
    let can: bool = client
        .query_one(
            &format!(
                "SELECT has_function_privilege('{}', 'app.add(int, int)', 'EXECUTE')",
                role.name
            ),
            &[],
        )
        .unwrap()
        .get(0);
    assert!(can);
}

#[test]
fn a_role_that_does_not_exist_is_named_with_the_fix() {
    let db = TestServer::shared()
        .create_database("grants_missing_role")
        .unwrap();
    let mut client = db.connect();
    let want = declared("pgdecl_no_such_grantee", "SELECT id FROM app.items");
    let err = converge(&mut client, &want, &Policy::new(Mode::Apply)).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("pgdecl_no_such_grantee"), "{text}");
    assert!(text.contains("grant on schema app"), "{text}");
    assert!(text.contains("CREATE ROLE"), "{text}");
    // Nothing was created.
    let n: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'app'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
}
