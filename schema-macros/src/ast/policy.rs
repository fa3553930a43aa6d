//! Row-level security: `row level security on TABLE [force];` and `policy NAME on TABLE [as
//! permissive | restrictive] [for all | select | insert | update | delete] [to ROLE, ...]
//! [using "EXPR"] [with check "EXPR"];`.

use proc_macro2::TokenTree;
use schema_core::model::PolicyCommand;
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::{Ctxt, Sp};

use super::literals::{parse_name, parse_qname, parse_sql};
use super::tokens::{bump, eat_kw, expect_kw, expected_one_of, nth, set_once};
use super::{Name, QName, Sql};

/// `row level security on TABLE [force]`.
#[derive(Debug, Clone)]
pub struct RowSecurityDecl {
    /// The table.
    pub table: QName,
    /// `force`: the owner is held to the policies too.
    pub force: bool,
}

/// `policy NAME on TABLE ...`.
#[derive(Debug, Clone)]
pub struct PolicyDecl {
    /// Its name.
    pub name: Name,
    /// The table it applies to.
    pub table: QName,
    /// `as restrictive` (permissive unless written).
    pub restrictive: bool,
    /// `for COMMAND` and where it was written.
    pub command: Option<(PolicyCommand, Sp)>,
    /// `to ROLE, ...`.
    pub roles: Vec<Name>,
    /// `using "EXPR"`.
    pub using: Option<Sql>,
    /// `with check "EXPR"`.
    pub with_check: Option<Sql>,
}

pub(super) fn parse_row_security(input: ParseStream) -> syn::Result<RowSecurityDecl> {
    bump(input)?; // `row`
    expect_kw(
        input,
        "level",
        "after `row` (`row level security on TABLE`)",
    )?;
    expect_kw(input, "security", "after `row level`")?;
    expect_kw(input, "on", "and the table after `row level security`")?;
    let table = parse_qname(input, "a table name")?;
    let force = eat_kw(input, "force")?.is_some();
    Ok(RowSecurityDecl { table, force })
}

pub(super) fn parse_policy(cx: &Ctxt, input: ParseStream) -> syn::Result<PolicyDecl> {
    bump(input)?; // `policy`
    let name = parse_name(input, "a policy name")?;
    expect_kw(input, "on", "and the table after the policy's name")?;
    let table = parse_qname(input, "a table name")?;
    let mut restrictive = None;
    let mut command = None;
    let mut roles: Option<Vec<Name>> = None;
    let mut using = None;
    let mut with_check = None;
    const CLAUSES: &[&str] = &["as", "for", "to", "using", "with check"];
    while !input.peek(Token![;]) {
        let Some(TokenTree::Ident(word)) = nth(input, 0) else {
            return Err(expected_one_of(input, "a policy clause", CLAUSES));
        };
        let at = Sp::new(word.span());
        match word.to_string().as_str() {
            "as" => {
                bump(input)?;
                let value = if eat_kw(input, "restrictive")?.is_some() {
                    true
                } else if eat_kw(input, "permissive")?.is_some() {
                    false
                } else {
                    return Err(expected_one_of(
                        input,
                        "the kind of policy",
                        &["permissive", "restrictive"],
                    ));
                };
                set_once(cx, &mut restrictive, value, at, "as");
            }
            "for" => {
                bump(input)?;
                const COMMANDS: &[&str] = &["all", "select", "insert", "update", "delete"];
                let Some(TokenTree::Ident(cmd)) = nth(input, 0) else {
                    return Err(expected_one_of(input, "a command", COMMANDS));
                };
                let value = match cmd.to_string().as_str() {
                    "all" => PolicyCommand::All,
                    "select" => PolicyCommand::Select,
                    "insert" => PolicyCommand::Insert,
                    "update" => PolicyCommand::Update,
                    "delete" => PolicyCommand::Delete,
                    _ => return Err(expected_one_of(input, "a command", COMMANDS)),
                };
                let span = bump(input)?;
                set_once(cx, &mut command, (value, span), at, "for");
            }
            "to" => {
                bump(input)?;
                let mut list = vec![parse_name(input, "a role name")?];
                while input.peek(Token![,]) {
                    input.parse::<Token![,]>()?;
                    list.push(parse_name(input, "a role name")?);
                }
                set_once(cx, &mut roles, list, at, "to");
            }
            "using" => {
                bump(input)?;
                let sql = parse_sql(input, "the rows the policy lets through")?;
                set_once(cx, &mut using, sql, at, "using");
            }
            "with" => {
                bump(input)?;
                expect_kw(input, "check", "after `with` (`with check \"EXPR\"`)")?;
                let sql = parse_sql(input, "the rows the policy lets be written")?;
                set_once(cx, &mut with_check, sql, at, "with check");
            }
            _ => return Err(expected_one_of(input, "a policy clause", CLAUSES)),
        }
    }
    Ok(PolicyDecl {
        name,
        table,
        restrictive: restrictive.unwrap_or(false),
        command,
        roles: roles.unwrap_or_default(),
        using,
        with_check,
    })
}
