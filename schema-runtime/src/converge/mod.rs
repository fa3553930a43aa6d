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
//!
//! Operations (issue 11): `env` (profiles per environment), `deadline` (the whole-run
//! limit), `backup` (before an apply), `audit` (one event per run), `ignore` (name patterns
//! left alone), `create_db` (a missing database).

mod audit;
mod backup;
mod canonical_cache;
mod create_db;
mod deadline;
mod env;
mod executor;
mod history;
mod ignore;
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

use crate::error::{Error, ErrorKind, SchemaProblem};
use crate::introspect::{introspect_in_sharing, Scope, SecondConnection, Unmodeled};
use executor::{adds_enum_value, apply_in_transaction, apply_outside_transaction, plan_sql};
use history::Run;
use lease::Lease;

pub use audit::{AuditError, AuditEvent, Operation, Outcome, Validation, AUDIT_TARGET};
pub use backup::{BackupHook, BackupOutcome, BackupPolicy, BackupRequest, BackupStatus};
pub use canonical_cache::{forget_canonical_forms, schema_hash};
pub use create_db::create_database_if_missing;
pub use env::{Env, OnFailure};
pub use ignore::IgnorePatterns;
pub(crate) use policy::parse_bool;
pub use policy::{is_additive, parse_duration, Mode, Policy};
pub use report::{describe, Report, RunFailure};

use deadline::Deadline;

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
///
/// Every run emits one [`AuditEvent`] through `tracing` (target `pgdecl::audit`);
/// [`converge_audited`] also returns it. In [`Mode::Off`] nothing is read. With
/// [`OnFailure::Continue`] a failure is logged and returned as `Ok` with
/// [`Report::failure`] set.
pub fn converge(client: &mut Client, declared: &Schema, policy: &Policy) -> Result<Report, Error> {
    converge_keeping(client, declared, policy, false).0
}

/// [`converge`], and the audit event of the run (already emitted through `tracing`): what
/// the CLI prints with `--json`.
pub fn converge_audited(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
) -> (Result<Report, Error>, AuditEvent) {
    converge_keeping(client, declared, policy, true)
}

/// [`converge_audited`] on `client`, connected with `settings`: the live read of a large
/// declaration shares its queries with a second connection made with the same settings, as
/// [`converge_url`]'s does. For the command line, which keeps its client for what follows.
/// The event holds the changes only with `keep_changes`.
pub(crate) fn converge_sharing(
    client: &mut Client,
    settings: &crate::connect::ConnectSettings,
    declared: &Schema,
    policy: &Policy,
    keep_changes: bool,
) -> (Result<Report, Error>, AuditEvent) {
    let second = shares_the_read(declared).then(|| SecondConnection::new(settings.clone()));
    converge_with(
        client,
        declared,
        policy,
        keep_changes,
        second,
        Instant::now(),
    )
}

/// [`converge_audited`]; the event returned holds the changes only with `keep_changes` (else
/// they were lent to it while it was emitted: see [`finish`]).
fn converge_keeping(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    keep_changes: bool,
) -> (Result<Report, Error>, AuditEvent) {
    converge_with(client, declared, policy, keep_changes, None, Instant::now())
}

/// [`converge_keeping`], the live read sharing its queries with `second` when given; the
/// run's duration counts from `started` (a run from a URL counts its connection too).
fn converge_with(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    keep_changes: bool,
    second: Option<SecondConnection>,
    started: Instant,
) -> (Result<Report, Error>, AuditEvent) {
    if policy.mode == Mode::Off {
        return skip(declared, policy);
    }
    let mut ops = RunOps::new(policy, declared);
    ops.second = second;
    let hash = ops.hash.clone();
    let outcome = converge_run(client, declared, policy, ops);
    finish(
        Operation::of(policy.mode),
        &hash,
        policy,
        started,
        outcome,
        keep_changes,
    )
}

