//! Benchmarks that print figures (the README's tables come from here):
//!
//! ```text
//! cargo run --release --example bench                          # every shape, 1000 and 10,000 tables
//! cargo run --release --example bench -- --tables 1000 --shapes basic,issue
//! cargo run --release --example bench -- --no-compile --diesel none
//! ```
//!
//! For each schema shape (see `support/big_schema.rs`: `basic`, `issue`, `indexes`,
//! `functions`, `partitions`) and size, measured side by side in one run on a throwaway
//! local PostgreSQL (or `DATABASE_URL`):
//! - psql loading the DDL; `pg_dump --schema-only` and a no-op `pgdecl diff URL URL` of the
//!   loaded database, whole processes;
//! - planning the declared schema against an empty and an identical database, the first time
//!   (canonicalization included) and again in the same process (cached), in a child process;
//!   psql's load and each plan run twice (pg_dump and the no-op diff five times each, in
//!   turns, and the cached plan five times), the fastest counting;
//! - the compile-time cost of a crate holding the schema as one `schema!` invocation (`cargo
//!   check` of that crate: expansion and type check);
//! - and once, diesel's `table!` + `joinable!` + `allow_tables_to_appear_in_same_query!` for
//!   the basic shape's tables at sizes diesel can manage, next to `schema!` at the same sizes
//!   (diesel is a dependency of that generated crate only, never of pgdecl).
//!
//! Peak memory (max RSS) comes from GNU time (`apt-get install time`); "n/a" without it.
//! Statements are what the server ran for the measured call (its round trips): the throwaway
//! cluster logs every statement (`log_statement = all` for the benchmark's role) and the lines
//! of the measured window are counted; "n/a" on a `DATABASE_URL` server.
//! The growth column is the 10,000-table figure over the 1000-table one (10x is linear).

#[path = "support/big_schema.rs"]
mod big_schema;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use big_schema::Shape;
use pgdecl::runtime::converge::forget_canonical_forms;
use pgdecl::runtime::testkit::{TestDatabase, TestServer};
use pgdecl::runtime::{converge_url, Mode, Policy};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// One measured figure.
#[derive(Clone, Copy, Default)]
struct Figure {
    secs: f64,
    /// Peak resident set, KiB.
    mem_kib: Option<u64>,
    /// Statements the server ran.
    stmts: Option<u64>,
}

/// The figures of one shape at one size, by row.
struct Run {
    tables: usize,
    psql: Figure,
    dump: Figure,
    diff: Figure,
    in_sync: bool,
    empty_first: Figure,
    empty_again: Figure,
    same_first: Figure,
    same_again: Figure,
    check: Option<Figure>,
    /// The same `cargo check` with the macro and its dependencies built optimized.
    check_opt: Option<Figure>,
    /// Why a measure has no figure (it failed), for the notes under the table.
    failures: Vec<String>,
}

struct Options {
    tables: Vec<usize>,
    shapes: Vec<Shape>,
    compile: bool,
    diesel: Vec<usize>,
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child-plan") {
        return child_plan(&args[1]);
    }
    // `--source SHAPE N`: the `schema!` source the compile-time row checks, for profiling
    // the macro on its own; `--ddl SHAPE N`: the DDL psql loads, for profiling a read or a
    // plan against a database of your own.
    if let Some(what @ ("--source" | "--ddl")) = args.first().map(String::as_str) {
        let usage = format!("{what} SHAPE N");
        let shape = args
            .get(1)
            .and_then(|s| Shape::parse(s))
            .ok_or(usage.as_str())?;
        let n: usize = args.get(2).ok_or(usage.as_str())?.parse()?;
        let schema = shape.schema(n);
        if what == "--ddl" {
            print!("{}", schema.create_sql());
        } else {
            print!("{}", pgdecl::runtime::source::to_schema_source(&schema));
        }
        return Ok(());
    }
    let opts = options(&args)?;
    let server = TestServer::from_env_or_start()?;
    // Count statements through the server log: every new session of this role logs them.
    let log = server.temp_cluster().map(|c| c.log_file());
    if log.is_some() {
        server
            .connect()?
            .batch_execute("ALTER ROLE CURRENT_USER SET log_statement = 'all'")?;
    }
    let tool = sibling_binary("pgdecl")?;
    let mut report = String::new();
    for &shape in &opts.shapes {
        let mut runs = Vec::new();
        for &n in &opts.tables {
            eprintln!("== {} at {n} tables", shape.name());
            runs.push(run_one(
                &server,
                log.as_deref(),
                &tool,
                shape,
                n,
                opts.compile,
            )?);
        }
        let table = shape_table(shape, &runs);
        println!("{table}");
        report.push_str(&table);
        report.push('\n');
    }
    if !opts.diesel.is_empty() {
        let table = diesel_table(&opts.diesel)?;
        println!("{table}");
        report.push_str(&table);
    }
    if log.is_some() {
        server
            .connect()?
            .batch_execute("ALTER ROLE CURRENT_USER RESET log_statement")?;
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-report.md");
    std::fs::write(&out, &report)?;
    eprintln!("report written to {}", out.display());
    Ok(())
}

