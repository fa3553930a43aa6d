//! Fixtures for domains, composite and range types, and tables that store them (part of
//! [`super::every_feature`]).

use schema_core::builder::*;
use schema_core::*;

use super::ty;

/// Domains: checks (named, derived, numbered), a default, `NOT NULL`, a collation, a
/// non-ASCII name (as in pagila), a domain over a domain in another schema, one whose check
/// calls a declared function (so it is created after the functions), columns of them.
pub fn domains() -> Schema {
    Schema::builder()
        .schema("audit")
        .domain(
            DomainDef::new("year", ty("integer"))
                .check("VALUE >= 1901 AND VALUE <= 2155")
                .comment("a year, as MySQL has it"),
        )
        .domain(DomainDef::new("bıgınt", ty("bigint")))
        .domain(
            DomainDef::new("us_postal_code", ty("text"))
                .collate("C")
                .not_null()
                .default_sql("'00000'")
                .named_check("us_postal_code_format", r"VALUE ~ '^\d{5}$'")
                .check("length(VALUE) = 5")
                .check("VALUE <> '99999'"),
        )
        .domain(DomainDef::new("audit.recent_year", ty("year")).check("VALUE >= 2000"))
        .domain(DomainDef::new("even_int", ty("integer")).check("public.is_even(VALUE)"))
        .function(
            Function::new("is_even")
                .arg(FunctionArg::new("n", ty("integer")))
                .returns(ty("boolean"))
                .immutable()
                .body("SELECT n % 2 = 0"),
        )
        .table(
            TableDef::new("films")
                .column(ColumnDef::new("id", ty("bıgınt")).primary_key())
                .column(ColumnDef::new("release_year", ty("year")))
                .column(ColumnDef::new("remastered", ty("audit.recent_year[]")))
                .column(ColumnDef::new("zip", ty("us_postal_code")))
                .column(ColumnDef::new("reels", ty("even_int")).default_sql("2")),
        )
        .build()
}

/// Composite types: collations, comments on the type and an attribute, an attribute of a
/// domain and of another composite type, columns of them; and a table's own row type as a
/// function's result (the function is created after the table).
pub fn composite_types() -> Schema {
    Schema::builder()
        .function(
            Function::new("vip_customers")
                .returns_setof(ty("customers"))
                .stable()
                .body("SELECT * FROM public.customers WHERE id < 10"),
        )
        .domain(DomainDef::new("zip_code", ty("text")).check("VALUE ~ '^[0-9]+$'"))
        .composite_type(
            CompositeType::new("address")
                .attribute(CompositeAttribute::new("street", ty("text")).comment("first line"))
                .attribute(CompositeAttribute::new("city", ty("text")).collate("C"))
                .attribute(CompositeAttribute::new("zip", ty("zip_code")))
                .comment("where to write"),
        )
        .composite_type(
            CompositeType::new("contact")
                .attribute(CompositeAttribute::new("name", ty("varchar(100)")))
                .attribute(CompositeAttribute::new("home", ty("address")))
                .attribute(CompositeAttribute::new("scores", ty("numeric(5,2)[]"))),
        )
        .table(
            TableDef::new("customers")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("contact", ty("contact")).not_null())
                .column(ColumnDef::new("past", ty("address[]"))),
        )
        .build()
}

/// Range types: a `subtype_diff`, a collation with a derived and a declared multirange name,
/// an operator class, a range of a domain in another schema, columns of ranges and
/// multiranges.
pub fn range_types() -> Schema {
    Schema::builder()
        .schema("audit")
        .domain(DomainDef::new("audit.score", ty("numeric(6,2)")))
        .range_type(
            RangeType::new("floatrange", ty("double precision"))
                .subtype_diff("float8mi")
                .comment("floats"),
        )
        .range_type(
            RangeType::new("textrange", ty("text"))
                .collation("C")
                .multirange_type_name("text_ranges"),
        )
        .range_type(RangeType::new("patternrange", ty("text")).subtype_opclass("text_pattern_ops"))
        .range_type(RangeType::new("audit.score_range", ty("audit.score")))
        .table(
            TableDef::new("bookings")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("temperature", ty("floatrange")))
                .column(ColumnDef::new("letters", ty("text_ranges")))
                .column(ColumnDef::new("codes", ty("patternrange[]")))
                .column(ColumnDef::new("scores", ty("audit.score_multirange"))),
        )
        .build()
}

/// Names that must not be able to inject SQL, on every kind of type and its parts.
pub fn hostile_types() -> Schema {
    Schema::builder()
        .schema("Weird Types")
        .domain(
            DomainDef::new(
                QualifiedName::new("Weird Types", "d'; DROP TABLE x; --"),
                ty("text"),
            )
            .named_check("c\"; --", "VALUE <> '$$'")
            .default_sql("'it''s'")
            .comment("$$"),
        )
        .composite_type(
            CompositeType::new(QualifiedName::new("Weird Types", "select"))
                .attribute(CompositeAttribute::new("from", ty("text")).comment("'; --"))
                .attribute(CompositeAttribute::new(
                    "$$x",
                    DataType::named("Weird Types", "d'; DROP TABLE x; --"),
                )),
        )
        .range_type(
            RangeType::new(
                QualifiedName::new("Weird Types", "range\"of"),
                ty("integer"),
            )
            .multirange_type_name(QualifiedName::new("Weird Types", "multi'range")),
        )
        .build()
}
