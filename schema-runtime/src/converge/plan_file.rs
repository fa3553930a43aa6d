//! Plan files: the plan as data, made against one live schema, reviewed (and approved), then
//! applied exactly, or refused when the database or the declaration moved on since.
//!
//! [`plan_to_file`] runs the planning phase of a converge and writes what it saw: the
//! changes in order (SQL, hazards, lock level, transactional or not, the object each
//! changes), the fingerprint of the live schema the plan was made against
//! ([`fingerprint`]), the declared schema's hash, and the live model itself (so a refusal
//! can name what changed). [`apply_plan_file`] runs an ordinary converge (lease, locks,
//! timeouts, history) whose first phase checks, before anything runs, that the live
//! fingerprint and the declared hash are the file's and that the plan it computes now is the
//! file's, change for change; else it is refused naming what changed.

use std::path::Path;

use postgres::Client;
use schema_core::diff::{ChangeKind, ObjectKind};
use schema_core::{diff, Change, Schema};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::executor::adds_enum_value;
use super::policy::{permitted, Mode, Policy};
use super::report::describe;
use super::{converge_inspecting, schema_hash, PhaseView, Report};
use crate::error::{Error, ErrorKind};

/// The plan file format this pgdecl writes and reads.
pub const PLAN_FILE_VERSION: u32 = 1;

/// A plan as a file: see the module docs. Written and read as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanFile {
    /// [`PLAN_FILE_VERSION`] when written.
    pub format_version: u32,
    /// The pgdecl that made it.
    pub pgdecl_version: String,
    /// When it was made, RFC 3339 in UTC.
    pub created_at: String,
    /// The database it was made against (`current_database()`).
    pub database: String,
    /// The [`fingerprint`] of the live schema it was made against.
    pub live_fingerprint: String,
    /// The declared schema's hash ([`schema_hash`]).
    pub declared_hash: String,
    /// What the policy it was made under lets through: the changes it leaves out are in
    /// `left_out`, and applying the file lets through exactly the same.
    pub gate: Gate,
    /// The changes to run, in order.
    pub changes: Vec<PlannedChange>,
    /// The changes the policy withholds (destructive ones without `allow_destructive`, or
    /// those apply-safe does not run): listed for the reviewer, not applied.
    #[serde(default)]
    pub left_out: Vec<PlannedChange>,
    /// Notes for whoever runs the statements by hand: what was left out, where a
    /// `psql --single-transaction` run must be split.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Who approved it, when: the production gate ([`PlanFile::require_approval`]).
    #[serde(default)]
    pub approval: Option<Approval>,
    /// The live schema it was made against, as introspected: a refusal diffs it with the
    /// schema found at apply time to name what changed.
    pub live_schema: Schema,
}

/// The part of the policy that decides which planned changes run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    /// `apply` or `apply-safe`.
    pub mode: GateMode,
    /// Destructive changes are in `changes` (else in `left_out`).
    pub allow_destructive: bool,
}

/// The write modes a plan file can be made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GateMode {
    /// Every change, destructive ones only when allowed.
    Apply,
    /// Additive changes only.
    ApplySafe,
}

/// One planned change, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedChange {
    /// One line for people: `create column public.accounts.email`.
    pub summary: String,
    /// `create`, `alter`, `drop` or `rename`.
    pub kind: String,
    /// The kind of object it changes (`table`, `column`, `index`, ...).
    pub object_kind: String,
    /// The object it changes, qualified.
    pub object: String,
    /// The table the object belongs to, when it belongs to one.
    pub table: Option<String>,
    /// The SQL it runs: one or more statements, each ending in `;`.
    pub sql: String,
    /// What it risks.
    pub hazards: Vec<PlannedHazard>,
    /// The strongest table lock it takes (`ACCESS EXCLUSIVE`, ..., `none`).
    pub lock: String,
    /// False when it cannot run inside a transaction block (`CREATE INDEX CONCURRENTLY`),
    /// or, for a new enum label, cannot share a transaction with what uses the label.
    pub transactional: bool,
    /// True when one of its hazards loses data.
    pub destructive: bool,
}

/// A hazard of a planned change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedHazard {
    /// Stable kebab-case code (`drops-column`, ...).
    pub code: String,
    /// What will happen.
    pub message: String,
}

/// Who approved a plan file, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// Who approved it (a name, an e-mail, a ticket).
    pub by: String,
    /// When, RFC 3339 in UTC.
    pub at: String,
}

