//! Syntax: the `schema!` input parsed into a typed IR that keeps the span of every name, type,
//! keyword and literal, so the later phases can put each error on the exact token.
//!
//! The input is cut into items at `;` (and after a `{ ... }` body), a table body into elements
//! at `,`, before any parsing; each piece is parsed on its own. A syntax error thus costs one
//! item or one element, and one compile reports every bad column.

use proc_macro2::{Delimiter, Punct, Spacing, Span, TokenStream, TokenTree};
use syn::buffer::Cursor;
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};
use syn::Token;

use crate::ctxt::{error, Ctxt, Sp};

mod aggregate;
mod column;
mod composite_type;
mod constraint;
mod domain;
mod enum_type;
mod extension;
mod function;
mod grant;
mod index;
mod literals;
mod partition;
mod policy;
mod range_type;
mod sequence;
mod storage;
mod table;
mod tokens;
mod trigger;
mod types;
mod view;

pub use aggregate::AggregateDecl;
pub use column::ColumnDecl;
pub use composite_type::CompositeDecl;
pub use constraint::{
    ColumnConstraint, ColumnConstraintKind, ConstraintDecl, ConstraintDeclKind, Deferral,
    ExclusionElem, FkTarget,
};
pub use domain::DomainDecl;
pub use enum_type::EnumDecl;
pub use extension::ExtensionDecl;
pub use function::{FunctionDecl, ReturnsKind};
pub use grant::{DefaultPrivilegesDecl, GrantDecl, GrantTarget, PrivilegeDecl};
pub use index::{ElemTarget, IndexDecl, IndexElem};
pub use partition::BoundDecl;
pub use policy::{PolicyDecl, RowSecurityDecl};
pub use range_type::RangeDecl;
pub use sequence::SequenceDecl;
pub use table::{ElementKind, TableDecl};
pub use trigger::{EventKind, TriggerDecl};
pub use types::TypeRef;
pub use view::ViewDecl;

use self::aggregate::parse_aggregate;
use self::composite_type::{parse_type_item, TypeDecl};
use self::domain::parse_domain;
use self::enum_type::parse_enum;
use self::extension::parse_extension;
use self::function::parse_function;
use self::grant::{parse_default_privileges, parse_grant_or_revoke};
use self::literals::{parse_docs, parse_name};
use self::policy::{parse_policy, parse_row_security};
use self::sequence::parse_sequence;
use self::table::parse_table;
use self::tokens::{bump, expected_one_of, found, nth, peek_kw};
use self::trigger::parse_trigger;
use self::view::{parse_materialized_view, parse_view};

/// A name: a Rust identifier (raw ones unprefixed) or a string literal.
#[derive(Debug, Clone)]
pub struct Name {
    /// The name as PostgreSQL stores it.
    pub value: String,
    /// Where it was written.
    pub span: Sp,
    /// True if written as an identifier (a candidate for a Rust item of the same name).
    pub is_ident: bool,
}

/// `name` or `schema.name`.
#[derive(Debug, Clone)]
pub struct QName {
    /// The schema, if written.
    pub schema: Option<Name>,
    /// The object's own name.
    pub name: Name,
}

impl QName {
    /// From the schema (or name) to the name.
    pub fn span(&self) -> Sp {
        match &self.schema {
            Some(schema) => schema.span.to(self.name.span),
            None => self.name.span,
        }
    }
}

/// An SQL fragment: the text of a string literal, or SQL rebuilt from tokens.
#[derive(Debug, Clone)]
pub struct Sql {
    /// The SQL text.
    pub text: String,
    /// The literal or tokens it came from.
    pub span: Sp,
}

/// A list of names in parentheses.
#[derive(Debug, Clone)]
pub struct NameList {
    /// The names.
    pub names: Vec<Name>,
    /// The parentheses.
    pub span: Sp,
}

/// One top-level declaration.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its doc comment.
    pub docs: Option<String>,
    /// What it declares.
    pub kind: ItemKind,
}

