//! Transactions and savepoints that are undone without a trace.
//!
//! rust-postgres rolls a savepoint back with `ROLLBACK TO` alone, which keeps the savepoint
//! established: the transaction stays one subtransaction deeper after every rollback. A
//! cold plan rolls back hundreds of scratch builds and reads, so its transaction ended up
//! hundreds of levels deep; each write in a level assigns transaction ids to every level
//! above it that lacks one, those ids stay running until the transaction ends (past the 64
//! a backend caches, every snapshot taken on the server turns "suboverflowed" and checks
//! `pg_subtrans`), the backend checks the whole stack to tell its own rows, and PostgreSQL
//! exports no snapshot from a subtransaction (the catalog read's second connection needs
//! one). Here a rollback is `ROLLBACK TO` and then `RELEASE`: back to the level it started
//! from.

use postgres::{Client, GenericClient, Transaction};

mod sealed {
    pub trait Sealed {}
    impl Sealed for postgres::Client {}
    impl Sealed for postgres::Transaction<'_> {}
}

/// A connection or a transaction that work can be done in and then undone: on a
/// [`Client`] a transaction rolled back, in a [`Transaction`] a savepoint rolled back and
/// released. Implemented for those two, as [`GenericClient`] is.
pub trait Undoable: GenericClient + sealed::Sealed {
    /// Opens the transaction or savepoint to undo with [`Undo::undo`].
    fn undoable(&mut self) -> Result<Undo<'_>, postgres::Error>;
}

/// The name of every savepoint opened here. A nested one of the same name hides the outer
/// one until released, so `ROLLBACK TO` and `RELEASE` always reach the innermost.
const SAVEPOINT: &str = "pgdecl_undo";

impl Undoable for Client {
    fn undoable(&mut self) -> Result<Undo<'_>, postgres::Error> {
        Ok(Undo {
            tx: self.transaction()?,
            savepoint: false,
        })
    }
}

impl Undoable for Transaction<'_> {
    fn undoable(&mut self) -> Result<Undo<'_>, postgres::Error> {
        Ok(Undo {
            tx: self.savepoint(SAVEPOINT)?,
            savepoint: true,
        })
    }
}

/// An open transaction or savepoint of [`Undoable::undoable`], used as the [`Transaction`]
/// it derefs to. Dropped without [`Undo::undo`] (on an error path), it is rolled back the
/// way rust-postgres rolls back; the caller's transaction is then failing anyway.
pub struct Undo<'a> {
    tx: Transaction<'a>,
    savepoint: bool,
}

impl Undo<'_> {
    /// Rolls everything since it opened back, and for a savepoint releases it.
    pub fn undo(self) -> Result<(), postgres::Error> {
        if self.savepoint {
            let Undo { mut tx, .. } = self;
            tx.batch_execute(&format!("ROLLBACK TO SAVEPOINT {SAVEPOINT}"))?;
            // `commit` of a savepoint is `RELEASE`, and leaves the drop nothing to send.
            // (Sending both in one batch would leave the drop its `ROLLBACK TO`, which,
            // with the savepoint gone, would roll back an outer one of the same name.)
            tx.commit()
        } else {
            self.tx.rollback()
        }
    }
}

impl<'a> std::ops::Deref for Undo<'a> {
    type Target = Transaction<'a>;
    fn deref(&self) -> &Transaction<'a> {
        &self.tx
    }
}

impl<'a> std::ops::DerefMut for Undo<'a> {
    fn deref_mut(&mut self) -> &mut Transaction<'a> {
        &mut self.tx
    }
}
