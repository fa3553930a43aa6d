//! The `pgdecl` tool: `inspect` a live database as `schema!` source, `diff` two databases
//! (or a database and a SQL file or migration directory), print shell `completions`.

use std::io::Write;
use std::path::Path;

use clap::{Args, CommandFactory, Parser, Subcommand};
use schema_core::{diff, Plan};

use super::json::{NotModelledJson, PlanJson};
use super::migrations::{is_path_side, load_into_scratch};
use super::{
    parse_or_exit, write_json, write_out, EXIT_CHANGES, EXIT_ERROR, EXIT_OK, EXIT_WITHHELD,
};
use crate::canonicalize::settle_live_pair;
use crate::connect::connect;
use crate::converge::describe;
use crate::error::{redact, Error, ErrorKind};
use crate::introspect::{introspect, introspect_pair, is_placeholder, Scope};
use crate::source::to_schema_source;

const EXIT_STATUS: &str = "\
Exit status: 0 in sync (or done), 2 changes printed, 3 unsafe changes withheld (pass \
--allow-destructive), 1 error (including a bad command line).";

/// `pgdecl`: read PostgreSQL schemas and print the DDL between them.
#[derive(Debug, Parser)]
#[command(
    name = "pgdecl",
    version,
    about = "Read PostgreSQL schemas as pgdecl sees them, and print the DDL between two",
    after_help = EXIT_STATUS,
    arg_required_else_help = true
)]
struct Tool {
    /// Print machine-readable JSON on stdout: for diff, the changes with their statements,
    /// hazards and lock levels; for inspect, the model.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: ToolCommand,
}

#[derive(Debug, Subcommand)]
enum ToolCommand {
    /// Print a live database's schema as `schema!` source that compiles.
    ///
    /// Objects pgdecl does not model are listed as comments at the top (on stdout, so the
    /// file says what it leaves out).
    Inspect {
        /// The database: a postgresql:// URL or a key=value connection string.
        #[arg(value_name = "URL")]
        url: String,
    },
    /// Print the DDL that turns FROM into TO, each change under a `-- hazards:` comment.
    ///
    /// FROM and TO are databases (URLs), or paths: a .sql file, or a directory of migration
    /// files applied in version order (up files only), loaded into the empty database given
    /// by --scratch-url. Objects left out (not modelled) are listed on stderr.
    #[command(after_help = EXIT_STATUS)]
    Diff(DiffArgs),
    /// Print a shell completion script, e.g. `pgdecl completions bash > /etc/bash_completion.d/pgdecl`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// The database the DDL runs on (URL), or a SQL file or migration directory.
    #[arg(value_name = "FROM")]
    from: String,
    /// The schema to reach (URL), or a SQL file or migration directory.
    #[arg(value_name = "TO")]
    to: String,
    /// Include drops and narrowing changes (withheld otherwise: exit 3).
    #[arg(long)]
    allow_destructive: bool,
    /// Compare SQL fragments as printed, strictly read-only (without following those printed
    /// differently through FROM's server).
    #[arg(long)]
    as_printed: bool,
    /// An empty database to load a path side into (left as loaded). Give it twice when both
    /// sides are paths: the first for FROM, the second for TO.
    #[arg(long, value_name = "URL")]
    scratch_url: Vec<String>,
}

/// The `pgdecl` tool, with `args` after the binary name. Returns the process exit status: 0
/// in sync / done, 2 changes printed, 3 unsafe changes withheld, 1 error (a bad command line
/// included).
///
/// ```no_run
/// let args: Vec<String> = std::env::args().skip(1).collect();
/// let code = schema_runtime::cli::tool_main(&args, &mut std::io::stdout(), &mut std::io::stderr());
/// std::process::exit(code);
/// ```
pub fn tool_main(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let argv = std::iter::once("pgdecl".to_string()).chain(args.iter().cloned());
    let tool = match parse_or_exit(Tool::try_parse_from(argv), out, err) {
        Ok(tool) => tool,
        Err(code) => return code,
    };
    let json = tool.json;
    let result = match tool.command {
        ToolCommand::Inspect { url } => inspect_cmd(&url, json, out),
        ToolCommand::Diff(args) => diff_cmd(&args, json, out, err),
        ToolCommand::Completions { shell } => {
            clap_complete::generate(shell, &mut Tool::command(), "pgdecl", out);
            Ok(EXIT_OK)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "pgdecl: {e}");
            if json {
                let _ = write_json(out, &super::json::ErrorJson::from(&e));
            }
            EXIT_ERROR
        }
    }
}

