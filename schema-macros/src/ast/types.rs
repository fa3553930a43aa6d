//! Types as written: `integer`, `varchar(255)`, `timestamp(3) with time zone`,
//! `numeric(10, 2)[]`, `audit.level`; lowering resolves them.

use proc_macro2::{Delimiter, Ident, TokenTree};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{error, Sp};

use super::literals::{parse_int, parse_name, parse_qname};
use super::tokens::{
    brackets, bump, eat_kw, expect_kw, found, nth, parens, peek_group, peek_punct_at, peek_str,
};

/// A column, argument or sequence type as written.
#[derive(Debug, Clone)]
pub struct TypeRef {
    /// The SQL spelling, e.g. `timestamp(3) with time zone`, `numeric(10,2)[]`, for
    /// `DataType::parse`; unused when `user` is set.
    pub text: String,
    /// A type that names itself with a string literal or a schema: (schema, name).
    pub user: Option<(Option<String>, String)>,
    /// Modifiers as written (`(10, 2)`).
    pub modifiers: Vec<i32>,
    /// `[]` was written.
    pub array: bool,
    /// The whole type.
    pub span: Sp,
    /// The modifier list, if any.
    pub modifiers_span: Option<Sp>,
}

/// Words that continue a multi-word built-in type after its first word.
pub(super) fn type_continues(first: &str, next: &str) -> bool {
    match first {
        "double" => next == "precision",
        "character" | "char" | "bit" => next == "varying",
        _ => false,
    }
}

pub(super) const INTERVAL_FIELDS: &[&str] = &["year", "month", "day", "hour", "minute", "second"];

/// A type: `integer`, `varchar(255)`, `double precision`, `timestamp(3) with time zone`,
/// `interval day to second`, `numeric(10, 2)[]`, `audit.level`, `"Weird Type"`.
pub(super) fn parse_type(input: ParseStream) -> syn::Result<TypeRef> {
    let start = Sp::new(input.span());
    let mut last;
    let mut text = String::new();
    let mut user = None;
    let mut modifiers = Vec::new();
    let mut modifiers_span = None;
    if peek_str(input) || input.peek(Ident::peek_any) && peek_punct_at(input, 1, '.') {
        let name = parse_qname(input, "a type")?;
        last = name.name.span;
        let builtin_char =
            name.schema.is_none() && !name.name.is_ident && name.name.value == "char";
        if builtin_char {
            text.push_str("\"char\"");
        } else {
            user = Some((name.schema.map(|s| s.value), name.name.value));
        }
    } else if input.peek(Ident::peek_any) {
        let ident = Ident::parse_any(input)?;
        last = Sp::new(ident.span());
        let word = ident.unraw().to_string();
        let lower = word.to_ascii_lowercase();
        text.push_str(&word);
        if let Some(TokenTree::Ident(next)) = nth(input, 0) {
            if type_continues(&lower, &next.to_string()) {
                last = bump(input)?;
                text.push(' ');
                text.push_str(&next.to_string());
            }
        }
        if lower == "interval" {
            if let Some(TokenTree::Ident(field)) = nth(input, 0) {
                if INTERVAL_FIELDS.contains(&field.to_string().as_str()) {
                    last = bump(input)?;
                    text.push(' ');
                    text.push_str(&field.to_string());
                    if eat_kw(input, "to")?.is_some() {
                        let field = parse_name(input, "an interval field")?;
                        last = field.span;
                        text.push_str(" to ");
                        text.push_str(&field.value);
                    }
                }
            }
        }
    } else {
        return Err(error(
            Sp::new(input.span()),
            format!("expected a type, found {}", found(input)),
            Some(&"write a type such as `text`, `bigint`, `varchar(255)` or a declared enum"),
        ));
    }
    if peek_group(input, Delimiter::Parenthesis) {
        let (content, span) = parens(input, "")?;
        last = span;
        modifiers_span = Some(span);
        while !content.is_empty() {
            let (value, _) = parse_int::<i32>(&content, "a type modifier")?;
            modifiers.push(value);
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        let list = modifiers
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        text.push_str(&format!("({list})"));
    }
    let lower = text.to_ascii_lowercase();
    if user.is_none() && (lower.starts_with("time") || lower.starts_with("timestamp")) {
        // `with` is also a column's attribute options, `with (n_distinct = -1)`.
        let zone_follows = matches!(
            super::tokens::nth(input, 1),
            Some(proc_macro2::TokenTree::Ident(word)) if word == "time"
        );
        for zone in ["with", "without"] {
            if zone_follows && eat_kw(input, zone)?.is_some() {
                expect_kw(input, "time", &format!("after `{zone}`"))?;
                last = expect_kw(input, "zone", "after `time`")?;
                text.push_str(&format!(" {zone} time zone"));
                break;
            }
        }
    }
    let mut array = false;
    while peek_group(input, Delimiter::Bracket) {
        let (content, bracket) = brackets(input)?;
        if !content.is_empty() {
            parse_int::<i64>(&content, "an array bound")?;
        }
        last = bracket;
        array = true;
    }
    if array {
        text.push_str("[]");
    }
    Ok(TypeRef {
        text,
        user,
        modifiers,
        array,
        span: start.to(last),
        modifiers_span,
    })
}
