//! Command lines: the `pgdecl` tool (`inspect`, `diff`) and [`app_main`], which gives an
//! application's own binary `plan | apply | validate | status` for its declared schema.

use std::io::Write;

use schema_core::{diff, Plan, Schema};

use crate::canonicalize::settle_live_pair;
use crate::connect::connect;
use crate::converge::{converge, describe, Mode, Policy};
use crate::error::Error;
use crate::introspect::{introspect, Scope};
use crate::source::to_schema_source;

/// Exit status: in sync / success.
pub const EXIT_OK: i32 = 0;
/// Exit status: an error.
pub const EXIT_ERROR: i32 = 1;
/// Exit status: changes were printed (or the database differs).
pub const EXIT_CHANGES: i32 = 2;
/// Exit status: unsafe changes were withheld (pass `--allow-destructive`).
pub const EXIT_WITHHELD: i32 = 3;

const TOOL_USAGE: &str = "\
usage:
  pgdecl inspect URL                 print the database's schema as schema! source
  pgdecl diff FROM_URL TO_URL        print the DDL that turns FROM into TO
        [--allow-destructive]        include drops and narrowing changes
        [--as-printed]               compare SQL fragments as printed (read-only: without
                                     following those printed differently through FROM)

exit status of diff: 0 in sync, 2 changes printed, 3 unsafe changes withheld, 1 error";

/// The `pgdecl` tool. Returns the process exit status.
pub fn tool_main(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let positional: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let allow_destructive = args.iter().any(|a| a == "--allow-destructive");
    let as_printed = args.iter().any(|a| a == "--as-printed");
    if let Some(bad) = args.iter().find(|a| {
        a.starts_with("--")
            && !["--allow-destructive", "--as-printed", "--help"].contains(&a.as_str())
    }) {
        let _ = writeln!(err, "pgdecl: unknown option {bad}\n{TOOL_USAGE}");
        return EXIT_ERROR;
    }
    let result = match positional.as_slice() {
        ["inspect", url] => inspect_cmd(url, out),
        ["diff", from, to] => diff_cmd(from, to, allow_destructive, as_printed, out, err),
        _ => {
            let _ = writeln!(err, "{TOOL_USAGE}");
            return if args.iter().any(|a| a == "--help" || a == "help") {
                EXIT_OK
            } else {
                EXIT_ERROR
            };
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "pgdecl: {e}");
            EXIT_ERROR
        }
    }
}

fn inspect_cmd(url: &str, out: &mut dyn Write) -> Result<i32, Error> {
    let mut client = connect(url)?;
    let found = introspect(&mut client, &Scope::default())?;
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
    // The two reads are independent: run them side by side.
    let read = |url: &str| introspect(&mut connect(url)?, &Scope::default());
    let (from, to) = std::thread::scope(|s| {
        let to = s.spawn(|| read(to_url));
        let from = connect(from_url).and_then(|mut client| {
            let found = introspect(&mut client, &Scope::default())?;
            Ok((client, found))
        });
        (from, to.join())
    });
    let to = to.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let (mut from_client, mut from) = from?;
    let mut notes = Vec::new();
    for (side, found) in [("FROM", &from), ("TO", &to)] {
        for u in &found.unmodeled {
            notes.push(format!("{side}: {} {}", u.kind, u.name));
        }
    }
    let mut target = to.schema;
    if as_printed {
        notes.push("SQL fragments compared as printed (--as-printed)".to_string());
    } else if let Err(e) = settle_live_pair(&mut from_client, &mut from.schema, &mut target) {
        notes.push(format!(
            "SQL fragments compared as printed: those printed differently could not be \
             created in scratch schemas on FROM ({e}); one FROM holds in an older print of \
             TO's shows as a difference"
        ));
    }
    Ok((diff(&from.schema, &target), notes))
}

