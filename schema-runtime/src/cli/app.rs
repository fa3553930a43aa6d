//! [`app_main`]: an application's own binary gets `plan | apply | validate | status` for the
//! schema it declares, on clap.
//!
//! Adding a command is local: one variant of [`AppCommand`] (with its own `Args` struct for
//! its flags) and one handler taking the [`AppContext`], dispatched in [`run`]. Flags every
//! command shares go in [`Global`].

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use postgres::Client;
use schema_core::{Change, Schema};

use super::json::{
    affected_tables, ChangeJson, ErrorJson, HistoryRowJson, NotModelledJson, OutcomeJson, PlanJson,
};
use super::ops::{self, ExportSource};
use super::{
    parse_or_exit, write_json, write_out, EXIT_CHANGES, EXIT_ERROR, EXIT_OK, EXIT_WITHHELD,
};
use crate::connect::{connect, ConnectSettings};
use crate::converge::rollback::validate_recorded;
use crate::converge::{
    converge_sharing, create_database_if_missing, describe, is_additive, schema_hash, AuditEvent,
    Mode, OnFailure, Operation, Policy, Report,
};
use crate::error::{Error, ErrorKind};
use crate::export::{ExportOptions, Format};

const AFTER_HELP: &str = "\
The database comes from --url, else DATABASE_URL, else the PG* variables (as psql's).
PGDECL_ENV=development|staging|production picks a profile (mode, run timeout, backups,
approval, create-database); PGDECL_MODE=apply-safe makes `apply` run additive changes only,
PGDECL_MODE=off makes `apply` and `validate` return at once; the other PGDECL_* variables tune
each setting (see pgdecl's README).
Exit status: 0 done / in sync, 2 differences found or changes pending, 3 changes withheld,
1 error (including a bad command line).";

/// The schema commands of an application's binary.
#[derive(Debug, Parser)]
#[command(
    about = "The database schema this program declares: plan, apply, validate, status",
    after_help = AFTER_HELP,
    disable_version_flag = true,
    arg_required_else_help = true
)]
pub struct AppCli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// The command; absent only with `--version`.
    #[command(subcommand)]
    pub command: Option<AppCommand>,
}

/// Options every command takes, before or after the command's name.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// The database: a postgresql:// URL or key=value string [default: DATABASE_URL].
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// Let `apply` run destructive changes too (drops, narrowing type changes); withheld
    /// otherwise (exit 3).
    #[arg(long, global = true)]
    pub allow_destructive: bool,
    /// Print one JSON object on stdout: for plan, the changes (as `pgdecl diff --json`);
    /// for the other commands, the outcome.
    #[arg(long, global = true)]
    pub json: bool,
    /// Print the version of pgdecl (this library) and the hash of the declared schema.
    #[arg(short = 'V', long)]
    pub version: bool,
}

/// The commands.
#[derive(Debug, Clone, Subcommand)]
pub enum AppCommand {
    /// Print the SQL that would bring the database to the declared schema (exit 2 when there
    /// is any).
    Plan(PlanArgs),
    /// Apply it (destructive changes only with --allow-destructive; exit 3 if any is withheld).
    Apply(ApplyArgs),
    /// Exit 0 if the database matches the declared schema, else list every difference and
    /// exit 2.
    Validate(ValidateArgs),
    /// Whether changes are pending, and the last runs recorded in pgdecl.history.
    Status(StatusArgs),
    /// The runs recorded in pgdecl.history, newest first (their ids are what `rollback --to`
    /// and `export --from-history` take).
    History(HistoryArgs),
    /// Converge back to the schema a recorded run applied, even one this binary no longer
    /// declares (destructive changes only with --allow-destructive; exit 3 if refused).
    Rollback(RollbackArgs),
    /// Write the declared schema as one idempotent SQL file, or the plan from a database
    /// (or a recorded run) as migration files of golang-migrate, goose, sqlx, refinery or
    /// flyway.
    Export(ExportArgs),
    /// Approve a plan file written by `plan --out` (a profile that requires approval applies
    /// approved plans only).
    Approve(ApproveArgs),
}

