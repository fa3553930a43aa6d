//! The session a converge run works in: its timeouts and `application_name`, and the
//! advisory lock that serializes concurrent deployers of one database.

use std::time::Duration;

use postgres::types::Type;
use postgres::{SimpleQueryMessage, Transaction};

use super::policy::Policy;
use crate::error::{Error, ErrorKind};

/// The advisory lock key all pgdecl deployers of a database share ("pgdecl" in ASCII).
const DEPLOY_LOCK_KEY: i64 = 0x7067_6465_636c;

/// A duration as a PostgreSQL setting value.
fn ms(d: Duration) -> String {
    d.as_millis().to_string() + "ms"
}

/// Sets the run's limits on `tx`. Until [`lock_statements`] runs, `lock_timeout` is the
/// policy's deploy-lock timeout: waiting for another deployer may take longer than waiting
/// for a table lock.
pub(super) fn set_timeouts(tx: &mut Transaction<'_>, policy: &Policy) -> Result<(), Error> {
    tx.batch_execute(&timeouts_sql(policy))
        .map_err(|e| Error::from_postgres("setting timeouts", e))
}

/// [`set_timeouts`], and the server's version (`server_version_num`) in the same round trip:
/// a run looks its canonical form up by it before it reads the live catalog.
pub(super) fn set_timeouts_reading_version(
    tx: &mut Transaction<'_>,
    policy: &Policy,
) -> Result<i32, Error> {
    let sql = format!(
        "{}; SELECT pg_catalog.current_setting('server_version_num')",
        timeouts_sql(policy)
    );
    let messages = tx
        .simple_query(&sql)
        .map_err(|e| Error::from_postgres("setting timeouts", e))?;
    let version = messages.iter().find_map(|m| match m {
        SimpleQueryMessage::Row(row) => row.get(0).and_then(|v| v.parse::<i32>().ok()),
        _ => None,
    });
    version.ok_or_else(|| {
        Error::new(
            ErrorKind::Sql,
            "reading the server's version",
            "the server did not report server_version_num".to_string(),
        )
    })
}

/// The statements of [`set_timeouts`].
fn timeouts_sql(policy: &Policy) -> String {
    format!(
        "SET LOCAL lock_timeout = '{}'; SET LOCAL statement_timeout = '{}'; \
         SET LOCAL application_name = {}",
        ms(policy.deploy_lock_timeout),
        ms(policy.statement_timeout),
        schema_core::ident::quote_literal(&policy.application_name),
    )
}

/// Waits for other pgdecl deployers of this database; the lock is released at commit or
/// rollback (a transaction-scoped lock works behind a transaction-pooling PgBouncer).
pub(super) fn take_deploy_lock(tx: &mut Transaction<'_>) -> Result<(), Error> {
    tx.execute_typed(
        "SELECT pg_advisory_xact_lock($1)",
        &[(&DEPLOY_LOCK_KEY, Type::INT8)],
    )
    .map(|_| ())
    .map_err(|e| {
        Error::from_postgres(
            "waiting for other pgdecl deployers of this database (deploy lock)",
            e,
        )
    })
}

/// Switches `lock_timeout` to the policy's per-statement value, once the deploy lock is held.
pub(super) fn lock_statements(tx: &mut Transaction<'_>, policy: &Policy) -> Result<(), Error> {
    tx.batch_execute(&format!(
        "SET LOCAL lock_timeout = '{}'",
        ms(policy.lock_timeout)
    ))
    .map_err(|e| Error::from_postgres("setting lock_timeout", e))
}
