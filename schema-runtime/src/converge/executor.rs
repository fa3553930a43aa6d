//! Applying a plan: each change's statements run in order, inside the converge transaction
//! or (for `CREATE INDEX CONCURRENTLY`) after it, and a failure names the statement.

use postgres::{Client, Transaction};
use schema_core::diff::{table_locks, ChangeKind, ObjectKind};
use schema_core::Change;

use super::locks;
use super::policy::Policy;
use super::watchdog;
use crate::error::{Error, ErrorKind};

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
        let sql = change.sql();
        locks::run_change_retrying(tx, &sql, &format!("applying `{change}`"), &locks, policy)
            .map_err(|e| rejected_change(change, &locks::change_batch(&sql), true, e))?;
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
    let sql = change.sql();
    watchdog::execute_with_deadline(
        client,
        &sql,
        policy.statement_timeout,
        &format!("applying `{change}`"),
    )
    .map_err(|e| rejected_change(change, &sql, false, e))
}

/// `error`, raised by the server while `batch` ran `change`, as an error that names the
/// object, the statement, the server's message and SQLSTATE, and a help line (see
/// [`Error::rejected`]). Only plain SQL errors and missing privileges: a lock or statement
/// timeout keeps its own report (the sessions holding the lock, the timeout to raise), and a
/// lost connection its own. `in_transaction`: the change ran in the plan's transaction (rolled
/// back now), not after it.
fn rejected_change(change: &Change, batch: &str, in_transaction: bool, error: Error) -> Error {
    use crate::rejected::{describe, error_offset, excerpt, statement_at, table_part};
    use schema_core::render::Statement;

    let Error::Postgres {
        context,
        kind: ErrorKind::Sql | ErrorKind::MissingPrivilege,
        source,
        ..
    } = error
    else {
        return error;
    };
    let texts: Vec<String> = change.statements.iter().map(|s| format!("{s:#}")).collect();
    // The statement the server points at; the only one, or all of them, when it points at
    // none (an error inside a function body or a `DO` block).
    let located = error_offset(&source, batch).and_then(|o| statement_at(batch, &texts, o));
    let (statement, shown) = match (located, texts.as_slice()) {
        (Some((i, offset)), _) => (Some((i, offset)), excerpt(&texts[i], Some(offset))),
        (None, [only]) => (None, excerpt(only, None)),
        (None, _) => (None, excerpt(&change.sql(), None)),
    };
    let object = statement
        .and_then(|(i, offset)| match &change.statements[i] {
            Statement::CreateTable(table) => table_part(table, &texts[i], offset),
            _ => None,
        })
        .unwrap_or_else(|| describe(&change.object));
    Error::rejected(
        &context,
        object.clone(),
        shown,
        format!(
            "correct the declaration of {object}, or the live data the statement conflicts \
             with, and run again ({})",
            if in_transaction {
                "the changes applied in the same transaction were rolled back"
            } else {
                "the changes before it were committed; an index a failed concurrent build left \
                 invalid is a difference the next plan shows"
            }
        ),
        source,
    )
}