impl AppCommand {
    /// The command's name, as typed and as `--json` reports it in `operation`.
    pub fn name(&self) -> &'static str {
        match self {
            AppCommand::Plan(_) => "plan",
            AppCommand::Apply(_) => "apply",
            AppCommand::Validate(_) => "validate",
            AppCommand::Status(_) => "status",
            AppCommand::History(_) => "history",
            AppCommand::Rollback(_) => "rollback",
            AppCommand::Export(_) => "export",
            AppCommand::Approve(_) => "approve",
        }
    }
}

/// Options of `plan`.
#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    /// Also write the plan as a JSON plan file (statements, hazards, lock levels, the
    /// fingerprint of the live schema), for review, `approve` and `apply --plan`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Options of `apply`.
#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    /// Apply exactly this plan file (from `plan --out`), refused if the database or the
    /// declaration changed since [default: PGDECL_APPROVED_PLAN].
    #[arg(long, value_name = "FILE", conflicts_with = "urls_file")]
    pub plan: Option<PathBuf>,
    /// Create the database first when it is missing (as PGDECL_CREATE_DATABASE=true).
    #[arg(long)]
    pub create_database: bool,
    /// Many databases at once.
    #[command(flatten)]
    pub many: ManyArgs,
}

/// Options of `validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Record the run in pgdecl.history (outcome `validated`, or `drift` with the SQL that
    /// fixes it), for teams that audit validations too [default: PGDECL_RECORD_VALIDATE].
    /// A role that cannot write there still validates (the failure to record is logged).
    #[arg(long)]
    pub record: bool,
    /// Many databases at once.
    #[command(flatten)]
    pub many: ManyArgs,
}

/// `--urls-file` and `--jobs`, for `apply` and `validate` over many databases.
#[derive(Debug, Clone, Args)]
pub struct ManyArgs {
    /// Run on every database of FILE (one URL per line; blank lines and `#` comments
    /// skipped) instead of --url; one line per database; the exit status is the number that
    /// failed.
    #[arg(long, value_name = "FILE")]
    pub urls_file: Option<PathBuf>,
    /// How many databases at a time, with --urls-file.
    #[arg(long, value_name = "N", default_value_t = 4, requires = "urls_file",
          value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
}

/// Options of `status` (none besides the global ones).
#[derive(Debug, Clone, Args)]
pub struct StatusArgs {}

/// Options of `history` (none besides the global ones).
#[derive(Debug, Clone, Args)]
pub struct HistoryArgs {}

/// Options of `rollback`.
#[derive(Debug, Clone, Args)]
pub struct RollbackArgs {
    /// The id of the recorded run whose schema to go back to (see `history`).
    #[arg(long, value_name = "ID")]
    pub to: i64,
}

/// Options of `export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// sql (the whole schema, one idempotent file), golang-migrate, goose, sqlx, refinery or
    /// flyway (the plan from --from or --from-history, as up and down files).
    #[arg(long, value_name = "FORMAT")]
    pub format: String,
    /// The directory to write to (created if missing).
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// The database the plan starts from.
    #[arg(long, value_name = "URL", conflicts_with = "from_history")]
    pub from: Option<String>,
    /// The recorded run (of the database of --url) whose schema the plan starts from.
    #[arg(long, value_name = "ID")]
    pub from_history: Option<i64>,
    /// The migration's name in the file names [default: pgdecl].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The first version number, when the directory already holds migrations [default: 1].
    #[arg(long, value_name = "N")]
    pub first_version: Option<u64>,
}

/// Options of `approve`.
#[derive(Debug, Clone, Args)]
pub struct ApproveArgs {
    /// The plan file to approve (rewritten in place with the approval).
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,
    /// Who approves it (recorded in the file with the time).
    #[arg(long, value_name = "NAME")]
    pub by: String,
}

