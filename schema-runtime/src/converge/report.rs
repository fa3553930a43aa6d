//! What a run reports: the [`Report`] of a converge, one line per difference, and the
//! validate-only error that lists every difference with the SQL that fixes it.

use std::time::Duration;

use schema_core::diff::ChangeKind;
use schema_core::{Change, Plan};

use super::policy::Mode;
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
    /// True if the live database matches the declared schema.
    pub fn in_sync(&self) -> bool {
        self.plan.changes.len() == self.applied.len() && self.withheld.is_empty()
    }
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
