//! The `pgdecl` binary and `app_main` against a real PostgreSQL: exit codes (clap's usage
//! errors included), stdout holds only SQL or JSON, unmodelled objects are named on stderr, no
//! password in errors, hazard comments, completions, and migration files as a diff side.

use std::path::{Path, PathBuf};
use std::process::Command;

use pgdecl::runtime::testkit::{TestDatabase, TestServer};
use serde_json::Value;

fn pgdecl(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pgdecl"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn db(prefix: &str, sql: &str) -> TestDatabase {
    let db = TestServer::shared().create_database(prefix).unwrap();
    db.connect().batch_execute(sql).unwrap();
    db
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// A fresh directory under the target's temporary directory, holding `files`.
fn migration_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

#[test]
fn diff_exit_codes_and_output() {
    let from = db(
        "cli_from",
        "CREATE AGGREGATE positive(integer) (SFUNC = int4pl, STYPE = integer, COMBINEFUNC = int4pl);
         CREATE TABLE users (id bigint PRIMARY KEY);
         CREATE TABLE legacy (id int);",
    );
    let to = db(
        "cli_to",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL DEFAULT '');",
    );

    let (code, stdout, stderr) = pgdecl(&["diff", from.url(), from.url()]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(
        stderr.contains("not modelled") && stderr.contains("positive"),
        "{stderr}"
    );

    // Dropping `legacy` is withheld without the flag: exit 3, the safe part still printed,
    // under its hazard comment as the app's `plan` prints it.
    let (code, stdout, stderr) = pgdecl(&["diff", from.url(), to.url()]);
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert!(
        stdout.contains("ADD COLUMN IF NOT EXISTS email"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-- hazards: access-exclusive-lock\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("DROP TABLE"), "{stdout}");
    assert!(stdout.contains("withheld"), "{stdout}");

    let (code, stdout, _) = pgdecl(&["diff", from.url(), to.url(), "--allow-destructive"]);
    assert_eq!(code, 2);
    assert!(stdout.contains("DROP TABLE"), "{stdout}");
    assert!(stdout.contains("-- hazards: "), "{stdout}");

    // What it printed is what turns FROM into TO.
    let applied = from
        .psql_command()
        .args(["-v", "ON_ERROR_STOP=1", "-f", "-"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(stdout.as_bytes())?;
            child.wait()
        })
        .unwrap();
    assert!(applied.success());
    let (code, stdout, _) = pgdecl(&["diff", from.url(), to.url()]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn diff_json_lists_changes_hazards_and_notes() {
    let from = db(
        "cli_json_from",
        "CREATE AGGREGATE positive(integer) (SFUNC = int4pl, STYPE = integer, COMBINEFUNC = int4pl);
         CREATE TABLE users (id bigint PRIMARY KEY);
         CREATE TABLE legacy (id int);",
    );
    let to = db(
        "cli_json_to",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
    );

    let (code, stdout, stderr) = pgdecl(&["diff", "--json", from.url(), to.url()]);
    assert_eq!(code, 3, "{stderr}");
    let plan = json(&stdout);
    assert_eq!(plan["in_sync"], false);
    assert_eq!(plan["withheld"], 1, "{plan:#}");
    let changes = plan["changes"].as_array().unwrap();
    let drop = changes
        .iter()
        .find(|c| c["kind"] == "drop")
        .unwrap_or_else(|| panic!("{plan:#}"));
    assert_eq!(drop["object"]["kind"], "table");
    assert_eq!(drop["object"]["name"], "public.legacy");
    assert_eq!(drop["destructive"], true);
    assert_eq!(drop["withheld"], true);
    assert_eq!(drop["lock"], "ACCESS EXCLUSIVE");
    let codes: Vec<&str> = drop["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"deletes-data"), "{codes:?}");
    assert!(drop["hazards"][0]["help"].as_str().is_some());
    let add = changes
        .iter()
        .find(|c| c["object"]["kind"] == "column")
        .unwrap_or_else(|| panic!("{plan:#}"));
    assert_eq!(add["object"]["table"], "public.users");
    assert_eq!(add["withheld"], false);
    assert_eq!(add["transactional"], true);
    assert!(add["statements"][0]
        .as_str()
        .unwrap()
        .contains("ADD COLUMN IF NOT EXISTS email"));
    assert_eq!(plan["not_modelled"][0]["side"], "from");
    assert!(plan["not_modelled"][0]["kind"]
        .as_str()
        .unwrap()
        .starts_with("aggregate"));
    assert!(plan["not_modelled"][0]["name"]
        .as_str()
        .unwrap()
        .contains("positive"));

    // `--json` works on either side of the command's name; the flag frees the drop.
    let (code, stdout, _) = pgdecl(&[
        "--json",
        "diff",
        "--allow-destructive",
        from.url(),
        to.url(),
    ]);
    assert_eq!(code, 2);
    let plan = json(&stdout);
    assert_eq!(plan["withheld"], 0);

    let (code, stdout, _) = pgdecl(&["diff", "--json", to.url(), to.url()]);
    assert_eq!(code, 0);
    assert_eq!(json(&stdout)["in_sync"], true);
}

#[test]
fn inspect_prints_schema_source() {
    let db = db(
        "cli_inspect",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
    );
    let (code, stdout, stderr) = pgdecl(&["inspect", db.url()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("pgdecl::schema! {"), "{stdout}");
    assert!(stdout.contains("table users {"), "{stdout}");

    let (code, stdout, stderr) = pgdecl(&["inspect", "--json", db.url()]);
    assert_eq!(code, 0, "{stderr}");
    let found = json(&stdout);
    // The model itself, as `Schema::from_json` reads it back.
    let schema = pgdecl::Schema::from_json(&found["schema"].to_string()).unwrap();
    assert!(schema.to_json().contains("email"), "{found:#}");
    assert!(found["server_version"].as_i64().unwrap() > 100_000);
}

#[test]
fn errors_exit_1_without_the_password() {
    let (code, _, stderr) = pgdecl(&[
        "diff",
        "postgresql://app:hunter2@127.0.0.1:1/x?connect_timeout=2",
        "postgresql://app:hunter2@127.0.0.1:1/y?connect_timeout=2",
    ]);
    assert_eq!(code, 1);
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(stderr.contains("help:"), "{stderr}");
}

#[test]
fn help_version_usage_errors_and_completions() {
    let (code, stdout, _) = pgdecl(&["--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Usage: pgdecl"), "{stdout}");
    assert!(
        stdout.contains("inspect") && stdout.contains("diff"),
        "{stdout}"
    );
    assert!(stdout.contains("Exit status"), "{stdout}");
    let (code, stdout, _) = pgdecl(&["diff", "--help"]);
    assert_eq!(code, 0);
    for flag in [
        "--allow-destructive",
        "--as-printed",
        "--json",
        "--scratch-url",
    ] {
        assert!(stdout.contains(flag), "{flag}: {stdout}");
    }
    let (code, stdout, _) = pgdecl(&["help", "inspect"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Usage: pgdecl inspect"), "{stdout}");
    let (code, stdout, _) = pgdecl(&["--version"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("pgdecl 0."), "{stdout}");

    // Usage errors exit 1 (clap's own default, 2, means "changes" here), with the usage.
    for args in [
        &["diff", "--frobnicate", "a", "b"][..],
        &["frobnicate"],
        &["diff", "only-one-side"],
        &[],
    ] {
        let (code, stdout, stderr) = pgdecl(args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(stderr.contains("Usage: pgdecl"), "{args:?}: {stderr}");
    }
    let (_, _, stderr) = pgdecl(&["dif"]);
    assert!(
        stderr.contains("similar") && stderr.contains("diff"),
        "{stderr}"
    );

    for (shell, marker) in [
        ("bash", "complete -F _pgdecl"),
        ("zsh", "#compdef pgdecl"),
        ("fish", "complete -c pgdecl"),
    ] {
        let (code, stdout, stderr) = pgdecl(&["completions", shell]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains(marker), "{shell}: {stdout}");
        assert!(stdout.contains("scratch-url"), "{shell}");
    }
    let (code, _, _) = pgdecl(&["completions", "tcsh"]);
    assert_eq!(code, 1);
}

/// The plain layout (golang-migrate, sqlx, dbmate-less): numbered up files, down files beside
/// them. `10_...` must run after `2_...`, and the down and undo files never.
const PLAIN: &[(&str, &str)] = &[
    (
        "1_users.up.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    ),
    ("1_users.down.sql", "DROP TABLE users;\n"),
    (
        "2_email.up.sql",
        "ALTER TABLE users ADD COLUMN email text;\n-- a comment; with a semicolon\n",
    ),
    ("2_email.down.sql", "ALTER TABLE users DROP COLUMN email;\n"),
    (
        "10_index.up.sql",
        "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n",
    ),
    ("U3__undo.sql", "DROP TABLE users;\n"),
    ("notes.txt", "not SQL"),
];

/// The goose layout: one file per version, up and down parts, a PL/pgSQL body between
/// StatementBegin/End, and a file that runs outside a transaction.
const GOOSE: &[(&str, &str)] = &[
    (
        "00001_users.sql",
        "-- +goose Up\n\
         CREATE TABLE users (id bigint PRIMARY KEY, email text);\n\
         -- +goose StatementBegin\n\
         CREATE FUNCTION users_touch() RETURNS trigger LANGUAGE plpgsql AS $$\n\
         BEGIN NEW.email := lower(NEW.email); RETURN NEW; END;\n\
         $$;\n\
         -- +goose StatementEnd\n\n\
         -- +goose Down\n\
         DROP FUNCTION users_touch();\nDROP TABLE users;\n",
    ),
    (
        "00002_index.sql",
        "-- +goose NO TRANSACTION\n-- +goose Up\n\
         CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n\
         -- +goose Down\nDROP INDEX CONCURRENTLY users_email_idx;\n",
    ),
];

const GOOSE_LIVE: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n\
    CREATE FUNCTION users_touch() RETURNS trigger LANGUAGE plpgsql AS $$\n\
    BEGIN NEW.email := lower(NEW.email); RETURN NEW; END;\n\
    $$;\n\
    CREATE INDEX users_email_idx ON users (email);\n";

#[test]
fn diff_against_a_migration_directory() {
    let plain = migration_dir("cli_plain", PLAIN);
    let live = db(
        "cli_dir_live",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);
         CREATE INDEX users_email_idx ON users (email);",
    );
    let scratch = TestServer::shared().create_database("cli_scratch").unwrap();
    let dir = plain.to_str().unwrap();
    let (code, stdout, stderr) = pgdecl(&["diff", dir, live.url(), "--scratch-url", scratch.url()]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(
        stderr.contains("loaded 3 files (3 statements)") && stderr.contains("left as loaded"),
        "{stderr}"
    );

    // Used once, the scratch database is refused the next time, naming what it holds.
    let (code, _, stderr) = pgdecl(&["diff", dir, live.url(), "--scratch-url", scratch.url()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("not empty") && stderr.contains("relation users"),
        "{stderr}"
    );

    // The live database has moved on: the diff says what the migrations lack, either way.
    live.connect()
        .batch_execute("ALTER TABLE users ADD COLUMN name text")
        .unwrap();
    let scratch = TestServer::shared().create_database("cli_scratch").unwrap();
    let (code, stdout, stderr) = pgdecl(&[
        "diff",
        "--json",
        "--scratch-url",
        scratch.url(),
        live.url(),
        dir,
    ]);
    assert_eq!(code, 3, "{stdout}{stderr}");
    let plan = json(&stdout);
    assert_eq!(plan["changes"][0]["object"]["name"], "public.users.name");
    assert_eq!(plan["changes"][0]["kind"], "drop");
    assert!(plan["notes"][0]
        .as_str()
        .unwrap()
        .starts_with("TO: loaded 3 files"));

    // A path side needs a scratch database.
    let (code, _, stderr) = pgdecl(&["diff", dir, live.url()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("--scratch-url"), "{stderr}");
}

#[test]
fn diff_against_goose_files_and_a_single_sql_file() {
    let goose = migration_dir("cli_goose", GOOSE);
    let live = db("cli_goose_live", GOOSE_LIVE);
    let scratch = TestServer::shared()
        .create_database("cli_goose_scratch")
        .unwrap();
    let (code, stdout, stderr) = pgdecl(&[
        "diff",
        goose.to_str().unwrap(),
        live.url(),
        "--scratch-url",
        scratch.url(),
    ]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(stderr.contains("loaded 2 files (3 statements)"), "{stderr}");

    // One file, and both sides paths: one scratch database each, FROM's first.
    let file = migration_dir("cli_one_file", &[("schema.sql", GOOSE_LIVE)]).join("schema.sql");
    let (s1, s2) = (
        TestServer::shared().create_database("cli_s1").unwrap(),
        TestServer::shared().create_database("cli_s2").unwrap(),
    );
    let (code, stdout, stderr) = pgdecl(&[
        "diff",
        file.to_str().unwrap(),
        goose.to_str().unwrap(),
        "--scratch-url",
        s1.url(),
        "--scratch-url",
        s2.url(),
    ]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");

    // A statement that fails names its file and line.
    let bad = migration_dir(
        "cli_bad",
        &[
            ("1_ok.sql", "CREATE TABLE a (id int);\n"),
            ("2_bad.sql", "\nCREATE TABLE b (id nosuchtype);\n"),
        ],
    );
    let scratch = TestServer::shared()
        .create_database("cli_bad_scratch")
        .unwrap();
    let (code, _, stderr) = pgdecl(&[
        "diff",
        bad.to_str().unwrap(),
        live.url(),
        "--scratch-url",
        scratch.url(),
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("2_bad.sql") && stderr.contains("line 2") && stderr.contains("nosuchtype"),
        "{stderr}"
    );
}

mod app_schema {
    pgdecl::schema! {
        table things {
            id   bigint primary key,
            name text not null default "''",
        }
    }
}

fn app(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = pgdecl::runtime::cli::app_main_with(&app_schema::SCHEMA, &args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn app_main_help_version_and_usage_errors() {
    let (code, stdout, _) = app(&["--help"]);
    assert_eq!(code, 0);
    for word in [
        "plan",
        "apply",
        "validate",
        "status",
        "--url",
        "--json",
        "--allow-destructive",
    ] {
        assert!(stdout.contains(word), "{word}: {stdout}");
    }
    let (code, stdout, _) = app(&["apply", "--help"]);
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, _) = app(&["--version"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("pgdecl 0.") && stdout.contains("declared schema"),
        "{stdout}"
    );
    for args in [
        &["plan", "--frobnicate"][..],
        &["frobnicate"],
        &[],
        &["--url", "x"],
    ] {
        let (code, _, stderr) = app(args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains("Usage:"), "{args:?}: {stderr}");
    }
    // Values clap checks before anything connects: a run id is a number, --jobs at least 1
    // and only with --urls-file.
    for (args, flag) in [
        (&["rollback", "--to", "x"][..], "--to"),
        (&["apply", "--urls-file", "urls", "--jobs", "0"], "--jobs"),
        (&["validate", "--jobs", "8"], "--urls-file"),
    ] {
        let (code, _, stderr) = app(args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
    }
}

#[test]
fn app_main_json_outcomes() {
    let db = TestServer::shared().create_database("cli_app").unwrap();
    let url = db.url();

    let (code, stdout, stderr) = app(&["plan", "--json", "--url", url]);
    assert_eq!(code, 2, "{stderr}");
    let plan = json(&stdout);
    assert_eq!(plan["changes"][0]["object"]["name"], "public.things");
    assert_eq!(plan["changes"][0]["withheld"], false);

    let (code, stdout, stderr) = app(&["--json", "validate", "--url", url]);
    assert_eq!(code, 2, "{stderr}");
    let outcome = json(&stdout);
    assert_eq!(outcome["operation"], "validate");
    assert_eq!(outcome["outcome"], "drift");
    assert_eq!(outcome["affected_tables"][0], "public.things");
    assert_eq!(outcome["error"]["code"], "drift");

    let (code, stdout, stderr) = app(&["--url", url, "apply", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let outcome = json(&stdout);
    assert_eq!(outcome["outcome"], "applied");
    assert_eq!(outcome["mode"], "apply");
    assert_eq!(outcome["changes"][0]["object"]["name"], "public.things");

    let (code, stdout, _) = app(&["validate", "--json", "--url", url]);
    assert_eq!(code, 0);
    assert_eq!(json(&stdout)["outcome"], "in-sync");
    let (code, stdout, _) = app(&["validate", "--url", url]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "database schema is up to date\n")
    );

    let (code, stdout, _) = app(&["status", "--json", "--url", url]);
    assert_eq!(code, 0);
    let status = json(&stdout);
    assert_eq!(status["outcome"], "in-sync");
    assert_eq!(status["history"][0]["outcome"], "applied");

    let (code, stdout, stderr) = app(&[
        "plan",
        "--json",
        "--url",
        "postgresql://app:hunter2@127.0.0.1:1/x?connect_timeout=2",
    ]);
    assert_eq!(code, 1);
    assert_eq!(json(&stdout)["outcome"], "error");
    assert!(!stdout.contains("hunter2") && !stderr.contains("hunter2"));
}

#[test]
fn app_main_operations_from_a_database_pgdecl_never_wrote_to() {
    let db = TestServer::shared().create_database("cli_ops").unwrap();
    let url = db.url();
    let dir = migration_dir("cli_ops_files", &[]);
    let plan_file = dir.join("plan.json");
    let plan_path = plan_file.to_str().unwrap();

    // `status` and `history` on a database pgdecl never wrote to: said, not an error.
    let (code, stdout, stderr) = app(&["status", "--url", url]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stdout.contains("1 change(s) pending")
            && stdout.contains("pgdecl has not written to this database"),
        "{stdout}"
    );
    let (code, stdout, stderr) = app(&["history", "--url", url]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("no runs recorded"), "{stdout}");

    // The production gate: plan --out, approve, apply --plan exactly that plan.
    let (code, stdout, stderr) = app(&["plan", "--out", plan_path, "--url", url]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.contains("CREATE TABLE"), "{stdout}");
    let (code, _, stderr) = app(&["approve", "--plan", plan_path, "--by", "alice"]);
    assert_eq!(code, 0, "{stderr}");
    let file = json(&std::fs::read_to_string(&plan_file).unwrap());
    assert_eq!(file["approval"]["by"], "alice");
    let (code, stdout, stderr) = app(&["apply", "--plan", plan_path, "--url", url]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("applied: "), "{stdout}");

    // apply --json carries the run's audit event.
    let (code, stdout, stderr) = app(&["apply", "--json", "--url", url]);
    assert_eq!(code, 0, "{stderr}");
    let outcome = json(&stdout);
    assert_eq!(outcome["outcome"], "in-sync");
    assert_eq!(outcome["audit"]["operation"], "apply");
    assert_eq!(outcome["audit"]["outcome"], "in-sync");

    // Validate runs are recorded on request.
    let (code, _, stderr) = app(&["validate", "--record", "--url", url]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = app(&["history", "--url", url]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("applied") && stdout.contains("validated"),
        "{stdout}"
    );

    // The one idempotent file needs no database.
    let export = dir.join("export");
    let (code, stdout, stderr) = app(&[
        "export",
        "--format",
        "sql",
        "--dir",
        export.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("001_initial_schema.sql"), "{stdout}");
    let sql = std::fs::read_to_string(export.join("001_initial_schema.sql")).unwrap();
    assert!(sql.contains("CREATE TABLE IF NOT EXISTS"), "{sql}");

    // A plan file made before a hand change is refused (exit 3), naming the change.
    let (code, _, stderr) = app(&["plan", "--out", plan_path, "--url", url]);
    assert_eq!(code, 0, "{stderr}");
    db.connect()
        .batch_execute("ALTER TABLE things ADD COLUMN hand_made text")
        .unwrap();
    let (code, _, stderr) = app(&["apply", "--plan", plan_path, "--url", url]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("hand_made"), "{stderr}");
}
