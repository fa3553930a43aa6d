//! Benchmarks that print figures (the README's table comes from here):
//!
//! ```text
//! cargo run --release --example bench              # 1000 tables
//! cargo run --release --example bench -- 200       # another size
//! ```
//!
//! Measured side by side in one run, on a throwaway local PostgreSQL (or `DATABASE_URL`):
//! - `create_sql()` of the schema, in process;
//! - the compile-time cost of a crate holding the schema as one `schema!` invocation
//!   (`cargo check` of that crate: expansion and type check), next to a 10-table one;
//! - psql loading the DDL; `pg_dump --schema-only` and `pgdecl diff URL URL` of the loaded
//!   database, whole processes;
//! - planning the declared schema against an empty and an identical database, the first time
//!   (canonicalization included) and again (cached), each in a child process.
//!
//! Peak memory (max RSS) comes from GNU time (`apt-get install time`); "n/a" without it.

#[path = "support/big_schema.rs"]
mod big_schema;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use pgdecl::runtime::converge::forget_canonical_forms;
use pgdecl::runtime::testkit::TestServer;
use pgdecl::runtime::{connect, converge, Mode, Policy};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child-plan") {
        return child_plan(&args[1], args[2].parse()?);
    }
    let n: usize = args.first().map(|a| a.parse()).transpose()?.unwrap_or(1000);
    let schema = big_schema::big_schema(n);
    println!("pgdecl benchmark: {n} tables (9 columns, 2 indexes, 1 foreign key, 1 check each)\n");

    // create_sql, in process: best of 5.
    let mut best = Duration::MAX;
    let mut ddl = String::new();
    for _ in 0..5 {
        let t = Instant::now();
        ddl = schema.create_sql();
        best = best.min(t.elapsed());
    }
    row(
        "create_sql()",
        best,
        None,
        &format!("{} KiB of DDL", ddl.len() / 1024),
    );

    // Compile-time cost of the schema! invocation.
    let source = pgdecl::runtime::source::to_schema_source(&schema);
    let small = pgdecl::runtime::source::to_schema_source(&big_schema::big_schema(10));
    for (label, src) in [
        ("cargo check, 10-table schema!", &small),
        (&*format!("cargo check, {n}-table schema!"), &source),
    ] {
        match compile_cost(src) {
            Ok(d) => row(label, d, None, "expansion + type check of that crate"),
            Err(e) => println!("{label:<44} failed: {e}"),
        }
    }

    // Database figures.
    let server = TestServer::from_env_or_start()?;
    let loaded = server.create_database("bench_loaded")?;
    let dir = std::env::temp_dir().join(format!("pgdecl-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let ddl_file = dir.join("schema.sql");
    std::fs::write(&ddl_file, &ddl)?;
    let mut psql = loaded.psql_command();
    psql.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f"])
        .arg(&ddl_file);
    let (t, m, _) = measure(&psql)?;
    row("psql loading the DDL", t, m, "");

    let mut dump = loaded.pg_dump_command();
    dump.args(["--schema-only", "-f"]).arg(dir.join("dump.sql"));
    let (t, m, _) = measure(&dump)?;
    row("pg_dump --schema-only", t, m, "");

    let tool = sibling_binary("pgdecl")?;
    let mut diff = Command::new(&tool);
    diff.args(["diff", loaded.url(), loaded.url()]);
    let (t, m, out) = measure(&diff)?;
    let note = if out.trim().is_empty() {
        "whole process"
    } else {
        "whole process (NOT in sync!)"
    };
    row("pgdecl diff URL URL (in sync)", t, m, note);

    let empty = server.create_database("bench_empty")?;
    for (label, db) in [("empty", &empty), ("identical", &loaded)] {
        for again in [false, true] {
            let mut child = Command::new(std::env::current_exe()?);
            child
                .args(["--child-plan", db.url(), if again { "1" } else { "0" }])
                .env("PGDECL_BENCH_TABLES", n.to_string());
            let (_, mem, out) = measure(&child)?;
            let measured = Duration::from_secs_f64(out.trim().parse::<f64>()?);
            let what = if again {
                "again (cached)"
            } else {
                "first (canonicalizes)"
            };
            row(
                &format!("plan vs {label} database, {what}"),
                measured,
                mem,
                "",
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// In a child: plans `url` against the schema, printing the seconds of the measured call
/// (the first, or the second when `again`).
fn child_plan(url: &str, again: u8) -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::var("PGDECL_BENCH_TABLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let schema = big_schema::big_schema(n);
    let mut client = connect(url)?;
    let policy = Policy::new(Mode::PlanOnly);
    forget_canonical_forms();
    let t = Instant::now();
    let report = converge(&mut client, &schema, &policy)?;
    let mut measured = t.elapsed();
    if again == 1 {
        let t = Instant::now();
        converge(&mut client, &schema, &policy)?;
        measured = t.elapsed();
    }
    eprintln!("{} changes planned", report.plan.changes.len());
    println!("{}", measured.as_secs_f64());
    Ok(())
}

fn row(label: &str, d: Duration, mem_kib: Option<u64>, note: &str) {
    let mem = mem_kib.map_or("n/a".to_string(), |k| {
        format!("{:.0} MB", k as f64 / 1024.0)
    });
    println!(
        "{label:<44} {:>9.3} s   peak {mem:>7}   {note}",
        d.as_secs_f64()
    );
}

/// Runs `cmd` to completion under GNU time when present: (wall time, peak RSS in KiB, stdout).
/// Exit codes 2 and 3 are `pgdecl diff`'s "changes" answers, not failures.
fn measure(cmd: &Command) -> Result<(Duration, Option<u64>, String), Box<dyn std::error::Error>> {
    let mem_file = std::env::temp_dir().join(format!("pgdecl-bench-mem-{}", std::process::id()));
    let mut run = if Path::new("/usr/bin/time").exists() {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&mem_file)
            .arg(cmd.get_program());
        c
    } else {
        Command::new(cmd.get_program())
    };
    run.args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => run.env(k, v),
            None => run.env_remove(k),
        };
    }
    let t = Instant::now();
    let out = run.stderr(std::process::Stdio::piped()).output()?;
    let elapsed = t.elapsed();
    if !matches!(out.status.code(), Some(0 | 2 | 3)) {
        return Err(format!(
            "{:?} failed: {}\n{}",
            cmd.get_program(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let mem = std::fs::read_to_string(&mem_file)
        .ok()
        .and_then(|s| s.trim().lines().last()?.trim().parse().ok());
    let _ = std::fs::remove_file(&mem_file);
    Ok((elapsed, mem, String::from_utf8(out.stdout)?))
}

/// The `pgdecl` binary next to this example's, built in the same profile first (cargo does
/// nothing when it is fresh; a stale binary would measure old code).
fn sibling_binary(name: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let exe = std::env::current_exe()?;
    let profile_dir = exe.parent().and_then(Path::parent).ok_or("no target dir")?;
    let mut build = Command::new(env!("CARGO"));
    build
        .args(["build", "--quiet", "--bin", name])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if profile_dir.ends_with("release") {
        build.arg("--release");
    }
    if !build.status()?.success() {
        return Err(format!("could not build {name}").into());
    }
    Ok(profile_dir.join(name))
}

/// `cargo check` of a scratch crate whose lib.rs is `schema_source`: the second, timed run
/// re-checks only that crate (dependencies are built by the first).
fn compile_cost(schema_source: &str) -> Result<Duration, Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target").join("bench-compile");
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"bench-schema\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\npgdecl = {{ path = {:?} }}\n\n[workspace]\n",
            root.display().to_string()
        ),
    )?;
    let lib = format!("#![allow(dead_code)]\n{schema_source}");
    let check = || -> Result<Duration, Box<dyn std::error::Error>> {
        let t = Instant::now();
        let out = Command::new(env!("CARGO"))
            .args(["check", "--quiet"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .output()?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr)
                .lines()
                .take(20)
                .collect::<Vec<_>>()
                .join("\n")
                .into());
        }
        Ok(t.elapsed())
    };
    // Cargo compares modification times at one-second granularity: wait before each write so
    // the change is always seen.
    let write = |text: &str| -> std::io::Result<()> {
        std::thread::sleep(Duration::from_millis(1100));
        std::fs::write(dir.join("src/lib.rs"), text)
    };
    write("")?;
    check()?; // dependencies
    write(&lib)?;
    check()
}
