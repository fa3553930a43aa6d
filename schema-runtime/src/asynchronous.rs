//! [`converge`], [`plan`] and [`validate`] as futures, for services that start on a tokio
//! runtime (cargo feature `tokio`).
//!
//! # Design: one implementation, run where blocking is allowed
//!
//! pgdecl's live side is written once, against the blocking `postgres::Client`. That client
//! runs its own small runtime and panics when used from inside another one, so these
//! functions do not call it on the caller's runtime: each opens its own connection (from the
//! connection string, with [`connect`](crate::connect())'s libpq conventions and TLS) and
//! runs the very same blocking function on tokio's blocking thread pool
//! ([`tokio::task::spawn_blocking`]), returning its result. There is no second, async
//! implementation of introspection, planning or applying to drift apart from the first.
//!
//! The cost is one thread of the blocking pool for the duration of the call (start-up work,
//! seconds) and a connection of its own rather than one from the service's pool: pgdecl
//! holds advisory locks and a deploy lease on it, which should not outlive the call on a
//! pooled connection anyway.
//!
//! Dropping the returned future does not stop the work: like any `spawn_blocking` task it
//! runs to its end (a converge that started applying finishes or rolls back as usual).
//!
//! ```no_run
//! # #[cfg(feature = "tokio")]
//! # async fn start(schema: &schema_core::Schema) -> Result<(), schema_runtime::Error> {
//! use schema_runtime::{asynchronous, Policy};
//!
//! let url = std::env::var("DATABASE_URL").unwrap_or_default();
//! let report = asynchronous::converge(&url, schema, &Policy::from_env()?).await?;
//! println!("{} change(s) applied", report.applied.len());
//! # Ok(())
//! # }
//! ```

use postgres::Client;
use schema_core::{Plan, Schema};

use crate::converge::{Policy, Report};
use crate::error::{Error, ErrorKind};

/// [`crate::converge()`] on its own connection to `conninfo`, on the blocking thread pool.
pub async fn converge(conninfo: &str, declared: &Schema, policy: &Policy) -> Result<Report, Error> {
    let (declared, policy) = (declared.clone(), policy.clone());
    with_client(conninfo, move |client| {
        crate::converge::converge(client, &declared, &policy)
    })
    .await
}

/// [`crate::plan()`] on its own connection to `conninfo`, on the blocking thread pool.
pub async fn plan(
    conninfo: &str,
    declared: &Schema,
    ignore_schemas: &[String],
) -> Result<Plan, Error> {
    let (declared, ignore) = (declared.clone(), ignore_schemas.to_vec());
    with_client(conninfo, move |client| {
        crate::converge::plan(client, &declared, &ignore)
    })
    .await
}

/// [`crate::validate()`] on its own connection to `conninfo`, on the blocking thread pool.
pub async fn validate(conninfo: &str, declared: &Schema) -> Result<(), Error> {
    let declared = declared.clone();
    with_client(conninfo, move |client| {
        crate::converge::validate(client, &declared)
    })
    .await
}

/// Connects to `conninfo` and runs `work` with the blocking client, on tokio's blocking
/// thread pool: any other pgdecl function (introspection, status queries) from async code.
///
/// A panic in `work` resumes in the caller, as if it had been called directly.
pub async fn with_client<T, F>(conninfo: &str, work: F) -> Result<T, Error>
where
    F: FnOnce(&mut Client) -> Result<T, Error> + Send + 'static,
    T: Send + 'static,
{
    let conninfo = conninfo.to_owned();
    let task = tokio::task::spawn_blocking(move || {
        let mut client = crate::connect::connect(&conninfo)?;
        work(&mut client)
    });
    match task.await {
        Ok(result) => result,
        Err(join) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
        Err(join) => Err(Error::new(
            ErrorKind::Io,
            "running pgdecl on the blocking thread pool",
            format!("the task was cancelled ({join}): the runtime is shutting down"),
        )),
    }
}
