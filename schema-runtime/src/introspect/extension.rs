//! Extensions (`pg_extension`), read into
//! [`Schema::extensions`](schema_core::model::Schema::extensions).

use postgres::GenericClient;
use schema_core::model::Extension;

use super::{Catalog, Found};
use crate::error::Error;

/// Reads every extension but `plpgsql`, which every database has. A comment equal to the one
/// the extension ships with (its control file's, which `CREATE EXTENSION` sets) is not the
/// user's and reads as none, so a declaration need not spell it and `pgdecl inspect` does not
/// print it. (Canonicalization reads a declared comment equal to the shipped one as none too,
/// so declaring it plans nothing.)
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    found: &mut Found,
) -> Result<(), Error> {
    for row in cat.query(
        "SELECT e.extname::text, n.nspname::text,
                NULLIF(pg_catalog.obj_description(e.oid, 'pg_extension'), a.comment)
         FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
         LEFT JOIN pg_catalog.pg_available_extensions a ON a.name = e.extname
         WHERE e.extname <> 'plpgsql' ORDER BY e.extname",
        &[],
    )? {
        found.schema.extensions.push(Extension {
            name: row.get(0),
            schema: Some(row.get(1)),
            comment: row.get(2),
        });
    }
    Ok(())
}
