//! SQL fragments (defaults, checks, predicates, generated expressions, view queries), read
//! with sqlparser's PostgreSQL dialect.
//!
//! The model keeps fragments as the text the user wrote; this module answers the questions the
//! checks and the naming rules ask of them. Whether two fragments mean the same is not decided
//! here but by the server (design principle 2); [`normalize`] only serves the offline diff.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{Expr, FunctionArguments, Statement, Value};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

/// Why a fragment did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// sqlparser's message, with its line and column inside the fragment.
    pub message: String,
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExprError {}

/// Niladic SQL functions that look like identifiers but are not column references.
const SQL_VALUE_FUNCTIONS: &[&str] = &[
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
    "current_user",
    "current_role",
    "session_user",
    "user",
    "current_catalog",
    "current_schema",
    "system_user",
];

/// Parses one scalar expression; trailing text is an error.
pub fn parse_expr(sql: &str) -> Result<Expr, ExprError> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).try_with_sql(sql).map_err(err)?;
    let expr = parser.parse_expr().map_err(err)?;
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(ExprError {
            message: format!(
                "unexpected `{}` after the expression at {}",
                next.token, next.span.start
            ),
        });
    }
    Ok(expr)
}

/// Parses a view's query: exactly one `SELECT` / `VALUES` / `WITH ...` statement.
pub fn parse_query(sql: &str) -> Result<(), ExprError> {
    let dialect = PostgreSqlDialect {};
    let statements = Parser::parse_sql(&dialect, sql).map_err(err)?;
    match statements.as_slice() {
        [Statement::Query(_)] => Ok(()),
        [] => Err(ExprError {
            message: "the query is empty".into(),
        }),
        [_] => Err(ExprError {
            message: "a view's query must be a SELECT, VALUES or WITH query".into(),
        }),
        _ => Err(ExprError {
            message: "a view's query must be one statement; remove the extra `;`".into(),
        }),
    }
}

/// Parses the statements of a `BEGIN ATOMIC ... END` body: any number of statements, each
/// ended by `;` (the last one's may be left out).
/// Transaction control (`END` is `COMMIT`) is refused: PostgreSQL does not take it there, and an
/// `END` would close the body early, letting the rest run as statements of their own.
pub fn parse_statements(sql: &str) -> Result<(), ExprError> {
    let dialect = PostgreSqlDialect {};
    let statements = Parser::parse_sql(&dialect, sql).map_err(err)?;
    let control = statements.iter().any(|s| {
        matches!(
            s,
            Statement::StartTransaction { .. }
                | Statement::Commit { .. }
                | Statement::Rollback { .. }
                | Statement::Savepoint { .. }
                | Statement::ReleaseSavepoint { .. }
        )
    });
    if control {
        return Err(ExprError {
            message: "transaction control (`BEGIN`, `END`, `COMMIT`, `ROLLBACK`, savepoints) \
                      cannot be part of the body"
                .into(),
        });
    }
    Ok(())
}

fn err(e: sqlparser::parser::ParserError) -> ExprError {
    let message = e.to_string();
    let message = message
        .strip_prefix("sql parser error: ")
        .unwrap_or(&message)
        .to_string();
    ExprError { message }
}

/// The column names an expression refers to, as PostgreSQL resolves them: unquoted names
/// folded to lower case, quoted ones exact; for `a.b`, the last part.
pub fn referenced_columns(expr: &Expr) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let _ = sqlparser::ast::visit_expressions(expr, |e| {
        match e {
            Expr::Identifier(ident) => {
                let folded = fold(&ident.value, ident.quote_style);
                if ident.quote_style.is_some() || !SQL_VALUE_FUNCTIONS.contains(&folded.as_str()) {
                    out.insert(folded);
                }
            }
            Expr::CompoundIdentifier(parts) => {
                if let Some(last) = parts.last() {
                    out.insert(fold(&last.value, last.quote_style));
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    out
}

/// The functions an expression calls, folded like identifiers (`schema.name` keeps its dots).
pub fn called_functions(expr: &Expr) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let _ = sqlparser::ast::visit_expressions(expr, |e| {
        if let Expr::Function(f) = e {
            if !matches!(f.args, FunctionArguments::None) {
                let name: Vec<String> = f
                    .name
                    .0
                    .iter()
                    .filter_map(|p| p.as_ident())
                    .map(|i| fold(&i.value, i.quote_style))
                    .collect();
                out.insert(name.join("."));
            }
        }
        ControlFlow::<()>::Continue(())
    });
    out
}

fn fold(value: &str, quote: Option<char>) -> String {
    if quote.is_some() {
        value.to_string()
    } else {
        value.to_lowercase()
    }
}

/// The string literal an expression reduces to, if it is one: `'a'`, `'a'::t`, `('a')`.
/// Used to check enum defaults against the enum's labels.
pub fn string_literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::EscapedStringLiteral(s) => Some(s),
            _ => None,
        },
        Expr::Cast { expr, .. } | Expr::Nested(expr) => string_literal(expr),
        _ => None,
    }
}

