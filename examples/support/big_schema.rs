//! The benchmark schemas: `n` tables in one of several shapes, built through the public API.
//!
//! Each shape stresses another part of introspection and canonicalization: the print chains
//! of checks, defaults and index expressions, function bodies and trigger conditions, and
//! partition bounds and attached indexes.

use pgdecl::builder::*;
use pgdecl::{
    DataType, Function, FunctionArg, IndexElement, PartitionBound, PartitionKey, Schema, Trigger,
    TriggerEvent,
};

/// A benchmark schema shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// 9 columns, 2 indexes (one partial on an expression), 1 foreign key, 1 check.
    Basic,
    /// Issue 12's shape: checks with IN lists over text and varchar, partial indexes on
    /// expressions, column defaults, identity keys, foreign keys.
    Issue,
    /// 6 columns and 6 indexes each, most partial or on expressions.
    Indexes,
    /// Per table: a row trigger with a `WHEN` condition calling its own PL/pgSQL function,
    /// and a SQL function reading the table.
    Functions,
    /// Range-partitioned tables: one parent in ten, each with 9 yearly partitions (the
    /// primary key and an index attach to every partition).
    Partitions,
}

impl Shape {
    /// Every shape, in the order the benchmark runs them.
    pub const ALL: [Shape; 5] = [
        Shape::Basic,
        Shape::Issue,
        Shape::Indexes,
        Shape::Functions,
        Shape::Partitions,
    ];

    /// The name on the command line and in the tables.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Basic => "basic",
            Shape::Issue => "issue",
            Shape::Indexes => "indexes",
            Shape::Functions => "functions",
            Shape::Partitions => "partitions",
        }
    }

    /// The shape called `name`.
    pub fn parse(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What each table holds, for the report.
    pub fn describe(self) -> &'static str {
        match self {
            Shape::Basic => {
                "9 columns, 2 indexes (one partial on an expression), 1 foreign key, 1 check each"
            }
            Shape::Issue => {
                "identity key, foreign key, 4 defaults, checks with IN lists over text and \
                 varchar, 2 partial indexes on expressions each"
            }
            Shape::Indexes => "6 columns, 6 indexes (partial, expression, multi-column, desc, include) each",
            Shape::Functions => {
                "5 columns, a PL/pgSQL trigger function, a row trigger with WHEN, a SQL function each"
            }
            Shape::Partitions => {
                "one range-partitioned parent (primary key, 1 index) in ten tables, 9 partitions each"
            }
        }
    }

    /// The schema of `n` tables of this shape.
    pub fn schema(self, n: usize) -> Schema {
        match self {
            Shape::Basic => basic(n),
            Shape::Issue => issue(n),
            Shape::Indexes => indexes(n),
            Shape::Functions => functions(n),
            Shape::Partitions => partitions(n),
        }
    }
}

fn t(s: &str) -> DataType {
    DataType::parse(s).expect("a valid type")
}

