//! Creating the database a URL names when it is missing (`PGDECL_CREATE_DATABASE`, on in
//! development): through a maintenance database of the same server (`postgres`, else
//! `template1`), safe when several replicas start at once.

use std::time::Duration;

use postgres::error::SqlState;
use postgres::types::Type;
use postgres::{Client, Config, NoTls};

use crate::error::{redact, Error, ErrorKind};

/// Creates the database `url` names unless it exists; `Ok(true)` when this call created it.
///
/// Connects to the same server with the same role, to the maintenance database `postgres`
/// (or `template1` when `postgres` is missing). Replicas racing to create the same database
/// are fine: losing the race (`duplicate_database`, 42P04, or the catalog's unique key) counts
/// as success once the database exists, and a `CREATE DATABASE` refused because another one
/// is copying the template at that moment is retried. A role without `CREATEDB` gets an
/// error that says so and how to fix it. The name is quoted as an identifier, so any name
/// works and none injects SQL.
pub fn create_database_if_missing(url: &str) -> Result<bool, Error> {
    let config: Config = url.parse().map_err(|e| {
        Error::new(
            ErrorKind::Invalid,
            &format!("reading the database URL {}", redact(url)),
            format!("{e}"),
        )
    })?;
    let user = config.get_user().map(str::to_string);
    let Some(name) = config
        .get_dbname()
        .map(str::to_string)
        .or_else(|| user.clone())
    else {
        return Err(Error::new(
            ErrorKind::Invalid,
            &format!("reading the database URL {}", redact(url)),
            "it names no database and no user: add the database name to the URL",
        ));
    };
    let mut maintenance = connect_maintenance(&config)?;
    if exists(&mut maintenance, &name)? {
        return Ok(false);
    }
    let create = format!("CREATE DATABASE {}", schema_core::ident::quote_ident(&name));
    let mut pause = Duration::from_millis(50);
    for attempt in 0.. {
        match maintenance.batch_execute(&create) {
            Ok(()) => {
                tracing::info!(database = %name, "created the missing database");
                return Ok(true);
            }
            Err(e) => {
                let code = e.code().cloned();
                // Another replica won the race: its database is ours.
                if (code == Some(SqlState::DUPLICATE_DATABASE)
                    || code == Some(SqlState::UNIQUE_VIOLATION))
                    && exists(&mut maintenance, &name)?
                {
                    tracing::info!(database = %name, "the database was created concurrently");
                    return Ok(false);
                }
                // "source database is being accessed by other users": a concurrent CREATE
                // DATABASE (or a client) is on the template right now; it passes.
                if code == Some(SqlState::OBJECT_IN_USE) && attempt < 20 {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_secs(1));
                    if exists(&mut maintenance, &name)? {
                        return Ok(false);
                    }
                    continue;
                }
                if code == Some(SqlState::INSUFFICIENT_PRIVILEGE) {
                    let role = user.as_deref().unwrap_or("the connecting role");
                    return Err(Error::new(
                        ErrorKind::MissingPrivilege,
                        &format!("creating the missing database {name:?}"),
                        format!(
                            "the role {role:?} lacks CREATEDB ({}): grant it (ALTER ROLE {} \
                             CREATEDB), or create the database beforehand as a role that has \
                             it (createdb {}), or turn PGDECL_CREATE_DATABASE off",
                            e.as_db_error()
                                .map_or(String::new(), |d| d.message().to_string()),
                            schema_core::ident::quote_ident(role),
                            shell_word(&name),
                        ),
                    ));
                }
                return Err(Error::from_postgres(
                    &format!("creating the missing database {name:?}"),
                    e,
                ));
            }
        }
    }
    unreachable!("the loop returns")
}

/// Connects as `config` to `postgres`, or to `template1` when `postgres` is missing.
fn connect_maintenance(config: &Config) -> Result<Client, Error> {
    let mut last = None;
    for maintenance in ["postgres", "template1"] {
        let mut config = config.clone();
        config.dbname(maintenance);
        match config.connect(NoTls) {
            Ok(client) => return Ok(client),
            Err(e) if e.code() == Some(&SqlState::INVALID_CATALOG_NAME) => last = Some(e),
            Err(e) => {
                return Err(Error::from_postgres(
                    &format!("connecting to the maintenance database {maintenance} to create the missing database"),
                    e,
                ))
            }
        }
    }
    Err(Error::from_postgres(
        "connecting to a maintenance database (postgres, template1) to create the missing database",
        last.expect("two attempts failed"),
    ))
}

fn exists(client: &mut Client, name: &str) -> Result<bool, Error> {
    client
        .query_typed(
            "SELECT 1 FROM pg_database WHERE datname = $1",
            &[(&name, Type::TEXT)],
        )
        .map(|rows| !rows.is_empty())
        .map_err(|e| Error::from_postgres("looking the database up in pg_database", e))
}

/// `name` as one shell word, for the `createdb` hint.
fn shell_word(name: &str) -> String {
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', r"'\''"))
    }
}
