//! `TableDef`: a table's columns, constraints and indexes in declaration order, the form
//! lowering reads to derive names and lift column constraints.

use crate::model::{
    ConstraintKind, PartitionBound, PartitionKey, PartitionOf, QualifiedName, StorageParameter,
    Table,
};

use super::{ColumnDef, ConstraintDef, IndexDef, References};

/// A table under construction: its columns, and its constraints and indexes in declaration
/// order with names still to derive.
#[derive(Debug, Clone)]
pub struct TableDef {
    /// The table without constraints and indexes, which lowering adds once named.
    pub(crate) table: Table,
    /// Constraints and indexes in declaration order, which the model keeps and which orders
    /// name derivation within each kind.
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
                partition_by: None,
                partition_of: None,
                unlogged: false,
                storage: Vec::new(),
            },
            elements: Vec::new(),
        }
    }

    /// `UNLOGGED`: not written to the WAL (faster writes; emptied after a crash, not
    /// replicated).
    pub fn unlogged(mut self) -> Self {
        self.table.unlogged = true;
        self
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

    /// `WITH (name = value)`: a storage parameter (`fillfactor`, `autovacuum_vacuum_scale_factor`,
    /// `toast.autovacuum_enabled`, ...).
    pub fn storage(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.table.storage.push(StorageParameter::new(name, value));
        self
    }

    /// `PARTITION BY ...`: the table is partitioned by `key` (see [`PartitionKey::range`],
    /// [`PartitionKey::list`], [`PartitionKey::hash`]); its rows live in its partitions.
    pub fn partition_by(mut self, key: PartitionKey) -> Self {
        self.table.partition_by = Some(key);
        self
    }

    /// `PARTITION OF parent FOR VALUES ...`: the table is a partition of `parent` holding the
    /// rows `bound` selects. Its columns are the parent's: lowering copies them (columns added
    /// to this `TableDef` are replaced), so declare only its own constraints and indexes.
    pub fn partition_of(mut self, parent: impl Into<QualifiedName>, bound: PartitionBound) -> Self {
        self.table.partition_of = Some(PartitionOf {
            parent: parent.into(),
            bound,
        });
        self
    }

    /// The table used to be called `old` (same schema): the diff renames it.
    pub fn renamed_from(mut self, old: impl Into<String>) -> Self {
        self.table.renamed_from = Some(old.into());
        self
    }

    /// Why PostgreSQL makes the `index`th column `NOT NULL` whatever is declared, if it
    /// does: lowering sets `not_null` on exactly these columns, and the macro reports a
    /// declared `null` on one of them.
    pub fn implied_not_null(&self, index: usize) -> Option<ImpliedNotNull> {
        let column = self.table.columns.get(index)?;
        let in_primary_key = self.elements.iter().any(|element| {
            matches!(
                element,
                Element::Constraint(ConstraintDef {
                    kind: ConstraintKind::PrimaryKey { columns, .. },
                    ..
                }) if columns.contains(&column.name)
            )
        });
        if in_primary_key {
            Some(ImpliedNotNull::PrimaryKey)
        } else if column.identity.is_some() {
            Some(ImpliedNotNull::Identity)
        } else if column.data_type.serial_base().is_some() {
            Some(ImpliedNotNull::Serial)
        } else {
            None
        }
    }
}

/// Why a column is `NOT NULL` without being declared so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImpliedNotNull {
    /// It is part of a primary key.
    PrimaryKey,
    /// It is an identity column.
    Identity,
    /// Its type is `smallserial`, `serial` or `bigserial`.
    Serial,
}

impl ImpliedNotNull {
    /// The reason as a clause: "column `id` is part of the primary key".
    pub fn describe(self) -> &'static str {
        match self {
            ImpliedNotNull::PrimaryKey => "is part of the primary key",
            ImpliedNotNull::Identity => "is an identity column",
            ImpliedNotNull::Serial => "is a serial column",
        }
    }
}
