//! Each migration tool's file names, headers and no-transaction markers.
//!
//! Steps become versions: version `k` runs up step `k`. The down steps run in the order they
//! were planned, and a tool runs downs from the newest version to the oldest: so the first
//! down step goes with the newest version, the next with the one before, and so on (goose,
//! whose up and down share one file and so one transaction mode, skips versions of the other
//! mode); a down step left over gets a version of its own, older than the others, whose up
//! does nothing.

use std::path::PathBuf;

use super::{create_dir, write_file, ExportOptions, Exported, Format, Step};
use crate::error::Error;

/// One migration version: what its up and its down run.
struct Version {
    up: Option<Step>,
    down: Option<Step>,
}

impl Version {
    /// Outside a transaction when the step it runs must be.
    fn transactional(&self) -> bool {
        self.up
            .as_ref()
            .or(self.down.as_ref())
            .map_or(true, |s| s.transactional)
    }
}

/// Pairs the up and down steps into versions (see the module docs).
fn layout(up: Vec<Step>, down: Vec<Step>, one_mode_per_version: bool) -> Vec<Version> {
    let mut versions: Vec<Version> = up
        .into_iter()
        .map(|s| Version {
            up: Some(s),
            down: None,
        })
        .collect();
    // The next version (from the newest) that may take a down step.
    let mut next = versions.len();
    for step in down {
        while next > 0
            && one_mode_per_version
            && versions[next - 1].transactional() != step.transactional
        {
            next -= 1;
        }
        if next == 0 {
            versions.insert(
                0,
                Version {
                    up: None,
                    down: Some(step),
                },
            );
        } else {
            versions[next - 1].down = Some(step);
            next -= 1;
        }
    }
    versions
}

/// A step's SQL as is.
fn plain(statement: &str) -> String {
    statement.to_string()
}

/// goose ends a statement at a line ending in `;`: a statement with a dollar-quoted body (or
/// any `;` at a line's end before its last line) goes between `StatementBegin` and
/// `StatementEnd`.
fn goose_statement(statement: &str) -> String {
    let lines: Vec<&str> = statement.lines().collect();
    let inner_end = lines
        .iter()
        .take(lines.len().saturating_sub(1))
        .any(|l| l.trim_end().ends_with(';'));
    if statement.contains('$') || inner_end {
        format!("-- +goose StatementBegin\n{statement}\n-- +goose StatementEnd")
    } else {
        statement.to_string()
    }
}

const NOTHING_UP: &str =
    "-- Nothing to do in this version: it carries a step of the down migration.\n";
const NOTHING_DOWN: &str =
    "-- Nothing to undo in this version: a later version's down undoes it.\n";

fn body(step: &Option<Step>, nothing: &str, wrap: &dyn Fn(&str) -> String) -> String {
    step.as_ref()
        .map_or_else(|| nothing.to_string(), |s| s.sql(wrap))
}

