//! Converge: one call at start-up that plans the live database against the declared schema and
//! applies, validates or only reports, as the [`Policy`] says.
//!
//! Apply runs in one transaction that first takes a transaction-scoped advisory lock (so it
//! serializes concurrent deployers and still works behind a transaction-pooling PgBouncer),
//! re-reads the catalog under that lock, applies every transactional change, records a history
//! row and commits: all or nothing. Changes that cannot run in a transaction (`CREATE INDEX
//! CONCURRENTLY`) run after the commit, one by one.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use postgres::{Client, GenericClient};
use schema_core::diff::{ChangeKind, Hazard, ObjectKind};
use schema_core::{diff, Change, Plan, Schema};

use crate::canonicalize::canonicalize;
use crate::error::{Error, ErrorKind};
use crate::introspect::{introspect_in, Scope, Unmodeled};

/// What `converge` is allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Apply every change the policy allows (development).
    Apply,
    /// Apply additive changes only; anything else is refused and listed (staging).
    ApplySafe,
    /// Change nothing; fail if the database differs (production).
    ValidateOnly,
    /// Change nothing; report the plan.
    PlanOnly,
}

impl Mode {
    /// Parses `apply`, `apply-safe`, `validate-only`, `plan-only`.
    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "apply" => Some(Mode::Apply),
            "apply-safe" | "safe" => Some(Mode::ApplySafe),
            "validate-only" | "validate" => Some(Mode::ValidateOnly),
            "plan-only" | "plan" => Some(Mode::PlanOnly),
            _ => None,
        }
    }

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Apply => "apply",
            Mode::ApplySafe => "apply-safe",
            Mode::ValidateOnly => "validate-only",
            Mode::PlanOnly => "plan-only",
        }
    }
}

/// How to converge: the mode, what is allowed, and the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Apply, apply-safe, validate-only or plan-only.
    pub mode: Mode,
    /// Allow changes that delete data or narrow types (drops, removed enum values, ...).
    pub allow_destructive: bool,
    /// `lock_timeout` for each DDL statement: how long to wait for a table lock before giving
    /// up instead of queueing every query behind the DDL.
    pub lock_timeout: Duration,
    /// `statement_timeout` for each statement.
    pub statement_timeout: Duration,
    /// How long to wait for another deployer to finish.
    pub deploy_lock_timeout: Duration,
    /// Recorded in the history table and `application_name`.
    pub application_name: String,
    /// Schemas never read nor touched (besides system schemas and pgdecl's own).
    pub ignore_schemas: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            mode: Mode::ValidateOnly,
            allow_destructive: false,
            lock_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(300),
            deploy_lock_timeout: Duration::from_secs(120),
            application_name: "pgdecl".to_string(),
            ignore_schemas: Vec::new(),
        }
    }
}

impl Policy {
    /// A policy in `mode` with default limits.
    pub fn new(mode: Mode) -> Policy {
        Policy {
            mode,
            ..Policy::default()
        }
    }

