//! `table NAME [renamed_from OLD] [partition of P BOUND] [partition by S (KEY)] [with (..)] { elements }`:
//! the body cut at `,` into columns, constraints and indexes, each parsed on its own. A
//! partition has its parent's columns: its body, if any, holds only its own constraints and
//! indexes, and without one the item ends with `;`.

use proc_macro2::Delimiter;
use schema_core::grammar::TABLE_ELEMENT_KEYWORDS as ELEMENT_KEYWORDS;
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{error, Ctxt, Sp};

use super::column::{misspelt_type, parse_column, ColumnDecl, COLUMN_OPTIONS};
use super::constraint::{parse_table_constraint, ConstraintDecl};
use super::index::{parse_index, IndexDecl};
use super::literals::{parse_docs, parse_name, parse_qname};
use super::partition::{parse_partition_by, parse_partition_of, PartitionByDecl, PartitionOfDecl};
use super::tokens::{
    bump, eat_kw, expect_end, expected_one_of, found, peek_any_kw, peek_group, peek_kw, peek_kw_at,
};
use super::{parse_body, Name, QName};

/// `table NAME [renamed_from OLD] { elements }`.
#[derive(Debug, Clone)]
pub struct TableDecl {
    /// Its name.
    pub name: QName,
    /// `renamed_from OLD`.
    pub renamed_from: Option<Name>,
    /// `partition of PARENT BOUND`.
    pub partition_of: Option<PartitionOfDecl>,
    /// `partition by STRATEGY (KEY)`.
    pub partition_by: Option<PartitionByDecl>,
    /// `unlogged` before `table`.
    pub unlogged: Option<Sp>,
    /// `with (name = value, ...)`: storage parameters.
    pub storage: Vec<(String, String)>,
    /// Columns, constraints and indexes in declaration order (it decides derived names).
    pub elements: Vec<Element>,
}

/// One element of a table body.
#[derive(Debug, Clone)]
pub struct Element {
    /// Its doc comment.
    pub docs: Option<String>,
    /// What it is.
    pub kind: ElementKind,
}

/// The kinds of table element.
#[derive(Debug, Clone)]
pub enum ElementKind {
    /// `name type options` (boxed: by far the largest element).
    Column(Box<ColumnDecl>),
    /// A table constraint.
    Constraint(ConstraintDecl),
    /// An index.
    Index(IndexDecl),
}

pub(super) fn parse_table(cx: &Ctxt, input: ParseStream) -> syn::Result<TableDecl> {
    bump(input)?;
    let name = parse_qname(input, "a table name")?;
    let renamed_from = match eat_kw(input, "renamed_from")? {
        Some(_) => Some(parse_name(input, "the table's previous name")?),
        None => None,
    };
    let partition_of = if peek_kw(input, "partition") && peek_kw_at(input, 1, "of") {
        bump(input)?;
        Some(parse_partition_of(input)?)
    } else {
        None
    };
    let partition_by = match eat_kw(input, "partition")? {
        Some(kw) => Some(parse_partition_by(input, kw)?),
        None => None,
    };
    let storage = super::storage::parse_storage(input)?.unwrap_or_default();
    // A partition may end here: its columns are its parent's.
    if partition_of.is_some() && input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
        expect_end(input)?;
        return Ok(TableDecl {
            name,
            renamed_from,
            partition_of,
            partition_by,
            unlogged: None,
            storage,
            elements: Vec::new(),
        });
    }
    if !peek_group(input, Delimiter::Brace) {
        return Err(if partition_of.is_some() {
            error(
                Sp::new(input.span()),
                format!(
                    "expected `;`, or `{{` with the partition's own constraints and indexes, found {}",
                    found(input)
                ),
                Some(&"a partition takes its parent's columns: end it with `;`, or list its own indexes in braces"),
            )
        } else if partition_by.is_none() && peek_kw(input, "partition") {
            expected_one_of(input, "`partition of` or `partition by`", &["of", "by"])
        } else {
            error(
                Sp::new(input.span()),
                format!(
                    "expected `{{` with the table's columns, found {}",
                    found(input)
                ),
                Some(&"write the columns in braces: `table users { id bigint primary key }`"),
            )
        });
    }
    let body;
    let brace = syn::braced!(body in input);
    expect_end(input)?;
    let mut elements = Vec::new();
    for parsed in parse_body(cx, &body, brace.span.close(), |input| {
        parse_element(cx, input)
    }) {
        match parsed {
            Ok(element) => match (&element.kind, &partition_of) {
                (ElementKind::Column(column), Some(of)) => cx.error(
                    column.name.span,
                    format!(
                        "a partition has the columns of its parent `{}`; it cannot declare column `{}`",
                        of.parent.name.value, column.name.value
                    ),
                    format!(
                        "declare the column on `{}`; a partition lists only its own constraints and indexes",
                        of.parent.name.value
                    ),
                ),
                _ => elements.push(element),
            },
            Err(e) => cx.syn_error(e),
        }
    }
    Ok(TableDecl {
        name,
        renamed_from,
        partition_of,
        partition_by,
        unlogged: None,
        storage,
        elements,
    })
}

pub(super) fn parse_element(cx: &Ctxt, input: ParseStream) -> syn::Result<Element> {
    let docs = parse_docs(cx, input)?;
    if input.peek(Token![,]) {
        return Err(error(
            Sp::new(input.span()),
            "expected a column, constraint or index, found `,`",
            Some(&"remove the extra `,`"),
        ));
    }
    let starts_constraint = peek_any_kw(input, ELEMENT_KEYWORDS);
    let kind =
        if peek_kw(input, "index") || peek_kw(input, "unique") && peek_kw_at(input, 1, "index") {
            ElementKind::Index(parse_index(input)?)
        } else if starts_constraint {
            ElementKind::Constraint(parse_table_constraint(cx, input)?)
        } else {
            ElementKind::Column(Box::new(parse_column(cx, input)?))
        };
    if !input.peek(Token![,]) {
        let what = match kind {
            ElementKind::Column(_) => "a column option or `,`",
            ElementKind::Constraint(_) => "`,` after the constraint",
            ElementKind::Index(_) => "`,` after the index",
        };
        return Err(match &kind {
            ElementKind::Column(column) => misspelt_type(input, column)
                .unwrap_or_else(|| expected_one_of(input, what, COLUMN_OPTIONS)),
            _ => error(
                Sp::new(input.span()),
                format!("expected {what}, found {}", found(input)),
                None,
            ),
        });
    }
    input.parse::<Token![,]>()?;
    Ok(Element { docs, kind })
}
