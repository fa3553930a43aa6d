//! The README's main command: `cargo run --example quickstart`.
//!
//! Declares version 1 of a schema, shows what a service sees at start-up against an empty
//! database, converges it, then evolves the declaration to version 2: the offline plan with its
//! hazards (what code review sees), apply-safe, apply, validate. Runs on a throwaway local
//! PostgreSQL, or in a new database on the server in `DATABASE_URL` when that is set.

use pgdecl::runtime::testkit::TestServer;
use pgdecl::runtime::{converge, Mode, Policy};

/// Version 1: what the service shipped first.
mod v1 {
    pgdecl::schema! {
        extension pgcrypto;

        enum user_role { admin, member }

        /// People who can sign in.
        table users {
            id          uuid primary key default "gen_random_uuid()",
            email       varchar(100) not null unique,
            role        user_role not null default "'member'",
            full_name   text,
            created_at  timestamptz not null default "now()",

            check users_email_not_blank "email <> ''",
        }
    }
}

/// Version 2: the next release.
mod v2 {
    pgdecl::schema! {
        extension pgcrypto;

        enum user_role { admin, auditor, member }

        /// People who can sign in.
        table users {
            id          uuid primary key default "gen_random_uuid()",
            email       varchar(255) not null unique,
            role        user_role not null default "'member'",
            display_name text renamed_from full_name,
            force_password_change boolean not null default false,
            created_at  timestamptz not null default "now()",
            deleted_at  timestamptz,

            check users_email_not_blank "email <> ''",
            index users_live_email_idx on (lower(email)) where "deleted_at is null",
        }

        /// Everything security-relevant that happened.
        table audit_events {
            id       bigint generated always as identity primary key,
            user_id  uuid references users (id) on delete set null,
            action   text not null check "action IN ('login', 'logout', 'password_change')",
            at       timestamptz not null default "now()",

            index on (user_id, at desc),
        }

        function touch_audit() returns trigger language plpgsql as r#"
            BEGIN NEW.at := now(); RETURN NEW; END
        "#;

        trigger audit_events_touch before insert on audit_events
            for each row execute function touch_audit();
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = TestServer::from_env_or_start()?;
    let db = server.create_database("quickstart")?;
    let mut client = db.connect();
    println!("database: {}\n", db.name());

    section("Version 1, as DDL (every statement idempotent)");
    println!("{}", v1::SCHEMA.create_sql());

    section("Start-up in production (validate-only) against the empty database");
    match converge(&mut client, &v1::SCHEMA, &Policy::new(Mode::ValidateOnly)) {
        Ok(_) => println!("in sync"),
        Err(e) => println!("refusing to start:\n{e}\n"),
    }

    section("Start-up in development (apply)");
    let report = converge(&mut client, &v1::SCHEMA, &Policy::new(Mode::Apply))?;
    for change in &report.applied {
        println!("applied: {}", change.object);
    }
    converge(&mut client, &v1::SCHEMA, &Policy::new(Mode::ValidateOnly))?;
    println!("validate-only: database schema is up to date");
    client.batch_execute(
        "INSERT INTO users (email, full_name) VALUES ('ada@example.com', 'Ada'), ('alan@example.com', 'Alan')",
    )?;

    section("Version 2: the offline plan (a cargo-test snapshot, no database needed)");
    let offline = pgdecl::diff(&v1::SCHEMA, &v2::SCHEMA);
    print_plan(&offline);

    section("Version 2 in staging (apply-safe: additive changes only)");
    // Tolerate what apply-safe withholds, to list it; without `allow_withheld` (the
    // default) converge returns an error naming the withheld changes.
    let safe = Policy {
        allow_withheld: true,
        ..Policy::new(Mode::ApplySafe)
    };
    let report = converge(&mut client, &v2::SCHEMA, &safe)?;
    for change in &report.applied {
        println!("applied:  {}", change.object);
    }
    for change in &report.withheld {
        println!("withheld: {} ({})", change.object, codes(change));
    }

    section("Version 2 in development (apply)");
    let report = converge(&mut client, &v2::SCHEMA, &Policy::new(Mode::Apply))?;
    for change in &report.applied {
        println!("applied:  {}", change.object);
    }
    converge(&mut client, &v2::SCHEMA, &Policy::new(Mode::ValidateOnly))?;
    println!("validate-only: database schema is up to date");
    let rows: i64 = client
        .query_one(
            "SELECT count(*) FROM users WHERE display_name IS NOT NULL",
            &[],
        )?
        .get(0);
    println!("users kept across the migration: {rows}");
    let history: i64 = client
        .query_one("SELECT count(*) FROM pgdecl.history", &[])?
        .get(0);
    println!("runs recorded in pgdecl.history: {history}");
    Ok(())
}

fn section(title: &str) {
    println!("\n=== {title}\n");
}

fn codes(change: &pgdecl::Change) -> String {
    let codes: Vec<&str> = change.hazards.iter().map(|h| h.code()).collect();
    if codes.is_empty() {
        "no hazards".into()
    } else {
        codes.join(", ")
    }
}

fn print_plan(plan: &pgdecl::Plan) {
    for change in &plan.changes {
        println!("-- {} [{}]", change.object, codes(change));
        println!("{}\n", change.sql());
    }
}
