//! Indexes: compared in the new table's terms, dropped and created concurrently; on a
//! partitioned table, where PostgreSQL refuses `CONCURRENTLY`, in one transactional statement
//! that builds (or adopts) the index of every partition.

use std::collections::BTreeSet;

use crate::expr::normalize;
use crate::model::*;
use crate::render::{CommentTarget, Statement};

use super::{Change, ChangeKind, Hazard, LockLevel, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn table_indexes(&mut self, i: usize) {
        let pair = &self.pairs[i];
        let (old, new) = (pair.old, pair.new);
        let dropped_columns: BTreeSet<String> =
            pair.dropped.iter().map(|c| c.name.clone()).collect();
        // The old indexes in the new table's terms: renamed columns followed.
        let translated: Vec<Index> = old
            .indexes
            .iter()
            .map(|index| {
                let mut index = index.clone();
                for e in &mut index.elements {
                    match &mut e.target {
                        IndexTarget::Column(col) => *col = pair.new_column_name(col).to_string(),
                        IndexTarget::Expression(sql) => *sql = pair.rename_in_expr(sql),
                    }
                }
                index.predicate = index.predicate.as_deref().map(|p| pair.rename_in_expr(p));
                for col in &mut index.include {
                    *col = pair.new_column_name(col).to_string();
                }
                index
            })
            .collect();
        // (Partitioned on both sides: a change of partitioning re-creates the table.)
        let partitioned = new.is_partitioned();
        let mut to_drop = Vec::new();
        let mut to_create = Vec::new();
        for index in &new.indexes {
            match old.indexes.iter().position(|o| o.name == index.name) {
                None => to_create.push((index, false)),
                Some(at) => {
                    let o = &old.indexes[at];
                    // An invalid (or not ready) live index is the leftover of a failed
                    // concurrent build: dropped and built again, both concurrently. On a
                    // partitioned table it is an index some partition lacks (an `ON ONLY`
                    // build never finished): dropped and built again in one transaction.
                    let invalid = !o.valid && index.valid;
                    if invalid
                        || (&translated[at] != index
                            && comparable_index(&translated[at]) != comparable_index(index))
                    {
                        to_drop.push((o, true));
                        to_create.push((index, true));
                    } else {
                        self.index_storage(&new.name, o, index);
                        self.comment(
                            ObjectRef::index(&new.name, &index.name),
                            CommentTarget::Index(new.name.clone(), index.name.clone()),
                            &o.comment,
                            &index.comment,
                        );
                    }
                }
            }
        }
        for o in &old.indexes {
            if !new.indexes.iter().any(|i| i.name == o.name) {
                let on_dropped_columns = o.elements.iter().any(
                    |e| matches!(&e.target, IndexTarget::Column(c) if dropped_columns.contains(c)),
                );
                if !on_dropped_columns {
                    to_drop.push((o, false));
                }
            }
        }
        let concurrently = !partitioned;
        for (o, recreated) in to_drop {
            let change = Change::new(
                ObjectRef::index(&old.name, &o.name),
                ChangeKind::Drop,
                [Statement::DropIndex {
                    schema: old.name.schema.clone(),
                    name: o.name.clone(),
                    concurrently,
                }],
            )
            .hazard(if recreated {
                Hazard::RecreatesObject
            } else {
                Hazard::DropsObject
            })
            .inverse([Statement::CreateIndex {
                table: old.name.clone(),
                index: o.clone(),
                concurrently,
            }]);
            self.emit(
                Phase::DropIndexes,
                if partitioned {
                    change.lock(LockLevel::AccessExclusive)
                } else {
                    change
                        .lock(LockLevel::ShareUpdateExclusive)
                        .not_transactional()
                },
            );
        }
        for (index, _) in to_create {
            let change = Change::new(
                ObjectRef::index(&new.name, &index.name),
                ChangeKind::Create,
                [Statement::CreateIndex {
                    table: new.name.clone(),
                    index: index.clone(),
                    concurrently,
                }],
            )
            .inverse([Statement::DropIndex {
                schema: new.name.schema.clone(),
                name: index.name.clone(),
                concurrently,
            }]);
            self.emit(
                Phase::Indexes,
                if partitioned {
                    // PostgreSQL builds the index of every partition (or adopts a matching
                    // one) and attaches it, blocking writes to all of them meanwhile.
                    change.hazard(Hazard::BuildsIndex).lock(LockLevel::Share)
                } else {
                    change
                        .lock(LockLevel::ShareUpdateExclusive)
                        .not_transactional()
                },
            );
            self.comment(
                ObjectRef::index(&new.name, &index.name),
                CommentTarget::Index(new.name.clone(), index.name.clone()),
                &None,
                &index.comment,
            );
        }
    }
}

/// An index as it compares: expressions and predicate normalized.
pub(super) fn comparable_index(i: &Index) -> Index {
    let mut i = i.clone();
    i.comment = None;
    // Validity is compared on its own (an invalid live index is rebuilt as it is declared),
    // and storage parameters are altered in place.
    i.valid = true;
    i.storage = Vec::new();
    for e in &mut i.elements {
        if let IndexTarget::Expression(sql) = &mut e.target {
            *sql = normalize(sql);
        }
        // `ASC NULLS LAST` and `DESC NULLS FIRST` are the defaults.
        if e.nulls_first == Some(e.descending) {
            e.nulls_first = None;
        }
    }
    i.predicate = i.predicate.as_deref().map(normalize);
    i
}
