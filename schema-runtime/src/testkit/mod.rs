//! Throwaway PostgreSQL servers for tests and examples (cargo feature `testkit`, off by
//! default: not part of pgdecl's run-time API).
//!
//! Tests that talk to a real server need one that is cheap, private and gone when the test
//! process ends. This module starts one from the locally installed PostgreSQL binaries
//! ([`TempCluster`]), or, when `DATABASE_URL` is set, uses an existing server instead
//! ([`TestServer`]). Either way each test gets its own database ([`TestDatabase`]), so tests
//! can run in parallel without seeing each other's objects.
//!
//! ```no_run
//! use schema_runtime::testkit::TestServer;
//!
//! // One server per test process: a throwaway cluster, or the one in DATABASE_URL.
//! let db = TestServer::shared().create_database("my_test").expect("test database");
//! let mut client = db.connect();
//! let one: i32 = client.query_one("select 1", &[]).unwrap().get(0);
//! assert_eq!(one, 1);
//!
//! // The command line tools of the same installation, already pointed at the database.
//! let out = db.pg_dump_command().arg("--schema-only").output().unwrap();
//! assert!(out.status.success());
//! ```
//!
//! # How the throwaway cluster works
//!
//! * Binaries come from `PG_BIN`, then `pg_config --bindir`, then the newest
//!   `/usr/lib/postgresql/*/bin` (Debian and Ubuntu keep `initdb` there, off `PATH`).
//! * `initdb` (trust authentication, superuser `postgres`, UTF8, C locale, no fsync) writes a
//!   data directory in a fresh temporary directory; the server listens only on a Unix socket in
//!   that directory, with durability switched off, since the data is thrown away.
//! * PostgreSQL refuses to run as root. When the test process is root, `initdb` and `postgres`
//!   run as the `postgres` OS user (through `setpriv`, or `runuser`), and the directories are
//!   handed to that user. Client tools keep running as root: they connect over the socket.
//! * The server must not outlive the test process, and test binaries never drop statics, so
//!   cleanup cannot rely on [`Drop`] alone. A tiny shell watchdog is started before anything
//!   else, holding the read end of a pipe whose write end only this process has. When this
//!   process exits, however it exits (even `SIGKILL`), the kernel closes the write end; the
//!   watchdog then stops the server (immediate shutdown) and deletes the temporary directory.
//!   Dropping a [`TempCluster`] closes the pipe too, and waits for the watchdog to finish.

mod binaries;
mod cluster;
mod database;
mod error;
mod pgbouncer;
mod server;

pub use binaries::PgBinaries;
pub use cluster::{ClusterOptions, TempCluster};
pub use database::TestDatabase;
pub use error::ClusterError;
pub use pgbouncer::PgBouncer;
pub use server::TestServer;

#[cfg(test)]
mod tests {
    use super::database::{database_url, socket_url};
    use super::server::sanitize_prefix;
    use std::path::Path;

    #[test]
    fn replaces_the_database() {
        assert_eq!(
            database_url("postgres://u:p@h:1/old?sslmode=disable&dbname=x", "new"),
            "postgres://u:p@h:1/new?sslmode=disable"
        );
        assert_eq!(database_url("postgres://h", "new"), "postgres://h/new");
        assert_eq!(
            database_url("postgresql://u@/old?host=/tmp/s&port=5", "new"),
            "postgresql://u@/new?host=/tmp/s&port=5"
        );
        assert_eq!(
            database_url("host=h user=u", "new"),
            "host=h user=u dbname=new"
        );
    }

    #[test]
    fn socket_urls_parse_for_rust_postgres() {
        let url = socket_url(Path::new("/tmp/a b/sock"), 5432, "db");
        assert_eq!(
            url,
            "postgresql://postgres@/db?host=/tmp/a%20b/sock&port=5432"
        );
        let config: postgres::Config = url.parse().unwrap();
        assert_eq!(config.get_dbname(), Some("db"));
        assert_eq!(config.get_user(), Some("postgres"));
        assert_eq!(
            config.get_hosts(),
            [postgres::config::Host::Unix("/tmp/a b/sock".into())]
        );
    }

    #[test]
    fn sanitizes_prefixes() {
        assert_eq!(sanitize_prefix("My-Test::case"), "my_test__case");
        assert_eq!(sanitize_prefix(""), "test");
    }

    #[test]
    fn cluster_errors_name_the_fix() {
        let text = super::ClusterError::NoPostgresUser.to_string();
        assert!(text.contains("useradd --system postgres"), "{text}");
        let text = super::ClusterError::NoBinaries {
            searched: vec!["PG_BIN (unset)".into()],
        }
        .to_string();
        assert!(
            text.ends_with("holding initdb\n  looked at PG_BIN (unset)"),
            "{text}"
        );
        assert_eq!(format!("{:?}", super::ClusterError::NoPrivilegeDrop), {
            super::ClusterError::NoPrivilegeDrop.to_string()
        });
    }
}
