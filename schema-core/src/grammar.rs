//! Facts about the `schema!` grammar that both the macro (which parses it) and the runtime's
//! source printer (which writes it, for `pgdecl inspect`) must agree on.

/// Words that start a table element other than a column. A column with one of these names
/// must be written as a string literal (`"check" boolean`), or it would parse as that element.
pub const TABLE_ELEMENT_KEYWORDS: &[&str] = &[
    "primary",
    "unique",
    "foreign",
    "check",
    "constraint",
    "index",
    "exclude",
];