fn basic(n: usize) -> Schema {
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

fn issue(n: usize) -> Schema {
    let mut b = Schema::builder();
    for i in 0..n {
        let parent = format!("item_{:05}", i.saturating_sub(1));
        b = b.table(
            TableDef::new(format!("item_{i:05}").as_str())
                .column(
                    ColumnDef::new("id", t("integer"))
                        .identity(pgdecl::Identity::Always)
                        .primary_key(),
                )
                .column(
                    ColumnDef::new("parent_id", t("integer"))
                        .references(References::table(parent.as_str())),
                )
                .column(
                    ColumnDef::new("kind", t("text"))
                        .not_null()
                        .default_sql("'draft'")
                        .check("kind IN ('draft', 'open', 'closed')"),
                )
                .column(
                    ColumnDef::new("code", t("varchar(16)"))
                        .not_null()
                        .default_sql("'none'")
                        .check("code IN ('none', 'low', 'high')"),
                )
                .column(ColumnDef::new("title", t("varchar(200)")).not_null())
                .column(
                    ColumnDef::new("amount", t("numeric(12,2)"))
                        .not_null()
                        .default_sql("0"),
                )
                .column(
                    ColumnDef::new("created_at", t("timestamptz"))
                        .not_null()
                        .default_sql("now()"),
                )
                .check("kind <> 'closed' OR amount >= 0")
                .index(
                    IndexDef::new()
                        .expression("lower(title)")
                        .where_sql("kind IN ('draft', 'open')"),
                )
                .index(
                    IndexDef::new()
                        .expression("upper(code)")
                        .column("created_at")
                        .where_sql("code <> 'none'"),
                ),
        );
    }
    b.build()
}

fn indexes(n: usize) -> Schema {
    let mut b = Schema::builder();
    for i in 0..n {
        b = b.table(
            TableDef::new(format!("doc_{i:05}").as_str())
                .column(ColumnDef::new("id", t("bigint")).primary_key())
                .column(ColumnDef::new("owner", t("text")).not_null())
                .column(ColumnDef::new("title", t("text")))
                .column(ColumnDef::new("body", t("text")))
                .column(ColumnDef::new("rank", t("integer")))
                .column(ColumnDef::new("archived", t("boolean")).not_null())
                .index(IndexDef::on_columns(["owner", "rank"]))
                .index(
                    IndexDef::new()
                        .expression("lower(title)")
                        .where_sql("NOT archived"),
                )
                .index(
                    IndexDef::new()
                        .expression("(rank * 2)")
                        .where_sql("rank > 0 AND owner <> ''"),
                )
                .index(
                    IndexDef::new()
                        .element(IndexElement::column("rank").desc().nulls_last())
                        .include(["title"]),
                )
                .index(IndexDef::new().expression("length(body)"))
                .index(
                    IndexDef::on_columns(["owner"])
                        .unique()
                        .where_sql("archived AND rank IS NOT NULL"),
                ),
        );
    }
    b.build()
}

fn functions(n: usize) -> Schema {
    let mut b = Schema::builder();
    for i in 0..n {
        let table = format!("event_{i:05}");
        let touch = format!("event_{i:05}_touch");
        b = b
            .table(
                TableDef::new(table.as_str())
                    .column(
                        ColumnDef::new("id", t("bigint"))
                            .identity(pgdecl::Identity::ByDefault)
                            .primary_key(),
                    )
                    .column(ColumnDef::new("name", t("text")).not_null())
                    .column(
                        ColumnDef::new("hits", t("integer"))
                            .not_null()
                            .default_sql("0"),
                    )
                    .column(ColumnDef::new("updated_at", t("timestamptz")))
                    .column(ColumnDef::new("note", t("text"))),
            )
            .function(
                Function::new(touch.as_str())
                    .returns(t("trigger"))
                    .language("plpgsql")
                    .body(
                        "BEGIN NEW.updated_at := now(); NEW.hits := NEW.hits + 1; RETURN NEW; END",
                    ),
            )
            .function(
                Function::new(format!("event_{i:05}_hits").as_str())
                    .arg(FunctionArg::new("wanted", t("bigint")))
                    .returns(t("integer"))
                    .stable()
                    .body(format!("SELECT hits FROM {table} WHERE id = wanted")),
            )
            .trigger(
                Trigger::new("touch", table.as_str(), touch.as_str())
                    .before()
                    .on(TriggerEvent::Update(vec![]))
                    .for_each_row()
                    .when_sql("OLD.name IS DISTINCT FROM NEW.name"),
            );
    }
    b.build()
}

fn partitions(n: usize) -> Schema {
    let mut b = Schema::builder();
    for p in 0..n.div_ceil(10) {
        let parent = format!("metric_{p:04}");
        b = b.table(
            TableDef::new(parent.as_str())
                .column(ColumnDef::new("id", t("bigint")).not_null())
                .column(ColumnDef::new("at", t("date")).not_null())
                .column(ColumnDef::new("sensor", t("text")).not_null())
                .column(ColumnDef::new("value", t("double precision")))
                .primary_key(["id", "at"])
                .index(IndexDef::on_columns(["sensor", "at"]))
                .partition_by(PartitionKey::range(["at"])),
        );
        for year in 2017..2026 {
            b = b.table(
                TableDef::new(format!("{parent}_{year}").as_str()).partition_of(
                    parent.as_str(),
                    PartitionBound::range(
                        [format!("'{year}-01-01'")],
                        [format!("'{}-01-01'", year + 1)],
                    ),
                ),
            );
        }
    }
    b.build()
}