/// The kinds of declaration.
#[derive(Debug, Clone)]
pub enum ItemKind {
    /// `extension NAME [schema S];`
    Extension(ExtensionDecl),
    /// `schema NAME;`
    Schema(Name),
    /// `enum NAME { labels }`
    Enum(EnumDecl),
    /// `domain NAME [as] TYPE [options];`
    Domain(DomainDecl),
    /// `type NAME as (attributes);`
    Composite(CompositeDecl),
    /// `type NAME as range (options);`
    Range(RangeDecl),
    /// `sequence NAME options;`
    Sequence(SequenceDecl),
    /// `table NAME [partition of P BOUND] [partition by S (KEY)] { elements }` (a partition
    /// may end with `;` instead of a body)
    Table(TableDecl),
    /// `function ...;` / `procedure ...;`
    Function(FunctionDecl),
    /// `trigger ...;`
    Trigger(TriggerDecl),
    /// `aggregate NAME(TYPES) (OPTIONS);`
    Aggregate(AggregateDecl),
    /// `view ...;`, `materialized view ...;` or `materialized view ... { indexes }`
    View(ViewDecl),
    /// `row level security on TABLE [force];`
    RowSecurity(RowSecurityDecl),
    /// `policy NAME on TABLE ...;`
    Policy(PolicyDecl),
    /// `grant ... on ... to ...;` or `revoke ... on ... from ...;`
    Grant(GrantDecl),
    /// `default privileges [for role R] in schema S grant ... on KIND to ...;`
    DefaultPrivileges(DefaultPrivilegesDecl),
}

const ITEM_KEYWORDS: &[&str] = &[
    "extension",
    "schema",
    "enum",
    "domain",
    "type",
    "sequence",
    "table",
    "unlogged table",
    "function",
    "procedure",
    "aggregate",
    "trigger",
    "constraint trigger",
    "view",
    "materialized",
    "row level security",
    "policy",
    "grant",
    "revoke",
    "default privileges",
];

/// Parses a whole `schema!` input. Syntax errors go to `cx`; what parsed is returned.
pub fn parse(cx: &Ctxt, input: TokenStream) -> Vec<Item> {
    let mut items = Vec::new();
    for chunk in split_items(input) {
        let parsed = (|input: ParseStream| parse_item(cx, input)).parse2(chunk.tokens);
        match parsed {
            Ok(Some(item)) => {
                if let Some(last) = chunk.missing_semicolon {
                    cx.error(
                        Sp::new(last),
                        "expected `;` after this declaration",
                        "every item but `table { .. }` and `enum { .. }` ends with `;`",
                    );
                }
                items.push(item);
            }
            Ok(None) => {}
            Err(e) => cx.syn_error(e),
        }
    }
    items
}

/// One item's tokens, always ending with `;` or a `{ ... }` group.
struct Chunk {
    tokens: TokenStream,
    /// The last token's span, when the input ended without `;` (one was supplied).
    missing_semicolon: Option<Span>,
}

/// Cuts the input after every top-level `;` and `{ ... }` group.
fn split_items(input: TokenStream) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    for tt in input {
        let ends = match &tt {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            _ => false,
        };
        current.push(tt);
        if ends {
            chunks.push(Chunk {
                tokens: current.drain(..).collect(),
                missing_semicolon: None,
            });
        }
    }
    if let Some(last) = current.last().map(TokenTree::span) {
        let mut semi = Punct::new(';', Spacing::Alone);
        semi.set_span(last);
        current.push(TokenTree::Punct(semi));
        chunks.push(Chunk {
            tokens: current.into_iter().collect(),
            missing_semicolon: Some(last),
        });
    }
    chunks
}

/// Parses a `{ ... }` body (a table's, a materialized view's) element by element: each
/// element is the tokens up to and including the next top-level `,`; the last one, if it has
/// none, is given a `,` spanned on the closing brace (`close`). A trailing `,` adds no
/// element. A bad element costs only itself: its error is returned and parsing goes on.
///
/// Each element is first parsed in place, on a fork of `body` (the tokens were converted
/// once, with the item). Only an element that parses cleanly and ends at its own first
/// top-level `,` is taken from there; any other (an error, the last element without its
/// `,`) is cut out as tokens of its own and parsed again alone, exactly as the body was
/// always parsed, so its errors are the same to the token. Cutting every element out
/// costs four trips of each token between the macro and the compiler; at 10,000 tables
/// that was a fifth of the macro's time under the default `dev` profile (issue 12).
pub(super) fn parse_body<T>(
    cx: &Ctxt,
    body: ParseStream,
    close: Span,
    mut parse: impl FnMut(ParseStream) -> syn::Result<T>,
) -> Vec<syn::Result<T>> {
    let mut parsed = Vec::new();
    while !body.is_empty() {
        let mark = cx.mark();
        tokens::take_leftover();
        let fork = body.fork();
        if let Ok(element) = parse(&fork) {
            if !tokens::take_leftover() && ends_first_element(body.cursor(), fork.cursor()) {
                body.advance_to(&fork);
                parsed.push(Ok(element));
                continue;
            }
        }
        // Parsed again alone: what the first attempt reported is dropped.
        cx.truncate(mark);
        let chunk = next_element(body, close);
        parsed.push((|input: ParseStream| parse(input)).parse2(chunk));
    }
    parsed
}