fn diff_cmd(
    from: &str,
    to: &str,
    allow_destructive: bool,
    as_printed: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Error> {
    let (plan, notes) = diff_databases_reporting(from, to, as_printed)?;
    // On stderr, so stdout stays exactly the SQL to run (and empty when in sync).
    for line in &notes {
        if line.starts_with("SQL fragments") {
            let _ = writeln!(err, "pgdecl: {line}");
        } else {
            let _ = writeln!(err, "pgdecl: not modelled, left out of the plan: {line}");
        }
    }
    if plan.changes.is_empty() {
        return Ok(EXIT_OK);
    }
    let (safe, withheld): (Vec<_>, Vec<_>) = plan
        .changes
        .into_iter()
        .partition(|c| allow_destructive || !c.is_destructive());
    let mut text = String::new();
    for c in &safe {
        let sql = c.sql();
        text.push_str(&sql);
        if !sql.ends_with('\n') {
            text.push('\n');
        }
    }
    if !withheld.is_empty() {
        text.push_str("\n-- withheld without --allow-destructive:\n");
        for c in &withheld {
            text.push_str(&format!("--   {}\n", describe(c)));
        }
    }
    write_out(out, &text)?;
    Ok(if withheld.is_empty() {
        EXIT_CHANGES
    } else {
        EXIT_WITHHELD
    })
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<(), Error> {
    out.write_all(text.as_bytes())
        .map_err(|e| Error::from_io("writing the output", e))
}

const APP_USAGE: &str = "\
usage: <app> schema plan | apply | validate | status
        [--allow-destructive] [--url URL]
The database URL comes from --url or DATABASE_URL.
  plan       print the SQL that would bring the database to the declared schema
  apply      apply it (destructive changes only with --allow-destructive)
  validate   exit 0 if the database matches, else list every difference and exit 2
  status     the last runs recorded in pgdecl.history";

/// The schema commands for an application's own binary:
///
/// ```no_run
/// # static SCHEMA: std::sync::LazyLock<schema_core::Schema> = std::sync::LazyLock::new(Default::default);
/// // in main(), for `myapp schema apply`:
/// let args: Vec<String> = std::env::args().skip(2).collect();
/// std::process::exit(schema_runtime::cli::app_main(&SCHEMA, &args));
/// ```
///
/// Returns the exit status: 0 done / in sync, 2 differences found or changes pending,
/// 3 changes withheld, 1 error.
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
    let mut url = std::env::var("DATABASE_URL").ok();
    let mut allow_destructive = false;
    let mut command = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--url" => url = it.next().cloned(),
            "--allow-destructive" => allow_destructive = true,
            "plan" | "apply" | "validate" | "status" if command.is_none() => {
                command = Some(a.clone())
            }
            _ => {
                let _ = writeln!(err, "unexpected argument `{a}`\n{APP_USAGE}");
                return EXIT_ERROR;
            }
        }
    }
    let (Some(command), Some(url)) = (command, url) else {
        let _ = writeln!(err, "{APP_USAGE}");
        return EXIT_ERROR;
    };
    let result = (|| -> Result<i32, Error> {
        let mut policy = Policy::from_env()?;
        // Operations (issue 11), before connecting: the skip switch, the missing database.
        if policy.mode == Mode::Off && matches!(command.as_str(), "apply" | "validate") {
            tracing::info!("PGDECL_MODE=off: skipping `{command}`; the database was not read");
            let _ = writeln!(
                err,
                "PGDECL_MODE=off: skipping `{command}` (the database was not contacted)"
            );
            return Ok(EXIT_OK);
        }
        if policy.create_database && command == "apply" {
            crate::converge::create_database_if_missing(&url)?;
        }
        // An explicit command reports a failure in its exit status, whatever the profile's
        // on-failure (meant for start-up calls); the backup hook gets the URL's connection.
        policy.on_failure = crate::converge::OnFailure::Fail;
        policy.backup.url.get_or_insert_with(|| url.clone());
        let mut client = connect(&url)?;
        policy.allow_destructive |= allow_destructive;
        match command.as_str() {
            "status" => {
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
                let plan = crate::converge::plan(&mut client, declared, &policy.ignore_schemas)?;
                let mut text = if plan.changes.is_empty() {
                    "database schema is up to date\n".to_string()
                } else {
                    format!(
                        "{} change(s) pending; run `plan` to see them\n",
                        plan.changes.len()
                    )
                };
                for r in rows {
                    text.push_str(&format!(
                        "{}  {:<13} {:<7} {:>6} ms  {}  {}\n",
                        r.get::<_, String>(0),
                        r.get::<_, String>(1),
                        r.get::<_, String>(2),
                        r.get::<_, i64>(3),
                        r.get::<_, String>(4),
                        r.get::<_, String>(5)
                    ));
                }
                write_out(out, &text)?;
                Ok(if plan.changes.is_empty() {
                    EXIT_OK
                } else {
                    EXIT_CHANGES
                })
            }
            "plan" => {
                let plan = crate::converge::plan(&mut client, declared, &policy.ignore_schemas)?;
                write_out(out, &plan.to_sql())?;
                Ok(if plan.changes.is_empty() {
                    EXIT_OK
                } else {
                    EXIT_CHANGES
                })
            }
            "validate" => {
                policy.mode = Mode::ValidateOnly;
                match converge(&mut client, declared, &policy) {
                    Ok(_) => {
                        write_out(out, "database schema is up to date\n")?;
                        Ok(EXIT_OK)
                    }
                    Err(e) if e.kind() == crate::error::ErrorKind::Drift => {
                        let _ = writeln!(err, "{e}");
                        Ok(EXIT_CHANGES)
                    }
                    Err(e) => Err(e),
                }
            }
            _ => {
                // `apply` honours PGDECL_MODE=apply-safe (staging runs the same binary); any
                // other mode, including validate-only (the default when unset), means apply.
                if policy.mode != Mode::ApplySafe {
                    policy.mode = Mode::Apply;
                }
                let report = match converge(&mut client, declared, &policy) {
                    Ok(report) => report,
                    Err(e) if e.kind() == crate::error::ErrorKind::Refused => {
                        let _ = writeln!(err, "{e}");
                        return Ok(EXIT_WITHHELD);
                    }
                    Err(e) => return Err(e),
                };
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
                write_out(out, &text)?;
                Ok(if report.withheld.is_empty() {
                    EXIT_OK
                } else {
                    EXIT_WITHHELD
                })
            }
        }
    })();
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            EXIT_ERROR
        }
    }
}
