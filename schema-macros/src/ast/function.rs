//! `function` / `procedure`: arguments, `returns`, options and the body.

use proc_macro2::{Delimiter, TokenTree};
use schema_core::model::{ArgMode, BodyStyle, Volatility};
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{error, Ctxt, Sp};

use super::literals::{parse_default_value, parse_name, parse_number, parse_qname, parse_sql};
use super::tokens::{
    bump, eat_kw, expected_one_of, found, nth, parens, peek_group_at, peek_kw, peek_str, set_flag,
    set_once,
};
use super::types::{parse_type, type_continues, TypeRef};
use super::{Name, QName, Sql};

/// `function` or `procedure`.
#[derive(Debug, Clone)]
pub struct FunctionDecl {
    /// `procedure`.
    pub is_procedure: bool,
    /// Its name.
    pub name: QName,
    /// Its arguments.
    pub args: Vec<ArgDecl>,
    /// `returns ...`.
    pub returns: Option<ReturnsDecl>,
    /// `language L`.
    pub language: Name,
    /// `immutable | stable | volatile`.
    pub volatility: Volatility,
    /// `strict`.
    pub strict: bool,
    /// `security definer`.
    pub security_definer: bool,
    /// `set NAME = "VALUE"`.
    pub config: Vec<(String, String)>,
    /// `as BODY`, `return "EXPR"` or `begin atomic "STATEMENTS"`.
    pub body: Sql,
    /// Which of the three the body is.
    pub body_style: BodyStyle,
}

/// `[mode] [name] type [default EXPR]`.
#[derive(Debug, Clone)]
pub struct ArgDecl {
    /// `in | out | inout | variadic`.
    pub mode: ArgMode,
    /// Its name.
    pub name: Option<Name>,
    /// Its type.
    pub ty: TypeRef,
    /// `default EXPR`.
    pub default: Option<Sql>,
}

/// `returns ...`.
#[derive(Debug, Clone)]
pub struct ReturnsDecl {
    /// From `returns` to the end of the type.
    pub span: Sp,
    /// What it returns.
    pub kind: ReturnsKind,
}

/// The kinds of `returns`.
#[derive(Debug, Clone)]
pub enum ReturnsKind {
    /// `returns TYPE`.
    Type(TypeRef),
    /// `returns setof TYPE`.
    SetOf(TypeRef),
    /// `returns table (name type, ...)`.
    Table(Vec<(Name, TypeRef)>),
}

pub(super) fn parse_function(cx: &Ctxt, input: ParseStream) -> syn::Result<FunctionDecl> {
    let is_procedure = peek_kw(input, "procedure");
    let what = if is_procedure {
        "procedure"
    } else {
        "function"
    };
    bump(input)?;
    let name = parse_qname(input, &format!("a {what} name"))?;
    let (content, _) = parens(input, "with the arguments (write `()` for none)")?;
    let mut args = Vec::new();
    while !content.is_empty() {
        args.push(parse_arg(&content)?);
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(error(
                Sp::new(content.span()),
                format!(
                    "expected `,` or `)` after an argument, found {}",
                    found(&content)
                ),
                Some(&"an argument is `[in | out | inout | variadic] [name] type [default EXPR]`"),
            ));
        }
        content.parse::<Token![,]>()?;
    }

    let mut returns = None;
    let mut language = None;
    let mut volatility = None;
    let mut strict = None;
    let mut security = None;
    let mut config = Vec::new();
    let (body, body_style) = loop {
        let Some(TokenTree::Ident(word)) = nth(input, 0) else {
            return Err(expected_one_of(
                input,
                &format!("a {what} option or the body (`as`, `return`, `begin atomic`)"),
                FUNCTION_OPTIONS,
            ));
        };
        let at = Sp::new(word.span());
        match word.to_string().as_str() {
            "returns" if is_procedure => {
                return Err(error(
                    at,
                    "a procedure returns nothing",
                    Some(&"remove `returns`, or declare a `function`; a procedure hands values back through `out` / `inout` arguments"),
                ));
            }
            "returns" => {
                bump(input)?;
                let r = parse_returns(input, at)?;
                set_once(cx, &mut returns, r, at, "returns");
            }
            "language" => {
                bump(input)?;
                let l = parse_name(input, "a language name")?;
                set_once(cx, &mut language, l, at, "language");
            }
            w @ ("immutable" | "stable" | "volatile") => {
                bump(input)?;
                let v = match w {
                    "immutable" => Volatility::Immutable,
                    "stable" => Volatility::Stable,
                    _ => Volatility::Volatile,
                };
                set_once(cx, &mut volatility, v, at, "immutable | stable | volatile");
            }
            "strict" => {
                bump(input)?;
                set_flag(cx, &mut strict, at, "strict");
            }
            "security" => {
                bump(input)?;
                let definer = if eat_kw(input, "definer")?.is_some() {
                    true
                } else if eat_kw(input, "invoker")?.is_some() {
                    false
                } else {
                    return Err(expected_one_of(
                        input,
                        "`definer` or `invoker` after `security`",
                        &["definer", "invoker"],
                    ));
                };
                set_once(cx, &mut security, definer, at, "security");
            }
            "set" => {
                bump(input)?;
                let name = parse_name(input, "a setting name")?;
                if !input.peek(Token![=]) && !peek_kw(input, "to") {
                    return Err(error(
                        Sp::new(input.span()),
                        format!(
                            "expected `=` after the setting name, found {}",
                            found(input)
                        ),
                        Some(&"write `set search_path = \"public, pg_temp\"`"),
                    ));
                }
                bump(input)?;
                let value = if peek_str(input) {
                    parse_sql(input, "the setting's value")?.text
                } else if input.peek(syn::LitInt) || input.peek(syn::LitFloat) {
                    parse_number(input)?.0
                } else {
                    parse_name(input, "the setting's value")?.value
                };
                config.push((name.value, value));
            }
            "as" => {
                bump(input)?;
                break (
                    parse_sql(input, &format!("the {what} body"))?,
                    BodyStyle::Quoted,
                );
            }
            // SQL-standard bodies: the text is SQL the server parses when it creates the
            // function, written without quotes around it in PostgreSQL.
            "return" => {
                bump(input)?;
                break (
                    parse_sql(input, "the expression the function returns")?,
                    BodyStyle::Return,
                );
            }
            "begin" => {
                bump(input)?;
                if eat_kw(input, "atomic")?.is_none() {
                    return Err(expected_one_of(
                        input,
                        "`atomic` after `begin`",
                        &["atomic"],
                    ));
                }
                break (
                    parse_sql(input, "the statements of the `begin atomic` body")?,
                    BodyStyle::Atomic,
                );
            }
            _ => {
                return Err(expected_one_of(
                    input,
                    &format!("a {what} option or the body (`as`, `return`, `begin atomic`)"),
                    FUNCTION_OPTIONS,
                ))
            }
        }
    };
    let Some(language) = language else {
        return Err(error(
            name.span(),
            format!("{what} `{}` has no `language`", name.name.value),
            Some(&"add `language sql` or `language plpgsql` before `as`"),
        ));
    };
    let has_out = args
        .iter()
        .any(|a| matches!(a.mode, ArgMode::Out | ArgMode::InOut));
    if !is_procedure && returns.is_none() && !has_out {
        return Err(error(
            name.span(),
            format!("function `{}` has no `returns`", name.name.value),
            Some(&"add `returns TYPE` (`returns void` for none) after the arguments"),
        ));
    }
    Ok(FunctionDecl {
        is_procedure,
        name,
        args,
        returns,
        language,
        volatility: volatility.unwrap_or_default(),
        strict: strict.is_some(),
        security_definer: security.unwrap_or(false),
        config,
        body,
        body_style,
    })
}

