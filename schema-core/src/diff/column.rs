//! Columns: added, renamed, retyped, defaults, nullability, identity and serial changes.

use crate::model::*;
use crate::naming::make_object_name;
use crate::render::{
    cast_column, column_attributes, nextval_default, AlterTable, CommentTarget, SequenceOption,
    SequenceSwap, Statement,
};
use crate::types::DataType;

use super::types::{type_change, TypeChange};
use super::{
    same_fragment, Change, ChangeKind, Hazard, LockLevel, ObjectId, ObjectRef, Phase, Planner,
};

impl<'a> Planner<'a> {
    pub(super) fn add_column(&mut self, table: &'a Table, column: &'a Column) {
        let name = &table.name;
        let rewrites = column.identity.is_some()
            || column.generated.is_some()
            || is_serial(column)
            || column
                .default
                .as_deref()
                .is_some_and(|d| is_volatile_default(d, self.new));
        let required = effective_not_null(table, column)
            && column.default.is_none()
            && column.identity.is_none()
            && column.generated.is_none()
            && !is_serial(column);
        self.emit(
            Phase::Columns,
            Change::new(
                ObjectRef::column(name, &column.name),
                ChangeKind::Create,
                std::iter::once(Statement::AlterTable {
                    table: name.clone(),
                    action: AlterTable::AddColumn(Box::new(column.clone())),
                })
                .chain(column_attributes(name, column))
                .collect::<Vec<_>>(),
            )
            .hazard_if(rewrites, Hazard::RewritesTable)
            .hazard_if(required, Hazard::AddsRequiredColumn)
            .lock(LockLevel::AccessExclusive)
            .inverse([Statement::AlterTable {
                table: name.clone(),
                action: AlterTable::DropColumn(column.name.clone()),
            }]),
        );
        self.comment(
            ObjectRef::column(name, &column.name),
            CommentTarget::Column(name.clone(), column.name.clone()),
            &None,
            &column.comment,
        );
    }