    /// Reads the policy from the environment: `PGDECL_MODE` (`apply`, `apply-safe`,
    /// `validate-only` (the default), `plan-only`), `PGDECL_ALLOW_DESTRUCTIVE` (`1`/`true`),
    /// `PGDECL_LOCK_TIMEOUT`, `PGDECL_STATEMENT_TIMEOUT`, `PGDECL_DEPLOY_LOCK_TIMEOUT`
    /// (`500ms`, `5s`, `2min`), `PGDECL_APPLICATION_NAME`, `PGDECL_IGNORE_SCHEMAS`
    /// (comma-separated). The default is validate-only: a production start that forgot to set
    /// anything changes nothing.
    pub fn from_env() -> Result<Policy, Error> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let mut p = Policy::default();
        if let Some(m) = var("PGDECL_MODE") {
            p.mode = Mode::parse(&m).ok_or_else(|| {
                Error::new(
                    ErrorKind::Invalid,
                    "reading PGDECL_MODE",
                    format!(
                        "`{m}` is not a mode: use apply, apply-safe, validate-only or plan-only"
                    ),
                )
            })?;
        }
        if let Some(v) = var("PGDECL_ALLOW_DESTRUCTIVE") {
            p.allow_destructive = matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes");
        }
        for (key, slot) in [
            ("PGDECL_LOCK_TIMEOUT", &mut p.lock_timeout),
            ("PGDECL_STATEMENT_TIMEOUT", &mut p.statement_timeout),
            ("PGDECL_DEPLOY_LOCK_TIMEOUT", &mut p.deploy_lock_timeout),
        ] {
            if let Some(v) = var(key) {
                *slot = parse_duration(&v).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Invalid,
                        &format!("reading {key}"),
                        format!("`{v}` is not a duration: write e.g. 500ms, 5s or 2min"),
                    )
                })?;
            }
        }
        if let Some(v) = var("PGDECL_APPLICATION_NAME") {
            p.application_name = v;
        }
        if let Some(v) = var("PGDECL_IGNORE_SCHEMAS") {
            p.ignore_schemas = v.split(',').map(|s| s.trim().to_string()).collect();
        }
        Ok(p)
    }
}

/// Parses `250ms`, `5s`, `2min`, `1h` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u64 = s[..split].parse().ok()?;
    match s[split..].trim() {
        "" | "s" | "sec" => Some(Duration::from_secs(n)),
        "ms" => Some(Duration::from_millis(n)),
        "m" | "min" => Some(Duration::from_secs(n * 60)),
        "h" => Some(Duration::from_secs(n * 3600)),
        _ => None,
    }
}

/// What a converge run found and did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The full plan from the live database to the declared schema.
    pub plan: Plan,
    /// The changes that were applied (empty unless the mode applies).
    pub applied: Vec<Change>,
    /// Changes the policy withheld (destructive ones, or non-additive ones in apply-safe).
    pub withheld: Vec<Change>,
    /// Live objects pgdecl does not model (reported, never touched).
    pub unmodeled: Vec<Unmodeled>,
    /// The mode the run used.
    pub mode: Mode,
    /// How long the run took.
    pub duration: Duration,
}

impl Report {
    /// True if the live database matches the declared schema.
    pub fn in_sync(&self) -> bool {
        self.plan.changes.len() == self.applied.len() && self.withheld.is_empty()
    }
}

