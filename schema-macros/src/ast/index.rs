//! `[unique] index [NAME] [using M] on (elements) ...`, and key expressions written as tokens,
//! rebuilt as SQL text.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Lit, Token};

use crate::ctxt::{error, Sp};

use super::constraint::{parse_include, parse_nulls_not_distinct};
use super::literals::{parse_name, parse_sql};
use super::tokens::{
    eat_kw, expect_kw, expected_one_of, found, nth, parens, peek_group, peek_kw, peek_str,
};
use super::{Name, NameList, Sql};

/// `[unique] index [NAME] [using M] on (elements) ...`.
#[derive(Debug, Clone)]
pub struct IndexDecl {
    /// `unique index` or `index`.
    pub kw: Sp,
    /// `unique`.
    pub unique: bool,
    /// Its name, if declared.
    pub name: Option<Name>,
    /// `using METHOD`.
    pub method: Option<Name>,
    /// Key elements.
    pub elements: Vec<IndexElem>,
    /// `include (cols)`.
    pub include: Option<NameList>,
    /// `nulls not distinct`.
    pub nulls_not_distinct: Option<Sp>,
    /// `with (name = value, ...)`: storage parameters.
    pub storage: Vec<(String, String)>,
    /// `where "PREDICATE"`.
    pub predicate: Option<Sql>,
}

/// One key element of an index.
#[derive(Debug, Clone)]
pub struct IndexElem {
    /// A column or an expression.
    pub target: ElemTarget,
    /// `collate NAME`.
    pub collation: Option<Name>,
    /// An operator class.
    pub opclass: Option<Name>,
    /// `desc`.
    pub descending: bool,
    /// `nulls first` / `nulls last`.
    pub nulls_first: Option<bool>,
}

/// What an index element indexes.
#[derive(Debug, Clone)]
pub enum ElemTarget {
    /// A column, written as a name.
    Column(Name),
    /// An expression: SQL in a string literal, or a call written as tokens.
    Expr {
        /// The SQL.
        sql: Sql,
        /// The identifiers inside it when written as tokens (folded as SQL folds them), for
        /// pointing at a missing column.
        idents: Vec<(String, Sp)>,
    },
}

impl ElemTarget {
    /// Where the element was written.
    pub fn span(&self) -> Sp {
        match self {
            ElemTarget::Column(name) => name.span,
            ElemTarget::Expr { sql, .. } => sql.span,
        }
    }
}

pub(super) fn parse_index(input: ParseStream) -> syn::Result<IndexDecl> {
    let unique = eat_kw(input, "unique")?;
    let index = expect_kw(input, "index", "")?;
    let kw = unique.map_or(index, |u| u.to(index));
    let name = if peek_kw(input, "using") || peek_kw(input, "on") {
        None
    } else {
        Some(parse_name(input, "an index name, `using` or `on`")?)
    };
    let method = match eat_kw(input, "using")? {
        Some(_) => Some(parse_name(input, "an index method")?),
        None => None,
    };
    if eat_kw(input, "on")?.is_none() {
        return Err(expected_one_of(
            input,
            "`on (...)` with the indexed columns",
            &["on", "using"],
        ));
    }
    let (content, list_span) = parens(input, "with the indexed columns")?;
    let mut elements = Vec::new();
    while !content.is_empty() {
        elements.push(parse_index_elem(&content)?);
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(error(
                Sp::new(content.span()),
                format!("expected `,` or `)` after an index element, found {}", found(&content)),
                Some(&"an element is a column or an expression, then optionally `collate \"C\"`, an operator class, `asc` / `desc`, `nulls first` / `nulls last`"),
            ));
        }
        content.parse::<Token![,]>()?;
    }
    if elements.is_empty() {
        return Err(error(
            list_span,
            "an index needs at least one column or expression",
            Some(&"list what it indexes: `index on (email)`"),
        ));
    }
    let include = parse_include(input)?;
    let nulls_not_distinct = parse_nulls_not_distinct(input)?;
    let storage = super::storage::parse_storage(input)?.unwrap_or_default();
    let predicate = match eat_kw(input, "where")? {
        Some(_) => Some(parse_sql(input, "the index predicate")?),
        None => None,
    };
    Ok(IndexDecl {
        kw,
        unique: unique.is_some(),
        name,
        method,
        elements,
        include,
        nulls_not_distinct,
        storage,
        predicate,
    })
}

/// Words after an element that are not its operator class (`with` ends an exclusion
/// constraint's element: `room with =`).
pub(super) const ELEM_KEYWORDS: &[&str] = &["collate", "asc", "desc", "nulls", "with"];

