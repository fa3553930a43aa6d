//! Roles the declaration names (in policies, grants and default privileges): pgdecl never creates roles, so each must exist
//! before anything is created; a missing one is an error that names it, the object that needs
//! it and the fix, instead of the server's bare `role "x" does not exist` halfway through.

use postgres::GenericClient;
use schema_core::Schema;

use crate::error::{Error, ErrorKind};

/// Role words that are not role names.
const PSEUDO_ROLES: &[&str] = &["public", "current_user", "current_role", "session_user"];

/// `Err` naming every declared role the server does not have; no query when the declaration
/// names none.
pub(super) fn refuse_missing_roles<C: GenericClient>(
    client: &mut C,
    declared: &Schema,
) -> Result<(), Error> {
    let mut users: Vec<(String, String)> = Vec::new();
    for p in &declared.policies {
        for role in &p.roles {
            if !PSEUDO_ROLES.contains(&role.as_str()) {
                users.push((
                    role.clone(),
                    format!(
                        "policy {} on {}",
                        schema_core::ident::quote_ident(&p.name),
                        p.table
                    ),
                ));
            }
        }
    }
    for g in &declared.grants {
        for role in &g.roles {
            if !PSEUDO_ROLES.contains(&role.to_lowercase().as_str()) {
                users.push((
                    role.clone(),
                    format!(
                        "{} {}",
                        if g.revoke { "revoke" } else { "grant" },
                        schema_core::render::grant_on(&g.object).to_lowercase()
                    ),
                ));
            }
        }
    }
    for d in &declared.default_privileges {
        let by = format!("default privileges in schema {}", d.schema);
        for role in d.roles.iter().chain(&d.for_role) {
            if !PSEUDO_ROLES.contains(&role.to_lowercase().as_str()) {
                users.push((role.clone(), by.clone()));
            }
        }
    }
    if users.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = users.iter().map(|(r, _)| r.clone()).collect();
    names.sort();
    names.dedup();
    // The unnamed statement: a named one collides behind a transaction-mode pooler.
    let rows = client
        .query_typed(
            "SELECT r FROM unnest($1::text[]) r
              WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r)
              ORDER BY r",
            &[(&names, postgres::types::Type::TEXT_ARRAY)],
        )
        .map_err(|e| Error::from_postgres("checking the roles the declaration names", e))?;
    let missing: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut detail = String::new();
    for role in &missing {
        let needed: Vec<&str> = users
            .iter()
            .filter(|(r, _)| r == role)
            .map(|(_, by)| by.as_str())
            .collect();
        detail.push_str(&format!(
            "\n  role {role:?} does not exist (named by {}); pgdecl never creates roles: create it first (CREATE ROLE {}), or remove it from the declaration",
            needed.join(", "),
            schema_core::ident::quote_ident(role)
        ));
    }
    Err(Error::Reported {
        context: "checking the roles the declaration names".to_string(),
        kind: ErrorKind::Invalid,
        detail: format!(
            "{} declared role{} missing, nothing was changed{detail}",
            missing.len(),
            if missing.len() == 1 { " is" } else { "s are" }
        ),
    })
}