fn inspect_cmd(url: &str, json: bool, out: &mut dyn Write) -> Result<i32, Error> {
    let mut client = connect(url)?;
    let found = introspect(&mut client, &Scope::default())?;
    if json {
        #[derive(serde::Serialize)]
        struct InspectJson {
            server_version: i32,
            not_modelled: Vec<NotModelledJson>,
            schema: serde_json::Value,
        }
        let schema = serde_json::from_str(&found.schema.to_json())
            .map_err(|e| Error::new(ErrorKind::Invalid, "serializing the model", e.to_string()))?;
        write_json(
            out,
            &InspectJson {
                server_version: found.server_version,
                not_modelled: found
                    .unmodeled
                    .iter()
                    .map(|u| NotModelledJson::new(None, u))
                    .collect(),
                schema,
            },
        )?;
        return Ok(EXIT_OK);
    }
    let mut text = String::new();
    for u in &found.unmodeled {
        text.push_str(&format!(
            "// not modelled, left out: {} {}\n",
            u.kind, u.name
        ));
    }
    text.push_str(&to_schema_source(&found.schema));
    write_out(out, &text)?;
    Ok(EXIT_OK)
}

/// The plan from one live database to another.
///
/// Both sides are read as the servers print them, and fragments printed alike are equal:
/// comparing a pair in sync writes nothing. The fragments printed differently, and those only
/// TO has, are then followed along their print chains through FROM's server, the one the plan
/// runs on ([`settle_live_pair`]: created in scratch schemas in a transaction that is rolled
/// back, so it needs `CREATE` on FROM's database): one on the chain of the other (a database
/// restored from a dump of the other, or loaded from an older print) compares equal, and a
/// plan re-creating a fragment uses text that rebuilds TO's expression. Where FROM does not
/// allow that (no `CREATE`, a standby), or with `as_printed`, they are compared as printed, and
/// the notes say so.
///
/// ```no_run
/// let plan = schema_runtime::cli::diff_databases(
///     "postgresql://app@localhost/staging",
///     "postgresql://app@localhost/production",
/// )?;
/// print!("{}", plan.to_sql());
/// # Ok::<(), schema_runtime::Error>(())
/// ```
pub fn diff_databases(from_url: &str, to_url: &str) -> Result<Plan, Error> {
    diff_databases_reporting(from_url, to_url, false).map(|(plan, _)| plan)
}

/// [`diff_databases`], with notes for the user: the objects either side holds that pgdecl
/// does not model (and so leaves out of the plan), as `FROM:`/`TO:`-prefixed lines, and a
/// line starting `SQL fragments compared as printed` when they were.
pub fn diff_databases_reporting(
    from_url: &str,
    to_url: &str,
    as_printed: bool,
) -> Result<(Plan, Vec<String>), Error> {
    let found = diff_live(from_url, to_url, as_printed, true)?;
    let mut notes: Vec<String> = found
        .not_modelled
        .iter()
        .map(|n| {
            let side = if n.side == Some("from") { "FROM" } else { "TO" };
            format!("{side}: {} {}", n.kind, n.name)
        })
        .collect();
    notes.extend(found.notes);
    Ok((found.plan, notes))
}

/// What `pgdecl diff` found: the plan and what a person should be told about it.
struct DiffFound {
    plan: Plan,
    not_modelled: Vec<NotModelledJson>,
    notes: Vec<String>,
}

/// [`diff_databases`] with every expression printed on both sides before they are compared
/// (none left unprinted: see `introspect_pair`). The plan is the same; for tests that hold
/// the two to each other.
#[doc(hidden)]
pub fn diff_databases_printing_all(from_url: &str, to_url: &str) -> Result<Plan, Error> {
    diff_live(from_url, to_url, false, false).map(|found| found.plan)
}