/// [`converge`], with `inspect` run on what the first phase saw before it applies anything
/// (plan files, rollback, export), audited as `operation`. `approved`: the changes were reviewed (an applied plan
/// file), which the approval gate of [`Policy::require_approval`] lets through. A failure is
/// always an error here, whatever [`Policy::on_failure`] says: these are explicit commands.
pub(crate) fn converge_inspecting(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    operation: Operation,
    approved: bool,
    inspect: Option<Inspect<'_>>,
) -> Result<Report, Error> {
    let policy = Policy {
        on_failure: OnFailure::Fail,
        ..policy.clone()
    };
    let started = Instant::now();
    let mut ops = RunOps::new(&policy, declared);
    ops.approved = approved;
    ops.inspect = inspect;
    let hash = ops.hash.clone();
    let outcome = converge_run(client, declared, &policy, ops);
    finish(operation, &hash, &policy, started, outcome, false).0
}

/// [`converge`] from a URL, the start-up call that also covers what needs the URL:
/// `PGDECL_MODE=off` returns before connecting; with [`Policy::create_database`] a run that
/// may write first creates the missing database ([`create_database_if_missing`]); the backup
/// hook gets the URL's connection (password included, exported as `PGPASSWORD`). A failure
/// to connect is a failure of the run (logged, audited, and tolerated with
/// [`OnFailure::Continue`]).
pub fn converge_url(url: &str, declared: &Schema, policy: &Policy) -> Result<Report, Error> {
    converge_url_keeping(url, declared, policy, false).0
}

/// [`converge_url`], and the audit event of the run.
pub fn converge_url_audited(
    url: &str,
    declared: &Schema,
    policy: &Policy,
) -> (Result<Report, Error>, AuditEvent) {
    converge_url_keeping(url, declared, policy, true)
}

/// [`converge_url_audited`]; the event holds the changes only with `keep_changes`.
fn converge_url_keeping(
    url: &str,
    declared: &Schema,
    policy: &Policy,
    keep_changes: bool,
) -> (Result<Report, Error>, AuditEvent) {
    if policy.mode == Mode::Off {
        return skip(declared, policy);
    }
    let started = Instant::now();
    let connected = (|| {
        if policy.create_database && writes(policy) {
            create_database_if_missing(url)?;
        }
        let settings = crate::connect::ConnectSettings::from_conninfo(url)?;
        Ok::<_, Error>((settings.connect()?, settings))
    })();
    match connected {
        Ok((mut client, settings)) => {
            let mut policy = policy.clone();
            if policy.backup.url.is_none() {
                policy.backup.url = Some(url.to_string());
            }
            let second = shares_the_read(declared).then(|| SecondConnection::new(settings));
            converge_with(
                &mut client,
                declared,
                &policy,
                keep_changes,
                second,
                started,
            )
        }
        Err(e) => finish(
            Operation::of(policy.mode),
            &canonical_cache::schema_hash(declared),
            policy,
            started,
            (None, Err(e)),
            keep_changes,
        ),
    }
}

/// The skipped run of `PGDECL_MODE=off`: logged, audited, nothing read.
fn skip(declared: &Schema, policy: &Policy) -> (Result<Report, Error>, AuditEvent) {
    tracing::info!("PGDECL_MODE=off: skipping the schema run; the database was not read");
    let outcome = (Some(Report::skipped(policy.mode)), Ok(()));
    finish(
        Operation::of(policy.mode),
        &canonical_cache::schema_hash(declared),
        policy,
        Instant::now(),
        outcome,
        true,
    )
}

/// What a run found (its report, when it got that far) and the verdict on it.
type RunOutcome = (Option<Report>, Result<(), Error>);

