//! Row-level security: `ALTER TABLE ... ROW LEVEL SECURITY` and policies (`CREATE POLICY`
//! has no `IF NOT EXISTS`: it is guarded by a `pg_policy` lookup).

use std::fmt::{self, Display, Formatter};

use super::display::*;
use super::*;

/// A role as `TO` takes it: `PUBLIC` and the `CURRENT_USER`-like keywords bare, any other
/// role quoted as needed.
pub struct Role<'a>(pub &'a str);

impl Display for Role<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0 {
            "public" => f.write_str("PUBLIC"),
            "current_user" | "current_role" | "session_user" => f.write_str(&self.0.to_uppercase()),
            role => Ident(role).fmt(f),
        }
    }
}

/// `TO a, b`: the roles in name order, `PUBLIC` when none are named.
fn write_roles(f: &mut Formatter<'_>, policy: &RowPolicy) -> fmt::Result {
    let set = policy.role_set();
    let roles: Vec<Role<'_>> = set.iter().map(|r| Role(r)).collect();
    write!(f, " TO {}", display_comma_separated(&roles))
}

/// The `USING` and `WITH CHECK` clauses.
fn write_expressions(f: &mut Formatter<'_>, policy: &RowPolicy) -> fmt::Result {
    if let Some(using) = &policy.using {
        write!(f, " USING {}", Parens(using))?;
    }
    if let Some(check) = &policy.with_check {
        write!(f, " WITH CHECK {}", Parens(check))?;
    }
    Ok(())
}

/// `CREATE POLICY ...` on its own, unguarded.
struct CreatePolicy<'a>(&'a RowPolicy);

impl Display for CreatePolicy<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let p = self.0;
        write!(
            f,
            "CREATE POLICY {} ON {} AS {} FOR {}",
            Ident(&p.name),
            p.table,
            if p.permissive {
                "PERMISSIVE"
            } else {
                "RESTRICTIVE"
            },
            p.command.sql()
        )?;
        write_roles(f, p)?;
        write_expressions(f, p)?;
        f.write_str(";")
    }
}

/// `CREATE POLICY`, in a `DO` block that creates it only when the table has no policy of that
/// name (a policy of that name that differs is the diff's business: `ALTER POLICY`, or drop and
/// create).
pub(super) fn write_create_policy(
    f: &mut Formatter<'_>,
    pretty: bool,
    policy: &RowPolicy,
) -> fmt::Result {
    let condition = format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = {} AND polname = {})",
        regclass(&policy.table),
        quote_literal(&policy.name)
    );
    write_guarded(f, pretty, &condition, &CreatePolicy(policy))
}

/// `ALTER POLICY name ON table TO roles [USING (...)] [WITH CHECK (...)]`: what PostgreSQL
/// can change in place (not the command, not permissive or restrictive, and an expression
/// can be replaced but not removed).
pub(super) fn write_alter_policy(f: &mut Formatter<'_>, policy: &RowPolicy) -> fmt::Result {
    write!(
        f,
        "ALTER POLICY {} ON {}",
        Ident(&policy.name),
        policy.table
    )?;
    write_roles(f, policy)?;
    write_expressions(f, policy)?;
    f.write_str(";")
}

/// `ALTER TABLE t ENABLE | DISABLE ROW LEVEL SECURITY, [NO] FORCE ROW LEVEL SECURITY`: both
/// switches set at once, so the statement says the whole state and runs twice unchanged.
pub(super) fn write_row_security(
    f: &mut Formatter<'_>,
    table: &QualifiedName,
    enable: bool,
    force: bool,
) -> fmt::Result {
    write!(
        f,
        "ALTER TABLE {table} {} ROW LEVEL SECURITY, {} ROW LEVEL SECURITY;",
        if enable { "ENABLE" } else { "DISABLE" },
        if force { "FORCE" } else { "NO FORCE" }
    )
}
