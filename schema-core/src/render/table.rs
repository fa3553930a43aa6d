//! Tables: `CREATE TABLE` with its inline constraints, and the actions of `ALTER TABLE`.

use std::fmt::{self, Display, Formatter};

use super::column::identity_sql;
use super::display::*;
use super::*;

/// One action of `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterTable {
    /// `ADD COLUMN IF NOT EXISTS <column>`.
    AddColumn(Box<Column>),
    /// `DROP COLUMN IF EXISTS name`.
    DropColumn(String),
    /// `ALTER COLUMN name TYPE type [COLLATE c] [USING expr]`; the column gives the name, type
    /// and collation (`COLLATE "default"` when it has none and `reset_collation` is set).
    AlterType {
        /// The column as it will be.
        column: Box<Column>,
        /// `USING` expression, if the server needs one to convert the values.
        using: Option<String>,
        /// Print `COLLATE "default"` when the column has no collation (it had one).
        reset_collation: bool,
    },
    /// `ALTER COLUMN name SET NOT NULL`.
    SetNotNull(String),
    /// `ALTER COLUMN name DROP NOT NULL`.
    DropNotNull(String),
    /// `ALTER COLUMN name SET DEFAULT expr`.
    SetDefault(String, String),
    /// `ALTER COLUMN name DROP DEFAULT`.
    DropDefault(String),
    /// `ALTER COLUMN name SET GENERATED ...`.
    SetIdentity(String, Identity),
    /// `ALTER COLUMN name DROP IDENTITY IF EXISTS`.
    DropIdentity(String),
    /// `ALTER COLUMN name DROP EXPRESSION IF EXISTS` (a generated column becomes a plain one).
    DropExpression(String),
    /// `DROP CONSTRAINT IF EXISTS name`.
    DropConstraint(String),
    /// `VALIDATE CONSTRAINT name`.
    ValidateConstraint(String),
    /// `SET LOGGED` (false) / `SET UNLOGGED` (true).
    SetUnlogged(bool),
    /// `SET (name = value, ...)`: storage parameters.
    SetStorage(Vec<StorageParameter>),
    /// `RESET (name, ...)`: storage parameters back to their defaults.
    ResetStorage(Vec<String>),
    /// `ALTER COLUMN name SET STATISTICS n` (`-1`: back to the default).
    SetStatistics(String, i32),
    /// `ALTER COLUMN name SET STORAGE kind`.
    SetColumnStorage(String, Storage),
    /// `ALTER COLUMN name SET COMPRESSION method` (`DEFAULT` when `None`).
    SetCompression(String, Option<String>),
    /// `ALTER COLUMN name SET (option = value, ...)`: attribute options.
    SetColumnOptions(String, Vec<StorageParameter>),
    /// `ALTER COLUMN name RESET (option, ...)`.
    ResetColumnOptions(String, Vec<String>),
}

impl Display for AlterTable {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            AlterTable::AddColumn(column) => write!(f, "ADD COLUMN IF NOT EXISTS {column}"),
            AlterTable::DropColumn(name) => write!(f, "DROP COLUMN IF EXISTS {}", Ident(name)),
            AlterTable::AlterType {
                column,
                using,
                reset_collation,
            } => {
                write!(
                    f,
                    "ALTER COLUMN {} TYPE {}",
                    Ident(&column.name),
                    SqlType(&column.data_type)
                )?;
                match &column.collation {
                    Some(collation) => write!(f, " COLLATE {}", Ident(collation))?,
                    None if *reset_collation => f.write_str(" COLLATE \"default\"")?,
                    None => {}
                }
                if let Some(using) = using {
                    write!(f, " USING {}", Fragment(using))?;
                }
                Ok(())
            }
            AlterTable::SetNotNull(name) => write!(f, "ALTER COLUMN {} SET NOT NULL", Ident(name)),
            AlterTable::DropNotNull(name) => {
                write!(f, "ALTER COLUMN {} DROP NOT NULL", Ident(name))
            }
            AlterTable::SetDefault(name, expr) => write!(
                f,
                "ALTER COLUMN {} SET DEFAULT {}",
                Ident(name),
                DefaultExpr(expr)
            ),
            AlterTable::DropDefault(name) => write!(f, "ALTER COLUMN {} DROP DEFAULT", Ident(name)),
            AlterTable::SetIdentity(name, identity) => write!(
                f,
                "ALTER COLUMN {} SET {}",
                Ident(name),
                identity_sql(*identity)
            ),
            AlterTable::DropIdentity(name) => {
                write!(f, "ALTER COLUMN {} DROP IDENTITY IF EXISTS", Ident(name))
            }
            AlterTable::DropExpression(name) => {
                write!(f, "ALTER COLUMN {} DROP EXPRESSION IF EXISTS", Ident(name))
            }
            AlterTable::DropConstraint(name) => {
                write!(f, "DROP CONSTRAINT IF EXISTS {}", Ident(name))
            }
            AlterTable::ValidateConstraint(name) => {
                write!(f, "VALIDATE CONSTRAINT {}", Ident(name))
            }
            AlterTable::SetUnlogged(true) => f.write_str("SET UNLOGGED"),
            AlterTable::SetUnlogged(false) => f.write_str("SET LOGGED"),
            AlterTable::SetStorage(set) => write!(f, "SET ({})", StorageList(set)),
            AlterTable::ResetStorage(names) => write!(f, "RESET ({})", StorageNames(names)),
            AlterTable::SetStatistics(name, target) => {
                write!(f, "ALTER COLUMN {} SET STATISTICS {target}", Ident(name))
            }
            AlterTable::SetColumnStorage(name, storage) => write!(
                f,
                "ALTER COLUMN {} SET STORAGE {}",
                Ident(name),
                storage.keyword().to_uppercase()
            ),
            AlterTable::SetCompression(name, method) => match method {
                Some(method) => write!(
                    f,
                    "ALTER COLUMN {} SET COMPRESSION {}",
                    Ident(name),
                    Ident(method)
                ),
                None => write!(f, "ALTER COLUMN {} SET COMPRESSION DEFAULT", Ident(name)),
            },
            AlterTable::SetColumnOptions(name, set) => {
                write!(f, "ALTER COLUMN {} SET ({})", Ident(name), StorageList(set))
            }
            AlterTable::ResetColumnOptions(name, names) => write!(
                f,
                "ALTER COLUMN {} RESET ({})",
                Ident(name),
                StorageNames(names)
            ),
        }
    }
}

