//! A table's partitioning clauses: `partition by range | list | hash (key)` and
//! `partition of PARENT for values ... | default`.

use proc_macro2::TokenTree;
use schema_core::ident::quote_literal;
use schema_core::model::PartitionStrategy;
use syn::parse::ParseStream;
use syn::{LitStr, Token};

use crate::ctxt::{error, Sp};

use super::index::{parse_index_elem, IndexElem};
use super::literals::{check_suffix, parse_int, parse_number, parse_qname};
use super::tokens::{bump, eat_kw, expect_kw, expected_one_of, found, nth, parens, peek_str};
use super::QName;

/// `partition by STRATEGY (elements)`.
#[derive(Debug, Clone)]
pub struct PartitionByDecl {
    /// From `partition` to the strategy.
    pub kw: Sp,
    /// `range`, `list` or `hash`.
    pub strategy: PartitionStrategy,
    /// The key: columns or expressions, each with an optional collation and operator class.
    pub elements: Vec<IndexElem>,
}

/// `partition of PARENT BOUND`.
#[derive(Debug, Clone)]
pub struct PartitionOfDecl {
    /// The partitioned table.
    pub parent: QName,
    /// Which rows the partition holds.
    pub bound: BoundDecl,
    /// From `for` (or `default`) to the end of the bound.
    pub bound_span: Sp,
}

/// A partition bound as written.
#[derive(Debug, Clone)]
pub enum BoundDecl {
    /// `for values from (..) to (..)`.
    Range {
        /// Lower bound values, as SQL.
        from: Vec<String>,
        /// Upper bound values, as SQL.
        to: Vec<String>,
    },
    /// `for values in (..)`, values as SQL.
    List(Vec<String>),
    /// `for values with (modulus M, remainder R)`.
    Hash {
        /// The modulus.
        modulus: u32,
        /// The remainder.
        remainder: u32,
    },
    /// `default`.
    Default,
}

const STRATEGIES: &[&str] = &["range", "list", "hash"];

/// After `partition`: `by STRATEGY (key)`. `kw` is the span of `partition`.
pub(super) fn parse_partition_by(input: ParseStream, kw: Sp) -> syn::Result<PartitionByDecl> {
    expect_kw(input, "by", "after `partition`")?;
    let strategy = match nth(input, 0) {
        Some(TokenTree::Ident(i)) if i == "range" => PartitionStrategy::Range,
        Some(TokenTree::Ident(i)) if i == "list" => PartitionStrategy::List,
        Some(TokenTree::Ident(i)) if i == "hash" => PartitionStrategy::Hash,
        _ => {
            return Err(expected_one_of(
                input,
                "how the table is partitioned",
                STRATEGIES,
            ))
        }
    };
    let strategy_span = bump(input)?;
    let (content, list_span) = parens(input, "with the partition key")?;
    let mut elements = Vec::new();
    while !content.is_empty() {
        let element_start = Sp::new(content.span());
        let element = parse_index_elem(&content)?;
        if element.descending || element.nulls_first.is_some() {
            return Err(error(
                element_start,
                "a partition key element takes no `asc`, `desc` or `nulls` order",
                Some(&"write the column or expression, optionally with `collate` and an operator class"),
            ));
        }
        elements.push(element);
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(error(
                Sp::new(content.span()),
                format!(
                    "expected `,` or `)` after a partition key element, found {}",
                    found(&content)
                ),
                None,
            ));
        }
        content.parse::<Token![,]>()?;
    }
    if elements.is_empty() {
        return Err(error(
            list_span,
            "a partition key needs at least one column or expression",
            Some(&"list what the table is partitioned by: `partition by range (created_at)`"),
        ));
    }
    Ok(PartitionByDecl {
        kw: kw.to(strategy_span),
        strategy,
        elements,
    })
}

