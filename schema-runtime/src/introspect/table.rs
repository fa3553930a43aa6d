//! Tables: read from the relation round trip ([`super::relation`]); their columns,
//! constraints and indexes follow in per-table queries keyed by the oids kept here.

use postgres::Row;
use schema_core::model::{QualifiedName, Table};

use super::{qualified, Found};

/// The tables read so far, by oid: the per-table queries take every oid at once and put each
/// row back on its table.
#[derive(Default)]
pub(super) struct TableOids {
    /// In the order the tables were read (the query parameter).
    in_order: Vec<u32>,
    /// `(oid, index into Schema::tables)`, sorted by oid once all are read.
    by_oid: Vec<(u32, usize)>,
}

impl TableOids {
    fn push(&mut self, oid: u32, index: usize) {
        self.in_order.push(oid);
        self.by_oid.push((oid, index));
    }

    /// Sorts the lookup; call once every table is read.
    pub(super) fn finish(&mut self) {
        self.by_oid.sort_unstable();
    }

    /// Every table's oid, for `= ANY($1)`.
    pub(super) fn oids(&self) -> &Vec<u32> {
        &self.in_order
    }

    /// The index in `Schema::tables` of the table with `oid` (none for a relation not read).
    pub(super) fn index(&self, oid: u32) -> Option<usize> {
        self.by_oid
            .binary_search_by_key(&oid, |(o, _)| *o)
            .ok()
            .map(|i| self.by_oid[i].1)
    }
}

/// A plain or partitioned table's row of the relation query. A partition belongs to its
/// parent and is skipped; a partitioned table is modelled as a plain one, and reported.
pub(super) fn from_relation_row(row: &Row, name: QualifiedName, found: &mut Found) {
    if row.get::<_, bool>(17) {
        return;
    }
    if row.get::<_, String>(3) == "p" {
        found.unmodeled(
            "partitioned table (modelled as a plain table)",
            qualified(&name),
        );
    }
    found.tables.push(row.get(0), found.schema.tables.len());
    found.schema.tables.push(Table {
        name,
        columns: Vec::new(),
        constraints: Vec::new(),
        indexes: Vec::new(),
        comment: row.get(4),
        renamed_from: None,
        partition_by: None,
        partition_of: None,
    });
}
