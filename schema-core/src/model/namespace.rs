//! Schemas (namespaces): the first objects a script creates and the last a plan drops.

use serde::{Deserialize, Serialize};

/// `CREATE SCHEMA name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    /// Schema name.
    pub name: String,
    /// `COMMENT ON SCHEMA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
