//! The canonical form of a declared schema (as the server prints it, with the print chains of
//! its fragments), cached per process and in pgdecl's own table, so a start-up only
//! canonicalizes a schema it has not seen before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use postgres::types::Type;
use postgres::Transaction;

use crate::undo::Undoable;
use schema_core::Schema;
use serde::{Deserialize, Serialize};

use crate::canonical_form::{CanonicalForm, CANONICAL_FORMAT};
use crate::canonicalize::{canonicalize, Canonical};
use crate::error::Error;

/// The stable hash of a declared schema (FNV-1a 64 over its serialized model and pgdecl's
/// version), used as the history's schema hash and the canonicalization cache key.
pub fn schema_hash(schema: &Schema) -> String {
    // The JSON is hashed as it is written, never held whole (megabytes at thousands of
    // tables, issue 12); the bytes are those of `Schema::to_json`.
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    serde_json::to_writer(&mut h, schema).expect("a schema always serializes");
    std::io::Write::write_all(&mut h, env!("CARGO_PKG_VERSION").as_bytes())
        .expect("hashing cannot fail");
    format!("{:016x}", h.0)
}

/// FNV-1a 64 over the bytes written to it.
struct Fnv(u64);

impl std::io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Canonical forms computed by this process, by (schema hash, server version): shared with
/// the runs that use them, never copied (a copy is a whole schema, issue 12).
static CANONICAL_CACHE: Mutex<Option<Forms>> = Mutex::new(None);

/// The process's canonical forms, by (schema hash, server version).
type Forms = HashMap<(String, i32), Arc<Canonical>>;

/// A row's `canonical` text in `pgdecl.canonical_cache`: the form with its format version. A
/// row written by an older pgdecl (a bare schema, without chains) does not read as one and
/// counts as missing: a write-capable run replaces it, a read-only run computes the form or
/// says how to provide it.
#[derive(Deserialize)]
struct Stored {
    format: u32,
    #[serde(flatten)]
    canonical: Canonical,
}

/// [`Stored`] as written: the form borrowed, not copied.
#[derive(Serialize)]
struct StoredRef<'a> {
    format: u32,
    #[serde(flatten)]
    canonical: &'a Canonical,
}

impl Stored {
    fn read(json: &str) -> Option<Canonical> {
        serde_json::from_str::<Stored>(json)
            .ok()
            .filter(|s| s.format == CANONICAL_FORMAT)
            .map(|s| s.canonical)
    }

    fn write(canonical: &Canonical) -> String {
        serde_json::to_string(&StoredRef {
            format: CANONICAL_FORMAT,
            canonical,
        })
        .expect("a canonical form always serializes")
    }
}

/// Forgets the canonical forms this process computed, so the next plan canonicalizes again
/// (unless pgdecl's cache table has it). For benchmarks and tests.
pub fn forget_canonical_forms() {
    if let Ok(mut c) = CANONICAL_CACHE.lock() {
        *c = None;
    }
}

/// The declared schema as the server prints it: from this process's cache, else from a
/// shipped form matching the hash and server major version, else from pgdecl's cache table,
/// else computed. A write-capable run (`store`) stores what it did not read from the table.
pub(super) fn canonical_for(
    client: &mut impl Undoable,
    declared: &Schema,
    hash: &str,
    server_version: i32,
    store: bool,
    shipped: &[CanonicalForm],
) -> Result<Arc<Canonical>, Error> {
    let key = (hash.to_string(), server_version);
    if let Some(s) = CANONICAL_CACHE
        .lock()
        .ok()
        .and_then(|c| c.as_ref().and_then(|m| m.get(&key).cloned()))
    {
        return Ok(s);
    }
    if let Some(form) = shipped.iter().find(|f| f.matches(hash, server_version)) {
        let canonical = form.to_canonical();
        if store {
            store_form(client, hash, server_version, &canonical)?;
        }
        return Ok(remember(key, canonical));
    }
    // The table may not exist yet (nothing applied, or validate-only): ask first, since a
    // failed query would abort the caller's transaction.
    let has_cache: bool = client
        .query_typed_one(
            "SELECT to_regclass('pgdecl.canonical_cache') IS NOT NULL",
            &[],
        )
        .map_err(|e| Error::from_postgres("looking for pgdecl.canonical_cache", e))?
        .get(0);
    let cached: Option<String> = if has_cache {
        client
            .query_typed_opt(
                "SELECT canonical FROM pgdecl.canonical_cache
                 WHERE schema_hash = $1 AND server_version = $2",
                &[(&hash, Type::TEXT), (&server_version, Type::INT4)],
            )
            .map_err(|e| Error::from_postgres("reading pgdecl.canonical_cache", e))?
            .map(|r| r.get(0))
    } else {
        None
    };
    let canonical = match cached.as_deref().and_then(Stored::read) {
        Some(s) => s,
        None => {
            let s = canonicalize(client, declared).map_err(|e| {
                if store {
                    e
                } else {
                    no_form_error(&e, hash, server_version, shipped)
                }
            })?;
            if store {
                store_form(client, hash, server_version, &s)?;
            }
            s
        }
    };
    Ok(remember(key, canonical))
}

