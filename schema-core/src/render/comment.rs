//! Comments: `COMMENT ON` targets and statements, and the comments of a table and its parts.

use std::fmt::{self, Display, Formatter};

use crate::ident::quote_qualified;

use super::display::*;
use super::*;

/// What `COMMENT ON` targets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CommentTarget<'a> {
    /// `EXTENSION name`.
    Extension(&'a str),
    /// `SCHEMA name`.
    Schema(&'a str),
    /// `TYPE name`.
    Type(&'a QualifiedName),
    /// `SEQUENCE name`.
    Sequence(&'a QualifiedName),
    /// `FUNCTION name(args)` / `PROCEDURE name(args)`.
    Function(&'a Function),
    /// `TABLE name`.
    Table(&'a QualifiedName),
    /// `COLUMN table.column`.
    Column(&'a QualifiedName, &'a str),
    /// `CONSTRAINT name ON table`.
    Constraint(&'a QualifiedName, &'a str),
    /// `INDEX schema.name` (indexes live in their table's schema).
    Index(&'a QualifiedName, &'a str),
    /// `VIEW name`.
    View(&'a QualifiedName),
    /// `TRIGGER name ON table`.
    Trigger(&'a QualifiedName, &'a str),
}

impl Display for CommentTarget<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            CommentTarget::Extension(name) => write!(f, "EXTENSION {}", Ident(name)),
            CommentTarget::Schema(name) => write!(f, "SCHEMA {}", Ident(name)),
            CommentTarget::Type(name) => write!(f, "TYPE {name}"),
            CommentTarget::Sequence(name) => write!(f, "SEQUENCE {name}"),
            CommentTarget::Function(func) => {
                write!(f, "{} {}", func.keyword(), FunctionSignature(func))
            }
            CommentTarget::Table(name) => write!(f, "TABLE {name}"),
            CommentTarget::Column(table, column) => {
                write!(f, "COLUMN {table}.{}", Ident(column))
            }
            CommentTarget::Constraint(table, name) => {
                write!(f, "CONSTRAINT {} ON {table}", Ident(name))
            }
            CommentTarget::Index(table, name) => {
                write!(f, "INDEX {}", quote_qualified(&table.schema, name))
            }
            CommentTarget::View(name) => write!(f, "VIEW {name}"),
            CommentTarget::Trigger(table, name) => {
                write!(f, "TRIGGER {} ON {table}", Ident(name))
            }
        }
    }
}

pub(super) fn write_comment(
    f: &mut Formatter<'_>,
    target: &CommentTarget<'_>,
    text: &Option<&str>,
) -> fmt::Result {
    write!(f, "COMMENT ON {target} IS ")?;
    match text {
        Some(text) => write!(f, "{};", Literal(text)),
        None => f.write_str("NULL;"),
    }
}

pub(super) fn table_comments<'a>(table: &'a Table, out: &mut Vec<Statement<'a>>) {
    let name = &table.name;
    if let Some(text) = &table.comment {
        out.push(Statement::Comment {
            target: CommentTarget::Table(name),
            text: Some(text),
        });
    }
    for column in &table.columns {
        if let Some(text) = &column.comment {
            out.push(Statement::Comment {
                target: CommentTarget::Column(name, &column.name),
                text: Some(text),
            });
        }
    }
    for constraint in &table.constraints {
        if let Some(text) = &constraint.comment {
            out.push(Statement::Comment {
                target: CommentTarget::Constraint(name, &constraint.name),
                text: Some(text),
            });
        }
    }
    for index in &table.indexes {
        if let Some(text) = &index.comment {
            out.push(Statement::Comment {
                target: CommentTarget::Index(name, &index.name),
                text: Some(text),
            });
        }
    }
}

/// Comment statements for a table and everything in it, for the diff (a created table's
/// comments follow it).
pub fn comments_of_table(table: &Table) -> Vec<Statement<'_>> {
    let mut out = Vec::new();
    table_comments(table, &mut out);
    out
}
