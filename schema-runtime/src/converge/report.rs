//! What a run reports: the [`Report`] of a converge, one line per difference, and the
//! validate-only error that lists every difference with the SQL that fixes it.

use std::time::Duration;

use schema_core::diff::ChangeKind;
use schema_core::{Change, Plan};

use super::policy::{Mode, Policy};
use crate::error::{Error, ErrorKind};
use crate::introspect::Unmodeled;

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
    /// True if the live database matches the declared schema: every planned change was
    /// applied and none was withheld. A run that withheld anything is never in sync, whatever
    /// the policy tolerated.
    pub fn in_sync(&self) -> bool {
        self.plan.changes.len() == self.applied.len() && self.withheld.is_empty()
    }
}

/// One line per applied and per withheld change, then whether the database is in sync: what
/// a log or a deploy script should show.
impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in &self.applied {
            writeln!(f, "applied: {}", describe(c))?;
        }
        for c in &self.withheld {
            writeln!(f, "withheld by {}: {}", self.mode.name(), describe(c))?;
        }
        if self.in_sync() {
            write!(f, "database schema is up to date")
        } else if self.withheld.is_empty() {
            write!(
                f,
                "database schema differs in {} place(s) ({} changes nothing)",
                self.plan.changes.len(),
                self.mode.name()
            )
        } else {
            write!(
                f,
                "database schema is NOT in sync: {} change(s) withheld",
                self.withheld.len()
            )
        }
    }
}

/// `Err` when an apply-safe run withheld changes and the policy does not tolerate it
/// (`allow_withheld`): the running code may depend on exactly what was withheld (a rename, a
/// type change), so a start that goes on as if deployed would fail later and less clearly.
pub(super) fn refuse_withheld(report: &Report, policy: &Policy) -> Result<(), Error> {
    for c in &report.withheld {
        tracing::warn!(mode = report.mode.name(), change = %describe(c), "withheld by the policy");
    }
    if policy.mode != Mode::ApplySafe || report.withheld.is_empty() || policy.allow_withheld {
        return Ok(());
    }
    let mut text = format!(
        "apply-safe withheld {} change{} that {} not additive{}:",
        report.withheld.len(),
        if report.withheld.len() == 1 { "" } else { "s" },
        if report.withheld.len() == 1 {
            "is"
        } else {
            "are"
        },
        if report.applied.is_empty() {
            String::new()
        } else {
            format!(
                " ({} additive change(s) were applied)",
                report.applied.len()
            )
        }
    );
    for c in &report.withheld {
        text.push_str(&format!("\n  - {}", describe(c)));
    }
    text.push_str("\nTo apply them, review and run (or converge in apply mode):\n");
    for c in &report.withheld {
        text.push_str(&c.sql());
        text.push('\n');
    }
    text.push_str("or set PGDECL_ALLOW_WITHHELD=1 (Policy::allow_withheld) to start without them");
    Err(Error::new(
        ErrorKind::Refused,
        "applying the schema in apply-safe mode",
        text,
    ))
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
pub(super) fn drift_error(changes: &[Change]) -> Error {
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
