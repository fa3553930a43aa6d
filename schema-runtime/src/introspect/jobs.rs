//! A second connection for one catalog read (issue 12: a cached plan reads one database on
//! one backend, where the no-op diff reads its two at once on two).
//!
//! The read's transaction exports its snapshot; a helper thread connects again, imports it
//! (`SET TRANSACTION SNAPSHOT` in a `REPEATABLE READ READ ONLY` transaction, so it sees
//! exactly what the read sees), applies the read's session settings and then runs queries
//! the read posted on a [`Board`]. The read consumes its queries in their fixed order and
//! runs any the helper has not claimed itself; the helper claims from the other end. Each
//! query runs once, on whichever connection is free first, and every row is decoded by the
//! read as before, so the model built does not depend on which connection ran what.
//!
//! The helper is an optimization, never a dependency: the read never waits for it to
//! connect (a pool with one server connection for the role, the read's own, would make it
//! wait forever), a query it fails is run again by the read, and a helper that cannot
//! connect or import the snapshot (another server behind a multi-host URL, a standby that
//! refuses, no connection slot left) leaves the read to do everything itself.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use postgres::types::ToSql;
use postgres::{Client, GenericClient, IsolationLevel, Row};

use super::{run_query, READ_SETTINGS};
use crate::connect::ConnectSettings;
use crate::error::Error;

/// A query's owned parameters (the read's are text arrays and oid arrays), shared by the
/// job and the helper that claims it (the read runs it again if the helper fails).
pub(super) type Params = Arc<Vec<Box<dyn ToSql + Send + Sync>>>;

/// Runs `sql` with owned `params` on `client`.
fn run_owned<C: GenericClient>(
    client: &mut C,
    sql: &str,
    params: &Params,
) -> Result<Vec<Row>, postgres::Error> {
    let refs: Vec<&(dyn ToSql + Sync)> =
        params.iter().map(|p| &**p as &(dyn ToSql + Sync)).collect();
    run_query(client, sql, &refs)
}

/// Where the read's second connection comes from: the settings of the first.
#[derive(Clone, Debug)]
pub struct SecondConnection {
    settings: ConnectSettings,
    /// See [`State::wait_for_ready`].
    pub(super) wait_for_ready: bool,
}

impl SecondConnection {
    /// A second connection made with `settings` (those of the read's own connection).
    pub(crate) fn new(settings: ConnectSettings) -> SecondConnection {
        SecondConnection {
            settings,
            wait_for_ready: false,
        }
    }
}

/// The posted queries, shared by the read and its helper.
pub(super) struct Board {
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    /// In the order the read consumes them.
    jobs: Vec<Job>,
    /// The number of jobs ever posted: the next one's [`Job::id`].
    posted: usize,
    /// The read is over: the helper stops.
    closed: bool,
    /// The helper connected and imported the snapshot (the read then waits for it to end).
    ready: bool,
    /// The helper stopped (it failed): the read runs what is left itself.
    gone: bool,
    /// The queries the helper ran (for the read's log line and the tests).
    ran: usize,
    /// Cancels the helper's running query (a read that failed does not wait for it).
    cancel: Option<postgres::CancelToken>,
    /// The read waits for the helper to connect (or fail) before it runs any posted query
    /// (tests: a helper on a loaded machine may otherwise connect after the read is done).
    wait_for_ready: bool,
}

struct Job {
    /// Stable while jobs posted later go ahead of this one.
    id: usize,
    sql: String,
    params: Params,
    status: Status,
}

enum Status {
    Pending,
    /// Being run by the helper.
    Claimed,
    Done(Result<Vec<Row>, postgres::Error>),
    /// Handed to the read.
    Taken,
}

impl Board {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A helper that panicked holding the lock left a state as valid as any other.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Posts `jobs` ahead of those already posted (the read consumes them first).
    pub(super) fn post_first(&self, jobs: Vec<(String, Params)>) {
        let mut state = self.lock();
        let first = state.posted;
        state.posted += jobs.len();
        let later = std::mem::take(&mut state.jobs);
        state.jobs = jobs
            .into_iter()
            .enumerate()
            .map(|(i, (sql, params))| Job {
                id: first + i,
                sql,
                params,
                status: Status::Pending,
            })
            .chain(later)
            .collect();
        drop(state);
        self.changed.notify_all();
    }

