//! A column element: `name type options`, its column constraints included.

use proc_macro2::TokenTree;
use schema_core::model::{
    Identity, Storage, ATTRIBUTE_OPTIONS, COMPRESSION_METHODS, STATISTICS_RANGE,
};
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{error, Ctxt, Sp};

use super::constraint::{parse_column_constraint, ColumnConstraint, ColumnConstraintKind};
use super::literals::{parse_default_value, parse_int, parse_name, parse_number, parse_sql};
use super::tokens::{bump, eat_kw, expect_kw, found, nth, parens, set_flag, set_once};
use super::types::{parse_type, TypeRef};
use super::{Name, Sql};

/// `name type options`.
#[derive(Debug, Clone)]
pub struct ColumnDecl {
    /// Its name.
    pub name: Name,
    /// Its type.
    pub ty: TypeRef,
    /// `not null`.
    pub not_null: Option<Sp>,
    /// `null`.
    pub null: Option<Sp>,
    /// `default EXPR`.
    pub default: Option<Sql>,
    /// `generated ... as identity`.
    pub identity: Option<(Identity, Sp)>,
    /// `generated always as "EXPR" stored`.
    pub generated: Option<Sql>,
    /// `collate NAME`.
    pub collate: Option<Name>,
    /// `renamed_from OLD`.
    pub renamed_from: Option<Name>,
    /// `using "EXPR"`: how values convert from the live column's type.
    pub using: Option<Sql>,
    /// `statistics N`: the statistics target.
    pub statistics: Option<(i32, Sp)>,
    /// `storage plain|external|extended|main`.
    pub storage: Option<(Storage, Sp)>,
    /// `compression pglz|lz4`.
    pub compression: Option<Name>,
    /// `with (n_distinct = N, ...)`: attribute options, names in lower case.
    pub options: Option<(Vec<(String, String)>, Sp)>,
    /// Column constraints in order.
    pub constraints: Vec<ColumnConstraint>,
}

pub(super) const COLUMN_OPTIONS: &[&str] = &[
    "not",
    "null",
    "default",
    "generated",
    "collate",
    "primary",
    "unique",
    "references",
    "check",
    "constraint",
    "renamed_from",
    "using",
    "statistics",
    "storage",
    "compression",
    "with",
    ",",
];

/// `double precison`: an unknown word right after a type that, with the type, is close to a
/// multi-word built-in type.
pub(super) fn misspelt_type(input: ParseStream, column: &ColumnDecl) -> Option<syn::Error> {
    let has_options = column.not_null.is_some()
        || column.null.is_some()
        || column.default.is_some()
        || column.identity.is_some()
        || column.generated.is_some()
        || column.collate.is_some()
        || column.renamed_from.is_some()
        || column.using.is_some()
        || column.statistics.is_some()
        || column.storage.is_some()
        || column.compression.is_some()
        || column.options.is_some()
        || !column.constraints.is_empty();
    let Some(TokenTree::Ident(word)) = nth(input, 0) else {
        return None;
    };
    if has_options
        || column.ty.user.is_some()
        || column.ty.array
        || column.ty.modifiers_span.is_some()
    {
        return None;
    }
    let written = format!("{} {word}", column.ty.text);
    let close = schema_core::suggest::closest(&written, schema_core::types::builtin_type_names())?;
    Some(error(
        column.ty.span.to(Sp::new(word.span())),
        format!("unknown type `{written}`"),
        Some(&format!("did you mean `{close}`?")),
    ))
}

/// The help line for a word that is not one of `known`: the closest, or all of them.
fn suggest_one(word: &str, known: &[&str]) -> String {
    match schema_core::suggest::closest(&word.to_lowercase(), known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? (one of {})", known.join(", ")),
        None => format!("one of {}", known.join(", ")),
    }
}

