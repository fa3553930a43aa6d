//! Audit events: one JSON object per operation (plan, apply, validate, rollback, export), for
//! the log pipeline and compliance trail that migration wrappers feed. [`converge`](super::converge)
//! emits one for every run through `tracing` (target `pgdecl::audit`); the CLI prints the
//! same value with `--json`, and other operations build theirs with [`AuditEvent::from_report`]
//! or [`AuditEvent::from_error`] and [`AuditEvent::emit`] it.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use schema_core::diff::{Hazard, ObjectKind};
use schema_core::Change;
use serde::Serialize;

use super::backup::{BackupOutcome, BackupStatus};
use super::env::Env;
use super::policy::{Mode, Policy};
use super::report::Report;
use crate::error::{Error, ErrorKind};

/// The tracing target audit events are emitted under.
pub const AUDIT_TARGET: &str = "pgdecl::audit";

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    /// Planned (nothing changed).
    Plan,
    /// Applied (or tried to).
    Apply,
    /// Validated (nothing changed).
    Validate,
    /// Rolled back to a schema in history.
    Rollback,
    /// Exported migration files.
    Export,
}

impl Operation {
    /// The operation a converge in `mode` performs (`off` skips an apply).
    pub fn of(mode: Mode) -> Operation {
        match mode {
            Mode::Apply | Mode::ApplySafe | Mode::Off => Operation::Apply,
            Mode::ValidateOnly => Operation::Validate,
            Mode::PlanOnly => Operation::Plan,
        }
    }
}

/// How the operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Changes were applied; the database is in sync.
    Applied,
    /// Nothing to do: the database matches the declaration.
    InSync,
    /// A plan was made (plan-only, export) and it has changes.
    Planned,
    /// Validation found differences.
    Drift,
    /// Changes were withheld by the policy (the applied part, if any, is in `changes`).
    Withheld,
    /// Skipped (`PGDECL_MODE=off`): nothing was read or changed.
    Skipped,
    /// It failed; `error` says why.
    Failed,
}

/// The validation result an event reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validation {
    /// The database matches the declaration (after the run).
    Passed,
    /// It differs.
    Failed,
    /// Not known: the run was skipped or failed before comparing.
    NotRun,
}

/// The error of a failed operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditError {
    /// The stable code, e.g. `lock-timeout`, `drift`, `backup-failed`.
    pub code: String,
    /// The whole message (passwords removed).
    pub message: String,
}

/// One audit event. Field names are stable; every field is always present (`null` when not
/// known).
#[derive(Debug, Clone, Serialize)]
pub struct AuditEvent {
    /// When the operation ended (RFC 3339, UTC).
    pub timestamp: String,
    /// `plan`, `apply`, `validate`, `rollback` or `export`.
    pub operation: Operation,
    /// `applied`, `in-sync`, `planned`, `drift`, `withheld`, `skipped` or `failed`.
    pub outcome: Outcome,
    /// `development`, `staging`, `production`, or `null` when no profile was chosen.
    pub environment: Option<Env>,
    /// The policy's mode (`apply`, `apply-safe`, `validate-only`, `plan-only`, `off`): the
    /// approach taken.
    pub mode: &'static str,
    /// pgdecl's version.
    pub pgdecl_version: &'static str,
    /// The declared schema's hash (the schema's version), when known.
    pub schema_hash: Option<String>,
    /// Whether the database matches the declaration afterwards.
    pub validation: Validation,
    /// The backup before the apply: status, kind, file, size, duration.
    pub backup: BackupOutcome,
    /// How long the operation took, in milliseconds.
    pub duration_ms: u64,
    /// The tables the changes touch (applied ones for an apply, planned ones otherwise).
    pub affected_tables: Vec<String>,
    /// The changes: applied for an apply, planned (the differences) for plan and validate.
    pub changes: Vec<Change>,
    /// Changes the policy withheld.
    pub withheld: Vec<Change>,
    /// Every hazard of `changes` and `withheld`, once each.
    pub hazards: Vec<Hazard>,
    /// Why it failed (also set for drift).
    pub error: Option<AuditError>,
    /// `PGDECL_CORRELATION_ID` (or `CORRELATION_ID`).
    pub correlation_id: Option<String>,
    /// `TRACE_ID`, else the trace id of a W3C `TRACEPARENT` / `traceparent`.
    pub trace_id: Option<String>,
    /// `PGDECL_USER`, else `USER`.
    pub user: Option<String>,
    /// The policy's `application_name`.
    pub application_name: String,
}

impl AuditEvent {
    /// The event of an operation that produced `report`.
    pub fn from_report(
        operation: Operation,
        report: &Report,
        policy: &Policy,
        schema_hash: Option<&str>,
    ) -> AuditEvent {
        AuditEvent::of_run(
            operation,
            policy,
            schema_hash,
            Some(report),
            None,
            report.duration,
        )
    }

