//! Schemas shared by the rendering and diff tests (and, through `#[path]`, by the facade's
//! real-PostgreSQL tests): one per feature, and one with every feature at once.
#![allow(dead_code)]

use schema_core::builder::*;
use schema_core::*;

/// A type from its SQL spelling.
pub fn ty(sql: &str) -> DataType {
    DataType::parse(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub fn extensions() -> Schema {
    Schema::builder()
        .schema("ext")
        .extension("pgcrypto")
        .extension(Extension::new("uuid-ossp").schema("ext").comment("UUIDs"))
        .build()
}

pub fn schemas() -> Schema {
    Schema::builder()
        .schema("audit")
        .schema(Namespace::new("Reporting").comment("read models"))
        .build()
}

pub fn enums() -> Schema {
    Schema::builder()
        .schema("audit")
        .enum_type("user_role", ["admin", "member", "guest"])
        .enum_def(
            EnumType::new("audit.level", ["low", "it's high", "back\\slash"]).comment("how bad"),
        )
        .build()
}

pub fn sequences() -> Schema {
    Schema::builder()
        .sequence(
            Sequence::new("invoice_numbers")
                .data_type(ty("bigint"))
                .increment(1)
                .start(1000)
                .min_value(1000)
                .max_value(999_999)
                .cache(10)
                .cycle()
                .comment("invoice numbers"),
        )
        .sequence(Sequence::new("plain_seq"))
        .sequence(
            Sequence::new("owned_seq")
                .data_type(ty("int4"))
                .owned_by("counters", "n"),
        )
        .table(TableDef::new("counters").column(ColumnDef::new("n", ty("integer"))))
        .build()
}

pub fn columns() -> Schema {
    Schema::builder()
        .enum_type("user_role", ["admin", "member"])
        .table(
            TableDef::new("users")
                .column(
                    ColumnDef::new("id", ty("bigint"))
                        .identity(Identity::Always)
                        .primary_key(),
                )
                .column(
                    ColumnDef::new("email", ty("varchar(255)"))
                        .not_null()
                        .unique(),
                )
                .column(
                    ColumnDef::new("role", ty("user_role"))
                        .not_null()
                        .default_sql("'member'"),
                )
                .column(
                    ColumnDef::new("score", ty("numeric(10, 2)"))
                        .not_null()
                        .default_sql("0"),
                )
                .column(
                    ColumnDef::new("tags", ty("text[]"))
                        .not_null()
                        .default_sql("'{}'"),
                )
                .column(ColumnDef::new("name", ty("text")).collate("C"))
                .column(ColumnDef::new("name_lower", ty("text")).generated_stored("lower(name)"))
                .column(ColumnDef::new("legacy_id", ty("serial")))
                .column(ColumnDef::new("small_id", ty("smallserial")))
                .column(ColumnDef::new("big_id", ty("bigserial")))
                .column(ColumnDef::new("ticket", ty("int")).identity(Identity::ByDefault))
                .column(
                    ColumnDef::new("created_at", ty("timestamptz"))
                        .not_null()
                        .default_sql("now()"),
                )
                .column(ColumnDef::new("deleted", ty("boolean")).default_sql("1 IS NULL"))
                .column(ColumnDef::new("at", ty("timestamp(3) with time zone")))
                .column(ColumnDef::new("span", ty("interval day to second(3)")))
                .column(ColumnDef::new("bits", ty("bit varying(8)")))
                .column(ColumnDef::new("flag", ty("char")))
                .column(ColumnDef::new("doc", ty("jsonb")).comment("free-form")),
        )
        .build()
}

pub fn constraints() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("orgs")
                .column(ColumnDef::new("id", ty("uuid")).primary_key())
                .column(ColumnDef::new("slug", ty("text")).not_null())
                .constraint(
                    ConstraintDef::unique(["slug"])
                        .named("orgs_slug_uq")
                        .deferrable()
                        .comment("one org per slug"),
                ),
        )
        .table(
            TableDef::new("orders")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(
                    ColumnDef::new("org_id", ty("uuid"))
                        .references(References::table("orgs").on_delete(FkAction::Cascade)),
                )
                .column(
                    ColumnDef::new("parent_id", ty("bigint"))
                        .constraint("orders_parent_fk")
                        .references(
                            References::table("orders")
                                .column("id")
                                .on_delete(FkAction::SetNull)
                                .on_update(FkAction::Restrict),
                        )
                        .initially_deferred(),
                )
                .column(ColumnDef::new("code", ty("text")).unique_nulls_not_distinct())
                .column(
                    ColumnDef::new("qty", ty("integer"))
                        .not_null()
                        .check("qty > 0"),
                ),
        )
        .table(
            TableDef::new("order_lines")
                .column(ColumnDef::new("order_id", ty("bigint")).not_null())
                .column(ColumnDef::new("line_no", ty("integer")).not_null())
                .column(ColumnDef::new("sku", ty("text")).not_null())
                .column(ColumnDef::new("qty", ty("integer")).not_null())
                .column(ColumnDef::new("note", ty("text")))
                .constraint(ConstraintDef::primary_key(["order_id", "line_no"]).include(["sku"]))
                .constraint(
                    ConstraintDef::unique(["sku", "qty"])
                        .named("order_lines_sku_qty_key")
                        .nulls_not_distinct(),
                )
                .constraint(
                    ConstraintDef::foreign_key(
                        ["order_id"],
                        References::table("orders").on_delete(FkAction::Cascade),
                    )
                    .initially_deferred(),
                )
                .constraint(ConstraintDef::check("qty > 0").named("order_lines_qty_positive"))
                .check("qty < 1000")
                .check("qty < 2000 OR note IS NOT NULL")
                .unique(["note"]),
        )
        .build()
}

