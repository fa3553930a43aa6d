//! `CREATE EXTENSION`: the writer for [`Statement::CreateExtension`].

use std::fmt::{self, Formatter, Write as _};

use super::display::*;
use super::*;

pub(super) fn write_create_extension(f: &mut Formatter<'_>, ext: &Extension) -> fmt::Result {
    write!(f, "CREATE EXTENSION IF NOT EXISTS {}", Ident(&ext.name))?;
    if let Some(schema) = &ext.schema {
        write!(f, " WITH SCHEMA {}", Ident(schema))?;
    }
    f.write_char(';')
}
