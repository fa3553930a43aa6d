//! Tables: read from the relation round trip ([`super::relation`]), partitioned tables and
//! partitions included (their key and bound come in the same round trip); their columns,
//! constraints and indexes follow in per-table queries keyed by the oids kept here.

use postgres::Row;
use schema_core::model::{
    IndexTarget, PartitionKey, PartitionKeyElement, PartitionOf, PartitionStrategy, QualifiedName,
    StorageParameter, Table,
};

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

/// What the relation query reads of partitioning (columns 18 to 25 of its rows; the key's
/// subqueries run for partitioned tables only): the key of a partitioned table from
/// `pg_partitioned_table` (strategy; per element the column, or `''` for an expression, the
/// operator class unless the default, the collation unless the column's or type's; the
/// expressions as one list), and a partition's bound and parent. The bound is printed without
/// its relation (`pg_get_expr(.., 0)`): it holds constants only, and naming the relation makes
/// the server open it, building its relation cache entry (a partition's only other print).
pub(super) const PARTITION_COLUMNS: &str = "pt.partstrat::text,
                CASE WHEN pt.partrelid IS NOT NULL THEN ARRAY(SELECT COALESCE(a.attname::text, '')
                      FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY k(n, o)
                      LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n
                      ORDER BY k.o) END,
                CASE WHEN pt.partrelid IS NOT NULL THEN ARRAY(
                      SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname::text END
                      FROM unnest(pt.partclass::oid[]) WITH ORDINALITY k(n, o)
                      JOIN pg_catalog.pg_opclass oc ON oc.oid = k.n ORDER BY k.o) END,
                CASE WHEN pt.partrelid IS NOT NULL THEN ARRAY(
                      SELECT COALESCE((SELECT co.collname::text FROM pg_catalog.pg_collation co
                                       WHERE co.oid = k.coll AND k.coll <> 100 AND k.coll <> COALESCE(
                                         (SELECT a.attcollation FROM pg_catalog.pg_attribute a
                                          WHERE a.attrelid = c.oid AND a.attnum = k.n AND k.n <> 0),
                                         0)), '')
                      FROM unnest(pt.partattrs::int2[], pt.partcollation::oid[])
                           WITH ORDINALITY k(n, coll, o) ORDER BY k.o) END,
                pg_catalog.pg_get_expr(pt.partexprs, pt.partrelid, true),
                CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, 0) END,
                pn.nspname::text, pc.relname::text";

/// The joins [`PARTITION_COLUMNS`] reads from.
pub(super) const PARTITION_JOINS: &str =
    "LEFT JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = c.oid
         LEFT JOIN pg_catalog.pg_inherits inh ON c.relispartition AND inh.inhrelid = c.oid
         LEFT JOIN pg_catalog.pg_class pc ON pc.oid = inh.inhparent
         LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace";

/// A table's row of the relation query: a plain table, a partitioned one (with its key), or a
/// partition (with its parent and bound). A partition whose bound does not read back is
/// reported and left out, rather than modelled wrong.
pub(super) fn from_relation_row(row: &Row, name: QualifiedName, found: &mut Found) {
    let partition_by = row
        .get::<_, Option<String>>(18)
        .map(|strategy| partition_key(row, &strategy));
    let partition_of = if row.get::<_, bool>(17) {
        let bound = row
            .get::<_, Option<String>>(23)
            .as_deref()
            .and_then(crate::parse::partition_bound);
        let parent = row
            .get::<_, Option<String>>(24)
            .zip(row.get::<_, Option<String>>(25));
        match (bound, parent) {
            (Some(bound), Some((schema, table))) => Some(PartitionOf {
                parent: QualifiedName::new(schema, table),
                bound,
            }),
            _ => {
                found.unmodeled("partition (bound not read)", qualified(&name));
                return;
            }
        }
    } else {
        None
    };
    found.tables.push(row.get(0), found.schema.tables.len());
    found.schema.tables.push(Table {
        name,
        columns: Vec::new(),
        constraints: Vec::new(),
        indexes: Vec::new(),
        comment: row.get(4),
        renamed_from: None,
        partition_by,
        partition_of,
        // `relpersistence` (column 28): `u` for unlogged, `p` for permanent.
        unlogged: row.get::<_, String>(28) == "u",
        storage: storage(row.get(29)),
    });
}

/// The partition key of a row whose `partstrat` is `strategy`: columns by name, expressions
/// taken in order from the printed list.
fn partition_key(row: &Row, strategy: &str) -> PartitionKey {
    let columns: Vec<String> = row.get(19);
    let opclasses: Vec<String> = row.get(20);
    let collations: Vec<String> = row.get(21);
    let mut expressions = row
        .get::<_, Option<String>>(22)
        .map(|list| crate::parse::expression_list(&list))
        .unwrap_or_default()
        .into_iter();
    let non_empty = |v: Option<&String>| v.filter(|s| !s.is_empty()).cloned();
    let elements = columns
        .iter()
        .enumerate()
        .map(|(k, column)| PartitionKeyElement {
            target: if column.is_empty() {
                let expr = expressions.next().unwrap_or_default();
                IndexTarget::Expression(super::index::strip_parens(&expr).to_string())
            } else {
                IndexTarget::Column(column.clone())
            },
            collation: non_empty(collations.get(k)),
            opclass: non_empty(opclasses.get(k)),
        })
        .collect();
    PartitionKey {
        strategy: match strategy {
            "l" => PartitionStrategy::List,
            "h" => PartitionStrategy::Hash,
            _ => PartitionStrategy::Range,
        },
        elements,
    }
}

/// `pg_class.reloptions` (`{fillfactor=70}`) as storage parameters.
pub(super) fn storage(reloptions: Option<Vec<String>>) -> Vec<StorageParameter> {
    reloptions
        .unwrap_or_default()
        .iter()
        .map(|o| StorageParameter::from_reloption(o))
        .collect()
}
