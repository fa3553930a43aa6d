//! The printing combinators every DDL writer uses: quoted identifiers and literals, SQL
//! fragments as written, types qualified so `search_path` cannot change them.

use std::fmt::{self, Display, Formatter, Write as _};

use crate::ident::{quote_ident, quote_literal, quote_qualified};
use crate::model::*;
use crate::types::DataType;

/// Displays the items of a slice separated by `sep` (sqlparser's `DisplaySeparated`).
pub struct DisplaySeparated<'a, T> {
    items: &'a [T],
    sep: &'static str,
}

impl<T: Display> Display for DisplaySeparated<'_, T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(self.sep)?;
            }
            // Pass the formatter on so `{:#}` reaches the items.
            Display::fmt(item, f)?;
        }
        Ok(())
    }
}

/// `items` separated by `sep`.
pub fn display_separated<'a, T: Display>(
    items: &'a [T],
    sep: &'static str,
) -> DisplaySeparated<'a, T> {
    DisplaySeparated { items, sep }
}

/// `items` separated by `, `.
pub fn display_comma_separated<T: Display>(items: &[T]) -> DisplaySeparated<'_, T> {
    display_separated(items, ", ")
}

/// A list of identifiers, each quoted as needed, separated by `, `: `a, "B", c`.
pub struct Idents<'a>(pub &'a [String]);

impl Display for Idents<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(&quote_ident(name))?;
        }
        Ok(())
    }
}

/// One identifier, quoted as needed (`users`, `"User"`, `"select"`).
pub struct Ident<'a>(pub &'a str);

impl Display for Ident<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&quote_ident(self.0))
    }
}

/// A string literal (`'it''s'`, `E'a\\b'`).
pub struct Literal<'a>(pub &'a str);

impl Display for Literal<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&quote_literal(self.0))
    }
}

/// An SQL fragment as the user wrote it (a default, a check, a view query), trimmed. A fragment
/// that holds a `--` comment is followed by a line break, so the comment cannot swallow the
/// rest of the statement.
pub struct Fragment<'a>(pub &'a str);

impl Display for Fragment<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let text = self.0.trim();
        f.write_str(text)?;
        if text.contains("--") {
            f.write_char('\n')?;
        }
        Ok(())
    }
}

/// A fragment in parentheses: `(a > 0)`.
pub(crate) struct Parens<'a>(pub(crate) &'a str);

impl Display for Parens<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "({})", Fragment(self.0))
    }
}

/// A `DEFAULT` expression: bare when PostgreSQL's restricted `b_expr` grammar takes it as is
/// (literals, calls, casts, names), in parentheses otherwise (`DEFAULT (a IS NULL)`).
pub(crate) struct DefaultExpr<'a>(pub(crate) &'a str);

impl Display for DefaultExpr<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        use sqlparser::ast::{Expr, UnaryOperator};
        let simple = match crate::expr::parse_expr(self.0) {
            Ok(Expr::Value(_) | Expr::Function(_) | Expr::Identifier(_) | Expr::Nested(_)) => true,
            Ok(Expr::TypedString { .. }) => true,
            Ok(Expr::Cast { expr, .. }) => matches!(*expr, Expr::Value(_) | Expr::Nested(_)),
            Ok(Expr::UnaryOp {
                op: UnaryOperator::Minus,
                expr,
            }) => matches!(*expr, Expr::Value(_)),
            _ => false,
        };
        if simple {
            Fragment(self.0).fmt(f)
        } else {
            Parens(self.0).fmt(f)
        }
    }
}

/// A type as DDL needs it: built-in types as `format_type` prints them, user and extension
/// types always schema-qualified (`public.user_role`), so `search_path` cannot change them.
pub struct SqlType<'a>(pub &'a DataType);

impl Display for SqlType<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let ty = self.0;
        match &ty.schema {
            Some(schema) => {
                write!(f, "{}.{}", quote_ident(schema), quote_ident(&ty.name))?;
                if !ty.modifiers.is_empty() {
                    f.write_char('(')?;
                    for (i, m) in ty.modifiers.iter().enumerate() {
                        if i > 0 {
                            f.write_char(',')?;
                        }
                        write!(f, "{m}")?;
                    }
                    f.write_char(')')?;
                }
                if ty.array {
                    f.write_str("[]")?;
                }
                Ok(())
            }
            None => Display::fmt(ty, f),
        }
    }
}

/// Renders through a closure; for one-off pieces of a statement.
pub(crate) struct DisplayFn<F>(pub(crate) F);

impl<F: Fn(&mut Formatter<'_>) -> fmt::Result> Display for DisplayFn<F> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

impl Display for QualifiedName {
    /// Always qualified, each part quoted as needed: `public.users`, `audit."Events"`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&quote_qualified(&self.schema, &self.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_get_parentheses_when_needed() {
        assert_eq!(DefaultExpr("now()").to_string(), "now()");
        assert_eq!(DefaultExpr("'member'").to_string(), "'member'");
        assert_eq!(DefaultExpr("-1").to_string(), "-1");
        assert_eq!(DefaultExpr("'{}'::text[]").to_string(), "'{}'::text[]");
        assert_eq!(DefaultExpr("1 IS NULL").to_string(), "(1 IS NULL)");
        assert_eq!(DefaultExpr("a AND b").to_string(), "(a AND b)");
    }

    #[test]
    fn fragments_with_line_comments_end_the_line() {
        assert_eq!(Fragment(" now() -- c ").to_string(), "now() -- c\n");
    }
}
