//! The `--json` output of both command lines, as data: `pgdecl diff --json` and `app plan
//! --json` print a [`PlanJson`]; the app's other commands print an [`OutcomeJson`].
//!
//! These are the CLI's own serializable views of [`Plan`] and [`Change`], so the field names
//! here are the stable machine-readable contract, whatever the model's internals become.

use schema_core::{Change, Plan};
use serde::Serialize;

use crate::error::Error;
use crate::introspect::Unmodeled;

/// A plan as `--json` prints it: every change in order, with what it risks and whether it
/// was withheld, then the notes.
#[derive(Debug, Clone, Serialize)]
pub struct PlanJson {
    /// True when there is nothing to change.
    pub in_sync: bool,
    /// The changes, in the order they must run (withheld ones included, flagged).
    pub changes: Vec<ChangeJson>,
    /// How many changes are withheld (destructive ones without `--allow-destructive`, or
    /// non-additive ones in apply-safe mode).
    pub withheld: usize,
    /// True when some change creates or replaces a function: run the statements with
    /// `check_function_bodies = false`, as the printed SQL does.
    pub defines_functions: bool,
    /// Objects a side holds that pgdecl does not model, left out of the plan.
    pub not_modelled: Vec<NotModelledJson>,
    /// Other remarks for a person: how SQL fragments were compared, what was loaded where.
    pub notes: Vec<String>,
}

/// One change of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeJson {
    /// `create`, `drop`, `alter` or `rename`.
    pub kind: String,
    /// The object it is about.
    pub object: ObjectJson,
    /// The statements it runs, each ending in `;`, idempotent.
    pub statements: Vec<String>,
    /// What it risks.
    pub hazards: Vec<HazardJson>,
    /// The strongest table lock it takes: `none`, `SHARE UPDATE EXCLUSIVE`, `SHARE`,
    /// `SHARE ROW EXCLUSIVE` or `ACCESS EXCLUSIVE`.
    pub lock: String,
    /// False when it cannot run inside a transaction block.
    pub transactional: bool,
    /// True when a hazard loses data or breaks users of the schema (it needs an explicit
    /// allow).
    pub destructive: bool,
    /// True when the policy withholds it: it is not in the printed SQL and was not applied.
    pub withheld: bool,
}

/// The object a change is about.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectJson {
    /// The kind, e.g. `table`, `column`, `materialized view`.
    pub kind: String,
    /// Its identity as SQL prints it, e.g. `public.users.email`.
    pub name: String,
    /// The table a column, constraint, index, trigger or policy belongs to.
    pub table: Option<String>,
}

/// One hazard of a change.
#[derive(Debug, Clone, Serialize)]
pub struct HazardJson {
    /// The stable kebab-case code, e.g. `rewrites-table`.
    pub code: &'static str,
    /// What will happen.
    pub message: &'static str,
    /// What to do about it.
    pub help: &'static str,
    /// True when it needs an explicit allow.
    pub destructive: bool,
}

/// An object pgdecl does not model, left out.
#[derive(Debug, Clone, Serialize)]
pub struct NotModelledJson {
    /// `from` or `to` for `pgdecl diff`; absent for the app's commands (the live database).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<&'static str>,
    /// What kind of object, e.g. `aggregate`.
    pub kind: String,
    /// Its qualified name.
    pub name: String,
}

impl NotModelledJson {
    pub(crate) fn new(side: Option<&'static str>, u: &Unmodeled) -> NotModelledJson {
        NotModelledJson {
            side,
            kind: u.kind.clone(),
            name: u.name.clone(),
        }
    }
}

impl ChangeJson {
    /// `change` as data; `withheld` says whether the policy keeps it back.
    pub fn new(change: &Change, withheld: bool) -> ChangeJson {
        ChangeJson {
            kind: change.kind.to_string(),
            object: ObjectJson {
                kind: change.object.kind.to_string(),
                name: change.object.name.clone(),
                table: change.object.table.as_ref().map(ToString::to_string),
            },
            statements: change.statements.iter().map(|s| format!("{s:#}")).collect(),
            hazards: change
                .hazards
                .iter()
                .map(|h| HazardJson {
                    code: h.code(),
                    message: h.message(),
                    help: h.help(),
                    destructive: h.is_destructive(),
                })
                .collect(),
            lock: change.lock.to_string(),
            transactional: change.transactional,
            destructive: change.is_destructive(),
            withheld,
        }
    }
}

