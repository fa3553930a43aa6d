//! Views and materialized views: a name and the query text; a materialized view also holds
//! its rows, so it has indexes and may be created without data.

use serde::{Deserialize, Serialize};

use super::index::{is_valid, valid_by_default};
use super::{Index, QualifiedName};
use crate::types::DataType;

/// `CREATE VIEW name AS query`, or with [`View::materialized`] `CREATE MATERIALIZED VIEW`.
///
/// One kind for both: they share a namespace with tables, a query, output columns and the way
/// they depend on what the query names. The fields only a materialized view uses are left out
/// of the serialized model when unset, so plain views serialize as before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// View name.
    pub name: QualifiedName,
    /// Optional output column names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// The query, as SQL text.
    pub query: String,
    /// `COMMENT ON VIEW` (`COMMENT ON MATERIALIZED VIEW`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The output columns' types as the server derived them, in order: known for a view read
    /// from a catalog (live, or canonicalized), empty in a declaration. `CREATE OR REPLACE
    /// VIEW` cannot change them, so the diff rebuilds a view whose types change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub column_types: Vec<DataType>,
    /// `CREATE MATERIALIZED VIEW`: the query's rows are stored, refreshed by `REFRESH
    /// MATERIALIZED VIEW`. A changed query means a drop and a re-create (there is no `CREATE
    /// OR REPLACE MATERIALIZED VIEW`).
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub materialized: bool,
    /// Populated at creation (`WITH DATA`, the default); false for `WITH NO DATA`. A creation
    /// option only: the diff never compares it, since `REFRESH` populates a view created empty
    /// and the declaration must not undo that. Read from `pg_class.relispopulated`.
    #[serde(default = "valid_by_default", skip_serializing_if = "is_valid")]
    pub with_data: bool,
    /// Indexes on a materialized view (always empty for a plain view).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
}

impl View {
    /// `VIEW` or `MATERIALIZED VIEW`, as DDL names the kind.
    pub fn keyword(&self) -> &'static str {
        if self.materialized {
            "MATERIALIZED VIEW"
        } else {
            "VIEW"
        }
    }
}