/// Emits the run's audit event (for the declared schema of hash `hash`) and applies the
/// policy's on-failure behaviour. The report's changes are lent to the event while it is
/// emitted rather than copied; the event returned keeps a copy only with `keep_changes` (the
/// caller returns it), so a plan of thousands of changes is held once (issue 12: peak memory).
fn finish(
    operation: Operation,
    hash: &str,
    policy: &Policy,
    started: Instant,
    (mut report, verdict): RunOutcome,
    keep_changes: bool,
) -> (Result<Report, Error>, AuditEvent) {
    let mut event = AuditEvent::of_run_lent(
        operation,
        policy,
        Some(hash),
        report.as_mut(),
        verdict.as_ref().err(),
        started.elapsed(),
    );
    event.emit();
    if let Some(report) = report.as_mut() {
        event.give_back(report, keep_changes);
    }
    let result = match (verdict, report) {
        (Ok(()), Some(report)) => Ok(report),
        (Ok(()), None) => unreachable!("a run without a report has an error"),
        (Err(e), report) if policy.on_failure == OnFailure::Continue => {
            tracing::error!(
                error = %e,
                "the schema run failed; going on as the policy allows (on-failure: continue)"
            );
            let failed = Report::failed(policy.mode, &e, started.elapsed());
            Ok(match report {
                // What the run found stays in the report (the differences of a drift).
                Some(report) => Report {
                    failure: failed.failure,
                    ..report
                },
                None => failed,
            })
        }
        (Err(e), _) => Err(e),
    };
    (result, event)
}

/// What a run carries through its phases besides the policy: its deadline, the backup taken
/// (once, before the first change), and whether its changes are approved (the plan-file flow
/// sets that; `converge` plans afresh, so its changes are not), and the check a caller runs
/// on what a phase saw before it applies anything ([`converge_inspecting`]).
pub(crate) struct RunOps<'i> {
    deadline: Deadline,
    backup: Option<BackupOutcome>,
    approved: bool,
    inspect: Option<Inspect<'i>>,
    /// The declared schema's [`schema_hash`], computed once per run: it serializes the whole
    /// model (13 ms at 1000 tables), and the check, every phase and the audit event need it.
    hash: String,
    /// A second connection to the database, for the live read to share its queries with
    /// (runs given a URL, of a schema large enough for it to pay: [`shares_the_read`]).
    second: Option<SecondConnection>,
}

impl<'i> RunOps<'i> {
    /// A run of `declared` starting now under `policy`, its changes not approved, nothing to
    /// inspect.
    pub(crate) fn new(policy: &Policy, declared: &Schema) -> RunOps<'i> {
        RunOps {
            deadline: Deadline::start(policy),
            backup: None,
            approved: false,
            inspect: None,
            hash: canonical_cache::schema_hash(declared),
            second: None,
        }
    }
}

/// Whether the live read of a run planning `declared` shares its queries with a second
/// connection. The catalog read grows with the database, and a large declaration is the
/// sign of a large database; below a few hundred tables the read takes tens of
/// milliseconds, and a second backend would cost the server about what it saves.
fn shares_the_read(declared: &Schema) -> bool {
    declared.tables.len() + declared.functions.len() + declared.views.len() >= SHARED_READ_FROM
}

/// See [`shares_the_read`].
const SHARED_READ_FROM: usize = 500;

/// The run itself: the report, and the verdict on it (drift in validate-only, changes
/// withheld in apply-safe).
fn converge_run(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    mut ops: RunOps<'_>,
) -> RunOutcome {
    if let Err(e) = refuse_invalid(declared, &ops.hash) {
        return (None, Err(e));
    }
    // No single wait may outlive the run.
    let capped = ops.deadline.cap(policy);
    let deadline = ops.deadline;
    let report = if writes(policy) {
        // One deployer at a time through every phase: the lease is held from before the
        // transactional phase until the last concurrent index is built, and released on
        // every path.
        lease::with_lease(client, &capped, |client, lease| {
            converge_phase(
                client,
                declared,
                &capped,
                Some(lease),
                Vec::new(),
                None,
                &mut ops,
            )
        })
    } else {
        converge_phase(client, declared, &capped, None, Vec::new(), None, &mut ops)
    };
    match report {
        Ok(report) => {
            let verdict = verdict(&report, policy);
            (Some(report), verdict)
        }
        Err(e) => (None, Err(deadline.explain(e))),
    }
}

/// `Err` when the run's result is not what the mode promises: differences in validate-only
/// (every one listed with its fix), or changes apply-safe withheld, unless tolerated.
fn verdict(report: &Report, policy: &Policy) -> Result<(), Error> {
    if policy.mode == Mode::ValidateOnly && !report.plan.changes.is_empty() {
        return Err(report::drift_error(&report.plan.changes));
    }
    // apply-safe that withheld something is not in sync: an error unless tolerated.
    report::refuse_withheld(report, policy)
}

