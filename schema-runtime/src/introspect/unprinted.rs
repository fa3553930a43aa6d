//! Expressions compared without printing them, when two databases are read to be compared
//! (`pgdecl diff`; issue 12).
//!
//! Printing a stored expression (`pg_get_expr`) of a table opens the table and builds its
//! relation cache entry on the server; for a thousand tables with checks and expression or
//! partial indexes that was most of a no-op diff's time on each side. Two databases built
//! by the same DDL store the same node trees, and a node tree prints the same on both when
//! everything it names is named the same: so each side reads each check, each index's
//! expressions and predicate, and each column default or generation expression as a digest
//! of its node tree, the two sides trade digests, and only the expressions whose digests
//! differ (or that only one side has) are printed, in one more query per side in the same
//! snapshot. The others are given the same placeholder text on
//! both sides ([`is_placeholder`]): they compare equal, and a plan that would write one out
//! is made again with every expression printed (see `cli::tool`).
//!
//! When is a digest enough? A node tree names objects by oid and columns by number. Each
//! side's server records in `pg_depend` every object an expression uses, except the objects
//! it pins (built in, with the same oid and name in every cluster of one major version since
//! PostgreSQL 15; before 15 it also pinned the collations `initdb` imports, whose oids differ
//! between clusters, so older servers always print). A digest is taken only of an expression
//! that depends on nothing but its own table (no type, function, operator, collation or
//! `regclass` constant of the user's), and two digests compare equal only between servers of
//! the same major version (the node tree's text format is fixed within one) whose tables
//! number and name their columns alike. A node tree also records where in its statement each
//! node was written (`:location`), so the same expression written at another place compares
//! as different and is printed: slower, never wrong.

use std::collections::HashMap;
use std::sync::Arc;

use postgres::GenericClient;
use schema_core::model::{ConstraintKind, IndexTarget, QualifiedName};

use super::{Catalog, Found};
use crate::error::Error;

/// The first server version whose digests are compared (see the module docs).
pub(crate) const FIRST_VERSION: i32 = 150000;

/// Marks the text of an expression that was not printed: never in a printed expression
/// (PostgreSQL's text cannot hold a NUL character).
const PLACEHOLDER: char = '\u{0}';

const HEX: &[u8; 16] = b"0123456789abcdef";

/// True if `text` stands for an expression that was not printed.
pub(crate) fn is_placeholder(text: &str) -> bool {
    text.contains(PLACEHOLDER)
}

/// The digest of check `c`'s node tree, where [`check_join`] asks for one (null elsewhere,
/// where the reader prints the check when it is one: `NOT u.digest`).
pub(super) const CHECK_DIGEST: &str =
    "CASE WHEN u.digest THEN pg_catalog.sha256(pg_catalog.textsend(c.conbin::text)) END";

/// The lateral join that decides `u.digest` for constraint `c`: a check, digests asked for
/// (`$2`), and it depends on nothing but its table's columns.
pub(super) fn check_join() -> String {
    digest_join("c.contype = 'c'", "pg_constraint", "c.oid", "c.conrelid")
}

/// As [`CHECK_DIGEST`], one digest for the expressions and the predicate of index `i`.
pub(super) const INDEX_DIGEST: &str =
    "CASE WHEN u.digest THEN pg_catalog.sha256(pg_catalog.textsend(
          COALESCE(i.indexprs::text, '') || ' ' || COALESCE(i.indpred::text, ''))) END";

/// As [`check_join`], for index `i` with expressions or a predicate. An index depends on
/// its table's columns, and on the whole table when it has no column key; its operator
/// classes and collations count as objects of the user's (when not pinned).
pub(super) fn index_join() -> String {
    digest_join(
        "(i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)",
        "pg_class",
        "i.indexrelid",
        "i.indrelid",
    )
}

/// As [`CHECK_DIGEST`], for the default or generation expression `ad` of column `a`.
pub(super) const COLUMN_DIGEST: &str =
    "CASE WHEN u.digest THEN pg_catalog.sha256(pg_catalog.textsend(ad.adbin::text)) END";

/// As [`check_join`], for the default or generation expression `ad` of a column: it
/// depends on its column, and on the columns a generation expression reads.
pub(super) fn column_join() -> String {
    digest_join("ad.oid IS NOT NULL", "pg_attrdef", "ad.oid", "ad.adrelid")
}

