//! `CREATE FUNCTION` / `CREATE PROCEDURE`: constructors for [`Function`] and its arguments.

use crate::model::{ArgMode, BodyStyle, Function, FunctionArg, QualifiedName, Returns, Volatility};
use crate::types::DataType;

impl Function {
    /// A function: `LANGUAGE sql`, `VOLATILE`, no arguments, no return type, empty body.
    pub fn new(name: impl Into<QualifiedName>) -> Self {
        Function {
            name: name.into(),
            is_procedure: false,
            args: Vec::new(),
            returns: None,
            language: "sql".to_string(),
            body: String::new(),
            body_style: BodyStyle::Quoted,
            volatility: Volatility::Volatile,
            strict: false,
            security_definer: false,
            config: Vec::new(),
            comment: None,
        }
    }

    /// A procedure (`CREATE PROCEDURE`), otherwise as [`Function::new`].
    pub fn procedure(name: impl Into<QualifiedName>) -> Self {
        Function {
            is_procedure: true,
            ..Function::new(name)
        }
    }

    /// Adds an argument.
    pub fn arg(mut self, arg: FunctionArg) -> Self {
        self.args.push(arg);
        self
    }

    /// `RETURNS type`.
    pub fn returns(mut self, data_type: DataType) -> Self {
        self.returns = Some(Returns::Type(data_type));
        self
    }

    /// `RETURNS SETOF type`.
    pub fn returns_setof(mut self, data_type: DataType) -> Self {
        self.returns = Some(Returns::SetOf(data_type));
        self
    }

    /// `RETURNS TABLE (name type, ...)`.
    pub fn returns_table<N: Into<String>>(
        mut self,
        columns: impl IntoIterator<Item = (N, DataType)>,
    ) -> Self {
        self.returns = Some(Returns::Table(
            columns.into_iter().map(|(n, t)| (n.into(), t)).collect(),
        ));
        self
    }

    /// `LANGUAGE name` (`sql`, `plpgsql`, ...).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = language.into();
        self
    }

    /// The body (embedded with a dollar quote; write it as is).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self.body_style = BodyStyle::Quoted;
        self
    }

    /// An SQL-standard `RETURN expr` body (`LANGUAGE sql`): `expr` is the expression, e.g.
    /// `"a + 1"`.
    pub fn return_sql(mut self, expr: impl Into<String>) -> Self {
        self.body = expr.into();
        self.body_style = BodyStyle::Return;
        self
    }

    /// An SQL-standard `BEGIN ATOMIC ... END` body (`LANGUAGE sql`): `statements` are the
    /// statements between, each ended by `;` (a missing last `;` is added), e.g.
    /// `"SELECT 1; SELECT 2;"`; empty for a body with no statements.
    pub fn begin_atomic(mut self, statements: impl Into<String>) -> Self {
        self.body = statements.into();
        self.body_style = BodyStyle::Atomic;
        self
    }

    /// `IMMUTABLE`.
    pub fn immutable(mut self) -> Self {
        self.volatility = Volatility::Immutable;
        self
    }

    /// `STABLE`.
    pub fn stable(mut self) -> Self {
        self.volatility = Volatility::Stable;
        self
    }

    /// `STRICT`.
    pub fn strict(mut self) -> Self {
        self.strict = true;
        self
    }

    /// `SECURITY DEFINER`.
    pub fn security_definer(mut self) -> Self {
        self.security_definer = true;
        self
    }

    /// `SET name = value`; for list settings such as `search_path`, `value` is the list as
    /// PostgreSQL prints it: `"public, pg_temp"`.
    pub fn set(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.push((name.into(), value.into()));
        self
    }

    /// `COMMENT ON FUNCTION`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

impl FunctionArg {
    /// An `IN` argument called `name`.
    pub fn new(name: impl Into<String>, data_type: DataType) -> Self {
        FunctionArg {
            mode: ArgMode::In,
            name: Some(name.into()),
            data_type,
            default: None,
        }
    }

    /// An unnamed `IN` argument.
    pub fn unnamed(data_type: DataType) -> Self {
        FunctionArg {
            mode: ArgMode::In,
            name: None,
            data_type,
            default: None,
        }
    }

    /// The argument's mode.
    pub fn mode(mut self, mode: ArgMode) -> Self {
        self.mode = mode;
        self
    }

    /// `DEFAULT expr`, as SQL text.
    pub fn default_sql(mut self, expr: impl Into<String>) -> Self {
        self.default = Some(expr.into());
        self
    }
}
