//! Table locks: every lock a plan needs is taken up front, in one fixed order (by table name),
//! before the first statement runs, and lock waits are retried with exponential backoff and
//! jitter.
//!
//! Each table is locked with `NOWAIT`, so no lock is ever waited for while another is held: a
//! table the run already altered never stays locked against reads while the run waits for a
//! busy one. When one is busy, everything taken so far is released (a savepoint) and the run
//! waits for that table alone, up to `lock_timeout`, then takes the rest with `NOWAIT` again.
//! When the wait expires, the run backs off and tries again, up to
//! [`Policy::lock_retries`] times; the final error names the sessions that hold conflicting
//! locks (`pg_locks`, `pg_stat_activity`), and the settings to change.
//!
//! Changes that still hit a lock timeout or a deadlock after the up-front locks (an object
//! locked implicitly, such as a function's dependents) are retried the same way, each in a
//! savepoint of its own.

use std::time::Duration;

use postgres::error::SqlState;
use postgres::types::Type;
use postgres::Transaction;
use schema_core::diff::{LockLevel, TableLock};
use schema_core::render::LockTable;

use super::policy::Policy;
use crate::error::{Error, ErrorKind};

/// The first back-off delay; each retry doubles it, up to [`Policy::lock_retry_max_delay`].
const FIRST_DELAY: Duration = Duration::from_millis(200);

/// Why an attempt to take the locks did not succeed.
enum Attempt {
    /// `lock_timeout` expired waiting for this lock; nothing is held.
    Busy(usize, postgres::Error),
    /// Any other failure: not retried.
    Failed(Error),
}

/// Takes every lock of `locks` (sorted by table, see [`schema_core::diff::table_locks`]) in
/// `tx`, retrying as the policy allows. On `Ok`, `tx` holds all of them until it ends.
pub(super) fn acquire_up_front(
    tx: &mut Transaction<'_>,
    locks: &[TableLock],
    policy: &Policy,
) -> Result<(), Error> {
    if locks.is_empty() {
        return Ok(());
    }
    let mut attempt = 0;
    loop {
        match try_acquire(tx, locks) {
            Ok(()) => return Ok(()),
            Err(Attempt::Failed(err)) => return Err(err),
            Err(Attempt::Busy(i, err)) => {
                let lock = &locks[i];
                if attempt >= policy.lock_retries {
                    return Err(exhausted(
                        tx,
                        &format!("waiting for {} on {}", mode_name(lock.mode), lock.table),
                        std::slice::from_ref(lock),
                        policy,
                        &err,
                    ));
                }
                let delay = backoff(attempt, policy.lock_retry_max_delay);
                tracing::warn!(
                    table = %lock.table,
                    mode = mode_name(lock.mode),
                    attempt = attempt + 1,
                    retry_in_ms = delay.as_millis() as u64,
                    "lock_timeout expired waiting for a table lock; retrying"
                );
                std::thread::sleep(delay);
                attempt += 1;
            }
        }
    }
}

/// One attempt: `NOWAIT` in order; on a busy table, release everything, wait for that one
/// alone (bounded by `lock_timeout`), and go on. Ends with every lock held, or none.
fn try_acquire(tx: &mut Transaction<'_>, locks: &[TableLock]) -> Result<(), Attempt> {
    run(
        tx,
        "SAVEPOINT pgdecl_locks",
        "taking the plan's table locks",
    )
    .map_err(Attempt::Failed)?;
    let mut waited: Option<usize> = None;
    let mut last_busy = None;
    // Each round either finishes or waits for one more busy table; bounded so that tables
    // that keep getting busy in turn end the attempt instead of looping.
    for _round in 0..=locks.len() {
        let mut busy = None;
        for (i, lock) in locks.iter().enumerate() {
            if waited == Some(i) {
                continue;
            }
            match tx.batch_execute(&lock_sql(lock, true)) {
                Ok(()) => {}
                Err(e) if is_retryable(&e) => {
                    busy = Some((i, e));
                    break;
                }
                Err(e) => return Err(Attempt::Failed(lock_error(lock, e))),
            }
        }
        let Some((i, nowait_error)) = busy else {
            return run(
                tx,
                "RELEASE SAVEPOINT pgdecl_locks",
                "taking the plan's table locks",
            )
            .map_err(Attempt::Failed);
        };
        last_busy = Some((i, nowait_error));
        rollback_to(tx, "pgdecl_locks").map_err(Attempt::Failed)?;
        match tx.batch_execute(&lock_sql(&locks[i], false)) {
            Ok(()) => waited = Some(i),
            Err(e) if is_retryable(&e) => {
                rollback_to(tx, "pgdecl_locks").map_err(Attempt::Failed)?;
                return Err(Attempt::Busy(i, e));
            }
            Err(e) => return Err(Attempt::Failed(lock_error(&locks[i], e))),
        }
    }
    // Tables kept getting busy in turn: a busy attempt, with nothing held.
    rollback_to(tx, "pgdecl_locks").map_err(Attempt::Failed)?;
    match last_busy {
        Some((i, e)) => Err(Attempt::Busy(i, e)),
        // Unreachable: a round that does not finish has found a busy table.
        None => Err(Attempt::Failed(Error::new(
            ErrorKind::LockTimeout,
            "taking the plan's table locks",
            "the tables stayed busy",
        ))),
    }
}

