//! Grants and default privileges: the fixture, and diff cases (see [`super::cases`] for the
//! shape). The grantee is `PUBLIC` only, so the real-server tests need no role (roles are
//! cluster-wide); grants to named roles are covered by `schema-runtime/tests/grants.rs`.

use schema_core::builder::*;
use schema_core::*;

use super::cases::Case;
use super::ty;

fn case(name: &'static str, current: Schema, desired: Schema) -> Case {
    Case {
        name,
        current,
        desired,
        dump_equal: true,
    }
}

fn add() -> GrantObject {
    GrantObject::Function {
        name: QualifiedName::new("audit", "add"),
        args: vec!["integer".into(), "integer".into()],
    }
}

fn items() -> QualifiedName {
    QualifiedName::new("audit", "items")
}

/// Schema `audit` with one object of each kind and a grant on the schema itself (so the
/// schema's privileges are managed); `view_query` is the view's query.
fn objects(view_query: &str) -> SchemaBuilder {
    Schema::builder()
        .schema("audit")
        .enum_type("audit.mood", ["sad", "happy"])
        .sequence(Sequence::new("audit.counter"))
        .function(
            Function::new("audit.add")
                .arg(FunctionArg::new("a", ty("integer")))
                .arg(FunctionArg::new("b", ty("integer")))
                .returns(ty("integer"))
                .language("sql")
                .immutable()
                .body("SELECT a + b"),
        )
        .table(
            TableDef::new(items())
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("note", ty("text"))),
        )
        .view(View::new("audit.items_v", view_query))
        .grant(Grant::new(
            GrantObject::Schema("audit".into()),
            [Privilege::Usage],
            ["public"],
        ))
}

/// Grants on every kind of object, a column grant, a revoked default privilege and default
/// privileges.
pub fn grants() -> Schema {
    with_grants(objects("SELECT id, note FROM audit.items"))
}

fn with_grants(b: SchemaBuilder) -> Schema {
    b.grant(Grant::new(
        GrantObject::Table(items()),
        [Privilege::Select, Privilege::Insert],
        ["public"],
    ))
    .grant(
        Grant::new(GrantObject::Table(items()), [Privilege::Update], ["public"]).columns(["note"]),
    )
    .grant(Grant::new(
        GrantObject::Table(QualifiedName::new("audit", "items_v")),
        [Privilege::Select],
        ["public"],
    ))
    .grant(Grant::all(
        GrantObject::Sequence(QualifiedName::new("audit", "counter")),
        ["public"],
    ))
    .grant(Grant::revoke(add(), [Privilege::Execute], ["public"]))
    .default_privileges(DefaultPrivileges::new(
        "audit",
        DefaultObjects::Tables,
        [Privilege::Select],
        ["public"],
    ))
    .build()
}

pub fn all() -> Vec<Case> {
    vec![
        // Managed before (the grant on the schema) and after: the others are granted, and
        // the down plan revokes them.
        case(
            "grants_create",
            objects("SELECT id, note FROM audit.items").build(),
            grants(),
        ),
        // Privileges narrowed and the revoked default given back: revokes are destructive.
        case(
            "grants_change",
            grants(),
            objects("SELECT id, note FROM audit.items")
                .grant(Grant::new(
                    GrantObject::Table(items()),
                    [Privilege::Select, Privilege::Delete],
                    ["public"],
                ))
                .grant(Grant::new(
                    GrantObject::Type(QualifiedName::new("audit", "mood")),
                    [Privilege::Usage],
                    ["public"],
                ))
                .build(),
        ),
        // The view is rebuilt (a column goes away): its grant is issued again after it.
        case(
            "grants_view_rebuilt",
            grants(),
            with_grants(objects("SELECT id FROM audit.items")),
        ),
    ]
}
