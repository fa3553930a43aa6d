//! Syntax: the `schema!` input parsed into a typed IR that keeps the span of every name, type,
//! keyword and literal, so the later phases can put each error on the exact token.
//!
//! The input is cut into items at `;` (and after a `{ ... }` body), a table body into elements
//! at `,`, before any parsing; each piece is parsed on its own. A syntax error thus costs one
//! item or one element, and one compile reports every bad column.

use proc_macro2::{Delimiter, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Lit, LitStr, Token};

use schema_core::model::{ArgMode, FkAction, Identity, TriggerTiming, Volatility};

use crate::ctxt::{error, Ctxt, Sp};

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

/// A column, argument or sequence type as written.
#[derive(Debug, Clone)]
pub struct TypeRef {
    /// The SQL spelling, e.g. `timestamp(3) with time zone`, `numeric(10,2)[]`, for
    /// `DataType::parse`; unused when `user` is set.
    pub text: String,
    /// A type that names itself with a string literal or a schema: (schema, name).
    pub user: Option<(Option<String>, String)>,
    /// Modifiers as written (`(10, 2)`).
    pub modifiers: Vec<i32>,
    /// `[]` was written.
    pub array: bool,
    /// The whole type.
    pub span: Sp,
    /// The modifier list, if any.
    pub modifiers_span: Option<Sp>,
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
    /// `sequence NAME options;`
    Sequence(SequenceDecl),
    /// `table NAME { elements }`
    Table(TableDecl),
    /// `function ...;` / `procedure ...;`
    Function(FunctionDecl),
    /// `trigger ...;`
    Trigger(TriggerDecl),
    /// `view ...;`
    View(ViewDecl),
}

/// `extension NAME [schema S]`.
#[derive(Debug, Clone)]
pub struct ExtensionDecl {
    /// Its name.
    pub name: Name,
    /// Its `schema`.
    pub schema: Option<Name>,
}

/// `enum NAME { labels }`.
#[derive(Debug, Clone)]
pub struct EnumDecl {
    /// Its name.
    pub name: QName,
    /// Its labels.
    pub labels: Vec<Name>,
}

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

/// `table NAME [renamed_from OLD] { elements }`.
#[derive(Debug, Clone)]
pub struct TableDecl {
    /// Its name.
    pub name: QName,
    /// `renamed_from OLD`.
    pub renamed_from: Option<Name>,
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
    /// Column constraints in order.
    pub constraints: Vec<ColumnConstraint>,
}

/// `[constraint NAME] primary key | unique | references | check` on a column.
#[derive(Debug, Clone)]
pub struct ColumnConstraint {
    /// `constraint NAME`.
    pub name: Option<Name>,
    /// The keyword(s) saying what it is.
    pub kw: Sp,
    /// What it is.
    pub kind: ColumnConstraintKind,
    /// `deferrable [initially deferred]`.
    pub deferral: Deferral,
}

/// The kinds of column constraint.
#[derive(Debug, Clone)]
pub enum ColumnConstraintKind {
    /// `primary key`.
    PrimaryKey,
    /// `unique [nulls not distinct]`.
    Unique {
        /// `nulls not distinct`.
        nulls_not_distinct: bool,
    },
    /// `references T [(col)] ...`.
    References(FkTarget),
    /// `check "EXPR"`.
    Check(Sql),
}

/// `deferrable [initially deferred | initially immediate]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Deferral {
    /// `deferrable`.
    pub deferrable: bool,
    /// `initially deferred`.
    pub initially_deferred: bool,
}

/// `references T [(cols)] [on delete A] [on update A]`.
#[derive(Debug, Clone)]
pub struct FkTarget {
    /// The referenced table.
    pub table: QName,
    /// The referenced columns, if written.
    pub columns: Option<NameList>,
    /// `on delete`.
    pub on_delete: FkAction,
    /// `on update`.
    pub on_update: FkAction,
}

/// A table constraint.
#[derive(Debug, Clone)]
pub struct ConstraintDecl {
    /// Its name, if declared.
    pub name: Option<Name>,
    /// The keyword(s) saying what it is.
    pub kw: Sp,
    /// What it is.
    pub kind: ConstraintDeclKind,
    /// `deferrable [initially deferred]`.
    pub deferral: Deferral,
}