/// `Err` when the policy needs approved changes (production) and these were planned afresh:
/// names the changes and the plan-file flow that gets them approved.
fn refuse_unapproved(policy: &Policy, ops: &RunOps<'_>, allowed: &[Change]) -> Result<(), Error> {
    if !policy.require_approval || ops.approved || allowed.is_empty() {
        return Ok(());
    }
    let who = policy
        .environment
        .map(|e| format!("the {e} profile"))
        .unwrap_or_else(|| "the policy".to_string());
    let mut text = format!(
        "{who} requires an approved plan before an apply (PGDECL_REQUIRE_APPROVAL), and this          run planned afresh: nothing was applied. The {} change{} it would run:",
        allowed.len(),
        if allowed.len() == 1 { "" } else { "s" }
    );
    for c in allowed {
        text.push_str(&format!("\n  - {}", describe(c)));
    }
    text.push_str(
        "\nWrite the plan with `<app> schema plan --out plan.json`, have it reviewed, and apply \
         exactly that plan with `<app> schema apply --plan plan.json` (or \
         PGDECL_APPROVED_PLAN=plan.json); where no approval is needed, set \
         PGDECL_REQUIRE_APPROVAL=false",
    );
    if let Some(plan) = &policy.approved_plan {
        text.push_str(&format!(
            "\n(PGDECL_APPROVED_PLAN={} is set: apply it through the plan-file flow, which \
             checks it against the database, not through converge)",
            plan.display()
        ));
    }
    Err(Error::new(ErrorKind::Refused, "applying the schema", text))
}

/// Records an apply the backup refused: a `failed` history row with the backup's outcome.
/// A failure to record is logged, never hides the original error.
fn record_refused(
    client: &mut Client,
    run: &Run<'_>,
    allowed: &[Change],
    outcome: &BackupOutcome,
    err: &Error,
) {
    let sql = plan_sql(allowed);
    let message = err.to_string();
    let recorded = history::record(client, run, &sql, "failed", Some(&message), Some(&sql))
        .and_then(|id| backup::record(client, id, outcome));
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "could not record the refused run in pgdecl.history");
    }
}

/// True for the modes that may change the database.
fn writes(policy: &Policy) -> bool {
    matches!(policy.mode, Mode::Apply | Mode::ApplySafe)
}

/// `Err` listing every problem [`schema_core::check::check`] finds in `declared`. A schema
/// that passed once in this process (by its hash) is not checked again: the check parses
/// every expression, which at thousands of tables cost more than the rest of a cached plan
/// (issue 12), and its verdict depends on nothing but the schema.
fn refuse_invalid(declared: &Schema, hash: &str) -> Result<(), Error> {
    static PASSED: std::sync::Mutex<Option<std::collections::HashSet<String>>> =
        std::sync::Mutex::new(None);
    let passed = |set: &Option<std::collections::HashSet<String>>| {
        set.as_ref().is_some_and(|s| s.contains(hash))
    };
    if PASSED.lock().map(|p| passed(&p)).unwrap_or(false) {
        return Ok(());
    }
    let problems: Vec<SchemaProblem> = schema_core::check::check(declared)
        .iter()
        .map(|diagnostic| SchemaProblem::new(diagnostic, declared))
        .collect();
    if problems.is_empty() {
        if let Ok(mut p) = PASSED.lock() {
            p.get_or_insert_with(Default::default)
                .insert(hash.to_string());
        }
        Ok(())
    } else {
        Err(Error::invalid_schema(problems))
    }
}

