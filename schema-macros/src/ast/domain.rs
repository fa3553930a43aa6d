//! `domain NAME [as] TYPE [options]`.

use proc_macro2::{Ident, TokenTree};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{Ctxt, Sp};

use super::literals::{parse_default_value, parse_name, parse_qname, parse_sql};
use super::tokens::{bump, eat_kw, expect_kw, expected_one_of, nth, peek_str, set_flag, set_once};
use super::types::{parse_type, TypeRef};
use super::{Name, QName, Sql};

/// `domain NAME [as] TYPE [options]`.
#[derive(Debug, Clone)]
pub struct DomainDecl {
    /// Its name.
    pub name: QName,
    /// Its base type.
    pub ty: TypeRef,
    /// `not null`.
    pub not_null: Option<Sp>,
    /// `default EXPR`.
    pub default: Option<Sql>,
    /// `collate NAME`.
    pub collate: Option<Name>,
    /// Its checks, in order.
    pub checks: Vec<DomainCheckDecl>,
}

/// `[constraint NAME] check [NAME] "EXPR"` of a domain.
#[derive(Debug, Clone)]
pub struct DomainCheckDecl {
    /// Its declared name.
    pub name: Option<Name>,
    /// The `check` keyword.
    pub kw: Sp,
    /// Its condition.
    pub expr: Sql,
}

const DOMAIN_OPTIONS: &[&str] = &["not", "default", "collate", "check", "constraint", ";"];

pub(super) fn parse_domain(cx: &Ctxt, input: ParseStream) -> syn::Result<DomainDecl> {
    bump(input)?;
    let name = parse_qname(input, "a domain name")?;
    eat_kw(input, "as")?;
    let ty = parse_type(input)?;
    let mut domain = DomainDecl {
        name,
        ty,
        not_null: None,
        default: None,
        collate: None,
        checks: Vec::new(),
    };
    while !input.peek(Token![;]) {
        let Some(TokenTree::Ident(kw)) = nth(input, 0) else {
            return Err(expected_one_of(
                input,
                "a domain option or `;`",
                DOMAIN_OPTIONS,
            ));
        };
        let at = Sp::new(kw.span());
        match kw.to_string().as_str() {
            "not" => {
                bump(input)?;
                let end = expect_kw(input, "null", "after `not`")?;
                set_flag(cx, &mut domain.not_null, at.to(end), "not null");
            }
            "default" => {
                bump(input)?;
                let value = parse_default_value(input)?;
                set_once(cx, &mut domain.default, value, at, "default");
            }
            "collate" => {
                bump(input)?;
                let name = parse_name(input, "a collation name")?;
                set_once(cx, &mut domain.collate, name, at, "collate");
            }
            "constraint" | "check" => domain.checks.push(parse_domain_check(cx, input)?),
            _ => {
                return Err(expected_one_of(
                    input,
                    "a domain option or `;`",
                    DOMAIN_OPTIONS,
                ))
            }
        }
    }
    Ok(domain)
}

/// `constraint NAME check "EXPR"`, `check NAME "EXPR"` or `check "EXPR"`.
fn parse_domain_check(cx: &Ctxt, input: ParseStream) -> syn::Result<DomainCheckDecl> {
    let mut name = match eat_kw(input, "constraint")? {
        Some(_) => Some(parse_name(input, "a constraint name")?),
        None => None,
    };
    let kw = expect_kw(input, "check", "after `constraint NAME` in a domain")?;
    // `check "a" "b"`: the first literal is the name; `check "a"` is the condition.
    let short = if peek_str(input) {
        matches!(nth(input, 1), Some(TokenTree::Literal(_)))
    } else {
        input.peek(Ident::peek_any)
    };
    if short {
        let short = parse_name(input, "a constraint name")?;
        if name.is_some() {
            cx.error(
                short.span,
                "this check is already named by `constraint NAME`",
                "keep one of the two names",
            );
        } else {
            name = Some(short);
        }
    }
    let expr = parse_sql(input, "the check condition on `VALUE`")?;
    Ok(DomainCheckDecl { name, kw, expr })
}
