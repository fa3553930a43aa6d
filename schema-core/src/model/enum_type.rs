//! Enum types: labels in sort order; columns and function signatures use them.

use serde::{Deserialize, Serialize};

use super::QualifiedName;

/// `CREATE TYPE name AS ENUM (...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    /// Type name.
    pub name: QualifiedName,
    /// Labels in sort order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// `COMMENT ON TYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