    pub(super) fn alter_column(
        &mut self,
        old_table: &'a Table,
        table: &'a Table,
        oc: &'a Column,
        nc: &'a Column,
        recreate: bool,
    ) {
        let name = &table.name;
        // Made only for a change: a diff of equal schemas walks every column (issue 12).
        let object = || ObjectRef::column(name, &nc.name);
        let alter = |action| Statement::AlterTable {
            table: name.clone(),
            action,
        };
        let col = nc.name.as_str();

        // A generated column whose expression changes, or a plain column that becomes
        // generated, cannot be altered in place (before PostgreSQL 17): drop and add.
        if recreate {
            self.emit(
                Phase::DropColumns,
                Change::new(
                    ObjectRef::column(&old_table.name, &oc.name),
                    ChangeKind::Drop,
                    [Statement::AlterTable {
                        table: old_table.name.clone(),
                        action: AlterTable::DropColumn(oc.name.clone()),
                    }],
                )
                .hazard(Hazard::RecreatesObject)
                .hazard_if(oc.generated.is_none(), Hazard::DeletesData)
                .lock(LockLevel::AccessExclusive),
            );
            self.add_column(table, nc);
            return;
        }
        let mut changes = Vec::new();
        // A column moving between a sequence it owns (serial or declared) and an identity
        // keeps its generator's position: one guarded swap, never a dropped sequence and a
        // generator that starts again below values it handed out (see
        // `Statement::SwapColumnSequence`).
        let to_identity = oc.identity.is_none()
            && nc.identity.is_some()
            && owned_sequence(self.old, old_table, oc).is_some();
        let to_sequence = owned_sequence(self.new, table, nc).filter(|seq| {
            oc.identity.is_some()
                && nc.identity.is_none()
                && !self.old.sequences.iter().any(|s| s.name == seq.name)
        });
        if oc.generated.is_some() && nc.generated.is_none() {
            changes.push(
                Change::new(
                    object(),
                    ChangeKind::Alter,
                    [alter(AlterTable::DropExpression(col.to_string()))],
                )
                .lock(LockLevel::AccessExclusive),
            );
        }
        if let (Some(identity), None, None) = (oc.identity, nc.identity, &to_sequence) {
            changes.push(
                Change::new(
                    object(),
                    ChangeKind::Alter,
                    [alter(AlterTable::DropIdentity(col.to_string()))],
                )
                .lock(LockLevel::AccessExclusive)
                .inverse([Statement::AddIdentity {
                    table: name.clone(),
                    column: col.to_string(),
                    identity,
                }]),
            );
        }
        let (old_type, new_type) = (effective_type(oc), effective_type(nc));
        let retype = (old_type != new_type || oc.collation != nc.collation)
            && !self.column_type_rebuilt(oc, nc);
        let old_default = if is_serial(oc) {
            None
        } else {
            oc.default.as_ref()
        };
        let new_default = if is_serial(nc) {
            None
        } else {
            nc.default.as_ref()
        };
        // A default that calls a function dropped and created again goes before the drop
        // (a change of its own, ordered like a drop) and is set again after.
        let default_calls_rebuilt = old_default.is_some_and(|d| self.calls_rebuilt_function(d));
        if let (true, Some(d)) = (default_calls_rebuilt, old_default) {
            changes.push(
                Change::new(
                    object(),
                    ChangeKind::Drop,
                    [alter(AlterTable::DropDefault(col.to_string()))],
                )
                .hazard(Hazard::RecreatesObject)
                .lock(LockLevel::AccessExclusive)
                .inverse([alter(AlterTable::SetDefault(col.to_string(), d.clone()))]),
            );
        }
        let default_changed = default_calls_rebuilt
            || match (old_default, new_default) {
                (Some(a), Some(b)) => !same_fragment(a, b),
                (None, None) => false,
                _ => true,
            };
        // The old default goes first when it is removed, when the type changes (it may not
        // cast), and when the column becomes an identity (which cannot have one).
        let drop_default = old_default.is_some()
            && !to_identity
            && !default_calls_rebuilt
            && (new_default.is_none()
                || retype
                || (nc.identity.is_some() && oc.identity.is_none()));
        // A type change and its default's DROP/SET are one logical change: applied or withheld
        // as a whole (apply-safe must not run the DROP DEFAULT of a type change it withholds).
        // `held_drop_default` waits to be merged into the type change.
        let mut held_drop_default = None;
        if drop_default {
            let mut change = Change::new(
                object(),
                ChangeKind::Alter,
                [alter(AlterTable::DropDefault(col.to_string()))],
            )
            .lock(LockLevel::AccessExclusive);
            if let Some(d) = old_default {
                change = change.inverse([Statement::AlterTable {
                    table: name.clone(),
                    action: AlterTable::SetDefault(col.to_string(), d.clone()),
                }]);
            }
            if retype {
                held_drop_default = Some(change);
            } else {
                changes.push(change);
            }
        }
        let mut retyped = None;
        let declared_sequence =
            |seq: &QualifiedName| self.new.sequences.iter().any(|s| s.name == *seq);
        if is_serial(oc) && !is_serial(nc) && declared_sequence(&serial_sequence(name, col)) {
            // Its sequence is declared on its own now: it stays, with its current value (the
            // sequences' diff alters its options and owner); only an undeclared default goes
            // (a declared one replaces it below).
            if new_default.is_none() {
                changes.push(
                    Change::new(
                        object(),
                        ChangeKind::Alter,
                        [alter(AlterTable::DropDefault(col.to_string()))],
                    )
                    .lock(LockLevel::AccessExclusive)
                    .inverse([alter(AlterTable::SetDefault(
                        col.to_string(),
                        nextval_default(&serial_sequence(name, col)),
                    ))]),
                );
            }
        } else if is_serial(oc) && !is_serial(nc) && !to_identity {
            // The column keeps its values; its sequence goes.
            let seq = serial_sequence(name, col);
            changes.push(
                Change::new(
                    object(),
                    ChangeKind::Alter,
                    [
                        alter(AlterTable::DropDefault(col.to_string())),
                        Statement::DropSequence(seq.clone()),
                    ],
                )
                .hazard(Hazard::DeletesData)
                .lock(LockLevel::AccessExclusive),
            );
        }
        if retype {
            let cost = if old_type == new_type {
                TypeChange {
                    rewrite: false,
                    narrowing: false,
                    needs_using: false,
                    no_cast: false,
                }
            } else {
                type_change(&old_type, &new_type)
            };
            let mut target = nc.clone();
            target.data_type = new_type.clone();
            // A declared `using` converts the values; else a cast where one is needed; with
            // neither, only an empty table can change type (nothing to convert).
            let no_cast = cost.no_cast && nc.using.is_none();
            let using = nc
                .using
                .clone()
                .or_else(|| cost.needs_using.then(|| cast_column(col, &new_type)));
            let mut back = oc.clone();
            back.name = nc.name.clone();
            back.data_type = old_type.clone();
            let back_cost = type_change(&new_type, &old_type);
            let back_using = back_cost.needs_using.then(|| cast_column(col, &old_type));
            let indexed = table.indexes.iter().any(|i| {
                i.elements
                    .iter()
                    .any(|e| e.target == IndexTarget::Column(col.to_string()))
            }) || table.constraints.iter().any(|c| {
                matches!(
                    c.kind,
                    ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
                ) && c.kind.columns().iter().any(|c| c == col)
            });
            let sequence = serial_sequence(name, col);
            // A declared conversion, or none where no cast exists, is guarded: the
            // expression is written for the old type and must not run twice.
            let mut statements = vec![if no_cast || nc.using.is_some() {
                Statement::RetypeColumn {
                    table: name.clone(),
                    column: Box::new(target.clone()),
                    from: Box::new(old_type.clone()),
                    using: nc.using.clone(),
                }
            } else {
                Statement::AlterTable {
                    table: name.clone(),
                    action: AlterTable::AlterType {
                        column: Box::new(target.clone()),
                        using,
                        reset_collation: oc.collation.is_some(),
                    },
                }
            }];
            if is_serial(oc) && is_serial(nc) {
                statements.push(Statement::AlterSequence {
                    name: sequence.clone(),
                    options: vec![SequenceOption::As(new_type.clone())],
                });
            }
            retyped = Some(
                Change::new(object(), ChangeKind::Alter, statements)
                    .hazard_if(cost.rewrite, Hazard::RewritesTable)
                    // A declared `using` is the conversion the author chose: not a narrowing
                    // pgdecl guesses at (the server still fails on a value that does not fit).
                    .hazard_if(cost.narrowing && nc.using.is_none(), Hazard::NarrowsType)
                    .hazard_if(no_cast, Hazard::NeedsUsing)
                    .hazard_if(
                        !cost.rewrite && oc.collation != nc.collation && indexed,
                        Hazard::BuildsIndex,
                    )
                    .lock(LockLevel::AccessExclusive)
                    .inverse([if back_cost.no_cast {
                        Statement::RetypeColumn {
                            table: name.clone(),
                            column: Box::new(back.clone()),
                            from: Box::new(new_type.clone()),
                            using: None,
                        }
                    } else {
                        Statement::AlterTable {
                            table: name.clone(),
                            action: AlterTable::AlterType {
                                column: Box::new(back.clone()),
                                using: back_using,
                                reset_collation: nc.collation.is_some(),
                            },
                        }
                    }]),
            );
        }
        if let Some(d) = new_default.filter(|_| to_sequence.is_none()) {
            if drop_default || old_default.is_none() || default_changed {
                let mut change = Change::new(
                    object(),
                    ChangeKind::Alter,
                    [alter(AlterTable::SetDefault(col.to_string(), d.clone()))],
                )
                .lock(LockLevel::AccessExclusive);
                change = match old_default {
                    // Merged after a type change whose DROP DEFAULT restores the old default
                    // once the type is back: here, undoing means dropping the new one.
                    Some(_) if retype && drop_default => {
                        change.inverse([alter(AlterTable::DropDefault(col.to_string()))])
                    }
                    Some(od) => {
                        change.inverse([alter(AlterTable::SetDefault(col.to_string(), od.clone()))])
                    }
                    None => change.inverse([alter(AlterTable::DropDefault(col.to_string()))]),
                };
                match retyped.as_mut() {
                    Some(retyped) => merge_after(retyped, change),
                    None => changes.push(change),
                }
            }
        }
        if let Some(mut retyped) = retyped {
            if let Some(drop) = held_drop_default {
                merge_before(&mut retyped, drop);
            }
            changes.push(retyped);
        }
        if !is_serial(oc) && is_serial(nc) && to_sequence.is_none() {
            changes.push(self.make_serial(table, nc));
        }
        let (was, will) = (
            effective_not_null(old_table, oc),
            effective_not_null(table, nc),
        );
        // (A column that becomes serial got its NOT NULL with its sequence.)
        let becomes_serial = is_serial(nc) && !is_serial(oc);
        if will && !was && !becomes_serial {
            changes.push(
                Change::new(
                    object(),
                    ChangeKind::Alter,
                    [alter(AlterTable::SetNotNull(col.to_string()))],
                )
                .hazard(Hazard::ValidatesConstraint)
                .lock(LockLevel::AccessExclusive)
                .inverse([alter(AlterTable::DropNotNull(col.to_string()))]),
            );
        }
        if was && !will {
            changes.push(
                Change::new(
                    object(),
                    ChangeKind::Alter,
                    [alter(AlterTable::DropNotNull(col.to_string()))],
                )
                .lock(LockLevel::AccessExclusive)
                .inverse([alter(AlterTable::SetNotNull(col.to_string()))]),
            );
        }
        let swap = |to: SequenceSwap| Statement::SwapColumnSequence {
            table: name.clone(),
            column: col.to_string(),
            to,
        };
        let sync = || Statement::SyncSequence {
            table: name.clone(),
            column: col.to_string(),
        };
        match (oc.identity, nc.identity) {
            (None, Some(identity)) if to_identity => {
                let back = owned_sequence(self.old, old_table, oc)
                    .expect("to_identity implies an owned sequence");
                changes.push(
                    Change::new(
                        object(),
                        ChangeKind::Alter,
                        [swap(SequenceSwap::ToIdentity(identity)), sync()],
                    )
                    .lock(LockLevel::AccessExclusive)
                    .inverse([
                        swap(SequenceSwap::ToSequence(Box::new(back.clone()))),
                        alter(AlterTable::SetDefault(
                            col.to_string(),
                            nextval_default(&back.name),
                        )),
                        sync(),
                    ]),
                );
            }
            (Some(identity), None) if to_sequence.is_some() => {
                let seq = to_sequence.clone().expect("matched above");
                changes.push(
                    Change::new(
                        object(),
                        ChangeKind::Alter,
                        [
                            swap(SequenceSwap::ToSequence(Box::new(seq.clone()))),
                            alter(AlterTable::SetDefault(
                                col.to_string(),
                                nextval_default(&seq.name),
                            )),
                            sync(),
                        ],
                    )
                    .lock(LockLevel::AccessExclusive)
                    .inverse([swap(SequenceSwap::ToIdentity(identity)), sync()]),
                );
            }
            (None, Some(identity)) => changes.push(
                Change::new(
                    object(),
                    ChangeKind::Alter,
                    [
                        Statement::AddIdentity {
                            table: name.clone(),
                            column: col.to_string(),
                            identity,
                        },
                        Statement::SyncSequence {
                            table: name.clone(),
                            column: col.to_string(),
                        },
                    ],
                )
                .lock(LockLevel::AccessExclusive)
                .inverse([alter(AlterTable::DropIdentity(col.to_string()))]),
            ),
            (Some(a), Some(b)) if a != b => changes.push(
                Change::new(
                    object(),
                    ChangeKind::Alter,
                    [alter(AlterTable::SetIdentity(col.to_string(), b))],
                )
                .lock(LockLevel::AccessExclusive)
                .inverse([alter(AlterTable::SetIdentity(col.to_string(), a))]),
            ),
            _ => {}
        }
        // Only a compression change recurses by hand, and finding the partitions scans every
        // table: per column of every table, that made a no-op diff quadratic (issue 12).
        let partitions = if oc.compression != nc.compression {
            partitions_below(self.new, name)
        } else {
            Vec::new()
        };
        changes.extend(attribute_changes(
            old_type != new_type,
            name,
            &partitions,
            &object,
            oc,
            nc,
        ));
        for change in changes {
            self.emit(Phase::Columns, change);
        }
        if oc.comment != nc.comment {
            self.comment(
                object(),
                CommentTarget::Column(name.clone(), col.to_string()),
                &oc.comment,
                &nc.comment,
            );
        }
    }

