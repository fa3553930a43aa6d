//! Domains: a base type with a default, `NOT NULL`, a collation and named checks; columns,
//! attributes and function signatures use them like any type.

use serde::{Deserialize, Serialize};

use super::QualifiedName;
use crate::types::DataType;

/// `CREATE DOMAIN name AS type ...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// Domain name.
    pub name: QualifiedName,
    /// The base type (`format_type` of `typbasetype`, with its modifiers).
    pub data_type: DataType,
    /// `NOT NULL`.
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub not_null: bool,
    /// `DEFAULT expr`, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `COLLATE "name"`, when not the base type's own collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `CONSTRAINT name CHECK (expr)`, in the order they are declared (PostgreSQL reads them
    /// back by name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<DomainCheck>,
    /// `COMMENT ON DOMAIN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One named check of a [`Domain`]: its expression refers to the value as `VALUE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainCheck {
    /// Constraint name, declared or derived as PostgreSQL derives it (`<domain>_check`,
    /// numbered when taken in the schema).
    pub name: String,
    /// The condition, as SQL text (`VALUE >= 1901`).
    pub expr: String,
    /// Existing values have been checked: false for a check added `NOT VALID` and not yet
    /// validated (introspection reads it; the diff then plans `VALIDATE CONSTRAINT`). Left
    /// out of the serialized model when true.
    #[serde(
        default = "super::index::valid_by_default",
        skip_serializing_if = "super::index::is_valid"
    )]
    pub validated: bool,
}

impl Domain {
    /// The check named `name`.
    pub fn check(&self, name: &str) -> Option<&DomainCheck> {
        self.checks.iter().find(|c| c.name == name)
    }
}
