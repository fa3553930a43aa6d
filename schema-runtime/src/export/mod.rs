//! Export: the declared schema, or a plan, as files other tools run.
//!
//! `sql` writes the whole declared schema as one idempotent script (`001_initial_schema.sql`,
//! for an init container's `psql -f`). The migration formats (golang-migrate, goose, sqlx,
//! refinery, flyway) write a plan, from a live database or from a schema stored in
//! `pgdecl.history`, to the declared schema, as up/down migrations in the tool's own naming,
//! header and no-transaction conventions (see `formats`). The down migrations turn the
//! result back into the source: they are the plan from the target to the source, computed
//! offline from the two models.
//!
//! A plan is cut into steps, each becoming one version, where a tool could not run it in one
//! transaction: a statement that cannot run in a transaction block (`CREATE INDEX
//! CONCURRENTLY`) is a step of its own, run outside a transaction, and new enum labels are
//! committed in a step before the statements that may use them.

mod formats;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use postgres::Client;
use schema_core::diff::{ChangeKind, ObjectKind, ObjectRef};
use schema_core::render::Statement;
use schema_core::{diff, Change, Schema};

use crate::converge::plan_file::{gate_permits, Gate, SPLIT_MARKER};
use crate::converge::rollback::stored_model;
use crate::converge::{describe, Mode, Policy};
use crate::error::{Error, ErrorKind};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The whole declared schema as one idempotent script, `001_initial_schema.sql`.
    Sql,
    /// golang-migrate: `NNNNNN_name.up.sql` / `.down.sql`, one transaction per file (the
    /// file is sent as one multi-statement query).
    GolangMigrate,
    /// goose: `NNNNN_name.sql` with `-- +goose Up` / `-- +goose Down`, and
    /// `-- +goose NO TRANSACTION` where needed.
    Goose,
    /// sqlx: `NNNN_name.up.sql` / `.down.sql`, `-- no-transaction` where needed.
    Sqlx,
    /// refinery: `V{n}__name.sql`, `-- refinery:noTransaction` where needed; refinery has no
    /// down migrations, so the down scripts are written to `down/` for people to run.
    Refinery,
    /// Flyway: `V{n}__name.sql`, undo migrations `U{n}__name.sql`, and a
    /// `.sql.conf` with `executeInTransaction=false` where needed.
    Flyway,
}

impl Format {
    /// Every format, in the order the help lists them.
    pub const ALL: [Format; 6] = [
        Format::Sql,
        Format::GolangMigrate,
        Format::Goose,
        Format::Sqlx,
        Format::Refinery,
        Format::Flyway,
    ];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Sql => "sql",
            Format::GolangMigrate => "golang-migrate",
            Format::Goose => "goose",
            Format::Sqlx => "sqlx",
            Format::Refinery => "refinery",
            Format::Flyway => "flyway",
        }
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format, Error> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        let wanted = if wanted == "migrate" {
            "golang-migrate".to_string()
        } else {
            wanted
        };
        Format::ALL
            .into_iter()
            .find(|f| f.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                Error::new(
                    ErrorKind::Invalid,
                    "reading the export format",
                    format!("`{s}` is not an export format: use {}", names.join(", ")),
                )
            })
    }
}

/// Where and how to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The format.
    pub format: Format,
    /// The directory the files go to (created if missing).
    pub dir: PathBuf,
    /// The migration's name in the file names (`pgdecl` unless set).
    pub name: String,
    /// The first version number (1 unless set): the next free one when the directory
    /// already holds the tool's migrations.
    pub first_version: u64,
}

