//! A table's own options: `UNLOGGED` and storage parameters, and an index's storage
//! parameters.

use crate::model::{storage_changes, Index, QualifiedName};
use crate::render::{AlterTable, Statement};

use super::{Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    /// `SET LOGGED | UNLOGGED`: PostgreSQL rewrites the table (and, for `SET LOGGED`, writes
    /// all of it to the WAL) under an ACCESS EXCLUSIVE lock.
    pub(super) fn table_options(&mut self, i: usize) {
        let (old, new) = (self.pairs[i].old, self.pairs[i].new);
        if old.unlogged != new.unlogged && !new.is_partitioned() {
            let set = |unlogged| Statement::AlterTable {
                table: new.name.clone(),
                action: AlterTable::SetUnlogged(unlogged),
            };
            self.emit(
                Phase::Columns,
                Change::new(
                    ObjectRef::new(ObjectKind::Table, &new.name),
                    ChangeKind::Alter,
                    [set(new.unlogged)],
                )
                .hazard(Hazard::RewritesTable)
                .lock(LockLevel::AccessExclusive)
                .inverse([set(old.unlogged)]),
            );
        }
        self.table_storage(i);
    }

    /// `SET (...)` for storage parameters added or changed, `RESET (...)` for those gone;
    /// they apply to pages written from now on, so nothing is rewritten, and these parameters
    /// take a SHARE UPDATE EXCLUSIVE lock (reads and writes go on).
    fn table_storage(&mut self, i: usize) {
        let (old, new) = (self.pairs[i].old, self.pairs[i].new);
        let (set, reset) = storage_changes(&old.storage, &new.storage);
        if set.is_empty() && reset.is_empty() {
            return;
        }
        let (undo_set, undo_reset) = storage_changes(&new.storage, &old.storage);
        let statements = |set: Vec<_>, reset: Vec<String>| {
            let mut out = Vec::new();
            if !set.is_empty() {
                out.push(Statement::AlterTable {
                    table: new.name.clone(),
                    action: AlterTable::SetStorage(set),
                });
            }
            if !reset.is_empty() {
                out.push(Statement::AlterTable {
                    table: new.name.clone(),
                    action: AlterTable::ResetStorage(reset),
                });
            }
            out
        };
        self.emit(
            Phase::Columns,
            Change::new(
                ObjectRef::new(ObjectKind::Table, &new.name),
                ChangeKind::Alter,
                statements(set, reset),
            )
            .lock(LockLevel::ShareUpdateExclusive)
            .inverse(statements(undo_set, undo_reset)),
        );
    }

    /// An index kept as it is but for its storage parameters: `ALTER INDEX ... SET | RESET`.
    pub(super) fn index_storage(&mut self, table: &'a QualifiedName, old: &Index, new: &Index) {
        let (set, reset) = storage_changes(&old.storage, &new.storage);
        if set.is_empty() && reset.is_empty() {
            return;
        }
        let (undo_set, undo_reset) = storage_changes(&new.storage, &old.storage);
        let alter = |set, reset| Statement::AlterIndexStorage {
            schema: table.schema.clone(),
            name: new.name.clone(),
            set,
            reset,
        };
        self.emit(
            Phase::Indexes,
            Change::new(
                ObjectRef::index(table, &new.name),
                ChangeKind::Alter,
                [alter(set, reset)],
            )
            .lock(LockLevel::ShareUpdateExclusive)
            .inverse([alter(undo_set, undo_reset)]),
        );
    }
}
