//! Tables: the container of columns, constraints and indexes.

use serde::{Deserialize, Serialize};

use super::{Column, Constraint, ConstraintKind, Index, QualifiedName};

/// `CREATE TABLE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Table name.
    pub name: QualifiedName,
    /// Columns in physical order.
    pub columns: Vec<Column>,
    /// Table constraints; column constraints are desugared into these with PostgreSQL's names.
    pub constraints: Vec<Constraint>,
    /// Indexes (not those that back primary key or unique constraints).
    pub indexes: Vec<Index>,
    /// `COMMENT ON TABLE`.
    pub comment: Option<String>,
    /// A previous name: the diff renames instead of dropping and creating.
    pub renamed_from: Option<String>,
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The primary key constraint, if any.
    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .iter()
            .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
    }
}