pub fn indexes() -> Schema {
    Schema::builder()
        .extension("pg_trgm")
        .table(
            TableDef::new("docs")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("sku", ty("text")).not_null())
                .column(ColumnDef::new("qty", ty("integer")))
                .column(ColumnDef::new("note", ty("text")))
                .column(ColumnDef::new("deleted_at", ty("timestamptz")))
                .index(IndexDef::on_columns(["sku"]))
                .index(
                    IndexDef::new()
                        .named("docs_note_lower_idx")
                        .unique()
                        .expression("lower(note)")
                        .where_sql("note IS NOT NULL")
                        .comment("case-insensitive notes"),
                )
                .index(
                    IndexDef::new()
                        .named("docs_sku_pattern_idx")
                        .using(IndexMethod::Btree)
                        .element(
                            IndexElement::column("sku")
                                .opclass("text_pattern_ops")
                                .desc()
                                .nulls_last(),
                        )
                        .element(IndexElement::column("qty").nulls_first())
                        .include(["note"]),
                )
                .index(
                    IndexDef::new()
                        .using("gin")
                        .expression("to_tsvector('english', note)"),
                )
                .index(
                    IndexDef::new()
                        .using(IndexMethod::Gin)
                        .element(IndexElement::column("note").opclass("gin_trgm_ops")),
                )
                .index(IndexDef::new().using("hash").column("sku"))
                .index(IndexDef::new().using("brin").column("deleted_at"))
                .index(
                    IndexDef::new()
                        .unique()
                        .column("qty")
                        .nulls_not_distinct()
                        .where_sql("deleted_at IS NULL"),
                )
                .index(IndexDef::new().element(IndexElement::column("note").collate("C"))),
        )
        .build()
}

