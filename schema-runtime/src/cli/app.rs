//! [`app_main`]: an application's own binary gets `plan | apply | validate | status` for the
//! schema it declares, on clap.
//!
//! Adding a command is local: one variant of [`AppCommand`] (with its own `Args` struct for
//! its flags) and one handler taking the [`AppContext`], dispatched in [`run`]. Flags every
//! command shares go in [`Global`].

use std::io::Write;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use postgres::Client;
use schema_core::{Change, Schema};

use super::json::{
    affected_tables, ChangeJson, ErrorJson, HistoryRowJson, NotModelledJson, OutcomeJson, PlanJson,
};
use super::{
    parse_or_exit, write_json, write_out, EXIT_CHANGES, EXIT_ERROR, EXIT_OK, EXIT_WITHHELD,
};
use crate::connect::connect;
use crate::converge::{converge, describe, is_additive, schema_hash, Mode, Policy, Report};
use crate::error::{Error, ErrorKind};

const AFTER_HELP: &str = "\
The database comes from --url, else DATABASE_URL, else the PG* variables (as psql's).
PGDECL_MODE=apply-safe makes `apply` run additive changes only; the other PGDECL_* variables
tune timeouts and retries (see pgdecl's README).
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
}

impl AppCommand {
    /// The command's name, as typed and as `--json` reports it in `operation`.
    pub fn name(&self) -> &'static str {
        match self {
            AppCommand::Plan(_) => "plan",
            AppCommand::Apply(_) => "apply",
            AppCommand::Validate(_) => "validate",
            AppCommand::Status(_) => "status",
        }
    }
}

/// Options of `plan` (none yet besides the global ones).
#[derive(Debug, Clone, Args)]
pub struct PlanArgs {}

/// Options of `apply` (none yet besides the global ones).
#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {}

/// Options of `validate` (none yet besides the global ones).
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {}

/// Options of `status` (none yet besides the global ones).
#[derive(Debug, Clone, Args)]
pub struct StatusArgs {}

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
                "a command is required: plan, apply, validate or status",
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
                let outcome = ctx.outcome(operation, "error", EXIT_ERROR, None);
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
    match command {
        AppCommand::Plan(args) => plan_cmd(ctx, args),
        AppCommand::Apply(args) => apply_cmd(ctx, args),
        AppCommand::Validate(args) => validate_cmd(ctx, args),
        AppCommand::Status(args) => status_cmd(ctx, args),
    }
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

    /// The policy from the environment, with `--allow-destructive`.
    pub fn policy(&self) -> Result<Policy, Error> {
        let mut policy = Policy::from_env()?;
        policy.allow_destructive |= self.global.allow_destructive;
        Ok(policy)
    }

    /// An outcome for `--json`, with the fields every command fills the same way.
    pub fn outcome(
        &self,
        operation: &'static str,
        outcome: &'static str,
        exit_code: i32,
        mode: Option<Mode>,
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
fn plan_report(client: &mut Client, declared: &Schema, policy: &Policy) -> Result<Report, Error> {
    let plan_only = Policy {
        mode: Mode::PlanOnly,
        ..policy.clone()
    };
    converge(client, declared, &plan_only)
}

fn plan_cmd(ctx: &mut AppContext<'_>, _args: &PlanArgs) -> Result<i32, Error> {
    let policy = ctx.policy()?;
    let mut client = ctx.connect()?;
    let report = plan_report(&mut client, ctx.declared, &policy)?;
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

fn validate_cmd(ctx: &mut AppContext<'_>, _args: &ValidateArgs) -> Result<i32, Error> {
    let mut policy = ctx.policy()?;
    policy.mode = Mode::ValidateOnly;
    let mut client = ctx.connect()?;
    match converge(&mut client, ctx.declared, &policy) {
        Ok(report) => {
            if ctx.global.json {
                let json = OutcomeJson {
                    not_modelled: not_modelled(&report),
                    ..ctx.outcome("validate", "in-sync", EXIT_OK, Some(policy.mode))
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
                let report = plan_report(&mut client, ctx.declared, &policy)?;
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
                    ..ctx.outcome("validate", "drift", EXIT_CHANGES, Some(policy.mode))
                };
                write_json(ctx.out, &json)?;
            }
            Ok(EXIT_CHANGES)
        }
        Err(e) => Err(e),
    }
}

fn apply_cmd(ctx: &mut AppContext<'_>, _args: &ApplyArgs) -> Result<i32, Error> {
    let mut policy = ctx.policy()?;
    // `apply` honours PGDECL_MODE=apply-safe (staging runs the same binary); any other mode,
    // including validate-only (the default when unset), means apply.
    if policy.mode != Mode::ApplySafe {
        policy.mode = Mode::Apply;
    }
    let mut client = ctx.connect()?;
    let report = match converge(&mut client, ctx.declared, &policy) {
        Ok(report) => report,
        Err(e) if e.kind() == ErrorKind::Refused => {
            let _ = writeln!(ctx.err, "{e}");
            if ctx.global.json {
                let json = OutcomeJson {
                    error: Some(ErrorJson::from(&e)),
                    ..ctx.outcome("apply", "withheld", EXIT_WITHHELD, Some(policy.mode))
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
            ..ctx.outcome("apply", outcome, code, Some(policy.mode))
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
    let mut client = ctx.connect()?;
    let rows = client
        .query_typed(
            "SELECT to_char(started_at, 'YYYY-MM-DD HH24:MI:SS TZ'), mode, outcome,
                    duration_ms, schema_hash, coalesce(error, '')
             FROM pgdecl.history ORDER BY id DESC LIMIT 10",
            &[],
        )
        .map_err(|e| {
            Error::from_postgres(
                "reading pgdecl.history (has pgdecl applied anything yet?)",
                e,
            )
        })?;
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
    let report = plan_report(&mut client, ctx.declared, &policy)?;
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
            ..ctx.outcome("status", outcome, code, Some(policy.mode))
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
    for r in &history {
        text.push_str(&format!(
            "{}  {:<13} {:<7} {:>6} ms  {}  {}\n",
            r.started_at, r.mode, r.outcome, r.duration_ms, r.schema_hash, r.error
        ));
    }
    write_out(ctx.out, &text)?;
    Ok(code)
}
