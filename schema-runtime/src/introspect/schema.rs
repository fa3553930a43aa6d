//! Namespaces (`pg_namespace`): the first object round trip of introspection, read into
//! [`Schema::schemas`](schema_core::model::Schema::schemas).

use postgres::GenericClient;
use schema_core::model::Namespace;

use super::{not_ext, Catalog, Filter, Found, NAMESPACE_FILTER};
use crate::error::Error;

/// Reads every user namespace but `home`, which exists in every database with a stock
/// comment: never declared, never dropped.
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    home: &str,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = format!(
        "SELECT n.nspname::text, pg_catalog.obj_description(n.oid, 'pg_namespace')
         FROM pg_catalog.pg_namespace n
         WHERE {NAMESPACE_FILTER} AND {}
         ORDER BY n.nspname",
        not_ext("pg_namespace", "n.oid")
    );
    for row in cat.query(&sql, filter)? {
        let name: String = row.get(0);
        if name != home {
            found.schema.schemas.push(Namespace {
                name,
                comment: row.get(1),
            });
        }
    }
    Ok(())
}