pub fn functions() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("users")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("email", ty("text")))
                .column(ColumnDef::new("score", ty("numeric"))),
        )
        .function(
            Function::new("touch_updated_at")
                .returns(ty("trigger"))
                .language("plpgsql")
                .body("\n    BEGIN NEW.updated_at := now(); RETURN NEW; END\n"),
        )
        .function(
            Function::new("add")
                .arg(FunctionArg::new("a", ty("integer")))
                .arg(FunctionArg::new("b", ty("integer")).default_sql("1"))
                .returns(ty("integer"))
                .immutable()
                .strict()
                .body("SELECT a + b")
                .comment("adds"),
        )
        .function(
            Function::new("active_users")
                .arg(FunctionArg::new("min_score", ty("numeric")))
                .returns_table([("id", ty("bigint")), ("email", ty("text"))])
                .stable()
                .body("SELECT id, email FROM public.users WHERE score >= min_score"),
        )
        .function(
            Function::new("user_ids")
                .returns_setof(ty("bigint"))
                .stable()
                .security_definer()
                .set("search_path", "public, pg_temp")
                .set("work_mem", "64MB")
                .body("SELECT id FROM users"),
        )
        .function(
            Function::new("dollars")
                .arg(FunctionArg::unnamed(ty("text")).mode(ArgMode::In))
                .arg(FunctionArg::new("rest", ty("text[]")).mode(ArgMode::Variadic))
                .arg(FunctionArg::new("n", ty("int")).mode(ArgMode::Out))
                .language("plpgsql")
                .body("BEGIN n := length($1 || $$x$$); END"),
        )
        .function(
            Function::procedure("archive")
                .arg(FunctionArg::new("n", ty("integer")).mode(ArgMode::InOut))
                .arg(FunctionArg::new("done", ty("boolean")).mode(ArgMode::Out))
                .language("plpgsql")
                .security_definer()
                .body("BEGIN done := true; END")
                .comment("archives"),
        )
        .build()
}

pub fn triggers() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("users")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("email", ty("text")))
                .column(ColumnDef::new("role", ty("text")))
                .column(ColumnDef::new("updated_at", ty("timestamptz"))),
        )
        .view(View::new("user_emails", "SELECT id, email FROM users"))
        .function(
            Function::new("touch_updated_at")
                .returns(ty("trigger"))
                .language("plpgsql")
                .body("BEGIN NEW.updated_at := now(); RETURN NEW; END"),
        )
        .function(
            Function::new("audit")
                .returns(ty("trigger"))
                .language("plpgsql")
                .body("BEGIN RETURN NULL; END"),
        )
        .trigger(
            Trigger::new("users_touch", "users", "touch_updated_at")
                .before()
                .on(TriggerEvent::Update(vec![]))
                .for_each_row(),
        )
        .trigger(
            Trigger::new("audit_changes", "users", "audit")
                .after()
                .on(TriggerEvent::Update(vec!["email".into(), "role".into()]))
                .for_each_row()
                .when_sql("OLD.* IS DISTINCT FROM NEW.*")
                .args(["users", "it's", "42"])
                .comment("audit trail"),
        )
        .trigger(
            Trigger::new("audit_writes", "users", "audit")
                .after()
                .on(TriggerEvent::Insert)
                .on(TriggerEvent::Delete)
                .for_each_row(),
        )
        .trigger(
            Trigger::new("audit_truncate", "users", "audit")
                .on(TriggerEvent::Truncate)
                .for_each_statement(),
        )
        .trigger(
            Trigger::new("emails_insert", "user_emails", "audit")
                .instead_of()
                .on(TriggerEvent::Insert)
                .for_each_row(),
        )
        .trigger(
            Trigger::new("audit_deletes", "users", "audit")
                .after()
                .on(TriggerEvent::Delete)
                .old_table("gone")
                .for_each_statement(),
        )
        .trigger(
            Trigger::new("users_consistent", "users", "audit")
                .on(TriggerEvent::Insert)
                .on(TriggerEvent::Update(vec![]))
                .constraint(ConstraintTiming::InitiallyDeferred),
        )
        .build()
}

pub fn views() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("users")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("email", ty("text")))
                .column(ColumnDef::new("deleted_at", ty("timestamptz"))),
        )
        // Declared before the view it reads: create_sql must reorder.
        .view(View::new("live_emails", "SELECT email FROM active_users;"))
        .view(
            View::new(
                "active_users",
                "SELECT id, email\nFROM users\nWHERE deleted_at IS NULL -- live only",
            )
            .comment("users not deleted"),
        )
        .view(
            View::new("user_emails", "SELECT id, email FROM users").columns(["user_id", "address"]),
        )
        .build()
}

