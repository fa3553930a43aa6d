//! `sequence NAME [options]`.

use proc_macro2::TokenTree;
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{error, Ctxt};

use super::literals::{parse_name, parse_num, parse_qname};
use super::tokens::{bump, eat_kw, expect_kw, expected_one_of, nth, set_flag, set_once};
use super::types::{parse_type, TypeRef};
use super::{Name, QName};

/// `sequence NAME [options]`.
#[derive(Debug, Clone)]
pub struct SequenceDecl {
    /// Its name.
    pub name: QName,
    /// `as TYPE`.
    pub data_type: Option<TypeRef>,
    /// `increment [by] N`.
    pub increment: Option<i64>,
    /// `start [with] N`.
    pub start: Option<i64>,
    /// `minvalue N`.
    pub min_value: Option<i64>,
    /// `maxvalue N`.
    pub max_value: Option<i64>,
    /// `cache N`.
    pub cache: Option<i64>,
    /// `cycle`.
    pub cycle: bool,
    /// `owned by T.col`.
    pub owned_by: Option<(QName, Name)>,
}

pub(super) fn parse_sequence(cx: &Ctxt, input: ParseStream) -> syn::Result<SequenceDecl> {
    bump(input)?;
    let name = parse_qname(input, "a sequence name")?;
    let mut seq = SequenceDecl {
        name,
        data_type: None,
        increment: None,
        start: None,
        min_value: None,
        max_value: None,
        cache: None,
        cycle: false,
        owned_by: None,
    };
    let mut cycle = None;
    let mut owned_by = None;
    const OPTIONS: &[&str] = &[
        "as",
        "increment",
        "start",
        "minvalue",
        "maxvalue",
        "cache",
        "cycle",
        "owned",
        ";",
    ];
    while !input.peek(Token![;]) {
        let Some(TokenTree::Ident(kw)) = nth(input, 0) else {
            return Err(expected_one_of(input, "a sequence option or `;`", OPTIONS));
        };
        let word = kw.to_string();
        match word.as_str() {
            "as" => {
                let at = bump(input)?;
                let ty = parse_type(input)?;
                set_once(cx, &mut seq.data_type, ty, at, "as");
            }
            "increment" | "start" | "minvalue" | "maxvalue" | "cache" => {
                let at = bump(input)?;
                if word == "increment" {
                    eat_kw(input, "by")?;
                } else if word == "start" {
                    eat_kw(input, "with")?;
                }
                let n = parse_num(input, &format!("the `{word}` value"))?;
                let slot = match word.as_str() {
                    "increment" => &mut seq.increment,
                    "start" => &mut seq.start,
                    "minvalue" => &mut seq.min_value,
                    "maxvalue" => &mut seq.max_value,
                    _ => &mut seq.cache,
                };
                set_once(cx, slot, n, at, &word);
            }
            "cycle" => {
                let at = bump(input)?;
                set_flag(cx, &mut cycle, at, "cycle");
            }
            "owned" => {
                let at = bump(input)?;
                expect_kw(input, "by", "after `owned`")?;
                let mut parts = vec![parse_name(input, "a table name")?];
                while input.peek(Token![.]) {
                    input.parse::<Token![.]>()?;
                    parts.push(parse_name(input, "a name")?);
                }
                let target = match parts.len() {
                    2 => {
                        let column = parts.pop();
                        let name = parts.pop();
                        name.zip(column)
                            .map(|(name, column)| (QName { schema: None, name }, column))
                    }
                    3 => {
                        let column = parts.pop();
                        let name = parts.pop();
                        let schema = parts.pop();
                        name.zip(column)
                            .map(|(name, column)| (QName { schema, name }, column))
                    }
                    _ => None,
                };
                let Some(target) = target else {
                    return Err(error(
                        at,
                        "expected `owned by table.column`",
                        Some(&"name the column that owns the sequence: `owned by orders.id`"),
                    ));
                };
                set_once(cx, &mut owned_by, target, at, "owned by");
            }
            _ => return Err(expected_one_of(input, "a sequence option or `;`", OPTIONS)),
        }
    }
    seq.cycle = cycle.is_some();
    seq.owned_by = owned_by;
    Ok(seq)
}