pub(super) const FUNCTION_OPTIONS: &[&str] = &[
    "returns",
    "language",
    "immutable",
    "stable",
    "volatile",
    "strict",
    "security",
    "set",
    "as",
    "return",
    "begin",
];

pub(super) fn parse_returns(input: ParseStream, at: Sp) -> syn::Result<ReturnsDecl> {
    if eat_kw(input, "setof")?.is_some() {
        let ty = parse_type(input)?;
        return Ok(ReturnsDecl {
            span: at.to(ty.span),
            kind: ReturnsKind::SetOf(ty),
        });
    }
    if peek_kw(input, "table") && peek_group_at(input, 1, Delimiter::Parenthesis) {
        bump(input)?;
        let (content, span) = parens(input, "")?;
        let mut columns = Vec::new();
        while !content.is_empty() {
            let name = parse_name(&content, "a result column name")?;
            let ty = parse_type(&content)?;
            columns.push((name, ty));
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        return Ok(ReturnsDecl {
            span: at.to(span),
            kind: ReturnsKind::Table(columns),
        });
    }
    let ty = parse_type(input)?;
    Ok(ReturnsDecl {
        span: at.to(ty.span),
        kind: ReturnsKind::Type(ty),
    })
}

/// `[in | out | inout | variadic] [name] type [default EXPR]`.
pub(super) fn parse_arg(input: ParseStream) -> syn::Result<ArgDecl> {
    let mut mode = ArgMode::In;
    for (word, m) in [
        ("in", ArgMode::In),
        ("out", ArgMode::Out),
        ("inout", ArgMode::InOut),
        ("variadic", ArgMode::Variadic),
    ] {
        // A mode word followed by `,` / `)` / a type modifier is an argument's type or name.
        if peek_kw(input, word) && starts_name_or_type(nth(input, 1)) {
            bump(input)?;
            mode = m;
            break;
        }
    }
    // `name type` or just `type`: a name is followed by the start of a type, unless the two
    // words are one type (`double precision`).
    let first = nth(input, 0);
    let second = nth(input, 1);
    let named = match (&first, &second) {
        (Some(TokenTree::Ident(a)), Some(TokenTree::Ident(b))) => {
            let b = b.to_string();
            !type_continues(&a.to_string().to_ascii_lowercase(), &b)
                && b != "default"
                && !(matches!(
                    a.to_string().to_ascii_lowercase().as_str(),
                    "time" | "timestamp"
                ) && (b == "with" || b == "without"))
        }
        (Some(TokenTree::Ident(_) | TokenTree::Literal(_)), Some(TokenTree::Literal(_))) => true,
        _ => false,
    };
    let name = if named {
        Some(parse_name(input, "an argument name")?)
    } else {
        None
    };
    let ty = parse_type(input)?;
    let default = match eat_kw(input, "default")? {
        Some(_) => Some(parse_default_value(input)?),
        None => None,
    };
    Ok(ArgDecl {
        mode,
        name,
        ty,
        default,
    })
}

pub(super) fn starts_name_or_type(tt: Option<TokenTree>) -> bool {
    matches!(tt, Some(TokenTree::Ident(_) | TokenTree::Literal(_)))
}
