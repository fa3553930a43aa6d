//! Functions and procedures: signature, body and options.

use serde::{Deserialize, Serialize};

use super::QualifiedName;
use crate::types::DataType;

/// `CREATE FUNCTION` / `CREATE PROCEDURE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// Function name.
    pub name: QualifiedName,
    /// `PROCEDURE` instead of `FUNCTION`.
    pub is_procedure: bool,
    /// Arguments in order.
    pub args: Vec<FunctionArg>,
    /// Return type; `None` for procedures.
    pub returns: Option<Returns>,
    /// `LANGUAGE`, e.g. `sql`, `plpgsql`.
    pub language: String,
    /// The body, without quoting.
    pub body: String,
    /// `IMMUTABLE | STABLE | VOLATILE`.
    pub volatility: Volatility,
    /// `STRICT` (`RETURNS NULL ON NULL INPUT`).
    pub strict: bool,
    /// `SECURITY DEFINER`.
    pub security_definer: bool,
    /// `SET name = value` clauses, e.g. `("search_path", "public, pg_temp")`.
    pub config: Vec<(String, String)>,
    /// `COMMENT ON FUNCTION`.
    pub comment: Option<String>,
}

/// Argument mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ArgMode {
    /// `IN` (the default).
    #[default]
    In,
    /// `OUT`.
    Out,
    /// `INOUT`.
    InOut,
    /// `VARIADIC`.
    Variadic,
}

impl ArgMode {
    /// The SQL keyword.
    pub fn sql(self) -> &'static str {
        match self {
            ArgMode::In => "IN",
            ArgMode::Out => "OUT",
            ArgMode::InOut => "INOUT",
            ArgMode::Variadic => "VARIADIC",
        }
    }
}

/// One function argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionArg {
    /// Mode.
    pub mode: ArgMode,
    /// Name, if any.
    pub name: Option<String>,
    /// Type.
    pub data_type: DataType,
    /// `DEFAULT expr`, as SQL text.
    pub default: Option<String>,
}

/// What a function returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Returns {
    /// `RETURNS type`.
    Type(DataType),
    /// `RETURNS SETOF type`.
    SetOf(DataType),
    /// `RETURNS TABLE (name type, ...)`.
    Table(Vec<(String, DataType)>),
}

/// Function volatility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Volatility {
    /// `IMMUTABLE`.
    Immutable,
    /// `STABLE`.
    Stable,
    /// `VOLATILE` (the default).
    #[default]
    Volatile,
}

impl Volatility {
    /// The SQL keyword.
    pub fn sql(self) -> &'static str {
        match self {
            Volatility::Immutable => "IMMUTABLE",
            Volatility::Stable => "STABLE",
            Volatility::Volatile => "VOLATILE",
        }
    }
}