fn options(args: &[String]) -> Res<Options> {
    let list = |v: Option<&String>| -> Res<Vec<usize>> {
        let v = v.ok_or("a list expected after the flag")?;
        if v == "none" {
            return Ok(Vec::new());
        }
        Ok(v.split(',')
            .map(|s| s.trim().replace('_', "").parse())
            .collect::<Result<_, _>>()?)
    };
    let mut opts = Options {
        tables: vec![1000, 10_000],
        shapes: Shape::ALL.to_vec(),
        compile: true,
        diesel: vec![50, 200],
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--tables" => opts.tables = list(it.next())?,
            "--diesel" => opts.diesel = list(it.next())?,
            "--no-compile" => opts.compile = false,
            "--shapes" => {
                opts.shapes = it
                    .next()
                    .ok_or("a list of shapes expected after --shapes")?
                    .split(',')
                    .map(|s| {
                        Shape::parse(s.trim()).ok_or_else(|| {
                            format!(
                                "unknown shape {s:?}: one of {}",
                                Shape::ALL.map(Shape::name).join(", ")
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?
            }
            // The former interface: one table count.
            n if n.parse::<usize>().is_ok() => opts.tables = vec![n.parse()?],
            other => {
                return Err(format!(
                    "unknown argument {other:?}: --tables N,N --shapes a,b --no-compile --diesel N,N|none"
                )
                .into())
            }
        }
    }
    Ok(opts)
}

fn run_one(
    server: &TestServer,
    log: Option<&Path>,
    tool: &Path,
    shape: Shape,
    n: usize,
    compile: bool,
) -> Res<Run> {
    let schema = shape.schema(n);
    let ddl = schema.create_sql();
    let dir = std::env::temp_dir().join(format!("pgdecl-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let ddl_file = dir.join("schema.sql");
    std::fs::write(&ddl_file, &ddl)?;

    // Loaded [`LONG_RUNS`] times, each into a new database, the fastest counting; the last
    // load is the identical database the reads and plans below run against.
    let mut psql: Option<Figure> = None;
    let mut loaded = None;
    for _ in 0..LONG_RUNS {
        drop(loaded.take());
        let db = server.create_database("bench_loaded")?;
        settle(&[&db]);
        let mut load = db.psql_command();
        load.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f"])
            .arg(&ddl_file);
        let (f, _) = measure(&load, log)?;
        progress("psql loading the DDL", f);
        if psql.map_or(true, |best| f.secs < best.secs) {
            psql = Some(f);
        }
        loaded = Some(db);
    }
    let (psql, loaded) = (psql.ok_or("no load")?, loaded.ok_or("no load")?);
    settle(&[&loaded]);

    let mut dump = loaded.pg_dump_command();
    dump.args(["--schema-only", "-f"]).arg(dir.join("dump.sql"));
    let mut diff = Command::new(tool);
    diff.args(["diff", loaded.url(), loaded.url()]);
    let ((dump, _), (diff, out)) = fastest_in_turns(&dump, &diff, log)?;
    progress("pg_dump --schema-only", dump);
    let in_sync = out.trim().is_empty();
    progress("pgdecl diff URL URL (no-op)", diff);
    if !in_sync {
        eprintln!(
            "   NOT in sync: {}",
            out.lines().take(5).collect::<Vec<_>>().join(" | ")
        );
    }

    let empty = server.create_database("bench_empty")?;
    let mut plans = Vec::new();
    let mut failures = Vec::new();
    'databases: for (label, db) in [("empty", &empty), ("identical", &loaded)] {
        let mut child = Command::new(std::env::current_exe()?);
        child
            .args(["--child-plan", db.url()])
            .env("PGDECL_BENCH_TABLES", n.to_string())
            .env("PGDECL_BENCH_SHAPE", shape.name());
        if let Some(log) = log {
            child.env("PGDECL_BENCH_LOG", log);
        }
        // [`LONG_RUNS`] children, each canonicalizing anew (a plan stores no canonical form
        // in the database), the fastest first plan and the fastest cached one counting; the
        // peak memory is the larger of the runs'.
        let mut best: Option<(Figure, Figure)> = None;
        for _ in 0..LONG_RUNS {
            // The last run's rolled-back scratch build left dead catalog rows: vacuumed here.
            settle(&[&loaded, &empty]);
            // A plan that fails (at 10,000 tables: the scratch build runs out of lock slots)
            // is a finding, reported under the table, not the end of the run.
            let (whole, out) = match measure(&child, None) {
                Ok(done) => done,
                Err(e) => {
                    let why = failure(&e.to_string());
                    eprintln!("   plan vs {label} database FAILED: {why}");
                    failures.push(format!("plan vs {label} database: {why}"));
                    let failed = Figure {
                        secs: f64::NAN,
                        ..Figure::default()
                    };
                    plans.push((failed, failed));
                    continue 'databases;
                }
            };
            // The child prints: first seconds, first statements, again seconds, again
            // statements.
            let f: Vec<f64> = out
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<_, _>>()?;
            let stmts = |v: f64| (v >= 0.0).then_some(v as u64);
            let first = Figure {
                secs: f[0],
                mem_kib: whole.mem_kib,
                stmts: stmts(f[1]),
            };
            let again = Figure {
                secs: f[2],
                mem_kib: whole.mem_kib,
                stmts: stmts(f[3]),
            };
            progress("plan, first", first);
            progress("plan, again", again);
            best = Some(match best {
                None => (first, again),
                Some((b1, b2)) => {
                    let mem = b1.mem_kib.max(first.mem_kib);
                    let pick = |b: Figure, f: Figure| Figure {
                        mem_kib: mem,
                        ..if f.secs < b.secs { f } else { b }
                    };
                    (pick(b1, first), pick(b2, again))
                }
            });
        }
        plans.extend(best);
    }
    let (check, check_opt) = if compile {
        let source = pgdecl::runtime::source::to_schema_source(&schema);
        let mut one = |optimized: bool| {
            let label = if optimized {
                "cargo check, macro optimized"
            } else {
                "cargo check of the schema! crate"
            };
            match compile_cost(&format!("{}-{n}", shape.name()), &source, None, optimized) {
                Ok(f) => {
                    progress(label, f);
                    Some(f)
                }
                Err(e) => {
                    let why = failure(&e.to_string());
                    eprintln!("   {label} FAILED: {why}");
                    failures.push(format!("{label}: {why}"));
                    None
                }
            }
        };
        (one(false), one(true))
    } else {
        (None, None)
    };
    drop((loaded, empty));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Run {
        tables: n,
        psql,
        dump,
        diff,
        in_sync,
        empty_first: plans[0].0,
        empty_again: plans[0].1,
        same_first: plans[1].0,
        same_again: plans[1].1,
        check,
        check_opt,
        failures,
    })
}

/// Brings the server to rest before a timed step: the catalogs of `dbs` vacuumed and
/// analyzed, then a checkpoint. A load of thousands of tables (or a plan's rolled-back
/// scratch build: dead catalog rows) otherwise sets autovacuum and the checkpointer to work
/// on this 2-core machine while the next step is timed, a cost of the step before, and the
/// reads would plan on catalog statistics of an empty database, which a database in service
/// does not have. Best effort:
/// a role that may not vacuum the catalogs or checkpoint (`DATABASE_URL`) measures as is.
fn settle(dbs: &[&TestDatabase]) {
    for db in dbs {
        let Ok(mut client) = db.try_connect() else {
            continue;
        };
        let catalogs: Vec<String> = client
            .query(
                "SELECT 'pg_catalog.' || pg_catalog.quote_ident(relname) FROM pg_catalog.pg_class
                 WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r'",
                &[],
            )
            .map(|rows| rows.iter().map(|r| r.get(0)).collect())
            .unwrap_or_default();
        if !catalogs.is_empty() {
            let _ = client.batch_execute(&format!("VACUUM (ANALYZE) {}", catalogs.join(", ")));
        }
        let _ = client.batch_execute("CHECKPOINT");
    }
}

/// The telling line of a failure's message.
fn failure(message: &str) -> String {
    if message.contains("out of shared memory") {
        return "out of shared memory (max_locks_per_transaction)".to_string();
    }
    let line = message
        .lines()
        .find(|l| l.contains("rror"))
        .unwrap_or(message.lines().next().unwrap_or(""));
    line.chars().take(200).collect()
}

fn progress(label: &str, f: Figure) {
    eprintln!("   {label:<36} {}", cell(&f, None));
}

/// In a child: plans `url` against the schema twice in one process (the first canonicalizes,
/// the second finds the canonical form cached), printing the seconds and statements of each.
fn child_plan(url: &str) -> Res<()> {
    let n: usize = std::env::var("PGDECL_BENCH_TABLES")?.parse()?;
    let shape = Shape::parse(&std::env::var("PGDECL_BENCH_SHAPE")?).ok_or("unknown shape")?;
    let log = std::env::var_os("PGDECL_BENCH_LOG").map(PathBuf::from);
    let schema = shape.schema(n);
    let policy = Policy::new(Mode::PlanOnly);
    forget_canonical_forms();
    // The first plan, then the fastest of [`READ_RUNS`] cached ones (as pg_dump and the no-op
    // diff count their fastest of as many). Each on a connection of its own, opened in the timed
    // part, as a deploy plans (and as the no-op diff reads): a server session keeps what
    // earlier statements left in its caches, and PostgreSQL 15 searches its catalog cache's
    // lists (one per function name `pg_get_triggerdef` resolved) linearly, so a fourth read
    // of 10,000 triggers on one session took 4.2 s where a fresh session took 0.8 s.
    let mut runs: Vec<(f64, f64)> = Vec::new();
    for _ in 0..=READ_RUNS {
        let mark = log.as_deref().map(log_len);
        let t = Instant::now();
        let report = converge_url(url, &schema, &policy)?;
        let secs = t.elapsed().as_secs_f64();
        let stmts = match (log.as_deref(), mark) {
            (Some(log), Some(mark)) => statements_since(log, mark) as f64,
            _ => -1.0,
        };
        eprintln!("{} changes planned", report.plan.changes.len());
        runs.push((secs, stmts));
    }
    let again = runs[1..]
        .iter()
        .copied()
        .fold((f64::INFINITY, -1.0), |best, run| {
            if run.0 < best.0 {
                run
            } else {
                best
            }
        });
    println!("{} {} {} {}", runs[0].0, runs[0].1, again.0, again.1);
    Ok(())
}

/// `a / b` as `0.81x`.
fn ratio(a: f64, b: f64) -> String {
    if a.is_nan() || b.is_nan() {
        return "failed".to_string();
    }
    format!("{:.2}x", a / b)
}

/// A table cell: seconds (with a ratio to `base` when given), peak memory, statements.
fn cell(f: &Figure, base: Option<(&str, f64)>) -> String {
    if f.secs.is_nan() {
        return "failed".to_string();
    }
    let mut s = format!("{:.3} s", f.secs);
    if let Some((name, b)) = base {
        let _ = write!(s, " ({} {name})", ratio(f.secs, b));
    }
    if let Some(k) = f.mem_kib {
        let _ = write!(s, ", {:.0} MB", k as f64 / 1024.0);
    }
    if let Some(n) = f.stmts {
        let _ = write!(s, ", {n} stmts");
    }
    s
}

fn mb(f: &Figure) -> Option<f64> {
    f.mem_kib.map(|k| k as f64 / 1024.0)
}

/// One markdown table per shape: a column per size, the growth between the first and last
/// size, then the goals.
fn shape_table(shape: Shape, runs: &[Run]) -> String {
    let mut s = format!(
        "### `{}`: {}\n\n| measure |",
        shape.name(),
        shape.describe()
    );
    for r in runs {
        let _ = write!(s, " {} tables |", r.tables);
    }
    let growth = runs.len() >= 2;
    if growth {
        let _ = write!(
            s,
            " growth {}/{} |",
            runs[runs.len() - 1].tables,
            runs[0].tables
        );
    }
    s.push_str("\n|---|");
    for _ in 0..runs.len() + usize::from(growth) {
        s.push_str("---:|");
    }
    s.push('\n');
    type Pick = fn(&Run) -> (Figure, Option<(&'static str, f64)>);
    let rows: [(&str, Pick); 9] = [
        ("psql loading the DDL", |r| (r.psql, None)),
        ("`pg_dump --schema-only`", |r| (r.dump, None)),
        ("`pgdecl diff URL URL`, no-op", |r| {
            (r.diff, Some(("pg_dump", r.dump.secs)))
        }),
        ("plan vs empty database, first (canonicalizes)", |r| {
            (r.empty_first, Some(("psql", r.psql.secs)))
        }),
        ("plan vs empty database, again (cached)", |r| {
            (r.empty_again, Some(("diff", r.diff.secs)))
        }),
        ("plan vs identical database, first", |r| {
            (r.same_first, Some(("psql", r.psql.secs)))
        }),
        ("plan vs identical database, again (cached)", |r| {
            (r.same_again, Some(("diff", r.diff.secs)))
        }),
        ("`cargo check` of the `schema!` crate", |r| {
            let failed = Figure {
                secs: f64::NAN,
                ..Figure::default()
            };
            (r.check.unwrap_or(failed), None)
        }),
        (
            "`cargo check`, macro optimized (`build-override`, see below)",
            |r| {
                let failed = Figure {
                    secs: f64::NAN,
                    ..Figure::default()
                };
                (r.check_opt.unwrap_or(failed), None)
            },
        ),
    ];
    for (label, pick) in rows {
        if label.contains("cargo check")
            && runs
                .iter()
                .all(|r| r.check.is_none() && r.check_opt.is_none())
        {
            continue;
        }
        let _ = write!(s, "| {label} |");
        for r in runs {
            let (f, base) = pick(r);
            let _ = write!(s, " {} |", cell(&f, base));
        }
        if growth {
            let (a, _) = pick(&runs[0]);
            let (b, _) = pick(&runs[runs.len() - 1]);
            if a.secs.is_nan() || b.secs.is_nan() || a.secs == 0.0 {
                s.push_str(" n/a |\n");
                continue;
            }
            let _ = write!(s, " {} time", ratio(b.secs, a.secs));
            if let (Some(x), Some(y)) = (mb(&a), mb(&b)) {
                let _ = write!(s, ", {} mem", ratio(y, x));
            }
            if let (Some(x), Some(y)) = (a.stmts, b.stmts) {
                let _ = write!(s, ", {} stmts", ratio(y as f64, x as f64));
            }
            s.push_str(" |");
        }
        s.push('\n');
    }
    s.push('\n');
    for r in runs {
        let yes = |ok: bool| if ok { "met" } else { "**missed**" };
        let mem = [
            r.diff,
            r.empty_first,
            r.empty_again,
            r.same_first,
            r.same_again,
        ]
        .iter()
        .filter_map(mb)
        .fold(0.0, f64::max);
        let _ = write!(
            s,
            "Goals at {} tables: no-op diff <= 0.5x pg_dump {} ({}); cold plan <= 1x psql {} \
             ({} empty, {} identical); cached plan <= no-op diff {} ({} s vs {:.3} s)",
            r.tables,
            yes(r.diff.secs <= 0.5 * r.dump.secs),
            ratio(r.diff.secs, r.dump.secs),
            yes(r.empty_first.secs.max(r.same_first.secs) <= r.psql.secs),
            ratio(r.empty_first.secs, r.psql.secs),
            ratio(r.same_first.secs, r.psql.secs),
            yes(r.same_again.secs.max(r.empty_again.secs) <= r.diff.secs),
            match r.same_again.secs.max(r.empty_again.secs) {
                f if f.is_nan() => "failed".to_string(),
                f => format!("{f:.3}"),
            },
            r.diff.secs,
        );
        if r.tables == 1000 && mem > 0.0 {
            let _ = write!(s, "; peak memory < 50 MB {} ({mem:.0} MB)", yes(mem < 50.0));
        }
        if let (10_000, Some(c)) = (r.tables, r.check) {
            let _ = write!(
                s,
                "; cargo check < 10 s {} ({:.1} s)",
                yes(c.secs < 10.0),
                c.secs
            );
            if let Some(o) = r.check_opt {
                let _ = write!(s, " (macro optimized: {:.1} s)", o.secs);
            }
        }
        if !r.in_sync {
            s.push_str("; **the no-op diff was not empty**");
        }
        for f in &r.failures {
            let _ = write!(s, "; failed: {f}");
        }
        s.push_str(".\n\n");
    }
    s
}

/// `cargo check` of diesel's `table!` + `joinable!` + `allow_tables_to_appear_in_same_query!`
/// next to `schema!`, both for the basic shape's tables.
fn diesel_table(sizes: &[usize]) -> Res<String> {
    let mut s = String::from(
        "### Compile time: `schema!` vs diesel's `table!` (basic shape)\n\n\
         | tables | `schema!` | diesel `table!` + `joinable!` + `allow_tables_to_appear_in_same_query!` |\n\
         |---:|---:|---:|\n",
    );
    for &n in sizes {
        eprintln!("== compile time at {n} tables");
        let ours = compile_cost(
            &format!("basic-{n}"),
            &pgdecl::runtime::source::to_schema_source(&Shape::Basic.schema(n)),
            None,
            false,
        )?;
        progress("schema!", ours);
        let theirs = compile_cost(
            &format!("diesel-{n}"),
            &diesel_source(n),
            Some("diesel = { version = \"2.2\", default-features = false, features = [\"postgres_backend\"] }"),
            false,
        );
        let theirs = match theirs {
            Ok(f) => {
                progress("diesel", f);
                cell(&f, Some(("schema!", ours.secs)))
            }
            Err(e) => {
                eprintln!("   diesel failed: {e}");
                format!("failed: {}", e.to_string().lines().next().unwrap_or(""))
            }
        };
        let _ = writeln!(s, "| {n} | {} | {theirs} |", cell(&ours, None));
    }
    Ok(s)
}

/// The basic shape's tables as diesel declares them.
fn diesel_source(n: usize) -> String {
    let mut s = String::new();
    let name = |i: usize| format!("table_{i:04}");
    for i in 0..n {
        let _ = writeln!(
            s,
            "diesel::table! {{\n    {} (id) {{\n        id -> Int8,\n        parent_id -> Nullable<Int8>,\n        \
             name -> Text,\n        email -> Nullable<Varchar>,\n        status -> Text,\n        \
             score -> Numeric,\n        tags -> Nullable<Array<Text>>,\n        \
             created_at -> Timestamptz,\n        deleted_at -> Nullable<Timestamptz>,\n    }}\n}}",
            name(i)
        );
    }
    for i in 1..n {
        let _ = writeln!(
            s,
            "diesel::joinable!({} -> {} (parent_id));",
            name(i),
            name(i - 1)
        );
    }
    let all: Vec<String> = (0..n).map(name).collect();
    let _ = writeln!(
        s,
        "diesel::allow_tables_to_appear_in_same_query!({});",
        all.join(", ")
    );
    s
}

/// How many times the reads the no-op goal compares (`pg_dump`, the no-op diff) and the cached
/// plans run; the fastest counts. Five, not three: in the eighth run a slow stretch of this
/// shared machine lasted through three diffs in a row twice.
const READ_RUNS: usize = 5;

/// How many times psql's load and the plans run (each load into a new database, each plan in a
/// new process); the fastest counts. The scratch builds of a cold plan and psql's load are
/// the same kind of work (thousands of catalog inserts), and on this shared 2-core machine
/// one run of either varied by a factor of two between runs minutes apart.
const LONG_RUNS: usize = 2;

/// [`measure`] of `a` and `b` [`READ_RUNS`] times each, in turns (`a`, `b`, `a`, ...), the
/// fastest run's figure of each. The two reads the goal compares take a fraction of a second
/// to a few seconds, and one run on a shared machine varies by tens of percent: the fastest is
/// the least disturbed, and taking turns puts a slow stretch of the machine on both sides of
/// the ratio, not on all the runs of one.
fn fastest_in_turns(
    a: &Command,
    b: &Command,
    log: Option<&Path>,
) -> Res<((Figure, String), (Figure, String))> {
    let mut best: [Option<(Figure, String)>; 2] = [None, None];
    for _ in 0..READ_RUNS {
        for (slot, cmd) in best.iter_mut().zip([a, b]) {
            let next = measure(cmd, log)?;
            if slot.as_ref().map_or(true, |b| next.0.secs < b.0.secs) {
                *slot = Some(next);
            }
        }
    }
    let [a, b] = best;
    Ok((a.ok_or("no run")?, b.ok_or("no run")?))
}

/// Runs `cmd` to completion under GNU time when present, counting the statements the server
/// logs meanwhile when `log` is given: (figure, stdout). Exit codes 2 and 3 are `pgdecl
/// diff`'s "changes" answers, not failures.
fn measure(cmd: &Command, log: Option<&Path>) -> Res<(Figure, String)> {
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
    if let Some(dir) = cmd.get_current_dir() {
        run.current_dir(dir);
    }
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => run.env(k, v),
            None => run.env_remove(k),
        };
    }
    let mark = log.map(log_len);
    let t = Instant::now();
    let out = run.stderr(std::process::Stdio::piped()).output()?;
    let secs = t.elapsed().as_secs_f64();
    let stmts = log.zip(mark).map(|(l, m)| statements_since(l, m));
    if !matches!(out.status.code(), Some(0 | 2 | 3)) {
        return Err(format!(
            "{:?} failed: {}\n{}",
            cmd.get_program(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .take(30)
                .collect::<Vec<_>>()
                .join("\n")
        )
        .into());
    }
    let mem_kib = std::fs::read_to_string(&mem_file)
        .ok()
        .and_then(|s| s.trim().lines().last()?.trim().parse().ok());
    let _ = std::fs::remove_file(&mem_file);
    Ok((
        Figure {
            secs,
            mem_kib,
            stmts,
        },
        String::from_utf8(out.stdout)?,
    ))
}

fn log_len(log: &Path) -> u64 {
    std::fs::metadata(log).map_or(0, |m| m.len())
}

/// Statements the server logged after byte `from` of its log: one `statement:` line per
/// simple query message (a batch of several statements is one round trip and one line) and
/// one `execute` line per extended-protocol execution.
fn statements_since(log: &Path, from: u64) -> u64 {
    use std::io::{BufRead, BufReader, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(log) else {
        return 0;
    };
    if f.seek(SeekFrom::Start(from)).is_err() {
        return 0;
    }
    BufReader::new(f)
        .split(b'\n')
        .map_while(Result::ok)
        .filter(|line| {
            let line = String::from_utf8_lossy(line);
            line.contains("LOG:  statement: ") || line.contains("LOG:  execute ")
        })
        .count() as u64
}

/// The `pgdecl` binary next to this example's, built in the same profile first (cargo does
/// nothing when it is fresh; a stale binary would measure old code).
fn sibling_binary(name: &str) -> Res<PathBuf> {
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

/// `cargo check` of a scratch crate (`target/bench-compile/<name>`) whose lib.rs is
/// `source`, with `dependency` (a Cargo.toml line) instead of pgdecl when given. The timed
/// run re-checks only that crate: its dependencies are checked first, into a target
/// directory all scratch crates share.
/// `cargo check` of a crate holding `source`, after its dependencies were checked. With
/// `optimized`, the crate's manifest builds proc macros and their dependencies optimized
/// (`[profile.dev.build-override] opt-level = 3`, what the README recommends for schemas of
/// thousands of tables), in a target directory of its own.
fn compile_cost(
    name: &str,
    source: &str,
    dependency: Option<&str>,
    optimized: bool,
) -> Res<Figure> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = root.join("target").join(if optimized {
        "bench-compile-opt"
    } else {
        "bench-compile"
    });
    let dir = base.join(name);
    std::fs::create_dir_all(dir.join("src"))?;
    let dependency = dependency.map_or_else(
        || format!("pgdecl = {{ path = {:?} }}", root.display().to_string()),
        str::to_string,
    );
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"bench-schema\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\n{dependency}\n\n[workspace]\n{}",
            if optimized {
                "\n[profile.dev.build-override]\nopt-level = 3\n"
            } else {
                ""
            }
        ),
    )?;
    let mut check = Command::new(env!("CARGO"));
    check
        .args(["check", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", base.join("target"));
    // Cargo compares modification times at one-second granularity: wait before each write so
    // the change is always seen.
    let write = |text: &str| -> std::io::Result<()> {
        std::thread::sleep(Duration::from_millis(1100));
        std::fs::write(dir.join("src/lib.rs"), text)
    };
    write("")?;
    measure(&check, None)?; // dependencies
    write(&format!("#![allow(dead_code)]\n{source}"))?;
    Ok(measure(&check, None)?.0)
}