/// The schema commands for an application's own binary, with `args` after the binary's name
/// (and after its own subcommand word, if it has one): `plan | apply | validate | status`,
/// `--url URL` (else `DATABASE_URL`), `--allow-destructive`, `--json`, `--help`, `--version`.
///
/// ```no_run
/// # use schema_core::Schema;
/// # static SCHEMA: std::sync::LazyLock<Schema> = std::sync::LazyLock::new(Schema::default);
/// // In main(): `myapp schema apply`, `myapp schema plan --json`, ... With `pgdecl::schema!`,
/// // SCHEMA is the static the macro generates (`pgdecl::runtime::cli::app_main`).
/// if std::env::args().nth(1).as_deref() == Some("schema") {
///     let args: Vec<String> = std::env::args().skip(2).collect();
///     std::process::exit(schema_runtime::cli::app_main(&SCHEMA, &args));
/// }
/// ```
///
/// Returns the exit status: 0 done / in sync (and for `--help`, `--version`), 2 differences
/// found or changes pending, 3 changes withheld, 1 error (a bad command line included).
/// `--version` prints pgdecl's version, not the application's (which this function cannot
/// know), with the declared schema's hash, which tells two builds' schemas apart.
pub fn app_main(declared: &Schema, args: &[String]) -> i32 {
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    app_main_with(declared, args, &mut out, &mut err)
}

/// [`app_main`] with explicit output streams (for tests).
pub fn app_main_with(
    declared: &Schema,
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let argv = std::iter::once(invocation_name(args)).chain(args.iter().cloned());
    let cli = match parse_or_exit(AppCli::try_parse_from(argv), out, err) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let Some(command) = cli.command else {
        if cli.global.version {
            let _ = writeln!(
                out,
                "pgdecl {} (declared schema {})",
                env!("CARGO_PKG_VERSION"),
                schema_hash(declared)
            );
            return EXIT_OK;
        }
        let usage = <AppCli as clap::CommandFactory>::command()
            .bin_name(invocation_name(args))
            .error(
                clap::error::ErrorKind::MissingSubcommand,
                "a command is required: plan, apply, validate, status, history, rollback, \
                 export or approve",
            );
        let _ = write!(err, "{}", usage.render());
        return EXIT_ERROR;
    };
    let mut ctx = AppContext {
        declared,
        global: cli.global,
        out,
        err,
        started: Instant::now(),
    };
    let operation = command.name();
    match run(&mut ctx, &command) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(ctx.err, "{e}");
            if ctx.global.json {
                let outcome = ctx.outcome(operation, "error", EXIT_ERROR, None, None);
                let _ = write_json(
                    ctx.out,
                    &OutcomeJson {
                        error: Some(ErrorJson::from(&e)),
                        ..outcome
                    },
                );
            }
            EXIT_ERROR
        }
    }
}

/// One handler per command.
fn run(ctx: &mut AppContext<'_>, command: &AppCommand) -> Result<i32, Error> {
    // The skip switch, before anything connects: PGDECL_MODE=off (the SKIP_MIGRATIONS=1 of
    // hand-built runners) turns the start-up commands into no-ops.
    if matches!(command, AppCommand::Apply(_) | AppCommand::Validate(_))
        && ctx.policy()?.mode == Mode::Off
    {
        let name = command.name();
        tracing::info!("PGDECL_MODE=off: skipping `{name}`; the database was not read");
        let _ = writeln!(
            ctx.err,
            "PGDECL_MODE=off: skipping `{name}` (the database was not contacted)"
        );
        if ctx.global.json {
            let policy = ctx.policy()?;
            let event = AuditEvent::from_report(
                Operation::of(if name == "validate" {
                    Mode::ValidateOnly
                } else {
                    Mode::Apply
                }),
                &Report::skipped(Mode::Off),
                &policy,
                Some(&schema_hash(ctx.declared)),
            );
            let json = ctx.outcome(name, "skipped", EXIT_OK, Some(Mode::Off), Some(event));
            write_json(ctx.out, &json)?;
        }
        return Ok(EXIT_OK);
    }
    match command {
        AppCommand::Plan(args) => plan_cmd(ctx, args),
        AppCommand::Apply(args) => apply_cmd(ctx, args),
        AppCommand::Validate(args) => validate_cmd(ctx, args),
        AppCommand::Status(args) => status_cmd(ctx, args),
        AppCommand::History(_) => {
            let mut client = ctx.connect()?;
            ops::print_history(&mut client, ctx.out)
        }
        AppCommand::Rollback(args) => {
            let policy = ctx.policy()?;
            let mut client = ctx.connect()?;
            ops::rollback(&mut client, &policy, args.to, ctx.out, ctx.err)
        }
        AppCommand::Export(args) => export_cmd(ctx, args),
        AppCommand::Approve(args) => {
            let mut file = crate::converge::plan_file::PlanFile::read(&args.plan)?;
            file.approve(&args.by);
            file.write(&args.plan)?;
            let _ = writeln!(
                ctx.err,
                "pgdecl: {} approved by {} ({} change(s)); apply it with `apply --plan {}`",
                args.plan.display(),
                args.by,
                file.changes.len(),
                args.plan.display()
            );
            Ok(EXIT_OK)
        }
    }
}

