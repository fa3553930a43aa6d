//! Export against a real PostgreSQL: for each migration tool, the files are run by psql in
//! the order and transaction mode that tool would use, up then down, and the schema dumps
//! compared with databases converged to the target and to the source; the `sql` format's
//! one file runs twice.

mod versions;

use std::path::{Path, PathBuf};
use std::process::Command;

use schema_runtime::converge::rollback::history;
use schema_runtime::export::{
    export_from_history, export_from_live, export_schema_sql, ExportOptions, Exported, Format,
};
use schema_runtime::testkit::{TestDatabase, TestServer};
use schema_runtime::{converge, validate, Mode, Policy};
use versions::{dump, schema};

fn run(mut cmd: Command, what: &str) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `sql` as the tool does: one file in one transaction (`psql --single-transaction`),
/// statement by statement outside a transaction (`psql -f`), or sent as one multi-statement
/// query (`psql -c`: one implicit transaction, as golang-migrate, sqlx's and refinery's
/// no-transaction migrations send a file).
#[derive(Clone, Copy, Debug)]
enum Mode2 {
    OneTransaction,
    Autocommit,
    OneQuery,
}

fn run_sql(db: &TestDatabase, sql: &str, mode: Mode2, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("step.sql");
    std::fs::write(&file, sql).unwrap();
    let mut cmd = db.psql_command();
    match mode {
        Mode2::OneTransaction => {
            cmd.arg("--single-transaction").arg("-f").arg(&file);
        }
        Mode2::Autocommit => {
            cmd.arg("-f").arg(&file);
        }
        Mode2::OneQuery => {
            cmd.arg("-c").arg(sql);
        }
    }
    run(cmd, &format!("{what} ({mode:?})\n{sql}"));
}

/// The version of a migration file: the digits after an optional `V`/`U`.
fn version(path: &Path) -> u64 {
    let name = path.file_name().unwrap().to_str().unwrap();
    let name = name.trim_start_matches(['V', 'U']);
    name[..name.find(|c: char| !c.is_ascii_digit()).unwrap()]
        .parse()
        .unwrap()
}

/// The files of `dir` whose names satisfy `keep`, by version.
fn files(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && keep(p.file_name().unwrap().to_str().unwrap()))
        .collect();
    out.sort_by_key(|p| version(p));
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Runs the up (or down) migrations of `format` in `dir` on `db` the way the tool would.
fn migrate(db: &TestDatabase, format: Format, dir: &Path, up: bool) {
    match format {
        Format::GolangMigrate => {
            let suffix = if up { ".up.sql" } else { ".down.sql" };
            let mut list = files(dir, |n| n.ends_with(suffix));
            if !up {
                list.reverse();
            }
            for f in list {
                run_sql(db, &read(&f), Mode2::OneQuery, &f.display().to_string());
            }
        }
        Format::Goose => {
            let mut list = files(dir, |n| n.ends_with(".sql"));
            if !up {
                list.reverse();
            }
            for f in list {
                let text = read(&f);
                let (up_part, down_part) = text.split_once("-- +goose Down").unwrap();
                let part = if up { up_part } else { down_part };
                assert!(text.contains("-- +goose Up"));
                let mode = if text.contains("-- +goose NO TRANSACTION") {
                    Mode2::Autocommit
                } else {
                    Mode2::OneTransaction
                };
                run_sql(db, part, mode, &f.display().to_string());
            }
        }
        Format::Sqlx => {
            let suffix = if up { ".up.sql" } else { ".down.sql" };
            let mut list = files(dir, |n| n.ends_with(suffix));
            if !up {
                list.reverse();
            }
            for f in list {
                let text = read(&f);
                let mode = if text.starts_with("-- no-transaction") {
                    Mode2::OneQuery
                } else {
                    Mode2::OneTransaction
                };
                run_sql(db, &text, mode, &f.display().to_string());
            }
        }
        Format::Refinery => {
            let mut list = if up {
                files(dir, |n| n.starts_with('V') && n.ends_with(".sql"))
            } else {
                let mut l = files(&dir.join("down"), |n| n.ends_with(".down.sql"));
                l.reverse();
                l
            };
            if up {
                // refinery takes only these names; the down files are elsewhere.
                list.retain(|p| !p.to_str().unwrap().contains("down"));
            }
            for f in list {
                let text = read(&f);
                let mode = if text.lines().any(|l| l == "-- refinery:noTransaction") {
                    Mode2::OneQuery
                } else {
                    Mode2::OneTransaction
                };
                run_sql(db, &text, mode, &f.display().to_string());
            }
        }
        Format::Flyway => {
            let prefix = if up { 'V' } else { 'U' };
            let mut list = files(dir, |n| n.starts_with(prefix) && n.ends_with(".sql"));
            if !up {
                list.reverse();
            }
            for f in list {
                let conf = PathBuf::from(format!("{}.conf", f.display()));
                let mode = if conf.exists() && read(&conf).contains("executeInTransaction=false") {
                    Mode2::Autocommit
                } else {
                    Mode2::OneTransaction
                };
                run_sql(db, &read(&f), mode, &f.display().to_string());
            }
        }
        Format::Sql => unreachable!(),
    }
}

/// Databases converged to v1 and to v2, for the dumps to compare with.
fn references(server: &TestServer) -> (TestDatabase, TestDatabase) {
    let v1 = server.create_database("export_ref_v1").unwrap();
    converge(&mut v1.connect(), &schema(false), &Policy::new(Mode::Apply)).unwrap();
    let v2 = server.create_database("export_ref_v2").unwrap();
    converge(&mut v2.connect(), &schema(true), &Policy::new(Mode::Apply)).unwrap();
    (v1, v2)
}

