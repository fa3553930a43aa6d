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

/// A canonical spelling of a fragment for the offline diff, where no server is at hand to
/// print both sides: the way a user writes an expression and the way PostgreSQL prints it
/// back (`pg_get_expr`) spell the same. Parentheses as the tree needs them (every compound
/// operand in parentheses, none around the whole); casts PostgreSQL adds to constants
/// (`'x'::text`, `0::numeric`, `ARRAY[...]::text[]`) and to `varchar` columns (`(c)::text`)
/// left out; `x IN (a, b)` for `x = ANY (ARRAY[a, b])` (and `NOT IN` for `<> ALL`);
/// `BETWEEN` as the two comparisons PostgreSQL stores; unquoted names in lower case, quotes
/// only where a name needs them; `pg_catalog.` left off function names. A fragment that does
/// not parse keeps its text with white space folded. Two fragments that normalize equal are
/// equal to PostgreSQL up to those implied casts; the live diff compares what the server
/// printed for both sides (see the runtime's canonicalizer).
pub fn normalize(sql: &str) -> String {
    match parse_expr(sql) {
        Ok(mut expr) => {
            canonicalize(&mut expr);
            expr.to_string()
        }
        Err(_) => sql.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// See [`normalize`]: local rewrites to a fixed point, then parentheses where the tree needs
/// them.
pub(crate) fn canonicalize(expr: &mut Expr) {
    use sqlparser::ast::visit_expressions_mut;
    for _ in 0..16 {
        let before = expr.clone();
        let _ = visit_expressions_mut(expr, |e| {
            rewrite(e);
            ControlFlow::<()>::Continue(())
        });
        rewrite(expr);
        if *expr == before {
            break;
        }
    }
    let _ = visit_expressions_mut(expr, |e| {
        parenthesize(e);
        ControlFlow::<()>::Continue(())
    });
}

/// A constant, or an array of constants: what PostgreSQL casts to the type it infers.
fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::Value(_) => true,
        Expr::UnaryOp { expr, .. } => matches!(**expr, Expr::Value(_)),
        Expr::Array(array) => array.elem.iter().all(is_constant),
        Expr::Cast { expr, .. } | Expr::Nested(expr) => is_constant(expr),
        _ => false,
    }
}

fn is_text_type(ty: &sqlparser::ast::DataType) -> bool {
    let name = ty.to_string().to_lowercase();
    matches!(name.as_str(), "text" | "varchar" | "character varying")
}

fn canonical_ident(ident: &mut sqlparser::ast::Ident) {
    let simple = |v: &str| {
        let mut chars = v.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
    };
    match ident.quote_style {
        None => ident.value = ident.value.to_lowercase(),
        Some('"') if simple(&ident.value) => ident.quote_style = None,
        _ => {}
    }
}

/// `-12`, `0`, `3.5`: a number as PostgreSQL prints one (no leading zeros, no `+`), which
/// a quoted constant of a numeric type stands for.
fn is_canonical_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'))
        && frac.map_or(true, |f| {
            !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit())
        })
}

/// One local rewrite of [`canonicalize`].
fn rewrite(e: &mut Expr) {
    use sqlparser::ast::{BinaryOperator, ObjectNamePart};
    let replacement = match e {
        Expr::Nested(inner) => Some((**inner).clone()),
        // PostgreSQL prints `NOT EXISTS (q)` as `NOT (EXISTS (q))`.
        Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::Not,
            expr,
        } if matches!(**expr, Expr::Exists { negated: false, .. }) => match &**expr {
            Expr::Exists { subquery, .. } => Some(Expr::Exists {
                subquery: subquery.clone(),
                negated: true,
            }),
            _ => None,
        },
        // (`VALUE` in a domain's check is cast to the base type of a domain over a domain.)
        Expr::Cast {
            expr, data_type, ..
        } if is_constant(expr)
            || (matches!(**expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
                && is_text_type(data_type))
            || matches!(&**expr, Expr::Identifier(i) if i.value.eq_ignore_ascii_case("value")) =>
        {
            Some((**expr).clone())
        }
        Expr::AnyOp {
            left,
            compare_op: BinaryOperator::Eq,
            right,
            ..
        } => match &**right {
            Expr::Array(array) => Some(Expr::InList {
                expr: left.clone(),
                list: array.elem.clone(),
                negated: false,
            }),
            _ => None,
        },
        Expr::AllOp {
            left,
            compare_op: BinaryOperator::NotEq,
            right,
        } => match &**right {
            Expr::Array(array) => Some(Expr::InList {
                expr: left.clone(),
                list: array.elem.clone(),
                negated: true,
            }),
            _ => None,
        },
        Expr::Between {
            expr,
            negated,
            low,
            high,
        } => {
            let cmp = |op, bound: &Expr| Expr::BinaryOp {
                left: expr.clone(),
                op,
                right: Box::new(bound.clone()),
            };
            Some(if *negated {
                Expr::BinaryOp {
                    left: Box::new(cmp(BinaryOperator::Lt, low)),
                    op: BinaryOperator::Or,
                    right: Box::new(cmp(BinaryOperator::Gt, high)),
                }
            } else {
                Expr::BinaryOp {
                    left: Box::new(cmp(BinaryOperator::GtEq, low)),
                    op: BinaryOperator::And,
                    right: Box::new(cmp(BinaryOperator::LtEq, high)),
                }
            })
        }
        // PostgreSQL prints a negative constant as a string: `'-1'::integer`.
        Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::Minus,
            expr,
        } => match &**expr {
            Expr::Value(v) => match &v.value {
                Value::Number(n, long) => Some(Expr::value(Value::Number(format!("-{n}"), *long))),
                _ => None,
            },
            _ => None,
        },
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(text) if is_canonical_number(text) => {
                Some(Expr::value(Value::Number(text.clone(), false)))
            }
            _ => None,
        },
        Expr::QualifiedWildcard(name, _) => {
            for part in &mut name.0 {
                if let ObjectNamePart::Identifier(ident) = part {
                    canonical_ident(ident);
                }
            }
            None
        }
        Expr::Identifier(ident) => {
            canonical_ident(ident);
            None
        }
        Expr::CompoundIdentifier(idents) => {
            idents.iter_mut().for_each(canonical_ident);
            None
        }
        Expr::Function(func) => {
            for part in &mut func.name.0 {
                if let ObjectNamePart::Identifier(ident) = part {
                    canonical_ident(ident);
                }
            }
            // PostgreSQL leaves off a schema on the search path (`public`, `pg_catalog`).
            let qualified_catalog = matches!(
                func.name.0.first(),
                Some(ObjectNamePart::Identifier(i))
                    if func.name.0.len() == 2 && (i.value == "pg_catalog" || i.value == "public")
            );
            if qualified_catalog {
                func.name.0.remove(0);
            }
            None
        }
        _ => None,
    };
    if let Some(r) = replacement {
        *e = r;
    }
}