pub(super) fn write_create_table(
    f: &mut Formatter<'_>,
    table: &Table,
    pretty: bool,
) -> fmt::Result {
    f.write_str("CREATE ")?;
    if table.unlogged {
        f.write_str("UNLOGGED ")?;
    }
    write!(f, "TABLE IF NOT EXISTS {} ", table.name)?;
    if let Some(of) = &table.partition_of {
        return super::partition::write_partition_of(f, table, of, pretty);
    }
    f.write_str("(")?;
    let (open, sep, close) = if pretty {
        ("\n    ", ",\n    ", "\n")
    } else {
        ("", ", ", "")
    };
    let mut first = true;
    let mut item = |f: &mut Formatter<'_>, d: &dyn Display| -> fmt::Result {
        f.write_str(if first { open } else { sep })?;
        first = false;
        write!(f, "{d}")
    };
    for column in &table.columns {
        item(f, column)?;
    }
    for constraint in inline_constraints(table) {
        item(f, constraint)?;
    }
    if !first {
        f.write_str(close)?;
    }
    f.write_str(")")?;
    if let Some(key) = &table.partition_by {
        write!(f, " PARTITION BY {key}")?;
    }
    write_storage(f, table)?;
    f.write_str(";")
}

/// ` WITH (name = value, ...)` after `CREATE TABLE`, if the table has storage parameters.
pub(super) fn write_storage(f: &mut Formatter<'_>, table: &Table) -> fmt::Result {
    if !table.storage.is_empty() {
        write!(f, " WITH ({})", StorageList(&table.storage))?;
    }
    Ok(())
}

/// `name = value, ...`: a value PostgreSQL reads as a number or a word goes bare, anything
/// else as a string literal.
pub(super) struct StorageList<'a>(pub(super) &'a [StorageParameter]);

impl Display for StorageList<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            StorageName(&p.name).fmt(f)?;
            let bare = !p.value.is_empty()
                && (p.value.parse::<f64>().is_ok()
                    || p.value
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
            if bare {
                write!(f, " = {}", p.value)?;
            } else {
                write!(f, " = {}", Literal(&p.value))?;
            }
        }
        Ok(())
    }
}

/// `name, ...` for `RESET`.
pub(super) struct StorageNames<'a>(pub(super) &'a [String]);

impl Display for StorageNames<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            StorageName(name).fmt(f)?;
        }
        Ok(())
    }
}

/// A parameter name, `toast.` prefix included, each part quoted as needed.
struct StorageName<'a>(&'a str);

impl Display for StorageName<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0.split_once('.') {
            Some((ns, name)) => write!(f, "{}.{}", Ident(ns), Ident(name)),
            None => Ident(self.0).fmt(f),
        }
    }
}

/// The constraints `CREATE TABLE` declares inline: all but foreign keys, which are added once
/// every table exists (tables may reference each other in a cycle), and checks declared `not
/// valid` (see [`not_valid_checks`]).
pub fn inline_constraints(table: &Table) -> impl Iterator<Item = &Constraint> {
    table.constraints.iter().filter(|c| match c.kind {
        ConstraintKind::ForeignKey { .. } => false,
        ConstraintKind::Check { .. } => c.validated,
        _ => true,
    })
}

/// The checks declared `not valid`, added `NOT VALID` right after `CREATE TABLE`: inline,
/// PostgreSQL would mark them validated, and a fresh build would differ from a migrated one.
pub fn not_valid_checks(table: &Table) -> impl Iterator<Item = &Constraint> {
    table
        .constraints
        .iter()
        .filter(|c| matches!(c.kind, ConstraintKind::Check { .. }) && !c.validated)
}

/// The foreign keys of `table`, which [`Schema::create_sql`] adds after all tables.
pub fn foreign_keys(table: &Table) -> impl Iterator<Item = &Constraint> {
    table
        .constraints
        .iter()
        .filter(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }))
}
