//! Indexes (`pg_index`): every table's indexes that do not back a constraint, and every
//! materialized view's, in one round trip, read into
//! [`Table::indexes`](schema_core::model::Table::indexes) and
//! [`View::indexes`](schema_core::model::View::indexes).

use postgres::GenericClient;
use schema_core::model::{Index, IndexElement, IndexMethod, IndexTarget};

use super::unprinted::{index_join, Key, Place, Unprinted, INDEX_DIGEST};
use super::{description_join, nulls_not_distinct_column, Catalog, Found, DEFAULT_COLLATION};
use crate::error::Error;

/// The query [`read`] runs: posted ahead to the read's second connection (see
/// [`super::jobs`]).
pub(super) fn sql(version: i32) -> String {
    let index_join = index_join();
    format!(
        "SELECT i.indrelid, ic.relname::text, i.indisunique, am.amname::text,
            i.indcollation::oid[],
            ARRAY(SELECT k.n::int FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                  WHERE k.o <= i.indnkeyatts ORDER BY k.o),
            i.indclass::oid[],
            ARRAY(SELECT k.n::int FROM unnest(i.indoption::int2[]) WITH ORDINALITY k(n, o)
                  ORDER BY k.o),
            CASE WHEN i.indcollation::oid[] <@ '{{0,100}}'::oid[] THEN NULL ELSE
            ARRAY(SELECT COALESCE((SELECT co.collname::text FROM pg_catalog.pg_collation co
                                   WHERE co.oid = k.n AND k.n <> COALESCE(CASE
                                     WHEN i.indkey[k.o - 1] > 0 THEN
                                     (SELECT a.attcollation FROM pg_catalog.pg_attribute a
                                      WHERE a.attrelid = i.indrelid
                                        AND a.attnum = i.indkey[k.o - 1])
                                     WHEN k.n = 100 THEN 100
                                     ELSE
                                     (SELECT t.typcollation FROM pg_catalog.pg_attribute a
                                      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                                      WHERE a.attrelid = i.indexrelid AND a.attnum = k.o)
                                     END, 0)), '')
                  FROM unnest(i.indcollation::oid[]) WITH ORDINALITY k(n, o) ORDER BY k.o) END,
            CASE WHEN i.indnatts > i.indnkeyatts
                 THEN (i.indkey::int2[])[i.indnkeyatts:i.indnatts - 1] END,
            CASE WHEN NOT u.digest THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) END,
            COALESCE({}, false),
            d.description, i.indisvalid AND i.indisready, ic.reloptions::text[],
            CASE WHEN NOT u.digest THEN pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true) END,
            i.indexrelid, i.indpred IS NOT NULL, {INDEX_DIGEST}
     FROM pg_catalog.pg_index i
     JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_catalog.pg_am am ON am.oid = ic.relam
     {index_join}
     {}
     WHERE i.indrelid = ANY($1) AND NOT ic.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                       WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                         AND c.contype IN ('p', 'u', 'x'))
     ORDER BY i.indrelid, ic.relname",
        nulls_not_distinct_column(version),
        description_join("d", "pg_class", "i.indexrelid", "0"),
    )
}

