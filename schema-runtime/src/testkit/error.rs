//! The harness's errors: what failed starting or using a test server, and how to fix it.

use std::fmt;
use std::io::{self};
use std::path::PathBuf;
use std::process::ExitStatus;
use std::time::Duration;

use super::cluster::*;

/// Everything that can go wrong starting or using a test server.
///
/// Each message says what failed and how to fix it. None of them contains a password:
/// connection strings are shown with their password replaced by `***`.
#[non_exhaustive]
pub enum ClusterError {
    /// No directory with the PostgreSQL server binaries (`initdb`, `postgres`) was found.
    NoBinaries {
        /// Where the search looked, and what it found there.
        searched: Vec<String>,
    },
    /// `PG_BIN` is set, but the directory lacks a program that is needed.
    BadPgBin {
        /// The value of `PG_BIN`.
        dir: PathBuf,
        /// The missing program.
        missing: String,
    },
    /// The test process runs as root, and there is no `postgres` OS user to run the server as.
    NoPostgresUser,
    /// The test process runs as root, and neither `setpriv` nor `runuser` is available to run
    /// the server as the `postgres` OS user.
    NoPrivilegeDrop,
    /// An operating system call failed (creating a directory, starting a program, ...).
    Io {
        /// What was being done.
        action: String,
        /// Why it failed.
        source: io::Error,
    },
    /// `initdb` failed.
    Initdb {
        /// Its exit status.
        status: ExitStatus,
        /// The end of its output.
        output: String,
    },
    /// The server exited while starting up.
    ServerExited {
        /// Its exit status.
        status: ExitStatus,
        /// The end of the server log.
        log_tail: String,
    },
    /// The server did not accept connections in time.
    StartTimeout {
        /// How long we waited.
        waited: Duration,
        /// The last connection error.
        last_error: String,
        /// The end of the server log.
        log_tail: String,
    },
    /// Connecting to the server failed.
    Connect {
        /// The connection string, password removed.
        target: String,
        /// Why it failed.
        source: postgres::Error,
    },
    /// The role in `DATABASE_URL` may not create databases, so tests cannot get their own.
    NoCreatedb {
        /// The role.
        role: String,
        /// The connection string, password removed.
        target: String,
    },
    /// A statement against the server failed.
    Sql {
        /// What was being done.
        action: String,
        /// The connection string, password removed.
        target: String,
        /// Why it failed.
        source: postgres::Error,
    },
}

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterError::NoBinaries { searched } => {
                write!(
                    f,
                    "no PostgreSQL binaries found: install postgresql (apt-get install -y \
                     postgresql) or set PG_BIN to the directory holding initdb"
                )?;
                for place in searched {
                    write!(f, "\n  looked at {place}")?;
                }
                Ok(())
            }
            ClusterError::BadPgBin { dir, missing } => write!(
                f,
                "PG_BIN is {} but it holds no `{missing}`: set PG_BIN to the directory holding \
                 initdb (for example the output of `pg_config --bindir`), or unset it",
                dir.display()
            ),
            ClusterError::NoPostgresUser => write!(
                f,
                "tests run as root, and PostgreSQL refuses to run as root, but there is no \
                 `{OS_USER}` OS user to run it as: install postgresql (which creates that \
                 user), create it (useradd --system {OS_USER}), or run the tests as a \
                 non-root user"
            ),
            ClusterError::NoPrivilegeDrop => write!(
                f,
                "tests run as root, and PostgreSQL refuses to run as root, but neither \
                 `setpriv` nor `runuser` is on PATH to run it as the `{OS_USER}` user: \
                 install util-linux, or run the tests as a non-root user"
            ),
            ClusterError::Io { action, source } => write!(f, "could not {action}: {source}"),
            ClusterError::Initdb { status, output } => write!(
                f,
                "initdb failed ({status}); its output ends with:\n{output}"
            ),
            ClusterError::ServerExited { status, log_tail } => write!(
                f,
                "the throwaway PostgreSQL server exited while starting ({status}); \
                 its log ends with:\n{log_tail}"
            ),
            ClusterError::StartTimeout {
                waited,
                last_error,
                log_tail,
            } => write!(
                f,
                "the throwaway PostgreSQL server did not accept connections within {}s \
                 (last error: {last_error}); its log ends with:\n{log_tail}",
                waited.as_secs()
            ),
            ClusterError::Connect { target, source } => write!(
                f,
                "could not connect to {target}: {}: check that the server is running \
                 and that DATABASE_URL (if set) is right",
                describe(source)
            ),
            ClusterError::NoCreatedb { role, target } => write!(
                f,
                "role `{role}` on {target} may not create databases, and each test needs its \
                 own: run `ALTER ROLE \"{role}\" CREATEDB` as a superuser, point DATABASE_URL \
                 at a role that can, or unset DATABASE_URL to use a throwaway server"
            ),
            ClusterError::Sql {
                action,
                target,
                source,
            } => write!(f, "could not {action} on {target}: {}", describe(source)),
        }
    }
}

// `unwrap()` and `expect()` in tests print the Debug form; make it the readable message
// (with its multi-line log tails) rather than a struct dump.
impl fmt::Debug for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for ClusterError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClusterError::Io { source, .. } => Some(source),
            ClusterError::Connect { source, .. } | ClusterError::Sql { source, .. } => Some(source),
            _ => None,
        }
    }
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