/// Writes the versions in `options.format`'s conventions.
pub(super) fn write(
    options: &ExportOptions,
    header: &str,
    up: Vec<Step>,
    down: Vec<Step>,
) -> Result<Exported, Error> {
    let mut out = Exported::default();
    if up.is_empty() && down.is_empty() {
        out.notes
            .push("nothing to export: the database is already the declared schema".to_string());
        return Ok(out);
    }
    create_dir(&options.dir)?;
    let versions = layout(up, down, options.format == Format::Goose);
    let single = versions.len() == 1;
    let mut downs: Vec<PathBuf> = Vec::new();
    for (i, version) in versions.iter().enumerate() {
        let n = options.first_version + i as u64;
        let name = if single {
            options.name.clone()
        } else {
            format!("{}_step{}", options.name, i + 1)
        };
        let tx = version.transactional();
        let up_sql = body(&version.up, NOTHING_UP, &plain);
        let down_sql = body(&version.down, NOTHING_DOWN, &plain);
        let mut file = |path: PathBuf, text: String, is_down: bool| -> Result<(), Error> {
            write_file(&path, &text)?;
            if is_down {
                downs.push(path);
            } else {
                out.files.push(path);
            }
            Ok(())
        };
        let dir = &options.dir;
        match options.format {
            Format::Sql => unreachable!("the sql format writes no plan"),
            Format::GolangMigrate => {
                // The file is sent as one multi-statement query: one implicit transaction,
                // and a step that must run outside one holds a single statement.
                file(
                    dir.join(format!("{n:06}_{name}.up.sql")),
                    format!("{header}\n{up_sql}"),
                    false,
                )?;
                file(
                    dir.join(format!("{n:06}_{name}.down.sql")),
                    format!("{header}\n{down_sql}"),
                    true,
                )?;
            }
            Format::Goose => {
                let no_tx = if tx { "" } else { "-- +goose NO TRANSACTION\n" };
                let up_sql = body(&version.up, NOTHING_UP, &goose_statement);
                let down_sql = body(&version.down, NOTHING_DOWN, &goose_statement);
                file(
                    dir.join(format!("{n:05}_{name}.sql")),
                    format!("{no_tx}{header}\n-- +goose Up\n{up_sql}\n-- +goose Down\n{down_sql}"),
                    false,
                )?;
            }
            Format::Sqlx => {
                // sqlx reads the marker only on the first line.
                let marker = |step: &Option<Step>| {
                    if step.as_ref().is_some_and(|s| !s.transactional) {
                        "-- no-transaction\n"
                    } else {
                        ""
                    }
                };
                file(
                    dir.join(format!("{n:04}_{name}.up.sql")),
                    format!("{}{header}\n{up_sql}", marker(&version.up)),
                    false,
                )?;
                file(
                    dir.join(format!("{n:04}_{name}.down.sql")),
                    format!("{}{header}\n{down_sql}", marker(&version.down)),
                    true,
                )?;
            }
            Format::Refinery => {
                let marker = |step: &Option<Step>| {
                    if step.as_ref().is_some_and(|s| !s.transactional) {
                        "-- refinery:noTransaction\n"
                    } else {
                        ""
                    }
                };
                file(
                    dir.join(format!("V{n}__{name}.sql")),
                    format!("{}{header}\n{up_sql}", marker(&version.up)),
                    false,
                )?;
                // refinery has no down migrations: the way back is written for people, in
                // `down/`, under names refinery does not take for migrations.
                let down_dir = dir.join("down");
                create_dir(&down_dir)?;
                file(
                    down_dir.join(format!("V{n}__{name}.down.sql")),
                    format!(
                        "{}{header}\n-- The down step of V{n}: refinery does not run it; run \
                         the down files newest first.\n{down_sql}",
                        marker(&version.down)
                    ),
                    true,
                )?;
            }
            Format::Flyway => {
                let conf = |path: &PathBuf, step: &Option<Step>| -> Result<(), Error> {
                    if step.as_ref().is_some_and(|s| !s.transactional) {
                        let mut conf = path.as_os_str().to_owned();
                        conf.push(".conf");
                        write_file(&PathBuf::from(conf), "executeInTransaction=false\n")?;
                    }
                    Ok(())
                };
                let v = dir.join(format!("V{n}__{name}.sql"));
                let u = dir.join(format!("U{n}__{name}.sql"));
                conf(&v, &version.up)?;
                conf(&u, &version.down)?;
                file(v, format!("{header}\n{up_sql}"), false)?;
                file(u, format!("{header}\n{down_sql}"), true)?;
            }
        }
        for (step, what) in [(&version.up, "up"), (&version.down, "down")] {
            if step.as_ref().is_some_and(|s| !s.transactional) {
                out.notes.push(format!(
                    "version {n} {what} runs outside a transaction block (CREATE INDEX \
                     CONCURRENTLY): the files are marked so {} runs it so; run it on its own, \
                     not under psql --single-transaction",
                    options.format.name()
                ));
            }
        }
    }
    if options.format == Format::Refinery {
        out.notes.push(format!(
            "refinery has no down migrations: the way back is in {}, one file per version, \
             to run newest first",
            options.dir.join("down").display()
        ));
    }
    downs.reverse();
    out.files.extend(downs);
    Ok(out)
}
