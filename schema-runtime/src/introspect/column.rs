//! Columns (`pg_attribute`): every table's columns in one round trip, read into
//! [`Table::columns`](schema_core::model::Table::columns).

use std::collections::HashMap;

use postgres::{GenericClient, Row};
use schema_core::model::{Column, Identity, Storage, StorageParameter};
use schema_core::DataType;

use super::{description_join, Attribute, Catalog, Found};
use crate::error::Error;

/// The query [`read`] runs: posted ahead to the read's second connection (see
/// [`super::jobs`]).
///
/// A default is printed without its table (`pg_get_expr(.., 0)`): it cannot name a column (the
/// server refuses one), so the print is the same, and naming the table makes the server open it
/// to name its columns, building its relation cache entry: the first print of a table's
/// expression in a session costs about as much as the rest of its read. A generated column's
/// expression names columns and keeps its table.
pub(super) fn sql() -> String {
    format!(
        "SELECT a.attrelid, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
                t.typtype::text, tn.nspname::text, t.typname::text, et.typtype::text,
                etn.nspname::text, et.typname::text,
                a.attnotnull,
                pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END, true),
                a.attidentity::text,
                a.attgenerated::text,
                CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
                     THEN (SELECT co.collname::text FROM pg_catalog.pg_collation co
                           WHERE co.oid = a.attcollation) END,
                d.description, a.atttypmod,
                a.attstattarget::int4, a.attstorage::text, t.typstorage::text,
                a.attcompression::text, a.attoptions, a.attnum, a.attcollation
         FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
         JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
         LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
         LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
         LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
         {}
         WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attrelid, a.attnum",
        description_join("d", "pg_class", "a.attrelid", "a.attnum")
    )
}

/// Reads the columns of every table read so far.
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = sql();
    // Materialized views' columns too, for their indexes' keys (see `Found::attributes`).
    // A schema spells a handful of types thousands of times: each built-in spelling is
    // parsed once per read.
    let mut builtins: HashMap<String, DataType> = HashMap::new();
    // The same parameter the read posts for a second connection (see `read_catalog`).
    let oids = found.relation_oids();
    for row in cat.query(&sql, &[&oids])? {
        let relation: u32 = row.get(0);
        found.attributes.insert(
            (relation, row.get(21)),
            Attribute {
                name: row.get(1),
                collation: row.get(22),
            },
        );
        let Some(ti) = found.tables.index(relation) else {
            continue;
        };
        let data_type = column_type(&row, &mut builtins);
        let expr: Option<String> = row.get(10);
        let generated = row.get::<_, String>(12) == "s";
        let identity = match row.get::<_, String>(11).as_str() {
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            _ => None,
        };
        // Storage is reported only where it is not the type's own; statistics -1 and an
        // empty compression are the defaults.
        let statistics: i32 = row.get(16);
        let storage: String = row.get(17);
        let type_storage: String = row.get(18);
        let compression = match row.get::<_, String>(19).as_str() {
            "p" => Some("pglz".to_string()),
            "l" => Some("lz4".to_string()),
            _ => None,
        };
        let options: Option<Vec<String>> = row.get(20);
        found.schema.tables[ti].columns.push(Column {
            name: row.get(1),
            data_type,
            not_null: row.get(9),
            default: if generated { None } else { expr.clone() },
            identity,
            generated: if generated { expr } else { None },
            collation: row.get(13),
            comment: row.get(14),
            renamed_from: None,
            using: None,
            statistics: (statistics != -1).then_some(statistics),
            storage: if storage == type_storage {
                None
            } else {
                Storage::from_catalog(&storage)
            },
            compression,
            options: options
                .unwrap_or_default()
                .iter()
                .map(|o| StorageParameter::from_reloption(o))
                .collect(),
        });
    }
    Ok(())
}

/// The column's type: built-ins as `format_type` prints them; user and extension types
/// (and arrays of them) by namespace and name, since `format_type` only qualifies names that
/// are not on the search path.
fn column_type(row: &Row, builtins: &mut HashMap<String, DataType>) -> DataType {
    let printed: String = row.get(2);
    let typtype: String = row.get(3);
    let elem_typtype: Option<String> = row.get(6);
    let user = |schema: String, name: String, array: bool| {
        // Modifiers of user types (`vector(3)`) are printed in parentheses by format_type.
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
            array,
        }
    };
    let type_schema: String = row.get(4);
    let is_builtin = |nsp: &str| nsp == "pg_catalog";
    if let Some(elem) = elem_typtype {
        let elem_schema: String = row.get(7);
        if elem != "p" && !is_builtin(&elem_schema) {
            return user(elem_schema, row.get(8), true);
        }
    } else if typtype != "p" && !is_builtin(&type_schema) {
        return user(type_schema, row.get(5), false);
    }
    builtins
        .entry(printed)
        .or_insert_with_key(|printed| {
            DataType::try_parse(printed)
                .unwrap_or_else(|| DataType::named("pg_catalog", printed.clone()))
        })
        .clone()
}
