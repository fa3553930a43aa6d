//! Row-level security and policies: the fixture, and diff cases (see [`super::cases`] for the
//! shape). Roles are `PUBLIC` and `current_user` only, so the real-server tests need no role.

use schema_core::builder::*;
use schema_core::*;

use super::cases::Case;
use super::ty;

fn docs(id_type: &str) -> TableDef {
    TableDef::new("docs")
        .column(ColumnDef::new("id", ty(id_type)).primary_key())
        .column(ColumnDef::new("owner", ty("text")).not_null())
        .column(
            ColumnDef::new("secret", ty("boolean"))
                .not_null()
                .default_sql("false"),
        )
}

fn members() -> TableDef {
    TableDef::new("audit.members")
        .column(ColumnDef::new("doc_id", ty("bigint")))
        .column(ColumnDef::new("member", ty("text")))
}

/// Row-level security on two tables (one forced), policies of every command and kind, with
/// a subquery, a quoted name and a comment.
pub fn policies() -> Schema {
    Schema::builder()
        .schema("audit")
        .table(docs("bigint"))
        .table(members())
        .row_security(RowSecurity::on("docs"))
        .row_security(RowSecurity::on("audit.members").force())
        .policy(
            RowPolicy::new("docs_read", "docs")
                .command(PolicyCommand::Select)
                .using_sql(
                    "owner = current_user OR EXISTS (SELECT 1 FROM audit.members m WHERE m.doc_id = id AND m.member = current_user)",
                )
                .comment("owners and members"),
        )
        .policy(
            RowPolicy::new("No Secrets", "docs")
                .restrictive()
                .to(["current_user"])
                .using_sql("NOT secret"),
        )
        .policy(
            RowPolicy::new("docs_add", "docs")
                .command(PolicyCommand::Insert)
                .with_check_sql("owner = current_user"),
        )
        .policy(
            RowPolicy::new("docs_edit", "docs")
                .command(PolicyCommand::Update)
                .using_sql("owner = current_user")
                .with_check_sql("owner = current_user AND id > 0"),
        )
        .policy(
            RowPolicy::new("docs_remove", "docs")
                .command(PolicyCommand::Delete)
                .using_sql("owner = current_user"),
        )
        .policy(RowPolicy::new("members_all", "audit.members"))
        .build()
}

fn case(name: &'static str, current: Schema, desired: Schema) -> Case {
    Case {
        name,
        current,
        desired,
        dump_equal: true,
    }
}

fn one(rls: Option<RowSecurity>, policy: Option<RowPolicy>, id_type: &str) -> Schema {
    let mut b = Schema::builder().table(docs(id_type));
    if let Some(r) = rls {
        b = b.row_security(r);
    }
    if let Some(p) = policy {
        b = b.policy(p);
    }
    b.build()
}

/// Every case.
pub fn all() -> Vec<Case> {
    let read = || {
        RowPolicy::new("docs_read", "docs")
            .command(PolicyCommand::Select)
            .using_sql("owner = current_user")
    };
    let on = || Some(RowSecurity::on("docs"));
    vec![
        case("policies_create", Schema::default(), policies()),
        case(
            "policy_added_to_a_table",
            one(None, None, "bigint"),
            one(on(), Some(read()), "bigint"),
        ),
        case(
            "policy_altered_in_place",
            one(on(), Some(read()), "bigint"),
            one(
                on(),
                Some(read().to(["current_user"]).using_sql("NOT secret")),
                "bigint",
            ),
        ),
        case(
            "policy_recreated_for_a_new_command",
            one(on(), Some(read()), "bigint"),
            one(
                on(),
                Some(
                    read()
                        .command(PolicyCommand::All)
                        .restrictive()
                        .with_check_sql("owner = current_user"),
                ),
                "bigint",
            ),
        ),
        case(
            "row_security_forced",
            one(on(), None, "bigint"),
            one(Some(RowSecurity::on("docs").force()), None, "bigint"),
        ),
        case(
            "policy_around_a_retyped_column",
            one(on(), Some(read().using_sql("id > 0")), "integer"),
            one(on(), Some(read().using_sql("id > 0")), "bigint"),
        ),
    ]
}
