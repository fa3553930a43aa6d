//! Tables: the container of columns, constraints and indexes; partitioned tables and
//! partitions are tables too (see [`super::partition`]).

use serde::{Deserialize, Serialize};

use super::{
    Column, Constraint, ConstraintKind, Index, PartitionKey, PartitionOf, QualifiedName,
    StorageParameter,
};

/// `CREATE TABLE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Table name.
    pub name: QualifiedName,
    /// Columns in physical order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    /// Table constraints; column constraints are desugared into these with PostgreSQL's names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// Indexes (not those that back primary key or unique constraints).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// `COMMENT ON TABLE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// A previous name: the diff renames instead of dropping and creating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// `PARTITION BY ...`: a partitioned table, which holds no rows of its own. Left out of
    /// the serialized model when absent, so expansions of unpartitioned schemas do not change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<PartitionKey>,
    /// `PARTITION OF parent FOR VALUES ...`: a partition, whose columns are its parent's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// `UNLOGGED`: not written to the WAL, so faster to write, emptied after a crash and not
    /// replicated. Left out of the serialized model when false.
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub unlogged: bool,
    /// `WITH (name = value, ...)`: storage parameters (`fillfactor`, autovacuum settings).
    /// Left out of the serialized model when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage: Vec<StorageParameter>,
}

impl Table {
    /// The table as `CREATE TABLE` needs it: without its indexes and comment, which are
    /// statements of their own. A plan's `CREATE TABLE` holds this rather than a whole copy, so
    /// a plan of an index-heavy schema does not hold every index twice (issue 12: peak
    /// memory).
    pub fn for_create(&self) -> Table {
        Table {
            name: self.name.clone(),
            columns: self.columns.clone(),
            constraints: self.constraints.clone(),
            indexes: Vec::new(),
            comment: None,
            renamed_from: self.renamed_from.clone(),
            partition_by: self.partition_by.clone(),
            partition_of: self.partition_of.clone(),
            unlogged: self.unlogged,
            storage: self.storage.clone(),
        }
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// True for a partitioned table (`PARTITION BY`): PostgreSQL builds its indexes on every
    /// partition, so they cannot be built `CONCURRENTLY`, nor adopted `USING INDEX`.
    pub fn is_partitioned(&self) -> bool {
        self.partition_by.is_some()
    }

    /// The primary key constraint, if any.
    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .iter()
            .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
    }
}
