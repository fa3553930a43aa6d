//! Views: a name and the query text.

use serde::{Deserialize, Serialize};

use super::QualifiedName;

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
}
