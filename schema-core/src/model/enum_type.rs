//! Enum types: labels in sort order; columns and function signatures use them.

use serde::{Deserialize, Serialize};

use super::QualifiedName;

/// `CREATE TYPE name AS ENUM (...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    /// Type name.
    pub name: QualifiedName,
    /// Labels in sort order.
    pub values: Vec<String>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}