fn export_cmd(ctx: &mut AppContext<'_>, args: &ExportArgs) -> Result<i32, Error> {
    let policy = ctx.policy()?;
    let format: Format = args.format.parse()?;
    let mut options = ExportOptions::new(format, &args.dir);
    if let Some(name) = &args.name {
        options.name = name.clone();
    }
    if let Some(first) = args.first_version {
        options.first_version = first;
    }
    let source = match (&args.from, args.from_history) {
        (Some(url), _) => ExportSource::Live(url.clone()),
        (None, Some(id)) => ExportSource::History { url: ctx.url(), id },
        (None, None) => ExportSource::None,
    };
    ops::export(ctx.declared, &policy, &source, &options, ctx.out, ctx.err)
}

/// What every handler gets: the declared schema, the global options and the output streams.
pub struct AppContext<'a> {
    /// The schema the application declares.
    pub declared: &'a Schema,
    /// The options every command takes.
    pub global: Global,
    /// Standard output: SQL, reports, JSON.
    pub out: &'a mut dyn Write,
    /// Standard error: notes and errors for a person.
    pub err: &'a mut dyn Write,
    /// When the command started (for `duration_ms`).
    pub started: Instant,
}

impl AppContext<'_> {
    /// The connection string: `--url`, else `DATABASE_URL`, else empty (the PG* variables).
    pub fn url(&self) -> String {
        self.global
            .url
            .clone()
            .or_else(|| std::env::var("DATABASE_URL").ok())
            .unwrap_or_default()
    }

    /// Connects to [`AppContext::url`].
    pub fn connect(&self) -> Result<Client, Error> {
        connect(&self.url())
    }

    /// Connects to [`AppContext::url`], and returns the settings used too (a run shares the
    /// read of a large schema with a second connection made with them).
    fn connect_keeping_settings(&self) -> Result<(Client, ConnectSettings), Error> {
        let settings = ConnectSettings::from_conninfo(&self.url())?;
        Ok((settings.connect()?, settings))
    }

    /// The policy from the environment (`PGDECL_ENV` and each `PGDECL_*` variable), with
    /// `--allow-destructive`. An explicit command reports a failure in its exit status,
    /// whatever the profile's on-failure says (`continue` is meant for start-up calls), and
    /// the backup command gets this command's database.
    pub fn policy(&self) -> Result<Policy, Error> {
        let mut policy = Policy::from_env()?;
        policy.allow_destructive |= self.global.allow_destructive;
        policy.on_failure = OnFailure::Fail;
        policy.backup.url.get_or_insert_with(|| self.url());
        Ok(policy)
    }

    /// An outcome for `--json`, with the fields every command fills the same way.
    pub fn outcome(
        &self,
        operation: &'static str,
        outcome: &'static str,
        exit_code: i32,
        mode: Option<Mode>,
        audit: Option<AuditEvent>,
    ) -> OutcomeJson {
        OutcomeJson {
            operation,
            outcome,
            exit_code,
            mode: mode.map(Mode::name),
            environment: std::env::var("PGDECL_ENV").ok().filter(|e| !e.is_empty()),
            schema_hash: schema_hash(self.declared),
            duration_ms: u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX),
            affected_tables: Vec::new(),
            changes: Vec::new(),
            not_modelled: Vec::new(),
            history: None,
            error: None,
            audit,
        }
    }
}

