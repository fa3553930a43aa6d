//! The benchmark schema: `n` tables of 9 columns, 2 indexes (one partial on an expression),
//! 1 foreign key and 1 check each.

use pgdecl::builder::*;
use pgdecl::{DataType, Schema};

/// Builds the schema through the public API.
pub fn big_schema(n: usize) -> Schema {
    let t = |s: &str| DataType::parse(s).expect("a valid type");
    let mut b = Schema::builder();
    for i in 0..n {
        let parent = format!("table_{:04}", i.saturating_sub(1));
        b = b.table(
            TableDef::new(format!("table_{i:04}").as_str())
                .column(
                    ColumnDef::new("id", t("bigint"))
                        .identity(pgdecl::Identity::ByDefault)
                        .primary_key(),
                )
                .column(
                    ColumnDef::new("parent_id", t("bigint"))
                        .references(References::table(parent.as_str())),
                )
                .column(ColumnDef::new("name", t("text")).not_null())
                .column(ColumnDef::new("email", t("varchar(255)")))
                .column(
                    ColumnDef::new("status", t("text"))
                        .not_null()
                        .default_sql("'active'"),
                )
                .column(
                    ColumnDef::new("score", t("numeric(10,2)"))
                        .not_null()
                        .default_sql("0")
                        .check("score >= 0"),
                )
                .column(ColumnDef::new("tags", t("text[]")))
                .column(
                    ColumnDef::new("created_at", t("timestamptz"))
                        .not_null()
                        .default_sql("now()"),
                )
                .column(ColumnDef::new("deleted_at", t("timestamptz")))
                .index(IndexDef::on_columns(["email"]))
                .index(
                    IndexDef::new()
                        .expression("lower(name)")
                        .where_sql("deleted_at IS NULL"),
                ),
        );
    }
    b.build()
}
