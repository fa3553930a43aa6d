//! User types (`pg_type`): one round trip for enums, domains, composite and range types, each
//! row handed to its kind's reader. A range's multirange type belongs to the range and is not
//! read on its own.

use postgres::{GenericClient, Row};
use schema_core::model::QualifiedName;
use schema_core::DataType;

use super::{
    composite_type, domain, enum_type, not_ext, range_type, Catalog, Filter, Found,
    NAMESPACE_FILTER,
};
use crate::error::Error;

/// The facts that name a type, for the oid and type modifier expressions given: as a
/// `text[]` of `format_type`, the namespace of the type (of its element, for an array) when
/// it is not built in, that type's name, and whether it is an array.
pub(super) fn type_ref_sql(oid: &str, typmod: &str) -> String {
    format!(
        "(SELECT ARRAY[pg_catalog.format_type(tt.oid, {typmod}),
                CASE WHEN bt.typtype = 'p' OR bn.nspname = 'pg_catalog' THEN NULL
                     ELSE bn.nspname::text END,
                bt.typname::text, (bt.oid <> tt.oid)::text]
          FROM pg_catalog.pg_type tt
          JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN tt.typcategory = 'A' AND tt.typelem <> 0
                                                      THEN tt.typelem ELSE tt.oid END
          JOIN pg_catalog.pg_namespace bn ON bn.oid = bt.typnamespace
          WHERE tt.oid = {oid})"
    )
}

/// A type from the facts [`type_ref_sql`] reads: built-ins as `format_type` prints them; user
/// and extension types (and arrays of them) by namespace and name, since `format_type` only
/// qualifies names that are not on the search path (as columns are read).
pub(super) fn decode_type(facts: &[Option<String>]) -> DataType {
    let printed = facts.first().cloned().flatten().unwrap_or_default();
    match (
        facts.get(1).cloned().flatten(),
        facts.get(2).cloned().flatten(),
    ) {
        (Some(schema), Some(name)) => {
            // Modifiers of user types (`vector(3)`) are printed in parentheses.
            let modifiers = printed
                .trim_end_matches("[]")
                .rsplit_once('(')
                .and_then(|(_, m)| m.strip_suffix(')'))
                .map(|m| m.split(',').filter_map(|x| x.trim().parse().ok()).collect())
                .unwrap_or_default();
            DataType {
                schema: Some(schema),
                name,
                modifiers,
                array: facts.get(3).cloned().flatten().as_deref() == Some("true"),
            }
        }
        _ => {
            DataType::try_parse(&printed).unwrap_or_else(|| DataType::named("pg_catalog", printed))
        }
    }
}

/// Reads every user type in one round trip.
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    found: &mut Found,
) -> Result<(), Error> {
    let domain_base = format!(
        "CASE WHEN t.typtype = 'd' THEN {} END",
        type_ref_sql("t.typbasetype", "t.typtypmod")
    );
    let attribute_type = type_ref_sql("a.atttypid", "a.atttypmod");
    let subtype = format!(
        "CASE WHEN t.typtype = 'r' THEN {} END",
        type_ref_sql("r.rngsubtype", "-1")
    );
    let sql = format!(
        "SELECT n.nspname::text, t.typname::text, t.typtype::text,
                ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
                      WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
                pg_catalog.obj_description(t.oid, 'pg_type'),
                {domain_base}, t.typnotnull,
                pg_catalog.pg_get_expr(t.typdefaultbin, 0, true),
                (SELECT co.collname::text FROM pg_catalog.pg_collation co, pg_catalog.pg_type b
                 WHERE t.typtype = 'd' AND co.oid = t.typcollation AND b.oid = t.typbasetype
                   AND t.typcollation <> b.typcollation AND t.typcollation <> 0),
                (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                            'name', c.conname, 'expr', pg_catalog.pg_get_expr(c.conbin, 0, true),
                            'validated', c.convalidated) ORDER BY c.oid)::text
                 FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'),
                (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
                            'name', a.attname, 'type', {attribute_type},
                            'collation', (SELECT co.collname FROM pg_catalog.pg_collation co,
                                                 pg_catalog.pg_type at
                                          WHERE co.oid = a.attcollation AND at.oid = a.atttypid
                                            AND a.attcollation <> at.typcollation),
                            'comment', pg_catalog.col_description(a.attrelid, a.attnum))
                        ORDER BY a.attnum)::text
                 FROM pg_catalog.pg_attribute a
                 WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0
                   AND NOT a.attisdropped),
                {subtype},
                (SELECT o.opcname::text FROM pg_catalog.pg_opclass o
                 WHERE o.oid = r.rngsubopc AND NOT o.opcdefault),
                (SELECT co.collname::text FROM pg_catalog.pg_collation co, pg_catalog.pg_type st
                 WHERE co.oid = r.rngcollation AND st.oid = r.rngsubtype
                   AND r.rngcollation <> st.typcollation),
                CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::pg_catalog.regproc::text END,
                COALESCE(r.rngcanonical <> 0, false),
                mn.nspname::text, mt.typname::text
         FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
         LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
         LEFT JOIN pg_catalog.pg_type mt ON mt.oid = r.rngmultitypid
         LEFT JOIN pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace
         WHERE {NAMESPACE_FILTER} AND {}
           AND (t.typtype IN ('e', 'd', 'r', 'm')
                OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_catalog.pg_class c
                                          WHERE c.oid = t.typrelid) = 'c'))
         ORDER BY n.nspname, t.typname",
        not_ext("pg_type", "t.oid"),
    );
    for row in cat.query(&sql, filter)? {
        let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
        match row.get::<_, String>(2).as_str() {
            "e" => enum_type::from_type_row(&row, name, found),
            "d" => domain::from_type_row(&row, name, found),
            "r" => range_type::from_type_row(&row, name, found),
            "c" => composite_type::from_type_row(&row, name, found),
            // A multirange type is its range's (`m`).
            _ => {}
        }
    }
    Ok(())
}

/// Column `i` of a type row as JSON, parsed into `T` (`None` for SQL NULL).
pub(super) fn json_column<T: serde::de::DeserializeOwned>(row: &Row, i: usize) -> Option<T> {
    let text: Option<String> = row.get(i);
    text.and_then(|t| serde_json::from_str(&t).ok())
}
