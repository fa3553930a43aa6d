//! Composite types: a named row of attributes (`CREATE TYPE name AS (...)`).

use serde::{Deserialize, Serialize};

use super::QualifiedName;
use crate::types::DataType;

/// `CREATE TYPE name AS (attribute type, ...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositeType {
    /// Type name (also a relation name: PostgreSQL keeps a composite type in `pg_class`).
    pub name: QualifiedName,
    /// Attributes in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<CompositeAttribute>,
    /// `COMMENT ON TYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One attribute of a [`CompositeType`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositeAttribute {
    /// Attribute name.
    pub name: String,
    /// Its type.
    pub data_type: DataType,
    /// `COLLATE "name"`, when not the type's own collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `COMMENT ON COLUMN type.attribute`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl CompositeType {
    /// The attribute named `name`.
    pub fn attribute_named(&self, name: &str) -> Option<&CompositeAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}
