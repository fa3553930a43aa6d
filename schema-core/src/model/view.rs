//! Views: a name and the query text.

use serde::{Deserialize, Serialize};

use super::QualifiedName;
use crate::types::DataType;

/// `CREATE VIEW name AS query`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// View name.
    pub name: QualifiedName,
    /// Optional output column names.
    pub columns: Vec<String>,
    /// The query, as SQL text.
    pub query: String,
    /// `COMMENT ON VIEW`.
    pub comment: Option<String>,
    /// The output columns' types as the server derived them, in order: known for a view read
    /// from a catalog (live, or canonicalized), empty in a declaration. `CREATE OR REPLACE
    /// VIEW` cannot change them, so the diff rebuilds a view whose types change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub column_types: Vec<DataType>,
}