/// True if the tokens from `start` to `end` hold exactly one top-level `,`, the last one.
fn ends_first_element(start: Cursor, end: Cursor) -> bool {
    let mut cursor = start;
    while cursor != end && !cursor.eof() {
        let (comma, next) = match cursor.any_group() {
            Some((_, _, _, next)) => (false, next),
            None => match cursor.token_tree() {
                Some((TokenTree::Punct(p), next)) => (p.as_char() == ',', next),
                Some((_, next)) => (false, next),
                None => return false,
            },
        };
        if comma {
            return next == end;
        }
        cursor = next;
    }
    false
}

/// Takes the next element's tokens off `body`: up to and including the next top-level `,`,
/// or to the end with a `,` spanned on `close` added.
fn next_element(body: ParseStream, close: Span) -> TokenStream {
    let step = body.step(|cursor| {
        let mut rest = *cursor;
        let mut chunk: Vec<TokenTree> = Vec::new();
        while let Some((tt, next)) = rest.token_tree() {
            rest = next;
            let comma = matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',');
            chunk.push(tt);
            if comma {
                return Ok((chunk, rest));
            }
        }
        let mut comma = Punct::new(',', Spacing::Alone);
        comma.set_span(close);
        chunk.push(TokenTree::Punct(comma));
        Ok((chunk, rest))
    });
    // `step` fails only if the closure does.
    step.map(|chunk| chunk.into_iter().collect())
        .unwrap_or_default()
}

fn parse_item(cx: &Ctxt, input: ParseStream) -> syn::Result<Option<Item>> {
    let docs = parse_docs(cx, input)?;
    if input.peek(Token![;]) {
        input.parse::<Token![;]>()?;
        if docs.is_some() {
            return Err(error(
                Sp::new(input.span()),
                "a doc comment must be followed by a declaration",
                None,
            ));
        }
        return Ok(None);
    }
    let Some(TokenTree::Ident(kw)) = nth(input, 0) else {
        return Err(expected_one_of(input, "a declaration", ITEM_KEYWORDS));
    };
    let kind = match kw.to_string().as_str() {
        "extension" => ItemKind::Extension(parse_extension(input)?),
        "schema" => {
            bump(input)?;
            ItemKind::Schema(parse_name(input, "a schema name")?)
        }
        "enum" => {
            return Ok(Some(Item {
                docs,
                kind: ItemKind::Enum(parse_enum(input)?),
            }))
        }
        "domain" => ItemKind::Domain(parse_domain(cx, input)?),
        "type" => match parse_type_item(cx, input)? {
            TypeDecl::Composite(c) => ItemKind::Composite(c),
            TypeDecl::Range(r) => ItemKind::Range(*r),
        },
        "sequence" => ItemKind::Sequence(parse_sequence(cx, input)?),
        "table" => {
            let table = parse_table(cx, input)?;
            return Ok(Some(Item {
                docs,
                kind: ItemKind::Table(table),
            }));
        }
        "unlogged" => {
            let at = bump(input)?;
            if !peek_kw(input, "table") {
                return Err(expected_one_of(
                    input,
                    "`table` after `unlogged`",
                    &["table"],
                ));
            }
            let mut table = parse_table(cx, input)?;
            table.unlogged = Some(at);
            return Ok(Some(Item {
                docs,
                kind: ItemKind::Table(table),
            }));
        }
        "function" | "procedure" => ItemKind::Function(parse_function(cx, input)?),
        "aggregate" => ItemKind::Aggregate(parse_aggregate(input)?),
        "trigger" | "constraint" => ItemKind::Trigger(parse_trigger(input)?),
        "view" => ItemKind::View(parse_view(input)?),
        "materialized" => {
            // Ends with `;` or its indexes in braces, consumed by the parser.
            return Ok(Some(Item {
                docs,
                kind: ItemKind::View(parse_materialized_view(cx, input)?),
            }));
        }
        "row" => ItemKind::RowSecurity(parse_row_security(input)?),
        "policy" => ItemKind::Policy(parse_policy(cx, input)?),
        "grant" => ItemKind::Grant(parse_grant_or_revoke(input, false)?),
        "revoke" => ItemKind::Grant(parse_grant_or_revoke(input, true)?),
        "default" => ItemKind::DefaultPrivileges(parse_default_privileges(input)?),
        _ => return Err(expected_one_of(input, "a declaration", ITEM_KEYWORDS)),
    };
    if !input.peek(Token![;]) {
        return Err(error(
            Sp::new(input.span()),
            format!("expected `;`, found {}", found(input)),
            Some(&"end the declaration with `;`"),
        ));
    }
    input.parse::<Token![;]>()?;
    Ok(Some(Item { docs, kind }))
}