    /// A plain integer column becomes serial: its sequence, owned by it, starting after the
    /// largest value; the default; `NOT NULL`.
    pub(super) fn make_serial(&self, table: &'a Table, column: &'a Column) -> Change {
        let name = &table.name;
        let col = column.name.as_str();
        let seq = serial_sequence(name, col);
        let base = effective_type(column);
        let sequence = Sequence {
            name: seq.clone(),
            data_type: Some(base),
            increment: None,
            min_value: None,
            max_value: None,
            start: None,
            cache: None,
            cycle: false,
            owned_by: None,
            comment: None,
        };
        let default = nextval_default(&seq);
        Change::new(
            ObjectRef::column(name, col),
            ChangeKind::Alter,
            [
                Statement::CreateSequence(Box::new(sequence.clone())),
                Statement::AlterSequence {
                    name: seq.clone(),
                    options: vec![SequenceOption::OwnedBy(Some((
                        name.clone(),
                        col.to_string(),
                    )))],
                },
                Statement::SyncSequence {
                    table: name.clone(),
                    column: col.to_string(),
                },
                Statement::AlterTable {
                    table: name.clone(),
                    action: AlterTable::SetDefault(col.to_string(), default.clone()),
                },
                Statement::AlterTable {
                    table: name.clone(),
                    action: AlterTable::SetNotNull(col.to_string()),
                },
            ],
        )
        .hazard(Hazard::ValidatesConstraint)
        .lock(LockLevel::AccessExclusive)
    }
}