/// The kinds of table constraint.
#[derive(Debug, Clone)]
pub enum ConstraintDeclKind {
    /// `primary key (cols) [include (cols)]`.
    PrimaryKey {
        /// Key columns.
        columns: NameList,
        /// `include`.
        include: Option<NameList>,
    },
    /// `unique (cols) [include (cols)] [nulls not distinct]`.
    Unique {
        /// Key columns.
        columns: NameList,
        /// `include`.
        include: Option<NameList>,
        /// `nulls not distinct`.
        nulls_not_distinct: bool,
    },
    /// `foreign key (cols) references ...`.
    ForeignKey {
        /// Referencing columns.
        columns: NameList,
        /// The target.
        target: FkTarget,
    },
    /// `check "EXPR"`.
    Check(Sql),
}

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
    /// `as BODY`.
    pub body: Sql,
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

/// `trigger NAME ...`.
#[derive(Debug, Clone)]
pub struct TriggerDecl {
    /// Its name.
    pub name: Name,
    /// `before | after | instead of`.
    pub timing: TriggerTiming,
    /// Its events.
    pub events: Vec<EventDecl>,
    /// `on TABLE`.
    pub table: QName,
    /// `for each row`.
    pub for_each_row: bool,
    /// `when "COND"`.
    pub when: Option<Sql>,
    /// `execute function F`.
    pub function: QName,
    /// Its literal arguments.
    pub args: Vec<String>,
}

/// One trigger event.
#[derive(Debug, Clone)]
pub struct EventDecl {
    /// The event keyword.
    pub span: Sp,
    /// Which event.
    pub kind: EventKind,
    /// `update of` columns.
    pub columns: Vec<Name>,
}

/// Trigger event kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// `insert`.
    Insert,
    /// `update`.
    Update,
    /// `delete`.
    Delete,
    /// `truncate`.
    Truncate,
}

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

const ITEM_KEYWORDS: &[&str] = &[
    "extension",
    "schema",
    "enum",
    "sequence",
    "table",
    "function",
    "procedure",
    "trigger",
    "view",
];

