//! `ConstraintDef` and `References`: a table constraint as declared, unnamed until lowering
//! derives PostgreSQL's name for it.

use crate::model::{
    ConstraintKind, ExclusionElement, FkAction, IndexElement, IndexMethod, IndexTarget,
    QualifiedName,
};

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
    /// Declared `NOT VALID`: added without checking existing rows, never validated.
    pub(crate) not_valid: bool,
}

impl ConstraintDef {
    fn new(kind: ConstraintKind) -> Self {
        ConstraintDef {
            name: None,
            kind,
            deferrable: false,
            initially_deferred: false,
            comment: None,
            not_valid: false,
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

    /// `EXCLUDE USING method (element WITH operator, ...)`; named `<table>_<columns>_excl`.
    pub fn exclude(
        method: IndexMethod,
        elements: impl IntoIterator<Item = ExclusionElement>,
    ) -> Self {
        Self::new(ConstraintKind::Exclusion {
            method,
            elements: elements.into_iter().collect(),
            include: Vec::new(),
            predicate: None,
        })
    }

    /// `WHERE predicate` (exclusion constraints): only rows matching it are constrained.
    pub fn where_sql(mut self, predicate: impl Into<String>) -> Self {
        match &mut self.kind {
            ConstraintKind::Exclusion { predicate: p, .. } => *p = Some(predicate.into()),
            _ => panic!("WHERE is only for exclusion constraints"),
        }
        self
    }

    /// `NOT VALID` (checks and foreign keys): added without checking the rows already there,
    /// and kept so: pgdecl never validates it.
    pub fn not_valid(mut self) -> Self {
        match self.kind {
            ConstraintKind::Check { .. } | ConstraintKind::ForeignKey { .. } => {
                self.not_valid = true;
            }
            _ => panic!("NOT VALID is only for check and foreign key constraints"),
        }
        self
    }

    /// `CONSTRAINT name`.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `INCLUDE (columns)` (primary key and unique).
    pub fn include<C: Into<String>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        match &mut self.kind {
            ConstraintKind::PrimaryKey { include, .. }
            | ConstraintKind::Unique { include, .. }
            | ConstraintKind::Exclusion { include, .. } => {
                *include = strings(columns);
            }
            _ => panic!("INCLUDE is only for primary key, unique and exclusion constraints"),
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

    /// Primary keys, unique and exclusion constraints create an index, so their name is a
    /// relation name too.
    pub(crate) fn is_index_backed(&self) -> bool {
        self.kind.is_index_backed()
    }

    /// Makes a column constraint the table constraint on `column`.
    pub(crate) fn set_column(&mut self, column: &str) {
        match &mut self.kind {
            ConstraintKind::PrimaryKey { columns, .. }
            | ConstraintKind::Unique { columns, .. }
            | ConstraintKind::ForeignKey { columns, .. } => *columns = vec![column.to_string()],
            ConstraintKind::Check { .. } | ConstraintKind::Exclusion { .. } => {}
        }
    }
}

impl ExclusionElement {
    /// `column WITH operator`.
    pub fn column(column: impl Into<String>, operator: impl Into<String>) -> Self {
        ExclusionElement {
            element: IndexElement {
                target: IndexTarget::Column(column.into()),
                collation: None,
                opclass: None,
                descending: false,
                nulls_first: None,
            },
            operator: operator.into(),
        }
    }

    /// `(expression) WITH operator`.
    pub fn expression(sql: impl Into<String>, operator: impl Into<String>) -> Self {
        let mut e = ExclusionElement::column(String::new(), operator);
        e.element.target = IndexTarget::Expression(sql.into());
        e
    }

    /// The element's operator class, e.g. `gist_int4_ops`.
    pub fn opclass(mut self, opclass: impl Into<String>) -> Self {
        self.element.opclass = Some(opclass.into());
        self
    }
}