/// `(n_distinct = -1, n_distinct_inherited = 100)`, after `with`: a column's attribute
/// options, values as numbers (a fraction of the rows when negative).
fn parse_attribute_options(
    cx: &Ctxt,
    input: ParseStream,
) -> syn::Result<(Vec<(String, String)>, Sp)> {
    let (content, span) = parens(
        input,
        "with the attribute options, `with (n_distinct = -1)`",
    )?;
    let mut options: Vec<(String, String)> = Vec::new();
    let mut listed = false;
    while !content.is_empty() {
        listed = true;
        let name = parse_name(&content, "an attribute option name")?;
        if !content.peek(Token![=]) {
            return Err(error(
                Sp::new(content.span()),
                format!(
                    "expected `=` and a value after attribute option `{}`, found {}",
                    name.value,
                    found(&content)
                ),
                Some(&"write `name = value`: `with (n_distinct = -1)`"),
            ));
        }
        content.parse::<Token![=]>()?;
        let negative = if content.peek(Token![-]) {
            bump(&content)?;
            "-"
        } else {
            ""
        };
        if !(content.peek(syn::LitInt) || content.peek(syn::LitFloat)) {
            return Err(error(
                Sp::new(content.span()),
                format!(
                    "expected a number for attribute option `{}`, found {}",
                    name.value,
                    found(&content)
                ),
                Some(&"`n_distinct` is a count of distinct values, or minus a fraction of the rows (`-0.5`)"),
            ));
        }
        let value = format!("{negative}{}", parse_number(&content)?.0);
        let lower = name.value.to_lowercase();
        if ATTRIBUTE_OPTIONS.contains(&lower.as_str()) {
            options.retain(|(n, _)| *n != lower);
            options.push((lower, value));
        } else {
            cx.error(
                name.span,
                format!("unknown attribute option `{}`", name.value),
                suggest_one(&name.value, ATTRIBUTE_OPTIONS),
            );
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    if !listed {
        return Err(error(
            span,
            "`with ()` lists no attribute option",
            Some(&"list them, `with (n_distinct = -1)`, or remove `with ()`"),
        ));
    }
    Ok((options, span))
}

pub(super) fn parse_column(cx: &Ctxt, input: ParseStream) -> syn::Result<ColumnDecl> {
    let name = parse_name(input, "a column name")?;
    if input.peek(Token![,]) {
        return Err(error(
            name.span,
            format!("column `{}` has no type", name.value),
            Some(&"write its type after the name: `email text`"),
        ));
    }
    let ty = parse_type(input)?;
    let mut column = ColumnDecl {
        name,
        ty,
        not_null: None,
        null: None,
        default: None,
        identity: None,
        generated: None,
        collate: None,
        renamed_from: None,
        using: None,
        statistics: None,
        storage: None,
        compression: None,
        options: None,
        constraints: Vec::new(),
    };
    let mut primary = None;
    let mut unique = None;
    loop {
        let Some(TokenTree::Ident(kw)) = nth(input, 0) else {
            break;
        };
        let at = Sp::new(kw.span());
        match kw.to_string().as_str() {
            "not" => {
                bump(input)?;
                let end = expect_kw(input, "null", "after `not`")?;
                set_flag(cx, &mut column.not_null, at.to(end), "not null");
            }
            "null" => {
                bump(input)?;
                set_flag(cx, &mut column.null, at, "null");
            }
            "default" => {
                bump(input)?;
                let value = parse_default_value(input)?;
                set_once(cx, &mut column.default, value, at, "default");
            }
            "generated" => {
                bump(input)?;
                if eat_kw(input, "by")?.is_some() {
                    expect_kw(input, "default", "after `generated by`")?;
                    expect_kw(input, "as", "after `generated by default`")?;
                    let end = expect_kw(input, "identity", "after `generated by default as`")?;
                    set_once(
                        cx,
                        &mut column.identity,
                        (Identity::ByDefault, at.to(end)),
                        at,
                        "generated",
                    );
                } else {
                    expect_kw(input, "always", "after `generated` (or `by default`)")?;
                    expect_kw(input, "as", "after `generated always`")?;
                    if let Some(end) = eat_kw(input, "identity")? {
                        set_once(
                            cx,
                            &mut column.identity,
                            (Identity::Always, at.to(end)),
                            at,
                            "generated",
                        );
                    } else {
                        let expr = parse_sql(input, "the generation expression")?;
                        expect_kw(input, "stored", "after a generation expression")?;
                        set_once(cx, &mut column.generated, expr, at, "generated");
                    }
                }
            }
            "collate" => {
                bump(input)?;
                let name = parse_name(input, "a collation name")?;
                set_once(cx, &mut column.collate, name, at, "collate");
            }
            "renamed_from" => {
                bump(input)?;
                let name = parse_name(input, "the column's previous name")?;
                set_once(cx, &mut column.renamed_from, name, at, "renamed_from");
            }
            "using" => {
                bump(input)?;
                let expr = parse_sql(
                    input,
                    "how to convert the old values, e.g. \"current_date + created_at\"",
                )?;
                set_once(cx, &mut column.using, expr, at, "using");
            }
            "statistics" => {
                bump(input)?;
                let (target, sp) = parse_int::<i64>(input, "a statistics target")?;
                match i32::try_from(target)
                    .ok()
                    .filter(|t| STATISTICS_RANGE.contains(t))
                {
                    Some(target) => {
                        set_once(cx, &mut column.statistics, (target, sp), at, "statistics")
                    }
                    None => cx.error(
                        sp,
                        format!(
                            "statistics target {target} of column `{}` is out of range",
                            column.name.value
                        ),
                        "a statistics target is from 0 to 10000, or -1 for the server's default",
                    ),
                }
            }
            "storage" => {
                bump(input)?;
                let word = parse_name(input, "a storage kind: plain, external, extended or main")?;
                match Storage::from_keyword(&word.value) {
                    Some(kind) => set_once(
                        cx,
                        &mut column.storage,
                        (kind, at.to(word.span)),
                        at,
                        "storage",
                    ),
                    None => cx.error(
                        word.span,
                        format!("unknown storage kind `{}`", word.value),
                        suggest_one(&word.value, &["plain", "external", "extended", "main"]),
                    ),
                }
            }
            "compression" => {
                bump(input)?;
                let method = parse_name(input, "a compression method: pglz or lz4")?;
                if COMPRESSION_METHODS.contains(&method.value.to_lowercase().as_str()) {
                    set_once(cx, &mut column.compression, method, at, "compression");
                } else {
                    cx.error(
                        method.span,
                        format!("unknown compression method `{}`", method.value),
                        suggest_one(&method.value, COMPRESSION_METHODS),
                    );
                }
            }
            "with" => {
                bump(input)?;
                let options = parse_attribute_options(cx, input)?;
                set_once(cx, &mut column.options, options, at, "with");
            }
            "constraint" | "primary" | "unique" | "references" | "check" => {
                let constraint = parse_column_constraint(input)?;
                match constraint.kind {
                    ColumnConstraintKind::PrimaryKey => {
                        set_flag(cx, &mut primary, constraint.kw, "primary key")
                    }
                    ColumnConstraintKind::Unique { .. } => {
                        set_flag(cx, &mut unique, constraint.kw, "unique")
                    }
                    _ => {}
                }
                column.constraints.push(constraint);
            }
            _ => break,
        }
    }
    if let (Some(_), Some(null)) = (column.not_null, column.null) {
        cx.error(
            null,
            format!(
                "column `{}` is declared both `not null` and `null`",
                column.name.value
            ),
            "keep one of the two",
        );
    }
    Ok(column)
}
