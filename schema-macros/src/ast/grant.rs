//! Privileges: `grant PRIVILEGES on KIND OBJECT to ROLE, ... [with grant option];`, `revoke
//! PRIVILEGES on KIND OBJECT from ROLE, ...;` and `default privileges [for role R] in schema S
//! grant PRIVILEGES on tables | sequences | functions | types to ROLE, ... [with grant
//! option];`. PRIVILEGES is `all [privileges]` or a list of `select`, `usage`, ... each with
//! an optional column list: `select (id, email)`.

use proc_macro2::TokenTree;
use schema_core::model::{DefaultObjects, Privilege};
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::Sp;

use super::literals::{parse_name, parse_name_list, parse_qname};
use super::tokens::{bump, eat_kw, expect_kw, expected_one_of, nth, parens, peek_group};
use super::types::parse_type;
use super::{Name, QName, TypeRef};

/// One privilege as written: `all` (every privilege the object's kind has) or one privilege,
/// with the columns it is limited to.
#[derive(Debug, Clone)]
pub struct PrivilegeDecl {
    /// `None` for `all`.
    pub privilege: Option<Privilege>,
    /// Where it was written.
    pub span: Sp,
    /// `(col, ...)`.
    pub columns: Vec<Name>,
}

/// What a grant is on.
#[derive(Debug, Clone)]
pub enum GrantTarget {
    /// `schema NAME`.
    Schema(Name),
    /// `table NAME` (a table, view or materialized view).
    Table(QName),
    /// `sequence NAME`.
    Sequence(QName),
    /// `function NAME(TYPES)` (or `procedure`).
    Function(QName, Vec<TypeRef>),
    /// `type NAME` (or `domain`).
    Type(QName),
}

/// `grant ...;` or `revoke ...;`.
#[derive(Debug, Clone)]
pub struct GrantDecl {
    /// `revoke`.
    pub revoke: bool,
    /// The privileges.
    pub privileges: Vec<PrivilegeDecl>,
    /// The object.
    pub target: GrantTarget,
    /// Where the object was written.
    pub target_span: Sp,
    /// The grantees.
    pub roles: Vec<Name>,
    /// `with grant option`.
    pub with_grant_option: bool,
}

/// `default privileges [for role R] in schema S grant ... on KIND to ...;`.
#[derive(Debug, Clone)]
pub struct DefaultPrivilegesDecl {
    /// `for role R`.
    pub for_role: Option<Name>,
    /// `in schema S`.
    pub schema: Name,
    /// The privileges (no column lists).
    pub privileges: Vec<PrivilegeDecl>,
    /// `on tables | ...`.
    pub on: DefaultObjects,
    /// The grantees.
    pub roles: Vec<Name>,
    /// `with grant option`.
    pub with_grant_option: bool,
}

const PRIVILEGES: &[&str] = &[
    "all",
    "select",
    "insert",
    "update",
    "delete",
    "truncate",
    "references",
    "trigger",
    "usage",
    "create",
    "execute",
];

fn parse_privileges(input: ParseStream) -> syn::Result<Vec<PrivilegeDecl>> {
    let mut out = Vec::new();
    loop {
        let Some(TokenTree::Ident(word)) = nth(input, 0) else {
            return Err(expected_one_of(input, "a privilege", PRIVILEGES));
        };
        let text = word.to_string();
        let privilege = if text == "all" {
            None
        } else {
            match Privilege::from_sql(&text) {
                Some(p) if text.chars().all(|c| c.is_ascii_lowercase()) => Some(p),
                _ => return Err(expected_one_of(input, "a privilege", PRIVILEGES)),
            }
        };
        let span = bump(input)?;
        if privilege.is_none() {
            eat_kw(input, "privileges")?;
        }
        let columns = if peek_group(input, proc_macro2::Delimiter::Parenthesis) {
            parse_name_list(input, "columns the privilege is limited to")?.names
        } else {
            Vec::new()
        };
        out.push(PrivilegeDecl {
            privilege,
            span,
            columns,
        });
        if !input.peek(Token![,]) {
            return Ok(out);
        }
        input.parse::<Token![,]>()?;
    }
}

fn parse_roles(input: ParseStream) -> syn::Result<Vec<Name>> {
    let mut roles = vec![parse_name(input, "a role name (or `public`)")?];
    while input.peek(Token![,]) {
        input.parse::<Token![,]>()?;
        roles.push(parse_name(input, "a role name (or `public`)")?);
    }
    Ok(roles)
}

