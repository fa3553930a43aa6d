//! Connecting from a URL with errors that name the cause and the fix, never the password.

use postgres::{Client, NoTls};

use crate::error::{redact, Error};

/// Connects to `url` (a `postgresql://` URL or a libpq key=value string), without TLS.
///
/// For TLS, connect with your own `postgres::Client` and pass it to the functions that take
/// one; every pgdecl entry point accepts a client.
pub fn connect(url: &str) -> Result<Client, Error> {
    Client::connect(url, NoTls)
        .map_err(|e| Error::from_postgres(&format!("connecting to {}", redact(url)), e))
}