/// After `partition`: `of PARENT (for values ... | default)`.
pub(super) fn parse_partition_of(input: ParseStream) -> syn::Result<PartitionOfDecl> {
    expect_kw(input, "of", "after `partition`")?;
    let parent = parse_qname(input, "the partitioned table")?;
    if let Some(sp) = eat_kw(input, "default")? {
        return Ok(PartitionOfDecl {
            parent,
            bound: BoundDecl::Default,
            bound_span: sp,
        });
    }
    let Some(start) = eat_kw(input, "for")? else {
        return Err(error(
            Sp::new(input.span()),
            format!(
                "expected the partition's bound, `for values ...` or `default`, found {}",
                found(input)
            ),
            Some(&"write `for values from (..) to (..)`, `for values in (..)`, `for values with (modulus M, remainder R)` or `default`"),
        ));
    };
    expect_kw(input, "values", "after `for`")?;
    let (bound, end) = if eat_kw(input, "from")?.is_some() {
        let (from, _) = parse_values(input, "with the lower bound")?;
        expect_kw(input, "to", "and the upper bound")?;
        let (to, end) = parse_values(input, "with the upper bound")?;
        (BoundDecl::Range { from, to }, end)
    } else if eat_kw(input, "in")?.is_some() {
        let (values, end) = parse_values(input, "with the values the partition holds")?;
        (BoundDecl::List(values), end)
    } else if eat_kw(input, "with")?.is_some() {
        let (content, end) = parens(input, "with `modulus M, remainder R`")?;
        expect_kw(&content, "modulus", "in a hash partition bound")?;
        let (modulus, _) = parse_int::<u32>(&content, "the modulus")?;
        content.parse::<Token![,]>()?;
        expect_kw(&content, "remainder", "after the modulus")?;
        let (remainder, _) = parse_int::<u32>(&content, "the remainder")?;
        if !content.is_empty() {
            return Err(error(
                Sp::new(content.span()),
                format!("unexpected {} after the remainder", found(&content)),
                None,
            ));
        }
        (BoundDecl::Hash { modulus, remainder }, end)
    } else {
        return Err(expected_one_of(
            input,
            "the partition's bound after `for values`",
            &["from", "in", "with"],
        ));
    };
    Ok(PartitionOfDecl {
        parent,
        bound,
        bound_span: start.to(end),
    })
}

/// `(value, ...)`: each value as SQL. A string literal is the value's text (`"2022-01-01"`
/// is `'2022-01-01'`: Rust cannot tokenize SQL's single quotes), then numbers, `minvalue`,
/// `maxvalue`, `null`, `true` and `false`.
fn parse_values(input: ParseStream, what: &str) -> syn::Result<(Vec<String>, Sp)> {
    let (content, span) = parens(input, what)?;
    let mut values = Vec::new();
    while !content.is_empty() {
        values.push(parse_value(&content)?);
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(error(
                Sp::new(content.span()),
                format!(
                    "expected `,` or `)` after a bound value, found {}",
                    found(&content)
                ),
                None,
            ));
        }
        content.parse::<Token![,]>()?;
    }
    if values.is_empty() {
        return Err(error(
            span,
            "a partition bound needs at least one value",
            Some(&"e.g. `for values in (1, 2)` or `for values from (minvalue) to (10)`"),
        ));
    }
    Ok((values, span))
}

fn parse_value(input: ParseStream) -> syn::Result<String> {
    if peek_str(input) {
        let lit: LitStr = input.parse()?;
        check_suffix(&lit)?;
        return Ok(quote_literal(&lit.value()));
    }
    for (word, sql) in [
        ("minvalue", "MINVALUE"),
        ("maxvalue", "MAXVALUE"),
        ("null", "NULL"),
        ("true", "true"),
        ("false", "false"),
    ] {
        if eat_kw(input, word)?.is_some() {
            return Ok(sql.to_string());
        }
    }
    let negative = if input.peek(Token![-]) {
        bump(input)?;
        true
    } else {
        false
    };
    if input.peek(syn::LitInt) || input.peek(syn::LitFloat) {
        let (digits, _) = parse_number(input)?;
        return Ok(if negative {
            format!("-{digits}")
        } else {
            digits
        });
    }
    let help = if input.peek(syn::LitChar) {
        "write text and dates as Rust string literals: `\"2022-01-01\"` is the SQL value '2022-01-01'"
    } else {
        "a bound value is a string literal (`\"2022-01-01\"`, `\"a\"`), a number, `minvalue`, `maxvalue`, `null`, `true` or `false`"
    };
    Err(error(
        Sp::new(input.span()),
        format!("expected a partition bound value, found {}", found(input)),
        Some(&help),
    ))
}