/// Keeps `canonical` in this process's cache.
fn remember(key: (String, i32), mut canonical: Canonical) -> Arc<Canonical> {
    // Kept for the life of the process: without the slack of the catalog read (or of the
    // JSON) it was built from.
    canonical.schema.shrink_to_fit();
    let canonical = Arc::new(canonical);
    if let Ok(mut c) = CANONICAL_CACHE.lock() {
        c.get_or_insert_with(HashMap::new)
            .insert(key, Arc::clone(&canonical));
    }
    canonical
}

/// Stores `canonical` in pgdecl.canonical_cache (the caller's transaction created the table),
/// replacing a row of an older format under the same key.
fn store_form(
    client: &mut impl Undoable,
    hash: &str,
    server_version: i32,
    canonical: &Canonical,
) -> Result<(), Error> {
    client
        .execute_typed(
            "INSERT INTO pgdecl.canonical_cache (schema_hash, server_version, canonical)
             VALUES ($1, $2, $3)
             ON CONFLICT (schema_hash, server_version)
             DO UPDATE SET canonical = EXCLUDED.canonical, created_at = now()",
            &[
                (&hash, Type::TEXT),
                (&server_version, Type::INT4),
                (&Stored::write(canonical), Type::TEXT),
            ],
        )
        .map_err(|e| Error::from_postgres("storing the canonical form", e))?;
    Ok(())
}

/// A read-only run found no canonical form and could not compute one: names both ways to
/// provide it, keeping the cause's kind (usually a missing `CREATE` privilege).
fn no_form_error(
    cause: &Error,
    hash: &str,
    server_version: i32,
    shipped: &[CanonicalForm],
) -> Error {
    let stale = if shipped.iter().any(|f| f.names(hash, server_version)) {
        format!(
            " (the shipped file has a form for it, but of format version {}: recompute it with \
             this pgdecl, which writes format {CANONICAL_FORMAT})",
            shipped
                .iter()
                .find(|f| f.names(hash, server_version))
                .map_or(0, |f| f.format)
        )
    } else {
        String::new()
    };
    Error::new(
        cause.kind(),
        "finding the canonical form of the declared schema",
        format!(
            "no canonical form for schema hash {hash} on PostgreSQL {major} in \
             pgdecl.canonical_cache nor in a shipped file{stale}, and computing one failed \
             ({cause}): run one write-capable converge (apply or apply-safe) against this \
             database, which stores it, or compute it ahead of time with \
             schema_runtime::canonical_form and point PGDECL_CANONICAL_FILE at the JSON (or use \
             Policy::with_canonical_forms)",
            major = crate::canonical_form::major_of(server_version)
        ),
    )
}

/// Ends a converge transaction that applies nothing: a write-capable run commits (its own
/// tables and the canonical form it stored persist, also when nothing changed), a read-only
/// run rolls back.
pub(super) fn finish_read(tx: Transaction<'_>, writes: bool) -> Result<(), Error> {
    if writes {
        tx.commit()
            .map_err(|e| Error::from_postgres("storing the canonical form", e))
    } else {
        tx.rollback().ok();
        Ok(())
    }
}
