//! The command-line handlers of plan files, history and rollback, export and many databases,
//! the handlers [`super::app_main`] calls once it parsed its arguments (public so that an
//! application with its own command line can call them too): each prints what the user reads
//! (results on `out`, notes and refusals on `err`) and returns the exit status
//! (`cli::EXIT_*`), or an error for the caller to print (exit 1).

use std::io::Write;
use std::path::Path;

use postgres::Client;
use schema_core::Schema;

use super::{write_out, EXIT_CHANGES, EXIT_OK, EXIT_WITHHELD};
use crate::converge::plan_file::{apply_plan_file, plan_to_file, PlanFile};
use crate::converge::rollback::{history, rollback_to};
use crate::converge::{describe, AuditEvent, Mode, Operation, Policy, Report};
use crate::error::{Error, ErrorKind};
use crate::export::{
    export_from_history, export_from_live, export_schema_sql, ExportOptions, Exported, Format,
};
use crate::many::{converge_many, read_urls_file, ManyOptions};

/// `plan --out FILE`: writes the plan file, prints the plan as SQL (with the split markers and
/// what was left out). Exit 0 when there is nothing to do, 2 when the plan has changes.
pub fn plan_out(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    path: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Error> {
    let file = plan_to_file(client, declared, policy, path)?;
    write_out(out, &file.script())?;
    for note in &file.notes {
        let _ = writeln!(err, "pgdecl: {note}");
    }
    let _ = writeln!(
        err,
        "pgdecl: plan written to {} ({} change(s), {} left out)",
        path.display(),
        file.changes.len(),
        file.left_out.len()
    );
    Ok(if file.changes.is_empty() && file.left_out.is_empty() {
        EXIT_OK
    } else {
        EXIT_CHANGES
    })
}

/// `apply --plan FILE`: applies exactly the plan file (see [`apply_plan_file`]); with
/// `require_approval` (a profile that requires approval), only an approved one. A stale or
/// unapproved plan is refused: the reason on `err`, exit 3.
pub fn apply_plan(
    client: &mut Client,
    declared: &Schema,
    policy: &Policy,
    path: &Path,
    require_approval: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Error> {
    let file = PlanFile::read(path)?;
    let applied = (|| {
        if require_approval {
            file.require_approval()?;
        }
        apply_plan_file(client, declared, policy, &file)
    })();
    match applied {
        Ok(report) => report_applied(&report, out),
        Err(e) if e.kind() == ErrorKind::Refused => {
            let _ = writeln!(err, "{e}");
            Ok(EXIT_WITHHELD)
        }
        Err(e) => Err(e),
    }
}

/// `history`: the last runs, newest first, one line each.
pub fn print_history(client: &mut Client, out: &mut dyn Write) -> Result<i32, Error> {
    let runs = history(client, 50)?;
    let mut text = String::new();
    if runs.is_empty() {
        text.push_str("no runs recorded: pgdecl has not applied anything to this database\n");
    } else {
        text.push_str("   id  started                 mode          outcome    schema hash       statements\n");
    }
    for run in &runs {
        text.push_str(&format!("{run}\n"));
    }
    write_out(out, &text)?;
    Ok(EXIT_OK)
}

/// `rollback --to ID`: converges back to run ID's stored model (see [`rollback_to`]), in
/// apply mode (apply-safe when the policy says so). A rollback refused for its destructive
/// changes prints them on `err`, exit 3.
pub fn rollback(
    client: &mut Client,
    policy: &Policy,
    id: i64,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Error> {
    let mut policy = policy.clone();
    if policy.mode != Mode::ApplySafe {
        policy.mode = Mode::Apply;
    }
    match rollback_to(client, id, &policy) {
        Ok(report) => report_applied(&report, out),
        Err(e) if e.kind() == ErrorKind::Refused => {
            let _ = writeln!(err, "{e}");
            Ok(EXIT_WITHHELD)
        }
        Err(e) => Err(e),
    }
}

fn report_applied(report: &Report, out: &mut dyn Write) -> Result<i32, Error> {
    let mut text = String::new();
    for c in &report.applied {
        text.push_str(&format!("applied: {}\n", describe(c)));
    }
    for c in &report.withheld {
        text.push_str(&format!("withheld: {}\n", describe(c)));
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

/// Where `export` reads the plan's source from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportSource {
    /// No source: the `sql` format (the whole declared schema).
    None,
    /// A live database (`--from URL`).
    Live(String),
    /// The model stored with a history row (`--from-history ID`) of the database at the URL.
    History {
        /// The database holding the history.
        url: String,
        /// The row.
        id: i64,
    },
}

/// `export --format F --dir D [--from URL | --from-history ID]`: writes the files, lists them
/// on `out` and the notes on `err`. The `sql` format needs no database.
pub fn export(
    declared: &Schema,
    policy: &Policy,
    source: &ExportSource,
    options: &ExportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Error> {
    let exported: Exported = match (options.format, source) {
        (Format::Sql, _) => {
            // No database: no converge run emits this operation's audit event, so it is
            // emitted here (the plan exports emit theirs from the run that planned them).
            let started = std::time::Instant::now();
            let written = export_schema_sql(declared, &options.dir);
            let hash = crate::converge::schema_hash(declared);
            let event = match &written {
                Ok(_) => AuditEvent::from_report(
                    Operation::Export,
                    &Report::empty(Mode::PlanOnly, started.elapsed()),
                    policy,
                    Some(&hash),
                ),
                Err(e) => AuditEvent::from_error(
                    Operation::Export,
                    e,
                    policy,
                    Some(&hash),
                    started.elapsed(),
                ),
            };
            event.emit();
            written?
        }
        (_, ExportSource::Live(url)) => {
            export_from_live(&mut crate::connect(url)?, declared, policy, options)?
        }
        (_, ExportSource::History { url, id }) => {
            export_from_history(&mut crate::connect(url)?, *id, declared, policy, options)?
        }
        (format, ExportSource::None) => {
            return Err(Error::new(
                ErrorKind::Invalid,
                "exporting",
                format!(
                    "the {} format writes a plan: say where it starts, with --from URL (a live \
                     database) or --from-history ID",
                    format.name()
                ),
            ))
        }
    };
    let mut text = String::new();
    for f in &exported.files {
        text.push_str(&format!("{}\n", f.display()));
    }
    write_out(out, &text)?;
    for note in &exported.notes {
        let _ = writeln!(err, "pgdecl: {note}");
    }
    Ok(EXIT_OK)
}

/// `apply|validate --urls-file FILE [--jobs N]`: the policy's run on every database of the
/// file, `jobs` at a time; one line per database on `out`, then the count. The exit status
/// is the number of databases that failed (capped at 100), 0 when none did.
pub fn many(
    declared: &Schema,
    policy: &Policy,
    urls_file: &Path,
    jobs: usize,
    out: &mut dyn Write,
) -> Result<i32, Error> {
    let urls = read_urls_file(urls_file)?;
    let report = converge_many(
        &urls,
        declared,
        policy,
        ManyOptions {
            jobs,
            progress: true,
        },
    );
    write_out(out, &format!("{report}\n"))?;
    Ok(report.exit_code())
}