/// A column's storage, compression, statistics target and attribute options, each changed in
/// place: none rewrites the table (a new storage or compression applies to values written
/// from now on). `SET STATISTICS` and attribute options take a SHARE UPDATE EXCLUSIVE lock
/// (reads and writes go on); `SET STORAGE` and `SET COMPRESSION` an ACCESS EXCLUSIVE one.
///
/// A new type (`retyped`) takes its own storage: the live column's declared one is gone.
///
/// `SET COMPRESSION` does not recurse to partitions (the others do), while a partition created
/// later takes its parent's: the partitions below `table` are altered too, so that a migrated
/// database matches a fresh build.
fn attribute_changes(
    retyped: bool,
    table: &QualifiedName,
    partitions: &[QualifiedName],
    object: &dyn Fn() -> ObjectRef,
    oc: &Column,
    nc: &Column,
) -> Vec<Change> {
    let col = nc.name.as_str();
    let alter = |action| Statement::AlterTable {
        table: table.clone(),
        action,
    };
    let storage = |storage: Option<Storage>| match storage {
        Some(storage) => alter(AlterTable::SetColumnStorage(col.to_string(), storage)),
        None => Statement::ResetColumnStorage {
            table: table.clone(),
            column: col.to_string(),
        },
    };
    let mut out = Vec::new();
    let change = |forward: Vec<Statement>, back: Vec<Statement>, lock| {
        Change::new(object(), ChangeKind::Alter, forward)
            .lock(lock)
            .inverse(back)
    };
    let live_storage = if retyped { None } else { oc.storage };
    if live_storage != nc.storage {
        out.push(change(
            vec![storage(nc.storage)],
            vec![storage(oc.storage)],
            LockLevel::AccessExclusive,
        ));
    }
    if oc.compression != nc.compression {
        let set = |method: &Option<String>| -> Vec<Statement> {
            std::iter::once(table)
                .chain(partitions)
                .map(|t| Statement::AlterTable {
                    table: t.clone(),
                    action: AlterTable::SetCompression(col.to_string(), method.clone()),
                })
                .collect()
        };
        out.push(change(
            set(&nc.compression),
            set(&oc.compression),
            LockLevel::AccessExclusive,
        ));
    }
    if oc.statistics != nc.statistics {
        let set = |target: Option<i32>| {
            alter(AlterTable::SetStatistics(
                col.to_string(),
                target.unwrap_or(-1),
            ))
        };
        out.push(change(
            vec![set(nc.statistics)],
            vec![set(oc.statistics)],
            LockLevel::ShareUpdateExclusive,
        ));
    }
    let (set, reset) = storage_changes(&oc.options, &nc.options);
    if !set.is_empty() || !reset.is_empty() {
        let (undo_set, undo_reset) = storage_changes(&nc.options, &oc.options);
        let statements = |set: Vec<StorageParameter>, reset: Vec<String>| {
            let mut out = Vec::new();
            if !set.is_empty() {
                out.push(alter(AlterTable::SetColumnOptions(col.to_string(), set)));
            }
            if !reset.is_empty() {
                out.push(alter(AlterTable::ResetColumnOptions(
                    col.to_string(),
                    reset,
                )));
            }
            out
        };
        out.push(change(
            statements(set, reset),
            statements(undo_set, undo_reset),
            LockLevel::ShareUpdateExclusive,
        ));
    }
    out
}