fn diff_live(
    from_url: &str,
    to_url: &str,
    as_printed: bool,
    digests: bool,
) -> Result<DiffFound, Error> {
    // The two connections are independent: made side by side, as the reads are.
    let (from_client, to_client) = std::thread::scope(|s| {
        let to = s.spawn(|| connect(to_url));
        let from = connect(from_url);
        (
            from,
            to.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    });
    let (mut from_client, mut to_client) = (from_client?, to_client?);
    // Expressions both hold alike are first left unprinted (see `introspect_pair`); a plan
    // that would write one out, or print chains that would create one, is made again with
    // everything printed.
    match compare_live(&mut from_client, &mut to_client, as_printed, digests)? {
        Some(found) => Ok(found),
        None => {
            compare_live(&mut from_client, &mut to_client, as_printed, false)?.ok_or_else(|| {
                Error::new(
                    ErrorKind::Invalid,
                    "comparing the databases",
                    "an expression was left unprinted with every expression printed (a bug: \
                     please report it)",
                )
            })
        }
    }
}

/// One comparison of [`diff_live`]: `None` when `digests` left unprinted an expression the
/// plan or the following of print chains needs.
fn compare_live(
    from_client: &mut postgres::Client,
    to_client: &mut postgres::Client,
    as_printed: bool,
    digests: bool,
) -> Result<Option<DiffFound>, Error> {
    let (mut from, to) = introspect_pair(from_client, to_client, digests)?;
    let mut not_modelled = Vec::new();
    for (side, found) in [("from", &from), ("to", &to)] {
        not_modelled.extend(
            found
                .unmodeled
                .iter()
                .map(|u| NotModelledJson::new(Some(side), u)),
        );
    }
    let mut notes = Vec::new();
    let mut target = to.schema;
    if as_printed {
        notes.push("SQL fragments compared as printed (--as-printed)".to_string());
    } else if let Err(e) = settle_live_pair(from_client, &mut from.schema, &mut target) {
        if digests {
            return Ok(None);
        }
        notes.push(format!(
            "SQL fragments compared as printed: those printed differently could not be \
             created in scratch schemas on FROM ({e}); one FROM holds in an older print of \
             TO's shows as a difference"
        ));
    }
    let plan = diff(&from.schema, &target);
    let writes_unprinted = plan.changes.iter().any(|change| {
        is_placeholder(&change.sql())
            || change.inverse_sql().is_some_and(|sql| is_placeholder(&sql))
    });
    if writes_unprinted {
        return Ok(None);
    }
    // The two models are freed on a thread of their own: at a thousand tables that took
    // longer than the planning (13 ms), and the command exits without waiting for it.
    let models = (from, target);
    if let Err(e) = std::thread::Builder::new().spawn(move || drop(models)) {
        tracing::debug!(error = %e, "no thread to free the models on: freed here");
    }
    Ok(Some(DiffFound {
        plan,
        not_modelled,
        notes,
    }))
}

/// A side of `pgdecl diff` as a database URL: a path is loaded into its scratch database
/// first, and a note says so.
fn side_url(
    side: &str,
    name: &str,
    scratch: &mut std::slice::Iter<'_, String>,
    notes: &mut Vec<String>,
) -> Result<String, Error> {
    if !is_path_side(side) {
        return Ok(side.to_string());
    }
    let Some(scratch_url) = scratch.next() else {
        return Err(Error::new(
            ErrorKind::Invalid,
            &format!("reading {name} ({side})"),
            format!(
                "{name} is a path, and a path is loaded into a scratch database first: pass \
                 --scratch-url URL of an empty database (createdb pgdecl_scratch){}",
                if name == "TO" {
                    " (one --scratch-url per path side: FROM's first)"
                } else {
                    ""
                }
            ),
        ));
    };
    let loaded = load_into_scratch(scratch_url, Path::new(side))?;
    notes.push(format!(
        "{name}: loaded {} file{} ({} statement{}) from {side} into the scratch database {}, \
         left as loaded (drop it or create it again before the next run)",
        loaded.files.len(),
        if loaded.files.len() == 1 { "" } else { "s" },
        loaded.statements,
        if loaded.statements == 1 { "" } else { "s" },
        redact(scratch_url)
    ));
    Ok(scratch_url.clone())
}

fn diff_cmd(
    args: &DiffArgs,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Error> {
    let mut loaded = Vec::new();
    let mut scratch = args.scratch_url.iter();
    let from = side_url(&args.from, "FROM", &mut scratch, &mut loaded)?;
    let to = side_url(&args.to, "TO", &mut scratch, &mut loaded)?;
    if scratch.next().is_some() {
        return Err(Error::new(
            ErrorKind::Invalid,
            "reading the command line",
            "--scratch-url is given more often than FROM and TO are paths: give one per path \
             side (FROM's first), none when both are databases",
        ));
    }
    // Say what was loaded before the diff runs, so a failing diff still says where it is.
    for line in &loaded {
        let _ = writeln!(err, "pgdecl: {line}");
    }
    let found = diff_live(&from, &to, args.as_printed, true)?;
    // On stderr, so stdout stays exactly the SQL to run (and empty when in sync).
    for n in &found.not_modelled {
        let side = if n.side == Some("from") { "FROM" } else { "TO" };
        let _ = writeln!(
            err,
            "pgdecl: not modelled, left out of the plan: {side}: {} {}",
            n.kind, n.name
        );
    }
    for line in &found.notes {
        let _ = writeln!(err, "pgdecl: {line}");
    }
    let withheld = |c: &schema_core::Change| !args.allow_destructive && c.is_destructive();
    let withheld_count = found.plan.changes.iter().filter(|c| withheld(c)).count();
    let code = if found.plan.is_empty() {
        EXIT_OK
    } else if withheld_count == 0 {
        EXIT_CHANGES
    } else {
        EXIT_WITHHELD
    };
    if json {
        let mut notes = loaded;
        notes.extend(found.notes);
        write_json(
            out,
            &PlanJson::new(&found.plan, withheld, found.not_modelled, notes),
        )?;
        return Ok(code);
    }
    if found.plan.is_empty() {
        return Ok(EXIT_OK);
    }
    let (safe, held): (Vec<_>, Vec<_>) = found.plan.changes.into_iter().partition(|c| !withheld(c));
    // The same script the app's `plan` prints: hazard comments per change, function bodies
    // unchecked around the plan when it defines functions.
    let mut text = Plan { changes: safe }.to_sql();
    if !held.is_empty() {
        text.push_str("\n-- withheld without --allow-destructive:\n");
        for c in &held {
            text.push_str(&format!("--   {}\n", describe(c)));
        }
    }
    write_out(out, &text)?;
    Ok(code)
}
