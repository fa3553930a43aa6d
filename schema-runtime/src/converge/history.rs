//! pgdecl's own tables in the database it manages (schema `pgdecl`): the history of runs,
//! one row per run that changed something (`applied`, `incomplete` or `failed`), and the table the canonical-form cache lives in.

use std::time::{Instant, SystemTime};

use postgres::types::Type;
use postgres::{Client, GenericClient};
use schema_core::render::pgdecl_tables::PgdeclTables;
use schema_core::Schema;

use super::policy::Policy;
use crate::error::{Error, ErrorKind};

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
    /// The declared schema, stored with the row (`declared_model`) for rollback and export.
    pub declared: &'a Schema,
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
        .and_then(|id| store_model(client, id, run.declared).map(|()| id))
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

/// Stores the declared model of run `id` (its own statement, so the `INSERT` above stays as
/// it was): what `rollback --to` and `export --from-history` read back, even when the binary
/// no longer declares it.
fn store_model(client: &mut impl GenericClient, id: i64, declared: &Schema) -> Result<(), Error> {
    client
        .query_typed(
            "UPDATE pgdecl.history SET declared_model = $2 WHERE id = $1",
            &[(&id, Type::INT8), (&declared.to_json(), Type::TEXT)],
        )
        .map(|_| ())
        .map_err(|e| Error::from_postgres("storing the declared model in pgdecl.history", e))
}

/// The declared model stored with history row `id`: an error naming the row when there is
/// none, when it failed (its schema was never in place), or when it was recorded before
/// pgdecl stored models.
pub(super) fn load_model(client: &mut impl GenericClient, id: i64) -> Result<Schema, Error> {
    let context = format!("reading run {id} from pgdecl.history");
    let rows = client
        .query_typed(
            "SELECT outcome, declared_model FROM pgdecl.history WHERE id = $1",
            &[(&id, Type::INT8)],
        )
        .map_err(|e| Error::from_postgres(&context, e))?;
    let Some(row) = rows.first() else {
        return Err(Error::new(
            ErrorKind::Invalid,
            &context,
            format!("there is no run {id}: `schema history` lists the runs and their ids"),
        ));
    };
    let outcome: String = row.get(0);
    let model: Option<String> = row.get(1);
    if outcome == "failed" {
        return Err(Error::new(
            ErrorKind::Invalid,
            &context,
            format!(
                "run {id} failed, so its schema was never in place: pick an applied run \
                 (`schema history` lists them)"
            ),
        ));
    }
    let Some(model) = model else {
        return Err(Error::new(
            ErrorKind::Invalid,
            &context,
            format!(
                "run {id} was recorded before pgdecl stored the declared schema with each run, \
                 so its schema is not known: pick a later run (`schema history` shows which \
                 have a model), or converge with the binary that declared it"
            ),
        ));
    };
    Schema::from_json(&model).map_err(|e| {
        Error::new(
            ErrorKind::Invalid,
            &context,
            format!("the stored model of run {id} does not read back ({e})"),
        )
    })
}

/// One run in `pgdecl.history`, as `schema history` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The row's id: what `rollback --to` and `export --from-history` take.
    pub id: i64,
    /// When it started, `YYYY-MM-DD HH:MM:SS+00` in UTC.
    pub started_at: String,
    /// The mode it ran in (`apply`, `apply-safe`, `validate-only`).
    pub mode: String,
    /// `applied`, `incomplete`, `failed`, or for recorded validate runs `validated` / `drift`.
    pub outcome: String,
    /// The declared schema's hash.
    pub schema_hash: String,
    /// How many SQL statements it ran (or, for a drift, would run).
    pub statements: usize,
    /// True when the declared model is stored (a run recorded before pgdecl stored models has
    /// none, and cannot be rolled back to).
    pub has_model: bool,
    /// The error of a failed run.
    pub error: Option<String>,
}

impl std::fmt::Display for HistoryEntry {
    /// One line: id, time, mode, outcome, hash, statements, and the error's first line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>5}  {}  {:<13} {:<10} {}  {:>4} statement{}{}",
            self.id,
            self.started_at,
            self.mode,
            self.outcome,
            self.schema_hash,
            self.statements,
            if self.statements == 1 { " " } else { "s" },
            if self.has_model { "" } else { "  (no model)" }
        )?;
        if let Some(first) = self.error.as_deref().and_then(|e| e.lines().next()) {
            write!(f, "  {first}")?;
        }
        Ok(())
    }
}

/// The last `limit` runs recorded in `pgdecl.history`, newest first; empty when pgdecl never
/// wrote to this database (no `pgdecl.history`).
pub fn history(client: &mut impl GenericClient, limit: i64) -> Result<Vec<HistoryEntry>, Error> {
    let exists = client
        .query_typed("SELECT to_regclass('pgdecl.history') IS NOT NULL", &[])
        .map_err(|e| Error::from_postgres("looking for pgdecl.history", e))?;
    if !exists[0].get::<_, bool>(0) {
        return Ok(Vec::new());
    }
    // `declared_model` may be missing on a table no pgdecl with models has touched yet.
    let has_model_column = client
        .query_typed(
            "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'pgdecl.history'::regclass
                             AND attname = 'declared_model' AND NOT attisdropped)",
            &[],
        )
        .map_err(|e| Error::from_postgres("reading pgdecl.history", e))?[0]
        .get::<_, bool>(0);
    let model = if has_model_column {
        "declared_model IS NOT NULL"
    } else {
        "false"
    };
    let rows = client
        .query_typed(
            &format!(
                "SELECT id, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00'),
                        mode, outcome, schema_hash, plan_sql, {model}, error
                 FROM pgdecl.history ORDER BY id DESC LIMIT $1"
            ),
            &[(&limit, Type::INT8)],
        )
        .map_err(|e| Error::from_postgres("reading pgdecl.history", e))?;
    Ok(rows
        .iter()
        .map(|r| HistoryEntry {
            id: r.get(0),
            started_at: r.get(1),
            mode: r.get(2),
            outcome: r.get(3),
            schema_hash: r.get(4),
            statements: count_statements(&r.get::<_, String>(5)),
            has_model: r.get(6),
            error: r.get(7),
        })
        .collect())
}

/// The number of SQL statements in `sql` (top-level `;`, dollar-quoted bodies and strings
/// skipped by the tokenizer).
fn count_statements(sql: &str) -> usize {
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::tokenizer::{Token, Tokenizer};
    match Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize() {
        Ok(tokens) => tokens.iter().filter(|t| **t == Token::SemiColon).count(),
        // Not tokenizable (never the case for pgdecl's own SQL): count the lines ending a
        // statement instead.
        Err(_) => sql.lines().filter(|l| l.trim_end().ends_with(';')).count(),
    }
}

/// Records a validate run (mode `validate-only`): `validated` when the database matched,
/// `drift` with the SQL that would fix it otherwise. Creates pgdecl's tables when missing.
pub(super) fn record_validation(
    client: &mut Client,
    run: &Run<'_>,
    drift_sql: &str,
) -> Result<i64, Error> {
    super::lease::ensure_tables(client)?;
    let outcome = if drift_sql.is_empty() {
        "validated"
    } else {
        "drift"
    };
    record(client, run, drift_sql, outcome, None, None)
}