/// The stable hash of a declared schema (FNV-1a 64 over its serialized model and pgdecl's
/// version), used as the history's schema hash and the canonicalization cache key.
pub fn schema_hash(schema: &Schema) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in schema
        .to_json()
        .bytes()
        .chain(env!("CARGO_PKG_VERSION").bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The advisory lock key all pgdecl deployers of a database share ("pgdecl" in ASCII).
const DEPLOY_LOCK_KEY: i64 = 0x7067_6465_636c;

/// Canonical forms computed by this process, by (schema hash, server version).
static CANONICAL_CACHE: Mutex<Option<HashMap<(String, i32), Schema>>> = Mutex::new(None);

/// Forgets the canonical forms this process computed, so the next plan canonicalizes again
/// (unless pgdecl's cache table has it). For benchmarks and tests.
pub fn forget_canonical_forms() {
    if let Ok(mut c) = CANONICAL_CACHE.lock() {
        *c = None;
    }
}

/// The declared schema as the server prints it: from this process's cache, else from
/// pgdecl's cache table, else computed (and stored in both when `store` is set).
fn canonical_for(
    client: &mut impl GenericClient,
    declared: &Schema,
    hash: &str,
    server_version: i32,
    store: bool,
) -> Result<Schema, Error> {
    let key = (hash.to_string(), server_version);
    if let Some(s) = CANONICAL_CACHE
        .lock()
        .ok()
        .and_then(|c| c.as_ref().and_then(|m| m.get(&key).cloned()))
    {
        return Ok(s);
    }
    // The table may not exist yet (nothing applied, or validate-only): ask first, since a
    // failed query would abort the caller's transaction.
    let has_cache: bool = client
        .query_one(
            "SELECT to_regclass('pgdecl.canonical_cache') IS NOT NULL",
            &[],
        )
        .map_err(|e| Error::from_postgres("looking for pgdecl.canonical_cache", e))?
        .get(0);
    let cached: Option<String> = if has_cache {
        client
            .query_opt(
                "SELECT canonical FROM pgdecl.canonical_cache
                 WHERE schema_hash = $1 AND server_version = $2",
                &[&hash, &server_version],
            )
            .map_err(|e| Error::from_postgres("reading pgdecl.canonical_cache", e))?
            .map(|r| r.get(0))
    } else {
        None
    };
    let canonical = match cached.and_then(|j| Schema::from_json(&j).ok()) {
        Some(s) => s,
        None => {
            let s = canonicalize(client, declared)?;
            if store {
                client
                    .execute(
                        "INSERT INTO pgdecl.canonical_cache (schema_hash, server_version, canonical)
                         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        &[&hash, &server_version, &s.to_json()],
                    )
                    .map_err(|e| Error::from_postgres("storing the canonical form", e))?;
            }
            s
        }
    };
    if let Ok(mut c) = CANONICAL_CACHE.lock() {
        c.get_or_insert_with(HashMap::new)
            .insert(key, canonical.clone());
    }
    Ok(canonical)
}

/// pgdecl's own tables: the history of runs and the canonicalization cache.
const OWN_TABLES: &str = "
CREATE SCHEMA IF NOT EXISTS pgdecl;
CREATE TABLE IF NOT EXISTS pgdecl.history (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schema_hash      text NOT NULL,
    mode             text NOT NULL,
    plan_sql         text NOT NULL,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    duration_ms      bigint NOT NULL,
    outcome          text NOT NULL CHECK (outcome IN ('applied', 'failed')),
    error            text,
    application_name text NOT NULL,
    pgdecl_version   text NOT NULL
);
CREATE TABLE IF NOT EXISTS pgdecl.canonical_cache (
    schema_hash    text NOT NULL,
    server_version integer NOT NULL,
    canonical      text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schema_hash, server_version)
);";

/// Plans `client`'s database against `declared` and acts as `policy` says. See the module docs.
pub fn converge(client: &mut Client, declared: &Schema, policy: &Policy) -> Result<Report, Error> {
    converge_phase(client, declared, policy, Vec::new())
}

/// True for `ALTER TYPE ... ADD VALUE`: the new label cannot be used in the transaction that
/// adds it, so such changes are committed first, in a phase of their own.
fn adds_enum_value(change: &Change) -> bool {
    change.object.kind == ObjectKind::Type
        && change.kind == ChangeKind::Alter
        && !change.transactional
}

