//! Table constraints: primary keys, unique keys, foreign keys, checks and exclusion
//! constraints.

use serde::{Deserialize, Serialize};

use super::{IndexElement, IndexMethod, QualifiedName};

/// A table constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    /// Constraint name, declared or derived the way PostgreSQL derives it.
    pub name: String,
    /// What it constrains.
    pub kind: ConstraintKind,
    /// `DEFERRABLE` (not for checks).
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub initially_deferred: bool,
    /// `COMMENT ON CONSTRAINT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Existing rows have been checked: `pg_constraint.convalidated` as introspection reads
    /// it. False for a check or foreign key added `NOT VALID` and not yet validated; the diff
    /// then plans `VALIDATE CONSTRAINT`. On the declared side, false means declared `not
    /// valid`: the constraint is added `NOT VALID` and pgdecl never validates it (a live
    /// constraint that is validated already stays so). Left out of the serialized model when
    /// true.
    #[serde(
        default = "super::index::valid_by_default",
        skip_serializing_if = "super::index::is_valid"
    )]
    pub validated: bool,
}

/// The kinds of table constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConstraintKind {
    /// `PRIMARY KEY (columns) [INCLUDE (include)]`.
    PrimaryKey {
        /// Key columns.
        columns: Vec<String>,
        /// Non-key columns stored in the index.
        include: Vec<String>,
    },
    /// `UNIQUE [NULLS NOT DISTINCT] (columns) [INCLUDE (include)]`.
    Unique {
        /// Key columns.
        columns: Vec<String>,
        /// Non-key columns stored in the index.
        include: Vec<String>,
        /// `NULLS NOT DISTINCT` (PostgreSQL 15+).
        nulls_not_distinct: bool,
    },
    /// `FOREIGN KEY (columns) REFERENCES table (ref_columns) ...`.
    ForeignKey {
        /// Referencing columns.
        columns: Vec<String>,
        /// Referenced table.
        ref_table: QualifiedName,
        /// Referenced columns (the target's primary key when declared without).
        ref_columns: Vec<String>,
        /// `ON DELETE`.
        on_delete: FkAction,
        /// `ON UPDATE`.
        on_update: FkAction,
    },
    /// `CHECK (expr)`.
    Check {
        /// The condition, as SQL text.
        expr: String,
    },
    /// `EXCLUDE [USING method] (element WITH operator, ...) [INCLUDE (include)] [WHERE
    /// (predicate)]`: no two rows whose elements all compare true under their operators.
    Exclusion {
        /// The index method that enforces it (`gist` for ranges; `btree_gist` lets it take
        /// scalar columns too).
        method: IndexMethod,
        /// Each element with its operator.
        elements: Vec<ExclusionElement>,
        /// Non-key columns stored in the index.
        include: Vec<String>,
        /// `WHERE predicate`: only rows matching it are constrained, as SQL text.
        predicate: Option<String>,
    },
}

/// One element of an exclusion constraint: `element WITH operator`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionElement {
    /// The column or expression, with its operator class and order like an index key.
    pub element: IndexElement,
    /// The operator rows must not all satisfy, as SQL writes it: `=`, `&&`, or
    /// `OPERATOR(schema.op)` for one not on the search path.
    pub operator: String,
}

impl ConstraintKind {
    /// The SQL keyword(s) naming this kind, for messages.
    pub fn label(&self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey { .. } => "primary key",
            ConstraintKind::Unique { .. } => "unique",
            ConstraintKind::ForeignKey { .. } => "foreign key",
            ConstraintKind::Check { .. } => "check",
            ConstraintKind::Exclusion { .. } => "exclusion",
        }
    }

    /// The table columns the constraint lists by name (empty for checks and exclusion
    /// constraints, whose elements may be expressions: see [`ExclusionElement`]).
    pub fn columns(&self) -> &[String] {
        match self {
            ConstraintKind::PrimaryKey { columns, .. }
            | ConstraintKind::Unique { columns, .. }
            | ConstraintKind::ForeignKey { columns, .. } => columns,
            ConstraintKind::Check { .. } | ConstraintKind::Exclusion { .. } => &[],
        }
    }

    /// True for the kinds PostgreSQL enforces with an index of the constraint's name, which
    /// therefore is a relation name too.
    pub fn is_index_backed(&self) -> bool {
        matches!(
            self,
            ConstraintKind::PrimaryKey { .. }
                | ConstraintKind::Unique { .. }
                | ConstraintKind::Exclusion { .. }
        )
    }
}

/// Referential action of a foreign key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FkAction {
    /// `NO ACTION` (the default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl FkAction {
    /// The SQL words.
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}
