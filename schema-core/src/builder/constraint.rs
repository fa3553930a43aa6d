//! `ConstraintDef` and `References`: a table constraint as declared, unnamed until lowering
//! derives PostgreSQL's name for it.

use crate::model::{ConstraintKind, FkAction, QualifiedName};

use super::strings;

/// The target of a foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct References {
    pub(crate) table: QualifiedName,
    pub(crate) columns: Vec<String>,
    pub(crate) on_delete: FkAction,
    pub(crate) on_update: FkAction,
}

impl References {
    /// `REFERENCES table`: its primary key, unless [`References::columns`] says otherwise.
    pub fn table(table: impl Into<QualifiedName>) -> Self {
        References {
            table: table.into(),
            columns: Vec::new(),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
        }
    }

    /// `(columns)`: the referenced columns.
    pub fn columns<C: Into<String>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.columns = columns.into_iter().map(Into::into).collect();
        self
    }

    /// `(column)`: one referenced column.
    pub fn column(self, column: impl Into<String>) -> Self {
        self.columns([column])
    }

    /// `ON DELETE action`.
    pub fn on_delete(mut self, action: FkAction) -> Self {
        self.on_delete = action;
        self
    }

    /// `ON UPDATE action`.
    pub fn on_update(mut self, action: FkAction) -> Self {
        self.on_update = action;
        self
    }
}

impl From<&str> for References {
    /// `"orgs"` references `public.orgs`'s primary key.
    fn from(table: &str) -> Self {
        References::table(table)
    }
}

impl From<QualifiedName> for References {
    fn from(table: QualifiedName) -> Self {
        References::table(table)
    }
}

/// A table constraint under construction: unnamed unless [`ConstraintDef::named`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintDef {
    /// The declared name; lowering derives one when `None`.
    pub(crate) name: Option<String>,
    pub(crate) kind: ConstraintKind,
    pub(crate) deferrable: bool,
    pub(crate) initially_deferred: bool,
    pub(crate) comment: Option<String>,
}

impl ConstraintDef {
    fn new(kind: ConstraintKind) -> Self {
        ConstraintDef {
            name: None,
            kind,
            deferrable: false,
            initially_deferred: false,
            comment: None,
        }
    }

    /// `PRIMARY KEY (columns)`; named `<table>_pkey`.
    pub fn primary_key<C: Into<String>>(columns: impl IntoIterator<Item = C>) -> Self {
        Self::new(ConstraintKind::PrimaryKey {
            columns: strings(columns),
            include: Vec::new(),
        })
    }

    /// `UNIQUE (columns)`; named `<table>_<columns>_key`.
    pub fn unique<C: Into<String>>(columns: impl IntoIterator<Item = C>) -> Self {
        Self::new(ConstraintKind::Unique {
            columns: strings(columns),
            include: Vec::new(),
            nulls_not_distinct: false,
        })
    }

    /// `CHECK (expr)`; named `<table>_<column>_check` or `<table>_check`.
    pub fn check(expr: impl Into<String>) -> Self {
        Self::new(ConstraintKind::Check { expr: expr.into() })
    }

    /// `FOREIGN KEY (columns) REFERENCES ...`; named `<table>_<columns>_fkey`.
    pub fn foreign_key<C: Into<String>>(
        columns: impl IntoIterator<Item = C>,
        references: impl Into<References>,
    ) -> Self {
        let r = references.into();
        Self::new(ConstraintKind::ForeignKey {
            columns: strings(columns),
            ref_table: r.table,
            ref_columns: r.columns,
            on_delete: r.on_delete,
            on_update: r.on_update,
        })
    }

    /// `CONSTRAINT name`.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `INCLUDE (columns)` (primary key and unique).
    pub fn include<C: Into<String>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        match &mut self.kind {
            ConstraintKind::PrimaryKey { include, .. } | ConstraintKind::Unique { include, .. } => {
                *include = strings(columns);
            }
            _ => panic!("INCLUDE is only for primary key and unique constraints"),
        }
        self
    }

    /// `NULLS NOT DISTINCT` (unique; PostgreSQL 15+).
    pub fn nulls_not_distinct(mut self) -> Self {
        match &mut self.kind {
            ConstraintKind::Unique {
                nulls_not_distinct, ..
            } => *nulls_not_distinct = true,
            _ => panic!("NULLS NOT DISTINCT is only for unique constraints"),
        }
        self
    }

    /// `DEFERRABLE`.
    pub fn deferrable(mut self) -> Self {
        self.deferrable = true;
        self
    }

    /// `DEFERRABLE INITIALLY DEFERRED`.
    pub fn initially_deferred(mut self) -> Self {
        self.deferrable = true;
        self.initially_deferred = true;
        self
    }

    /// `COMMENT ON CONSTRAINT`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }

    /// Primary keys and unique constraints create an index, so their name is a relation
    /// name too.
    pub(crate) fn is_index_backed(&self) -> bool {
        matches!(
            self.kind,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
        )
    }

    /// Makes a column constraint the table constraint on `column`.
    pub(crate) fn set_column(&mut self, column: &str) {
        match &mut self.kind {
            ConstraintKind::PrimaryKey { columns, .. }
            | ConstraintKind::Unique { columns, .. }
            | ConstraintKind::ForeignKey { columns, .. } => *columns = vec![column.to_string()],
            ConstraintKind::Check { .. } => {}
        }
    }
}
