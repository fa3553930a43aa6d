//! Indexes on a table (not those backing primary key or unique constraints).

use serde::{Deserialize, Serialize};

use super::StorageParameter;

/// `CREATE INDEX`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Index name (in the table's schema), declared or derived.
    pub name: String,
    /// `UNIQUE`.
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub unique: bool,
    /// `USING method`.
    pub method: IndexMethod,
    /// Key elements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<IndexElement>,
    /// `INCLUDE (columns)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// `WHERE predicate`, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// `NULLS NOT DISTINCT` (unique indexes, PostgreSQL 15+).
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub nulls_not_distinct: bool,
    /// `COMMENT ON INDEX`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Usable by queries and enforced: `pg_index.indisvalid AND indisready` as introspection
    /// reads it. False for the leftover of a failed `CREATE INDEX CONCURRENTLY` (for example a
    /// unique index over duplicate rows); the diff rebuilds such an index. Declared indexes are
    /// always valid; the field is left out of the serialized model when true so macro
    /// expansions do not change.
    #[serde(default = "valid_by_default", skip_serializing_if = "is_valid")]
    pub valid: bool,
    /// `WITH (name = value, ...)`: storage parameters (`fillfactor`, ...). Left out of the
    /// serialized model when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage: Vec<StorageParameter>,
}

/// Index access method.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum IndexMethod {
    /// `btree` (the default).
    #[default]
    Btree,
    /// `hash`.
    Hash,
    /// `gin`.
    Gin,
    /// `gist`.
    Gist,
    /// `brin`.
    Brin,
    /// `spgist`.
    SpGist,
    /// An extension's method, e.g. `hnsw`.
    Other(String),
}

impl IndexMethod {
    /// The method's name as `USING` takes it.
    pub fn name(&self) -> &str {
        match self {
            IndexMethod::Btree => "btree",
            IndexMethod::Hash => "hash",
            IndexMethod::Gin => "gin",
            IndexMethod::Gist => "gist",
            IndexMethod::Brin => "brin",
            IndexMethod::SpGist => "spgist",
            IndexMethod::Other(name) => name,
        }
    }

    /// The method named `name` (case-insensitive for the built-in ones).
    pub fn from_name(name: &str) -> IndexMethod {
        match name.to_ascii_lowercase().as_str() {
            "btree" => IndexMethod::Btree,
            "hash" => IndexMethod::Hash,
            "gin" => IndexMethod::Gin,
            "gist" => IndexMethod::Gist,
            "brin" => IndexMethod::Brin,
            "spgist" => IndexMethod::SpGist,
            _ => IndexMethod::Other(name.to_string()),
        }
    }
}

/// One key element of an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexElement {
    /// A column or an expression.
    pub target: IndexTarget,
    /// `COLLATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Operator class, e.g. `text_pattern_ops`, `gin_trgm_ops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    /// `DESC`.
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub descending: bool,
    /// `NULLS FIRST` (`Some(true)`) / `NULLS LAST` (`Some(false)`); the default for the order when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
}

/// What an index element indexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndexTarget {
    /// A column by name.
    Column(String),
    /// An expression, as SQL text (rendered inside parentheses).
    Expression(String),
}

/// Serde default of the validity flags ([`Index::valid`], `Constraint::validated`): an object
/// the JSON does not qualify is valid.
pub(super) fn valid_by_default() -> bool {
    true
}

/// Serde's test for leaving a validity flag out: only the non-default state is written.
pub(super) fn is_valid(valid: &bool) -> bool {
    *valid
}