/// Every partition below `table` in `schema`, at any depth.
fn partitions_below(schema: &Schema, table: &QualifiedName) -> Vec<QualifiedName> {
    let mut found: Vec<QualifiedName> = Vec::new();
    let mut queue = vec![table.clone()];
    while let Some(parent) = queue.pop() {
        for p in schema.partitions_of(&parent) {
            if !found.contains(&p.name) && &p.name != table {
                found.push(p.name.clone());
                queue.push(p.name.clone());
            }
        }
    }
    found
}

pub(super) fn effective_type(column: &Column) -> DataType {
    column
        .data_type
        .serial_base()
        .unwrap_or_else(|| column.data_type.clone())
}

pub(super) fn is_serial(column: &Column) -> bool {
    column.data_type.serial_base().is_some()
}

pub(super) fn effective_not_null(table: &Table, column: &Column) -> bool {
    column.not_null
        || column.identity.is_some()
        || is_serial(column)
        || table
            .primary_key()
            .is_some_and(|pk| pk.kind.columns().contains(&column.name))
}

/// The sequence `column` owns in `schema`: a serial column's implied one, or a declared
/// sequence `owned by` it.
pub(super) fn owned_sequence(schema: &Schema, table: &Table, column: &Column) -> Option<Sequence> {
    super::sequence::serial_sequence_of(table, column).or_else(|| {
        schema
            .sequences
            .iter()
            .find(|s| {
                s.owned_by
                    .as_ref()
                    .is_some_and(|(t, c)| *t == table.name && *c == column.name)
            })
            .cloned()
    })
}

