//! The server tests use: a throwaway cluster, or the one `DATABASE_URL` names.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use postgres::error::SqlState;
use postgres::{Client, NoTls};

use super::{binaries::*, cluster::*, database::*, error::*};
use crate::error::redact;

/// A PostgreSQL server for tests: a [`TempCluster`], or the existing server `DATABASE_URL`
/// names. Tests ask it for databases of their own and need not know which one it is.
pub struct TestServer {
    kind: ServerKind,
}

enum ServerKind {
    Owned(TempCluster),
    Shared(&'static TempCluster),
    External {
        url: String,
        binaries: Option<PgBinaries>,
    },
}

impl TestServer {
    /// The server `DATABASE_URL` names if it is set (and not empty), else a new
    /// [`TempCluster`].
    pub fn from_env_or_start() -> Result<TestServer, ClusterError> {
        match database_url_from_env() {
            Some(url) => TestServer::external(&url),
            None => Ok(TestServer {
                kind: ServerKind::Owned(TempCluster::start()?),
            }),
        }
    }

    /// An existing server: `url` is a `postgres://` URL or a `key=value` connection string,
    /// for a role that may create databases (checked here, so that a missing privilege shows
    /// once, clearly, instead of in every test).
    ///
    /// The client tools come from [`PgBinaries::find_clients`], else from `PATH`.
    pub fn external(url: &str) -> Result<TestServer, ClusterError> {
        let mut client = connect(url)?;
        let row = client
            .query_typed_one(
                "select current_user::text, rolcreatedb or rolsuper \
                 from pg_roles where rolname = current_user",
                &[],
            )
            .map_err(|source| ClusterError::Sql {
                action: "look up the privileges of the connecting role".to_owned(),
                target: redact(url),
                source,
            })?;
        let (role, can_create): (String, bool) = (row.get(0), row.get(1));
        if !can_create {
            return Err(ClusterError::NoCreatedb {
                role,
                target: redact(url),
            });
        }
        Ok(TestServer {
            kind: ServerKind::External {
                url: url.to_owned(),
                binaries: PgBinaries::find_clients().ok(),
            },
        })
    }

    /// The server of this process, chosen on first use: the one in `DATABASE_URL`, else
    /// [`TempCluster::shared`] (so both accessors share one cluster).
    ///
    /// # Panics
    ///
    /// If there is no usable server, with the reason and the fix. Meant for tests; use
    /// [`TestServer::try_shared`] to handle the error.
    #[track_caller] // the panic names the test's line, not this one
    pub fn shared() -> &'static TestServer {
        match Self::try_shared() {
            Ok(server) => server,
            Err(err) => panic!("no PostgreSQL server for tests: {err}"),
        }
    }

    /// The server of this process, chosen on first use, or the reason there is none (the
    /// same error on every call: there is one attempt per process).
    pub fn try_shared() -> Result<&'static TestServer, &'static ClusterError> {
        // `None` as the error: the shared cluster failed, and its own OnceLock holds why
        // (taking it out would need a second, different, attempt).
        static SHARED: OnceLock<Result<TestServer, Option<ClusterError>>> = OnceLock::new();
        let shared = SHARED.get_or_init(|| match database_url_from_env() {
            Some(url) => TestServer::external(&url).map_err(Some),
            None => match TempCluster::try_shared() {
                Ok(cluster) => Ok(TestServer {
                    kind: ServerKind::Shared(cluster),
                }),
                Err(_) => Err(None),
            },
        });
        match shared {
            Ok(server) => Ok(server),
            Err(Some(err)) => Err(err),
            Err(None) => Err(TempCluster::try_shared().expect_err("it failed to start before")),
        }
    }

    /// The throwaway cluster, unless the server came from `DATABASE_URL`.
    pub fn temp_cluster(&self) -> Option<&TempCluster> {
        match &self.kind {
            ServerKind::Owned(cluster) => Some(cluster),
            ServerKind::Shared(cluster) => Some(cluster),
            ServerKind::External { .. } => None,
        }
    }