/// Wraps each compound operand of `e` in parentheses, so the printing is unambiguous.
fn parenthesize(e: &mut Expr) {
    fn compound(e: &Expr) -> bool {
        !matches!(
            e,
            Expr::Value(_)
                | Expr::Identifier(_)
                | Expr::CompoundIdentifier(_)
                | Expr::Function(_)
                | Expr::Nested(_)
                | Expr::Array(_)
                | Expr::Case { .. }
                | Expr::Exists { .. }
                | Expr::Subquery(_)
                | Expr::Wildcard(_)
                | Expr::QualifiedWildcard(..)
        )
    }
    fn wrap(e: &mut Expr) {
        if compound(e) {
            *e = Expr::Nested(Box::new(e.clone()));
        }
    }
    match e {
        Expr::BinaryOp { left, right, .. } => {
            wrap(left);
            wrap(right);
        }
        Expr::UnaryOp { expr, .. }
        | Expr::Cast { expr, .. }
        | Expr::IsNull(expr)
        | Expr::IsNotNull(expr)
        | Expr::IsTrue(expr)
        | Expr::IsFalse(expr)
        | Expr::IsNotTrue(expr)
        | Expr::IsNotFalse(expr)
        | Expr::Collate { expr, .. } => wrap(expr),
        Expr::InList { expr, .. } => wrap(expr),
        Expr::IsDistinctFrom(a, b) | Expr::IsNotDistinctFrom(a, b) => {
            wrap(a);
            wrap(b);
        }
        Expr::Like { expr, pattern, .. } | Expr::ILike { expr, pattern, .. } => {
            wrap(expr);
            wrap(pattern);
        }
        Expr::AnyOp { left, .. } | Expr::AllOp { left, .. } => wrap(left),
        _ => {}
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
    fn normalizes_as_postgresql_prints() {
        let same = |written: &str, printed: &str| {
            assert_eq!(
                normalize(written),
                normalize(printed),
                "{written} vs {printed}"
            );
        };
        same("'member'", "'member'::cols_.user_role");
        same("'{}'", "'{}'::text[]");
        same("value >= 0", "(value >= 0::numeric)");
        same(
            "status IN ('a', 'b')",
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
        );
        same("kind NOT IN ('x')", "(kind <> ALL (ARRAY['x'::text]))");
        same(
            "score BETWEEN -1 AND 100",
            "((score >= ('-1'::integer)::numeric) AND (score <= (100)::numeric))",
        );
        same(
            "OLD.* IS DISTINCT FROM NEW.*",
            "(old.* IS DISTINCT FROM new.*)",
        );
        same("VALUE ~ '^\\d{5}$'", "(VALUE ~ '^\\d{5}$'::text)");
        same("lower(Email)", "lower((email)::text)");
        same(
            "to_tsvector('english', note)",
            "to_tsvector('english'::regconfig, note)",
        );
        same("pg_catalog.now()", "now()");
        same("public.is_even(VALUE)", "is_even(VALUE)");
        same("VALUE >= 2000", "(VALUE::integer >= 2000)");
        same("\"Check\" AND \"ok\"", "(\"Check\" AND ok)");
        let differ = |a: &str, b: &str| assert_ne!(normalize(a), normalize(b), "{a} vs {b}");
        differ("(a + b) * c", "a + b * c");
        differ("a - (b - c)", "a - b - c");
        differ("x > 1", "x > 2");
        differ("created_at::date > d", "created_at > d");
        differ("'007'", "7");
        differ("\"Check\"", "check");
    }

    #[test]
    fn enum_literals() {
        let e = parse_expr("'member'::user_role").unwrap();
        assert_eq!(string_literal(&e), Some("member"));
        assert_eq!(normalize("  a   =  1 "), normalize("(a = 1)"));
    }
}
