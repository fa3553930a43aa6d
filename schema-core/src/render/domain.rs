//! Domains: `CREATE DOMAIN` (guarded, PostgreSQL has no `IF NOT EXISTS` for it) and the
//! `ALTER DOMAIN` actions the diff uses.

use std::fmt::{self, Display, Formatter, Write as _};

use super::display::*;
use super::user_type::write_guarded_create;
use super::*;

/// What `ALTER DOMAIN` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterDomain {
    /// `SET DEFAULT expr`.
    SetDefault(String),
    /// `DROP DEFAULT`.
    DropDefault,
    /// `SET NOT NULL` (checks every value stored in a column of the domain).
    SetNotNull,
    /// `DROP NOT NULL`.
    DropNotNull,
    /// `ADD CONSTRAINT name CHECK (expr) [NOT VALID]`, guarded by a `pg_constraint` lookup.
    AddCheck {
        /// The check.
        check: DomainCheck,
        /// `NOT VALID`: stored values are checked later, by `VALIDATE CONSTRAINT`.
        not_valid: bool,
    },
    /// `DROP CONSTRAINT IF EXISTS name`.
    DropConstraint(String),
    /// `VALIDATE CONSTRAINT name`.
    ValidateConstraint(String),
}

impl Display for DomainCheck {
    /// `CONSTRAINT name CHECK (expr)`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CONSTRAINT {} CHECK {}",
            Ident(&self.name),
            Parens(&self.expr)
        )
    }
}

pub(super) fn write_create_domain(f: &mut Formatter<'_>, d: &Domain, pretty: bool) -> fmt::Result {
    let create = DisplayFn(|f: &mut Formatter<'_>| {
        write!(f, "CREATE DOMAIN {} AS {}", d.name, SqlType(&d.data_type))?;
        if let Some(collation) = &d.collation {
            write!(f, " COLLATE {}", Ident(collation))?;
        }
        if let Some(default) = &d.default {
            write!(f, " DEFAULT {}", DefaultExpr(default))?;
        }
        if d.not_null {
            f.write_str(" NOT NULL")?;
        }
        for check in &d.checks {
            write!(f, " {check}")?;
        }
        f.write_char(';')
    });
    write_guarded_create(f, pretty, &d.name, &create)
}

pub(super) fn write_alter_domain(
    f: &mut Formatter<'_>,
    pretty: bool,
    name: &QualifiedName,
    action: &AlterDomain,
) -> fmt::Result {
    match action {
        AlterDomain::SetDefault(expr) => {
            write!(f, "ALTER DOMAIN {name} SET DEFAULT {};", DefaultExpr(expr))
        }
        AlterDomain::DropDefault => write!(f, "ALTER DOMAIN {name} DROP DEFAULT;"),
        AlterDomain::SetNotNull => write!(f, "ALTER DOMAIN {name} SET NOT NULL;"),
        AlterDomain::DropNotNull => write!(f, "ALTER DOMAIN {name} DROP NOT NULL;"),
        AlterDomain::AddCheck { check, not_valid } => {
            let add = DisplayFn(|f: &mut Formatter<'_>| {
                write!(f, "ALTER DOMAIN {name} ADD {check}")?;
                if *not_valid {
                    f.write_str(" NOT VALID")?;
                }
                f.write_char(';')
            });
            let condition = format!(
                "NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE contypid = {}::pg_catalog.regtype AND conname = {})",
                Literal(&name.to_string()),
                Literal(&check.name)
            );
            write_guarded(f, pretty, &condition, &add)
        }
        AlterDomain::DropConstraint(constraint) => write!(
            f,
            "ALTER DOMAIN {name} DROP CONSTRAINT IF EXISTS {};",
            Ident(constraint)
        ),
        AlterDomain::ValidateConstraint(constraint) => write!(
            f,
            "ALTER DOMAIN {name} VALIDATE CONSTRAINT {};",
            Ident(constraint)
        ),
    }
}