impl PlanJson {
    /// `plan` as data, each change flagged as `withheld` says.
    pub fn new(
        plan: &Plan,
        withheld: impl Fn(&Change) -> bool,
        not_modelled: Vec<NotModelledJson>,
        notes: Vec<String>,
    ) -> PlanJson {
        let changes: Vec<ChangeJson> = plan
            .changes
            .iter()
            .map(|c| ChangeJson::new(c, withheld(c)))
            .collect();
        PlanJson {
            in_sync: plan.is_empty(),
            withheld: changes.iter().filter(|c| c.withheld).count(),
            changes,
            defines_functions: plan.defines_functions(),
            not_modelled,
            notes,
        }
    }
}

/// The outcome of one of the app's commands (`apply`, `validate`, `status`) as `--json`
/// prints it: one object on one line.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeJson {
    /// The command: `plan`, `apply`, `validate`, `status`.
    pub operation: &'static str,
    /// `in-sync`, `applied`, `withheld`, `drift`, `changes-pending` or `error`.
    pub outcome: &'static str,
    /// The process exit status this outcome gives.
    pub exit_code: i32,
    /// The mode the run used (`apply`, `apply-safe`, `validate-only`, `plan-only`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<&'static str>,
    /// `PGDECL_ENV`, when set.
    pub environment: Option<String>,
    /// The declared schema's hash, as recorded in `pgdecl.history`.
    pub schema_hash: String,
    /// How long the command took, in milliseconds.
    pub duration_ms: u64,
    /// The tables the changes touch (created, altered or dropped, or holding a changed
    /// column, constraint, index, trigger or policy).
    pub affected_tables: Vec<String>,
    /// The changes: applied ones for `apply` (then the withheld ones, flagged), the
    /// differences for `validate` and `status`.
    pub changes: Vec<ChangeJson>,
    /// Live objects pgdecl does not model (reported, never touched).
    pub not_modelled: Vec<NotModelledJson>,
    /// The last runs recorded in `pgdecl.history` (`status` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryRowJson>>,
    /// The error, when the outcome is `error` or `drift`.
    pub error: Option<ErrorJson>,
    /// The run's audit event (as emitted through `tracing`, target `pgdecl::audit`), for
    /// the commands that run a converge (`apply`, `validate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<crate::converge::AuditEvent>,
}

/// One row of `pgdecl.history`, as `status --json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRowJson {
    /// When the run started (`YYYY-MM-DD HH24:MI:SS TZ`).
    pub started_at: String,
    /// The run's mode.
    pub mode: String,
    /// `applied`, `failed`, `incomplete`, ...
    pub outcome: String,
    /// How long it took.
    pub duration_ms: i64,
    /// The declared schema's hash of that run.
    pub schema_hash: String,
    /// Its error, empty when none.
    pub error: String,
}

/// An error as `--json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorJson {
    /// The stable kebab-case code of its kind, e.g. `drift`, `unreachable`.
    pub code: &'static str,
    /// The server's SQLSTATE, when the server answered.
    pub sqlstate: Option<String>,
    /// The whole message, as the text output prints it (what, why, help).
    pub message: String,
}

impl From<&Error> for ErrorJson {
    fn from(e: &Error) -> ErrorJson {
        ErrorJson {
            code: e.code(),
            sqlstate: e.sqlstate().map(str::to_string),
            message: e.to_string(),
        }
    }
}

/// The tables `changes` touch, sorted, once each.
pub fn affected_tables<'a>(changes: impl IntoIterator<Item = &'a Change>) -> Vec<String> {
    use schema_core::diff::ObjectKind;
    let mut tables: Vec<String> = changes
        .into_iter()
        .filter_map(|c| match (&c.object.table, c.object.kind) {
            (Some(table), _) => Some(table.to_string()),
            (None, ObjectKind::Table) => Some(c.object.name.clone()),
            _ => None,
        })
        .collect();
    tables.sort();
    tables.dedup();
    tables
}
