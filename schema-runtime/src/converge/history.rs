//! pgdecl's own tables in the database it manages (schema `pgdecl`): the history of runs,
//! one row per applied or failed run, and the table the canonical-form cache lives in.

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

/// Records the run with `outcome` (`applied` or `failed`) in the history table.
pub(super) fn record(
    client: &mut impl GenericClient,
    run: &Run<'_>,
    plan_sql: &str,
    outcome: &str,
    error: Option<&str>,
) -> Result<(), Error> {
    let started_secs = run
        .started_at
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let duration_ms = i64::try_from(run.started.elapsed().as_millis()).unwrap_or(i64::MAX);
    client
        .execute_typed(
            "INSERT INTO pgdecl.history (schema_hash, mode, plan_sql, started_at, duration_ms,
                                         outcome, error, application_name, pgdecl_version)
             VALUES ($1, $2, $3, to_timestamp($4), $5, $6, $7, $8, $9)",
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
            ],
        )
        .map(|_| ())
        .map_err(|e| Error::from_postgres("recording the run in pgdecl.history", e))
}

/// Records a failed run in its own transaction (the failed one was rolled back); a failure
/// to record is logged, never hides the original error.
pub(super) fn record_failure(client: &mut Client, run: &Run<'_>, plan_sql: &str, err: &Error) {
    let result = ensure_own_tables(client)
        .and_then(|()| record(client, run, plan_sql, "failed", Some(&err.to_string())));
    if let Err(e) = result {
        tracing::warn!(error = %e, "could not record the failed run in pgdecl.history");
    }
}
