//! Identifiers: quoting exactly where PostgreSQL needs it, string literals, and the 63-byte limit.
//!
//! Everything that puts a name or a value into SQL text goes through here, so a hostile name
//! (quotes, semicolons, unicode, reserved words, mixed case) can never inject SQL.

use std::borrow::Cow;

/// PostgreSQL's `NAMEDATALEN - 1`: identifiers longer than this many bytes are truncated.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// Keywords that cannot be used as a bare identifier everywhere: PostgreSQL's reserved,
/// `type_func_name` and `col_name` keywords (its `quote_ident` quotes exactly these).
const NEEDS_QUOTES: &[&str] = &[
    // reserved
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "current_catalog",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "grant",
    "group",
    "having",
    "in",
    "initially",
    "intersect",
    "into",
    "lateral",
    "leading",
    "limit",
    "localtime",
    "localtimestamp",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "placing",
    "primary",
    "references",
    "returning",
    "select",
    "session_user",
    "some",
    "symmetric",
    "system_user",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "when",
    "where",
    "window",
    "with",
    // type_func_name
    "authorization",
    "binary",
    "collation",
    "concurrently",
    "cross",
    "current_schema",
    "freeze",
    "full",
    "ilike",
    "inner",
    "is",
    "isnull",
    "join",
    "left",
    "like",
    "natural",
    "notnull",
    "outer",
    "overlaps",
    "right",
    "similar",
    "tablesample",
    "verbose",
    // col_name
    "between",
    "bigint",
    "bit",
    "boolean",
    "char",
    "character",
    "coalesce",
    "dec",
    "decimal",
    "exists",
    "extract",
    "float",
    "greatest",
    "grouping",
    "inout",
    "int",
    "integer",
    "interval",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "least",
    "merge_action",
    "national",
    "nchar",
    "none",
    "normalize",
    "numeric",
    "out",
    "overlay",
    "position",
    "precision",
    "real",
    "row",
    "setof",
    "smallint",
    "substring",
    "time",
    "timestamp",
    "treat",
    "trim",
    "values",
    "varchar",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// True if `name` must be double-quoted to mean itself in SQL.
pub fn needs_quotes(name: &str) -> bool {
    let mut chars = name.chars();
    let starts_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    !(starts_ok
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !NEEDS_QUOTES.contains(&name))
}

/// `name` as an SQL identifier: bare where that means the same, else double-quoted with
/// embedded quotes doubled (PostgreSQL's `quote_ident`).
pub fn quote_ident(name: &str) -> Cow<'_, str> {
    if needs_quotes(name) {
        Cow::Owned(format!("\"{}\"", name.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(name)
    }
}

/// `schema.name`, each part quoted as needed.
pub fn quote_qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

/// `value` as an SQL string literal: `'...'` with quotes doubled, or `E'...'` when it holds a
/// backslash, so that the text means itself whatever `standard_conforming_strings` is.
pub fn quote_literal(value: &str) -> String {
    let body = value.replace('\'', "''");
    if value.contains('\\') {
        format!("E'{}'", body.replace('\\', "\\\\"))
    } else {
        format!("'{body}'")
    }
}

/// A dollar-quoted string for `body` whose tag does not occur in it (`$$`, then `$pgdecl$`,
/// `$pgdecl1$`, ...), so any function body can be embedded verbatim.
pub fn dollar_quote(body: &str) -> String {
    let mut tag = String::new();
    let mut n = 0;
    while body.contains(&format!("${tag}$")) || body.ends_with('$') && tag.is_empty() {
        tag = if n == 0 {
            "pgdecl".to_string()
        } else {
            format!("pgdecl{n}")
        };
        n += 1;
    }
    format!("${tag}${body}${tag}$")
}

/// True if PostgreSQL would silently truncate `name` (over 63 bytes).
pub fn too_long(name: &str) -> bool {
    name.len() > MAX_IDENTIFIER_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_where_needed() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("Users"), "\"Users\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("x; drop table y"), "\"x; drop table y\"");
        assert_eq!(quote_ident("1abc"), "\"1abc\"");
        assert_eq!(quote_ident("café"), "\"café\"");
        assert_eq!(quote_ident("name"), "name");
    }

    #[test]
    fn literals_and_dollar_quotes() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b"), "E'a\\\\b'");
        assert_eq!(dollar_quote("select 1"), "$$select 1$$");
        assert_eq!(
            dollar_quote("begin execute $$x$$; end"),
            "$pgdecl$begin execute $$x$$; end$pgdecl$"
        );
        assert_eq!(dollar_quote("a$"), "$pgdecl$a$$pgdecl$");
    }
}