/// The name to show in usage lines: the program's name and the words of the command line
/// before `args` (`myapp schema` for `myapp schema plan`), options among them left out.
fn invocation_name(args: &[String]) -> String {
    let full: Vec<String> = std::env::args().collect();
    let base = |s: &str| {
        std::path::Path::new(s)
            .file_name()
            .map_or_else(|| s.to_string(), |n| n.to_string_lossy().into_owned())
    };
    match full.split_first() {
        Some((program, rest)) if rest.ends_with(args) => {
            let words = &rest[..rest.len() - args.len()];
            std::iter::once(base(program))
                .chain(words.iter().filter(|w| !w.starts_with('-')).cloned())
                .collect::<Vec<_>>()
                .join(" ")
        }
        Some((program, _)) => base(program),
        None => "app".to_string(),
    }
}

/// Whether an `apply` under `policy` would withhold `change` (`apply` runs apply-safe when
/// `PGDECL_MODE` says so, else apply).
fn apply_withholds(change: &Change, policy: &Policy) -> bool {
    if policy.mode == Mode::ApplySafe {
        !is_additive(change)
    } else {
        change.is_destructive() && !policy.allow_destructive
    }
}

fn not_modelled(report: &Report) -> Vec<NotModelledJson> {
    report
        .unmodeled
        .iter()
        .map(|u| NotModelledJson::new(None, u))
        .collect()
}

/// Plans under the user's policy (its ignored schemas, timeouts and shipped canonical forms),
/// changing nothing.
fn plan_report(
    client: &mut Client,
    settings: &ConnectSettings,
    declared: &Schema,
    policy: &Policy,
) -> Result<Report, Error> {
    let plan_only = Policy {
        mode: Mode::PlanOnly,
        ..policy.clone()
    };
    converge_sharing(client, settings, declared, &plan_only, false).0
}

fn plan_cmd(ctx: &mut AppContext<'_>, args: &PlanArgs) -> Result<i32, Error> {
    let policy = ctx.policy()?;
    let (mut client, settings) = ctx.connect_keeping_settings()?;
    if let Some(path) = &args.out {
        // The plan file leaves out what an apply under this policy would withhold, so
        // exactly its statements are what `apply --plan` runs.
        let apply_policy = apply_policy(&policy);
        return ops::plan_out(
            &mut client,
            ctx.declared,
            &apply_policy,
            path,
            ctx.out,
            ctx.err,
        );
    }
    let report = plan_report(&mut client, &settings, ctx.declared, &policy)?;
    let code = if report.plan.is_empty() {
        EXIT_OK
    } else {
        EXIT_CHANGES
    };
    if ctx.global.json {
        let json = PlanJson::new(
            &report.plan,
            |c| apply_withholds(c, &policy),
            not_modelled(&report),
            Vec::new(),
        );
        write_json(ctx.out, &json)?;
    } else {
        write_out(ctx.out, &report.plan.to_sql())?;
    }
    Ok(code)
}

fn validate_cmd(ctx: &mut AppContext<'_>, args: &ValidateArgs) -> Result<i32, Error> {
    let mut policy = ctx.policy()?;
    policy.mode = Mode::ValidateOnly;
    if let Some(file) = &args.many.urls_file {
        return ops::many(ctx.declared, &policy, file, args.many.jobs.into(), ctx.out);
    }
    let record = match std::env::var("PGDECL_RECORD_VALIDATE") {
        Ok(v) if !v.trim().is_empty() => {
            args.record || crate::converge::parse_bool("PGDECL_RECORD_VALIDATE", &v)?
        }
        _ => args.record,
    };
    let (mut client, settings) = ctx.connect_keeping_settings()?;
    let (result, event) = if record {
        let started = Instant::now();
        let hash = schema_hash(ctx.declared);
        let result = validate_recorded(&mut client, ctx.declared, &policy);
        let event = match &result {
            Ok(report) => {
                AuditEvent::from_report(Operation::Validate, report, &policy, Some(&hash))
            }
            Err(e) => AuditEvent::from_error(
                Operation::Validate,
                e,
                &policy,
                Some(&hash),
                started.elapsed(),
            ),
        };
        event.emit();
        (result, event)
    } else {
        converge_sharing(&mut client, &settings, ctx.declared, &policy, true)
    };
    match result {
        Ok(report) => {
            if ctx.global.json {
                let json = OutcomeJson {
                    not_modelled: not_modelled(&report),
                    ..ctx.outcome(
                        "validate",
                        "in-sync",
                        EXIT_OK,
                        Some(policy.mode),
                        Some(event),
                    )
                };
                write_json(ctx.out, &json)?;
            } else {
                write_out(ctx.out, "database schema is up to date\n")?;
            }
            Ok(EXIT_OK)
        }
        Err(e) if e.kind() == ErrorKind::Drift => {
            let _ = writeln!(ctx.err, "{e}");
            if ctx.global.json {
                // The drift error is text; list the differences as data from a plan of the
                // same (read-only) kind.
                let report = plan_report(&mut client, &settings, ctx.declared, &policy)?;
                let json = OutcomeJson {
                    affected_tables: affected_tables(&report.plan.changes),
                    changes: report
                        .plan
                        .changes
                        .iter()
                        .map(|c| ChangeJson::new(c, false))
                        .collect(),
                    not_modelled: not_modelled(&report),
                    error: Some(ErrorJson::from(&e)),
                    ..ctx.outcome(
                        "validate",
                        "drift",
                        EXIT_CHANGES,
                        Some(policy.mode),
                        Some(event),
                    )
                };
                write_json(ctx.out, &json)?;
            }
            Ok(EXIT_CHANGES)
        }
        Err(e) => Err(e),
    }
}

