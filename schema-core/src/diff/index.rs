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
        let mut resumed = Vec::new();
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
                    // An index over a function that is dropped and created again goes with
                    // it, in the transaction (the function's drop waits for it).
                    let calls_rebuilt = o
                        .elements
                        .iter()
                        .filter_map(|e| match &e.target {
                            IndexTarget::Expression(sql) => Some(sql.as_str()),
                            IndexTarget::Column(_) => None,
                        })
                        .chain(o.predicate.as_deref())
                        .any(|sql| self.calls_rebuilt_function(sql));
                    let same = &translated[at] == index
                        || comparable_index(&translated[at]) == comparable_index(index);
                    if partitioned && invalid && same && !calls_rebuilt {
                        // An `ON ONLY` build that did not finish: its partitions' indexes are
                        // built (those missing) and attached again; nothing is dropped.
                        resumed.push(index);
                    } else if calls_rebuilt {
                        to_drop.push((o, true, true));
                        to_create.push((index, true));
                    } else if invalid
                        || (&translated[at] != index
                            && comparable_index(&translated[at]) != comparable_index(index))
                    {
                        to_drop.push((o, true, false));
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
                    to_drop.push((o, false, false));
                }
            }
        }
        for (o, recreated, in_transaction) in to_drop {
            let concurrently = !partitioned && !in_transaction;
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
                index: Box::new(o.clone()),
                concurrently,
            }]);
            self.emit(
                Phase::DropIndexes,
                if !concurrently {
                    change.lock(LockLevel::AccessExclusive)
                } else {
                    change
                        .lock(LockLevel::ShareUpdateExclusive)
                        .not_transactional()
                },
            );
        }
        for index in resumed {
            self.build_partitioned_index(new, index);
        }
        let concurrently = !partitioned;
        for (index, _) in to_create {
            if partitioned {
                self.build_partitioned_index(new, index);
                self.comment(
                    ObjectRef::index(&new.name, &index.name),
                    CommentTarget::Index(new.name.clone(), index.name.clone()),
                    &None,
                    &index.comment,
                );
                continue;
            }
            let change = Change::new(
                ObjectRef::index(&new.name, &index.name),
                ChangeKind::Create,
                [Statement::CreateIndex {
                    table: new.name.clone(),
                    index: Box::new(index.clone()),
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
                change
                    .lock(LockLevel::ShareUpdateExclusive)
                    .not_transactional(),
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

impl<'a> Planner<'a> {
    /// A new index on a partitioned table that exists, built without blocking writes the way
    /// PostgreSQL's documentation describes (`CONCURRENTLY` is refused on a partitioned
    /// table): the parent's index alone (`ON ONLY`, invalid for now), then each partition's
    /// built `CONCURRENTLY` after the commit and attached; a partition that is partitioned
    /// itself gets an `ON ONLY` index of its own, attached, with its partitions' under it.
    /// The parent's index turns valid when the last one is attached. Every step is
    /// idempotent (`IF NOT EXISTS`; attaching an attached index does nothing), so a run cut
    /// short is finished by the next.
    fn build_partitioned_index(&mut self, table: &'a Table, index: &'a Index) {
        self.emit(
            Phase::Indexes,
            Change::new(
                ObjectRef::index(&table.name, &index.name),
                ChangeKind::Create,
                [Statement::CreateIndexOnOnly {
                    table: table.name.clone(),
                    index: Box::new(index.clone()),
                }],
            )
            .lock(LockLevel::Share)
            .inverse([Statement::DropIndex {
                schema: table.name.schema.clone(),
                name: index.name.clone(),
                concurrently: false,
            }]),
        );
        let parent = QualifiedName::new(table.name.schema.clone(), index.name.clone());
        let mut taken = relation_names(self.new);
        self.attach_partition_indexes(&table.name, &parent, index, &mut taken);
    }

    fn attach_partition_indexes(
        &mut self,
        table: &QualifiedName,
        parent: &QualifiedName,
        index: &Index,
        taken: &mut BTreeSet<QualifiedName>,
    ) {
        let new = self.new;
        let partitions: Vec<&'a Table> = new
            .tables
            .iter()
            .filter(|t| t.partition_of.as_ref().is_some_and(|p| &p.parent == table))
            .collect();
        for part in partitions {
            // Named as PostgreSQL names the index it builds for a partition.
            let names = crate::naming::index_column_names(
                index
                    .elements
                    .iter()
                    .map(crate::lower::table::element_name)
                    .chain(index.include.iter().cloned()),
            );
            let schema = &part.name.schema;
            let name =
                crate::naming::index_name(&part.name.name, names.iter().map(String::as_str), |n| {
                    taken.contains(&QualifiedName::new(schema.clone(), n.to_string()))
                });
            let child = QualifiedName::new(schema.clone(), name.clone());
            taken.insert(child.clone());
            let mut child_index = index.clone();
            child_index.name = name.clone();
            child_index.comment = None;
            let object = ObjectRef::index(&part.name, &name);
            let attach = Statement::AttachIndex {
                parent: parent.clone(),
                child: child.clone(),
            };
            if part.is_partitioned() {
                self.emit(
                    Phase::Indexes,
                    Change::new(
                        object,
                        ChangeKind::Create,
                        [
                            Statement::CreateIndexOnOnly {
                                table: part.name.clone(),
                                index: Box::new(child_index.clone()),
                            },
                            attach,
                        ],
                    )
                    .lock(LockLevel::Share),
                );
                self.attach_partition_indexes(&part.name, &child, &child_index, taken);
            } else {
                self.emit(
                    Phase::Indexes,
                    Change::new(
                        object.clone(),
                        ChangeKind::Create,
                        [Statement::CreateIndex {
                            table: part.name.clone(),
                            index: Box::new(child_index),
                            concurrently: true,
                        }],
                    )
                    .lock(LockLevel::ShareUpdateExclusive)
                    .not_transactional(),
                );
                // After the build, in a short transaction of its own.
                self.emit(
                    Phase::Indexes,
                    Change::new(object, ChangeKind::Alter, [attach])
                        .lock(LockLevel::ShareUpdateExclusive),
                );
            }
        }
    }
}

/// Every relation name of `schema` (tables, their indexes and key constraints, views and
/// theirs, sequences): the names a new index must not take.
fn relation_names(schema: &Schema) -> BTreeSet<QualifiedName> {
    let mut out = BTreeSet::new();
    for t in &schema.tables {
        out.insert(t.name.clone());
        let at = |name: &str| QualifiedName::new(t.name.schema.clone(), name.to_string());
        out.extend(t.indexes.iter().map(|i| at(&i.name)));
        out.extend(
            t.constraints
                .iter()
                .filter(|c| {
                    matches!(
                        c.kind,
                        ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
                    )
                })
                .map(|c| at(&c.name)),
        );
    }
    for v in &schema.views {
        out.insert(v.name.clone());
        out.extend(
            v.indexes
                .iter()
                .map(|i| QualifiedName::new(v.name.schema.clone(), i.name.clone())),
        );
    }
    out.extend(schema.sequences.iter().map(|s| s.name.clone()));
    out
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