impl PlannedChange {
    /// `change` as data.
    pub fn new(change: &Change) -> PlannedChange {
        PlannedChange {
            summary: change.to_string(),
            kind: change.kind.to_string(),
            object_kind: change.object.kind.to_string(),
            object: change.object.name.clone(),
            table: change.object.table.as_ref().map(ToString::to_string),
            sql: change.sql(),
            hazards: change
                .hazards
                .iter()
                .map(|h| PlannedHazard {
                    code: h.code().to_string(),
                    message: h.message().to_string(),
                })
                .collect(),
            lock: change.lock.to_string(),
            transactional: change.transactional && !adds_enum_value(change),
            destructive: change.is_destructive(),
        }
    }
}

impl Gate {
    /// The gate of `policy` (its write mode; `Apply` for the read-only modes, which is what
    /// `schema plan` shows).
    pub fn of(policy: &Policy) -> Gate {
        Gate {
            mode: match policy.mode {
                Mode::ApplySafe => GateMode::ApplySafe,
                _ => GateMode::Apply,
            },
            allow_destructive: policy.allow_destructive,
        }
    }

    /// `base` with this gate's mode and destructive setting.
    fn policy(self, base: &Policy) -> Policy {
        Policy {
            mode: match self.mode {
                GateMode::Apply => Mode::Apply,
                GateMode::ApplySafe => Mode::ApplySafe,
            },
            allow_destructive: self.allow_destructive,
            // What the plan left out stays out, by design: not a reason to refuse.
            allow_withheld: true,
            ..base.clone()
        }
    }
}

/// True when `change` passes `gate` (`policy` gives the rest of the policy): what a plan file
/// or an export keeps.
pub(crate) fn gate_permits(gate: Gate, change: &Change, policy: &Policy) -> bool {
    permitted(change, &gate.policy(policy))
}

