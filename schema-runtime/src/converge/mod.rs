//! Converge: one call at start-up that plans the live database against the declared schema and
//! applies, validates or only reports, as the [`Policy`] says.
//!
//! Apply first takes the deploy lease (a row in `pgdecl.deploy_lease`, see `lease`), which it
//! holds through every phase. Then one transaction takes a transaction-scoped advisory lock,
//! re-reads the catalog, applies every transactional change, records a history row and
//! commits: all or nothing. Changes that cannot run in a transaction (`CREATE INDEX
//! CONCURRENTLY`) run after the commit, one by one, with a client-side deadline and the lease
//! renewed between them; the history row says `incomplete` (with what remains) until the last
//! one finished, then `applied`.
//!
//! Split by concern: `policy` (what a run may do), `session` (timeouts, deploy lock), `lease`
//! (one deployer through every phase), `executor` (applying changes), `watchdog` (deadline
//! outside a transaction), `canonical_cache`, `history` (pgdecl's own tables) and
//! `report`; this module orchestrates them.

mod canonical_cache;
mod executor;
mod history;
mod lease;
mod locks;
pub mod plan_file;
mod policy;
mod report;
mod roles;
pub mod rollback;
mod session;
mod watchdog;

use std::collections::BTreeSet;
use std::time::Instant;

use postgres::Client;
use schema_core::diff::{table_locks, ObjectId, TableLock};
use schema_core::{diff, Change, Plan, Schema};

use crate::error::{Error, SchemaProblem};
use crate::introspect::{introspect_in, Scope, Unmodeled};
use executor::{adds_enum_value, apply_in_transaction, apply_outside_transaction, plan_sql};
use history::Run;
use lease::Lease;

pub use canonical_cache::{forget_canonical_forms, schema_hash};
pub use policy::{is_additive, parse_duration, Mode, Policy};
pub use report::{describe, Report};

/// What the first phase of a run saw, for callers that check or record it before anything
/// is applied (plan files, exports): the live schema as read, as compared (prints adopted),
/// the target it is compared with, and the plan.
pub(crate) struct PhaseView<'a> {
    /// The live schema as introspected (undeclared schemas split off), before any print
    /// was adopted: what a plan file fingerprints.
    pub introspected: &'a Schema,
    /// The live schema as the diff sees it.
    pub live: &'a Schema,
    /// The declared schema as the server prints it.
    pub target: &'a Schema,
    /// The plan from `live` to `target`.
    pub plan: &'a Plan,
}

/// A check run on the first phase's [`PhaseView`]; an `Err` stops the run before it applies
/// anything (its transaction rolls back).
pub(crate) type Inspect<'i> = &'i mut dyn FnMut(&PhaseView<'_>) -> Result<(), Error>;

/// Plans `client`'s database against `declared` and acts as `policy` says. See the module docs.
///
/// A declared schema that fails pgdecl's checks (the same the `schema!` macro runs at compile
/// time; a schema built with the builder has not been through them) is refused before the
/// database is touched, with [`Error::InvalidSchema`] listing every problem.
///
/// ```no_run
/// # use schema_core::Schema;
/// # static SCHEMA: std::sync::LazyLock<Schema> = std::sync::LazyLock::new(Schema::default);
/// // At start-up; SCHEMA is what `pgdecl::schema!` generates.
/// let mut client = schema_runtime::connect(&std::env::var("DATABASE_URL")?)?;
/// let report = schema_runtime::converge(&mut client, &SCHEMA, &schema_runtime::Policy::from_env()?)?;
/// println!("{report}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn converge(client: &mut Client, declared: &Schema, policy: &Policy) -> Result<Report, Error> {
    converge_inspecting(client, declared, policy, None)
}

/// [`converge`], with `inspect` run on what the first phase saw before it applies anything.
pub(crate) fn converge_inspecting(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    inspect: Option<Inspect<'_>>,
) -> Result<Report, Error> {
    refuse_invalid(declared)?;
    let report = if writes(policy) {
        // One deployer at a time through every phase: the lease is held from before the
        // transactional phase until the last concurrent index is built, and released on
        // every path.
        lease::with_lease(client, policy, |client, lease| {
            converge_phase(
                client,
                declared,
                policy,
                Some(lease),
                Vec::new(),
                None,
                inspect,
            )
        })?
    } else {
        converge_phase(client, declared, policy, None, Vec::new(), None, inspect)?
    };
    // apply-safe that withheld something is not in sync: an error unless tolerated.
    report::refuse_withheld(&report, policy)?;
    Ok(report)
}

