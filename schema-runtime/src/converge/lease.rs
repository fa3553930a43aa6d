//! The deploy lease: one row in `pgdecl.deploy_lease` that lets one deployer at a time change
//! the database, through every phase of its run (the transactional phase and the
//! `CREATE INDEX CONCURRENTLY` builds after its commit).
//!
//! A row rather than a session advisory lock, because a session lock does not survive
//! PgBouncer's transaction pooling; every statement here is a single autocommit statement or
//! one short explicit transaction sent as one simple-query batch, and none uses a named
//! prepared statement. A lease is stale, and taken over, when its `expires_at` passed or the
//! holder's backend (pid + backend_start) is gone from `pg_stat_activity` (a client killed
//! with `kill -9` on a direct connection).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

use postgres::types::Type;
use postgres::Client;
use schema_core::render::pgdecl_tables::PgdeclTables;

use super::policy::Policy;
use crate::error::{Error, ErrorKind};

/// The advisory lock key that serializes creating pgdecl's own tables (same as the deploy
/// lock of the transactional phase).
const TABLES_LOCK_KEY: i64 = 0x7067_6465_636c;

/// Takes the lease: one autocommit statement that inserts the row, or takes it over when it
/// is free or stale. Returns whether this deployer now holds it.
const TAKE: &str = "INSERT INTO pgdecl.deploy_lease AS l (id, holder, holder_pid, \
     holder_backend_start, application_name, acquired_at, heartbeat_at, expires_at) \
     SELECT 1, $1, pg_backend_pid(), \
            (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()), \
            $2, clock_timestamp(), clock_timestamp(), \
            clock_timestamp() + make_interval(secs => $3) \
     ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, holder_pid = EXCLUDED.holder_pid, \
            holder_backend_start = EXCLUDED.holder_backend_start, \
            application_name = EXCLUDED.application_name, acquired_at = EXCLUDED.acquired_at, \
            heartbeat_at = EXCLUDED.heartbeat_at, expires_at = EXCLUDED.expires_at \
     WHERE l.expires_at < clock_timestamp() \
        OR NOT EXISTS (SELECT 1 FROM pg_stat_activity s WHERE s.pid = l.holder_pid \
                       AND (s.backend_start IS NULL OR l.holder_backend_start IS NULL \
                            OR s.backend_start = l.holder_backend_start)) \
     RETURNING holder";

/// Who holds the lease, for the waiter's log and error.
const HOLDER: &str = "SELECT holder, application_name, acquired_at::text, expires_at::text \
     FROM pgdecl.deploy_lease WHERE id = 1";

/// Renews the lease (and notes the backend this statement ran on: behind PgBouncer it may
/// differ from the last one). No row: the lease was lost.
const RENEW: &str = "UPDATE pgdecl.deploy_lease SET heartbeat_at = clock_timestamp(), \
     expires_at = clock_timestamp() + make_interval(secs => $2), holder_pid = pg_backend_pid(), \
     holder_backend_start = (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()) \
     WHERE id = 1 AND holder = $1 RETURNING holder";

/// Gives the lease up.
const RELEASE: &str = "DELETE FROM pgdecl.deploy_lease WHERE id = 1 AND holder = $1";

/// The held lease. Release it with [`Lease::release`]; [`with_lease`] does so on every path.
#[derive(Debug)]
pub(super) struct Lease {
    holder: String,
    /// How far each acquisition or renewal pushes `expires_at`: the policy's lease TTL plus
    /// its statement timeout, since the next renewal comes at the latest one statement later.
    validity: Duration,
}

/// Runs `work` holding the lease, and releases the lease afterwards whatever `work` returned.
pub(super) fn with_lease<T>(
    client: &mut Client,
    policy: &Policy,
    work: impl FnOnce(&mut Client, &Lease) -> Result<T, Error>,
) -> Result<T, Error> {
    let lease = acquire(client, policy)?;
    let result = work(client, &lease);
    if let Err(e) = lease.release(client) {
        tracing::warn!(error = %e, "could not release the deploy lease; it expires on its own");
    }
    result
}

/// Creates pgdecl's own tables if missing, serialized by a transaction-scoped advisory lock
/// (concurrent `CREATE TABLE IF NOT EXISTS` can collide), in one short transaction.
pub(super) fn ensure_tables(client: &mut Client) -> Result<(), Error> {
    client
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({TABLES_LOCK_KEY}); {PgdeclTables} COMMIT;"
        ))
        .map_err(|e| {
            client.batch_execute("ROLLBACK").ok();
            Error::from_postgres(
                "creating pgdecl's own schema `pgdecl` (needs CREATE on the database)",
                e,
            )
        })
}

