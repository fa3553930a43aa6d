//! Two versions of one schema for the plan-file, rollback, export and many-database tests:
//! v2 adds a label to an enum (and a table whose default uses it), columns, an index on an
//! existing table (built concurrently) and a trigger function's table.
#![allow(dead_code)]

use schema_core::builder::*;
use schema_core::model::*;
use schema_core::DataType;

fn t(name: &str) -> DataType {
    DataType::parse(name).unwrap()
}

fn touch() -> Function {
    Function {
        name: QualifiedName::public("touch_updated_at"),
        is_procedure: false,
        args: vec![],
        returns: Some(Returns::Type(t("trigger"))),
        language: "plpgsql".into(),
        body: "BEGIN NEW.updated_at := now(); RETURN NEW; END".into(),
        body_style: BodyStyle::Quoted,
        volatility: Volatility::Volatile,
        strict: false,
        security_definer: false,
        config: vec![],
        comment: None,
    }
}

/// Version 1, or version 2 when `v2`.
pub fn schema(v2: bool) -> Schema {
    let labels: &[&str] = if v2 {
        &["pending", "paid", "shipped", "cancelled"]
    } else {
        &["pending", "paid", "shipped"]
    };
    let mut accounts = TableDef::new("accounts")
        .column(
            ColumnDef::new("id", t("int8"))
                .identity(Identity::Always)
                .primary_key(),
        )
        .column(ColumnDef::new("name", t("text")).not_null())
        .column(
            ColumnDef::new("updated_at", t("timestamptz"))
                .not_null()
                .default_sql("now()"),
        );
    let mut orders = TableDef::new("orders")
        .column(
            ColumnDef::new("id", t("int8"))
                .identity(Identity::Always)
                .primary_key(),
        )
        .column(
            ColumnDef::new("account_id", t("int8"))
                .not_null()
                .references(References::table("accounts").on_delete(FkAction::Cascade)),
        )
        .column(
            ColumnDef::new("status", DataType::named("public", "order_status"))
                .not_null()
                .default_sql("'pending'"),
        )
        .column(
            ColumnDef::new("amount", t("numeric(12,2)"))
                .not_null()
                .default_sql("0")
                .check("amount >= 0"),
        )
        .index(IndexDef::on_columns(["account_id"]));
    if v2 {
        accounts = accounts.column(ColumnDef::new("email", t("text"))).column(
            ColumnDef::new("score", t("int4"))
                .not_null()
                .default_sql("0"),
        );
        orders = orders.index(IndexDef::new().named("orders_status_idx").column("status"));
    }
    let mut builder = Schema::builder()
        .enum_type("order_status", labels.iter().copied())
        .function(touch())
        .table(accounts)
        .table(orders)
        .trigger(
            Trigger::new("accounts_touch", "accounts", "touch_updated_at")
                .before()
                .on(TriggerEvent::Update(vec![]))
                .for_each_row(),
        );
    if v2 {
        builder = builder.table(
            TableDef::new("audit_log")
                .column(
                    ColumnDef::new("id", t("int8"))
                        .identity(Identity::Always)
                        .primary_key(),
                )
                .column(
                    ColumnDef::new("account_id", t("int8"))
                        .references(References::table("accounts").on_delete(FkAction::SetNull)),
                )
                .column(
                    ColumnDef::new("status", DataType::named("public", "order_status"))
                        .not_null()
                        .default_sql("'cancelled'"),
                )
                .index(IndexDef::on_columns(["account_id"])),
        );
    }
    builder.build()
}

/// `pg_dump --schema-only` of `db` without pgdecl's own schema and the lines that vary
/// between dumps.
pub fn dump(db: &schema_runtime::testkit::TestDatabase) -> String {
    let out = db
        .pg_dump_command()
        .args(["--schema-only", "--exclude-schema=pgdecl"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| {
            !(l.starts_with("\\restrict")
                || l.starts_with("\\unrestrict")
                || l.starts_with("-- Dumped"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