/// The lateral join that sets `u.digest` where `applies`, digests are asked for (`$2`), and
/// object `object` of catalog `catalog` depends on nothing but table `table` (its columns,
/// or itself) in `pg_depend`. `OFFSET 0` keeps the planner from pulling the subquery up: it
/// would look `pg_depend` up again for each use of `u.digest`.
fn digest_join(applies: &str, catalog: &str, object: &str, table: &str) -> String {
    format!(
        "CROSS JOIN LATERAL (SELECT {applies} AND $2::bool
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dd
                        WHERE dd.classid = 'pg_catalog.{catalog}'::pg_catalog.regclass
                          AND dd.objid = {object} AND dd.objsubid = 0
                          AND NOT (dd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                   AND dd.refobjid = {table})) AS digest OFFSET 0) u"
    )
}

/// An expression read as a digest: which one it is and where its text goes.
pub(super) struct Unprinted {
    /// Names it on both sides.
    pub(super) key: Key,
    /// The digest of its node tree.
    pub(super) digest: Vec<u8>,
    /// The oid of the constraint, index or column default (`pg_attrdef`).
    pub(super) oid: u32,
    /// The table (or materialized view) it belongs to.
    pub(super) relation: u32,
    /// Where its text goes in [`Found::schema`].
    pub(super) place: Place,
}

/// What an [`Unprinted`] is, by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    /// A check constraint of a table.
    Check(QualifiedName, String),
    /// The expressions and predicate of an index of a table or materialized view.
    Index(QualifiedName, String),
    /// The default or generation expression of a column of a table.
    Column(QualifiedName, String),
}

impl Key {
    /// The kind's letter in the print query.
    fn kind(&self) -> &'static str {
        match self {
            Key::Check(..) => "c",
            Key::Index(..) => "i",
            Key::Column(..) => "d",
        }
    }
}

/// Where an [`Unprinted`]'s text goes.
#[derive(Debug, Clone, Copy)]
pub(super) enum Place {
    /// `Schema::tables[table].constraints[constraint]`'s expression.
    Check { table: usize, constraint: usize },
    /// `Schema::tables[table].indexes[index]`'s expression keys and predicate.
    Index { table: usize, index: usize },
    /// `Schema::views[view].indexes[index]`'s (a materialized view's): always printed,
    /// since following print chains creates a view whole, with its indexes.
    ViewIndex { view: usize, index: usize },
    /// `Schema::tables[table].columns[column]`'s default or generation expression.
    Column { table: usize, column: usize },
}

/// A table's columns, by number: two expressions with the same node tree print alike on
/// tables that number and name their columns alike.
type Columns = Arc<Vec<(i16, String)>>;

/// What one side tells the other: its server's version and its expressions read as
/// digests, each with its table's columns (by number; see the module docs).
pub(crate) struct Offer {
    version: i32,
    unprinted: Vec<(Unprinted, Columns)>,
}

/// Trades this side's [`Offer`] for the other side's: `None` when the other side's read
/// failed (its error is reported from there).
pub(crate) type Exchange<'a> = &'a mut dyn FnMut(Arc<Offer>) -> Option<Arc<Offer>>;

