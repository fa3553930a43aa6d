//! The table locks a plan takes, so a deployer can acquire them all up front, in one fixed
//! order, before it changes anything: no table then stays locked while the run waits for
//! another, and two deployers never lock the same tables in opposite orders.

use std::collections::BTreeMap;

use super::plan::{Change, ChangeKind, LockLevel, ObjectId};
use crate::model::{ConstraintKind, QualifiedName};
use crate::render::Statement;

/// One table and the strongest lock any change of a plan takes on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLock {
    /// The table (as named before the plan runs).
    pub table: QualifiedName,
    /// The lock mode to request.
    pub mode: LockLevel,
}

/// Every table `changes` lock, once each with the strongest mode, sorted by name: the order
/// in which to acquire them. A foreign key added (also inline in a new table) locks the table
/// it references in `SHARE ROW EXCLUSIVE` mode besides its own table.
///
/// Tables the plan creates are included when a later change locks them; the caller keeps
/// only the tables that exist before the plan runs (`LOCK TABLE` on a missing one fails).
pub fn table_locks(changes: &[Change]) -> Vec<TableLock> {
    let mut strongest: BTreeMap<QualifiedName, LockLevel> = BTreeMap::new();
    let mut take = |table: &QualifiedName, mode: LockLevel| {
        if mode == LockLevel::None {
            return;
        }
        let slot = strongest.entry(table.clone()).or_default();
        *slot = (*slot).max(mode);
    };
    for change in changes {
        if let Some(table) = locked_table(change) {
            take(table, change.lock);
        }
        for statement in &change.statements {
            for referenced in referenced_tables(statement) {
                take(referenced, LockLevel::ShareRowExclusive);
            }
        }
    }
    strongest
        .into_iter()
        .map(|(table, mode)| TableLock { table, mode })
        .collect()
}

/// The table `change` takes its [`Change::lock`] on: the table of a column, constraint,
/// index or trigger, or the table itself for a table that is altered, renamed or dropped.
fn locked_table(change: &Change) -> Option<&QualifiedName> {
    if let Some(table) = &change.object.table {
        return Some(table);
    }
    if change.kind == ChangeKind::Create {
        return None;
    }
    change
        .removes
        .iter()
        .chain(&change.creates)
        .find_map(|id| match id {
            ObjectId::Table(name) => Some(name),
            _ => None,
        })
}

/// Tables a statement references through foreign keys it adds.
fn referenced_tables(statement: &Statement) -> Vec<&QualifiedName> {
    fn fk(kind: &ConstraintKind) -> Option<&QualifiedName> {
        match kind {
            ConstraintKind::ForeignKey { ref_table, .. } => Some(ref_table),
            _ => None,
        }
    }
    match statement {
        Statement::AddConstraint { constraint, .. } => fk(&constraint.kind).into_iter().collect(),
        Statement::CreateTable(table) => table
            .constraints
            .iter()
            .filter_map(|c| fk(&c.kind))
            // A self-reference locks the new table itself, which nobody else can see yet.
            .filter(|r| **r != table.name)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{ColumnDef, References, TableDef};
    use crate::types::DataType;
    use crate::{diff, Schema};

    fn id() -> ColumnDef {
        ColumnDef::new("id", DataType::builtin("bigint")).primary_key()
    }

    fn fk(name: &str, table: &str) -> ColumnDef {
        ColumnDef::new(name, DataType::builtin("bigint"))
            .references(References::table(table).column("id"))
    }

    #[test]
    fn strongest_mode_per_table_sorted_by_name_with_referenced_tables() {
        let old = Schema::builder()
            .table(TableDef::new("users").column(id()))
            .table(TableDef::new("accounts").column(id()))
            .table(TableDef::new("orders").column(id()))
            .build();
        let new = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(id())
                    .column(ColumnDef::new("name", DataType::builtin("text"))),
            )
            .table(TableDef::new("accounts").column(id()))
            .table(
                TableDef::new("orders")
                    .column(id())
                    .column(fk("user_id", "users")),
            )
            .table(
                TableDef::new("notes")
                    .column(id())
                    .column(fk("account_id", "accounts")),
            )
            .build();
        let plan = diff(&old, &new);
        let locks: Vec<(String, LockLevel)> = table_locks(&plan.changes)
            .into_iter()
            .map(|l| (l.table.to_string(), l.mode))
            .collect();
        assert_eq!(
            locks,
            vec![
                // Referenced by the new table's inline foreign key.
                ("public.accounts".to_string(), LockLevel::ShareRowExclusive),
                // The new table's foreign key is added after it is created; the caller keeps
                // only tables that exist before the plan runs.
                ("public.notes".to_string(), LockLevel::ShareRowExclusive),
                // A new column and a foreign key: the stronger mode wins.
                ("public.orders".to_string(), LockLevel::AccessExclusive),
                // A new column, and referenced by the new foreign key.
                ("public.users".to_string(), LockLevel::AccessExclusive),
            ]
        );
    }

    #[test]
    fn a_plan_of_new_objects_only_locks_nothing() {
        let new = Schema::builder()
            .table(TableDef::new("users").column(id()))
            .build();
        assert!(table_locks(&diff(&Schema::default(), &new).changes).is_empty());
    }
}
