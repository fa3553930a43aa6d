//! Table constraints: their definition and the guarded `ADD CONSTRAINT`.

use std::fmt::{self, Display, Formatter, Write as _};

use super::display::*;
use super::*;

impl Display for ConstraintKind {
    /// The constraint body without its name: `PRIMARY KEY (a, b)`, `CHECK (a > 0)`, ...
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ConstraintKind::PrimaryKey { columns, include } => {
                write!(f, "PRIMARY KEY ({})", Idents(columns))?;
                if !include.is_empty() {
                    write!(f, " INCLUDE ({})", Idents(include))?;
                }
                Ok(())
            }
            ConstraintKind::Unique {
                columns,
                include,
                nulls_not_distinct,
            } => {
                f.write_str("UNIQUE ")?;
                if *nulls_not_distinct {
                    f.write_str("NULLS NOT DISTINCT ")?;
                }
                write!(f, "({})", Idents(columns))?;
                if !include.is_empty() {
                    write!(f, " INCLUDE ({})", Idents(include))?;
                }
                Ok(())
            }
            ConstraintKind::ForeignKey {
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_update,
            } => {
                write!(
                    f,
                    "FOREIGN KEY ({}) REFERENCES {ref_table}",
                    Idents(columns)
                )?;
                if !ref_columns.is_empty() {
                    write!(f, " ({})", Idents(ref_columns))?;
                }
                if *on_delete != FkAction::NoAction {
                    write!(f, " ON DELETE {}", on_delete.sql())?;
                }
                if *on_update != FkAction::NoAction {
                    write!(f, " ON UPDATE {}", on_update.sql())?;
                }
                Ok(())
            }
            ConstraintKind::Check { expr } => write!(f, "CHECK {}", Parens(expr)),
            ConstraintKind::Exclusion {
                method,
                elements,
                include,
                predicate,
            } => {
                write!(
                    f,
                    "EXCLUDE USING {} ({})",
                    Ident(method.name()),
                    display_comma_separated(elements)
                )?;
                if !include.is_empty() {
                    write!(f, " INCLUDE ({})", Idents(include))?;
                }
                if let Some(predicate) = predicate {
                    write!(f, " WHERE {}", Parens(predicate))?;
                }
                Ok(())
            }
        }
    }
}

impl Display for ExclusionElement {
    /// `element WITH operator`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} WITH {}", self.element, self.operator)
    }
}

impl Display for Constraint {
    /// `CONSTRAINT name <kind> [DEFERRABLE [INITIALLY DEFERRED]]`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "CONSTRAINT {} {}", Ident(&self.name), self.kind)?;
        write_deferrable(f, self)
    }
}

pub(super) fn write_deferrable(f: &mut Formatter<'_>, c: &Constraint) -> fmt::Result {
    if c.deferrable || c.initially_deferred {
        f.write_str(" DEFERRABLE")?;
        if c.initially_deferred {
            f.write_str(" INITIALLY DEFERRED")?;
        }
    }
    Ok(())
}

/// How `ADD CONSTRAINT` adds a constraint to a table that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddMode {
    /// Checks existing rows while holding the table's lock.
    Plain,
    /// `NOT VALID`: existing rows are checked later by `VALIDATE CONSTRAINT` (checks and
    /// foreign keys).
    NotValid,
    /// `UNIQUE | PRIMARY KEY USING INDEX name`: adopts a unique index of the same name built
    /// beforehand (primary keys and unique constraints).
    UsingIndex,
}

impl AddMode {
    /// How a foreign key of a table created in the same plan is added: `NOT VALID` when
    /// declared so (nothing to check yet, and the catalog then says what the declaration
    /// says), except on a partitioned table, where PostgreSQL refuses `NOT VALID` foreign keys.
    pub fn for_new_foreign_key(table: &Table, fk: &Constraint) -> AddMode {
        if fk.validated || table.is_partitioned() {
            AddMode::Plain
        } else {
            AddMode::NotValid
        }
    }
}

pub(super) fn write_add_constraint(
    f: &mut Formatter<'_>,
    pretty: bool,
    table: &QualifiedName,
    constraint: &Constraint,
    mode: &AddMode,
) -> fmt::Result {
    let add = DisplayFn(|f: &mut Formatter<'_>| {
        write!(f, "ALTER TABLE {table} ADD ")?;
        match (mode, &constraint.kind) {
            (AddMode::UsingIndex, ConstraintKind::PrimaryKey { .. }) => {
                let name = Ident(&constraint.name);
                write!(f, "CONSTRAINT {name} PRIMARY KEY USING INDEX {name}")?;
                write_deferrable(f, constraint)?;
            }
            (AddMode::UsingIndex, ConstraintKind::Unique { .. }) => {
                let name = Ident(&constraint.name);
                write!(f, "CONSTRAINT {name} UNIQUE USING INDEX {name}")?;
                write_deferrable(f, constraint)?;
            }
            (AddMode::NotValid, ConstraintKind::Check { .. })
            | (AddMode::NotValid, ConstraintKind::ForeignKey { .. }) => {
                write!(f, "{constraint} NOT VALID")?;
            }
            _ => write!(f, "{constraint}")?,
        }
        f.write_char(';')
    });
    let condition = format!(
        "NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = {} \
         AND conname = {})",
        regclass(table),
        Literal(&constraint.name)
    );
    write_guarded(f, pretty, &condition, &add)
}
