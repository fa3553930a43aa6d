//! Names, literals and SQL fragments: identifiers or strings, numbers, `default` values,
//! doc comments.

use proc_macro2::Ident;
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Lit, LitStr, Token};

use crate::ctxt::{error, Ctxt, Sp};

use super::tokens::{bump, eat_kw, found, parens, peek_str};
use super::{Name, NameList, QName, Sql};

/// An identifier (raw ones unprefixed) or a string literal.
pub(super) fn parse_name(input: ParseStream, what: &str) -> syn::Result<Name> {
    if peek_str(input) {
        let lit: LitStr = input.parse()?;
        check_suffix(&lit)?;
        return Ok(Name {
            value: lit.value(),
            span: Sp::new(lit.span()),
            is_ident: false,
        });
    }
    if input.peek(Ident::peek_any) {
        let ident = Ident::parse_any(input)?;
        return Ok(Name {
            value: ident.unraw().to_string(),
            span: Sp::new(ident.span()),
            is_ident: true,
        });
    }
    Err(error(
        Sp::new(input.span()),
        format!("expected {what}, found {}", found(input)),
        Some(&"a name is an identifier or a string literal (`\"Weird Name\"`)"),
    ))
}

/// `name` or `schema.name`.
pub(super) fn parse_qname(input: ParseStream, what: &str) -> syn::Result<QName> {
    let first = parse_name(input, what)?;
    if input.peek(Token![.]) && !input.peek(Token![..]) {
        input.parse::<Token![.]>()?;
        let name = parse_name(input, what)?;
        return Ok(QName {
            schema: Some(first),
            name,
        });
    }
    Ok(QName {
        schema: None,
        name: first,
    })
}

/// `(name, ...)`.
pub(super) fn parse_name_list(input: ParseStream, what: &str) -> syn::Result<NameList> {
    let (content, span) = parens(input, &format!("with the {what}"))?;
    let mut names = Vec::new();
    while !content.is_empty() {
        names.push(parse_name(&content, what)?);
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(error(
                Sp::new(content.span()),
                format!("expected `,` or `)`, found {}", found(&content)),
                None,
            ));
        }
        content.parse::<Token![,]>()?;
    }
    if names.is_empty() {
        return Err(error(
            span,
            format!("expected at least one {what}"),
            Some(&"list the columns between the parentheses"),
        ));
    }
    Ok(NameList { names, span })
}

pub(super) fn check_suffix(lit: &LitStr) -> syn::Result<()> {
    if lit.suffix().is_empty() {
        Ok(())
    } else {
        Err(error(
            Sp::new(lit.span()),
            format!("unexpected suffix `{}` on a string literal", lit.suffix()),
            None,
        ))
    }
}

/// The next token's value if it is a string literal whose value is its text as written:
/// `"..."` without a `\\` and raw strings, neither with a suffix. Consumed only then.
/// syn's `LitStr` fetches and parses the token's text twice (to classify it, then for
/// `value()`), and with the macro unoptimized that was a twentieth of its time at 10,000
/// tables (issue 12); anything else goes that way, for the same value or error.
fn plain_str(input: ParseStream) -> Option<(String, Sp)> {
    let (lit, _) = input.cursor().literal()?;
    let repr = lit.to_string();
    let text = match repr.strip_prefix('r') {
        Some(raw) => {
            let hashes = &raw[..raw.len() - raw.trim_start_matches('#').len()];
            raw[hashes.len()..]
                .strip_prefix('"')?
                .strip_suffix(hashes)?
                .strip_suffix('"')?
        }
        None => repr
            .strip_prefix('"')?
            .strip_suffix('"')
            .filter(|text| !text.contains('\\'))?,
    };
    let text = text.to_string();
    skip_literal(input)?;
    Some((text, Sp::new(lit.span())))
}

/// Steps over the literal [`plain_str`] or [`plain_int`] just read from the cursor.
fn skip_literal(input: ParseStream) -> Option<()> {
    input
        .step(|cursor| {
            cursor
                .literal()
                .map(|(_, rest)| ((), rest))
                .ok_or_else(|| cursor.error(""))
        })
        .ok()
}

/// A string literal of SQL.
pub(super) fn parse_sql(input: ParseStream, what: &str) -> syn::Result<Sql> {
    if let Some((text, span)) = plain_str(input) {
        return Ok(Sql { text, span });
    }
    if peek_str(input) {
        let lit: LitStr = input.parse()?;
        check_suffix(&lit)?;
        return Ok(Sql {
            text: lit.value(),
            span: Sp::new(lit.span()),
        });
    }
    let help = if input.peek(syn::LitChar) {
        "SQL goes inside a Rust string literal, quotes and all: `\"'a'\"`"
    } else {
        "SQL fragments are written as Rust string literals, e.g. `\"now()\"`, `r#\"a <> ''\"#`"
    };
    Err(error(
        Sp::new(input.span()),
        format!(
            "expected a string literal with {what}, found {}",
            found(input)
        ),
        Some(&help),
    ))
}

