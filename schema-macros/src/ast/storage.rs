//! `with (name = value, ...)`: storage parameters of a table or an index.

use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{LitStr, Token};

use crate::ctxt::{error, Sp};

use super::literals::{parse_name, parse_number};
use super::tokens::{bump, eat_kw, found, parens, peek_str};

/// `with (name = value, ...)`, if next. Names fold to lower case (`toast.` prefix kept);
/// values are numbers (`70`, `0.01`, `-1`), words (`false`, `on`) or string literals.
pub(super) fn parse_storage(input: ParseStream) -> syn::Result<Option<Vec<(String, String)>>> {
    if eat_kw(input, "with")?.is_none() {
        return Ok(None);
    }
    let (content, span) = parens(input, "with the storage parameters")?;
    let mut params = Vec::new();
    while !content.is_empty() {
        let mut name = parse_name(&content, "a storage parameter name")?.value;
        if content.peek(Token![.]) {
            content.parse::<Token![.]>()?;
            let rest = parse_name(&content, "a storage parameter name after `.`")?;
            name = format!("{name}.{}", rest.value);
        }
        if !content.peek(Token![=]) {
            return Err(error(
                Sp::new(content.span()),
                format!(
                    "expected `=` and a value after storage parameter `{name}`, found {}",
                    found(&content)
                ),
                Some(&"write `name = value`: `with (fillfactor = 70)`"),
            ));
        }
        content.parse::<Token![=]>()?;
        let value = if peek_str(&content) {
            content.parse::<LitStr>()?.value()
        } else if content.peek(Token![-]) {
            bump(&content)?;
            format!("-{}", parse_number(&content)?.0)
        } else if content.peek(syn::LitInt) || content.peek(syn::LitFloat) {
            parse_number(&content)?.0
        } else if content.peek(syn::LitBool) {
            content.parse::<syn::LitBool>()?.value.to_string()
        } else if content.peek(syn::Ident::peek_any) {
            parse_name(&content, "a value")?.value.to_lowercase()
        } else {
            return Err(error(
                Sp::new(content.span()),
                format!(
                    "expected a value for storage parameter `{name}`, found {}",
                    found(&content)
                ),
                Some(&"a value is a number, a word such as `false`, or a string literal"),
            ));
        };
        params.push((name.to_lowercase(), value));
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    if params.is_empty() {
        return Err(error(
            span,
            "`with ()` lists no storage parameter",
            Some(&"list them, `with (fillfactor = 70)`, or remove `with ()`"),
        ));
    }
    Ok(Some(params))
}