/// The tool's conventions where a step must run outside a transaction.
fn assert_marked(format: Format, dir: &Path, exported: &Exported) {
    let all: String = exported.files.iter().map(|f| read(f)).collect();
    match format {
        Format::Goose => assert!(all.contains("-- +goose NO TRANSACTION\n")),
        Format::Sqlx => assert!(exported
            .files
            .iter()
            .any(|f| read(f).starts_with("-- no-transaction\n"))),
        Format::Refinery => assert!(
            all.contains("\n-- refinery:noTransaction\n")
                || exported
                    .files
                    .iter()
                    .any(|f| read(f).starts_with("-- refinery:noTransaction\n"))
        ),
        Format::Flyway => assert!(std::fs::read_dir(dir).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_str()
            .unwrap()
            .ends_with(".sql.conf"))),
        _ => {}
    }
    assert!(
        exported
            .notes
            .iter()
            .any(|n| n.contains("--single-transaction")),
        "{:#?}",
        exported.notes
    );
}

#[test]
fn each_format_runs_up_to_the_target_and_down_to_the_source() {
    let server = TestServer::shared();
    let (v1, v2) = references(server);
    let (v1_dump, v2_dump) = (dump(&v1), dump(&v2));
    for format in [
        Format::GolangMigrate,
        Format::Goose,
        Format::Sqlx,
        Format::Refinery,
        Format::Flyway,
    ] {
        let db = server
            .create_database(&format!("export_{}", format.name()))
            .unwrap();
        let mut client = db.connect();
        converge(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let exported = export_from_live(
            &mut client,
            &schema(true),
            &Policy::new(Mode::Apply),
            &ExportOptions::new(format, dir.path()),
        )
        .unwrap();
        // The export only reads.
        assert_eq!(dump(&db), v1_dump, "{}", format.name());
        // The enum label, the concurrent index and the rest: more than one version.
        assert!(exported.files.len() >= 3, "{:#?}", exported.files);
        assert_marked(format, dir.path(), &exported);

        migrate(&db, format, dir.path(), true);
        assert_eq!(dump(&db), v2_dump, "{} up", format.name());
        validate(&mut client, &schema(true)).unwrap();
        migrate(&db, format, dir.path(), false);
        assert_eq!(dump(&db), v1_dump, "{} down", format.name());
    }
}

#[test]
fn a_stored_schema_exports_as_the_source() {
    let server = TestServer::shared();
    let (v1, v2) = references(server);
    let db = server.create_database("export_history").unwrap();
    let mut client = db.connect();
    converge(&mut client, &schema(false), &Policy::new(Mode::Apply)).unwrap();
    let id = history(&mut client, 1).unwrap()[0].id;
    let dir = tempfile::tempdir().unwrap();
    let options = ExportOptions {
        name: "to_v2".into(),
        first_version: 7,
        ..ExportOptions::new(Format::Sqlx, dir.path())
    };
    let exported = export_from_history(
        &mut client,
        id,
        &schema(true),
        &Policy::new(Mode::Apply),
        &options,
    )
    .unwrap();
    assert!(exported.files[0]
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("0007_to_v2_step1"));
    migrate(&db, Format::Sqlx, dir.path(), true);
    assert_eq!(dump(&db), dump(&v2));
    migrate(&db, Format::Sqlx, dir.path(), false);
    assert_eq!(dump(&db), dump(&v1));
}

#[test]
fn destructive_changes_are_left_out_of_exports_with_a_note() {
    let server = TestServer::shared();
    let db = server.create_database("export_left_out").unwrap();
    let mut client = db.connect();
    converge(&mut client, &schema(true), &Policy::new(Mode::Apply)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let exported = export_from_live(
        &mut client,
        &schema(false),
        &Policy::new(Mode::Apply),
        &ExportOptions::new(Format::GolangMigrate, dir.path()),
    )
    .unwrap();
    assert!(
        exported
            .notes
            .iter()
            .any(|n| n.starts_with("left out by the policy")
                && n.contains("column public.accounts.email")),
        "{:#?}",
        exported.notes
    );
    let up: String = exported
        .files
        .iter()
        .filter(|f| f.to_str().unwrap().ends_with(".up.sql"))
        .map(|f| read(f))
        .collect();
    assert!(!up.contains("DROP COLUMN"), "{up}");
    // What the up files do, and undo, still works.
    let before = dump(&db);
    migrate(&db, Format::GolangMigrate, dir.path(), true);
    migrate(&db, Format::GolangMigrate, dir.path(), false);
    assert_eq!(dump(&db), before);
}

#[test]
fn the_sql_format_is_one_idempotent_file() {
    let db = TestServer::shared().create_database("export_sql").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let exported = export_schema_sql(&schema(true), dir.path()).unwrap();
    assert_eq!(exported.files, [dir.path().join("001_initial_schema.sql")]);
    for _ in 0..2 {
        let mut cmd = db.psql_command();
        cmd.arg("-f").arg(&exported.files[0]);
        run(cmd, "psql -f 001_initial_schema.sql");
    }
    validate(&mut db.connect(), &schema(true)).unwrap();
}

#[test]
fn formats_parse_by_name() {
    for f in Format::ALL {
        assert_eq!(f.name().parse::<Format>().unwrap(), f);
    }
    let err = "liquibase".parse::<Format>().unwrap_err();
    assert!(err.to_string().contains("golang-migrate, goose"), "{err}");
}