/// Runs one change's SQL in a savepoint of its own; a lock timeout or deadlock rolls back
/// just that change and retries it after a back-off, as the policy allows. `locks` are the
/// tables the change takes, for naming the blockers when the retries run out.
pub(super) fn run_change_retrying(
    tx: &mut Transaction<'_>,
    sql: &str,
    what: &str,
    locks: &[TableLock],
    policy: &Policy,
) -> Result<(), Error> {
    let batch = change_batch(sql);
    let mut attempt = 0;
    loop {
        match tx.batch_execute(&batch) {
            Ok(()) => return Ok(()),
            Err(e) if is_retryable(&e) => {
                rollback_to(tx, "pgdecl_change")?;
                if attempt >= policy.lock_retries {
                    return Err(exhausted(tx, what, locks, policy, &e));
                }
                let delay = backoff(attempt, policy.lock_retry_max_delay);
                tracing::warn!(
                    change = what,
                    attempt = attempt + 1,
                    retry_in_ms = delay.as_millis() as u64,
                    error = %e,
                    "lock wait failed; retrying the change"
                );
                std::thread::sleep(delay);
                attempt += 1;
            }
            Err(e) => return Err(Error::from_postgres(what, e)),
        }
    }
}

/// The batch [`run_change_retrying`] sends for a change's `sql`: in a savepoint of its own.
/// (The server's error positions count from its start.)
pub(super) fn change_batch(sql: &str) -> String {
    format!("SAVEPOINT pgdecl_change;\n{sql}\nRELEASE SAVEPOINT pgdecl_change;")
}

/// A lock timeout (55P03, also `NOWAIT`) or a deadlock (40P01): another session's locks,
/// worth waiting out.
fn is_retryable(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        *c == SqlState::LOCK_NOT_AVAILABLE || *c == SqlState::T_R_DEADLOCK_DETECTED
    })
}

/// The back-off before retry `attempt` (0-based): `FIRST_DELAY * 2^attempt`, at most `max`,
/// of which a random half is jitter, so deployers that failed together do not retry together.
pub(super) fn backoff(attempt: u32, max: Duration) -> Duration {
    let full = FIRST_DELAY
        .saturating_mul(1u32.checked_shl(attempt).unwrap_or(u32::MAX))
        .min(max);
    let half = full / 2;
    half + half.mul_f64(jitter())
}

/// A number in `[0, 1)`, different on each call and in each process (std's per-instance
/// random hash keys; no need for a random number crate).
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

fn lock_sql(lock: &TableLock, nowait: bool) -> String {
    LockTable {
        table: &lock.table,
        mode: lock.mode,
        nowait,
    }
    .to_string()
}

fn mode_name(mode: LockLevel) -> String {
    format!("{mode} lock")
}

fn run(tx: &mut Transaction<'_>, sql: &str, context: &str) -> Result<(), Error> {
    tx.batch_execute(sql)
        .map_err(|e| Error::from_postgres(context, e))
}

fn rollback_to(tx: &mut Transaction<'_>, savepoint: &str) -> Result<(), Error> {
    tx.batch_execute(&format!("ROLLBACK TO SAVEPOINT {savepoint}"))
        .map_err(|e| Error::from_postgres("releasing table locks after a lock wait", e))
}

fn lock_error(lock: &TableLock, e: postgres::Error) -> Error {
    Error::from_postgres(
        &format!("taking {} on {}", mode_name(lock.mode), lock.table),
        e,
    )
}

