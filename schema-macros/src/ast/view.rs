//! `view NAME [(cols)] as "QUERY"` and `materialized view NAME [(cols)] as "QUERY" [with no
//! data] [{ indexes }]`.

use proc_macro2::Delimiter;
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{error, Ctxt, Sp};

use super::literals::{parse_name_list, parse_qname, parse_sql};
use super::table::{parse_element, Element, ElementKind};
use super::tokens::{bump, eat_kw, expect_end, expect_kw, found, peek_group};
use super::{parse_body, NameList, QName, Sql};

/// `[materialized] view NAME [(cols)] as "QUERY" ...`.
#[derive(Debug, Clone)]
pub struct ViewDecl {
    /// `materialized`, if written.
    pub materialized: Option<Sp>,
    /// Its name.
    pub name: QName,
    /// Output column names.
    pub columns: Option<NameList>,
    /// Its query.
    pub query: Sql,
    /// `with no data` (materialized views only).
    pub no_data: Option<Sp>,
    /// Indexes (materialized views only), each an [`ElementKind::Index`] with its docs.
    pub indexes: Vec<Element>,
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
        materialized: None,
        name,
        columns,
        query,
        no_data: None,
        indexes: Vec::new(),
    })
}

/// `materialized view ...`, ending with `;` or with its indexes in braces.
pub(super) fn parse_materialized_view(cx: &Ctxt, input: ParseStream) -> syn::Result<ViewDecl> {
    let materialized = bump(input)?;
    if !super::tokens::peek_kw(input, "view") {
        return Err(error(
            Sp::new(input.span()),
            format!(
                "expected `view` after `materialized`, found {}",
                found(input)
            ),
            Some(&"write `materialized view NAME as \"QUERY\"`"),
        ));
    }
    let mut view = parse_view(input)?;
    view.materialized = Some(materialized);
    if let Some(with) = eat_kw(input, "with")? {
        expect_kw(input, "no", "in `with no data`")?;
        let data = expect_kw(input, "data", "in `with no data`")?;
        view.no_data = Some(with.to(data));
    }
    if input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
        expect_end(input)?;
        return Ok(view);
    }
    if !peek_group(input, Delimiter::Brace) {
        return Err(error(
            Sp::new(input.span()),
            format!(
                "expected `;`, `with no data` or `{{` with the view's indexes, found {}",
                found(input)
            ),
            Some(&"end the materialized view with `;`, or list its indexes in braces"),
        ));
    }
    let body;
    let brace = syn::braced!(body in input);
    expect_end(input)?;
    for parsed in parse_body(cx, &body, brace.span.close(), |input| {
        parse_element(cx, input)
    }) {
        match parsed {
            Ok(element) => match &element.kind {
                ElementKind::Index(index) if index.name.is_none() => cx.error(
                    index.kw,
                    "an index on a materialized view needs a name",
                    "name it: `index rental_by_category_idx on (category)`",
                ),
                ElementKind::Index(_) => view.indexes.push(element),
                ElementKind::Column(column) => cx.error(
                    column.name.span,
                    "a materialized view has no columns of its own; only indexes go in braces",
                    "its columns are its query's: name them in the query or in `(cols)` after the view's name",
                ),
                ElementKind::Constraint(constraint) => cx.error(
                    constraint.kw,
                    "a materialized view cannot have constraints; only indexes go in braces",
                    "use a `unique index` instead of a unique constraint",
                ),
            },
            Err(e) => cx.syn_error(e),
        }
    }
    Ok(view)
}
