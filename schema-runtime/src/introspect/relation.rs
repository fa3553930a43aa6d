//! Relations (`pg_class`): one round trip for tables (partitioned ones and partitions with
//! their key and bound), views, materialized views and sequences, each row handed to its
//! kind's reader; foreign tables are reported as unmodeled.

use postgres::GenericClient;
use schema_core::model::QualifiedName;

use super::{
    description_join, not_ext, qualified, scoped_relations, sequence, table, view, Catalog, Filter,
    Found, NAMESPACE_FILTER,
};
use crate::error::Error;

/// Reads every relation. `owner` columns are the (table, column) that owns a sequence: `a`
/// for serial/OWNED BY, `i` for identity (those belong to their column and are not listed).
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = format!(
        "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text,
                d.description,
                CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END,
                dep.deptype::text, tn.nspname::text, tc.relname::text, ta.attname::text,
                s.seqtypid::regtype::text, s.seqincrement, s.seqmin, s.seqmax, s.seqstart,
                s.seqcache, s.seqcycle, c.relispartition, {},
                CASE WHEN c.relkind IN ('v', 'm') THEN ARRAY(
                    SELECT pg_catalog.format_type(a.atttypid, a.atttypmod)
                    FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                    ORDER BY a.attnum) END,
                c.relispopulated, c.relpersistence::text,
                CASE WHEN t.reloptions IS NULL THEN COALESCE(c.reloptions::text[], '{{}}')
                     ELSE COALESCE(c.reloptions::text[], '{{}}')
                          || ARRAY(SELECT 'toast.' || o FROM unnest(t.reloptions) o) END
         FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
         LEFT JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid AND c.reltoastrelid <> 0
         {}
         {}
         LEFT JOIN pg_catalog.pg_depend dep ON c.relkind = 'S'
              AND dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
              AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
         LEFT JOIN pg_catalog.pg_class tc ON tc.oid = dep.refobjid
         LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
         LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = dep.refobjid
              AND ta.attnum = dep.refobjsubid
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {NAMESPACE_FILTER} AND {}
               AND {}
         ORDER BY n.nspname, c.relname",
        table::PARTITION_COLUMNS,
        table::PARTITION_JOINS,
        description_join("d", "pg_class", "c.oid", "0"),
        not_ext("pg_class", "c.oid"),
        scoped_relations(cat.relations_by_dependency, "c.oid"),
    );
    for row in cat.query(&sql, filter)? {
        let name = QualifiedName::new(row.get::<_, String>(1), row.get::<_, String>(2));
        match row.get::<_, String>(3).as_str() {
            "r" | "p" => table::from_relation_row(&row, name, found),
            "v" | "m" => view::from_relation_row(&row, name, found),
            "S" => sequence::from_relation_row(&row, name, found),
            _ => found.unmodeled("foreign table", qualified(&name)),
        }
    }
    found.tables.finish();
    Ok(())
}