/// One locked transaction. `earlier` holds enum values a first phase already committed; they
/// are reported and recorded with this phase.
fn converge_phase(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    earlier: Vec<Change>,
) -> Result<Report, Error> {
    let started = Instant::now();
    let started_at = std::time::SystemTime::now();
    let hash = schema_hash(declared);
    let writes = matches!(policy.mode, Mode::Apply | Mode::ApplySafe);
    tracing::info!(mode = policy.mode.name(), schema_hash = %hash, "checking the database schema");

    let mut tx = client
        .transaction()
        .map_err(|e| Error::from_postgres("starting the converge transaction", e))?;
    let ms = |d: Duration| d.as_millis().to_string() + "ms";
    tx.batch_execute(&format!(
        "SET LOCAL lock_timeout = '{}'; SET LOCAL statement_timeout = '{}'; \
         SET LOCAL application_name = {}",
        ms(policy.deploy_lock_timeout),
        ms(policy.statement_timeout),
        schema_core::ident::quote_literal(&policy.application_name),
    ))
    .map_err(|e| Error::from_postgres("setting timeouts", e))?;
    if writes {
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&DEPLOY_LOCK_KEY])
            .map_err(|e| {
                Error::from_postgres(
                    "waiting for other pgdecl deployers of this database (deploy lock)",
                    e,
                )
            })?;
        tx.batch_execute(OWN_TABLES).map_err(|e| {
            Error::from_postgres(
                "creating pgdecl's own schema `pgdecl` (needs CREATE on the database)",
                e,
            )
        })?;
    }
    tx.batch_execute(&format!(
        "SET LOCAL lock_timeout = '{}'",
        ms(policy.lock_timeout)
    ))
    .map_err(|e| Error::from_postgres("setting lock_timeout", e))?;

    let scope = Scope {
        skip: policy.ignore_schemas.clone(),
        ..Scope::default()
    };
    let mut live = introspect_in(&mut tx, &scope)?;
    live.unmodeled
        .extend(split_unmanaged(&mut live.schema, declared));
    let mut canonical = canonical_for(&mut tx, declared, &hash, live.server_version, writes)?;
    adopt_unspecified(&live.schema, &mut canonical);
    let mut plan = diff(&live.schema, &canonical);
    let (allowed, withheld): (Vec<Change>, Vec<Change>) = plan
        .changes
        .iter()
        .cloned()
        .partition(|c| permitted(c, policy));

    if !writes || (allowed.is_empty() && earlier.is_empty()) {
        tx.rollback().ok();
        let report = Report {
            applied: Vec::new(),
            withheld: if writes { withheld } else { Vec::new() },
            plan,
            unmodeled: live.unmodeled,
            mode: policy.mode,
            duration: started.elapsed(),
        };
        if report.plan.changes.is_empty() {
            tracing::info!("database schema is up to date");
        }
        if policy.mode == Mode::ValidateOnly && !report.plan.changes.is_empty() {
            return Err(drift_error(&report.plan.changes));
        }
        if !report.withheld.is_empty() {
            tracing::warn!(
                count = report.withheld.len(),
                "changes withheld by the policy"
            );
        }
        return Ok(report);
    }

    // New enum labels are committed first, on their own, when anything else is to follow:
    // later statements (defaults, checks) may use them, and PostgreSQL forbids using a label
    // in the transaction that adds it. Then plan again under a fresh lock.
    if earlier.is_empty()
        && allowed.iter().any(adds_enum_value)
        && allowed.iter().any(|c| !adds_enum_value(c))
    {
        let labels: Vec<Change> = allowed.into_iter().filter(adds_enum_value).collect();
        let sql = plan_sql(&labels);
        for change in &labels {
            tracing::info!(change = %change, "applying");
            if let Err(e) = tx.batch_execute(&change.sql()) {
                let err = Error::from_postgres(&format!("applying `{change}`"), e);
                drop(tx); // rolls back
                record_failure(client, &hash, policy, &sql, started_at, started, &err);
                return Err(err);
            }
        }
        tx.commit()
            .map_err(|e| Error::from_postgres("committing new enum values", e))?;
        return converge_phase(client, declared, policy, labels);
    }

    // On PostgreSQL 12 and later `ADD VALUE` runs in a transaction block; only
    // `CREATE INDEX CONCURRENTLY` must wait until after the commit.
    let (in_tx, after): (Vec<Change>, Vec<Change>) = allowed
        .into_iter()
        .partition(|c| c.transactional || adds_enum_value(c));
    let recorded: Vec<Change> = earlier
        .iter()
        .chain(&in_tx)
        .chain(&after)
        .cloned()
        .collect();
    let all_sql = plan_sql(&recorded);
    for change in &in_tx {
        tracing::info!(change = %change, "applying");
        if let Err(e) = tx.batch_execute(&change.sql()) {
            let err = Error::from_postgres(&format!("applying `{change}`"), e);
            drop(tx); // rolls back: nothing of the plan is applied
            record_failure(client, &hash, policy, &all_sql, started_at, started, &err);
            return Err(err);
        }
    }
    record(
        &mut tx, &hash, policy, &all_sql, started_at, started, "applied", None,
    )?;
    tx.commit()
        .map_err(|e| Error::from_postgres("committing the schema change", e))?;

    // The report covers both phases.
    let mut applied = earlier.clone();
    plan.changes.splice(0..0, earlier);
    applied.extend(in_tx);
    for change in after {
        tracing::info!(change = %change, "applying outside a transaction");
        let timeouts = format!(
            "SET lock_timeout = '{}'; SET statement_timeout = '{}'",
            ms(policy.lock_timeout),
            ms(policy.statement_timeout)
        );
        let result = client
            .batch_execute(&timeouts)
            .and_then(|()| client.batch_execute(&change.sql()));
        client
            .batch_execute("RESET lock_timeout; RESET statement_timeout")
            .ok();
        if let Err(e) = result {
            let err = Error::from_postgres(&format!("applying `{change}`"), e);
            record_failure(
                client,
                &hash,
                policy,
                &change.sql(),
                started_at,
                started,
                &err,
            );
            return Err(err);
        }
        applied.push(change);
    }
    tracing::info!(changes = applied.len(), "database schema converged");
    Ok(Report {
        plan,
        applied,
        withheld,
        unmodeled: live.unmodeled,
        mode: policy.mode,
        duration: started.elapsed(),
    })
}

