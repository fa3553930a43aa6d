//! Partitioning: which tables must be re-created because their partition key changes (what
//! PostgreSQL cannot alter), and partitions that move (`DETACH PARTITION` from the old parent
//! or bound, `ATTACH PARTITION` to the new one).
//!
//! What PostgreSQL propagates from a partitioned table to its partitions (columns, attached
//! indexes, cloned constraints and triggers) is diffed on the parent only: introspection
//! leaves it off the partitions, and the diff never alters a partition's columns.

use std::collections::BTreeSet;

use crate::expr::normalize;
use crate::model::*;
use crate::render::Statement;

use super::{Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Phase, Planner};

/// The old names of the matched tables (`matched[i]` is the old table of `new.tables[i]`)
/// that must be dropped and created again: those whose partition key changes (including a
/// table that becomes partitioned or stops being so: PostgreSQL converts neither), and then
/// every old partition of such a table, which its drop takes along.
pub(super) fn repartitioned<'a>(
    new: &'a Schema,
    matched: &[Option<&'a Table>],
) -> BTreeSet<QualifiedName> {
    let mut out: BTreeSet<QualifiedName> = BTreeSet::new();
    let mut old_tables = Vec::new();
    for (table, old) in new.tables.iter().zip(matched) {
        let Some(old) = old else { continue };
        old_tables.push(*old);
        if !same_key(&old.partition_by, &table.partition_by) {
            out.insert(old.name.clone());
        }
    }
    loop {
        let before = out.len();
        for old in &old_tables {
            let parent_goes = old
                .partition_of
                .as_ref()
                .is_some_and(|of| out.contains(&of.parent));
            if parent_goes {
                out.insert(old.name.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// True if two partition keys partition alike (expressions compared normalized).
fn same_key(a: &Option<PartitionKey>, b: &Option<PartitionKey>) -> bool {
    let comparable = |k: &PartitionKey| {
        let mut k = k.clone();
        for e in &mut k.elements {
            if let IndexTarget::Expression(sql) = &mut e.target {
                *sql = normalize(sql);
            }
        }
        k
    };
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b || comparable(a) == comparable(b),
        _ => false,
    }
}

/// True if two bounds hold the same rows as far as their text tells: keywords in any case,
/// list values in any order.
pub(crate) fn same_bound(a: &PartitionBound, b: &PartitionBound) -> bool {
    fn value(v: &str) -> String {
        let v = v.trim();
        match v.to_ascii_uppercase().as_str() {
            k @ ("MINVALUE" | "MAXVALUE" | "NULL" | "TRUE" | "FALSE") => k.to_string(),
            _ => v.to_string(),
        }
    }
    let values = |vs: &[String]| vs.iter().map(|v| value(v)).collect::<Vec<_>>();
    match (a, b) {
        (
            PartitionBound::Range { from: af, to: at },
            PartitionBound::Range { from: bf, to: bt },
        ) => values(af) == values(bf) && values(at) == values(bt),
        (PartitionBound::List(a), PartitionBound::List(b)) => {
            let set = |vs: &[String]| values(vs).into_iter().collect::<BTreeSet<_>>();
            set(a) == set(b)
        }
        _ => a == b,
    }
}

impl<'a> Planner<'a> {
    /// A matched table whose parent or bound changes: detached from where it was (before the
    /// old parent is dropped or renamed), attached where it is declared. A plain table that
    /// becomes a partition is attached; a partition that becomes a plain table is detached.
    pub(super) fn partition_membership(&mut self, i: usize) {
        let (old, new) = (self.pairs[i].old, self.pairs[i].new);
        let unchanged = match (&old.partition_of, &new.partition_of) {
            (None, None) => true,
            (Some(o), Some(n)) => {
                self.new_table_name(&o.parent) == n.parent && same_bound(&o.bound, &n.bound)
            }
            _ => false,
        };
        if unchanged {
            return;
        }
        let object = ObjectRef::new(ObjectKind::Table, &new.name);
        // A new bound under the same parent: detached and attached again in one change,
        // applied or withheld whole (by the new names: it runs after renames).
        if let (Some(o), Some(n)) = (&old.partition_of, &new.partition_of) {
            if self.new_table_name(&o.parent) == n.parent {
                let detach = Statement::DetachPartition {
                    parent: n.parent.clone(),
                    partition: new.name.clone(),
                };
                let attach = |bound: &PartitionBound| Statement::AttachPartition {
                    parent: n.parent.clone(),
                    partition: new.name.clone(),
                    bound: bound.clone(),
                };
                self.emit(
                    Phase::Tables,
                    Change::new(
                        object,
                        ChangeKind::Alter,
                        [detach.clone(), attach(&n.bound)],
                    )
                    .hazard(Hazard::DetachesPartition)
                    .hazard(Hazard::AttachesPartition)
                    .lock(LockLevel::AccessExclusive)
                    .inverse([detach, attach(&o.bound)]),
                );
                return;
            }
        }
        if let Some(of) = &old.partition_of {
            self.emit(
                Phase::DropTables,
                Change::new(
                    ObjectRef::new(ObjectKind::Table, &old.name),
                    ChangeKind::Drop,
                    [Statement::DetachPartition {
                        parent: of.parent.clone(),
                        partition: old.name.clone(),
                    }],
                )
                .hazard(Hazard::DetachesPartition)
                .lock(LockLevel::AccessExclusive)
                .inverse([Statement::AttachPartition {
                    parent: of.parent.clone(),
                    partition: old.name.clone(),
                    bound: of.bound.clone(),
                }]),
            );
        }
        if let Some(of) = &new.partition_of {
            self.emit(
                Phase::Tables,
                Change::new(
                    object,
                    ChangeKind::Alter,
                    [Statement::AttachPartition {
                        parent: of.parent.clone(),
                        partition: new.name.clone(),
                        bound: of.bound.clone(),
                    }],
                )
                .hazard(Hazard::AttachesPartition)
                .lock(LockLevel::AccessExclusive)
                .inverse([Statement::DetachPartition {
                    parent: of.parent.clone(),
                    partition: new.name.clone(),
                }]),
            );
        }
    }

    /// The parent to detach an old partition from before it is dropped: PostgreSQL refuses
    /// to drop a partition of a table a foreign key references ("other objects depend on
    /// it"), while `DETACH PARTITION` checks the key and lets it go. `None` when the parent
    /// goes too, or nothing references the tree the partition is in.
    pub(super) fn detach_before_drop(&self, table: &Table) -> Option<QualifiedName> {
        let parent = &table.partition_of.as_ref()?.parent;
        if self.dropped_tables.iter().any(|t| &t.name == parent) {
            return None;
        }
        let mut ancestors = vec![parent.clone()];
        let mut at = parent.clone();
        while let Some(of) = self.old.table(&at).and_then(|t| t.partition_of.as_ref()) {
            if ancestors.contains(&of.parent) {
                break;
            }
            ancestors.push(of.parent.clone());
            at = of.parent.clone();
        }
        let referenced = self.old.tables.iter().any(|t| {
            t.constraints.iter().any(|c| {
                matches!(&c.kind, ConstraintKind::ForeignKey { ref_table, .. }
                    if ancestors.contains(ref_table))
            })
        });
        referenced.then(|| parent.clone())
    }

    /// What creating the new partition `table` costs on a parent that exists: PostgreSQL locks
    /// the parent ACCESS EXCLUSIVE for `CREATE TABLE ... PARTITION OF`, and scans its default
    /// partition (if any) for rows the new bound takes. `None` for a table that is no
    /// partition, or whose parent is new too; else whether a default partition gets scanned.
    pub(super) fn partition_on_live_parent(&self, table: &Table) -> Option<bool> {
        let of = table.partition_of.as_ref()?;
        let live_parent = self.pairs.iter().find(|p| p.new.name == of.parent)?;
        let default_scanned = of.bound != PartitionBound::Default
            && self.pairs.iter().any(|p| {
                p.old.partition_of.as_ref().is_some_and(|o| {
                    o.parent == live_parent.old.name && o.bound == PartitionBound::Default
                })
            });
        Some(default_scanned)
    }

    /// True if the new table `name` is partitioned: its indexes are built on every partition
    /// at once (never `CONCURRENTLY`), its keys added without `USING INDEX`.
    pub(super) fn is_partitioned(&self, name: &QualifiedName) -> bool {
        self.new.table(name).is_some_and(Table::is_partitioned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_compare_by_what_they_hold() {
        assert!(same_bound(
            &PartitionBound::range(["minvalue"], ["'b'"]),
            &PartitionBound::range(["MINVALUE"], [" 'b'"])
        ));
        assert!(same_bound(
            &PartitionBound::list(["1", "NULL"]),
            &PartitionBound::list(["null", "1"])
        ));
        assert!(!same_bound(
            &PartitionBound::list(["1"]),
            &PartitionBound::list(["2"])
        ));
        assert!(!same_bound(
            &PartitionBound::hash(2, 0),
            &PartitionBound::hash(2, 1)
        ));
        assert!(!same_bound(
            &PartitionBound::Default,
            &PartitionBound::list(["1"])
        ));
    }
}
