//! Issue 8 item 7's fixture: exclusion constraints and constraints declared `not valid`, for
//! the double-load test and the same-diff checks.

use schema_core::builder::*;
use schema_core::*;

use super::ty;

/// Rooms and their bookings: exclusion constraints (with `btree_gist`, a predicate, an
/// expression, `include`, deferral and a comment) and a check and a foreign key declared `not
/// valid`; an unlogged table with storage parameters, and an index with one; a column with
/// compression, storage, a statistics target and an attribute option.
pub fn constraints_and_columns() -> Schema {
    Schema::builder()
        .extension(Extension::new("btree_gist"))
        .table(TableDef::new("rooms").column(ColumnDef::new("id", ty("integer")).primary_key()))
        .table(
            TableDef::new("bookings")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(
                    ColumnDef::new("room", ty("integer"))
                        .not_null()
                        .references("rooms")
                        .not_valid(),
                )
                .column(ColumnDef::new("during", ty("tstzrange")).not_null())
                .column(
                    ColumnDef::new("note", ty("text"))
                        .check("note <> ''")
                        .not_valid(),
                )
                .constraint(
                    ConstraintDef::exclude(
                        IndexMethod::Gist,
                        [
                            ExclusionElement::column("room", "="),
                            ExclusionElement::column("during", "&&"),
                        ],
                    )
                    .where_sql("note IS NOT NULL")
                    .comment("one booking per room at a time"),
                )
                .constraint(
                    ConstraintDef::exclude(
                        IndexMethod::Gist,
                        [ExclusionElement::expression("lower(during)", "=")],
                    )
                    .named("Bookings start")
                    .include(["note"])
                    .initially_deferred(),
                ),
        )
        .table(
            TableDef::new("sessions")
                .storage("fillfactor", "70")
                .storage("autovacuum_vacuum_scale_factor", "0.01")
                .storage("toast.autovacuum_enabled", "false")
                .index(
                    IndexDef::on_columns(["room"])
                        .named("sessions_room_idx")
                        .storage("fillfactor", "90"),
                )
                .unlogged()
                .column(ColumnDef::new("id", ty("uuid")).primary_key())
                .column(ColumnDef::new("room", ty("integer")).references("rooms"))
                .column(
                    ColumnDef::new("note", ty("text"))
                        .compression("lz4")
                        .storage(model::Storage::External)
                        .statistics(300)
                        .option("n_distinct", "-0.5"),
                ),
        )
        .build()
}