/// One locked transaction, then the changes that must run outside one. `earlier` holds enum
/// values a first phase already committed, recorded as the `incomplete` history row `row`;
/// they are reported and recorded with this phase. `lease` is held by write-capable runs.
/// `ops` carries the run's deadline, its backup and whether its changes are approved.
fn converge_phase(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    lease: Option<&Lease>,
    earlier: Vec<Change>,
    row: Option<i64>,
    ops: &mut RunOps<'_>,
) -> Result<Report, Error> {
    ops.deadline.check("the next phase of the run")?;
    let started = Instant::now();
    let hash = ops.hash.clone();
    let run = Run {
        declared,
        hash: &hash,
        policy,
        started_at: std::time::SystemTime::now(),
        started,
    };
    let writes = writes(policy);
    tracing::info!(mode = policy.mode.name(), schema_hash = %hash, "checking the database schema");

    // Past the run's deadline, whatever runs in the transaction is cancelled: it rolls back.
    let alarm = ops.deadline.alarm(client.cancel_token());
    let mut tx = client
        .transaction()
        .map_err(|e| Error::from_postgres("starting the converge transaction", e))?;
    let server_version = session::set_timeouts_reading_version(&mut tx, policy)?;
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
    // The canonical form first, the live catalog after: a cold canonicalization (a few
    // copies of the schema at a time) then never runs while the live schema is held too
    // (issue 12: peak memory). Canonicalizing leaves nothing the read sees (its builds roll
    // back; a stored form goes to pgdecl's own schema, which introspection skips).
    let canonical = canonical_cache::canonical_for(
        &mut tx,
        declared,
        &hash,
        server_version,
        writes,
        &policy.canonical_forms,
    )?;
    let (mut live, _) = introspect_in_sharing(&mut tx, &scope, ops.second.as_ref(), None)?;
    let ignored = policy
        .ignore
        .retain_live(&mut live.schema, &mut live.unmodeled, declared);
    if ignored > 0 {
        tracing::info!(
            count = ignored,
            "live objects left alone by name (PGDECL_IGNORE)"
        );
    }
    live.unmodeled
        .extend(split_unmanaged(&mut live.schema, declared));
    // Held through the diff: without the slack of the catalog read (issue 12).
    live.schema.shrink_to_fit();
    // The caller's check sees every phase that plans afresh (the first, and the one after a
    // backup), not the continuation after new enum labels committed (`earlier` holds them).
    let introspected = (ops.inspect.is_some() && earlier.is_empty()).then(|| live.schema.clone());
    // A live fragment created from an older print (a restored dump, `psql -f` of a previous
    // print) is the declared one: take the canonical text before the pure diff compares.
    canonical.adopt_prints(&mut live.schema);
    // The diff reads the form this process caches, not a copy of it (a whole schema: issue
    // 12, peak memory). What the declaration leaves open plans nothing without adopting the
    // live value (see `adopt_unspecified`), so only an inspector, which compares the target
    // itself, sees a target with it adopted.
    let mut plan = diff(&live.schema, &canonical.schema);
    if let (Some(inspect), Some(introspected)) = (ops.inspect.as_mut(), &introspected) {
        let adopted = adopts_unspecified(&live.schema, &canonical.schema).then(|| {
            let mut target = canonical.schema.clone();
            adopt_unspecified(&live.schema, &mut target);
            target
        });
        inspect(&PhaseView {
            introspected,
            live: &live.schema,
            target: adopted.as_ref().unwrap_or(&canonical.schema),
            plan: &plan,
        })?;
    }
    drop(canonical);
    // A read-only run reports neither (below): no second copy of a plan of thousands of
    // changes (issue 12: peak memory of a cold plan).
    let (allowed, withheld): (Vec<Change>, Vec<Change>) = if writes {
        plan.changes
            .iter()
            .cloned()
            .partition(|c| policy::permitted(c, policy))
    } else {
        (Vec::new(), Vec::new())
    };

    if !writes || (allowed.is_empty() && earlier.is_empty()) {
        // A write-capable run commits even when it changes nothing: pgdecl's own tables and
        // the canonical form it stored must outlive it, so a validate-only role can read them.
        canonical_cache::finish_read(tx, writes)?;
        let report = Report {
            applied: Vec::new(),
            withheld: if writes { withheld } else { Vec::new() },
            plan,
            unmodeled: live.unmodeled,
            backup: ops.backup.clone(),
            ..Report::empty(policy.mode, started.elapsed())
        };
        if report.plan.changes.is_empty() {
            tracing::info!("database schema is up to date");
        }
        // Drift in validate-only is the caller's verdict (`verdict`), which keeps the report
        // for the audit event.
        if !report.withheld.is_empty() {
            tracing::warn!(
                count = report.withheld.len(),
                "changes withheld by the policy"
            );
        }
        return Ok(report);
    }

    // The gates before the first change: an approved plan where the policy needs one, then
    // the backup, taken outside this transaction (a dump must not wait for the locks it
    // holds), after which the run plans again under a fresh lock.
    if earlier.is_empty() {
        refuse_unapproved(policy, ops, &allowed)?;
        if ops.backup.is_none() && policy.backup.wanted() {
            drop(tx); // rolls back: nothing was changed yet
            drop(alarm);
            let taken = backup::take(client, policy, lease, ops.deadline.at());
            match taken {
                Ok(outcome) => {
                    ops.backup = Some(outcome);
                    if let Some(lease) = lease {
                        lease.renew(client)?;
                    }
                    return converge_phase(client, declared, policy, lease, earlier, row, ops);
                }
                Err(failed) => {
                    let (outcome, err) = *failed;
                    record_refused(client, &run, &allowed, &outcome, &err);
                    ops.backup = Some(outcome);
                    return Err(err);
                }
            }
        }
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
            drop(alarm);
            let err = ops.deadline.explain(err);
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
        if let Some(outcome) = &ops.backup {
            backup::record(&mut tx, row, outcome)?;
        }
        ops.deadline.check("committing new enum values")?;
        drop(alarm);
        tx.commit()
            .map_err(|e| Error::from_postgres("committing new enum values", e))?;
        if let Some(lease) = lease {
            lease.renew(client)?;
        }
        return converge_phase(client, declared, policy, lease, labels, Some(row), ops);
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
    // Past the deadline, the run stops before it commits: nothing of this phase is applied.
    let applied_in_tx =
        applied_in_tx.and_then(|()| ops.deadline.check("committing the schema change"));
    if let Err(err) = applied_in_tx {
        drop(tx); // rolls back: nothing of this phase is applied
        drop(alarm);
        let err = ops.deadline.explain(err);
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
        None => {
            let id = history::record(&mut tx, &run, &all_sql, outcome, None, remaining.as_deref())?;
            if let Some(backup) = &ops.backup {
                backup::record(&mut tx, id, backup)?;
            }
            id
        }
    };
    drop(alarm);
    tx.commit()
        .map_err(|e| Error::from_postgres("committing the schema change", e))?;

    // The report covers both phases.
    let mut applied = earlier.clone();
    plan.changes.splice(0..0, earlier);
    applied.extend(in_tx);
    for (i, change) in after.iter().enumerate() {
        // Still ours? Renewing between statements keeps a live deployer's lease; a lost one
        // stops here, before a second deployer could build the same index.
        // Each concurrent change starts only before the run's deadline, with its statement
        // limit capped by the time left.
        let done = ops
            .deadline
            .check("the next change after the commit (what remains is recorded; the next run completes it)")
            .and_then(|()| lease.map_or(Ok(()), |lease| lease.renew(client)))
            .and_then(|()| apply_after_commit(client, &ops.deadline.cap(policy), change));
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
        backup: ops.backup.clone(),
        ..Report::empty(policy.mode, started.elapsed())
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
///
/// The plan from live to canonical is the same with or without it (the extension diff moves
/// an extension only between two named schemas and comments one only where a comment is
/// declared), so converge diffs against the cached form as it is; a target compared the
/// other way (export's way down) needs it.
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

/// Whether [`adopt_unspecified`] changes anything in `canonical`.
fn adopts_unspecified(live: &Schema, canonical: &Schema) -> bool {
    canonical.extensions.iter().any(|ext| {
        live.extensions.iter().any(|l| {
            l.name == ext.name
                && ((ext.schema.is_none() && l.schema.is_some())
                    || (ext.comment.is_none() && l.comment.is_some()))
        })
    })
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
