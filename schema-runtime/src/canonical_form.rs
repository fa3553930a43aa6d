//! A canonical form computed ahead of time (at build or test time, like sqlx's offline data)
//! and shipped with the application, so a validate-only start needs neither `CREATE` (to
//! canonicalize) nor a form a deploy stored in `pgdecl.canonical_cache`.

use std::path::Path;

use postgres::Client;
use schema_core::print_chain::PrintChains;
use schema_core::Schema;
use serde::{Deserialize, Serialize};

use crate::canonicalize::{canonicalize, Canonical};
use crate::converge::schema_hash;
use crate::error::{Error, ErrorKind};

/// The version of the canonical form's content, in shipped files and in
/// `pgdecl.canonical_cache`. 2: with print chains; 3: index key collations as the key
/// implies them, chains also of domain defaults and checks, partition keys and SQL-standard
/// function bodies; 4: an extension's declared comment equal to the one it ships with held
/// as none. A form of another version (a file computed
/// by an older pgdecl has none: 0) is never used: without its chains, a live fragment created
/// from an older print would show as a difference.
pub const CANONICAL_FORMAT: u32 = 4;

/// The declared schema as one PostgreSQL major version prints it, named by the declaration's
/// schema hash and that major version: only a run with the same hash against a server of the
/// same major version uses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CanonicalForm {
    /// [`CANONICAL_FORMAT`] when computed by this pgdecl; 0 when the file has none.
    #[serde(default)]
    pub format: u32,
    /// [`schema_hash`] of the declared schema.
    pub schema_hash: String,
    /// The server's major version (`16` for 16.4), from `server_version_num`.
    pub server_major: i32,
    /// The declared schema as that server prints it.
    pub canonical: Schema,
    /// The print chain of each of its SQL fragments (see [`Canonical::print_chains`]).
    #[serde(default)]
    pub print_chains: PrintChains,
}

// The model holds no floating-point values, so its equality is total: a policy holding shipped
// forms stays comparable with `Eq`.
impl Eq for CanonicalForm {}

/// The major version of a `server_version_num` (`160004` is 16, `90624` is 9.6 as 906).
pub(crate) fn major_of(server_version_num: i32) -> i32 {
    if server_version_num >= 100_000 {
        server_version_num / 10_000
    } else {
        server_version_num / 100
    }
}

impl CanonicalForm {
    /// Whether this form answers for a schema with `hash` on a server of `server_version_num`
    /// (and is of the current [`CANONICAL_FORMAT`]).
    pub fn matches(&self, hash: &str, server_version_num: i32) -> bool {
        self.format == CANONICAL_FORMAT && self.names(hash, server_version_num)
    }

    /// Whether this form is for `hash` and the major version of `server_version_num`, whatever
    /// its format.
    pub(crate) fn names(&self, hash: &str, server_version_num: i32) -> bool {
        self.schema_hash == hash && self.server_major == major_of(server_version_num)
    }

    /// The canonical schema and its print chains.
    pub fn to_canonical(&self) -> Canonical {
        Canonical {
            schema: self.canonical.clone(),
            print_chains: self.print_chains.clone(),
        }
    }

    /// The form as JSON, to write into the file `PGDECL_CANONICAL_FILE` names.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a canonical form always serializes")
    }

    /// Reads `PGDECL_CANONICAL_FILE`'s content: one form, or an array of forms (one per
    /// schema version and server major version the application may meet).
    pub fn parse_many(json: &str) -> Result<Vec<CanonicalForm>, Error> {
        let invalid = |e: serde_json::Error| {
            Error::new(
                ErrorKind::Invalid,
                "reading the shipped canonical form",
                format!("not a canonical form (nor an array of them): {e}"),
            )
        };
        if json.trim_start().starts_with('[') {
            serde_json::from_str(json).map_err(invalid)
        } else {
            serde_json::from_str(json).map(|f| vec![f]).map_err(invalid)
        }
    }

    /// Reads a file written with [`CanonicalForm::to_json`] (one form or an array).
    pub fn read_file(path: &Path) -> Result<Vec<CanonicalForm>, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::from_io(
                &format!("reading the canonical form file {}", path.display()),
                e,
            )
        })?;
        CanonicalForm::parse_many(&text)
    }
}

/// Computes the canonical form of `declared` on `client`'s server, ahead of time: in a
/// transaction that is rolled back, so nothing remains. Needs `CREATE` on the database (for
/// the scratch schemas); run it at build or test time against a throwaway server of the
/// production major version, and ship the JSON with the application.
pub fn canonical_form(client: &mut Client, declared: &Schema) -> Result<CanonicalForm, Error> {
    let mut tx = client
        .transaction()
        .map_err(|e| Error::from_postgres("starting the canonicalization transaction", e))?;
    let version: i32 = tx
        .query_typed_one(
            "SELECT pg_catalog.current_setting('server_version_num')::int",
            &[],
        )
        .map_err(|e| Error::from_postgres("reading the server version", e))?
        .get(0);
    let canonical = canonicalize(&mut tx, declared);
    tx.rollback().ok();
    let canonical = canonical?;
    Ok(CanonicalForm {
        format: CANONICAL_FORMAT,
        schema_hash: schema_hash(declared),
        server_major: major_of(version),
        canonical: canonical.schema,
        print_chains: canonical.print_chains,
    })
}