impl ExportOptions {
    /// `format` into `dir`, named `pgdecl`, from version 1.
    pub fn new(format: Format, dir: impl Into<PathBuf>) -> ExportOptions {
        ExportOptions {
            format,
            dir: dir.into(),
            name: "pgdecl".to_string(),
            first_version: 1,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exported {
    /// The files written, in the order the tool runs them (up migrations first, by version).
    pub files: Vec<PathBuf>,
    /// Notes for the user: the changes left out by the policy, the files that run outside a
    /// transaction (and so must not be run under `psql --single-transaction`).
    pub notes: Vec<String>,
}

/// The file the `sql` format writes.
pub const INITIAL_SCHEMA_FILE: &str = "001_initial_schema.sql";

/// Writes `declared` as one idempotent script, `dir/001_initial_schema.sql` (see
/// [`Schema::create_sql`]): running it again changes nothing, so an init container may run
/// it on every start with `psql -v ON_ERROR_STOP=1 -f`.
pub fn export_schema_sql(declared: &Schema, dir: &Path) -> Result<Exported, Error> {
    create_dir(dir)?;
    let path = dir.join(INITIAL_SCHEMA_FILE);
    let text = format!(
        "-- The whole schema, generated by pgdecl {} (declared schema {}).\n\
         -- Idempotent: creates what is missing and changes nothing that exists, so it can run\n\
         -- on every start: psql -v ON_ERROR_STOP=1 -f {INITIAL_SCHEMA_FILE}\n\
         -- It does not alter what exists: to bring an older database up to date, use\n\
         -- `<app> schema apply` or the migration formats of `schema export`.\n\n{}",
        env!("CARGO_PKG_VERSION"),
        crate::converge::schema_hash(declared),
        declared.create_sql()
    );
    write_file(&path, &text)?;
    Ok(Exported {
        files: vec![path],
        notes: Vec::new(),
    })
}

/// Exports the plan from `client`'s live database to `declared` (up) and back (down) as
/// `options.format`'s migrations. What `policy` would withhold (destructive changes without
/// `allow_destructive`; non-additive ones in apply-safe) is left out of the up migrations,
/// and named in the notes. The database is only read.
pub fn export_from_live(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    options: &ExportOptions,
) -> Result<Exported, Error> {
    if options.format == Format::Sql {
        return export_schema_sql(declared, &options.dir);
    }
    let plan_policy = Policy {
        mode: Mode::PlanOnly,
        ..policy.clone()
    };
    let mut seen = None;
    let mut keep = |view: &crate::converge::PhaseView<'_>| -> Result<(), Error> {
        seen = Some((view.live.clone(), view.target.clone()));
        Ok(())
    };
    let report = crate::converge::converge_inspecting(
        client,
        declared,
        &plan_policy,
        crate::converge::Operation::Export,
        false,
        Some(&mut keep),
    )?;
    let (live, target) = seen.expect("the first phase always runs");
    let down = diff(&target, &live).changes;
    let source = "the live database".to_string();
    export_plan(&report.plan.changes, &down, policy, &source, options)
}

/// Exports the plan from the schema stored with history row `id` (see
/// [`crate::converge::rollback::stored_model`]) to `declared` (up) and back (down), both
/// read as `client`'s server prints them (scratch schemas in a rolled-back transaction: needs
/// CREATE on the database). The database is not changed.
pub fn export_from_history(
    client: &mut Client,
    id: i64,
    declared: &Schema,
    policy: &Policy,
    options: &ExportOptions,
) -> Result<Exported, Error> {
    if options.format == Format::Sql {
        return export_schema_sql(declared, &options.dir);
    }
    let stored = stored_model(client, id)?;
    let source = crate::canonicalize::canonicalize(client, &stored)?.schema;
    let target = crate::canonicalize::canonicalize(client, declared)?.schema;
    let up = diff(&source, &target).changes;
    let down = diff(&target, &source).changes;
    export_plan(
        &up,
        &down,
        policy,
        &format!("the schema of run {id}"),
        options,
    )
}

/// Writes `up` (less what `policy` withholds) and `down` as `options.format`'s migrations;
/// offline. `source` names where the plan starts, for the files' headers.
pub fn export_plan(
    up: &[Change],
    down: &[Change],
    policy: &Policy,
    source: &str,
    options: &ExportOptions,
) -> Result<Exported, Error> {
    if options.format == Format::Sql {
        return Err(Error::new(
            ErrorKind::Invalid,
            "exporting a plan",
            "the `sql` format writes a whole schema, not a plan: use export_schema_sql",
        ));
    }
    let gate = Gate::of(policy);
    let (kept, left_out): (Vec<&Change>, Vec<&Change>) =
        up.iter().partition(|c| gate_permits(gate, c, policy));
    let mut notes = Vec::new();
    if !left_out.is_empty() {
        notes.push(format!(
            "left out by the policy ({} change(s); export with --allow-destructive to include \
             them): {}",
            left_out.len(),
            left_out
                .iter()
                .map(|c| describe(c))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    // The way back starts from what the up migrations make: what they leave out is not
    // undone either (a column they do not drop is not added back).
    let down: Vec<&Change> = down
        .iter()
        .filter(|d| !left_out.iter().any(|l| undoes(d, l)))
        .collect();
    let up_steps = steps(&kept);
    let down_steps = steps(&down);
    let header = format!(
        "-- Generated by pgdecl {}: from {source} to the declared schema.",
        env!("CARGO_PKG_VERSION")
    );
    let exported = formats::write(options, &header, up_steps, down_steps)?;
    notes.extend(exported.notes);
    Ok(Exported {
        files: exported.files,
        notes,
    })
}

/// True when down-change `d` undoes the left-out change `l`: the same object, or an object
/// of the table `l` drops.
fn undoes(d: &Change, l: &Change) -> bool {
    let same = |a: &ObjectRef, b: &ObjectRef| a.kind == b.kind && a.name == b.name;
    same(&d.object, &l.object)
        || (l.kind == ChangeKind::Drop
            && l.object.kind == ObjectKind::Table
            && d.object.table.as_ref().map(ToString::to_string).as_deref()
                == Some(l.object.name.as_str()))
}

/// One step of an exported plan: what one migration version runs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Step {
    /// Each change's comment line (`-- create table public.t`, with hazards) and statements.
    pub changes: Vec<(String, Vec<String>)>,
    /// False when it must run outside a transaction (then it holds one statement).
    pub transactional: bool,
    /// True when it only adds enum labels (committed before what uses them).
    pub labels: bool,
    /// True when one of its changes creates or replaces a function: it runs with
    /// `check_function_bodies = false`.
    pub defines_function: bool,
}

impl Step {
    fn new(transactional: bool, labels: bool) -> Step {
        Step {
            transactional,
            labels,
            ..Step::default()
        }
    }

    fn push(&mut self, change: &Change, statements: Vec<String>) {
        let mut comment = format!("-- {change}");
        if !change.hazards.is_empty() {
            let codes: Vec<&str> = change.hazards.iter().map(|h| h.code()).collect();
            comment.push_str(&format!(" (hazards: {})", codes.join(", ")));
        }
        self.defines_function |= change.defines_function;
        self.changes.push((comment, statements));
    }

    /// The step's SQL: `SET check_function_bodies = false` first when needed, then each
    /// change's comment and statements; `wrap` rewrites each statement (goose's
    /// `StatementBegin`/`End`).
    pub fn sql(&self, wrap: &dyn Fn(&str) -> String) -> String {
        let mut out = String::new();
        if !self.transactional {
            out.push_str(&format!(
                "{SPLIT_MARKER} cannot run inside a transaction block (not under psql \
                 --single-transaction)\n"
            ));
        }
        if self.defines_function {
            out.push_str(&wrap(&Statement::UncheckedFunctionBodies.to_string()));
            out.push('\n');
        }
        for (comment, statements) in &self.changes {
            out.push_str(comment);
            out.push('\n');
            for s in statements {
                out.push_str(&wrap(s));
                out.push('\n');
            }
        }
        out
    }
}

/// True for `ALTER TYPE ... ADD VALUE` (as the converge executor tells them apart): it may run
/// in a transaction block, but the new label cannot be used before it commits.
fn adds_enum_value(change: &Change) -> bool {
    change.object.kind == ObjectKind::Type
        && change.kind == ChangeKind::Alter
        && !change.transactional
}

/// Cuts `changes` (in plan order) into steps: a statement that cannot run in a transaction
/// block is a step of its own; new enum labels are a step, committed before what follows.
fn steps(changes: &[&Change]) -> Vec<Step> {
    let mut out = Vec::new();
    let mut current = Step::new(true, false);
    let flush = |current: &mut Step, next: Step, out: &mut Vec<Step>| {
        let done = std::mem::replace(current, next);
        if !done.changes.is_empty() {
            out.push(done);
        }
    };
    for change in changes {
        let statements: Vec<String> = change.statements.iter().map(|s| format!("{s:#}")).collect();
        if adds_enum_value(change) {
            if !current.labels {
                flush(&mut current, Step::new(true, true), &mut out);
            }
            current.push(change, statements);
        } else if !change.transactional {
            flush(&mut current, Step::new(true, false), &mut out);
            for s in statements {
                let mut step = Step::new(false, false);
                step.push(change, vec![s]);
                out.push(step);
            }
        } else {
            if current.labels {
                flush(&mut current, Step::new(true, false), &mut out);
            }
            current.push(change, statements);
        }
    }
    flush(&mut current, Step::default(), &mut out);
    out
}

fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::from_io(&format!("creating the directory {}", dir.display()), e))
}

fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text)
        .map_err(|e| Error::from_io(&format!("writing {}", path.display()), e))
}