/// Materialized views (with indexes, a column list, `with no data`, one over a view and a
/// view over one) and aggregates (one with a final function and initial state, one over a
/// built-in state function, one a view calls), with names of their own so they merge.
pub fn materialized_views() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("mv_orders")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("customer", ty("text")).not_null())
                .column(ColumnDef::new("total", ty("numeric(10,2)"))),
        )
        .function(
            Function::new("mv_concat")
                .arg(FunctionArg::unnamed(ty("text")))
                .arg(FunctionArg::unnamed(ty("text")))
                .returns(ty("text"))
                .immutable()
                .body("SELECT CASE WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END"),
        )
        .function(
            Function::new("mv_bracket")
                .arg(FunctionArg::unnamed(ty("text")))
                .returns(ty("text"))
                .immutable()
                .body("SELECT '[' || $1 || ']'"),
        )
        .aggregate(
            Aggregate::new("mv_group_concat", [ty("text")], "mv_concat", ty("text"))
                .comment("comma-separated"),
        )
        .aggregate(
            Aggregate::new("mv_bracketed", [ty("text")], "mv_concat", ty("text"))
                .finalfunc("mv_bracket")
                .initcond(""),
        )
        .aggregate(
            Aggregate::new(
                "mv_collect",
                [ty("anycompatible")],
                QualifiedName::new("pg_catalog", "array_append"),
                ty("anycompatiblearray"),
            )
            .initcond("{}"),
        )
        // Declared before the materialized view it reads.
        .view(View::new(
            "mv_big_customers",
            "SELECT customer FROM mv_customer_totals WHERE total > 100",
        ))
        .view(
            View::materialized(
                "mv_customer_totals",
                "SELECT customer, sum(total) AS total, count(*) AS n FROM mv_orders GROUP BY customer",
            )
            .comment("refreshed nightly")
            .index(
                "mv_customer_totals_customer",
                IndexDef::on_columns(["customer"]).unique(),
            )
            .index(
                "mv_customer_totals_big",
                IndexDef::new()
                    .expression("round(total)")
                    .where_sql("n > 10")
                    .comment("for reports"),
            ),
        )
        .view(View::new(
            "mv_order_ids",
            "SELECT id, mv_group_concat(customer) AS customers FROM mv_orders GROUP BY id",
        ))
        .view(
            View::materialized("mv_order_id_list", "SELECT id FROM mv_order_ids")
                .columns(["order_id"])
                .with_no_data(),
        )
        .build()
}

pub fn comments() -> Schema {
    Schema::builder()
        .schema(Namespace::new("audit").comment("audit trail"))
        .table(
            TableDef::new("audit.events")
                .comment("what happened")
                .column(
                    ColumnDef::new("id", ty("bigint"))
                        .primary_key()
                        .comment("it's the id"),
                )
                .column(ColumnDef::new("body", ty("text")).comment("back\\slash"))
                .constraint(ConstraintDef::check("body <> ''").comment("no empty bodies"))
                .index(IndexDef::on_columns(["body"]).comment("by body")),
        )
        .build()
}

