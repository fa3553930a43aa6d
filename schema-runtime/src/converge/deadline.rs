//! The whole-run limit (`PGDECL_RUN_TIMEOUT`, [`Policy::run_timeout`]): besides the limits
//! on each statement and lock wait, a run as a whole stops at its deadline. Inside the
//! converge transaction an alarm thread cancels whatever statement runs past it, so the
//! transaction rolls back and nothing of it is applied; between phases the deadline is
//! checked before the next one starts, and every wait and statement limit is capped by the
//! time left.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use postgres::CancelToken;

use super::policy::Policy;
use crate::error::{Error, ErrorKind};

/// The run's deadline, when its policy has a limit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    limit: Option<(Instant, Duration)>,
}

impl Deadline {
    /// The deadline of a run that starts now under `policy`.
    pub(crate) fn start(policy: &Policy) -> Deadline {
        Deadline {
            limit: policy.run_timeout.map(|d| (Instant::now() + d, d)),
        }
    }

    /// The instant the run must be done by.
    pub(crate) fn at(&self) -> Option<Instant> {
        self.limit.map(|(at, _)| at)
    }

    fn passed(&self) -> bool {
        self.at().is_some_and(|at| Instant::now() >= at)
    }

    /// `policy` with every wait and statement limit capped by the time left, so no single
    /// wait outlives the run.
    pub(crate) fn cap(&self, policy: &Policy) -> Policy {
        let Some((at, _)) = self.limit else {
            return policy.clone();
        };
        let left = at
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        let mut capped = policy.clone();
        for slot in [
            &mut capped.statement_timeout,
            &mut capped.lock_timeout,
            &mut capped.deploy_lock_timeout,
            &mut capped.lock_retry_max_delay,
        ] {
            *slot = (*slot).min(left);
        }
        capped
    }

    /// `Err` naming the limit when the deadline has passed: called before each phase starts
    /// (and before the converge transaction commits).
    pub(crate) fn check(&self, before: &str) -> Result<(), Error> {
        match self.limit {
            Some((_, limit)) if self.passed() => Err(timeout_error(limit, before, None)),
            _ => Ok(()),
        }
    }

    /// `err` as a run-timeout error when the deadline has passed and `err` is what the alarm
    /// (or a capped wait) makes of it: a cancelled statement or a lock wait given up.
    pub(crate) fn explain(&self, err: Error) -> Error {
        match self.limit {
            Some((_, limit))
                if self.passed()
                    && matches!(
                        err.kind(),
                        ErrorKind::StatementTimeout | ErrorKind::LockTimeout
                    ) =>
            {
                timeout_error(limit, "", Some(&err))
            }
            _ => err,
        }
    }

    /// Starts the alarm: from the deadline on, the statement running on the connection of
    /// `token` is cancelled (every 100 ms, so a lock retry cannot slip past it) until the
    /// returned guard is dropped. Without a limit, a guard that does nothing.
    pub(crate) fn alarm(&self, token: CancelToken) -> Alarm {
        let Some(at) = self.at() else {
            return Alarm { stop: None };
        };
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let mut wait = at.saturating_duration_since(Instant::now());
            loop {
                match stopped.recv_timeout(wait) {
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        token.cancel_query(postgres::NoTls).ok();
                        wait = Duration::from_millis(100);
                    }
                    _ => return,
                }
            }
        });
        Alarm {
            stop: Some((stop, thread)),
        }
    }
}

/// Cancels the running statement from the deadline on, until dropped.
pub(crate) struct Alarm {
    stop: Option<(mpsc::Sender<()>, std::thread::JoinHandle<()>)>,
}

impl Drop for Alarm {
    fn drop(&mut self) {
        if let Some((stop, thread)) = self.stop.take() {
            stop.send(()).ok();
            thread.join().ok();
        }
    }
}

fn timeout_error(limit: Duration, before: &str, cause: Option<&Error>) -> Error {
    let when = match cause {
        Some(err) => format!(
            "; the statement running then was stopped ({})",
            first_line(&err.to_string())
        ),
        None => format!(" before {before}"),
    };
    Error::new(
        ErrorKind::RunTimeout,
        "running the schema change",
        format!(
            "the run took longer than its limit of {limit:?} (PGDECL_RUN_TIMEOUT, \
             Policy::run_timeout) and was stopped{when}; the unfinished phase was rolled back"
        ),
    )
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}
