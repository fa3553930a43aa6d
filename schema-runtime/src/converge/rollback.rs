//! History and rollback: the runs `pgdecl.history` recorded, converging back to the declared
//! model a run stored (even when the running binary no longer declares it), and validate runs
//! recorded on request.
//!
//! A rollback is an ordinary converge whose declared schema is the stored model: the same
//! lease, locks, timeouts and history row. Its destructive changes are not quietly withheld
//! as an apply would: the whole rollback is refused, before anything runs, naming each one
//! and its hazards, until destructive changes are allowed.

use std::time::{Instant, SystemTime};

use postgres::Client;
use schema_core::Schema;

use super::history::{self, Run};
use super::policy::{permitted, Mode, Policy};
use super::report::{describe, drift_error, Report};
use super::{converge, converge_inspecting, executor::plan_sql, PhaseView};
use crate::error::{Error, ErrorKind};

pub use super::history::{history, HistoryEntry};

/// The declared model stored with history row `id` (see [`rollback_to`] for the errors).
pub fn stored_model(client: &mut Client, id: i64) -> Result<Schema, Error> {
    history::load_model(client, id)
}

/// Converges the database back to the declared model of history row `id`, as `policy` says
/// (in `Mode::Apply` it changes the database; in `PlanOnly` it only plans).
///
/// Refused, before anything is applied, when the way back has destructive changes (a column
/// a later run added is dropped with its data) and `policy.allow_destructive` is off: the
/// error lists each such change with its hazards. Errors name the row when it does not exist,
/// failed, or was recorded before pgdecl stored models.
pub fn rollback_to(client: &mut Client, id: i64, policy: &Policy) -> Result<Report, Error> {
    let model = history::load_model(client, id)?;
    tracing::info!(run = id, mode = policy.mode.name(), "rolling back");
    let mut refuse_destructive = |view: &PhaseView<'_>| -> Result<(), Error> {
        if policy.mode != Mode::Apply {
            return Ok(());
        }
        let blocked: Vec<_> = view
            .plan
            .changes
            .iter()
            .filter(|c| !permitted(c, policy))
            .collect();
        if blocked.is_empty() {
            return Ok(());
        }
        let mut text = format!(
            "the way back to run {id} has {} destructive change{} (data is lost):",
            blocked.len(),
            if blocked.len() == 1 { "" } else { "s" }
        );
        for c in &blocked {
            text.push_str(&format!("\n  - {}", describe(c)));
            for h in &c.hazards {
                text.push_str(&format!("\n      {}: {}", h.code(), h.message()));
            }
        }
        text.push_str(
            "\nNothing was changed. To roll back anyway, pass --allow-destructive \
             (Policy::allow_destructive); take a backup first.",
        );
        Err(Error::new(
            ErrorKind::Refused,
            &format!("rolling back to run {id}"),
            text,
        ))
    };
    converge_inspecting(
        client,
        &model,
        policy,
        crate::converge::Operation::Rollback,
        false,
        Some(&mut refuse_destructive),
    )
}

/// Validates `declared` against the database and records the run in `pgdecl.history` (mode
/// `validate-only`, outcome `validated`, or `drift` with the SQL that fixes it), for teams
/// that audit validations too. Returns the report when the database matches, else the same
/// drift error as [`super::validate`].
///
/// Recording needs pgdecl's tables (and CREATE on the database the first time): when it
/// fails (a read-only role), the failure is logged and the validation result still returned.
pub fn validate_recorded(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
) -> Result<Report, Error> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let plan_policy = Policy {
        mode: Mode::PlanOnly,
        ..policy.clone()
    };
    let mut report = converge(client, declared, &plan_policy)?;
    report.mode = Mode::ValidateOnly;
    let hash = super::schema_hash(declared);
    let validate_policy = Policy {
        mode: Mode::ValidateOnly,
        ..policy.clone()
    };
    let run = Run {
        declared,
        hash: &hash,
        policy: &validate_policy,
        started_at,
        started,
    };
    if let Err(e) = history::record_validation(client, &run, &plan_sql(&report.plan.changes)) {
        tracing::warn!(error = %e, "could not record the validate run in pgdecl.history");
    }
    if report.plan.changes.is_empty() {
        Ok(report)
    } else {
        Err(drift_error(&report.plan.changes))
    }
}