pub(super) fn parse_index_elem(input: ParseStream) -> syn::Result<IndexElem> {
    let target = if peek_str(input) {
        let sql = parse_sql(input, "an index expression")?;
        ElemTarget::Expr {
            sql,
            idents: Vec::new(),
        }
    } else if peek_group(input, Delimiter::Parenthesis) || is_call(input) {
        parse_token_expr(input)?
    } else {
        ElemTarget::Column(parse_name(input, "a column or an expression")?)
    };
    let collation = match eat_kw(input, "collate")? {
        Some(_) => Some(parse_name(input, "a collation name")?),
        None => None,
    };
    let opclass = match nth(input, 0) {
        Some(TokenTree::Ident(i)) if !ELEM_KEYWORDS.contains(&i.to_string().as_str()) => {
            Some(parse_name(input, "an operator class")?)
        }
        _ => None,
    };
    let mut descending = false;
    if eat_kw(input, "desc")?.is_some() {
        descending = true;
    } else {
        eat_kw(input, "asc")?;
    }
    let nulls_first = if eat_kw(input, "nulls")?.is_some() {
        if eat_kw(input, "first")?.is_some() {
            Some(true)
        } else if eat_kw(input, "last")?.is_some() {
            Some(false)
        } else {
            return Err(expected_one_of(
                input,
                "`first` or `last` after `nulls`",
                &["first", "last"],
            ));
        }
    } else {
        None
    };
    Ok(IndexElem {
        target,
        collation,
        opclass,
        descending,
        nulls_first,
    })
}

/// True if a function call written as tokens is next: `f(...)` or `schema.f(...)`.
pub(super) fn is_call(input: ParseStream) -> bool {
    let mut n = 0;
    loop {
        if !matches!(nth(input, n), Some(TokenTree::Ident(_))) {
            return false;
        }
        match nth(input, n + 1) {
            Some(TokenTree::Group(g)) => return g.delimiter() == Delimiter::Parenthesis,
            Some(TokenTree::Punct(p)) if p.as_char() == '.' => n += 2,
            _ => return false,
        }
    }
}

/// An expression written as tokens: `lower(email)`, `(a + b)`, rebuilt as SQL text.
pub(super) fn parse_token_expr(input: ParseStream) -> syn::Result<ElemTarget> {
    let start = Sp::new(input.span());
    let mut tokens = Vec::new();
    if peek_group(input, Delimiter::Parenthesis) {
        tokens.push(input.parse::<TokenTree>()?);
    } else {
        loop {
            tokens.push(input.parse::<TokenTree>()?);
            if peek_group(input, Delimiter::Parenthesis) {
                tokens.push(input.parse::<TokenTree>()?);
                break;
            }
            tokens.push(input.parse::<TokenTree>()?);
        }
    }
    let end = tokens.last().map_or(start, |t| Sp::new(t.span()));
    let mut text = String::new();
    let mut idents = Vec::new();
    render_sql(tokens.into_iter().collect(), &mut text, &mut idents, 0)?;
    Ok(ElemTarget::Expr {
        sql: Sql {
            text,
            span: start.to(end),
        },
        idents,
    })
}

/// Writes tokens as SQL: identifiers bare (raw ones unprefixed), numbers as written, no
/// space before `(` after a name or around `.`. String literals are refused: in tokens they
/// would read as Rust strings, not SQL ones.
pub(super) fn render_sql(
    tokens: TokenStream,
    out: &mut String,
    idents: &mut Vec<(String, Sp)>,
    depth: usize,
) -> syn::Result<()> {
    if depth > 32 {
        return Err(error(
            Sp::call_site(),
            "expression nested too deeply",
            Some(&"write it as a string literal of SQL"),
        ));
    }
    let mut glue = true;
    for tt in tokens {
        match tt {
            TokenTree::Ident(ident) => {
                if !glue {
                    out.push(' ');
                }
                let name = ident.unraw().to_string();
                idents.push((name.to_lowercase(), Sp::new(ident.span())));
                out.push_str(&name);
                glue = false;
            }
            TokenTree::Literal(lit) => {
                let sp = Sp::new(lit.span());
                let parsed = Lit::new(lit);
                let text = match &parsed {
                    Lit::Int(i) if i.suffix().is_empty() => i.base10_digits().to_string(),
                    Lit::Float(f) if f.suffix().is_empty() => f.base10_digits().to_string(),
                    _ => {
                        return Err(error(
                            sp,
                            "a literal inside an expression written as tokens must be a plain number",
                            Some(&"write the whole expression as a string literal of SQL: `\"to_tsvector('english', body)\"`"),
                        ))
                    }
                };
                if !glue {
                    out.push(' ');
                }
                out.push_str(&text);
                glue = false;
            }
            TokenTree::Punct(p) => {
                let ch = p.as_char();
                if ch == '.' {
                    out.push('.');
                    glue = true;
                } else if ch == ',' {
                    out.push_str(", ");
                    glue = true;
                } else {
                    if !glue && !out.ends_with(|c: char| "+-*/<>=!~@#%^&|`?:".contains(c)) {
                        out.push(' ');
                    }
                    out.push(ch);
                    glue = p.spacing() == Spacing::Joint;
                    if !glue {
                        out.push(' ');
                        glue = true;
                    }
                }
            }
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                    Delimiter::Brace => {
                        return Err(error(
                            Sp::new(g.span()),
                            "unexpected `{` in an expression",
                            Some(&"write the expression as a string literal of SQL"),
                        ))
                    }
                };
                out.push_str(open);
                render_sql(g.stream(), out, idents, depth + 1)?;
                out.push_str(close);
                glue = false;
            }
        }
    }
    Ok(())
}
