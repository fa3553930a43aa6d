//! Rules `function-body-empty`, `function-body-dollar-quote`, `function-sql-body`: a function
//! needs a body unless PostgreSQL accepts an empty one, a quoted body with an unterminated dollar
//! quote cannot be embedded (the quote would swallow the rest of the statement), and an
//! SQL-standard body (`return`, `begin atomic`) is `language sql` and parses, since the server
//! parses it at creation.

use crate::check::context::Context;
use crate::check::message::{qualified, routine_kind};
use crate::check::{Diagnostic, FunctionPart, Location, Rule, RuleCheck};
use crate::model::{BodyStyle, Function, Returns};
use crate::render::SqlType;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (f, func) in cx.schema.functions.iter().enumerate() {
        let at = Location::Function {
            function: f,
            part: FunctionPart::Body,
        };
        let name = qualified(&func.name);
        if func.has_sql_body() && !func.language.eq_ignore_ascii_case("sql") {
            let (clause, example) = match func.body_style {
                BodyStyle::Return => ("return", "return \"a + 1\""),
                _ => ("begin atomic", "begin atomic \"SELECT 1;\""),
            };
            out.push(
                Diagnostic::new(
                    Rule::FunctionSqlBody,
                    at,
                    format!(
                        "{} `{name}` has a `{clause}` body but is `language {}`: only \
                         `language sql` takes an SQL-standard body",
                        routine_kind(func),
                        func.language
                    ),
                )
                .help(format!(
                    "write `language sql` (`{example}`), or give a quoted body with `as \"...\"`"
                )),
            );
            continue;
        }
        if func.body.trim().is_empty() {
            if let Some((message, help)) = empty_body_problem(func) {
                out.push(Diagnostic::new(Rule::FunctionBodyEmpty, at, message).help(help));
            }
            continue;
        }
        match func.body_style {
            BodyStyle::Quoted => {
                if let Some(tag) = unbalanced_dollar_quote(&func.body) {
                    out.push(
                        Diagnostic::new(
                            Rule::FunctionBodyDollarQuote,
                            at,
                            format!(
                                "the body of `{name}` opens the dollar quote `{tag}` and never \
                                 closes it"
                            ),
                        )
                        .help(format!("close it with a second `{tag}`, or remove it")),
                    );
                }
            }
            BodyStyle::Return => {
                if let Err(e) = crate::expr::parse_expr(func.body.trim()) {
                    out.push(
                        Diagnostic::new(
                            Rule::FunctionSqlBody,
                            at,
                            format!("the `return` expression of `{name}` does not parse: {e}"),
                        )
                        .help("write one SQL expression, e.g. `return \"a + 1\"`"),
                    );
                }
            }
            BodyStyle::Atomic => {
                if let Err(e) = crate::expr::parse_statements(&func.body) {
                    out.push(
                        Diagnostic::new(
                            Rule::FunctionSqlBody,
                            at,
                            format!("the `begin atomic` body of `{name}` does not parse: {e}"),
                        )
                        .help(
                            "write SQL statements, each ended by `;`, e.g. \
                             `begin atomic \"INSERT INTO t VALUES (1); SELECT 1;\"`",
                        ),
                    );
                }
            }
        }
    }
}

/// Why PostgreSQL refuses `func`'s empty body, if it does: it accepts one (quoted or `begin
/// atomic`) only in `language sql`, and only where nothing is returned (a procedure, `returns
/// void`); a `return` body needs its expression.
fn empty_body_problem(func: &Function) -> Option<(String, String)> {
    let name = qualified(&func.name);
    let kind = routine_kind(func);
    if func.body_style == BodyStyle::Return {
        return Some((
            format!("{kind} `{name}` has an empty `return` expression"),
            "write the expression, e.g. `return \"a + 1\"`".to_string(),
        ));
    }
    if !func.language.eq_ignore_ascii_case("sql") {
        let help = if func.language.eq_ignore_ascii_case("plpgsql") {
            "write the body, e.g. `as \"BEGIN RETURN NEW; END\"` (`as \"BEGIN END\"` does nothing)"
        } else {
            "write the body; only `language sql` accepts an empty one"
        };
        return Some((
            format!("{kind} `{name}` has an empty body"),
            help.to_string(),
        ));
    }
    match &func.returns {
        Some(Returns::Type(ty)) if ty.name == "void" && ty.schema.is_none() => None,
        None if func.is_procedure => None,
        // A function with `out` arguments returns them.
        returns => {
            let what = match returns {
                Some(Returns::Type(ty)) => SqlType(ty).to_string(),
                Some(Returns::SetOf(ty)) => format!("setof {}", SqlType(ty)),
                Some(Returns::Table(_)) => "a table".to_string(),
                None => "its `out` arguments".to_string(),
            };
            Some((
                format!("{kind} `{name}` returns {what} but its body is empty"),
                "end the body with a `SELECT` of the result; only a `returns void` function or a \
                 procedure may have an empty body"
                    .to_string(),
            ))
        }
    }
}

