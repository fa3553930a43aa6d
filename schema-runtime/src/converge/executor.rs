//! Applying a plan: each change's statements run in order, inside the converge transaction
//! or (for `CREATE INDEX CONCURRENTLY`) after it, and a failure names the statement.

use postgres::{Client, Transaction};
use schema_core::diff::{table_locks, ChangeKind, ObjectKind};
use schema_core::Change;

use super::locks;
use super::policy::Policy;
use super::watchdog;
use crate::error::Error;

/// Every change's SQL, one after another, as recorded in the history.
pub(super) fn plan_sql(changes: &[Change]) -> String {
    changes
        .iter()
        .map(Change::sql)
        .collect::<Vec<_>>()
        .join("\n")
}

/// True for `ALTER TYPE ... ADD VALUE`: the new label cannot be used in the transaction that
/// adds it, so such changes are committed first, in a phase of their own.
pub(super) fn adds_enum_value(change: &Change) -> bool {
    change.object.kind == ObjectKind::Type
        && change.kind == ChangeKind::Alter
        && !change.transactional
}

/// Runs `changes` in order in `tx`; stops at the first failure, whose error names the
/// statement (the caller rolls back and records it).
///
/// Each change runs in a savepoint of its own: one that hits a lock timeout or a deadlock (a
/// lock the up-front locking could not foresee) is rolled back alone and retried as the
/// policy allows (`locks::run_change_retrying`).
pub(super) fn apply_in_transaction(
    tx: &mut Transaction<'_>,
    changes: &[Change],
    policy: &Policy,
) -> Result<(), Error> {
    for change in changes {
        tracing::info!(change = %change, "applying");
        let locks = table_locks(std::slice::from_ref(change));
        locks::run_change_retrying(
            tx,
            &change.sql(),
            &format!("applying `{change}`"),
            &locks,
            policy,
        )?;
    }
    Ok(())
}

/// Runs one change that cannot run in a transaction block. No session `SET` (it would outlive
/// the statement behind PgBouncer): the policy's statement timeout is enforced client-side.
pub(super) fn apply_outside_transaction(
    client: &mut Client,
    policy: &Policy,
    change: &Change,
) -> Result<(), Error> {
    tracing::info!(change = %change, "applying outside a transaction");
    watchdog::execute_with_deadline(
        client,
        &change.sql(),
        policy.statement_timeout,
        &format!("applying `{change}`"),
    )
}
