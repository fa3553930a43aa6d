//! A table's own options: `UNLOGGED`.

use crate::render::{AlterTable, Statement};

use super::{Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Phase, Planner};

impl Planner<'_> {
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
    }
}