/// True for the modes that may change the database.
fn writes(policy: &Policy) -> bool {
    matches!(policy.mode, Mode::Apply | Mode::ApplySafe)
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

/// One locked transaction, then the changes that must run outside one. `earlier` holds enum
/// values a first phase already committed, recorded as the `incomplete` history row `row`;
/// they are reported and recorded with this phase. `lease` is held by write-capable runs.
fn converge_phase(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    lease: Option<&Lease>,
    earlier: Vec<Change>,
    row: Option<i64>,
    inspect: Option<Inspect<'_>>,
) -> Result<Report, Error> {
    let started = Instant::now();
    let hash = canonical_cache::schema_hash(declared);
    let run = Run {
        declared,
        hash: &hash,
        policy,
        started_at: std::time::SystemTime::now(),
        started,
    };
    let writes = writes(policy);
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
    roles::refuse_missing_roles(&mut tx, declared)?;
    let mut live = introspect_in(&mut tx, &scope)?;
    live.unmodeled
        .extend(split_unmanaged(&mut live.schema, declared));
    let introspected = inspect.as_ref().map(|_| live.schema.clone());
    let canonical = canonical_cache::canonical_for(
        &mut tx,
        declared,
        &hash,
        live.server_version,
        writes,
        &policy.canonical_forms,
    )?;
    // A live fragment created from an older print (a restored dump, `psql -f` of a previous
    // print) is the declared one: take the canonical text before the pure diff compares.
    canonical.adopt_prints(&mut live.schema);
    let mut target = canonical.schema;
    adopt_unspecified(&live.schema, &mut target);
    let mut plan = diff(&live.schema, &target);
    if let (Some(inspect), Some(introspected)) = (inspect, &introspected) {
        inspect(&PhaseView {
            introspected,
            live: &live.schema,
            target: &target,
            plan: &plan,
        })?;
    }
    let (allowed, withheld): (Vec<Change>, Vec<Change>) = plan
        .changes
        .iter()
        .cloned()
        .partition(|c| policy::permitted(c, policy));

    if !writes || (allowed.is_empty() && earlier.is_empty()) {
        // A write-capable run commits even when it changes nothing: pgdecl's own tables and
        // the canonical form it stored must outlive it, so a validate-only role can read them.
        canonical_cache::finish_read(tx, writes)?;
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
        let (labels, rest): (Vec<Change>, Vec<Change>) =
            allowed.into_iter().partition(adds_enum_value);
        let labels_sql = plan_sql(&labels);
        if let Err(err) = apply_in_transaction(&mut tx, &labels, policy) {
            drop(tx); // rolls back
            history::record_failure(client, &run, None, &labels_sql, &labels_sql, &err);
            return Err(err);
        }
        // Recorded as `incomplete` with the labels' commit: a run killed before the rest
        // commits is never taken for a finished one.
        let row = history::record(
            &mut tx,
            &run,
            &labels_sql,
            "incomplete",
            None,
            Some(&plan_sql(&rest)),
        )?;
        tx.commit()
            .map_err(|e| Error::from_postgres("committing new enum values", e))?;
        if let Some(lease) = lease {
            lease.renew(client)?;
        }
        return converge_phase(client, declared, policy, lease, labels, Some(row), None);
    }

    // On PostgreSQL 12 and later `ADD VALUE` runs in a transaction block; only
    // `CREATE INDEX CONCURRENTLY` (and what needs the index) must wait until after the commit.
    let (in_tx, after) = split_at_commit(allowed);
    let recorded: Vec<Change> = earlier
        .iter()
        .chain(&in_tx)
        .chain(&after)
        .cloned()
        .collect();
    let all_sql = plan_sql(&recorded);
    // Every table lock of the transactional part, taken up front in one fixed order, so
    // no table stays locked while the run waits for another (tables the plan creates are
    // new: nobody else can hold them).
    let locks: Vec<TableLock> = table_locks(&in_tx)
        .into_iter()
        .filter(|l| live.schema.tables.iter().any(|t| t.name == l.table))
        .collect();
    let applied_in_tx = locks::acquire_up_front(&mut tx, &locks, policy)
        .and_then(|()| apply_in_transaction(&mut tx, &in_tx, policy));
    if let Err(err) = applied_in_tx {
        drop(tx); // rolls back: nothing of this phase is applied
        let remaining = plan_sql(&[in_tx, after].concat());
        history::record_failure(client, &run, row, &all_sql, &remaining, &err);
        return Err(err);
    }
    // `applied` only when nothing is left for after the commit; else `incomplete` with what
    // remains, until the last concurrent change finished.
    let (outcome, remaining) = if after.is_empty() {
        ("applied", None)
    } else {
        ("incomplete", Some(plan_sql(&after)))
    };
    let row = match row {
        Some(id) => {
            history::finish(
                &mut tx,
                &run,
                id,
                &all_sql,
                outcome,
                None,
                remaining.as_deref(),
            )?;
            id
        }
        None => history::record(&mut tx, &run, &all_sql, outcome, None, remaining.as_deref())?,
    };
    tx.commit()
        .map_err(|e| Error::from_postgres("committing the schema change", e))?;

    // The report covers both phases.
    let mut applied = earlier.clone();
    plan.changes.splice(0..0, earlier);
    applied.extend(in_tx);
    for (i, change) in after.iter().enumerate() {
        // Still ours? Renewing between statements keeps a live deployer's lease; a lost one
        // stops here, before a second deployer could build the same index.
        let done = lease
            .map_or(Ok(()), |lease| lease.renew(client))
            .and_then(|()| apply_after_commit(client, policy, change));
        if let Err(err) = done {
            let remaining = plan_sql(&after[i..]);
            history::record_failure(client, &run, Some(row), &all_sql, &remaining, &err);
            return Err(err);
        }
        applied.push(change.clone());
        let remaining = plan_sql(&after[i + 1..]);
        let (outcome, remaining) = if remaining.is_empty() {
            ("applied", None)
        } else {
            ("incomplete", Some(remaining.as_str()))
        };
        history::finish(client, &run, row, &all_sql, outcome, None, remaining)?;
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

/// The changes of the converge transaction, and those that wait for its commit, each in plan
/// order: the changes that cannot run in a transaction block (`CREATE INDEX CONCURRENTLY`),
/// and every change that needs what one of those creates or re-creates what one of them
/// removes (a unique constraint added `USING INDEX` the concurrent build made, a foreign key
/// onto the columns a new unique index covers). The plan is in dependency order, so one pass
/// finds them all.
fn split_at_commit(changes: Vec<Change>) -> (Vec<Change>, Vec<Change>) {
    let mut waits_for: BTreeSet<ObjectId> = BTreeSet::new();
    let (mut in_tx, mut after) = (Vec::new(), Vec::new());
    for change in changes {
        let waits = !(change.transactional || adds_enum_value(&change))
            || change
                .needs
                .iter()
                .chain(&change.creates)
                .any(|id| waits_for.contains(id));
        if waits {
            waits_for.extend(change.creates.iter().chain(&change.removes).cloned());
            after.push(change);
        } else {
            in_tx.push(change);
        }
    }
    (in_tx, after)
}

/// Runs one change after the converge transaction committed: a `CONCURRENTLY` statement as
/// it is, a transactional change that waited for one in a transaction of its own (the same
/// timeouts, savepoint and lock retries as in the converge transaction).
fn apply_after_commit(client: &mut Client, policy: &Policy, change: &Change) -> Result<(), Error> {
    if !change.transactional {
        return apply_outside_transaction(client, policy, change);
    }
    let mut tx = client
        .transaction()
        .map_err(|e| Error::from_postgres("starting a transaction after the commit", e))?;
    session::set_timeouts(&mut tx, policy)?;
    apply_in_transaction(&mut tx, std::slice::from_ref(change), policy)?;
    tx.commit()
        .map_err(|e| Error::from_postgres(&format!("committing `{change}`"), e))
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
    split!(domains, "domain", name);
    split!(composites, "type", name);
    split!(ranges, "type", name);
    split!(sequences, "sequence", name);
    split!(functions, "function", name);
    split!(tables, "table", name);
    split!(views, "view", name);
    split!(triggers, "trigger on", table);
    split!(row_security, "row level security on", table);
    split!(policies, "policy on", table);
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
///
/// ```no_run
/// # use schema_core::Schema;
/// # static SCHEMA: std::sync::LazyLock<Schema> = std::sync::LazyLock::new(Schema::default);
/// let mut client = schema_runtime::connect("postgresql://app@localhost/app")?;
/// let plan = schema_runtime::plan(&mut client, &SCHEMA, &[])?;
/// print!("{}", plan.to_sql()); // each change under its `-- hazards:` comment
/// # Ok::<(), schema_runtime::Error>(())
/// ```
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
///
/// ```no_run
/// # use schema_core::Schema;
/// # static SCHEMA: std::sync::LazyLock<Schema> = std::sync::LazyLock::new(Schema::default);
/// let mut client = schema_runtime::connect("postgresql://app@localhost/app")?;
/// if let Err(e) = schema_runtime::validate(&mut client, &SCHEMA) {
///     // `drift`: every difference, with the SQL that fixes it.
///     eprintln!("{e}");
///     std::process::exit(1);
/// }
/// # Ok::<(), schema_runtime::Error>(())
/// ```
pub fn validate(client: &mut Client, declared: &Schema) -> Result<(), Error> {
    converge(client, declared, &Policy::new(Mode::ValidateOnly)).map(|_| ())
}
