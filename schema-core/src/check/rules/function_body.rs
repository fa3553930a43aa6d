//! Rules `function-body-empty`, `function-body-dollar-quote`: a function needs a body, and a body
//! with an unterminated dollar quote cannot be embedded (the quote would swallow the rest of the
//! statement).

use crate::check::context::Context;
use crate::check::message::{qualified, routine_kind};
use crate::check::{Diagnostic, FunctionPart, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (f, func) in cx.schema.functions.iter().enumerate() {
        let at = Location::Function {
            function: f,
            part: FunctionPart::Body,
        };
        if func.body.trim().is_empty() {
            out.push(
                Diagnostic::new(
                    Rule::FunctionBodyEmpty,
                    at,
                    format!(
                        "{} `{}` has an empty body",
                        routine_kind(func),
                        qualified(&func.name)
                    ),
                )
                .help(if func.language.eq_ignore_ascii_case("plpgsql") {
                    "write the body, e.g. `as \"BEGIN RETURN NEW; END\"`"
                } else {
                    "write the body, e.g. `as \"SELECT 1\"`"
                }),
            );
        } else if let Some(tag) = unbalanced_dollar_quote(&func.body) {
            out.push(
                Diagnostic::new(
                    Rule::FunctionBodyDollarQuote,
                    at,
                    format!(
                        "the body of `{}` opens the dollar quote `{tag}` and never closes it",
                        qualified(&func.name)
                    ),
                )
                .help(format!("close it with a second `{tag}`, or remove it")),
            );
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
    rules: &[Rule::FunctionBodyEmpty, Rule::FunctionBodyDollarQuote],
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
}