    /// The connection string of the server's administrative database. It holds the password
    /// of `DATABASE_URL`, if any: show [`redact`] of it instead.
    pub fn url(&self) -> &str {
        match &self.kind {
            ServerKind::Owned(cluster) => cluster.url(),
            ServerKind::Shared(cluster) => cluster.url(),
            ServerKind::External { url, .. } => url,
        }
    }

    /// Connects to the server's administrative database.
    pub fn connect(&self) -> Result<Client, ClusterError> {
        connect(self.url())
    }

    /// Creates a database of its own for one test, named `<prefix>_<pid>_<n>` (the prefix
    /// lowercased, with characters other than `a-z0-9_` replaced by `_`), from `template0`,
    /// UTF8, C collation, so that tests see the same database whatever the server defaults.
    ///
    /// The database is dropped when the returned value is, unless the test is panicking:
    /// then it stays for inspection (on an external server; a throwaway cluster goes away
    /// with the process anyway).
    pub fn create_database(&self, prefix: &str) -> Result<TestDatabase, ClusterError> {
        match &self.kind {
            ServerKind::Owned(cluster) => cluster.create_database(prefix),
            ServerKind::Shared(cluster) => cluster.create_database(prefix),
            ServerKind::External { url, binaries } => {
                create_database(url, binaries.as_ref(), prefix)
            }
        }
    }
}

impl fmt::Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ServerKind::External { url, .. } => f
                .debug_struct("TestServer")
                .field("url", &redact(url))
                .finish_non_exhaustive(),
            _ => f
                .debug_struct("TestServer")
                .field("cluster", &self.temp_cluster())
                .finish(),
        }
    }
}

fn database_url_from_env() -> Option<String> {
    std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty())
}

pub(super) fn connect(url: &str) -> Result<Client, ClusterError> {
    Client::connect(url, NoTls).map_err(|source| ClusterError::Connect {
        target: redact(url),
        source,
    })
}

pub(super) fn create_database(
    admin_url: &str,
    binaries: Option<&PgBinaries>,
    prefix: &str,
) -> Result<TestDatabase, ClusterError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut client = connect(admin_url)?;
    let prefix = sanitize_prefix(prefix);
    loop {
        let suffix = format!(
            "_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        // PostgreSQL truncates names to 63 bytes; truncate the prefix so the suffix,
        // which makes the name unique, survives. The prefix is ASCII, so any cut is valid.
        let keep = prefix.len().min(63 - suffix.len());
        let name = format!("{}{suffix}", &prefix[..keep]);
        let sql = format!(
            "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' \
             LC_COLLATE 'C' LC_CTYPE 'C'"
        );
        match client.batch_execute(&sql) {
            Ok(()) => {
                return Ok(TestDatabase {
                    url: database_url(admin_url, &name),
                    name,
                    admin_url: admin_url.to_owned(),
                    binaries: binaries.cloned(),
                    keep: false,
                });
            }
            // Left over from an earlier run whose process had the same id, or made by
            // another machine sharing the server: take the next number.
            Err(err) if err.code() == Some(&SqlState::DUPLICATE_DATABASE) => continue,
            Err(err) if err.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
                return Err(ClusterError::NoCreatedb {
                    role: current_user(&mut client).unwrap_or_else(|| "?".to_owned()),
                    target: redact(admin_url),
                });
            }
            Err(source) => {
                return Err(ClusterError::Sql {
                    action: format!("create database {name}"),
                    target: redact(admin_url),
                    source,
                })
            }
        }
    }
}

fn current_user(client: &mut Client) -> Option<String> {
    let row = client
        .query_typed_one("select current_user::text", &[])
        .ok()?;
    row.get(0)
}

pub(super) fn sanitize_prefix(prefix: &str) -> String {
    let mut out: String = prefix
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '_') => c,
            _ => '_',
        })
        .collect();
    if out.is_empty() {
        out.push_str("test");
    }
    out
}
