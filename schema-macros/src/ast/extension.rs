//! `extension NAME [schema S]`.

use syn::parse::ParseStream;

use super::literals::parse_name;
use super::tokens::{bump, eat_kw};
use super::Name;

/// `extension NAME [schema S]`.
#[derive(Debug, Clone)]
pub struct ExtensionDecl {
    /// Its name.
    pub name: Name,
    /// Its `schema`.
    pub schema: Option<Name>,
}

pub(super) fn parse_extension(input: ParseStream) -> syn::Result<ExtensionDecl> {
    bump(input)?;
    let name = parse_name(input, "an extension name")?;
    let schema = match eat_kw(input, "schema")? {
        Some(_) => Some(parse_name(input, "a schema name")?),
        None => None,
    };
    Ok(ExtensionDecl { name, schema })
}
