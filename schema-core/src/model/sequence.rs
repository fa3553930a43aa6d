//! Free-standing sequences; serial columns own theirs implicitly.

use serde::{Deserialize, Serialize};

use super::QualifiedName;
use crate::types::DataType;

/// `CREATE SEQUENCE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    /// Sequence name.
    pub name: QualifiedName,
    /// `AS smallint | integer | bigint`; `bigint` when `None`.
    pub data_type: Option<DataType>,
    /// `INCREMENT BY`.
    pub increment: Option<i64>,
    /// `MINVALUE`.
    pub min_value: Option<i64>,
    /// `MAXVALUE`.
    pub max_value: Option<i64>,
    /// `START WITH`.
    pub start: Option<i64>,
    /// `CACHE`.
    pub cache: Option<i64>,
    /// `CYCLE`.
    pub cycle: bool,
    /// `OWNED BY table.column`.
    pub owned_by: Option<(QualifiedName, String)>,
    /// `COMMENT ON SEQUENCE`.
    pub comment: Option<String>,
}
