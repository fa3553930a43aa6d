//! `ColumnDef`: a column and the constraints written on it, before lowering lifts them into
//! table constraints.

use crate::model::{builtin_storage, Column, ConstraintKind, Identity, Storage, StorageParameter};
use crate::types::DataType;

use super::{ConstraintDef, References};

/// A column under construction, with its column constraints.
#[derive(Debug, Clone)]
pub struct ColumnDef {
    pub(crate) column: Column,
    /// Column constraints in the order written; [`TableDef::column`](super::TableDef::column)
    /// lifts them to table constraints on this column.
    pub(crate) constraints: Vec<ConstraintDef>,
    /// The name from [`ColumnDef::constraint`], for the constraint added next.
    pub(crate) pending_name: Option<String>,
}

impl ColumnDef {
    /// A nullable column of type `data_type` without default. A serial type makes it
    /// `NOT NULL`, as PostgreSQL does.
    pub fn new(name: impl Into<String>, data_type: DataType) -> Self {
        let not_null = data_type.serial_base().is_some();
        ColumnDef {
            column: Column {
                name: name.into(),
                data_type,
                not_null,
                default: None,
                identity: None,
                generated: None,
                collation: None,
                comment: None,
                renamed_from: None,
                using: None,
                statistics: None,
                storage: None,
                compression: None,
                options: Vec::new(),
            },
            constraints: Vec::new(),
            pending_name: None,
        }
    }

    /// `NOT NULL`.
    pub fn not_null(mut self) -> Self {
        self.column.not_null = true;
        self
    }

    /// `NULL` (the default; for symmetry with the `schema!` grammar).
    pub fn null(mut self) -> Self {
        self.column.not_null = false;
        self
    }

    /// `DEFAULT expr`, `expr` as SQL text: `"now()"`, `"'member'"`, `"0"`.
    pub fn default_sql(mut self, expr: impl Into<String>) -> Self {
        self.column.default = Some(expr.into());
        self
    }

    /// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY`; makes the column `NOT NULL`.
    pub fn identity(mut self, identity: Identity) -> Self {
        self.column.identity = Some(identity);
        self.column.not_null = true;
        self
    }

    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub fn generated_stored(mut self, expr: impl Into<String>) -> Self {
        self.column.generated = Some(expr.into());
        self
    }

    /// `COLLATE "name"`.
    pub fn collate(mut self, collation: impl Into<String>) -> Self {
        self.column.collation = Some(collation.into());
        self
    }

    /// `COMMENT ON COLUMN`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.column.comment = Some(text.into());
        self
    }

    /// The column used to be called `old`: the diff renames it.
    pub fn renamed_from(mut self, old: impl Into<String>) -> Self {
        self.column.renamed_from = Some(old.into());
        self
    }

    /// How existing values convert when the live column has another type that no cast
    /// converts (`ALTER COLUMN ... TYPE ... USING expr`): an expression of the old value, e.g.
    /// `current_date + created_at` for `time` to `timestamp`. Used only while the types differ.
    pub fn using(mut self, expr: impl Into<String>) -> Self {
        self.column.using = Some(expr.into());
        self
    }

    /// `SET STATISTICS n`: the column's statistics target (`-1`, the server's default, is
    /// the same as not declaring one).
    pub fn statistics(mut self, target: i32) -> Self {
        self.column.statistics = (target != -1).then_some(target);
        self
    }

    /// `SET STORAGE kind`. The type's own default (for built-in types) is the same as
    /// declaring none.
    pub fn storage(mut self, storage: Storage) -> Self {
        self.column.storage =
            Some(storage).filter(|s| builtin_storage(&self.column.data_type) != Some(*s));
        self
    }

    /// `COMPRESSION method` (`pglz`, `lz4`), folded to lower case.
    pub fn compression(mut self, method: impl Into<String>) -> Self {
        self.column.compression = Some(method.into().to_lowercase());
        self
    }

    /// `SET (name = value)`: an attribute option (`n_distinct`, `n_distinct_inherited`);
    /// a later value for the same name replaces the earlier one.
    pub fn option(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let option = StorageParameter::new(name, value);
        self.column.options.retain(|o| o.name != option.name);
        self.column.options.push(option);
        self
    }

    /// `CONSTRAINT name`: names the column constraint added next (`primary_key`, `unique`,
    /// `check`, `references`), as in SQL. Without one following, it has no effect.
    pub fn constraint(mut self, name: impl Into<String>) -> Self {
        self.pending_name = Some(name.into());
        self
    }

    fn push(mut self, mut def: ConstraintDef) -> Self {
        if let Some(name) = self.pending_name.take() {
            def.name = Some(name);
        }
        self.constraints.push(def);
        self
    }

    /// `PRIMARY KEY`: the constraint `<table>_pkey` on this column; makes it `NOT NULL`.
    pub fn primary_key(mut self) -> Self {
        self.column.not_null = true;
        self.push(ConstraintDef::primary_key(Vec::<String>::new()))
    }

    /// `UNIQUE`: the constraint `<table>_<column>_key`.
    pub fn unique(self) -> Self {
        self.push(ConstraintDef::unique(Vec::<String>::new()))
    }

    /// `UNIQUE NULLS NOT DISTINCT` (PostgreSQL 15+).
    pub fn unique_nulls_not_distinct(self) -> Self {
        self.push(ConstraintDef::unique(Vec::<String>::new()).nulls_not_distinct())
    }

    /// `CHECK (expr)`: named `<table>_<column>_check` when `expr` references only one of the
    /// table's columns, else `<table>_check`.
    pub fn check(self, expr: impl Into<String>) -> Self {
        self.push(ConstraintDef::check(expr))
    }

    /// `REFERENCES table [(column)] ...`: the foreign key `<table>_<column>_fkey`.
    pub fn references(self, references: impl Into<References>) -> Self {
        self.push(ConstraintDef::foreign_key(Vec::<String>::new(), references))
    }

    /// `DEFERRABLE`, for the column constraint added just before (unique or foreign key).
    ///
    /// # Panics
    /// If no constraint precedes, or it is a check (PostgreSQL rejects both).
    pub fn deferrable(mut self) -> Self {
        self.last_deferrable("DEFERRABLE").deferrable = true;
        self
    }

    /// `DEFERRABLE INITIALLY DEFERRED`, for the column constraint added just before.
    ///
    /// # Panics
    /// As [`ColumnDef::deferrable`].
    pub fn initially_deferred(mut self) -> Self {
        let c = self.last_deferrable("INITIALLY DEFERRED");
        c.deferrable = true;
        c.initially_deferred = true;
        self
    }

    /// `NOT VALID`, for the check or references constraint added just before: added without
    /// checking existing rows, and never validated by pgdecl.
    ///
    /// # Panics
    /// If no check or references constraint precedes.
    pub fn not_valid(mut self) -> Self {
        let column = self.column.name.clone();
        match self.constraints.pop() {
            Some(c) => self.constraints.push(c.not_valid()),
            None => panic!("column `{column}`: NOT VALID must follow a check or references"),
        }
        self
    }

    fn last_deferrable(&mut self, what: &str) -> &mut ConstraintDef {
        let column = self.column.name.clone();
        match self.constraints.last_mut() {
            Some(c) if !matches!(c.kind, ConstraintKind::Check { .. }) => c,
            _ => panic!(
                "column `{column}`: {what} must follow a primary key, unique or references \
                 constraint"
            ),
        }
    }
}