/// `apply` honours PGDECL_MODE=apply-safe (staging runs the same binary); any other mode,
/// including validate-only (the default when unset), means apply.
fn apply_policy(policy: &Policy) -> Policy {
    let mut policy = policy.clone();
    if policy.mode != Mode::ApplySafe {
        policy.mode = Mode::Apply;
    }
    policy
}

fn apply_cmd(ctx: &mut AppContext<'_>, args: &ApplyArgs) -> Result<i32, Error> {
    let mut policy = apply_policy(&ctx.policy()?);
    policy.create_database |= args.create_database;
    if let Some(file) = &args.many.urls_file {
        return ops::many(ctx.declared, &policy, file, args.many.jobs.into(), ctx.out);
    }
    if policy.create_database {
        create_database_if_missing(&ctx.url())?;
    }
    let (mut client, settings) = ctx.connect_keeping_settings()?;
    // The plan-file flow (the production gate): `--plan`, else PGDECL_APPROVED_PLAN.
    if let Some(path) = args.plan.clone().or_else(|| policy.approved_plan.clone()) {
        let require_approval = policy.require_approval;
        return ops::apply_plan(
            &mut client,
            ctx.declared,
            &policy,
            &path,
            require_approval,
            ctx.out,
            ctx.err,
        );
    }
    let (result, event) = converge_sharing(&mut client, &settings, ctx.declared, &policy, true);
    let report = match result {
        Ok(report) => report,
        Err(e) if e.kind() == ErrorKind::Refused => {
            let _ = writeln!(ctx.err, "{e}");
            if ctx.global.json {
                let json = OutcomeJson {
                    error: Some(ErrorJson::from(&e)),
                    ..ctx.outcome(
                        "apply",
                        "withheld",
                        EXIT_WITHHELD,
                        Some(policy.mode),
                        Some(event),
                    )
                };
                write_json(ctx.out, &json)?;
            }
            return Ok(EXIT_WITHHELD);
        }
        Err(e) => return Err(e),
    };
    let code = if report.withheld.is_empty() {
        EXIT_OK
    } else {
        EXIT_WITHHELD
    };
    if ctx.global.json {
        let outcome = if !report.withheld.is_empty() {
            "withheld"
        } else if report.plan.is_empty() {
            "in-sync"
        } else {
            "applied"
        };
        let json = OutcomeJson {
            affected_tables: affected_tables(&report.applied),
            changes: report
                .applied
                .iter()
                .map(|c| ChangeJson::new(c, false))
                .chain(report.withheld.iter().map(|c| ChangeJson::new(c, true)))
                .collect(),
            not_modelled: not_modelled(&report),
            ..ctx.outcome("apply", outcome, code, Some(policy.mode), Some(event))
        };
        write_json(ctx.out, &json)?;
        return Ok(code);
    }
    let why = match policy.mode {
        Mode::ApplySafe => "withheld by apply-safe (not additive)",
        _ => "withheld (pass --allow-destructive)",
    };
    let mut text = String::new();
    for c in &report.applied {
        text.push_str(&format!("applied: {}\n", describe(c)));
    }
    for c in &report.withheld {
        text.push_str(&format!("{why}: {}\n", describe(c)));
    }
    if report.plan.changes.is_empty() {
        text.push_str("database schema is up to date\n");
    }
    write_out(ctx.out, &text)?;
    Ok(code)
}

