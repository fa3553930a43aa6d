//! User types (`pg_type`): enums read into [`Schema::enums`](schema_core::model::Schema::enums);
//! domains, range, multirange and composite types reported as unmodeled.

use postgres::GenericClient;
use schema_core::model::{EnumType, QualifiedName};

use super::{not_ext, qualified, Catalog, Filter, Found, NAMESPACE_FILTER};
use crate::error::Error;

/// Reads every user type in one round trip.
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = format!(
        "SELECT n.nspname::text, t.typname::text, t.typtype::text,
                ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
                      WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
                pg_catalog.obj_description(t.oid, 'pg_type')
         FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
         WHERE {NAMESPACE_FILTER} AND {}
           AND (t.typtype IN ('e', 'd', 'r', 'm')
                OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_catalog.pg_class c
                                          WHERE c.oid = t.typrelid) = 'c'))
         ORDER BY n.nspname, t.typname",
        not_ext("pg_type", "t.oid")
    );
    for row in cat.query(&sql, filter)? {
        let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
        match row.get::<_, String>(2).as_str() {
            "e" => found.schema.enums.push(EnumType {
                name,
                values: row.get(3),
                comment: row.get(4),
            }),
            kind => found.unmodeled(
                match kind {
                    "d" => "domain",
                    "r" => "range type",
                    "m" => "multirange type",
                    _ => "composite type",
                },
                qualified(&name),
            ),
        }
    }
    Ok(())
}
