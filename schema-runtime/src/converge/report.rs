//! What a run reports: the [`Report`] of a converge, one line per difference, and the
//! validate-only error that lists every difference with the SQL that fixes it.

use std::time::Duration;

use schema_core::diff::{ChangeKind, ObjectKind};
use schema_core::{Change, Plan};
use serde::Serialize;

use super::backup::BackupOutcome;
use super::policy::{Mode, Policy};
use crate::error::{Error, ErrorKind};
use crate::introspect::Unmodeled;

/// What a converge run found and did.
///
/// Serializes with stable field names: `plan`, `applied`, `withheld`, `unmodeled`, `mode`,
/// `duration_ms`, `skipped`, `failure`, `backup`.
#[derive(Debug, Clone, Serialize)]
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
    #[serde(rename = "duration_ms", serialize_with = "serialize_millis")]
    pub duration: Duration,
    /// True when the run was skipped (`PGDECL_MODE=off`): nothing was read or changed.
    pub skipped: bool,
    /// The error of a failed run that the policy tolerates (`on_failure: continue`, the
    /// development profile): the run stopped there, and the service may start anyway.
    pub failure: Option<RunFailure>,
    /// The backup taken before the apply, when one was taken or attempted.
    pub backup: Option<BackupOutcome>,
}

/// A failure a [`Report`] carries instead of an error (`on_failure: continue`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunFailure {
    /// The error's stable code, e.g. `lock-timeout`.
    pub code: String,
    /// The error's whole message.
    pub message: String,
}

fn serialize_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Report {
    /// True if the live database matches the declared schema: every planned change was
    /// applied and none was withheld. A run that withheld anything is never in sync, whatever
    /// the policy tolerated; nor is one that failed or was skipped.
    pub fn in_sync(&self) -> bool {
        self.plan.changes.len() == self.applied.len()
            && self.withheld.is_empty()
            && self.failure.is_none()
            && !self.skipped
    }

    /// The report of a run that did nothing, in `mode`: the base of a skipped or failed one.
    pub(crate) fn empty(mode: Mode, duration: Duration) -> Report {
        Report {
            plan: Plan::default(),
            applied: Vec::new(),
            withheld: Vec::new(),
            unmodeled: Vec::new(),
            mode,
            duration,
            skipped: false,
            failure: None,
            backup: None,
        }
    }

    /// The report of a skipped run (`PGDECL_MODE=off`).
    pub fn skipped(mode: Mode) -> Report {
        Report {
            skipped: true,
            ..Report::empty(mode, Duration::ZERO)
        }
    }

    /// The report of a run that failed with `err` and that the policy lets the service
    /// survive (`on_failure: continue`).
    pub fn failed(mode: Mode, err: &Error, duration: Duration) -> Report {
        Report {
            failure: Some(RunFailure {
                code: err.code().to_string(),
                message: err.to_string(),
            }),
            ..Report::empty(mode, duration)
        }
    }
}

/// One line per applied and per withheld change, then whether the database is in sync: what
/// a log or a deploy script should show.
impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.skipped {
            return write!(f, "skipped (PGDECL_MODE=off): the database was not read");
        }
        if let Some(failure) = &self.failure {
            return write!(
                f,
                "FAILED ({}), going on as the policy allows (on-failure: continue): {}",
                failure.code, failure.message
            );
        }
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

/// The validate-only error: a one-line summary a person reads first (`missing tables:
/// [namespaces groups targets]; 3 columns differ; run: ...`), then every difference, one line
/// each (a missing table's comment, indexes and triggers are part of its line, not lines of
/// their own), then the SQL that fixes it.
pub(super) fn drift_error(changes: &[Change]) -> Error {
    let groups = group(changes);
    let mut text = summary(&groups);
    text.push_str(&format!(
        "\nthe database schema differs from the declared schema in {} place{}:",
        groups.len(),
        if groups.len() == 1 { "" } else { "s" }
    ));
    for (lead, folded) in &groups {
        text.push_str(&format!("\n  - {}{}", describe(lead), folded_note(folded)));
    }
    text.push_str("\nPlease run:\n");
    for c in changes {
        text.push_str(&c.sql());
        text.push('\n');
    }
    Error::new(ErrorKind::Drift, "validating the database schema", text)
}

