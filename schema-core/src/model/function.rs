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
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub is_procedure: bool,
    /// Arguments in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<FunctionArg>,
    /// Return type; `None` for procedures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<Returns>,
    /// `LANGUAGE`, e.g. `sql`, `plpgsql`.
    pub language: String,
    /// The body, without quoting: the quoted text for [`BodyStyle::Quoted`], the expression
    /// after `RETURN` or the statements between `BEGIN ATOMIC` and `END` for the SQL-standard
    /// styles.
    pub body: String,
    /// How the body is written: a quoted string (the default) or an SQL-standard body, which
    /// the server parses at creation and ties to the objects it names. Left out of the
    /// serialized model when quoted, so the hash of a schema without SQL-standard bodies does
    /// not change.
    #[serde(default, skip_serializing_if = "BodyStyle::is_quoted")]
    pub body_style: BodyStyle,
    /// `IMMUTABLE | STABLE | VOLATILE`.
    pub volatility: Volatility,
    /// `STRICT` (`RETURNS NULL ON NULL INPUT`).
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub strict: bool,
    /// `SECURITY DEFINER`.
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub security_definer: bool,
    /// `SET name = value` clauses, e.g. `("search_path", "public, pg_temp")`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config: Vec<(String, String)>,
    /// `COMMENT ON FUNCTION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// How a function's body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum BodyStyle {
    /// `AS 'text'`: a string the language's handler reads when the function is called (with
    /// `check_function_bodies`, a `LANGUAGE sql` body is also checked at creation).
    #[default]
    Quoted,
    /// `RETURN expr` (SQL-standard, `LANGUAGE sql` only): parsed at creation; the function
    /// then depends on the tables, columns and functions the expression names.
    Return,
    /// `BEGIN ATOMIC statement; ... END` (SQL-standard, `LANGUAGE sql` only): as `Return`.
    Atomic,
}

impl BodyStyle {
    /// True for [`BodyStyle::Quoted`].
    pub fn is_quoted(&self) -> bool {
        *self == BodyStyle::Quoted
    }
}

impl Function {
    /// True when the body is SQL-standard (`RETURN` / `BEGIN ATOMIC`): the server parsed it at
    /// creation, and the function depends on what it names.
    pub fn has_sql_body(&self) -> bool {
        !self.body_style.is_quoted()
    }
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Type.
    pub data_type: DataType,
    /// `DEFAULT expr`, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