/// Takes the lease, waiting (polling with exponential backoff and jitter) while another live
/// deployer holds it, up to the policy's deploy-lock timeout.
pub(super) fn acquire(client: &mut Client, policy: &Policy) -> Result<Lease, Error> {
    ensure_tables(client)?;
    let lease = Lease {
        holder: holder_id(policy),
        validity: policy.lease_ttl + policy.statement_timeout,
    };
    let deadline = Instant::now() + policy.deploy_lock_timeout;
    let mut pause = Duration::from_millis(20);
    let mut logged = false;
    loop {
        let taken = client
            .query_typed(
                TAKE,
                &[
                    (&lease.holder, Type::TEXT),
                    (&policy.application_name, Type::TEXT),
                    (&lease.validity.as_secs_f64(), Type::FLOAT8),
                ],
            )
            .map_err(|e| Error::from_postgres("taking the deploy lease", e))?;
        if !taken.is_empty() {
            tracing::debug!(holder = %lease.holder, "deploy lease taken");
            return Ok(lease);
        }
        let holder = describe_holder(client)?;
        let now = Instant::now();
        if now >= deadline {
            return Err(Error::Reported {
                context: "waiting for the deploy lease".into(),
                kind: ErrorKind::LockTimeout,
                detail: format!(
                    "another deployer still holds it after {:?}: {holder}; raise \
                     PGDECL_DEPLOY_LOCK_TIMEOUT to wait longer",
                    policy.deploy_lock_timeout
                ),
            });
        }
        if !logged {
            tracing::info!(%holder, "waiting for another deployer (deploy lease)");
            logged = true;
        }
        std::thread::sleep(jitter(pause).min(deadline - now));
        pause = (pause * 2).min(Duration::from_secs(1));
    }
}

/// The holder of the lease as a sentence, or "nobody" when it was just released.
fn describe_holder(client: &mut Client) -> Result<String, Error> {
    let rows = client
        .query_typed(HOLDER, &[])
        .map_err(|e| Error::from_postgres("reading the deploy lease", e))?;
    Ok(match rows.first() {
        Some(row) => format!(
            "holder `{}` (application_name `{}`), holding since {}, expires at {}",
            row.get::<_, String>(0),
            row.get::<_, String>(1),
            row.get::<_, String>(2),
            row.get::<_, String>(3),
        ),
        None => "nobody (just released)".into(),
    })
}

impl Lease {
    /// Pushes the expiry forward; an error when the lease was lost (expired and taken over),
    /// since carrying on could run two deployers' index builds at once.
    pub(super) fn renew(&self, client: &mut Client) -> Result<(), Error> {
        let rows = client
            .query_typed(
                RENEW,
                &[
                    (&self.holder, Type::TEXT),
                    (&self.validity.as_secs_f64(), Type::FLOAT8),
                ],
            )
            .map_err(|e| Error::from_postgres("renewing the deploy lease", e))?;
        if rows.is_empty() {
            return Err(Error::Reported {
                context: "renewing the deploy lease".into(),
                kind: ErrorKind::LockTimeout,
                detail: format!(
                    "the lease of `{}` expired and another deployer took it over; the next run \
                     completes what remains. Raise PGDECL_LEASE_TTL if phases run longer",
                    self.holder
                ),
            });
        }
        Ok(())
    }

    /// Gives the lease up (a no-op when it was lost).
    pub(super) fn release(self, client: &mut Client) -> Result<(), Error> {
        client
            .query_typed(RELEASE, &[(&self.holder, Type::TEXT)])
            .map(|_| ())
            .map_err(|e| Error::from_postgres("releasing the deploy lease", e))
    }
}

/// A holder id unique to this run: the application name, the process and a random tail.
fn holder_id(policy: &Policy) -> String {
    format!(
        "{}/{}/{:08x}",
        policy.application_name,
        std::process::id(),
        random() as u32
    )
}

/// A random number from the standard library's per-process random hash keys (no RNG crate
/// needed for jitter and ids).
fn random() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// `pause` scaled by a random factor in [0.5, 1.5), so waiters do not poll in lockstep.
fn jitter(pause: Duration) -> Duration {
    let factor = 0.5 + (random() % 1000) as f64 / 1000.0;
    pause.mul_f64(factor)
}
