//! How diagnostics word things: object names as the user wrote them, function signatures,
//! column lists, "did you mean" help, and the missing-column diagnostics several rules share.

use sqlparser::ast::Expr;

use super::{Diagnostic, Location, Rule};
use crate::expr;
use crate::ident;
use crate::model::{ArgMode, Function, QualifiedName, Table, DEFAULT_SCHEMA};
use crate::suggest;
use crate::types::DataType;

/// `name` or `schema.name` outside `public`, for messages.
pub(crate) fn qualified(name: &QualifiedName) -> String {
    if name.schema == DEFAULT_SCHEMA {
        name.name.clone()
    } else {
        format!("{}.{}", name.schema, name.name)
    }
}

/// What a [`Function`] is called in messages: `function` or `procedure`.
pub(crate) fn routine_kind(f: &Function) -> &'static str {
    if f.is_procedure {
        "procedure"
    } else {
        "function"
    }
}

/// `name(type, ...)` over the input arguments: what PostgreSQL identifies a function by.
pub(crate) fn signature(f: &Function) -> String {
    let args: Vec<String> = input_types(f).map(|t| t.to_string()).collect();
    format!("{}({})", qualified(&f.name), args.join(", "))
}

/// The types that make up a function's identity: those of `in`, `inout` and `variadic`
/// arguments, without modifiers (PostgreSQL ignores `varchar(10)` vs `varchar` there).
pub(crate) fn input_types(f: &Function) -> impl Iterator<Item = DataType> + '_ {
    f.args
        .iter()
        .filter(|a| a.mode != ArgMode::Out)
        .map(|a| DataType {
            modifiers: Vec::new(),
            ..a.data_type.clone()
        })
}

/// The closest of `candidates` to `name`, as a help line.
pub(crate) fn did_you_mean<'b>(
    name: &str,
    candidates: impl IntoIterator<Item = &'b str>,
) -> Option<String> {
    suggest::closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The columns of `table` as a list for help lines.
pub(crate) fn column_list(table: &Table) -> String {
    if table.columns.is_empty() {
        return "(none)".to_string();
    }
    table
        .columns
        .iter()
        .map(|c| format!("`{}`", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A missing column, with a "did you mean" over the table's columns.
pub(crate) fn column_missing(
    table: &Table,
    name: &str,
    what: &str,
    location: Location,
) -> Diagnostic {
    let help =
        did_you_mean(name, table.columns.iter().map(|c| c.name.as_str())).unwrap_or_else(|| {
            format!(
                "the columns of `{}` are: {}",
                qualified(&table.name),
                column_list(table)
            )
        });
    Diagnostic::new(
        Rule::ColumnMissing,
        location,
        format!(
            "{what} names column `{name}`, which table `{}` does not have",
            qualified(&table.name)
        ),
    )
    .help(help)
}

/// The referenced names of `expr` that are not columns of `table` (nor in `ignore`).
pub(crate) fn missing_references(table: &Table, expr: &Expr, ignore: &[&str]) -> Vec<String> {
    expr::referenced_columns(expr)
        .into_iter()
        .filter(|name| table.column(name).is_none() && !ignore.contains(&name.as_str()))
        .collect()
}

/// A name in an expression that is not a column, with a hint when only its case differs.
pub(crate) fn expression_column_missing(
    table: &Table,
    name: &str,
    what: &str,
    location: Location,
) -> Diagnostic {
    // Unquoted SQL names fold to lower case: `Email` in SQL means `email`.
    let help = match table
        .columns
        .iter()
        .find(|c| c.name != name && c.name.to_lowercase() == name.to_lowercase())
    {
        Some(c) => format!(
            "SQL folds unquoted names to lower case; to mean column `{}`, quote it: `{}`",
            c.name,
            ident::quote_ident(&c.name)
        ),
        None => {
            did_you_mean(name, table.columns.iter().map(|c| c.name.as_str())).unwrap_or_else(|| {
                format!(
                    "the columns of `{}` are: {}",
                    qualified(&table.name),
                    column_list(table)
                )
            })
        }
    };
    Diagnostic::new(
        Rule::ExpressionColumnMissing,
        location,
        format!(
            "{what} refers to column `{name}`, which table `{}` does not have",
            qualified(&table.name)
        ),
    )
    .help(help)
}
