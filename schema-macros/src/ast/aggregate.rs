//! `aggregate NAME(TYPE, ...) (sfunc = F, stype = T [, finalfunc = F] [, initcond = "TEXT"])`.

use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{LitStr, Token};

use crate::ctxt::{error, Sp};

use super::literals::{check_suffix, parse_qname};
use super::tokens::{bump, found, parens, peek_str};
use super::types::parse_type;
use super::{QName, TypeRef};

/// An aggregate declaration.
#[derive(Debug, Clone)]
pub struct AggregateDecl {
    /// Its name.
    pub name: QName,
    /// Input argument types.
    pub args: Vec<TypeRef>,
    /// `sfunc = F`.
    pub sfunc: QName,
    /// `stype = T`.
    pub stype: TypeRef,
    /// `finalfunc = F`.
    pub finalfunc: Option<QName>,
    /// `initcond = "TEXT"`.
    pub initcond: Option<String>,
}

const OPTIONS: &[&str] = &["sfunc", "stype", "finalfunc", "initcond"];

pub(super) fn parse_aggregate(input: ParseStream) -> syn::Result<AggregateDecl> {
    bump(input)?;
    let name = parse_qname(input, "an aggregate name")?;
    let (content, _) = parens(input, "with the aggregate's argument types")?;
    let mut args = Vec::new();
    while !content.is_empty() {
        args.push(parse_type(&content)?);
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    let (options, at) = parens(
        input,
        "with the aggregate's options: `(sfunc = F, stype = T)`",
    )?;
    let (mut sfunc, mut stype, mut finalfunc, mut initcond) = (None, None, None, None);
    while !options.is_empty() {
        let key = options.call(syn::Ident::parse_any)?;
        let key_sp = Sp::new(key.span());
        let key = key.to_string().to_lowercase();
        if !options.peek(Token![=]) {
            return Err(error(
                Sp::new(options.span()),
                format!("expected `=` after `{key}`, found {}", found(&options)),
                Some(&format!("write `{key} = ...`")),
            ));
        }
        options.parse::<Token![=]>()?;
        let taken = match key.as_str() {
            "sfunc" => sfunc
                .replace(parse_qname(&options, "the state function")?)
                .is_some(),
            "stype" => stype.replace(parse_type(&options)?).is_some(),
            "finalfunc" => finalfunc
                .replace(parse_qname(&options, "the final function")?)
                .is_some(),
            "initcond" => {
                if !peek_str(&options) {
                    return Err(error(
                        Sp::new(options.span()),
                        format!(
                            "expected the initial state as a string, found {}",
                            found(&options)
                        ),
                        Some(&"write the state's text as a Rust string: `initcond = \"0\"`"),
                    ));
                }
                let lit: LitStr = options.parse()?;
                check_suffix(&lit)?;
                initcond.replace(lit.value()).is_some()
            }
            _ => {
                return Err(error(
                    key_sp,
                    format!("`{key}` is not an aggregate option pgdecl models"),
                    Some(&format!(
                        "use {}",
                        OPTIONS
                            .iter()
                            .map(|o| format!("`{o}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                ))
            }
        };
        if taken {
            return Err(error(
                key_sp,
                format!("`{key}` is given twice"),
                Some(&"remove one"),
            ));
        }
        if !options.is_empty() {
            options.parse::<Token![,]>()?;
        }
    }
    let (Some(sfunc), Some(stype)) = (sfunc, stype) else {
        return Err(error(
            at,
            "an aggregate needs a state function and a state type",
            Some(&"write `(sfunc = F, stype = T)`"),
        ));
    };
    Ok(AggregateDecl {
        name,
        args,
        sfunc,
        stype,
        finalfunc,
        initcond,
    })
}