fn parse_grant_option(input: ParseStream) -> syn::Result<bool> {
    if eat_kw(input, "with")?.is_none() {
        return Ok(false);
    }
    expect_kw(input, "grant", "after `with` (`with grant option`)")?;
    expect_kw(input, "option", "after `with grant`")?;
    Ok(true)
}

/// `grant ...` (`revoke` false) or `revoke ...` (true), the keyword still unread.
pub(super) fn parse_grant_or_revoke(input: ParseStream, revoke: bool) -> syn::Result<GrantDecl> {
    bump(input)?;
    let privileges = parse_privileges(input)?;
    expect_kw(
        input,
        "on",
        "and what the privileges are on (`on table users`)",
    )?;
    const KINDS: &[&str] = &[
        "schema",
        "table",
        "sequence",
        "function",
        "procedure",
        "type",
        "domain",
    ];
    let Some(TokenTree::Ident(kind)) = nth(input, 0) else {
        return Err(expected_one_of(input, "the kind of object", KINDS));
    };
    let kind = kind.to_string();
    if !KINDS.contains(&kind.as_str()) {
        return Err(expected_one_of(input, "the kind of object", KINDS));
    }
    bump(input)?;
    let target = match kind.as_str() {
        "schema" => GrantTarget::Schema(parse_name(input, "a schema name")?),
        "table" => GrantTarget::Table(parse_qname(input, "a table or view name")?),
        "sequence" => GrantTarget::Sequence(parse_qname(input, "a sequence name")?),
        "function" | "procedure" => {
            let name = parse_qname(input, "a function name")?;
            let (content, _) = parens(
                input,
                "with the function's input argument types: `add(integer, integer)`",
            )?;
            let mut args = Vec::new();
            while !content.is_empty() {
                args.push(parse_type(&content)?);
                if !content.is_empty() {
                    content.parse::<Token![,]>()?;
                }
            }
            GrantTarget::Function(name, args)
        }
        _ => GrantTarget::Type(parse_qname(input, "a type name")?),
    };
    let target_span = match &target {
        GrantTarget::Schema(n) => n.span,
        GrantTarget::Table(q)
        | GrantTarget::Sequence(q)
        | GrantTarget::Type(q)
        | GrantTarget::Function(q, _) => q.span(),
    };
    if revoke {
        expect_kw(
            input,
            "from",
            "and the roles after the object (`from public`)",
        )?;
    } else {
        expect_kw(input, "to", "and the roles after the object (`to app_rw`)")?;
    }
    let roles = parse_roles(input)?;
    let with_grant_option = if revoke {
        false
    } else {
        parse_grant_option(input)?
    };
    Ok(GrantDecl {
        revoke,
        privileges,
        target,
        target_span,
        roles,
        with_grant_option,
    })
}

pub(super) fn parse_default_privileges(input: ParseStream) -> syn::Result<DefaultPrivilegesDecl> {
    bump(input)?; // `default`
    expect_kw(
        input,
        "privileges",
        "after `default` (`default privileges in schema S grant ...`)",
    )?;
    let for_role = if eat_kw(input, "for")?.is_some() {
        expect_kw(input, "role", "after `for` (`for role R`)")?;
        Some(parse_name(input, "a role name")?)
    } else {
        None
    };
    expect_kw(input, "in", "and the schema (`in schema S`)")?;
    expect_kw(input, "schema", "after `in`")?;
    let schema = parse_name(input, "a schema name")?;
    expect_kw(
        input,
        "grant",
        "after the schema (`grant select on tables to R`)",
    )?;
    let privileges = parse_privileges(input)?;
    expect_kw(input, "on", "and the kind of objects (`on tables`)")?;
    const KINDS: &[&str] = &["tables", "sequences", "functions", "types"];
    let on = match nth(input, 0) {
        Some(TokenTree::Ident(w)) if w == "tables" => DefaultObjects::Tables,
        Some(TokenTree::Ident(w)) if w == "sequences" => DefaultObjects::Sequences,
        Some(TokenTree::Ident(w)) if w == "functions" || w == "routines" => {
            DefaultObjects::Functions
        }
        Some(TokenTree::Ident(w)) if w == "types" => DefaultObjects::Types,
        _ => return Err(expected_one_of(input, "the kind of objects", KINDS)),
    };
    bump(input)?;
    expect_kw(input, "to", "and the roles (`to app_rw`)")?;
    let roles = parse_roles(input)?;
    let with_grant_option = parse_grant_option(input)?;
    Ok(DefaultPrivilegesDecl {
        for_role,
        schema,
        privileges,
        on,
        roles,
        with_grant_option,
    })
}