/// Reads the indexes of every table read so far (partition indexes belong to their parent);
/// with `digests`, their expressions and predicates as digests where they can be (see
/// [`super::unprinted`]).
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    version: i32,
    digests: bool,
    found: &mut Found,
) -> Result<(), Error> {
    // Materialized views' indexes in the same round trip as the tables'.
    // A key's collation is written out only where it differs from what the key implies: a
    // column's own collation (not the index attribute's type's: gin `gin_trgm_ops` and hash
    // store `int4`, which has none, so every text key looked `COLLATE "default"`), and for an
    // expression the database default.
    // The same parameter the read posts for a second connection (see `read_catalog`).
    let oids = found.relation_oids();
    for row in cat.query(&sql(version), &[&oids, &digests])? {
        let relation: u32 = row.get(0);
        let on = match found.tables.index(relation) {
            Some(ti) => On::Table(ti),
            None => match found
                .materialized_views
                .iter()
                .find(|(o, _)| *o == relation)
            {
                Some(&(_, vi)) => On::View(vi),
                None => continue,
            },
        };
        let name: String = row.get(1);
        // A column key is named from the columns read; an expression key's print is taken,
        // in order, from the list of the index's expressions (one print per index rather
        // than one per key).
        let key_collations: Vec<u32> = row.get(4);
        let mut expressions = row
            .get::<_, Option<String>>(15)
            .map(|list| crate::parse::expression_list(&list))
            .unwrap_or_default()
            .into_iter();
        let attnums: Vec<i32> = row.get(5);
        // Operator classes by oid, named when not the default (`Found::opclasses`).
        let opclasses: Vec<u32> = row.get(6);
        let options: Vec<i32> = row.get(7);
        let collations: Option<Vec<String>> = row.get(8);
        let elements = attnums
            .iter()
            .enumerate()
            .map(|(k, &attnum)| {
                let option = options.get(k).copied().unwrap_or(0);
                let descending = option & 1 != 0;
                let nulls_first = option & 2 != 0;
                // A column number always names a column read: the column query reads every
                // column of the relations whose indexes are read here.
                let column = (attnum != 0).then(|| {
                    i16::try_from(attnum)
                        .ok()
                        .and_then(|n| found.attributes.get(&(relation, n)))
                });
                // The key's collation where it differs from the one its column (or, for an
                // expression, the default) implies. The server names it when a key has a
                // collation other than none or the default; otherwise it is told here.
                let collation = match &collations {
                    Some(names) => names.get(k).filter(|c| !c.is_empty()).cloned(),
                    None => match (key_collations.get(k).copied().unwrap_or(0), column) {
                        (0, _) | (DEFAULT_COLLATION, None) => None,
                        (c, Some(Some(column))) if c == column.collation => None,
                        _ => Some("default".to_string()),
                    },
                };
                IndexElement {
                    target: match column {
                        Some(column) => {
                            IndexTarget::Column(column.map(|c| c.name.clone()).unwrap_or_default())
                        }
                        None => IndexTarget::Expression(expressions.next().unwrap_or_default()),
                    },
                    collation,
                    opclass: opclasses
                        .get(k)
                        .and_then(|oid| found.opclasses.get(oid))
                        .cloned(),
                    descending,
                    // Only a non-default NULLS placement is recorded (DESC implies FIRST).
                    nulls_first: (nulls_first != descending).then_some(nulls_first),
                }
            })
            .collect();
        let include = found.column_names(
            relation,
            &row.get::<_, Option<Vec<i16>>>(9).unwrap_or_default(),
        );
        // Read as a digest: the texts are given once the other side's digests are known
        // (an empty predicate stands for the one it has until then).
        if let Some(digest) = row.get::<_, Option<Vec<u8>>>(18) {
            let (table, place) = match on {
                On::Table(table) => {
                    let t = &found.schema.tables[table];
                    let index = t.indexes.len();
                    (&t.name, Place::Index { table, index })
                }
                On::View(view) => {
                    let v = &found.schema.views[view];
                    let index = v.indexes.len();
                    (&v.name, Place::ViewIndex { view, index })
                }
            };
            let key = Key::Index(table.clone(), name.clone());
            found.unprinted.push(Unprinted {
                key,
                digest,
                oid: row.get(16),
                relation,
                place,
            });
        }
        let indexes = match on {
            On::Table(ti) => &mut found.schema.tables[ti].indexes,
            On::View(vi) => &mut found.schema.views[vi].indexes,
        };
        let predicate: Option<String> = match row.get(17) {
            true => Some(row.get::<_, Option<String>>(10).unwrap_or_default()),
            false => None,
        };
        indexes.push(Index {
            name,
            unique: row.get(2),
            method: IndexMethod::from_name(&row.get::<_, String>(3)),
            elements,
            include,
            predicate,
            nulls_not_distinct: row.get(11),
            comment: row.get(12),
            // A failed concurrent build leaves the index behind, not valid or not ready: it is
            // read as such, and the diff rebuilds it.
            valid: row.get(13),
            storage: super::table::storage(row.get(14)),
        });
    }
    Ok(())
}

/// What an index row is on.
enum On {
    /// `Schema::tables[i]`.
    Table(usize),
    /// `Schema::views[i]`, a materialized view.
    View(usize),
}

/// `pg_get_indexdef` prints a key column as its (possibly quoted) name.
pub(super) fn unquote_column(def: &str) -> String {
    match def.strip_prefix('"').and_then(|d| d.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => def.to_string(),
    }
}

/// `pg_get_indexdef` prints an expression key in parentheses unless it is a function call.
pub(super) fn strip_parens(def: &str) -> &str {
    let t = def.trim();
    if t.starts_with('(') && t.ends_with(')') && crate::parse::balanced(&t[1..t.len() - 1]) {
        &t[1..t.len() - 1]
    } else {
        t
    }
}
