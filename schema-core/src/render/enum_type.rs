//! Enum types: `CREATE TYPE ... AS ENUM` (guarded, PostgreSQL has no `IF NOT EXISTS` for it)
//! and `ALTER TYPE ... ADD VALUE`.

use std::fmt::{self, Formatter, Write as _};

use super::display::*;
use super::*;

/// Where `ALTER TYPE ... ADD VALUE` puts the new label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumPosition {
    /// At the end.
    Last,
    /// `BEFORE 'label'`.
    Before(String),
    /// `AFTER 'label'`.
    After(String),
}

pub(super) fn write_create_enum(f: &mut Formatter<'_>, e: &EnumType, pretty: bool) -> fmt::Result {
    let labels: Vec<Literal<'_>> = e.values.iter().map(|v| Literal(v)).collect();
    let create = DisplayFn(|f: &mut Formatter<'_>| {
        write!(
            f,
            "CREATE TYPE {} AS ENUM ({});",
            e.name,
            display_comma_separated(&labels)
        )
    });
    let exists = DisplayFn(|f: &mut Formatter<'_>| {
        write!(
            f,
            "SELECT FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n \
             ON n.oid = t.typnamespace WHERE n.nspname = {} AND t.typname = {}",
            Literal(&e.name.schema),
            Literal(&e.name.name)
        )
    });
    write_guarded(f, pretty, &format!("NOT EXISTS ({exists})"), &create)
}

pub(super) fn write_add_enum_value(
    f: &mut Formatter<'_>,
    name: &QualifiedName,
    value: &str,
    position: &EnumPosition,
) -> fmt::Result {
    write!(
        f,
        "ALTER TYPE {name} ADD VALUE IF NOT EXISTS {}",
        Literal(value)
    )?;
    match position {
        EnumPosition::Last => {}
        EnumPosition::Before(other) => write!(f, " BEFORE {}", Literal(other))?,
        EnumPosition::After(other) => write!(f, " AFTER {}", Literal(other))?,
    }
    f.write_char(';')
}
