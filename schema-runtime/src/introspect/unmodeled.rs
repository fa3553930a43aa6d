//! Objects the model does not hold: the [`Unmodeled`] list, and the last round trip, which
//! reports the kinds no other reader sees (policies, rules) so nothing is silently ignored.

use postgres::GenericClient;

use super::{Catalog, Filter, Found, NAMESPACE_FILTER};
use crate::error::Error;

/// An object pgdecl found but does not model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmodeled {
    /// What kind of object, e.g. `domain`, `materialized view`.
    pub kind: String,
    /// Its qualified name.
    pub name: String,
}

/// Reads row-level security policies and rewrite rules (besides views' own `_RETURN`).
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = format!(
        "SELECT 'policy', n.nspname || '.' || c.relname || ' ' || pol.polname
           FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE {NAMESPACE_FILTER}
         UNION ALL
         SELECT 'rule', n.nspname || '.' || c.relname || ' ' || r.rulename
           FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           WHERE r.rulename <> '_RETURN' AND {NAMESPACE_FILTER}
         ORDER BY 1, 2"
    );
    for row in cat.query(&sql, filter)? {
        found.unmodeled(row.get::<_, String>(0), row.get(1));
    }
    Ok(())
}