fn plan_sql(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| c.sql())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Takes out of `live` what the declaration does not manage, returning it as report entries:
/// everything in schemas the declaration does not name (another team's, a DBA's), and
/// extensions it does not declare. These are never planned, so no policy can drop them.
/// Undeclared objects inside declared schemas stay: they are planned as drops, which the
/// policy withholds unless destructive changes are allowed.
pub fn split_unmanaged(live: &mut Schema, declared: &Schema) -> Vec<Unmodeled> {
    let managed = |schema: &str| {
        schema == schema_core::DEFAULT_SCHEMA || declared.schemas.iter().any(|n| n.name == schema)
    };
    let mut out = Vec::new();
    let mut note = |kind: &str, name: String| {
        out.push(Unmodeled {
            kind: format!("unmanaged {kind}"),
            name,
        })
    };
    let q =
        |n: &schema_core::QualifiedName| schema_core::ident::quote_qualified(&n.schema, &n.name);
    live.extensions.retain(|e| {
        let keep = declared.extensions.iter().any(|d| d.name == e.name);
        if !keep {
            note("extension", e.name.clone());
        }
        keep
    });
    live.schemas.retain(|n| {
        let keep = managed(&n.name);
        if !keep {
            note("schema", n.name.clone());
        }
        keep
    });
    macro_rules! split {
        ($field:ident, $kind:expr, $attr:ident) => {
            live.$field.retain(|o| {
                let name = &o.$attr;
                let keep = managed(&name.schema);
                if !keep {
                    note($kind, q(name));
                }
                keep
            });
        };
    }
    split!(enums, "type", name);
    split!(sequences, "sequence", name);
    split!(functions, "function", name);
    split!(tables, "table", name);
    split!(views, "view", name);
    split!(triggers, "trigger on", table);
    out
}

/// What the declaration leaves open takes the live value: an extension declared without a
/// schema or comment is satisfied by wherever it is installed, with the comment it ships.
fn adopt_unspecified(live: &Schema, canonical: &mut Schema) {
    for ext in &mut canonical.extensions {
        if let Some(l) = live.extensions.iter().find(|l| l.name == ext.name) {
            if ext.schema.is_none() {
                ext.schema = l.schema.clone();
            }
            if ext.comment.is_none() {
                ext.comment = l.comment.clone();
            }
        }
    }
}

/// Whether the policy lets `change` run.
fn permitted(change: &Change, policy: &Policy) -> bool {
    match policy.mode {
        Mode::Apply => !change.is_destructive() || policy.allow_destructive,
        Mode::ApplySafe => is_additive(change),
        Mode::ValidateOnly | Mode::PlanOnly => false,
    }
}