/// The final lock-timeout error: what was waited for, how often, and who holds the
/// conflicting locks now.
fn exhausted(
    tx: &mut Transaction<'_>,
    what: &str,
    locks: &[TableLock],
    policy: &Policy,
    last: &postgres::Error,
) -> Error {
    let blockers = blockers(tx, locks)
        .unwrap_or_else(|e| vec![format!("the sessions holding it could not be read: {e}")]);
    let mut detail = format!(
        "lock_timeout ({} ms, PGDECL_LOCK_TIMEOUT) expired on each of {} attempts ({}); ",
        policy.lock_timeout.as_millis(),
        policy.lock_retries + 1,
        last.as_db_error()
            .map_or_else(|| last.to_string(), |db| db.message().to_string()),
    );
    if blockers.is_empty() {
        detail.push_str("no session holds a conflicting lock now (it has ended)");
    } else {
        detail.push_str("blocked by ");
        detail.push_str(&blockers.join("; "));
    }
    Error::new(ErrorKind::LockTimeout, what, detail)
}

/// The sessions that hold a lock conflicting with one of `locks`, one line each: pid,
/// `application_name`, state, transaction age, query. (`pg_blocking_pids` would name them
/// while the run waits; once the wait timed out, `pg_locks` tells who still holds them.)
fn blockers(tx: &mut Transaction<'_>, locks: &[TableLock]) -> Result<Vec<String>, Error> {
    let tables: Vec<String> = locks.iter().map(|l| l.table.to_string()).collect();
    let modes: Vec<String> = locks
        .iter()
        .map(|l| conflicting_modes(l.mode).join(","))
        .collect();
    let rows = tx
        .query_typed(
            "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''),
                    coalesce(extract(epoch FROM clock_timestamp()
                        - coalesce(a.xact_start, a.query_start, a.backend_start)), 0)::float8,
                    coalesce(left(a.query, 200), ''), l.relation::regclass::text, l.mode
             FROM pg_locks l
             JOIN pg_stat_activity a ON a.pid = l.pid
             JOIN unnest($1::text[], $2::text[]) AS t(name, modes)
               ON l.relation = to_regclass(t.name)
             WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
               AND l.mode = ANY (string_to_array(t.modes, ','))
             ORDER BY a.xact_start NULLS LAST, a.pid",
            &[(&tables, Type::TEXT_ARRAY), (&modes, Type::TEXT_ARRAY)],
        )
        .map_err(|e| Error::from_postgres("reading the sessions that hold the locks", e))?;
    Ok(rows
        .iter()
        .map(|r| {
            let (pid, app, state, age, query, rel, mode): (
                i32,
                String,
                String,
                f64,
                String,
                String,
                String,
            ) = (
                r.get(0),
                r.get(1),
                r.get(2),
                r.get(3),
                r.get(4),
                r.get(5),
                r.get(6),
            );
            format!(
                "pid {pid} (application_name {app:?}, state {state:?}, transaction age {age:.1} s, \
                 holding {mode} on {rel}) running {query:?}"
            )
        })
        .collect())
}

/// The `pg_locks.mode` names that conflict with a lock of `mode` (PostgreSQL's conflict
/// table, "Table-Level Lock Modes").
fn conflicting_modes(mode: LockLevel) -> &'static [&'static str] {
    const ALL: [&str; 8] = [
        "AccessShareLock",
        "RowShareLock",
        "RowExclusiveLock",
        "ShareUpdateExclusiveLock",
        "ShareLock",
        "ShareRowExclusiveLock",
        "ExclusiveLock",
        "AccessExclusiveLock",
    ];
    match mode {
        LockLevel::None => &ALL[7..],
        LockLevel::ShareUpdateExclusive => &ALL[3..],
        LockLevel::Share => &[
            "RowExclusiveLock",
            "ShareUpdateExclusiveLock",
            "ShareRowExclusiveLock",
            "ExclusiveLock",
            "AccessExclusiveLock",
        ],
        LockLevel::ShareRowExclusive => &ALL[2..],
        LockLevel::AccessExclusive => &ALL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_ceiling_with_at_most_half_jitter() {
        let max = Duration::from_secs(2);
        for attempt in 0..12 {
            let full = (FIRST_DELAY * 2u32.pow(attempt.min(20))).min(max);
            let d = backoff(attempt, max);
            assert!(
                d >= full / 2 && d <= full,
                "attempt {attempt}: {d:?} vs {full:?}"
            );
        }
        // Far past any shift width: still the ceiling, no overflow.
        assert!(backoff(200, max) <= max);
    }

    #[test]
    fn share_does_not_conflict_with_itself_access_exclusive_with_everything() {
        assert!(!conflicting_modes(LockLevel::Share).contains(&"ShareLock"));
        assert!(conflicting_modes(LockLevel::AccessExclusive).contains(&"AccessShareLock"));
        assert!(!conflicting_modes(LockLevel::ShareRowExclusive).contains(&"RowShareLock"));
        assert!(conflicting_modes(LockLevel::ShareRowExclusive).contains(&"ShareRowExclusiveLock"));
    }
}
