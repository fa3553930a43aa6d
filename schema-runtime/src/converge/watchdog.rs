//! A client-side statement deadline for statements that run outside a transaction (the
//! `CREATE INDEX CONCURRENTLY` phase): no session `SET statement_timeout`, which would outlive
//! the statement and leak to other clients of a transaction-pooling PgBouncer. A watchdog
//! thread cancels the statement through the connection's cancel token instead.

use std::sync::mpsc;
use std::time::Duration;

use postgres::Client;

use crate::error::{Error, ErrorKind};

/// Runs `sql` (a simple-query batch: no named prepared statement) and cancels it when it runs
/// longer than `timeout`. The error then says so and names `PGDECL_STATEMENT_TIMEOUT`.
pub(super) fn execute_with_deadline(
    client: &mut Client,
    sql: &str,
    timeout: Duration,
    context: &str,
) -> Result<(), Error> {
    let token = client.cancel_token();
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || match finished.recv_timeout(timeout) {
        Err(mpsc::RecvTimeoutError::Timeout) => {
            // Whether the cancel arrives or not, the caller learns from the result.
            token.cancel_query(postgres::NoTls).ok();
            true
        }
        _ => false,
    });
    let result = client.batch_execute(sql);
    done.send(()).ok();
    let fired = watchdog.join().unwrap_or(false);
    match result {
        Ok(()) => Ok(()),
        Err(e) if fired => Err(Error::Reported {
            context: context.into(),
            kind: ErrorKind::StatementTimeout,
            detail: format!(
                "the statement ran longer than the statement timeout ({timeout:?}) and pgdecl \
                 cancelled it ({e}); raise PGDECL_STATEMENT_TIMEOUT or build it by hand off-peak"
            ),
        }),
        Err(e) => Err(Error::from_postgres(context, e)),
    }
}