/// `default EXPR`'s value: SQL in a string literal, a number, `true`, `false` or `null`.
pub(super) fn parse_default_value(input: ParseStream) -> syn::Result<Sql> {
    if peek_str(input) {
        return parse_sql(input, "the default");
    }
    for word in ["true", "false", "null"] {
        if let Some(sp) = eat_kw(input, word)? {
            return Ok(Sql {
                text: word.to_string(),
                span: sp,
            });
        }
    }
    let negative = if input.peek(Token![-]) {
        Some(bump(input)?)
    } else {
        None
    };
    if input.peek(syn::LitInt) || input.peek(syn::LitFloat) {
        let (digits, sp) = parse_number(input)?;
        let text = match negative {
            Some(_) => format!("-{digits}"),
            None => digits,
        };
        return Ok(Sql {
            text,
            span: negative.map_or(sp, |n| n.to(sp)),
        });
    }
    let help = if input.peek(syn::LitChar) {
        "SQL goes inside a Rust string literal, quotes and all: `\"'a'\"`"
    } else {
        "a default is SQL in a string literal (`\"now()\"`, `\"'text'\"`), a number, `true`, `false` or `null`"
    };
    Err(error(
        Sp::new(input.span()),
        format!("expected a default value, found {}", found(input)),
        Some(&help),
    ))
}

/// An unsuffixed number literal, in base 10 digits.
pub(super) fn parse_number(input: ParseStream) -> syn::Result<(String, Sp)> {
    if let Some(plain) = plain_int(input) {
        return Ok(plain);
    }
    let lit: Lit = input.parse()?;
    let sp = Sp::new(lit.span());
    let (digits, suffix) = match &lit {
        Lit::Int(i) => (i.base10_digits().to_string(), i.suffix().to_string()),
        Lit::Float(f) => (f.base10_digits().to_string(), f.suffix().to_string()),
        _ => return Err(error(sp, "expected a number", None)),
    };
    if !suffix.is_empty() {
        return Err(error(
            sp,
            format!("unexpected suffix `{suffix}` on a number"),
            Some(&"write the plain number"),
        ));
    }
    Ok((digits, sp))
}

/// The next token's digits if it is a plain decimal integer (`16`, `0`: digits only, no
/// leading zero, no `_` or suffix), whose value syn would give as written. Consumed only then.
/// `peek(LitInt)` and `parse::<Lit>()` each fetch and parse the token's text (issue 12).
fn plain_int(input: ParseStream) -> Option<(String, Sp)> {
    let (lit, _) = input.cursor().literal()?;
    let digits = lit.to_string();
    let plain = digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0"
            || digits
                .bytes()
                .next()
                .is_some_and(|b| (b'1'..=b'9').contains(&b)));
    if !plain {
        return None;
    }
    skip_literal(input)?;
    Some((digits, Sp::new(lit.span())))
}

/// A (possibly negative) integer.
pub(super) fn parse_int<T: std::str::FromStr>(
    input: ParseStream,
    what: &str,
) -> syn::Result<(T, Sp)> {
    let negative = if input.peek(Token![-]) {
        Some(bump(input)?)
    } else {
        None
    };
    if let Some((digits, sp)) = plain_int(input) {
        return int_value(digits, negative, sp, what);
    }
    if !input.peek(syn::LitInt) {
        return Err(error(
            Sp::new(input.span()),
            format!("expected {what} (an integer), found {}", found(input)),
            None,
        ));
    }
    let (digits, sp) = parse_number(input)?;
    int_value(digits, negative, sp, what)
}

/// The integer `digits` (negated after a `-` at `negative`) as a `T`, or out of range.
fn int_value<T: std::str::FromStr>(
    digits: String,
    negative: Option<Sp>,
    sp: Sp,
    what: &str,
) -> syn::Result<(T, Sp)> {
    let text = if negative.is_some() {
        format!("-{digits}")
    } else {
        digits
    };
    let sp = negative.map_or(sp, |n| n.to(sp));
    match text.parse() {
        Ok(value) => Ok((value, sp)),
        Err(_) => Err(error(sp, format!("{what} `{text}` is out of range"), None)),
    }
}

pub(super) fn parse_num(input: ParseStream, what: &str) -> syn::Result<i64> {
    Ok(parse_int::<i64>(input, what)?.0)
}

/// Doc comments before an item or element; any other attribute is an error.
pub(super) fn parse_docs(cx: &Ctxt, input: ParseStream) -> syn::Result<Option<String>> {
    let attrs = syn::Attribute::parse_outer(input)?;
    let mut lines: Vec<String> = Vec::new();
    for attr in attrs {
        let doc = match &attr.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        };
        match doc {
            Some(text) => {
                for line in text.split('\n') {
                    lines.push(line.strip_prefix(' ').unwrap_or(line).to_string());
                }
            }
            None => {
                let span = attr.pound_token.span;
                let end = attr.bracket_token.span.close();
                cx.error(
                    Sp { start: span, end },
                    "unsupported attribute in `schema!`",
                    "only doc comments (`///`) are allowed here; they become `COMMENT ON`",
                );
            }
        }
    }
    Ok(if lines.is_empty() {
        None
    } else {
        Some(lines.join("\n"))
    })
}
