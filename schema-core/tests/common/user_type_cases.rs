//! Diff cases for domains, composite and range types (see [`super::cases`] for the shape).

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

/// A table storing values of `ty` (with a view over the column, so rebuilds show the view
/// dropped and re-created around them).
fn stored(ty_name: &str, default: Option<&str>) -> (TableDef, View) {
    let mut column = ColumnDef::new("v", ty(ty_name));
    if let Some(d) = default {
        column = column.default_sql(d);
    }
    (
        TableDef::new("holder")
            .column(ColumnDef::new("id", ty("bigint")).primary_key())
            .column(column),
        View::new("holder_values", "SELECT id, v FROM holder"),
    )
}

/// Every case.
#[allow(clippy::vec_init_then_push)]
pub fn all() -> Vec<Case> {
    let mut cases = Vec::new();

    // --- domains ------------------------------------------------------------------------------
    cases.push(case("domain_create", Schema::default(), super::domains()));
    let year = |f: &dyn Fn(DomainDef) -> DomainDef| {
        Schema::builder()
            .domain(f(DomainDef::new("year", ty("integer"))))
            .build()
    };
    cases.push(case(
        "domain_alter",
        year(&|d| {
            d.named_check("year_min", "VALUE >= 1800")
                .named_check("year_max", "VALUE <= 3000")
                .default_sql("1900")
        }),
        year(&|d| {
            d.not_null()
                .default_sql("2000")
                .named_check("year_min", "VALUE >= 1901")
                .check("VALUE <> 2001")
                .comment("a year")
        }),
    ));
    let year_in_use = |not_null: bool, check: bool| {
        let (table, view) = stored("year", Some("1999"));
        let mut d = DomainDef::new("year", ty("integer"));
        if not_null {
            d = d.not_null();
        }
        if check {
            d = d.check("VALUE >= 1901");
        }
        Schema::builder().domain(d).table(table).view(view).build()
    };
    cases.push(case(
        "domain_alter_in_use",
        year_in_use(false, false),
        year_in_use(true, true),
    ));
    let year_over = |base: &str, collation: Option<&str>| {
        let (table, view) = stored("code", Some("'1999'"));
        let mut d = DomainDef::new("code", ty(base)).check("VALUE IS NOT NULL");
        if let Some(c) = collation {
            d = d.collate(c);
        }
        Schema::builder()
            .domain(d)
            .domain(DomainDef::new("short_code", ty("code")))
            .composite_type(
                CompositeType::new("coded").attribute(CompositeAttribute::new("c", ty("code"))),
            )
            .table(table)
            .view(view)
            .function(
                Function::new("first_code")
                    .returns(ty("code"))
                    .stable()
                    .body("SELECT v FROM holder LIMIT 1"),
            )
            .build()
    };
    cases.push(case(
        "domain_base_type_change",
        year_over("varchar(10)", None),
        year_over("text", Some("C")),
    ));
    cases.push(case(
        "domain_drop_with_its_column",
        {
            let (table, _) = stored("year", None);
            Schema::builder()
                .domain(DomainDef::new("year", ty("integer")))
                .table(table)
                .build()
        },
        Schema::builder()
            .table(TableDef::new("holder").column(ColumnDef::new("id", ty("bigint")).primary_key()))
            .build(),
    ));

    // --- composite types --------------------------------------------------------------------------
    cases.push(case(
        "composite_create",
        Schema::default(),
        super::composite_types(),
    ));
    let address = |attributes: &[(&str, &str)]| {
        let mut c = CompositeType::new("address");
        for (name, t) in attributes {
            c = c.attribute(CompositeAttribute::new(*name, ty(t)));
        }
        c
    };
    cases.push(Case {
        dump_equal: false, // the added attribute goes at the end
        ..case(
            "composite_attributes",
            Schema::builder()
                .composite_type(address(&[
                    ("street", "text"),
                    ("city", "varchar(20)"),
                    ("fax", "text"),
                ]))
                .build(),
            Schema::builder()
                .composite_type(
                    address(&[("street", "text"), ("zip", "text"), ("city", "text")])
                        .comment("postal"),
                )
                .build(),
        )
    });
    let address_stored = |city: &str, extra: bool| {
        let mut attributes = vec![("street", "text"), ("city", city)];
        if extra {
            attributes.push(("zip", "integer"));
        }
        let (table, view) = stored("address", None);
        Schema::builder()
            .composite_type(address(&attributes))
            .table(table)
            .view(view)
            .build()
    };
    cases.push(case(
        "composite_retype_stored",
        address_stored("varchar(20)", false),
        address_stored("text", true),
    ));

    // --- range types --------------------------------------------------------------------------
    cases.push(case(
        "range_create",
        Schema::default(),
        super::range_types(),
    ));
    let range = |subtype: &str| {
        let (table, view) = stored("amountrange", None);
        Schema::builder()
            .range_type(RangeType::new("amountrange", ty(subtype)).comment("a span"))
            .table(table.column(ColumnDef::new("many", ty("amountmultirange"))))
            .view(view)
            .build()
    };
    cases.push(case(
        "range_subtype_change",
        range("integer"),
        range("numeric"),
    ));

    // --- order ------------------------------------------------------------------------------
    cases.push(case(
        "types_before_the_tables_that_use_them",
        Schema::default(),
        Schema::builder()
            // Declared after their users: the plan still creates them first.
            .table(
                TableDef::new("letters")
                    .column(ColumnDef::new("id", ty("bigint")).primary_key())
                    .column(ColumnDef::new("to_address", ty("envelope")))
                    .column(ColumnDef::new("sent", ty("stamp"))),
            )
            .composite_type(
                CompositeType::new("envelope")
                    .attribute(CompositeAttribute::new("sender", ty("person_name")))
                    .attribute(CompositeAttribute::new("weight", ty("grams"))),
            )
            .domain(DomainDef::new("person_name", ty("text")).check("VALUE <> ''"))
            .domain(DomainDef::new("grams", ty("integer")))
            .range_type(RangeType::new("stamp", ty("person_name")))
            .build(),
    ));
    cases.push(case(
        "hostile_type_names",
        Schema::builder().schema("Weird Types").build(),
        super::hostile_types(),
    ));

    cases
}