/// The name PostgreSQL gives an index key column that is an expression
/// (`FigureIndexColname`): a function call is named after the function, a cast after its
/// operand (or its type), a column after itself, anything else `expr`. It is what an unnamed
/// index on `(lower(email))` is named after: `users_lower_idx`.
pub fn index_column_name(expr: &Expr) -> String {
    figure_colname(expr).unwrap_or_else(|| "expr".to_string())
}

fn figure_colname(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Identifier(i) => Some(fold(&i.value, i.quote_style)),
        Expr::CompoundIdentifier(parts) => parts.last().map(|i| fold(&i.value, i.quote_style)),
        Expr::Function(f) => f
            .name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map(|i| fold(&i.value, i.quote_style)),
        Expr::Nested(inner) => figure_colname(inner),
        Expr::Cast {
            expr, data_type, ..
        } => figure_colname(expr).or_else(|| {
            // `'x'::text` is named after the type's last word, as PostgreSQL does.
            let ty = data_type.to_string().to_lowercase();
            let base = ty.split('(').next().unwrap_or(&ty).trim().to_string();
            base.rsplit('.').next().map(str::to_string)
        }),
        Expr::Case { .. } => Some("case".into()),
        Expr::Array(_) => Some("array".into()),
        Expr::Exists { .. } => Some("exists".into()),
        _ => None,
    }
}

/// A canonical spelling of a fragment for the offline diff: sqlparser's printing when it
/// parses, else the text with white space folded. Two fragments that normalize equal are
/// equal to PostgreSQL too; the converse needs the server (see the runtime's canonicalizer).
pub fn normalize(sql: &str) -> String {
    match parse_expr(sql) {
        Ok(expr) => strip_outer_parens(&expr).to_string(),
        Err(_) => sql.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

fn strip_outer_parens(expr: &Expr) -> &Expr {
    match expr {
        Expr::Nested(inner) => strip_outer_parens(inner),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_column_references() {
        let e = parse_expr("lower(Email) <> '' AND \"Age\" > 0 AND created_at < now()").unwrap();
        let cols: Vec<_> = referenced_columns(&e).into_iter().collect();
        assert_eq!(cols, ["Age", "created_at", "email"]);
        let e = parse_expr("current_timestamp").unwrap();
        assert!(referenced_columns(&e).is_empty());
    }

    #[test]
    fn rejects_trailing_garbage() {
        assert!(parse_expr("1 +").is_err());
        assert!(parse_expr("a b").is_err());
        assert!(parse_expr("status IN ('a', 'b')").is_ok());
        assert!(parse_expr("a IS NOT DISTINCT FROM b").is_ok());
        assert!(parse_expr("x BETWEEN -1 AND 10").is_ok());
        assert!(parse_expr("ARRAY['a','b']::text[]").is_ok());
    }

    #[test]
    fn names_index_columns() {
        let name = |s: &str| index_column_name(&parse_expr(s).unwrap());
        assert_eq!(name("lower(email)"), "lower");
        assert_eq!(name("(a + b)"), "expr");
        assert_eq!(name("email::text"), "email");
        assert_eq!(name("public.f(x)"), "f");
    }

    #[test]
    fn enum_literals() {
        let e = parse_expr("'member'::user_role").unwrap();
        assert_eq!(string_literal(&e), Some("member"));
        assert_eq!(normalize("  a   =  1 "), normalize("(a = 1)"));
    }
}
