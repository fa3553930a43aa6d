//! Columns (`pg_attribute`): every table's columns in one round trip, read into
//! [`Table::columns`](schema_core::model::Table::columns).

use std::collections::HashMap;

use postgres::GenericClient;
use schema_core::model::{Column, Identity, Storage, StorageParameter};
use schema_core::DataType;

use super::unprinted::{column_join, Key, Place, Unprinted, COLUMN_DIGEST};
use super::{description_join, Attribute, Catalog, Found, DEFAULT_COLLATION};
use crate::error::Error;

/// The query [`read`] runs: posted ahead to the read's second connection (see
/// [`super::jobs`]).
///
/// A default is printed without its table (`pg_get_expr(.., 0)`): it cannot name a column (the
/// server refuses one), so the print is the same, and naming the table makes the server open it
/// to name its columns, building its relation cache entry: the first print of a table's
/// expression in a session costs about as much as the rest of its read. A generated column's
/// expression names columns and keeps its table. With `$2`, either may be read as a digest
/// instead (see [`super::unprinted`]).
///
/// A column's type comes as its oid, and what the read needs of each type in a second query
/// over the types the columns use ([`TYPES`]): a schema spells a handful of types thousands
/// of times, and the six type columns of every row were a quarter of the query (issue 12).
/// The collation is named where it is not none or the database default; whether it is the
/// type's own is told once the type is known.
pub(super) fn sql() -> String {
    let column_join = column_join();
    format!(
        "SELECT a.attrelid, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
                a.atttypid, a.attnotnull,
                CASE WHEN NOT u.digest THEN pg_catalog.pg_get_expr(ad.adbin,
                     CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END, true) END,
                a.attidentity::text, a.attgenerated::text,
                CASE WHEN a.attcollation NOT IN (0, {DEFAULT_COLLATION})
                     THEN (SELECT co.collname::text FROM pg_catalog.pg_collation co
                           WHERE co.oid = a.attcollation) END,
                d.description, a.attstattarget::int4, a.attstorage::text,
                a.attcompression::text, a.attoptions, a.attnum, a.attcollation,
                ad.oid, {COLUMN_DIGEST}
         FROM pg_catalog.pg_attribute a
         LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
         {column_join}
         {}
         WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attrelid, a.attnum",
        description_join("d", "pg_class", "a.attrelid", "a.attnum")
    )
}

/// What [`read`] needs of the types its columns use (`$1`): kind, schema and name, the
/// element's for an array, collation and storage.
const TYPES: &str = "SELECT t.oid, t.typtype::text, tn.nspname::text, t.typname::text,
            et.typtype::text, etn.nspname::text, et.typname::text,
            t.typcollation, t.typstorage::text
     FROM pg_catalog.pg_type t
     JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
     LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
     LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
     WHERE t.oid = ANY($1)";

/// A row of [`TYPES`].
struct TypeRow {
    /// `typtype`, namespace and name.
    own: (String, String, String),
    /// The same of the element type, for an array.
    element: Option<(String, String, String)>,
    collation: u32,
    storage: String,
}

