//! A database of its own per test, dropped afterwards, and the URLs that name it.

use std::ffi::OsStr;
use std::fmt;
use std::path::Path;
use std::process::Command;
use std::thread;

use postgres::error::SqlState;
use postgres::Client;

use super::{binaries::*, cluster::*, error::*, server::*};
use crate::error::redact;

/// A database of its own for one test, on a [`TestServer`] or [`TempCluster`].
///
/// Dropped (with `DROP DATABASE ... WITH (FORCE)`) when this value is dropped, unless the
/// thread is panicking or [`TestDatabase::keep`] was called.
pub struct TestDatabase {
    pub(super) name: String,
    pub(super) url: String,
    pub(super) admin_url: String,
    pub(super) binaries: Option<PgBinaries>,
    pub(super) keep: bool,
}

impl TestDatabase {
    /// The database name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A connection string for this database, usable by [`postgres::Client::connect`] and by
    /// the command line tools (`psql -d <url>`). For a throwaway cluster it looks like
    /// `postgresql://postgres@/name?host=/tmp/pgdecl-pg-.../socket&port=5432`.
    ///
    /// It holds the password of `DATABASE_URL`, if any: show [`redact`] of it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Connects to this database.
    ///
    /// # Panics
    ///
    /// If the connection fails, with the reason. Meant for tests; use
    /// [`TestDatabase::try_connect`] to handle the error.
    #[track_caller] // the panic names the test's line, not this one
    pub fn connect(&self) -> Client {
        match self.try_connect() {
            Ok(client) => client,
            Err(err) => panic!("test database {}: {err}", self.name),
        }
    }

    /// Connects to this database.
    pub fn try_connect(&self) -> Result<Client, ClusterError> {
        connect(&self.url)
    }

    /// A [`Command`] for program `name` of the server's installation (from `PATH` if that
    /// is not known, or lacks the program), without arguments.
    pub fn bin(&self, name: &str) -> Command {
        match &self.binaries {
            Some(b) if b.path(name).is_file() => b.command(name),
            _ => Command::new(name),
        }
    }

    /// `psql` connected to this database: no `~/.psqlrc` (`-X`), quiet, and stopping at the
    /// first error with a failing exit status (`ON_ERROR_STOP`), so that a test sees a
    /// failure. Add `-c <sql>`, `-f <file>` or stdin.
    pub fn psql_command(&self) -> Command {
        let mut cmd = self.bin("psql");
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(&self.url);
        cmd
    }

    /// `pg_dump` of this database, to stdout. Add options such as `--schema-only`.
    pub fn pg_dump_command(&self) -> Command {
        let mut cmd = self.bin("pg_dump");
        cmd.arg("-d").arg(&self.url);
        cmd
    }

    /// Leaves the database in place when this value is dropped, for inspection.
    pub fn keep(&mut self) {
        self.keep = true;
    }
}

impl fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestDatabase")
            .field("name", &self.name)
            .field("url", &redact(&self.url))
            .finish_non_exhaustive()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        if thread::panicking() {
            eprintln!(
                "test failed: keeping database {} on {} for inspection",
                self.name,
                redact(&self.admin_url)
            );
            return;
        }
        // Best effort: a failure here must not hide the test's own result.
        let result = connect(&self.admin_url).and_then(|mut client| {
            let name = &self.name;
            // WITH (FORCE) (PostgreSQL 13+) ends connections the test left open.
            match client.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            {
                Err(err) if err.code() == Some(&SqlState::SYNTAX_ERROR) => {
                    client.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                }
                other => other,
            }
            .map_err(|source| ClusterError::Sql {
                action: format!("drop database {name}"),
                target: redact(&self.admin_url),
                source,
            })
        });
        if let Err(err) = result {
            eprintln!("warning: {err}");
        }
    }
}

/// A libpq URL for database `dbname` on a server reached through the Unix socket in `socket_dir`.
pub(super) fn socket_url(socket_dir: &Path, port: u16, dbname: &str) -> String {
    format!(
        "postgresql://{SUPERUSER}@/{dbname}?host={}&port={port}",
        percent_encode(socket_dir.as_os_str())
    )
}

/// Percent-encodes a query value, leaving `/` readable: libpq and rust-postgres both decode it.
fn percent_encode(value: &OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `url` with its database replaced by `dbname`. Works for `postgres://` URLs (the path is
/// replaced and any `dbname` query parameter removed) and for `key=value` strings (a `dbname`
/// is appended: the last one wins, in libpq and rust-postgres alike).
pub(super) fn database_url(url: &str, dbname: &str) -> String {
    let Some((scheme, rest)) = split_scheme(url) else {
        return format!("{url} dbname={dbname}");
    };
    // Same reading as rust-postgres: credentials end at the first '@', the host at the
    // first '/' or '?' after it, the path at '?'.
    let host_start = rest.find('@').map_or(0, |at| at + 1);
    let host_end = rest[host_start..]
        .find(['/', '?'])
        .map_or(rest.len(), |i| host_start + i);
    let after_host = &rest[host_end..];
    let query = after_host.find('?').map(|q| &after_host[q + 1..]);
    let mut out = format!("{scheme}{}/{dbname}", &rest[..host_end]);
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("dbname="))
            .collect();
        if !kept.is_empty() {
            out.push('?');
            out.push_str(&kept.join("&"));
        }
    }
    out
}

fn split_scheme(url: &str) -> Option<(&str, &str)> {
    ["postgresql://", "postgres://"]
        .into_iter()
        .find_map(|scheme| url.strip_prefix(scheme).map(|rest| (scheme, rest)))
}