    /// The event of an operation that failed with `error` after `duration`.
    pub fn from_error(
        operation: Operation,
        error: &Error,
        policy: &Policy,
        schema_hash: Option<&str>,
        duration: Duration,
    ) -> AuditEvent {
        AuditEvent::of_run(operation, policy, schema_hash, None, Some(error), duration)
    }

    /// The event of a run: its report (also when the verdict on it is an error, as drift is)
    /// and its error.
    pub(crate) fn of_run(
        operation: Operation,
        policy: &Policy,
        schema_hash: Option<&str>,
        report: Option<&Report>,
        error: Option<&Error>,
        duration: Duration,
    ) -> AuditEvent {
        let mut event =
            AuditEvent::without_changes(operation, policy, schema_hash, report, error, duration);
        if let Some(r) = report {
            let changes = if event.writes() {
                &r.applied
            } else {
                &r.plan.changes
            };
            event.set_changes(changes.clone(), r.withheld.clone());
        }
        event
    }

    /// [`AuditEvent::of_run`] with the report's changes moved into the event instead of
    /// copied, so a plan of thousands of changes is not held twice while the event is emitted
    /// (issue 12: peak memory); [`AuditEvent::give_back`] returns them.
    pub(crate) fn of_run_lent(
        operation: Operation,
        policy: &Policy,
        schema_hash: Option<&str>,
        report: Option<&mut Report>,
        error: Option<&Error>,
        duration: Duration,
    ) -> AuditEvent {
        let mut event = AuditEvent::without_changes(
            operation,
            policy,
            schema_hash,
            report.as_deref(),
            error,
            duration,
        );
        if let Some(r) = report {
            let changes = if event.writes() {
                std::mem::take(&mut r.applied)
            } else {
                std::mem::take(&mut r.plan.changes)
            };
            event.set_changes(changes, std::mem::take(&mut r.withheld));
        }
        event
    }

    /// Returns the changes [`AuditEvent::of_run_lent`] took to `report`: moved back, or with
    /// `keep`, copied back so the event keeps them too.
    pub(crate) fn give_back(&mut self, report: &mut Report, keep: bool) {
        let (changes, withheld) = if keep {
            (self.changes.clone(), self.withheld.clone())
        } else {
            (
                std::mem::take(&mut self.changes),
                std::mem::take(&mut self.withheld),
            )
        };
        if self.writes() {
            report.applied = changes;
        } else {
            report.plan.changes = changes;
        }
        report.withheld = withheld;
    }

    /// Whether the event's changes are the applied ones (else the planned ones).
    fn writes(&self) -> bool {
        operation_writes(self.operation)
    }

    /// Sets the changes and what follows from them: the tables they touch and their hazards.
    fn set_changes(&mut self, changes: Vec<Change>, withheld: Vec<Change>) {
        let hazards: BTreeSet<Hazard> = changes
            .iter()
            .chain(&withheld)
            .flat_map(|c| c.hazards.iter().copied())
            .collect();
        self.affected_tables = affected_tables(&changes);
        self.hazards = hazards.into_iter().collect();
        self.changes = changes;
        self.withheld = withheld;
    }

    /// The event without its changes (set by the callers).
    fn without_changes(
        operation: Operation,
        policy: &Policy,
        schema_hash: Option<&str>,
        report: Option<&Report>,
        error: Option<&Error>,
        duration: Duration,
    ) -> AuditEvent {
        let failure = report.and_then(|r| r.failure.as_ref());
        let error = error
            .map(|e| AuditError {
                code: e.code().to_string(),
                message: e.to_string(),
            })
            .or_else(|| {
                failure.map(|f| AuditError {
                    code: f.code.clone(),
                    message: f.message.clone(),
                })
            });
        let writes = operation_writes(operation);
        let outcome = match (report, &error) {
            (Some(r), _) if r.skipped => Outcome::Skipped,
            (_, Some(e)) if e.code == ErrorKind::Drift.code() => Outcome::Drift,
            (_, Some(_)) => Outcome::Failed,
            (None, None) => Outcome::Failed,
            (Some(r), None) if !r.withheld.is_empty() => Outcome::Withheld,
            (Some(r), None) if r.plan.changes.is_empty() => Outcome::InSync,
            (Some(_), None) if writes => Outcome::Applied,
            (Some(_), None) => Outcome::Planned,
        };
        let validation = match (report, outcome) {
            (_, Outcome::InSync | Outcome::Applied) => Validation::Passed,
            (_, Outcome::Drift | Outcome::Withheld | Outcome::Planned) => Validation::Failed,
            _ => Validation::NotRun,
        };
        let backup = report.and_then(|r| r.backup.clone()).unwrap_or_else(|| {
            let why = if !writes {
                "the operation changes nothing"
            } else if outcome == Outcome::InSync {
                "nothing to apply"
            } else if !policy.backup.wanted() {
                "not required by the policy"
            } else {
                "the run ended before a backup was needed"
            };
            BackupOutcome::skipped(&policy.backup.kind, why)
        });
        AuditEvent {
            timestamp: timestamp_rfc3339(SystemTime::now()),
            operation,
            outcome,
            environment: policy.environment,
            mode: policy.mode.name(),
            pgdecl_version: env!("CARGO_PKG_VERSION"),
            schema_hash: schema_hash.map(str::to_string),
            validation,
            backup: if backup.status == BackupStatus::Skipped && backup.detail.is_none() {
                BackupOutcome::skipped(&policy.backup.kind, "not taken")
            } else {
                backup
            },
            duration_ms: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
            affected_tables: Vec::new(),
            changes: Vec::new(),
            withheld: Vec::new(),
            hazards: Vec::new(),
            error,
            correlation_id: var("PGDECL_CORRELATION_ID").or_else(|| var("CORRELATION_ID")),
            trace_id: var("TRACE_ID").or_else(|| {
                var("TRACEPARENT")
                    .or_else(|| var("traceparent"))
                    .and_then(|t| trace_id_of(&t))
            }),
            user: var("PGDECL_USER").or_else(|| var("USER")),
            application_name: policy.application_name.clone(),
        }
    }