/// Trades digests through `exchange`, then gives each unprinted expression its text: the
/// placeholder where the other side holds the same, else its print (one query for all).
pub(super) fn settle<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    version: i32,
    found: &mut Found,
    exchange: Exchange<'_>,
) -> Result<(), Error> {
    let unprinted = std::mem::take(&mut found.unprinted);
    let mut columns: HashMap<u32, Columns> = HashMap::new();
    for u in &unprinted {
        columns.entry(u.relation).or_default();
    }
    // The last use of the columns read: their names are moved, not copied.
    for ((relation, number), attribute) in std::mem::take(&mut found.attributes) {
        if let Some(list) = columns.get_mut(&relation) {
            Arc::make_mut(list).push((number, attribute.name));
        }
    }
    for list in columns.values_mut() {
        Arc::make_mut(list).sort_unstable();
    }
    // The offer is moved to the other side whole (shared, not copied): its keys are most
    // of a side's work here.
    let mine = Arc::new(Offer {
        version,
        unprinted: unprinted
            .into_iter()
            .map(|u| {
                let table = Arc::clone(&columns[&u.relation]);
                (u, table)
            })
            .collect(),
    });
    drop(columns);
    let theirs = exchange(Arc::clone(&mine)).ok_or_else(|| {
        Error::new(
            crate::error::ErrorKind::Invalid,
            "reading the catalog",
            "the other database's read failed".to_string(),
        )
    })?;
    let comparable = theirs.version / 10000 == version / 10000;
    let by_key: HashMap<&Key, (&[u8], &Columns)> = if comparable {
        theirs
            .unprinted
            .iter()
            .map(|(u, table)| (&u.key, (&u.digest[..], table)))
            .collect()
    } else {
        HashMap::new()
    };
    let mut to_print = Vec::new();
    for (u, table) in &mine.unprinted {
        let same = !matches!(u.place, Place::ViewIndex { .. })
            && by_key
                .get(&u.key)
                .is_some_and(|&(digest, columns)| digest == &u.digest[..] && columns == table);
        if same {
            // The digest in the text too: two unprinted expressions never look alike.
            let mut stem = String::with_capacity(16 + 2 * u.digest.len());
            stem.push(PLACEHOLDER);
            stem.push_str("unprinted ");
            for b in &u.digest {
                stem.push(char::from(HEX[usize::from(b >> 4)]));
                stem.push(char::from(HEX[usize::from(b & 15)]));
            }
            fill(found, u.place, |part| match part {
                Part::Whole => stem.clone(),
                part => format!("{stem} {part}"),
            });
        } else {
            to_print.push(u);
        }
    }
    if to_print.is_empty() {
        return Ok(());
    }
    let oids = |kind: &str| -> Vec<u32> {
        to_print
            .iter()
            .filter(|u| u.key.kind() == kind)
            .map(|u| u.oid)
            .collect()
    };
    // Printed as the readers print them (a default without its table: see `super::column`).
    let rows = cat.query(
        "SELECT 'c', c.oid, pg_catalog.pg_get_expr(c.conbin, c.conrelid, true), NULL::text
           FROM pg_catalog.pg_constraint c WHERE c.oid = ANY($1)
         UNION ALL
         SELECT 'i', i.indexrelid, pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true),
                pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)
           FROM pg_catalog.pg_index i WHERE i.indexrelid = ANY($2)
         UNION ALL
         SELECT 'd', ad.oid, pg_catalog.pg_get_expr(ad.adbin,
                    CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END, true), NULL
           FROM pg_catalog.pg_attrdef ad
           JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
          WHERE ad.oid = ANY($3)",
        &[&oids("c"), &oids("i"), &oids("d")],
    )?;
    let mut printed: HashMap<(String, u32), (Option<String>, Option<String>)> = rows
        .iter()
        .map(|row| ((row.get(0), row.get(1)), (row.get(2), row.get(3))))
        .collect();
    for u in to_print {
        let (expressions, predicate) = printed
            .remove(&(u.key.kind().to_string(), u.oid))
            .unwrap_or_default();
        let mut keys = expressions
            .as_deref()
            .map(crate::parse::expression_list)
            .unwrap_or_default()
            .into_iter();
        fill(found, u.place, |part| match part {
            Part::Whole => expressions.clone().unwrap_or_default(),
            Part::Key(_) => keys.next().unwrap_or_default(),
            Part::Predicate => predicate.clone().unwrap_or_default(),
        });
    }
    Ok(())
}

/// One text of a [`Place`].
#[derive(Debug, Clone, Copy)]
enum Part {
    /// A check's expression, a column's default or generation expression.
    Whole,
    /// An index's expression key at this position.
    Key(usize),
    /// An index's predicate.
    Predicate,
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Part::Whole => f.write_str("whole"),
            Part::Key(k) => write!(f, "key {k}"),
            Part::Predicate => f.write_str("where"),
        }
    }
}

/// Sets each text of `place` to what `text` gives for it, index keys in order.
fn fill(found: &mut Found, place: Place, mut text: impl FnMut(Part) -> String) {
    let index = match place {
        Place::Check { table, constraint } => {
            let constraint = &mut found.schema.tables[table].constraints[constraint];
            if let ConstraintKind::Check { expr } = &mut constraint.kind {
                *expr = text(Part::Whole);
            }
            return;
        }
        Place::Column { table, column } => {
            let column = &mut found.schema.tables[table].columns[column];
            if let Some(expr) = column.default.as_mut().or(column.generated.as_mut()) {
                *expr = text(Part::Whole);
            }
            return;
        }
        Place::Index { table, index } => &mut found.schema.tables[table].indexes[index],
        Place::ViewIndex { view, index } => &mut found.schema.views[view].indexes[index],
    };
    for (k, element) in index.elements.iter_mut().enumerate() {
        if let IndexTarget::Expression(sql) = &mut element.target {
            *sql = text(Part::Key(k));
        }
    }
    if let Some(predicate) = &mut index.predicate {
        *predicate = text(Part::Predicate);
    }
}
