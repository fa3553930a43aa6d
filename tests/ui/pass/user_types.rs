//! Domains, composite and range types: what the macro builds, derived names included.

pgdecl::schema! {
    schema audit;

    /// A year, as MySQL has it.
    domain year as integer check "VALUE >= 1901" check "VALUE <= 2155";
    domain "bıgınt" as bigint;
    domain us_postal_code as text collate "C" not null default "'00000'"
        constraint us_postal_code_format check r#"VALUE ~ '^\d{5}$'"#
        check us_postal_code_length "length(VALUE) = 5";
    domain audit.recent_year year check "VALUE >= 2000";

    /// Where to write.
    type address as (
        /// First line.
        street text,
        city text collate "C",
        zip us_postal_code,
    );

    type floatrange as range (subtype = double precision, subtype_diff = float8mi);
    type audit.textrange as range (subtype = text, collation = "C", multirange_type_name = texts);

    table films {
        id "bıgınt" primary key,
        released year,
        remastered audit.recent_year[],
        home address,
        temperatures floatrange,
        names audit.texts,
    }
}

fn main() {
    let year = SCHEMA
        .domain(&pgdecl::QualifiedName::public("year"))
        .unwrap();
    let names: Vec<&str> = year.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["year_check", "year_check1"]);
    assert_eq!(year.comment.as_deref(), Some("A year, as MySQL has it."));
    let zip = SCHEMA
        .domain(&pgdecl::QualifiedName::public("us_postal_code"))
        .unwrap();
    assert!(zip.not_null);
    assert_eq!(zip.collation.as_deref(), Some("C"));
    let names: Vec<&str> = zip.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["us_postal_code_format", "us_postal_code_length"]);
    assert_eq!(SCHEMA.domains[3].checks[0].name, "recent_year_check");
    let address = &SCHEMA.composites[0];
    assert_eq!(address.attributes[0].comment.as_deref(), Some("First line."));
    let text = &SCHEMA.ranges[1];
    assert_eq!(
        text.multirange_type_name,
        Some(pgdecl::QualifiedName::new("audit", "texts"))
    );
    assert_eq!(SCHEMA.ranges[0].subtype_diff.as_deref(), Some("float8mi"));
    assert!(SCHEMA.create_sql().contains("CREATE DOMAIN public.year AS integer"));
}