/// Names that must not be able to inject SQL: quotes, semicolons, dollar quotes, unicode,
/// reserved words, mixed case.
pub fn hostile() -> Schema {
    let nasty = "x\"; DROP TABLE users; --";
    Schema::builder()
        .schema("Weird Schema")
        .enum_type(
            QualifiedName::new("Weird Schema", "select"),
            ["it's", "$$", "\\", "\"q\""],
        )
        .table(
            TableDef::new(QualifiedName::new("Weird Schema", nasty))
                .comment("'; DROP TABLE x; --")
                .column(ColumnDef::new("user", ty("text")).primary_key())
                .column(ColumnDef::new("Mixed Case", ty("integer")).check("\"Mixed Case\" > 0"))
                .column(ColumnDef::new("dollar$$col", ty("text")).unique())
                .column(ColumnDef::new("café", ty("text")).comment("ünïcödé 🎉"))
                .column(
                    ColumnDef::new("kind", DataType::named("Weird Schema", "select"))
                        .default_sql("'$$'"),
                )
                .index(IndexDef::on_columns(["café"]).named("idx'; --")),
        )
        .table(
            TableDef::new(QualifiedName::new("Weird Schema", "order")).column(
                ColumnDef::new("ref", ty("text"))
                    .references(References::table(QualifiedName::new("Weird Schema", nasty))),
            ),
        )
        .function(
            Function::new(QualifiedName::new("Weird Schema", "$$fn"))
                .returns(ty("text"))
                .body("SELECT $$'$$ || $pgdecl$x$pgdecl$")
                .set("search_path", "\"Weird Schema\", public")
                .comment("$$"),
        )
        .view(
            View::new(
                QualifiedName::new("Weird Schema", "view; drop"),
                "SELECT 1 AS \"one\"",
            )
            .columns(["a\"b"]),
        )
        .trigger(
            Trigger::new(
                "trg\"",
                QualifiedName::new("Weird Schema", "order"),
                QualifiedName::new("Weird Schema", "trg fn"),
            )
            .before()
            .on(TriggerEvent::Insert)
            .for_each_row()
            .args(["'); DROP TABLE x; --", "$$"]),
        )
        .function(
            Function::new(QualifiedName::new("Weird Schema", "trg fn"))
                .returns(ty("trigger"))
                .language("plpgsql")
                .body("BEGIN RETURN NEW; END"),
        )
        .build()
}

/// Every feature at once, as one schema (what the double-load test runs).
/// Partitioned tables: range with a default partition that is itself partitioned by list,
/// hash, keys, checks, indexes and a trigger on the parent, a partition's own check and
/// index, a foreign key into a partitioned table.
pub fn partitions() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("metrics")
                .column(ColumnDef::new("id", ty("bigint")).not_null())
                .column(ColumnDef::new("recorded_on", ty("date")).not_null())
                .column(ColumnDef::new("device", ty("text")).not_null())
                .column(ColumnDef::new("value", ty("numeric")).comment("in the device's unit"))
                .primary_key(["recorded_on", "id", "device"])
                .check("value >= 0")
                .index(IndexDef::on_columns(["device"]))
                .partition_by(PartitionKey::range(["recorded_on"]))
                .comment("readings, by day"),
        )
        .table(
            TableDef::new("metrics_2025")
                .partition_of(
                    "metrics",
                    PartitionBound::range(["'2025-01-01'"], ["'2026-01-01'"]),
                )
                .index(IndexDef::on_columns(["value"]))
                .comment("last year"),
        )
        .table(
            TableDef::new("metrics_rest")
                .partition_of("metrics", PartitionBound::Default)
                .partition_by(PartitionKey::list("device")),
        )
        .table(
            TableDef::new("metrics_rest_ab")
                .partition_of("metrics_rest", PartitionBound::list(["'a'", "'b'"]))
                .check("value < 100"),
        )
        .table(
            TableDef::new("shards")
                .column(ColumnDef::new("id", ty("bigint")).not_null())
                .column(ColumnDef::new("payload", ty("jsonb")))
                .partition_by(PartitionKey::hash(["id"])),
        )
        .table(TableDef::new("shards_0").partition_of("shards", PartitionBound::hash(2, 0)))
        .table(TableDef::new("shards_1").partition_of("shards", PartitionBound::hash(2, 1)))
        .table(
            TableDef::new("sightings")
                .column(ColumnDef::new("metric_day", ty("date")))
                .column(ColumnDef::new("metric_id", ty("bigint")))
                .column(ColumnDef::new("device", ty("text")))
                .foreign_key(
                    ["metric_day", "metric_id", "device"],
                    References::table("metrics"),
                ),
        )
        .trigger(
            Trigger::new(
                "metrics_same",
                "metrics",
                "pg_catalog.suppress_redundant_updates_trigger",
            )
            .before()
            .on(TriggerEvent::Update(Vec::new()))
            .for_each_row(),
        )
        .build()
}