/// A fingerprint of `schema`: the SHA-256 of its model in a canonical serialization, the same
/// for equal schemas whatever order the catalog listed their objects in (the lists of
/// objects, and each table's constraints and indexes, are sorted; column order, which is
/// part of a table, is kept).
pub fn fingerprint(schema: &Schema) -> String {
    let mut value = serde_json::to_value(schema).expect("a Schema always serializes");
    if let serde_json::Value::Object(fields) = &mut value {
        for (key, list) in fields.iter_mut() {
            if key == "tables" {
                for table in list.as_array_mut().into_iter().flatten() {
                    for inner in ["constraints", "indexes"] {
                        if let Some(items) = table.get_mut(inner) {
                            sort_values(items);
                        }
                    }
                }
            }
            if key == "views" {
                for view in list.as_array_mut().into_iter().flatten() {
                    if let Some(items) = view.get_mut("indexes") {
                        sort_values(items);
                    }
                }
            }
            sort_values(list);
        }
    }
    // serde_json's maps are sorted by key: the text is canonical.
    let digest = Sha256::digest(value.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sorts a JSON array by each element's canonical text; anything else is left alone.
fn sort_values(value: &mut serde_json::Value) {
    if let serde_json::Value::Array(items) = value {
        items.sort_by_cached_key(|v| v.to_string());
    }
}

/// What changed between the live schema a plan was made against and the one found now, one
/// line each (`table public.accounts column hand_made added`), as far as the model shows.
pub fn live_changes(planned_against: &Schema, now: &Schema) -> Vec<String> {
    diff(planned_against, now)
        .changes
        .iter()
        .map(|c| {
            let verb = match c.kind {
                ChangeKind::Create => "added",
                ChangeKind::Drop => "removed",
                ChangeKind::Alter => "changed",
                ChangeKind::Rename => "renamed",
            };
            match (&c.object.table, c.object.kind) {
                (Some(table), ObjectKind::Column) => {
                    let column = c
                        .object
                        .name
                        .strip_prefix(&format!("{table}."))
                        .unwrap_or(&c.object.name);
                    format!("table {table} column {column} {verb}")
                }
                _ => format!("{} {verb}", c.object),
            }
        })
        .collect()
}

impl PlanFile {
    /// Reads a plan file written by [`PlanFile::write`] (or [`plan_to_file`]).
    pub fn read(path: &Path) -> Result<PlanFile, Error> {
        let context = format!("reading the plan file {}", path.display());
        let text = std::fs::read_to_string(path).map_err(|e| Error::from_io(&context, e))?;
        let file: PlanFile = serde_json::from_str(&text).map_err(|e| {
            Error::new(
                ErrorKind::Invalid,
                &context,
                format!("it is not a pgdecl plan file ({e}): write one with `schema plan --out`"),
            )
        })?;
        if file.format_version != PLAN_FILE_VERSION {
            return Err(Error::new(
                ErrorKind::Invalid,
                &context,
                format!(
                    "it is plan file format {}, this pgdecl reads format {PLAN_FILE_VERSION}: \
                     make the plan again with this binary",
                    file.format_version
                ),
            ));
        }
        Ok(file)
    }

    /// Writes the plan file as pretty JSON.
    pub fn write(&self, path: &Path) -> Result<(), Error> {
        let text = serde_json::to_string_pretty(self).expect("a plan file always serializes");
        std::fs::write(path, text + "\n")
            .map_err(|e| Error::from_io(&format!("writing the plan file {}", path.display()), e))
    }

    /// Marks the plan approved by `by`, now.
    pub fn approve(&mut self, by: &str) {
        self.approval = Some(Approval {
            by: by.to_string(),
            at: now_rfc3339(),
        });
    }

    /// `Ok` when the plan was approved: the check a production profile that requires
    /// approval runs before [`apply_plan_file`].
    pub fn require_approval(&self) -> Result<(), Error> {
        match &self.approval {
            Some(_) => Ok(()),
            None => Err(Error::new(
                ErrorKind::Refused,
                "applying the plan file",
                "this environment applies approved plans only, and the plan file has no \
                 approval: review it, then approve it (`schema approve --plan FILE --by NAME`, \
                 PlanFile::approve) and apply it again",
            )),
        }
    }

    /// The plan as one script for people who run it by hand: each change's SQL after a
    /// comment with its summary and hazards; a marker before each statement that cannot run
    /// in a transaction block, or after a new enum label (commit before using it), saying
    /// where a `psql --single-transaction -f` run must be split; and at the end, as comments,
    /// the changes the policy left out.
    pub fn script(&self) -> String {
        let mut out = format!(
            "-- pgdecl plan for database {} (made {}, live schema {}, declared schema {})\n",
            self.database,
            self.created_at,
            &self.live_fingerprint[..16.min(self.live_fingerprint.len())],
            self.declared_hash
        );
        for c in &self.changes {
            out.push('\n');
            if !c.transactional {
                out.push_str(&format!("{SPLIT_MARKER} {}\n", split_reason(c)));
            }
            out.push_str(&format!("-- {}", c.summary));
            if !c.hazards.is_empty() {
                let codes: Vec<&str> = c.hazards.iter().map(|h| h.code.as_str()).collect();
                out.push_str(&format!(" (hazards: {})", codes.join(", ")));
            }
            out.push('\n');
            out.push_str(&c.sql);
            out.push('\n');
        }
        if !self.left_out.is_empty() {
            out.push_str(&format!(
                "\n-- left out by the policy ({} change(s); plan with --allow-destructive to \
                 include them):\n",
                self.left_out.len()
            ));
            for c in &self.left_out {
                out.push_str(&format!("--   {}\n", c.summary));
            }
        }
        out
    }
}

/// The comment that starts a statement which must not share a transaction with the ones
/// before it: for people who run plans with `psql --single-transaction -f`.
pub const SPLIT_MARKER: &str = "-- pgdecl: SPLIT HERE:";

/// Why a change must run outside the transaction of the statements around it.
pub(crate) fn split_reason(c: &PlannedChange) -> &'static str {
    if c.sql.contains("CONCURRENTLY") {
        "cannot run inside a transaction block; run it on its own, not under \
         psql --single-transaction"
    } else {
        "a new enum label cannot be used in the transaction that adds it; commit it before \
         the statements that follow (not under psql --single-transaction)"
    }
}

/// Plans `client`'s database against `declared` without changing anything, and returns the
/// plan as a [`PlanFile`]. The changes `policy` would withhold are left out (listed in
/// `left_out`, with a note); `policy.mode` and `allow_destructive` decide, as for an apply
/// (a read-only mode plans as `apply`).
pub fn plan_file(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
) -> Result<PlanFile, Error> {
    let gate = Gate::of(policy);
    let gate_policy = gate.policy(policy);
    let plan_policy = Policy {
        mode: Mode::PlanOnly,
        ..policy.clone()
    };
    let database: String = client
        .query_typed("SELECT current_database()::text", &[])
        .map_err(|e| Error::from_postgres("reading the database's name", e))?[0]
        .get(0);
    let mut seen = None;
    let mut keep = |view: &PhaseView<'_>| -> Result<(), Error> {
        seen = Some((fingerprint(view.introspected), view.introspected.clone()));
        Ok(())
    };
    let report = converge_inspecting(
        client,
        declared,
        &plan_policy,
        crate::converge::Operation::Plan,
        false,
        Some(&mut keep),
    )?;
    let (live_fingerprint, live_schema) = seen.expect("the first phase always runs");
    let (changes, left_out): (Vec<&Change>, Vec<&Change>) = report
        .plan
        .changes
        .iter()
        .partition(|c| permitted(c, &gate_policy));
    let mut notes = Vec::new();
    if !left_out.is_empty() {
        notes.push(format!(
            "{} change(s) left out by the policy ({}): {}",
            left_out.len(),
            gate_policy.mode.name(),
            left_out
                .iter()
                .map(|c| describe(c))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let changes: Vec<PlannedChange> = changes.into_iter().map(PlannedChange::new).collect();
    for c in changes.iter().filter(|c| !c.transactional) {
        notes.push(format!(
            "`{}` {} (marked `{SPLIT_MARKER}` in the script)",
            c.summary,
            split_reason(c)
        ));
    }
    Ok(PlanFile {
        format_version: PLAN_FILE_VERSION,
        pgdecl_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: now_rfc3339(),
        database,
        live_fingerprint,
        declared_hash: schema_hash(declared),
        gate,
        changes,
        left_out: left_out.into_iter().map(PlannedChange::new).collect(),
        notes,
        approval: None,
        live_schema,
    })
}

/// [`plan_file`], written to `path` as JSON.
pub fn plan_to_file(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    path: &Path,
) -> Result<PlanFile, Error> {
    let file = plan_file(client, declared, policy)?;
    file.write(path)?;
    Ok(file)
}

/// Applies exactly the plan of `file` through the converge executor (lease, locks, timeouts,
/// history), with `policy`'s limits and the file's gate (its mode and destructive setting:
/// the changes it left out stay out).
///
/// Refused before anything runs when `declared` is not the schema the plan was made for,
/// when the live schema's fingerprint is not the file's (naming what changed, e.g. `live
/// schema changed since the plan: table public.accounts column hand_made added`), or when the
/// plan computed now is not the file's.
pub fn apply_plan_file(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    file: &PlanFile,
) -> Result<Report, Error> {
    const CONTEXT: &str = "applying the plan file";
    // The production gate: a profile that requires approval applies approved plans only.
    if policy.require_approval {
        file.require_approval()?;
    }
    let hash = schema_hash(declared);
    if hash != file.declared_hash {
        return Err(Error::new(
            ErrorKind::Refused,
            CONTEXT,
            format!(
                "the declared schema changed since the plan was made (the plan is for declared \
                 schema {}, this binary declares {hash}); nothing was changed: make a new plan \
                 with `schema plan --out`",
                file.declared_hash
            ),
        ));
    }
    let gate_policy = file.gate.policy(policy);
    let mut check = |view: &PhaseView<'_>| -> Result<(), Error> {
        if fingerprint(view.introspected) != file.live_fingerprint {
            let changed = live_changes(&file.live_schema, view.introspected);
            let what = if changed.is_empty() {
                "in a way the model does not show".to_string()
            } else {
                changed.join("; ")
            };
            return Err(Error::new(
                ErrorKind::Refused,
                CONTEXT,
                format!(
                    "live schema changed since the plan: {what}. Nothing was changed: make a \
                     new plan with `schema plan --out` and review it"
                ),
            ));
        }
        let (now, left_out): (Vec<&Change>, Vec<&Change>) = view
            .plan
            .changes
            .iter()
            .partition(|c| permitted(c, &gate_policy));
        let same = |now: &[&Change], planned: &[PlannedChange]| {
            now.len() == planned.len() && now.iter().zip(planned).all(|(c, p)| c.sql() == p.sql)
        };
        if !same(&now, &file.changes) || !same(&left_out, &file.left_out) {
            return Err(Error::new(
                ErrorKind::Refused,
                CONTEXT,
                format!(
                    "the plan computed now ({} change(s)) is not the plan file's ({} change(s)) \
                     although the live schema is the same: it was made by another pgdecl \
                     ({}) or edited. Nothing was changed: make a new plan with \
                     `schema plan --out`",
                    now.len(),
                    file.changes.len(),
                    file.pgdecl_version
                ),
            ));
        }
        Ok(())
    };
    converge_inspecting(
        client,
        declared,
        &gate_policy,
        crate::converge::Operation::Apply,
        true,
        Some(&mut check),
    )
}

/// Now, as RFC 3339 in UTC (`2026-12-06T14:08:04Z`).
pub(crate) fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}