fn status_cmd(ctx: &mut AppContext<'_>, _args: &StatusArgs) -> Result<i32, Error> {
    let policy = ctx.policy()?;
    let (mut client, settings) = ctx.connect_keeping_settings()?;
    // A database pgdecl never wrote to has no history table, and a read-only role may not
    // read it: `status` still shows what is pending, and says why no runs are listed.
    let (history, history_note) = match client.query_typed(
        "SELECT to_char(started_at, 'YYYY-MM-DD HH24:MI:SS TZ'), mode, outcome,
                duration_ms, schema_hash, coalesce(error, '')
         FROM pgdecl.history ORDER BY id DESC LIMIT 10",
        &[],
    ) {
        Ok(rows) => {
            let history: Vec<HistoryRowJson> = rows
                .iter()
                .map(|r| HistoryRowJson {
                    started_at: r.get(0),
                    mode: r.get(1),
                    outcome: r.get(2),
                    duration_ms: r.get(3),
                    schema_hash: r.get(4),
                    error: r.get(5),
                })
                .collect();
            let note = history
                .is_empty()
                .then(|| "no runs recorded in pgdecl.history yet".to_string());
            (history, note)
        }
        Err(e) => match e.code().map(|c| c.code()) {
            Some("42P01" | "3F000") => (
                Vec::new(),
                Some(
                    "pgdecl has not written to this database (no pgdecl.history): no runs to list"
                        .to_string(),
                ),
            ),
            Some("42501") => (
                Vec::new(),
                Some(
                    "this role may not read pgdecl.history (GRANT SELECT ON pgdecl.history): \
                     no runs listed"
                        .to_string(),
                ),
            ),
            _ => {
                return Err(Error::from_postgres("reading pgdecl.history", e));
            }
        },
    };
    let report = plan_report(&mut client, &settings, ctx.declared, &policy)?;
    let plan = &report.plan;
    let code = if plan.is_empty() {
        EXIT_OK
    } else {
        EXIT_CHANGES
    };
    if ctx.global.json {
        let outcome = if plan.is_empty() {
            "in-sync"
        } else {
            "changes-pending"
        };
        let json = OutcomeJson {
            affected_tables: affected_tables(&plan.changes),
            changes: plan
                .changes
                .iter()
                .map(|c| ChangeJson::new(c, apply_withholds(c, &policy)))
                .collect(),
            not_modelled: not_modelled(&report),
            history: Some(history),
            ..ctx.outcome("status", outcome, code, Some(policy.mode), None)
        };
        write_json(ctx.out, &json)?;
        return Ok(code);
    }
    let mut text = if plan.is_empty() {
        "database schema is up to date\n".to_string()
    } else {
        format!(
            "{} change(s) pending; run `plan` to see them\n",
            plan.changes.len()
        )
    };
    if let Some(note) = &history_note {
        text.push_str(&format!("{note}\n"));
    }
    for r in &history {
        text.push_str(&format!(
            "{}  {:<13} {:<10} {:>6} ms  {}  {}\n",
            r.started_at,
            r.mode,
            r.outcome,
            r.duration_ms,
            r.schema_hash,
            one_line(&r.error)
        ));
    }
    write_out(ctx.out, &text)?;
    Ok(code)
}

/// An error message as one table cell: its first line, cut at 100 characters, so that a
/// multi-line error (a server message with DETAIL and the statement) keeps `status` readable.
fn one_line(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let mut cell: String = first.chars().take(100).collect();
    if cell.len() < first.len() || text.lines().nth(1).is_some() {
        cell.push_str(" ...");
    }
    cell
}
