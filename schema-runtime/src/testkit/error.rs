//! The harness's errors: what failed starting or using a test server, and how to fix it.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;
use std::time::Duration;

use super::cluster::OS_USER;

/// Everything that can go wrong starting or using a test server.
///
/// Each message says what failed and how to fix it. None of them contains a password:
/// connection strings are shown with their password replaced by `***`.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ClusterError {
    /// No directory with the PostgreSQL server binaries (`initdb`, `postgres`) was found.
    #[error(
        "no PostgreSQL binaries found: install postgresql (apt-get install -y postgresql) or set \
         PG_BIN to the directory holding initdb{}",
        looked_at(.searched)
    )]
    NoBinaries {
        /// Where the search looked, and what it found there.
        searched: Vec<String>,
    },
    /// `PG_BIN` is set, but the directory lacks a program that is needed.
    #[error(
        "PG_BIN is {} but it holds no `{missing}`: set PG_BIN to the directory holding initdb \
         (for example the output of `pg_config --bindir`), or unset it",
        .dir.display()
    )]
    BadPgBin {
        /// The value of `PG_BIN`.
        dir: PathBuf,
        /// The missing program.
        missing: String,
    },
    /// The test process runs as root, and there is no `postgres` OS user to run the server as.
    #[error(
        "tests run as root, and PostgreSQL refuses to run as root, but there is no `{OS_USER}` \
         OS user to run it as: install postgresql (which creates that user), create it \
         (useradd --system {OS_USER}), or run the tests as a non-root user",
        OS_USER = OS_USER
    )]
    NoPostgresUser,
    /// The test process runs as root, and neither `setpriv` nor `runuser` is available to run
    /// the server as the `postgres` OS user.
    #[error(
        "tests run as root, and PostgreSQL refuses to run as root, but neither `setpriv` nor \
         `runuser` is on PATH to run it as the `{OS_USER}` user: install util-linux, or run \
         the tests as a non-root user",
        OS_USER = OS_USER
    )]
    NoPrivilegeDrop,
    /// An operating system call failed (creating a directory, starting a program, ...).
    #[error("could not {action}: {source}")]
    Io {
        /// What was being done.
        action: String,
        /// Why it failed.
        source: io::Error,
    },
    /// `initdb` failed.
    #[error("initdb failed ({status}); its output ends with:\n{output}")]
    Initdb {
        /// Its exit status.
        status: ExitStatus,
        /// The end of its output.
        output: String,
    },
    /// The server exited while starting up.
    #[error(
        "the throwaway PostgreSQL server exited while starting ({status}); its log ends \
         with:\n{log_tail}"
    )]
    ServerExited {
        /// Its exit status.
        status: ExitStatus,
        /// The end of the server log.
        log_tail: String,
    },
    /// The server did not accept connections in time.
    #[error(
        "the throwaway PostgreSQL server did not accept connections within {}s (last error: \
         {last_error}); its log ends with:\n{log_tail}",
        .waited.as_secs()
    )]
    StartTimeout {
        /// How long we waited.
        waited: Duration,
        /// The last connection error.
        last_error: String,
        /// The end of the server log.
        log_tail: String,
    },
    /// Connecting to the server failed.
    #[error(
        "could not connect to {target}: {}: check that the server is running and that \
         DATABASE_URL (if set) is right",
        describe(.source)
    )]
    Connect {
        /// The connection string, password removed.
        target: String,
        /// Why it failed.
        source: postgres::Error,
    },
    /// The role in `DATABASE_URL` may not create databases, so tests cannot get their own.
    #[error(
        "role `{role}` on {target} may not create databases, and each test needs its own: run \
         `ALTER ROLE \"{role}\" CREATEDB` as a superuser, point DATABASE_URL at a role that \
         can, or unset DATABASE_URL to use a throwaway server"
    )]
    NoCreatedb {
        /// The role.
        role: String,
        /// The connection string, password removed.
        target: String,
    },
    /// No `pgbouncer` binary was found (`PGBOUNCER`, `PATH`, /usr/sbin).
    #[error(
        "no pgbouncer binary found: install it (apt-get install -y pgbouncer), or set \
         PGBOUNCER to its path; set PGDECL_SKIP_PGBOUNCER=1 to skip the PgBouncer tests"
    )]
    NoPgBouncer,
    /// PgBouncer did not accept connections in time.
    #[error(
        "PgBouncer did not accept connections (last error: {last_error}); its log ends \
         with:\n{log_tail}"
    )]
    PgBouncerStart {
        /// The last connection error.
        last_error: String,
        /// The end of PgBouncer's log.
        log_tail: String,
    },
    /// A statement against the server failed.
    #[error("could not {action} on {target}: {}", describe(.source))]
    Sql {
        /// What was being done.
        action: String,
        /// The connection string, password removed.
        target: String,
        /// Why it failed.
        source: postgres::Error,
    },
}

// `unwrap()` and `expect()` in tests print the Debug form; make it the readable message
// (with its multi-line log tails) rather than a struct dump.
impl fmt::Debug for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// One `looked at ...` line per place the binary search tried.
fn looked_at(searched: &[String]) -> String {
    searched
        .iter()
        .map(|place| format!("\n  looked at {place}"))
        .collect()
}

/// A postgres error with its causes: its own Display says only "db error" or "error
/// connecting to server", and the useful part (the server's message, the OS error) is in
/// the source chain.
pub(super) fn describe(err: &postgres::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

pub(super) fn io_error(action: impl Into<String>) -> impl FnOnce(io::Error) -> ClusterError {
    let action = action.into();
    move |source| ClusterError::Io { action, source }
}