const COLUMN_OPTIONS: &[&str] = &[
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
    ",",
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

/// Cuts a table body after every top-level `,`; the last element gets a `,` spanned on the
/// closing brace if it has none. A trailing `,` adds no element.
fn split_elements(body: TokenStream, close: Span) -> Vec<TokenStream> {
    let mut chunks = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    for tt in body {
        let ends = matches!(&tt, TokenTree::Punct(p) if p.as_char() == ',');
        current.push(tt);
        if ends {
            chunks.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        let mut comma = Punct::new(',', Spacing::Alone);
        comma.set_span(close);
        current.push(TokenTree::Punct(comma));
        chunks.push(current.into_iter().collect());
    }
    chunks
}

// ---------------------------------------------------------------------------------------------
// Token helpers

fn nth(input: ParseStream, n: usize) -> Option<TokenTree> {
    let mut cursor = input.cursor();
    for _ in 0..n {
        cursor = cursor.token_tree()?.1;
    }
    cursor.token_tree().map(|(tt, _)| tt)
}

fn is_kw(tt: &Option<TokenTree>, word: &str) -> bool {
    matches!(tt, Some(TokenTree::Ident(ident)) if ident == word)
}

/// True if the `n`th token from here is the keyword `word` (a raw identifier never is).
fn peek_kw_at(input: ParseStream, n: usize, word: &str) -> bool {
    is_kw(&nth(input, n), word)
}

fn peek_kw(input: ParseStream, word: &str) -> bool {
    peek_kw_at(input, 0, word)
}

fn peek_group(input: ParseStream, delimiter: Delimiter) -> bool {
    matches!(nth(input, 0), Some(TokenTree::Group(g)) if g.delimiter() == delimiter)
}

/// Consumes any one token, returning its span.
fn bump(input: ParseStream) -> syn::Result<Sp> {
    let tt: TokenTree = input.parse()?;
    Ok(Sp::new(tt.span()))
}

/// Consumes the keyword `word` if it is next.
fn eat_kw(input: ParseStream, word: &str) -> syn::Result<Option<Sp>> {
    if peek_kw(input, word) {
        bump(input).map(Some)
    } else {
        Ok(None)
    }
}

/// Consumes the keyword `word` or fails saying what was expected instead.
fn expect_kw(input: ParseStream, word: &str, after: &str) -> syn::Result<Sp> {
    match eat_kw(input, word)? {
        Some(sp) => Ok(sp),
        None => Err(error(
            Sp::new(input.span()),
            format!("expected `{word}` {after}, found {}", found(input)),
            None,
        )),
    }
}

/// Describes the next token for "found ..." messages.
fn found(input: ParseStream) -> String {
    match nth(input, 0) {
        None => "the end of the input".to_string(),
        Some(TokenTree::Group(g)) => match g.delimiter() {
            Delimiter::Parenthesis => "`(`".to_string(),
            Delimiter::Bracket => "`[`".to_string(),
            Delimiter::Brace => "`{`".to_string(),
            Delimiter::None => "a macro fragment".to_string(),
        },
        Some(tt) => format!("`{tt}`"),
    }
}

/// "expected one of ..." for an unknown keyword, with a did-you-mean when one is close.
fn expected_one_of(input: ParseStream, what: &str, keywords: &[&str]) -> syn::Error {
    let list = keywords
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let help = match nth(input, 0) {
        Some(TokenTree::Ident(ident)) => {
            let word = ident.to_string();
            let lower = word.to_lowercase();
            if lower != word && keywords.contains(&lower.as_str()) {
                Some(format!("keywords are written in lower case: `{lower}`"))
            } else {
                schema_core::suggest::closest(&word, keywords.iter().copied())
                    .map(|close| format!("did you mean `{close}`?"))
            }
        }
        _ => None,
    };
    let help = help.unwrap_or_else(|| format!("here the macro expects {what}"));
    error(
        Sp::new(input.span()),
        format!("expected one of {list}, found {}", found(input)),
        Some(&help),
    )
}

/// Sets an at-most-once option, reporting the second occurrence (serde's `Attr::set`).
fn set_once<T>(cx: &Ctxt, slot: &mut Option<T>, value: T, at: Sp, what: &str) {
    if slot.is_some() {
        cx.error(
            at,
            format!("duplicate `{what}`"),
            format!("remove this second `{what}`"),
        );
    } else {
        *slot = Some(value);
    }
}

/// Sets an at-most-once flag, reporting the second occurrence.
fn set_flag(cx: &Ctxt, slot: &mut Option<Sp>, at: Sp, what: &str) {
    set_once(cx, slot, at, at, what);
}

/// The contents of the parenthesized group next in `input`.
fn parens<'a>(
    input: ParseStream<'a>,
    what: &str,
) -> syn::Result<(syn::parse::ParseBuffer<'a>, Sp)> {
    if !peek_group(input, Delimiter::Parenthesis) {
        return Err(error(
            Sp::new(input.span()),
            format!("expected `(` {what}, found {}", found(input)),
            None,
        ));
    }
    let content;
    let paren = syn::parenthesized!(content in input);
    Ok((content, Sp::new(paren.span.join())))
}

// ---------------------------------------------------------------------------------------------
// Names, literals, SQL

/// An identifier (raw ones unprefixed) or a string literal.
fn parse_name(input: ParseStream, what: &str) -> syn::Result<Name> {
    if input.peek(LitStr) {
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
fn parse_qname(input: ParseStream, what: &str) -> syn::Result<QName> {
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
fn parse_name_list(input: ParseStream, what: &str) -> syn::Result<NameList> {
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

fn check_suffix(lit: &LitStr) -> syn::Result<()> {
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

/// A string literal of SQL.
fn parse_sql(input: ParseStream, what: &str) -> syn::Result<Sql> {
    if input.peek(LitStr) {
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
fn parse_default_value(input: ParseStream) -> syn::Result<Sql> {
    if input.peek(LitStr) {
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
fn parse_number(input: ParseStream) -> syn::Result<(String, Sp)> {
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

/// A (possibly negative) integer.
fn parse_int<T: std::str::FromStr>(input: ParseStream, what: &str) -> syn::Result<(T, Sp)> {
    let negative = if input.peek(Token![-]) {
        Some(bump(input)?)
    } else {
        None
    };
    if !input.peek(syn::LitInt) {
        return Err(error(
            Sp::new(input.span()),
            format!("expected {what} (an integer), found {}", found(input)),
            None,
        ));
    }
    let (digits, sp) = parse_number(input)?;
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

fn parse_num(input: ParseStream, what: &str) -> syn::Result<i64> {
    Ok(parse_int::<i64>(input, what)?.0)
}

/// Doc comments before an item or element; any other attribute is an error.
fn parse_docs(cx: &Ctxt, input: ParseStream) -> syn::Result<Option<String>> {
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

// ---------------------------------------------------------------------------------------------
// Types

/// Words that continue a multi-word built-in type after its first word.
fn type_continues(first: &str, next: &str) -> bool {
    match first {
        "double" => next == "precision",
        "character" | "char" | "bit" => next == "varying",
        _ => false,
    }
}

const INTERVAL_FIELDS: &[&str] = &["year", "month", "day", "hour", "minute", "second"];

/// A type: `integer`, `varchar(255)`, `double precision`, `timestamp(3) with time zone`,
/// `interval day to second`, `numeric(10, 2)[]`, `audit.level`, `"Weird Type"`.
fn parse_type(input: ParseStream) -> syn::Result<TypeRef> {
    let start = Sp::new(input.span());
    let mut last;
    let mut text = String::new();
    let mut user = None;
    let mut modifiers = Vec::new();
    let mut modifiers_span = None;
    if input.peek(LitStr) || input.peek(Ident::peek_any) && peek_punct_at(input, 1, '.') {
        let name = parse_qname(input, "a type")?;
        last = name.name.span;
        let builtin_char =
            name.schema.is_none() && !name.name.is_ident && name.name.value == "char";
        if builtin_char {
            text.push_str("\"char\"");
        } else {
            user = Some((name.schema.map(|s| s.value), name.name.value));
        }
    } else if input.peek(Ident::peek_any) {
        let ident = Ident::parse_any(input)?;
        last = Sp::new(ident.span());
        let word = ident.unraw().to_string();
        let lower = word.to_ascii_lowercase();
        text.push_str(&word);
        if let Some(TokenTree::Ident(next)) = nth(input, 0) {
            if type_continues(&lower, &next.to_string()) {
                last = bump(input)?;
                text.push(' ');
                text.push_str(&next.to_string());
            }
        }
        if lower == "interval" {
            if let Some(TokenTree::Ident(field)) = nth(input, 0) {
                if INTERVAL_FIELDS.contains(&field.to_string().as_str()) {
                    last = bump(input)?;
                    text.push(' ');
                    text.push_str(&field.to_string());
                    if eat_kw(input, "to")?.is_some() {
                        let field = parse_name(input, "an interval field")?;
                        last = field.span;
                        text.push_str(" to ");
                        text.push_str(&field.value);
                    }
                }
            }
        }
    } else {
        return Err(error(
            Sp::new(input.span()),
            format!("expected a type, found {}", found(input)),
            Some(&"write a type such as `text`, `bigint`, `varchar(255)` or a declared enum"),
        ));
    }
    if peek_group(input, Delimiter::Parenthesis) {
        let (content, span) = parens(input, "")?;
        last = span;
        modifiers_span = Some(span);
        while !content.is_empty() {
            let (value, _) = parse_int::<i32>(&content, "a type modifier")?;
            modifiers.push(value);
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        let list = modifiers
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        text.push_str(&format!("({list})"));
    }
    let lower = text.to_ascii_lowercase();
    if user.is_none() && (lower.starts_with("time") || lower.starts_with("timestamp")) {
        for zone in ["with", "without"] {
            if eat_kw(input, zone)?.is_some() {
                expect_kw(input, "time", &format!("after `{zone}`"))?;
                last = expect_kw(input, "zone", "after `time`")?;
                text.push_str(&format!(" {zone} time zone"));
                break;
            }
        }
    }
    let mut array = false;
    while peek_group(input, Delimiter::Bracket) {
        let content;
        let bracket = syn::bracketed!(content in input);
        if !content.is_empty() {
            parse_int::<i64>(&content, "an array bound")?;
        }
        last = Sp::new(bracket.span.join());
        array = true;
    }
    if array {
        text.push_str("[]");
    }
    Ok(TypeRef {
        text,
        user,
        modifiers,
        array,
        span: start.to(last),
        modifiers_span,
    })
}

fn peek_punct_at(input: ParseStream, n: usize, ch: char) -> bool {
    matches!(nth(input, n), Some(TokenTree::Punct(p)) if p.as_char() == ch)
}

// ---------------------------------------------------------------------------------------------
// Items

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
        "sequence" => ItemKind::Sequence(parse_sequence(cx, input)?),
        "table" => {
            let table = parse_table(cx, input)?;
            return Ok(Some(Item {
                docs,
                kind: ItemKind::Table(table),
            }));
        }
        "function" | "procedure" => ItemKind::Function(parse_function(cx, input)?),
        "trigger" => ItemKind::Trigger(parse_trigger(input)?),
        "view" => ItemKind::View(parse_view(input)?),
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

fn parse_extension(input: ParseStream) -> syn::Result<ExtensionDecl> {
    bump(input)?;
    let name = parse_name(input, "an extension name")?;
    let schema = match eat_kw(input, "schema")? {
        Some(_) => Some(parse_name(input, "a schema name")?),
        None => None,
    };
    Ok(ExtensionDecl { name, schema })
}

fn parse_enum(input: ParseStream) -> syn::Result<EnumDecl> {
    bump(input)?;
    let name = parse_qname(input, "an enum name")?;
    if !peek_group(input, Delimiter::Brace) {
        return Err(error(
            Sp::new(input.span()),
            format!(
                "expected `{{` with the enum's labels, found {}",
                found(input)
            ),
            Some(&"write the labels in braces: `enum mood { sad, ok, happy }`"),
        ));
    }
    let content;
    syn::braced!(content in input);
    let mut labels = Vec::new();
    while !content.is_empty() {
        labels.push(parse_name(&content, "an enum label")?);
        if content.is_empty() {
            break;
        }
        if !content.peek(Token![,]) {
            return Err(error(
                Sp::new(content.span()),
                format!(
                    "expected `,` between enum labels, found {}",
                    found(&content)
                ),
                None,
            ));
        }
        content.parse::<Token![,]>()?;
    }
    expect_end(input)?;
    Ok(EnumDecl { name, labels })
}

/// After a `{ ... }` body nothing may follow in the item (the splitter guarantees it).
fn expect_end(input: ParseStream) -> syn::Result<()> {
    if input.is_empty() {
        Ok(())
    } else {
        Err(error(
            Sp::new(input.span()),
            format!("unexpected {}", found(input)),
            None,
        ))
    }
}

fn parse_sequence(cx: &Ctxt, input: ParseStream) -> syn::Result<SequenceDecl> {
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

// ---------------------------------------------------------------------------------------------
// Tables

fn parse_table(cx: &Ctxt, input: ParseStream) -> syn::Result<TableDecl> {
    bump(input)?;
    let name = parse_qname(input, "a table name")?;
    let renamed_from = match eat_kw(input, "renamed_from")? {
        Some(_) => Some(parse_name(input, "the table's previous name")?),
        None => None,
    };
    let Some(TokenTree::Group(body)) =
        nth(input, 0).filter(|_| peek_group(input, Delimiter::Brace))
    else {
        return Err(error(
            Sp::new(input.span()),
            format!(
                "expected `{{` with the table's columns, found {}",
                found(input)
            ),
            Some(&"write the columns in braces: `table users { id bigint primary key }`"),
        ));
    };
    bump(input)?;
    expect_end(input)?;
    let mut elements = Vec::new();
    for chunk in split_elements(body.stream(), body.span_close()) {
        match (|input: ParseStream| parse_element(cx, input)).parse2(chunk) {
            Ok(element) => elements.push(element),
            Err(e) => cx.syn_error(e),
        }
    }
    Ok(TableDecl {
        name,
        renamed_from,
        elements,
    })
}

use schema_core::grammar::TABLE_ELEMENT_KEYWORDS as ELEMENT_KEYWORDS;

fn parse_element(cx: &Ctxt, input: ParseStream) -> syn::Result<Element> {
    let docs = parse_docs(cx, input)?;
    if input.peek(Token![,]) {
        return Err(error(
            Sp::new(input.span()),
            "expected a column, constraint or index, found `,`",
            Some(&"remove the extra `,`"),
        ));
    }
    let starts_constraint = ELEMENT_KEYWORDS.iter().any(|k| peek_kw(input, k));
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

/// `double precison`: an unknown word right after a type that, with the type, is close to a
/// multi-word built-in type.
fn misspelt_type(input: ParseStream, column: &ColumnDecl) -> Option<syn::Error> {
    let has_options = column.not_null.is_some()
        || column.null.is_some()
        || column.default.is_some()
        || column.identity.is_some()
        || column.generated.is_some()
        || column.collate.is_some()
        || column.renamed_from.is_some()
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

fn parse_column(cx: &Ctxt, input: ParseStream) -> syn::Result<ColumnDecl> {
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

fn parse_deferral(input: ParseStream) -> syn::Result<Deferral> {
    let mut deferral = Deferral::default();
    if eat_kw(input, "deferrable")?.is_some() {
        deferral.deferrable = true;
        if eat_kw(input, "initially")?.is_some() {
            if eat_kw(input, "deferred")?.is_some() {
                deferral.initially_deferred = true;
            } else if eat_kw(input, "immediate")?.is_none() {
                return Err(expected_one_of(
                    input,
                    "`deferred` or `immediate` after `initially`",
                    &["deferred", "immediate"],
                ));
            }
        }
    }
    Ok(deferral)
}

fn parse_action(input: ParseStream) -> syn::Result<FkAction> {
    const ACTIONS: &[&str] = &[
        "cascade",
        "restrict",
        "set null",
        "set default",
        "no action",
    ];
    if eat_kw(input, "cascade")?.is_some() {
        return Ok(FkAction::Cascade);
    }
    if eat_kw(input, "restrict")?.is_some() {
        return Ok(FkAction::Restrict);
    }
    if eat_kw(input, "set")?.is_some() {
        if eat_kw(input, "null")?.is_some() {
            return Ok(FkAction::SetNull);
        }
        if eat_kw(input, "default")?.is_some() {
            return Ok(FkAction::SetDefault);
        }
        return Err(expected_one_of(
            input,
            "`null` or `default` after `set`",
            &["null", "default"],
        ));
    }
    if eat_kw(input, "no")?.is_some() {
        expect_kw(input, "action", "after `no`")?;
        return Ok(FkAction::NoAction);
    }
    Err(expected_one_of(input, "a referential action", ACTIONS))
}

/// `references T [(cols)] [on delete A] [on update A]`, after `references`.
fn parse_fk_target(input: ParseStream) -> syn::Result<FkTarget> {
    let table = parse_qname(input, "the referenced table")?;
    let columns = if peek_group(input, Delimiter::Parenthesis) {
        Some(parse_name_list(input, "referenced column")?)
    } else {
        None
    };
    let mut on_delete = None;
    let mut on_update = None;
    while peek_kw(input, "on") {
        let at = bump(input)?;
        if eat_kw(input, "delete")?.is_some() {
            let action = parse_action(input)?;
            if on_delete.replace(action).is_some() {
                return Err(error(at, "duplicate `on delete`", Some(&"remove one")));
            }
        } else if eat_kw(input, "update")?.is_some() {
            let action = parse_action(input)?;
            if on_update.replace(action).is_some() {
                return Err(error(at, "duplicate `on update`", Some(&"remove one")));
            }
        } else {
            return Err(expected_one_of(
                input,
                "`delete` or `update` after `on`",
                &["delete", "update"],
            ));
        }
    }
    Ok(FkTarget {
        table,
        columns,
        on_delete: on_delete.unwrap_or_default(),
        on_update: on_update.unwrap_or_default(),
    })
}

fn parse_column_constraint(input: ParseStream) -> syn::Result<ColumnConstraint> {
    let name = match eat_kw(input, "constraint")? {
        Some(_) => Some(parse_name(input, "a constraint name")?),
        None => None,
    };
    if let Some(primary) = eat_kw(input, "primary")? {
        let end = expect_kw(input, "key", "after `primary`")?;
        let deferral = parse_deferral(input)?;
        return Ok(ColumnConstraint {
            name,
            kw: primary.to(end),
            kind: ColumnConstraintKind::PrimaryKey,
            deferral,
        });
    }
    if let Some(kw) = eat_kw(input, "unique")? {
        let nulls_not_distinct = parse_nulls_not_distinct(input)?.is_some();
        let deferral = parse_deferral(input)?;
        return Ok(ColumnConstraint {
            name,
            kw,
            kind: ColumnConstraintKind::Unique { nulls_not_distinct },
            deferral,
        });
    }
    if let Some(kw) = eat_kw(input, "references")? {
        let target = parse_fk_target(input)?;
        if let Some(cols) = &target.columns {
            if cols.names.len() != 1 {
                return Err(error(
                    cols.span,
                    "a column's `references` names one referenced column",
                    Some(&"for a composite key, write a table constraint: `foreign key (a, b) references t (x, y)`"),
                ));
            }
        }
        let deferral = parse_deferral(input)?;
        return Ok(ColumnConstraint {
            name,
            kw,
            kind: ColumnConstraintKind::References(target),
            deferral,
        });
    }
    if let Some(kw) = eat_kw(input, "check")? {
        let expr = parse_sql(input, "the check condition")?;
        return Ok(ColumnConstraint {
            name,
            kw,
            kind: ColumnConstraintKind::Check(expr),
            deferral: Deferral::default(),
        });
    }
    Err(expected_one_of(
        input,
        "`primary key`, `unique`, `references` or `check` after `constraint NAME`",
        &["primary", "unique", "references", "check"],
    ))
}

/// `nulls not distinct`, if next.
fn parse_nulls_not_distinct(input: ParseStream) -> syn::Result<Option<Sp>> {
    if peek_kw(input, "nulls") && peek_kw_at(input, 1, "not") {
        let at = bump(input)?;
        bump(input)?;
        let end = expect_kw(input, "distinct", "after `nulls not`")?;
        return Ok(Some(at.to(end)));
    }
    Ok(None)
}

fn parse_include(input: ParseStream) -> syn::Result<Option<NameList>> {
    if eat_kw(input, "include")?.is_some() {
        Ok(Some(parse_name_list(input, "included column")?))
    } else {
        Ok(None)
    }
}

fn parse_table_constraint(cx: &Ctxt, input: ParseStream) -> syn::Result<ConstraintDecl> {
    let mut name = match eat_kw(input, "constraint")? {
        Some(_) => Some(parse_name(input, "a constraint name")?),
        None => None,
    };
    let named_by_constraint = name.is_some();
    // `unique NAME (..)`, `foreign key NAME (..)`, `check NAME "..."`: the short spelling.
    let short_name = |input: ParseStream, name: &mut Option<Name>| -> syn::Result<()> {
        let named = if input.peek(LitStr) {
            // `check "a" "b"`: the first literal is the name; `check "a"` is the condition.
            matches!(nth(input, 1), Some(TokenTree::Literal(_)))
        } else {
            input.peek(Ident::peek_any) && !peek_kw(input, "nulls")
        };
        if named {
            let short = parse_name(input, "a constraint name")?;
            if named_by_constraint {
                cx.error(
                    short.span,
                    "this constraint is named twice",
                    "keep either `constraint NAME` or the name after the keyword",
                );
            } else {
                *name = Some(short);
            }
        }
        Ok(())
    };
    if let Some(primary) = eat_kw(input, "primary")? {
        let end = expect_kw(input, "key", "after `primary`")?;
        let columns = parse_name_list(input, "key column")?;
        let include = parse_include(input)?;
        let deferral = parse_deferral(input)?;
        return Ok(ConstraintDecl {
            name,
            kw: primary.to(end),
            kind: ConstraintDeclKind::PrimaryKey { columns, include },
            deferral,
        });
    }
    if let Some(kw) = eat_kw(input, "unique")? {
        short_name(input, &mut name)?;
        let before = parse_nulls_not_distinct(input)?;
        let columns = parse_name_list(input, "key column")?;
        let include = parse_include(input)?;
        let after = parse_nulls_not_distinct(input)?;
        if let (Some(_), Some(second)) = (before, after) {
            cx.error(
                second,
                "duplicate `nulls not distinct`",
                "remove this second one",
            );
        }
        let deferral = parse_deferral(input)?;
        return Ok(ConstraintDecl {
            name,
            kw,
            kind: ConstraintDeclKind::Unique {
                columns,
                include,
                nulls_not_distinct: before.is_some() || after.is_some(),
            },
            deferral,
        });
    }
    if let Some(foreign) = eat_kw(input, "foreign")? {
        let end = expect_kw(input, "key", "after `foreign`")?;
        short_name(input, &mut name)?;
        let columns = parse_name_list(input, "referencing column")?;
        expect_kw(input, "references", "after the foreign key's columns")?;
        let target = parse_fk_target(input)?;
        let deferral = parse_deferral(input)?;
        return Ok(ConstraintDecl {
            name,
            kw: foreign.to(end),
            kind: ConstraintDeclKind::ForeignKey { columns, target },
            deferral,
        });
    }
    if let Some(kw) = eat_kw(input, "check")? {
        short_name(input, &mut name)?;
        let expr = parse_sql(input, "the check condition")?;
        return Ok(ConstraintDecl {
            name,
            kw,
            kind: ConstraintDeclKind::Check(expr),
            deferral: Deferral::default(),
        });
    }
    Err(expected_one_of(
        input,
        "`primary key`, `unique`, `foreign key` or `check` after `constraint NAME`",
        &["primary", "unique", "foreign", "check"],
    ))
}

fn parse_index(input: ParseStream) -> syn::Result<IndexDecl> {
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
        predicate,
    })
}

const ELEM_KEYWORDS: &[&str] = &["collate", "asc", "desc", "nulls"];

fn parse_index_elem(input: ParseStream) -> syn::Result<IndexElem> {
    let target = if input.peek(LitStr) {
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
fn is_call(input: ParseStream) -> bool {
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
fn parse_token_expr(input: ParseStream) -> syn::Result<ElemTarget> {
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
fn render_sql(
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

// ---------------------------------------------------------------------------------------------
// Functions, triggers, views

fn parse_function(cx: &Ctxt, input: ParseStream) -> syn::Result<FunctionDecl> {
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
    let body = loop {
        let Some(TokenTree::Ident(word)) = nth(input, 0) else {
            return Err(expected_one_of(
                input,
                &format!("a {what} option or `as BODY`"),
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
                let value = if input.peek(LitStr) {
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
                break parse_sql(input, &format!("the {what} body"))?;
            }
            _ => {
                return Err(expected_one_of(
                    input,
                    &format!("a {what} option or `as BODY`"),
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
    })
}

const FUNCTION_OPTIONS: &[&str] = &[
    "returns",
    "language",
    "immutable",
    "stable",
    "volatile",
    "strict",
    "security",
    "set",
    "as",
];

fn parse_returns(input: ParseStream, at: Sp) -> syn::Result<ReturnsDecl> {
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

fn peek_group_at(input: ParseStream, n: usize, delimiter: Delimiter) -> bool {
    matches!(nth(input, n), Some(TokenTree::Group(g)) if g.delimiter() == delimiter)
}

/// `[in | out | inout | variadic] [name] type [default EXPR]`.
fn parse_arg(input: ParseStream) -> syn::Result<ArgDecl> {
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

fn starts_name_or_type(tt: Option<TokenTree>) -> bool {
    matches!(tt, Some(TokenTree::Ident(_) | TokenTree::Literal(_)))
}

fn parse_trigger(input: ParseStream) -> syn::Result<TriggerDecl> {
    bump(input)?;
    let name = parse_name(input, "a trigger name")?;
    let timing = if eat_kw(input, "before")?.is_some() {
        TriggerTiming::Before
    } else if eat_kw(input, "after")?.is_some() {
        TriggerTiming::After
    } else if eat_kw(input, "instead")?.is_some() {
        expect_kw(input, "of", "after `instead`")?;
        TriggerTiming::InsteadOf
    } else {
        return Err(expected_one_of(
            input,
            "when the trigger fires",
            &["before", "after", "instead of"],
        ));
    };
    let mut events = Vec::new();
    loop {
        const EVENTS: &[&str] = &["insert", "update", "delete", "truncate"];
        let Some(TokenTree::Ident(word)) = nth(input, 0) else {
            return Err(expected_one_of(input, "a trigger event", EVENTS));
        };
        let kind = match word.to_string().as_str() {
            "insert" => EventKind::Insert,
            "update" => EventKind::Update,
            "delete" => EventKind::Delete,
            "truncate" => EventKind::Truncate,
            _ => return Err(expected_one_of(input, "a trigger event", EVENTS)),
        };
        let span = bump(input)?;
        let mut columns = Vec::new();
        if kind == EventKind::Update && eat_kw(input, "of")?.is_some() {
            columns.push(parse_name(input, "a column name")?);
            while input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
                columns.push(parse_name(input, "a column name")?);
            }
        }
        events.push(EventDecl {
            span,
            kind,
            columns,
        });
        if eat_kw(input, "or")?.is_none() {
            break;
        }
    }
    expect_kw(input, "on", "and the table after the trigger's events")?;
    let table = parse_qname(input, "a table name")?;
    let mut for_each_row = false;
    if eat_kw(input, "for")?.is_some() {
        eat_kw(input, "each")?;
        if eat_kw(input, "row")?.is_some() {
            for_each_row = true;
        } else if eat_kw(input, "statement")?.is_none() {
            return Err(expected_one_of(
                input,
                "`row` or `statement`",
                &["row", "statement"],
            ));
        }
    }
    let when = match eat_kw(input, "when")? {
        Some(_) => Some(parse_sql(input, "the trigger condition")?),
        None => None,
    };
    expect_kw(input, "execute", "and the function the trigger runs")?;
    if eat_kw(input, "function")?.is_none() && eat_kw(input, "procedure")?.is_none() {
        return Err(expected_one_of(
            input,
            "`function` after `execute`",
            &["function", "procedure"],
        ));
    }
    let function = parse_qname(input, "a function name")?;
    let (content, _) = parens(
        input,
        "with the trigger function's arguments (write `()` for none)",
    )?;
    let mut args = Vec::new();
    while !content.is_empty() {
        let value = if content.peek(LitStr) {
            parse_sql(&content, "an argument")?.text
        } else if content.peek(syn::LitInt)
            || content.peek(syn::LitFloat)
            || content.peek(Token![-])
        {
            let neg = if content.peek(Token![-]) {
                bump(&content)?;
                "-"
            } else {
                ""
            };
            format!("{neg}{}", parse_number(&content)?.0)
        } else {
            parse_name(&content, "a trigger argument (a string or a number)")?.value
        };
        args.push(value);
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(TriggerDecl {
        name,
        timing,
        events,
        table,
        for_each_row,
        when,
        function,
        args,
    })
}

fn parse_view(input: ParseStream) -> syn::Result<ViewDecl> {
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
