//! `view NAME [(cols)] as "QUERY"`.

use proc_macro2::Delimiter;
use syn::parse::ParseStream;

use super::literals::{parse_name_list, parse_qname, parse_sql};
use super::tokens::{bump, expect_kw, peek_group};
use super::{NameList, QName, Sql};

/// `view NAME [(cols)] as "QUERY"`.
#[derive(Debug, Clone)]
pub struct ViewDecl {
    /// Its name.
    pub name: QName,
    /// Output column names.
    pub columns: Option<NameList>,
    /// Its query.
    pub query: Sql,
}

pub(super) fn parse_view(input: ParseStream) -> syn::Result<ViewDecl> {
    bump(input)?;
    let name = parse_qname(input, "a view name")?;
    let columns = if peek_group(input, Delimiter::Parenthesis) {
        Some(parse_name_list(input, "view column")?)
    } else {
        None
    };
    expect_kw(input, "as", "before the view's query")?;
    let query = parse_sql(input, "the view's query")?;
    Ok(ViewDecl {
        name,
        columns,
        query,
    })
}
