//! Composite types: `CREATE TYPE ... AS (...)` (guarded) and `ALTER TYPE ... ADD | DROP |
//! ALTER ATTRIBUTE`.

use std::fmt::{self, Display, Formatter, Write as _};

use super::display::*;
use super::user_type::write_guarded_create;
use super::*;

/// What `ALTER TYPE` does to a composite type's attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlterComposite {
    /// `ADD ATTRIBUTE name type [COLLATE c]`, guarded by a `pg_attribute` lookup.
    AddAttribute(CompositeAttribute),
    /// `DROP ATTRIBUTE IF EXISTS name`.
    DropAttribute(String),
    /// `ALTER ATTRIBUTE name TYPE type [COLLATE c]`.
    AlterAttributeType(CompositeAttribute),
}

impl Display for CompositeAttribute {
    /// `name type [COLLATE "c"]`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", Ident(&self.name), SqlType(&self.data_type))?;
        if let Some(collation) = &self.collation {
            write!(f, " COLLATE {}", Ident(collation))?;
        }
        Ok(())
    }
}

pub(super) fn write_create_composite(
    f: &mut Formatter<'_>,
    c: &CompositeType,
    pretty: bool,
) -> fmt::Result {
    let create = DisplayFn(|f: &mut Formatter<'_>| {
        write!(
            f,
            "CREATE TYPE {} AS ({});",
            c.name,
            display_comma_separated(&c.attributes)
        )
    });
    write_guarded_create(f, pretty, &c.name, &create)
}

pub(super) fn write_alter_composite(
    f: &mut Formatter<'_>,
    pretty: bool,
    name: &QualifiedName,
    action: &AlterComposite,
) -> fmt::Result {
    match action {
        AlterComposite::AddAttribute(attribute) => {
            let add = DisplayFn(|f: &mut Formatter<'_>| {
                write!(f, "ALTER TYPE {name} ADD ATTRIBUTE {attribute}")?;
                f.write_char(';')
            });
            let condition = format!(
                "NOT EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = {} \
                 AND attname = {} AND NOT attisdropped)",
                regclass(name),
                Literal(&attribute.name)
            );
            write_guarded(f, pretty, &condition, &add)
        }
        AlterComposite::DropAttribute(attribute) => write!(
            f,
            "ALTER TYPE {name} DROP ATTRIBUTE IF EXISTS {};",
            Ident(attribute)
        ),
        AlterComposite::AlterAttributeType(attribute) => {
            write!(
                f,
                "ALTER TYPE {name} ALTER ATTRIBUTE {} TYPE {}",
                Ident(&attribute.name),
                SqlType(&attribute.data_type)
            )?;
            if let Some(collation) = &attribute.collation {
                write!(f, " COLLATE {}", Ident(collation))?;
            }
            f.write_char(';')
        }
    }
}
