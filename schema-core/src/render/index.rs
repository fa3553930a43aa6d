//! Indexes: key elements, `CREATE INDEX` and `DROP INDEX`.

use std::fmt::{self, Display, Formatter, Write as _};

use crate::ident::quote_qualified;

use super::display::*;
use super::table::{StorageList, StorageNames};
use super::*;

impl Display for IndexElement {
    /// `col` or `(expr)`, then `COLLATE`, operator class, `DESC`, `NULLS FIRST | LAST`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.target {
            IndexTarget::Column(name) => Ident(name).fmt(f)?,
            IndexTarget::Expression(expr) => Parens(expr).fmt(f)?,
        }
        if let Some(collation) = &self.collation {
            write!(f, " COLLATE {}", Ident(collation))?;
        }
        if let Some(opclass) = &self.opclass {
            write!(f, " {}", Ident(opclass))?;
        }
        if self.descending {
            f.write_str(" DESC")?;
        }
        match self.nulls_first {
            Some(true) => f.write_str(" NULLS FIRST"),
            Some(false) => f.write_str(" NULLS LAST"),
            None => Ok(()),
        }
    }
}

pub(super) fn write_create_index(
    f: &mut Formatter<'_>,
    table: &QualifiedName,
    index: &Index,
    concurrently: bool,
    only: bool,
) -> fmt::Result {
    f.write_str("CREATE ")?;
    if index.unique {
        f.write_str("UNIQUE ")?;
    }
    f.write_str("INDEX ")?;
    if concurrently {
        f.write_str("CONCURRENTLY ")?;
    }
    write!(
        f,
        "IF NOT EXISTS {} ON {}{table} USING {} ({})",
        Ident(&index.name),
        if only { "ONLY " } else { "" },
        Ident(index.method.name()),
        display_comma_separated(&index.elements)
    )?;
    if !index.include.is_empty() {
        write!(f, " INCLUDE ({})", Idents(&index.include))?;
    }
    if index.nulls_not_distinct {
        f.write_str(" NULLS NOT DISTINCT")?;
    }
    if !index.storage.is_empty() {
        write!(f, " WITH ({})", StorageList(&index.storage))?;
    }
    if let Some(predicate) = &index.predicate {
        write!(f, " WHERE {}", Parens(predicate))?;
    }
    f.write_char(';')
}

pub(super) fn write_alter_index_storage(
    f: &mut Formatter<'_>,
    schema: &str,
    name: &str,
    set: &[StorageParameter],
    reset: &[String],
) -> fmt::Result {
    let index = quote_qualified(schema, name);
    let mut first = true;
    if !set.is_empty() {
        write!(
            f,
            "ALTER INDEX IF EXISTS {index} SET ({});",
            StorageList(set)
        )?;
        first = false;
    }
    if !reset.is_empty() {
        if !first {
            f.write_char('\n')?;
        }
        write!(
            f,
            "ALTER INDEX IF EXISTS {index} RESET ({});",
            StorageNames(reset)
        )?;
    }
    Ok(())
}

pub(super) fn write_drop_index(
    f: &mut Formatter<'_>,
    schema: &str,
    name: &str,
    concurrently: &bool,
) -> fmt::Result {
    f.write_str("DROP INDEX ")?;
    if *concurrently {
        f.write_str("CONCURRENTLY ")?;
    }
    write!(f, "IF EXISTS {};", quote_qualified(schema, name))
}