/// Reads the columns of every table read so far; with `digests`, their defaults and
/// generation expressions as digests where they can be (see [`super::unprinted`]).
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    digests: bool,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = sql();
    // Materialized views' columns too, for their indexes' keys (see `Found::attributes`).
    // The same parameters the read posts for a second connection (see `read_catalog`).
    let oids = found.relation_oids();
    let rows = cat.query(&sql, &[&oids, &digests])?;
    let mut used: Vec<u32> = rows.iter().map(|row| row.get(3)).collect();
    used.sort_unstable();
    used.dedup();
    let types: HashMap<u32, TypeRow> = cat
        .query(TYPES, &[&used])?
        .iter()
        .map(|row| {
            let element = row
                .get::<_, Option<String>>(4)
                .map(|typtype| (typtype, row.get(5), row.get(6)));
            let own = (row.get(1), row.get(2), row.get(3));
            let (collation, storage) = (row.get(7), row.get(8));
            let info = TypeRow {
                own,
                element,
                collation,
                storage,
            };
            (row.get(0), info)
        })
        .collect();
    // Each built-in spelling is parsed once per read.
    let mut builtins: HashMap<String, DataType> = HashMap::new();
    for row in rows {
        let relation: u32 = row.get(0);
        let collation: u32 = row.get(15);
        found.attributes.insert(
            (relation, row.get(14)),
            Attribute {
                name: row.get(1),
                collation,
            },
        );
        let Some(ti) = found.tables.index(relation) else {
            continue;
        };
        // Read in the same snapshot as the columns: every type a column uses is there.
        let type_oid: u32 = row.get(3);
        let Some(ty) = types.get(&type_oid) else {
            return Err(Error::new(
                crate::error::ErrorKind::Invalid,
                "reading the catalog",
                format!(
                    "the type (oid {type_oid}) of column {} of {} is not in pg_type",
                    row.get::<_, String>(1),
                    super::qualified(&found.schema.tables[ti].name)
                ),
            ));
        };
        let data_type = column_type(row.get(2), ty, &mut builtins);
        // Read as a digest: the text is given once the other side's digests are known.
        let expr: Option<String> = match row.get::<_, Option<Vec<u8>>>(17) {
            Some(digest) => {
                let table = &found.schema.tables[ti];
                found.unprinted.push(Unprinted {
                    key: Key::Column(table.name.clone(), row.get(1)),
                    digest,
                    oid: row.get(16),
                    relation,
                    place: Place::Column {
                        table: ti,
                        column: table.columns.len(),
                    },
                });
                Some(String::new())
            }
            None => row.get(5),
        };
        let generated = row.get::<_, String>(7) == "s";
        let identity = match row.get::<_, String>(6).as_str() {
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            _ => None,
        };
        // A collation is the column's own where it is not the type's.
        let collation = if collation == ty.collation || collation == 0 {
            None
        } else if collation == DEFAULT_COLLATION {
            Some("default".to_string())
        } else {
            row.get(8)
        };
        // Storage is reported only where it is not the type's own; statistics -1 and an
        // empty compression are the defaults.
        let statistics: i32 = row.get(10);
        let storage: String = row.get(11);
        let compression = match row.get::<_, String>(12).as_str() {
            "p" => Some("pglz".to_string()),
            "l" => Some("lz4".to_string()),
            _ => None,
        };
        let options: Option<Vec<String>> = row.get(13);
        found.schema.tables[ti].columns.push(Column {
            name: row.get(1),
            data_type,
            not_null: row.get(4),
            default: if generated { None } else { expr.clone() },
            identity,
            generated: if generated { expr } else { None },
            collation,
            comment: row.get(9),
            renamed_from: None,
            using: None,
            statistics: (statistics != -1).then_some(statistics),
            storage: if storage == ty.storage {
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
fn column_type(
    printed: String,
    ty: &TypeRow,
    builtins: &mut HashMap<String, DataType>,
) -> DataType {
    let user = |schema: &str, name: &str, array: bool| {
        // Modifiers of user types (`vector(3)`) are printed in parentheses by format_type.
        let modifiers = printed
            .trim_end_matches("[]")
            .rsplit_once('(')
            .and_then(|(_, m)| m.strip_suffix(')'))
            .map(|m| m.split(',').filter_map(|x| x.trim().parse().ok()).collect())
            .unwrap_or_default();
        DataType {
            schema: Some(schema.to_string()),
            name: name.to_string(),
            modifiers,
            array,
        }
    };
    let is_builtin = |nsp: &str| nsp == "pg_catalog";
    if let Some((elem, elem_schema, elem_name)) = &ty.element {
        if elem != "p" && !is_builtin(elem_schema) {
            return user(elem_schema, elem_name, true);
        }
    } else {
        let (typtype, type_schema, type_name) = &ty.own;
        if typtype != "p" && !is_builtin(type_schema) {
            return user(type_schema, type_name, false);
        }
    }
    builtins
        .entry(printed)
        .or_insert_with_key(|printed| {
            DataType::try_parse(printed)
                .unwrap_or_else(|| DataType::named("pg_catalog", printed.clone()))
        })
        .clone()
}