    /// The rows of the posted query `sql`, run here on `client` unless the helper ran or is
    /// running it; `None` when `sql` was not posted.
    pub(super) fn take<C: GenericClient>(
        &self,
        client: &mut C,
        sql: &str,
    ) -> Option<Result<Vec<Row>, postgres::Error>> {
        let mut state = self.lock();
        let at = state
            .jobs
            .iter()
            .position(|j| j.sql == sql && !matches!(j.status, Status::Taken))?;
        while state.wait_for_ready && !state.ready && !state.gone {
            state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        loop {
            let gone = state.gone;
            let job = &mut state.jobs[at];
            match std::mem::replace(&mut job.status, Status::Taken) {
                Status::Pending => break,
                Status::Done(Ok(rows)) => return Some(Ok(rows)),
                // The helper failed: its error may be its own connection's, so the read
                // asks its own.
                Status::Done(Err(e)) => {
                    tracing::debug!(error = %e, "the second catalog connection failed a query; reading it again");
                    break;
                }
                // A helper that stopped with a job claimed (it panicked) never finishes it.
                Status::Claimed if gone => break,
                Status::Claimed => {
                    job.status = Status::Claimed;
                    state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
                }
                Status::Taken => unreachable!("a taken job is not looked up"),
            }
        }
        let params = Arc::clone(&state.jobs[at].params);
        drop(state);
        Some(run_owned(client, sql, &params))
    }

    /// The helper's next query: the last one still pending, once the read posted it.
    /// `None` when the read is over.
    fn claim(&self) -> Option<(usize, String, Params)> {
        let mut state = self.lock();
        loop {
            if state.closed {
                return None;
            }
            let pending = state
                .jobs
                .iter()
                .rposition(|j| matches!(j.status, Status::Pending));
            if let Some(at) = pending {
                let job = &mut state.jobs[at];
                job.status = Status::Claimed;
                return Some((job.id, job.sql.clone(), Arc::clone(&job.params)));
            }
            state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Hands the helper's result for job `id` over.
    fn finish(&self, id: usize, result: Result<Vec<Row>, postgres::Error>) {
        let mut state = self.lock();
        let failed = result.is_err();
        if let Some(job) = state.jobs.iter_mut().find(|j| j.id == id) {
            job.status = Status::Done(result);
        }
        if failed {
            state.gone = true;
        } else {
            state.ran += 1;
        }
        drop(state);
        self.changed.notify_all();
    }
}

/// The helper of one read, stopped (and, once connected, waited for) when dropped.
pub(super) struct Helper {
    board: Arc<Board>,
    thread: Option<JoinHandle<()>>,
}

impl Helper {
    /// Starts a helper reading `snapshot` through `second`, with the read's `home` schema
    /// and `statement_timeout`.
    pub(super) fn start(
        second: &SecondConnection,
        snapshot: String,
        home: String,
        statement_timeout: String,
    ) -> Helper {
        let wait_for_ready = second.wait_for_ready;
        let board = Arc::new(Board {
            state: Mutex::new(State {
                jobs: Vec::new(),
                closed: false,
                posted: 0,
                ready: false,
                gone: false,
                ran: 0,
                cancel: None,
                wait_for_ready,
            }),
            changed: Condvar::new(),
        });
        let settings = second.settings.clone();
        let shared = Arc::clone(&board);
        let thread = std::thread::Builder::new()
            .name("pgdecl-catalog-read".into())
            .spawn(move || {
                if let Err(e) = serve(&shared, &settings, &snapshot, &home, &statement_timeout) {
                    tracing::debug!(error = %e, "no second connection for the catalog read");
                }
                shared.lock().gone = true;
                shared.changed.notify_all();
            })
            .ok();
        if thread.is_none() {
            // No thread to read with: the read runs everything itself, never waiting.
            board.lock().gone = true;
        }
        Helper { board, thread }
    }

    /// The board the read posts to.
    pub(super) fn board(&self) -> &Board {
        &self.board
    }

    /// How many queries the helper ran so far.
    pub(super) fn ran(&self) -> usize {
        self.board.lock().ran
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let ready = {
            let mut state = self.board.lock();
            state.closed = true;
            // Only a read that failed leaves a claimed query behind: what it ran is
            // not needed, and no statement timeout may bound it.
            if state
                .jobs
                .iter()
                .any(|j| matches!(j.status, Status::Claimed))
            {
                if let Some(cancel) = &state.cancel {
                    cancel.cancel_query(postgres::NoTls).ok();
                }
            }
            state.ready
        };
        self.board.changed.notify_all();
        // A helper still connecting may be waiting for a pool slot this read's transaction
        // holds: it is left to fail on its own (the snapshot is gone once the read's
        // transaction ends). One that connected ends at once, closing its connection before
        // the caller goes on (a test dropping its database right after must not find it).
        if ready {
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }
}

/// The helper's whole life: connect, import, set, then run claimed queries until the read
/// is over.
fn serve(
    board: &Board,
    settings: &ConnectSettings,
    snapshot: &str,
    home: &str,
    statement_timeout: &str,
) -> Result<(), Error> {
    let mut client: Client = settings.connect()?;
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| Error::from_postgres("starting the second catalog transaction", e))?;
    // Must be the transaction's first statement. The identifier is the server's own text.
    tx.batch_execute(&format!(
        "SET TRANSACTION SNAPSHOT {}",
        schema_core::ident::quote_literal(snapshot)
    ))
    .map_err(|e| Error::from_postgres("importing the catalog read's snapshot", e))?;
    // The unnamed statement, as every statement of the read (PgBouncer in transaction mode).
    run_query(
        &mut tx,
        &format!("SELECT {READ_SETTINGS}, pg_catalog.set_config('statement_timeout', $2, true)"),
        &[&home, &statement_timeout],
    )
    .map_err(|e| Error::from_postgres("setting up the second catalog read", e))?;
    {
        let mut state = board.lock();
        if state.closed {
            return Ok(());
        }
        state.ready = true;
        state.cancel = Some(tx.cancel_token());
    }
    board.changed.notify_all();
    while let Some((id, sql, params)) = board.claim() {
        let result = run_owned(&mut tx, &sql, &params);
        let failed = result.is_err();
        board.finish(id, result);
        if failed {
            return Ok(());
        }
    }
    Ok(())
}