pub fn every_feature() -> Schema {
    let mut all = Schema::default();
    for part in [
        extensions(),
        schemas(),
        enums(),
        sequences(),
        columns_renamed("cols_"),
        constraints(),
        indexes(),
        functions_renamed("fn_"),
        triggers_renamed("trg_"),
        views_renamed("v_"),
        comments(),
        hostile(),
        partitions(),
        domains(),
        composite_types(),
        range_types(),
        hostile_types(),
        materialized_views(),
    ] {
        merge(&mut all, part);
    }
    all
}

fn merge(all: &mut Schema, part: Schema) {
    for ext in part.extensions {
        if !all.extensions.iter().any(|e| e.name == ext.name) {
            all.extensions.push(ext);
        }
    }
    for ns in part.schemas {
        if !all.schemas.iter().any(|n| n.name == ns.name) {
            all.schemas.push(ns);
        }
    }
    for e in part.enums {
        if !all.enums.iter().any(|x| x.name == e.name) {
            all.enums.push(e);
        }
    }
    all.domains.extend(part.domains);
    all.composites.extend(part.composites);
    all.ranges.extend(part.ranges);
    all.sequences.extend(part.sequences);
    all.functions.extend(part.functions);
    all.aggregates.extend(part.aggregates);
    all.tables.extend(part.tables);
    all.views.extend(part.views);
    all.triggers.extend(part.triggers);
}

/// Puts every table, view and function of `schema` into its own namespace, so feature
/// schemas that reuse names (`users`) can be merged.
fn in_namespace(mut schema: Schema, ns: &str) -> Schema {
    let move_name = |q: &mut QualifiedName| {
        if q.schema == "public" {
            q.schema = ns.to_string();
        }
    };
    schema.schemas.insert(0, Namespace::new(ns));
    for t in &mut schema.tables {
        move_name(&mut t.name);
        for c in &mut t.constraints {
            if let ConstraintKind::ForeignKey { ref_table, .. } = &mut c.kind {
                move_name(ref_table);
            }
        }
        for c in &mut t.columns {
            if let Some(s) = &mut c.data_type.schema {
                if s == "public" && schema.enums.iter().any(|e| e.name.name == c.data_type.name) {
                    *s = ns.to_string();
                }
            }
        }
    }
    for e in &mut schema.enums {
        move_name(&mut e.name);
    }
    for v in &mut schema.views {
        move_name(&mut v.name);
    }
    for f in &mut schema.functions {
        move_name(&mut f.name);
        if f.name.name == "user_ids" {
            f.config[0].1 = format!("{ns}, pg_temp");
        }
        f.body = f.body.replace("public.users", &format!("{ns}.users"));
    }
    for t in &mut schema.triggers {
        move_name(&mut t.table);
        move_name(&mut t.function);
    }
    schema
}

fn columns_renamed(ns: &str) -> Schema {
    in_namespace(columns(), ns)
}

fn functions_renamed(ns: &str) -> Schema {
    in_namespace(functions(), ns)
}

fn triggers_renamed(ns: &str) -> Schema {
    let mut s = in_namespace(triggers(), ns);
    for v in &mut s.views {
        v.query = v.query.replace("FROM users", &format!("FROM {ns}.users"));
    }
    s
}

fn views_renamed(ns: &str) -> Schema {
    let mut s = in_namespace(views(), ns);
    for v in &mut s.views {
        v.query = v.query.replace("FROM users", &format!("FROM {ns}.users"));
        v.query = v
            .query
            .replace("FROM active_users", &format!("FROM {ns}.active_users"));
    }
    s
}

pub mod cases;
pub mod constraints_and_columns;
pub mod grants;
pub mod policies;
pub mod sql_functions;
pub mod user_type_cases;
pub mod user_types;

#[allow(unused_imports)]
pub use constraints_and_columns::constraints_and_columns;
#[allow(unused_imports)]
pub use grants::grants;
#[allow(unused_imports)]
pub use policies::policies;
#[allow(unused_imports)]
pub use sql_functions::sql_functions;
pub use user_types::{composite_types, domains, hostile_types, range_types};
