//! pgdecl's own tables in the database it manages (schema `pgdecl`): the history of runs,
//! one row per run that changed something (`applied`, `incomplete` or `failed`), and the table the canonical-form cache lives in.

use std::time::{Instant, SystemTime};

use postgres::types::Type;
use postgres::{Client, GenericClient};
use schema_core::render::pgdecl_tables::PgdeclTables;

use super::policy::Policy;
use crate::error::Error;

/// Creates pgdecl's schema and tables if they are missing.
pub(super) fn ensure_own_tables(client: &mut impl GenericClient) -> Result<(), Error> {
    client
        .batch_execute(&PgdeclTables.to_string())
        .map_err(|e| {
            Error::from_postgres(
                "creating pgdecl's own schema `pgdecl` (needs CREATE on the database)",
                e,
            )
        })
}

/// One converge run, as the history records it.
pub(super) struct Run<'a> {
    /// The declared schema's hash.
    pub hash: &'a str,
    /// The policy the run follows.
    pub policy: &'a Policy,
    /// Wall-clock start, recorded.
    pub started_at: SystemTime,
    /// Monotonic start, for the duration.
    pub started: Instant,
}

/// Records the run with `outcome` (`applied`, `incomplete` or `failed`) in the history table;
/// `remaining_sql` is what an `incomplete` run still has to do. Returns the row's id, so a
/// later phase can finish the row ([`finish`]). Unnamed statements only (`query_typed`), so it
/// also works outside a transaction behind PgBouncer.
pub(super) fn record(
    client: &mut impl GenericClient,
    run: &Run<'_>,
    plan_sql: &str,
    outcome: &str,
    error: Option<&str>,
    remaining_sql: Option<&str>,
) -> Result<i64, Error> {
    let started_secs = run
        .started_at
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let duration_ms = i64::try_from(run.started.elapsed().as_millis()).unwrap_or(i64::MAX);
    client
        .query_typed(
            "INSERT INTO pgdecl.history (schema_hash, mode, plan_sql, started_at, duration_ms,
                                         outcome, error, application_name, pgdecl_version,
                                         remaining_sql)
             VALUES ($1, $2, $3, to_timestamp($4), $5, $6, $7, $8, $9, $10)
             RETURNING id",
            &[
                (&run.hash, Type::TEXT),
                (&run.policy.mode.name(), Type::TEXT),
                (&plan_sql, Type::TEXT),
                (&started_secs, Type::FLOAT8),
                (&duration_ms, Type::INT8),
                (&outcome, Type::TEXT),
                (&error, Type::TEXT),
                (&run.policy.application_name, Type::TEXT),
                (&env!("CARGO_PKG_VERSION"), Type::TEXT),
                (&remaining_sql, Type::TEXT),
            ],
        )
        .map(|rows| rows[0].get(0))
        .map_err(|e| Error::from_postgres("recording the run in pgdecl.history", e))
}

/// Updates the row `id` of an `incomplete` run: now `outcome` (`incomplete` with what still
/// remains, `applied` with nothing remaining, or `failed` with the error). One autocommit
/// statement.
pub(super) fn finish(
    client: &mut impl GenericClient,
    run: &Run<'_>,
    id: i64,
    plan_sql: &str,
    outcome: &str,
    error: Option<&str>,
    remaining_sql: Option<&str>,
) -> Result<(), Error> {
    let duration_ms = i64::try_from(run.started.elapsed().as_millis()).unwrap_or(i64::MAX);
    client
        .query_typed(
            "UPDATE pgdecl.history SET outcome = $2, error = $3, remaining_sql = $4,
                    duration_ms = $5, plan_sql = $6, finished_at = clock_timestamp()
             WHERE id = $1",
            &[
                (&id, Type::INT8),
                (&outcome, Type::TEXT),
                (&error, Type::TEXT),
                (&remaining_sql, Type::TEXT),
                (&duration_ms, Type::INT8),
                (&plan_sql, Type::TEXT),
            ],
        )
        .map(|_| ())
        .map_err(|e| Error::from_postgres("updating the run in pgdecl.history", e))
}

/// Records a failed run (a failed transaction was rolled back): as a new row, or, when an
/// earlier phase already recorded the run as `incomplete` (`row`), by updating that row;
/// `remaining_sql` is what was not done. A failure to record is logged, never hides the
/// original error.
pub(super) fn record_failure(
    client: &mut Client,
    run: &Run<'_>,
    row: Option<i64>,
    plan_sql: &str,
    remaining_sql: &str,
    err: &Error,
) {
    let message = err.to_string();
    let (error, remaining) = (Some(message.as_str()), Some(remaining_sql));
    let result = match row {
        Some(id) => finish(client, run, id, plan_sql, "failed", error, remaining),
        None => record(client, run, plan_sql, "failed", error, remaining).map(|_| ()),
    };
    if let Err(e) = result {
        tracing::warn!(error = %e, "could not record the failed run in pgdecl.history");
    }
}
