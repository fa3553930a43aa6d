//! Operations (issue 11) read from the environment: `PGDECL_ENV` profiles and each field's
//! own variable, and through `app_main`: `PGDECL_MODE=off` exits 0 without connecting,
//! `PGDECL_CREATE_DATABASE=true` creates the missing database before an apply. One test
//! function: the process environment is shared by every test of a binary.

use std::time::Duration;

use schema_core::builder::*;
use schema_core::{DataType, Schema};
use schema_runtime::converge::{Env, OnFailure};
use schema_runtime::testkit::TestServer;
use schema_runtime::{cli, ErrorKind, Mode, Policy};

const VARS: [&str; 14] = [
    "PGDECL_ENV",
    "PGDECL_MODE",
    "PGDECL_RUN_TIMEOUT",
    "PGDECL_ALLOW_DESTRUCTIVE",
    "PGDECL_BACKUP_COMMAND",
    "PGDECL_BACKUP_KIND",
    "PGDECL_REQUIRE_BACKUP",
    "PGDECL_VERIFY_BACKUP",
    "PGDECL_REQUIRE_APPROVAL",
    "PGDECL_APPROVED_PLAN",
    "PGDECL_CREATE_DATABASE",
    "PGDECL_ON_FAILURE",
    "PGDECL_IGNORE",
    "DATABASE_URL",
];

fn clear() {
    for v in VARS {
        std::env::remove_var(v);
    }
}

fn schema() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("notes")
                .column(ColumnDef::new("id", DataType::builtin("integer")).primary_key()),
        )
        .build()
}

fn app(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::app_main_with(&schema(), &args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn environments_profiles_overrides_and_app_main() {
    clear();
    // No profile: the defaults of before (validate-only, nothing more).
    let p = Policy::from_env().unwrap();
    assert_eq!(
        (p.mode, p.environment, p.run_timeout),
        (Mode::ValidateOnly, None, None)
    );

    std::env::set_var("PGDECL_ENV", "staging");
    let p = Policy::from_env().unwrap();
    assert_eq!(p, Policy::for_env(Env::Staging));
    assert_eq!(p.run_timeout, Some(Duration::from_secs(300)));

    // Every field has its own variable.
    std::env::set_var("PGDECL_ENV", "production");
    std::env::set_var("PGDECL_MODE", "apply");
    std::env::set_var("PGDECL_RUN_TIMEOUT", "2min");
    std::env::set_var("PGDECL_ALLOW_DESTRUCTIVE", "true");
    std::env::set_var(
        "PGDECL_BACKUP_COMMAND",
        "pg_dump -Fc -f \"$PGDECL_BACKUP_FILE\"",
    );
    std::env::set_var("PGDECL_BACKUP_KIND", "snapshot");
    std::env::set_var("PGDECL_REQUIRE_BACKUP", "false");
    std::env::set_var("PGDECL_VERIFY_BACKUP", "no");
    std::env::set_var("PGDECL_REQUIRE_APPROVAL", "0");
    std::env::set_var("PGDECL_APPROVED_PLAN", "plan.json");
    std::env::set_var("PGDECL_CREATE_DATABASE", "yes");
    std::env::set_var("PGDECL_ON_FAILURE", "continue");
    std::env::set_var(
        "PGDECL_IGNORE",
        "public.schema_migrations,*.flyway_schema_history",
    );
    let p = Policy::from_env().unwrap();
    assert_eq!(p.environment, Some(Env::Production));
    assert_eq!(p.mode, Mode::Apply);
    assert_eq!(p.run_timeout, Some(Duration::from_secs(120)));
    assert!(p.allow_destructive);
    assert_eq!(
        p.backup.command.as_deref(),
        Some("pg_dump -Fc -f \"$PGDECL_BACKUP_FILE\"")
    );
    assert_eq!(p.backup.kind, "snapshot");
    assert!(!p.backup.required && !p.backup.verify && !p.require_approval);
    assert_eq!(
        p.approved_plan.as_deref(),
        Some(std::path::Path::new("plan.json"))
    );
    assert!(p.create_database);
    assert_eq!(p.on_failure, OnFailure::Continue);
    assert!(p.ignore.matches("app", "flyway_schema_history"));
    std::env::set_var("PGDECL_RUN_TIMEOUT", "none");
    assert_eq!(Policy::from_env().unwrap().run_timeout, None);

    // A typo never turns a safeguard off silently: it is an error naming the variable.
    for (var, value) in [
        ("PGDECL_REQUIRE_APPROVAL", "nope"),
        ("PGDECL_ENV", "qa"),
        ("PGDECL_ON_FAILURE", "maybe"),
        ("PGDECL_RUN_TIMEOUT", "soon"),
    ] {
        let before = std::env::var(var).ok();
        std::env::set_var(var, value);
        let err = Policy::from_env().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
        assert!(err.to_string().contains(var), "{err}");
        match before {
            Some(v) => std::env::set_var(var, v),
            None => std::env::remove_var(var),
        }
    }
    clear();

    // The skip switch: exit 0 against an unreachable server, saying so on stderr.
    std::env::set_var("PGDECL_MODE", "off");
    let started = std::time::Instant::now();
    let (code, _, err) = app(&["apply", "--url", "postgresql://app:x@127.0.0.1:1/none"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("PGDECL_MODE=off"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    clear();

    // Create the database before the apply.
    let db = TestServer::shared().create_database("ops_env").unwrap();
    let name = format!("{}_created", db.name());
    let url = db
        .url()
        .replacen(&format!("/{}", db.name()), &format!("/{name}"), 1);
    let (code, _, err) = app(&["apply", "--url", &url]);
    assert_eq!(code, 1, "without the option the database is missing: {err}");
    assert!(err.contains("does not exist"), "{err}");
    std::env::set_var("PGDECL_CREATE_DATABASE", "true");
    let (code, out, err) = app(&["apply", "--url", &url]);
    assert_eq!(code, 0, "{out}{err}");
    clear();
    let (code, _, err) = app(&["validate", "--url", &url]);
    assert_eq!(code, 0, "{err}");
    let mut admin = db.connect();
    admin
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .unwrap();
}