    /// The event as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an audit event always serializes")
    }

    /// Emits the event through `tracing`, target [`AUDIT_TARGET`] (`pgdecl::audit`), level
    /// info (warn when it failed), with the JSON as the message and the main fields as
    /// fields of their own.
    pub fn emit(&self) {
        // Serialized only when a subscriber takes the event, and then straight into its
        // formatter: no second copy of a plan's worth of JSON otherwise (issue 12).
        let json = Json(self);
        let operation = serde_json::to_value(self.operation).unwrap_or_default();
        let outcome = serde_json::to_value(self.outcome).unwrap_or_default();
        let (operation, outcome) = (
            operation.as_str().unwrap_or(""),
            outcome.as_str().unwrap_or(""),
        );
        if self.outcome == Outcome::Failed {
            tracing::warn!(target: AUDIT_TARGET, operation, outcome, "{json}");
        } else {
            tracing::info!(target: AUDIT_TARGET, operation, outcome, "{json}");
        }
    }
}

/// Displays as the JSON of the value, written as it is formatted.
struct Json<'a, T: Serialize>(&'a T);

impl<T: Serialize> std::fmt::Display for Json<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        serde_json::to_writer(FmtWriter(f), self.0).map_err(|_| std::fmt::Error)
    }
}

/// Whether `operation`'s changes are the applied ones (else the planned ones).
fn operation_writes(operation: Operation) -> bool {
    matches!(operation, Operation::Apply | Operation::Rollback)
}

/// `io::Write` onto a formatter: serde_json writes whole UTF-8 sequences in each call.
struct FmtWriter<'a, 'b>(&'a mut std::fmt::Formatter<'b>);

impl std::io::Write for FmtWriter<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = std::str::from_utf8(buf).map_err(std::io::Error::other)?;
        self.0.write_str(text).map_err(std::io::Error::other)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The tables `changes` touch, qualified, sorted, once each.
fn affected_tables(changes: &[Change]) -> Vec<String> {
    let tables: BTreeSet<String> = changes
        .iter()
        .filter_map(|c| match (&c.object.table, c.object.kind) {
            (Some(t), _) => Some(t.to_string()),
            (None, ObjectKind::Table) => Some(c.object.name.clone()),
            _ => None,
        })
        .collect();
    tables.into_iter().collect()
}

fn var(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.trim().is_empty())
}

/// The trace id of a W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`).
fn trace_id_of(traceparent: &str) -> Option<String> {
    let id = traceparent.trim().split('-').nth(1)?;
    (id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit())).then(|| id.to_string())
}

/// The civil date and time (UTC) of `t`: (year, month, day, hour, minute, second, millis).
fn civil(t: SystemTime) -> (i64, u32, u32, u32, u32, u32, u32) {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        (rem / 3600) as u32,
        (rem % 3600 / 60) as u32,
        (rem % 60) as u32,
        since.subsec_millis(),
    )
}

/// `2026-12-06T14:08:03.123Z`.
pub(crate) fn timestamp_rfc3339(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s, ms) = civil(t);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
}

/// `20261206T140803Z`, for file names.
pub(crate) fn timestamp_compact(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s, _) = civil(t);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let t = UNIX_EPOCH + Duration::from_millis(1_796_652_483_123);
        assert_eq!(timestamp_rfc3339(t), "2026-12-07T14:08:03.123Z");
        assert_eq!(timestamp_compact(UNIX_EPOCH), "19700101T000000Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(timestamp_compact(leap), "20000229T000000Z");
    }

    #[test]
    fn trace_ids() {
        assert_eq!(
            trace_id_of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").as_deref(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        assert_eq!(trace_id_of("garbage"), None);
    }
}