/// Additive: creates something, or alters it without losing data, dropping or renaming what
/// running code still uses, narrowing a type, or rewriting a table. (A brief ACCESS EXCLUSIVE
/// lock, as `ADD COLUMN` takes, is allowed: `lock_timeout` bounds it.) Apply-safe runs only
/// these.
pub fn is_additive(change: &Change) -> bool {
    matches!(change.kind, ChangeKind::Create | ChangeKind::Alter)
        && !change.hazards.iter().any(|h| {
            h.is_destructive()
                || matches!(
                    h,
                    Hazard::DropsObject | Hazard::RewritesTable | Hazard::NarrowsType
                )
        })
}

/// One line naming a difference the way a validation report does: `missing table
/// public.audit_events`, `extra index public.old_idx`, `differs: column public.users.email`.
pub fn describe(change: &Change) -> String {
    let what = match change.kind {
        ChangeKind::Create => "missing",
        ChangeKind::Drop => "not declared",
        ChangeKind::Alter => "differs:",
        ChangeKind::Rename => "to rename:",
    };
    let mut text = format!("{what} {}", change.object);
    if !change.hazards.is_empty() {
        let codes: Vec<&str> = change.hazards.iter().map(|h| h.code()).collect();
        text.push_str(&format!(" [{}]", codes.join(", ")));
    }
    text
}

/// The validate-only error: every difference with the SQL that fixes it.
fn drift_error(changes: &[Change]) -> Error {
    let mut text = format!(
        "the database schema differs from the declared schema in {} place{}:",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    for c in changes {
        text.push_str(&format!("\n  - {}", describe(c)));
    }
    text.push_str("\nPlease run:\n");
    for c in changes {
        text.push_str(&c.sql());
        text.push('\n');
    }
    Error::new(ErrorKind::Drift, "validating the database schema", text)
}

#[allow(clippy::too_many_arguments)]
fn record(
    client: &mut impl GenericClient,
    hash: &str,
    policy: &Policy,
    plan_sql: &str,
    started_at: std::time::SystemTime,
    started: Instant,
    outcome: &str,
    error: Option<&str>,
) -> Result<(), Error> {
    let started_secs = started_at
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    client
        .execute(
            "INSERT INTO pgdecl.history (schema_hash, mode, plan_sql, started_at, duration_ms,
                                         outcome, error, application_name, pgdecl_version)
             VALUES ($1, $2, $3, to_timestamp($4), $5, $6, $7, $8, $9)",
            &[
                &hash,
                &policy.mode.name(),
                &plan_sql,
                &started_secs,
                &duration_ms,
                &outcome,
                &error,
                &policy.application_name,
                &env!("CARGO_PKG_VERSION"),
            ],
        )
        .map(|_| ())
        .map_err(|e| Error::from_postgres("recording the run in pgdecl.history", e))
}

/// Records a failed run in its own transaction (the failed one was rolled back); a failure
/// to record is logged, never hides the original error.
fn record_failure(
    client: &mut Client,
    hash: &str,
    policy: &Policy,
    plan_sql: &str,
    started_at: std::time::SystemTime,
    started: Instant,
    err: &Error,
) {
    let result = client
        .batch_execute(OWN_TABLES)
        .map_err(|e| Error::from_postgres("", e))
        .and_then(|()| {
            record(
                client,
                hash,
                policy,
                plan_sql,
                started_at,
                started,
                "failed",
                Some(&err.to_string()),
            )
        });
    if let Err(e) = result {
        tracing::warn!(error = %e, "could not record the failed run in pgdecl.history");
    }
}

/// The plan from the live database to `declared`, without changing anything.
pub fn plan(
    client: &mut Client,
    declared: &Schema,
    ignore_schemas: &[String],
) -> Result<Plan, Error> {
    let policy = Policy {
        mode: Mode::PlanOnly,
        ignore_schemas: ignore_schemas.to_vec(),
        ..Policy::default()
    };
    converge(client, declared, &policy).map(|r| r.plan)
}

/// Validates strictly: `Ok` when the live database matches `declared`, else an error that lists
/// every difference and the SQL that fixes it.
pub fn validate(client: &mut Client, declared: &Schema) -> Result<(), Error> {
    converge(client, declared, &Policy::new(Mode::ValidateOnly)).map(|_| ())
}
