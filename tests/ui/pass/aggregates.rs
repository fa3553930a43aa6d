pgdecl::schema! {
    schema reports;
    function _concat(a text, b text) returns text language sql immutable
        as "SELECT CASE WHEN a IS NULL THEN b ELSE a || ', ' || b END";
    function _bracket(a text) returns text language sql immutable as "SELECT '[' || a || ']'";
    /// Comma-separated.
    aggregate group_concat(text) (sfunc = _concat, stype = text);
    aggregate reports.bracketed(text) (sfunc = _concat, stype = text, finalfunc = _bracket, initcond = "");
    aggregate collect(anycompatible) (sfunc = array_append, stype = anycompatiblearray, initcond = "{}");
}

fn main() {
    let a = &SCHEMA.aggregates;
    assert_eq!(a[0].comment.as_deref(), Some("Comma-separated."));
    assert_eq!(a[0].sfunc, pgdecl::QualifiedName::public("_concat"));
    assert_eq!(a[1].name, pgdecl::QualifiedName::new("reports", "bracketed"));
    assert_eq!(a[1].finalfunc, Some(pgdecl::QualifiedName::public("_bracket")));
    assert_eq!(a[1].initcond.as_deref(), Some(""));
    // A function the schema does not declare is a built-in.
    assert_eq!(a[2].sfunc, pgdecl::QualifiedName::new("pg_catalog", "array_append"));
    assert!(pgdecl::check(&SCHEMA).is_empty(), "{:?}", pgdecl::check(&SCHEMA));
}
