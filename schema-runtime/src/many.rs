//! Many databases: one declared schema converged on N databases (one per tenant), a bounded
//! number at a time, each on its own connection. One database failing does not stop the
//! others; the result says, per database, what happened, and how many failed.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use postgres::Client;
use schema_core::Schema;

use crate::converge::{converge, Policy, Report};
use crate::error::{redact, Error, ErrorKind};

/// How to run over many databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManyOptions {
    /// How many databases are worked on at once (at least 1).
    pub jobs: usize,
    /// Show a progress line on stderr, when stderr is a terminal (never in logs or pipes).
    pub progress: bool,
}

impl Default for ManyOptions {
    /// 4 at a time, progress on a terminal.
    fn default() -> Self {
        ManyOptions {
            jobs: 4,
            progress: true,
        }
    }
}

/// What happened on one database.
#[derive(Debug)]
pub struct DatabaseResult {
    /// The database's URL, password removed.
    pub target: String,
    /// The run's report, or why it failed.
    pub outcome: Result<Report, Error>,
    /// How long it took, connection included.
    pub duration: Duration,
}

impl DatabaseResult {
    /// One line for the run's output: `ok`, `FAILED` with the error's first line, or
    /// `withheld` (the report kept changes back), then the database and what was done.
    pub fn line(&self) -> String {
        let ms = self.duration.as_millis();
        match &self.outcome {
            Ok(report) if report.withheld.is_empty() => format!(
                "ok       {}  {} change(s) applied, {} ms",
                self.target,
                report.applied.len(),
                ms
            ),
            Ok(report) => format!(
                "withheld {}  {} change(s) applied, {} withheld, {} ms",
                self.target,
                report.applied.len(),
                report.withheld.len(),
                ms
            ),
            Err(e) => {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or_default();
                format!("FAILED   {}  {first}", self.target)
            }
        }
    }

    /// True when the run failed.
    pub fn failed(&self) -> bool {
        self.outcome.is_err()
    }
}

/// The results of a run over many databases, in the order the databases were given.
#[derive(Debug)]
pub struct ManyReport {
    /// One result per database.
    pub results: Vec<DatabaseResult>,
}

impl ManyReport {
    /// How many databases failed.
    pub fn failures(&self) -> usize {
        self.results.iter().filter(|r| r.failed()).count()
    }

    /// The exit status for a command line: 0 when none failed, else the number that failed
    /// (capped at 100, so it never reads as a signal).
    pub fn exit_code(&self) -> i32 {
        i32::try_from(self.failures().min(100)).unwrap_or(100)
    }
}

impl std::fmt::Display for ManyReport {
    /// One line per database, then `N database(s), M failed`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for r in &self.results {
            writeln!(f, "{}", r.line())?;
        }
        write!(
            f,
            "{} database(s), {} failed",
            self.results.len(),
            self.failures()
        )
    }
}

/// Reads a file of database URLs: one per line; blank lines and lines starting with `#` are
/// skipped.
pub fn read_urls_file(path: &Path) -> Result<Vec<String>, Error> {
    let context = format!("reading the database URLs in {}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| Error::from_io(&context, e))?;
    let urls: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    if urls.is_empty() {
        return Err(Error::new(
            ErrorKind::Invalid,
            &context,
            "the file lists no database: write one URL per line",
        ));
    }
    Ok(urls)
}

/// Converges every database of `urls` to `declared` as `policy` says (see [`converge`]),
/// `options.jobs` at a time. Never stops at a failure: each database gets its result.
pub fn converge_many(
    urls: &[String],
    declared: &Schema,
    policy: &Policy,
    options: ManyOptions,
) -> ManyReport {
    run_many(urls, options, &|client| converge(client, declared, policy))
}

/// Runs `work` on a connection to each database of `urls`, `options.jobs` at a time; a
/// connection error is that database's result. The building block of [`converge_many`], for
/// other per-database work (a plan, a validation, a rollback).
pub fn run_many(
    urls: &[String],
    options: ManyOptions,
    work: &(dyn Fn(&mut Client) -> Result<Report, Error> + Sync),
) -> ManyReport {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<DatabaseResult>>> =
        Mutex::new((0..urls.len()).map(|_| None).collect());
    let progress = Progress::new(options.progress, urls.len());
    let jobs = options.jobs.max(1).min(urls.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(url) = urls.get(i) else { break };
                let started = Instant::now();
                // A panic in one database's work is that database's failure, not the run's.
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    crate::connect(url).and_then(|mut client| work(&mut client))
                }))
                .unwrap_or_else(|_| {
                    Err(Error::new(
                        ErrorKind::Invalid,
                        "converging one of many databases",
                        "pgdecl panicked on this database (a bug: please report it)",
                    ))
                });
                let result = DatabaseResult {
                    target: redact(url),
                    outcome,
                    duration: started.elapsed(),
                };
                if result.failed() {
                    failed.fetch_add(1, Ordering::SeqCst);
                    tracing::warn!(database = %result.target, "{}", result.line());
                } else {
                    tracing::info!(database = %result.target, "{}", result.line());
                }
                slots.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(result);
                let done = done.fetch_add(1, Ordering::SeqCst) + 1;
                progress.show(done, failed.load(Ordering::SeqCst));
            });
        }
    });
    progress.finish();
    let results = slots
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.expect("every database was worked on"))
        .collect();
    ManyReport { results }
}

/// A one-line progress indicator on stderr, redrawn in place; silent unless stderr is a
/// terminal (a dependency-free line rather than a progress-bar crate: one counter is all
/// there is to show).
struct Progress {
    on: bool,
    total: usize,
}

impl Progress {
    fn new(wanted: bool, total: usize) -> Progress {
        Progress {
            on: wanted && std::io::stderr().is_terminal(),
            total,
        }
    }

    fn show(&self, done: usize, failed: usize) {
        if !self.on {
            return;
        }
        const WIDTH: usize = 30;
        let filled = WIDTH * done / self.total.max(1);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r[{}{}] {done}/{} databases, {failed} failed",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            self.total
        );
        let _ = err.flush();
    }

    fn finish(&self) {
        if self.on {
            let _ = writeln!(std::io::stderr());
        }
    }
}
