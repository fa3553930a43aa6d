//! `TableDef`: a table's columns, constraints and indexes in declaration order, the form
//! lowering reads to derive names and lift column constraints.

use crate::model::{QualifiedName, Table};

use super::{ColumnDef, ConstraintDef, IndexDef, References};

/// A table under construction: its columns, and its constraints and indexes in declaration
/// order with names still to derive.
#[derive(Debug, Clone)]
pub struct TableDef {
    /// The table without constraints and indexes, which lowering adds once named.
    pub(crate) table: Table,
    /// Constraints and indexes in declaration order: the order names are taken in.
    pub(crate) elements: Vec<Element>,
}

/// A table element whose name lowering may have to derive.
#[derive(Debug, Clone)]
pub(crate) enum Element {
    /// A table constraint, or a column constraint with its column filled in.
    Constraint(ConstraintDef),
    Index(IndexDef),
}

impl TableDef {
    /// A table named `name` (`"users"` is `public.users`, `"audit.events"` is `audit.events`;
    /// use [`QualifiedName::new`] for names that contain a dot).
    pub fn new(name: impl Into<QualifiedName>) -> Self {
        TableDef {
            table: Table {
                name: name.into(),
                columns: Vec::new(),
                constraints: Vec::new(),
                indexes: Vec::new(),
                comment: None,
                renamed_from: None,
            },
            elements: Vec::new(),
        }
    }

    /// Adds a column (with its column constraints).
    pub fn column(mut self, column: ColumnDef) -> Self {
        let ColumnDef {
            column,
            constraints,
            pending_name: _,
        } = column;
        for mut c in constraints {
            c.set_column(&column.name);
            self.elements.push(Element::Constraint(c));
        }
        self.table.columns.push(column);
        self
    }

    /// `PRIMARY KEY (columns)`.
    pub fn primary_key<C: Into<String>>(self, columns: impl IntoIterator<Item = C>) -> Self {
        self.constraint(ConstraintDef::primary_key(columns))
    }

    /// `UNIQUE (columns)`.
    pub fn unique<C: Into<String>>(self, columns: impl IntoIterator<Item = C>) -> Self {
        self.constraint(ConstraintDef::unique(columns))
    }

    /// `CHECK (expr)`, `expr` as SQL text.
    pub fn check(self, expr: impl Into<String>) -> Self {
        self.constraint(ConstraintDef::check(expr))
    }

    /// `FOREIGN KEY (columns) REFERENCES ...`.
    pub fn foreign_key<C: Into<String>>(
        self,
        columns: impl IntoIterator<Item = C>,
        references: impl Into<References>,
    ) -> Self {
        self.constraint(ConstraintDef::foreign_key(columns, references))
    }

    /// A table constraint given in full (name, `INCLUDE`, deferrability, comment).
    pub fn constraint(mut self, constraint: ConstraintDef) -> Self {
        self.elements.push(Element::Constraint(constraint));
        self
    }

    /// An index.
    pub fn index(mut self, index: IndexDef) -> Self {
        self.elements.push(Element::Index(index));
        self
    }

    /// `COMMENT ON TABLE`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.table.comment = Some(text.into());
        self
    }

    /// The table used to be called `old` (same schema): the diff renames it.
    pub fn renamed_from(mut self, old: impl Into<String>) -> Self {
        self.table.renamed_from = Some(old.into());
        self
    }
}
