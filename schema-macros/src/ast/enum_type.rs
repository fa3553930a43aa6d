//! `enum NAME { labels }`.

use proc_macro2::Delimiter;
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{error, Sp};

use super::literals::{parse_name, parse_qname};
use super::tokens::{bump, expect_end, found, peek_group};
use super::{Name, QName};

/// `enum NAME { labels }`.
#[derive(Debug, Clone)]
pub struct EnumDecl {
    /// Its name.
    pub name: QName,
    /// Its labels.
    pub labels: Vec<Name>,
}

pub(super) fn parse_enum(input: ParseStream) -> syn::Result<EnumDecl> {
    bump(input)?;
    let name = parse_qname(input, "an enum name")?;
    if !peek_group(input, Delimiter::Brace) {
        return Err(error(
            Sp::new(input.span()),
            format!(
                "expected `{{` with the enum's labels, found {}",
                found(input)
            ),
            Some(&"write the labels in braces: `enum mood { sad, ok, happy }`"),
        ));
    }
    let content;
    syn::braced!(content in input);
    let mut labels = Vec::new();
    while !content.is_empty() {
        labels.push(parse_name(&content, "an enum label")?);
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(error(
                Sp::new(content.span()),
                format!(
                    "expected `,` between enum labels, found {}",
                    found(&content)
                ),
                None,
            ));
        }
        content.parse::<Token![,]>()?;
    }
    expect_end(input)?;
    Ok(EnumDecl { name, labels })
}
