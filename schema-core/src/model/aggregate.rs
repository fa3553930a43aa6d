//! Aggregates: a state function folded over the rows, a state type, an optional final
//! function and initial state.

use serde::{Deserialize, Serialize};

use super::QualifiedName;
use crate::types::DataType;

/// `CREATE AGGREGATE name(args) (SFUNC = f, STYPE = t [, FINALFUNC = f] [, INITCOND = '...'])`.
///
/// Plain aggregates only: ordered-set and hypothetical-set aggregates, and the options for
/// moving-aggregate mode, parallel combining or sort operators, are reported as not modelled
/// when introspection finds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    /// Aggregate name (it shares the function namespace).
    pub name: QualifiedName,
    /// Input argument types, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<DataType>,
    /// `SFUNC`: called with the state and each row's arguments.
    pub sfunc: QualifiedName,
    /// `STYPE`: the state's type.
    pub stype: DataType,
    /// `FINALFUNC`: turns the last state into the result (the state itself without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalfunc: Option<QualifiedName>,
    /// `INITCOND`: the initial state, as the text of a `stype` value (`NULL` without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initcond: Option<String>,
    /// `COMMENT ON AGGREGATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
