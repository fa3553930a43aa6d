//! Converge: one call at start-up that plans the live database against the declared schema and
//! applies, validates or only reports, as the [`Policy`] says.
//!
//! Apply runs in one transaction that first takes a transaction-scoped advisory lock (so it
//! serializes concurrent deployers and still works behind a transaction-pooling PgBouncer),
//! re-reads the catalog under that lock, applies every transactional change, records a history
//! row and commits: all or nothing. Changes that cannot run in a transaction (`CREATE INDEX
//! CONCURRENTLY`) run after the commit, one by one.
//!
//! Split by concern: `policy` (what a run may do), `session` (timeouts, deploy lock),
//! `executor` (applying changes), `canonical_cache`, `history` (pgdecl's own tables) and
//! `report`; this module orchestrates them.

mod canonical_cache;
mod executor;
mod history;
mod policy;
mod report;
mod session;

use std::time::Instant;

use postgres::Client;
use schema_core::{diff, Change, Plan, Schema};

use crate::error::{Error, SchemaProblem};
use crate::introspect::{introspect_in, Scope, Unmodeled};
use executor::{adds_enum_value, apply_in_transaction, apply_outside_transaction, plan_sql};
use history::Run;

pub use canonical_cache::{forget_canonical_forms, schema_hash};
pub use policy::{is_additive, parse_duration, Mode, Policy};
pub use report::{describe, Report};

/// Plans `client`'s database against `declared` and acts as `policy` says. See the module docs.
///
/// A declared schema that fails pgdecl's checks (the same the `schema!` macro runs at compile
/// time; a schema built with the builder has not been through them) is refused before the
/// database is touched, with [`Error::InvalidSchema`] listing every problem.
pub fn converge(client: &mut Client, declared: &Schema, policy: &Policy) -> Result<Report, Error> {
    refuse_invalid(declared)?;
    let report = converge_phase(client, declared, policy, Vec::new())?;
    report::refuse_withheld(&report, policy)?;
    Ok(report)
}

/// `Err` listing every problem [`schema_core::check::check`] finds in `declared`.
fn refuse_invalid(declared: &Schema) -> Result<(), Error> {
    let problems: Vec<SchemaProblem> = schema_core::check::check(declared)
        .iter()
        .map(|diagnostic| SchemaProblem::new(diagnostic, declared))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid_schema(problems))
    }
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
    let hash = canonical_cache::schema_hash(declared);
    let run = Run {
        hash: &hash,
        policy,
        started_at: std::time::SystemTime::now(),
        started,
    };
    let writes = matches!(policy.mode, Mode::Apply | Mode::ApplySafe);
    tracing::info!(mode = policy.mode.name(), schema_hash = %hash, "checking the database schema");

    let mut tx = client
        .transaction()
        .map_err(|e| Error::from_postgres("starting the converge transaction", e))?;
    session::set_timeouts(&mut tx, policy)?;
    if writes {
        session::take_deploy_lock(&mut tx)?;
        history::ensure_own_tables(&mut tx)?;
    }
    session::lock_statements(&mut tx, policy)?;

    let scope = Scope {
        skip: policy.ignore_schemas.clone(),
        ..Scope::default()
    };
    let mut live = introspect_in(&mut tx, &scope)?;
    live.unmodeled
        .extend(split_unmanaged(&mut live.schema, declared));
    let mut canonical =
        canonical_cache::canonical_for(&mut tx, declared, &hash, live.server_version, writes)?;
    adopt_unspecified(&live.schema, &mut canonical);
    let mut plan = diff(&live.schema, &canonical);
    let (allowed, withheld): (Vec<Change>, Vec<Change>) = plan
        .changes
        .iter()
        .cloned()
        .partition(|c| policy::permitted(c, policy));

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
            return Err(report::drift_error(&report.plan.changes));
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
        if let Err(err) = apply_in_transaction(&mut tx, &labels) {
            drop(tx); // rolls back
            history::record_failure(client, &run, &plan_sql(&labels), &err);
            return Err(err);
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
    if let Err(err) = apply_in_transaction(&mut tx, &in_tx) {
        drop(tx); // rolls back: nothing of the plan is applied
        history::record_failure(client, &run, &all_sql, &err);
        return Err(err);
    }
    history::record(&mut tx, &run, &all_sql, "applied", None)?;
    tx.commit()
        .map_err(|e| Error::from_postgres("committing the schema change", e))?;

    // The report covers both phases.
    let mut applied = earlier.clone();
    plan.changes.splice(0..0, earlier);
    applied.extend(in_tx);
    for change in after {
        if let Err(err) = apply_outside_transaction(client, policy, &change) {
            history::record_failure(client, &run, &change.sql(), &err);
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
