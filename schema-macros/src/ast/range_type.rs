//! `type NAME as range (subtype = TYPE, ...)`.

use proc_macro2::TokenTree;
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{error, Ctxt, Sp};

use super::literals::{parse_name, parse_qname};
use super::tokens::{bump, expected_one_of, found, nth, parens, set_once};
use super::types::{parse_type, TypeRef};
use super::{Name, QName};

/// `type NAME as range (options)`.
#[derive(Debug, Clone)]
pub struct RangeDecl {
    /// Its name.
    pub name: QName,
    /// The `range` keyword.
    pub kw: Sp,
    /// `subtype = TYPE` (required).
    pub subtype: Option<TypeRef>,
    /// `subtype_opclass = NAME`.
    pub subtype_opclass: Option<Name>,
    /// `collation = NAME`.
    pub collation: Option<Name>,
    /// `subtype_diff = FUNCTION`.
    pub subtype_diff: Option<QName>,
    /// `multirange_type_name = NAME`.
    pub multirange_type_name: Option<QName>,
}

const RANGE_OPTIONS: &[&str] = &[
    "subtype",
    "subtype_opclass",
    "collation",
    "subtype_diff",
    "multirange_type_name",
];

pub(super) fn parse_range(cx: &Ctxt, input: ParseStream, name: QName) -> syn::Result<RangeDecl> {
    let kw = bump(input)?;
    let (content, span) = parens(input, "with the range's options (`subtype = ...`)")?;
    let mut range = RangeDecl {
        name,
        kw,
        subtype: None,
        subtype_opclass: None,
        collation: None,
        subtype_diff: None,
        multirange_type_name: None,
    };
    while !content.is_empty() {
        let Some(TokenTree::Ident(option)) = nth(&content, 0) else {
            return Err(expected_one_of(&content, "a range option", RANGE_OPTIONS));
        };
        let word = option.to_string();
        if word == "canonical" {
            return Err(error(
                Sp::new(option.span()),
                "`canonical` is not supported",
                Some(&"a canonical function must be written in C against a shell type; declare the range without it"),
            ));
        }
        if !RANGE_OPTIONS.contains(&word.as_str()) {
            return Err(expected_one_of(&content, "a range option", RANGE_OPTIONS));
        }
        let at = bump(&content)?;
        if !content.peek(Token![=]) {
            return Err(error(
                Sp::new(content.span()),
                format!("expected `=` after `{word}`, found {}", found(&content)),
                Some(&format!("write `{word} = ...`")),
            ));
        }
        content.parse::<Token![=]>()?;
        match word.as_str() {
            "subtype" => {
                let ty = parse_type(&content)?;
                set_once(cx, &mut range.subtype, ty, at, "subtype");
            }
            "subtype_opclass" => {
                let name = parse_name(&content, "an operator class")?;
                set_once(cx, &mut range.subtype_opclass, name, at, "subtype_opclass");
            }
            "collation" => {
                let name = parse_name(&content, "a collation name")?;
                set_once(cx, &mut range.collation, name, at, "collation");
            }
            "subtype_diff" => {
                let name = parse_qname(&content, "a function name")?;
                set_once(cx, &mut range.subtype_diff, name, at, "subtype_diff");
            }
            _ => {
                let name = parse_qname(&content, "a type name")?;
                set_once(
                    cx,
                    &mut range.multirange_type_name,
                    name,
                    at,
                    "multirange_type_name",
                );
            }
        }
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(error(
                Sp::new(content.span()),
                format!("expected `,` or `)`, found {}", found(&content)),
                None,
            ));
        }
        content.parse::<Token![,]>()?;
    }
    if range.subtype.is_none() {
        cx.error(
            span,
            "a range type needs a `subtype`",
            "name the type of its bounds: `(subtype = numeric)`",
        );
    }
    Ok(range)
}