/// The changes as differences a person counts: each change that is part of an earlier one
/// (the comment, indexes, constraints and triggers of a missing table; a second change to the
/// same object, such as a table's comment) is folded into it.
fn group(changes: &[Change]) -> Vec<(&Change, Vec<&Change>)> {
    let mut groups: Vec<(&Change, Vec<&Change>)> = Vec::new();
    for change in changes {
        let lead = groups.iter_mut().find(|(lead, _)| part_of(change, lead));
        match lead {
            Some((_, folded)) => folded.push(change),
            None => groups.push((change, Vec::new())),
        }
    }
    groups
}

/// True when `change` is part of the difference `lead` names.
fn part_of(change: &Change, lead: &Change) -> bool {
    if change.object.kind == lead.object.kind && change.object.name == lead.object.name {
        return true;
    }
    let whole_table = lead.object.kind == ObjectKind::Table
        && matches!(lead.kind, ChangeKind::Create | ChangeKind::Drop);
    whole_table
        && change
            .object
            .table
            .as_ref()
            .is_some_and(|t| t.to_string() == lead.object.name)
}

/// ` (with 2 indexes, 1 comment)` for the changes folded into a line.
fn folded_note(folded: &[&Change]) -> String {
    if folded.is_empty() {
        return String::new();
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for change in folded {
        let label = if change.sql().trim_start().starts_with("COMMENT ON") {
            "comment".to_string()
        } else {
            change.object.kind.to_string()
        };
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(label, n)| format!("{n} {}", plural(label, *n)))
        .collect();
    format!(" (with {})", parts.join(", "))
}

/// `kind` in the plural when `n` is not 1.
fn plural(kind: &str, n: usize) -> String {
    if n == 1 || kind.ends_with("privileges") {
        kind.to_string()
    } else if kind.ends_with('x') || kind.ends_with('s') {
        format!("{kind}es")
    } else if let Some(stem) = kind.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{kind}s")
    }
}

/// An object's name as the summary shows it: without `public.`.
fn short_name(change: &Change) -> String {
    let name = change.object.name.as_str();
    name.strip_prefix("public.").unwrap_or(name).to_string()
}

/// The first line of a drift report: what is missing, differs, is extra or to rename, by
/// kind, and the command that fixes it.
fn summary(groups: &[(&Change, Vec<&Change>)]) -> String {
    let mut parts = Vec::new();
    for verb in [
        ChangeKind::Create,
        ChangeKind::Alter,
        ChangeKind::Drop,
        ChangeKind::Rename,
    ] {
        let mut kinds: Vec<(ObjectKind, Vec<String>)> = Vec::new();
        for (lead, _) in groups.iter().filter(|(c, _)| c.kind == verb) {
            match kinds.iter_mut().find(|(k, _)| *k == lead.object.kind) {
                Some((_, names)) => names.push(short_name(lead)),
                None => kinds.push((lead.object.kind, vec![short_name(lead)])),
            }
        }
        for (kind, names) in kinds {
            let n = names.len();
            let what = plural(&kind.to_string(), n);
            let list = || {
                let shown: Vec<&str> = names.iter().take(10).map(String::as_str).collect();
                let more = if n > 10 {
                    format!(" and {} more", n - 10)
                } else {
                    String::new()
                };
                format!("[{}]{more}", shown.join(" "))
            };
            parts.push(match verb {
                ChangeKind::Create => format!("missing {what}: {}", list()),
                ChangeKind::Alter => {
                    format!("{n} {what} differ{}", if n == 1 { "s" } else { "" })
                }
                ChangeKind::Drop => format!("not declared: {what} {}", list()),
                ChangeKind::Rename => format!("{what} to rename: {}", list()),
            });
        }
    }
    let app = std::env::args_os()
        .next()
        .and_then(|a| {
            std::path::Path::new(&a)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "<app>".to_string());
    format!(
        "{}; run: `{app} schema apply`, or the SQL below with `psql -v ON_ERROR_STOP=1 -f FILE`",
        parts.join("; ")
    )
}
