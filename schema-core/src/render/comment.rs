//! Comments: `COMMENT ON` targets and statements, and the comments of a table and its parts.

use std::fmt::{self, Display, Formatter};

use crate::ident::quote_qualified;

use super::display::*;
use super::*;

/// What `COMMENT ON` targets.
#[derive(Debug, Clone, PartialEq)]
pub enum CommentTarget {
    /// `EXTENSION name`.
    Extension(String),
    /// `SCHEMA name`.
    Schema(String),
    /// `TYPE name`.
    Type(QualifiedName),
    /// `DOMAIN name`.
    Domain(QualifiedName),
    /// `SEQUENCE name`.
    Sequence(QualifiedName),
    /// `FUNCTION name(args)` / `PROCEDURE name(args)`.
    Function(Box<Function>),
    /// `AGGREGATE name(args)`.
    Aggregate(Box<Aggregate>),
    /// `TABLE name`.
    Table(QualifiedName),
    /// `COLUMN table.column`.
    Column(QualifiedName, String),
    /// `CONSTRAINT name ON table`.
    Constraint(QualifiedName, String),
    /// `INDEX schema.name` (indexes live in their table's schema).
    Index(QualifiedName, String),
    /// `VIEW name`.
    View(QualifiedName),
    /// `MATERIALIZED VIEW name`.
    MaterializedView(QualifiedName),
    /// `TRIGGER name ON table`.
    Trigger(QualifiedName, String),
    /// `POLICY name ON table`.
    Policy(QualifiedName, String),
}

impl Display for CommentTarget {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            CommentTarget::Extension(name) => write!(f, "EXTENSION {}", Ident(name)),
            CommentTarget::Schema(name) => write!(f, "SCHEMA {}", Ident(name)),
            CommentTarget::Type(name) => write!(f, "TYPE {name}"),
            CommentTarget::Domain(name) => write!(f, "DOMAIN {name}"),
            CommentTarget::Sequence(name) => write!(f, "SEQUENCE {name}"),
            CommentTarget::Function(func) => {
                write!(f, "{} {}", func.keyword(), FunctionSignature(func))
            }
            CommentTarget::Aggregate(agg) => write!(f, "AGGREGATE {}", AggregateSignature(agg)),
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
            CommentTarget::MaterializedView(name) => write!(f, "MATERIALIZED VIEW {name}"),
            CommentTarget::Trigger(table, name) => {
                write!(f, "TRIGGER {} ON {table}", Ident(name))
            }
            CommentTarget::Policy(table, name) => {
                write!(f, "POLICY {} ON {table}", Ident(name))
            }
        }
    }
}

pub(super) fn write_comment(
    f: &mut Formatter<'_>,
    target: &CommentTarget,
    text: &Option<String>,
) -> fmt::Result {
    write!(f, "COMMENT ON {target} IS ")?;
    match text {
        Some(text) => write!(f, "{};", Literal(text)),
        None => f.write_str("NULL;"),
    }
}

pub(super) fn table_comments(table: &Table, out: &mut Vec<Statement>) {
    let name = &table.name;
    if let Some(text) = &table.comment {
        out.push(Statement::Comment {
            target: CommentTarget::Table(name.clone()),
            text: Some(text.clone()),
        });
    }
    for column in &table.columns {
        if let Some(text) = &column.comment {
            out.push(Statement::Comment {
                target: CommentTarget::Column(name.clone(), column.name.clone()),
                text: Some(text.clone()),
            });
        }
    }
    for constraint in &table.constraints {
        if let Some(text) = &constraint.comment {
            out.push(Statement::Comment {
                target: CommentTarget::Constraint(name.clone(), constraint.name.clone()),
                text: Some(text.clone()),
            });
        }
    }
    for index in &table.indexes {
        if let Some(text) = &index.comment {
            out.push(Statement::Comment {
                target: CommentTarget::Index(name.clone(), index.name.clone()),
                text: Some(text.clone()),
            });
        }
    }
}

/// Comment statements for a table and everything in it, for the diff (a created table's
/// comments follow it).
pub fn comments_of_table(table: &Table) -> Vec<Statement> {
    let mut out = Vec::new();
    table_comments(table, &mut out);
    out
}

impl CommentTarget {
    /// `VIEW name` or `MATERIALIZED VIEW name`, as `view` is.
    pub fn view(view: &View) -> CommentTarget {
        if view.materialized {
            CommentTarget::MaterializedView(view.name.clone())
        } else {
            CommentTarget::View(view.name.clone())
        }
    }
}