/// The first dollar-quote tag in `body` that is opened and never closed, skipping quoted
/// strings, quoted identifiers and comments.
pub fn unbalanced_dollar_quote(body: &str) -> Option<String> {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b'$' if body[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') =>
            {
                i += 1;
            }
            b'$' => match dollar_tag(&body[i..]) {
                Some(tag) => {
                    let after = i + tag.len();
                    match body[after..].find(tag) {
                        Some(close) => i = after + close + tag.len(),
                        None => return Some(tag.to_string()),
                    }
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    None
}

/// The dollar-quote tag (`$$`, `$body$`) `text` starts with, if it starts with one. A `$`
/// after an identifier character is part of that identifier, and `$1` is a parameter.
fn dollar_tag(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('$')?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    let tag = &rest[..end];
    if tag.starts_with(|c: char| c.is_ascii_digit()) || !rest[end..].starts_with('$') {
        return None;
    }
    Some(&text[..end + 2])
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[
        Rule::FunctionBodyEmpty,
        Rule::FunctionBodyDollarQuote,
        Rule::FunctionSqlBody,
    ],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::*;

    use crate::check::test_support::*;
    use crate::model::*;

    #[test]
    fn dollar_quotes() {
        assert_eq!(unbalanced_dollar_quote("SELECT 1"), None);
        assert_eq!(unbalanced_dollar_quote("EXECUTE $q$x$q$; SELECT $1"), None);
        assert_eq!(unbalanced_dollar_quote("SELECT '$$'"), None);
        assert_eq!(unbalanced_dollar_quote("-- $$\nSELECT 1"), None);
        assert_eq!(
            unbalanced_dollar_quote("SELECT $x$ oops").as_deref(),
            Some("$x$")
        );
        assert_eq!(unbalanced_dollar_quote("SELECT a$b$c"), None);
    }

    fn ty(name: &str) -> crate::DataType {
        crate::DataType::parse(name).unwrap()
    }

    #[test]
    fn a_body_is_present_and_closes_its_quotes() {
        let s = Schema::builder()
            .function(Function::new("a").body("SELECT $x$ oops"))
            .function(Function::procedure("b").language("plpgsql").body("  "))
            .function(Function::new("c").body("SELECT $x$ ok $x$"))
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            [
                "the body of `a` opens the dollar quote `$x$` and never closes it",
                "procedure `b` has an empty body"
            ]
        );
    }

    /// What the server accepts (checked on PostgreSQL 15): an empty `language sql` body, quoted
    /// or `begin atomic`, for `returns void` and procedures; nothing else.
    #[test]
    fn empty_bodies_where_postgres_takes_them() {
        let s = Schema::builder()
            .function(Function::new("ok_void").returns(ty("void")).body(""))
            .function(Function::procedure("ok_proc").body(" "))
            .function(
                Function::new("ok_atomic")
                    .returns(ty("void"))
                    .begin_atomic(""),
            )
            .function(Function::new("int_sql").returns(ty("integer")).body(""))
            .function(
                Function::new("void_plpgsql")
                    .returns(ty("void"))
                    .language("plpgsql")
                    .body(""),
            )
            .function(
                Function::new("no_expr")
                    .returns(ty("integer"))
                    .return_sql(" "),
            )
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            [
                "function `int_sql` returns integer but its body is empty",
                "function `void_plpgsql` has an empty body",
                "function `no_expr` has an empty `return` expression"
            ]
        );
    }

    #[test]
    fn sql_standard_bodies_are_language_sql_and_parse() {
        let s = Schema::builder()
            .function(
                Function::new("ok")
                    .returns(ty("integer"))
                    .return_sql("1 + 1"),
            )
            .function(
                Function::new("ok_atomic")
                    .returns(ty("integer"))
                    .begin_atomic("SELECT 1; SELECT 2"),
            )
            .function(
                Function::new("pl")
                    .returns(ty("integer"))
                    .language("plpgsql")
                    .return_sql("1"),
            )
            .function(
                Function::new("bad")
                    .returns(ty("integer"))
                    .return_sql("1 +"),
            )
            .function(
                Function::new("bad_atomic")
                    .returns(ty("integer"))
                    .begin_atomic("SELECT (1;"),
            )
            // `END` would close the body and run the rest as statements of their own.
            .function(
                Function::new("escapes")
                    .returns(ty("integer"))
                    .begin_atomic("SELECT 1; END; DROP TABLE users; BEGIN; SELECT 1;"),
            )
            .build();
        assert_eq!(rule_codes(&CHECK, &s), ["function-sql-body"; 4]);
        let found = messages(&CHECK, &s);
        assert!(found[0].starts_with("function `pl` has a `return` body but is `language plpgsql`"));
        assert!(found[1].starts_with("the `return` expression of `bad` does not parse"));
        assert!(found[2].starts_with("the `begin atomic` body of `bad_atomic` does not parse"));
        assert!(found[3].contains("transaction control"), "{}", found[3]);
    }
}