/// The sequence a serial column owns: `<table>_<column>_seq` in the table's schema.
pub(super) fn serial_sequence(table: &QualifiedName, column: &str) -> QualifiedName {
    QualifiedName::new(
        table.schema.clone(),
        make_object_name(&table.name, Some(column), Some("seq")),
    )
}

/// `into` followed by `then`, as one change: `then`'s statements run after `into`'s and are
/// undone before them; its hazards join `into`'s. The inverse exists only when both have one.
fn merge_after(into: &mut Change, then: Change) {
    into.statements.extend(then.statements);
    into.inverse = match (into.inverse.take(), then.inverse) {
        (Some(undo_into), Some(mut undo)) => {
            undo.extend(undo_into);
            Some(undo)
        }
        _ => None,
    };
    merge_metadata(into, then.hazards, then.needs, then.creates, then.removes);
}

/// `first` followed by `into`, as one change (see [`merge_after`]).
fn merge_before(into: &mut Change, first: Change) {
    let mut statements = first.statements;
    statements.append(&mut into.statements);
    into.statements = statements;
    into.inverse = match (into.inverse.take(), first.inverse) {
        (Some(mut undo_into), Some(undo)) => {
            undo_into.extend(undo);
            Some(undo_into)
        }
        _ => None,
    };
    merge_metadata(
        into,
        first.hazards,
        first.needs,
        first.creates,
        first.removes,
    );
}

fn merge_metadata(
    into: &mut Change,
    hazards: Vec<Hazard>,
    needs: Vec<ObjectId>,
    creates: Vec<ObjectId>,
    removes: Vec<ObjectId>,
) {
    for hazard in hazards {
        if !into.hazards.contains(&hazard) {
            into.hazards.push(hazard);
        }
    }
    into.hazards.sort();
    for (from, to) in [
        (needs, &mut into.needs),
        (creates, &mut into.creates),
        (removes, &mut into.removes),
    ] {
        for id in from {
            if !to.contains(&id) {
                to.push(id);
            }
        }
    }
}

/// Functions whose default makes `ADD COLUMN` rewrite the table (volatile ones).
pub(super) const VOLATILE_FUNCTIONS: &[&str] = &[
    "nextval",
    "gen_random_uuid",
    "gen_random_bytes",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "random",
    "random_normal",
    "clock_timestamp",
    "timeofday",
    "txid_current",
];

pub(super) fn is_volatile_default(expr: &str, schema: &Schema) -> bool {
    let Ok(parsed) = crate::expr::parse_expr(expr) else {
        return false;
    };
    crate::expr::called_functions(&parsed).iter().any(|name| {
        let last = name.rsplit('.').next().unwrap_or(name);
        VOLATILE_FUNCTIONS.contains(&last)
            || schema
                .functions
                .iter()
                .any(|f| f.name.name == last && f.volatility == Volatility::Volatile)
    })
}
