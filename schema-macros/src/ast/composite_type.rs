//! `type NAME as (attribute TYPE [collate NAME], ...)` and, sharing the `type` keyword,
//! the dispatch to `type NAME as range (...)`.

use proc_macro2::Delimiter;
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{error, Ctxt, Sp};

use super::literals::{parse_docs, parse_name, parse_qname};
use super::range_type::{parse_range, RangeDecl};
use super::tokens::{bump, eat_kw, expect_kw, found, parens, peek_group, peek_kw};
use super::types::{parse_type, TypeRef};
use super::{Name, QName};

/// `type NAME as (attributes)`.
#[derive(Debug, Clone)]
pub struct CompositeDecl {
    /// Its name.
    pub name: QName,
    /// Its attributes, in order.
    pub attributes: Vec<AttributeDecl>,
}

/// One attribute of a composite type.
#[derive(Debug, Clone)]
pub struct AttributeDecl {
    /// Its doc comment.
    pub docs: Option<String>,
    /// Its name.
    pub name: Name,
    /// Its type.
    pub ty: TypeRef,
    /// `collate NAME`.
    pub collate: Option<Name>,
}

/// What a `type` item declares.
pub enum TypeDecl {
    /// `type NAME as (...)`.
    Composite(CompositeDecl),
    /// `type NAME as range (...)` (boxed: by far the larger).
    Range(Box<RangeDecl>),
}

pub(super) fn parse_type_item(cx: &Ctxt, input: ParseStream) -> syn::Result<TypeDecl> {
    bump(input)?;
    let name = parse_qname(input, "a type name")?;
    expect_kw(input, "as", "after the type's name")?;
    if peek_kw(input, "range") {
        return parse_range(cx, input, name).map(|r| TypeDecl::Range(Box::new(r)));
    }
    if peek_kw(input, "enum") {
        return Err(error(
            Sp::new(input.span()),
            "enums are declared with `enum NAME { labels }`",
            Some(&"write `enum mood { sad, ok, happy }`"),
        ));
    }
    if !peek_group(input, Delimiter::Parenthesis) {
        return Err(error(
            Sp::new(input.span()),
            format!(
                "expected `(` with the type's attributes or `range`, found {}",
                found(input)
            ),
            Some(&"write `type address as (street text, city text);` or `type floatrange as range (subtype = float8);`"),
        ));
    }
    let (content, span) = parens(input, "with the type's attributes")?;
    let mut attributes = Vec::new();
    while !content.is_empty() {
        let docs = parse_docs(cx, &content)?;
        let name = parse_name(&content, "an attribute name")?;
        if content.is_empty() || content.peek(Token![,]) {
            return Err(error(
                name.span,
                format!("attribute `{}` has no type", name.value),
                Some(&"write its type after the name: `street text`"),
            ));
        }
        let ty = parse_type(&content)?;
        let collate = match eat_kw(&content, "collate")? {
            Some(_) => Some(parse_name(&content, "a collation name")?),
            None => None,
        };
        attributes.push(AttributeDecl {
            docs,
            name,
            ty,
            collate,
        });
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(error(
                Sp::new(content.span()),
                format!(
                    "expected `,` or `)` after an attribute, found {}",
                    found(&content)
                ),
                Some(&"an attribute is `name type [collate \"C\"]`"),
            ));
        }
        content.parse::<Token![,]>()?;
    }
    if attributes.is_empty() {
        cx.error(
            span,
            "a composite type needs at least one attribute",
            "list its attributes: `(street text, city text)`",
        );
    }
    Ok(TypeDecl::Composite(CompositeDecl { name, attributes }))
}
