//! Constraints (`pg_constraint`): primary keys, uniques, foreign keys, checks and exclusion
//! constraints of every table in one round trip (constraint triggers are the trigger
//! reader's).

use postgres::{GenericClient, Row};
use schema_core::model::{
    Constraint, ConstraintKind, ExclusionElement, FkAction, IndexElement, IndexMethod, IndexTarget,
    QualifiedName,
};

use super::unprinted::{check_join, Key, Place, Unprinted, CHECK_DIGEST};
use super::{column_names, description_join, nulls_not_distinct_column, Catalog, Found};
use crate::error::Error;

/// The query [`read`] runs: posted ahead to the read's second connection (see
/// [`super::jobs`]).
pub(super) fn sql(version: i32) -> String {
    // Per-row subqueries only where their kind needs them (`CASE` evaluates lazily): the
    // referenced names for foreign keys to a table not read, the exclusion columns for
    // exclusion constraints. Key and include columns come as numbers, named from the
    // columns read (`Found::attributes`). With `$2`, a check that depends on nothing but
    // its table is read as a digest rather than printed (see `super::unprinted`).
    let check_join = check_join();
    format!(
        "SELECT c.conrelid, c.conname::text, c.contype::text, c.condeferrable, c.condeferred,
                CASE WHEN c.contype IN ('p', 'u', 'f') THEN c.conkey END,
                fn.nspname::text, fc.relname::text,
                CASE WHEN c.contype = 'f' AND NOT c.confrelid = ANY($1) THEN {} END,
                c.confdeltype::text, c.confupdtype::text,
                CASE WHEN c.contype = 'c' AND NOT u.digest
                     THEN pg_catalog.pg_get_expr(c.conbin, c.conrelid, true) END,
                CASE WHEN i.indnatts > i.indnkeyatts
                     THEN (i.indkey::int2[])[i.indnkeyatts:i.indnatts - 1] END,
                COALESCE({}, false),
                d.description, c.convalidated,
                {EXCLUSION_COLUMNS},
                c.confkey, c.confrelid, c.oid, {CHECK_DIGEST}
         FROM pg_catalog.pg_constraint c
         {check_join}
         LEFT JOIN pg_catalog.pg_class fc ON fc.oid = c.confrelid
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
         LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.conindid
              AND c.contype IN ('p', 'u', 'x')
         -- Printing index keys is for exclusion constraints only.
         LEFT JOIN pg_catalog.pg_index xi ON xi.indexrelid = c.conindid AND c.contype = 'x'
         {}
         WHERE c.conrelid = ANY($1) AND c.conislocal AND c.conparentid = 0
           AND c.contype IN ('p', 'u', 'f', 'c', 'x', 't')
         ORDER BY c.conrelid, c.contype, c.conname",
        column_names("c.confkey", "c.confrelid"),
        nulls_not_distinct_column(version),
        description_join("d", "pg_constraint", "c.oid", "0"),
    )
}

/// Reads the local constraints of every table read so far (not inherited, not cloned to
/// partitions); with `digests`, checks as digests where they can be (see
/// [`super::unprinted`]).
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    version: i32,
    digests: bool,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = sql(version);
    for row in cat.query(&sql, &[found.tables.oids(), &digests])? {
        let relation: u32 = row.get(0);
        let Some(ti) = found.tables.index(relation) else {
            continue;
        };
        let name: String = row.get(1);
        let numbers = |i: usize| row.get::<_, Option<Vec<i16>>>(i).unwrap_or_default();
        let columns = found.column_names(relation, &numbers(5));
        let include = found.column_names(relation, &numbers(12));
        let kind = match row.get::<_, String>(2).as_str() {
            "p" => ConstraintKind::PrimaryKey { columns, include },
            "u" => ConstraintKind::Unique {
                columns,
                include,
                nulls_not_distinct: row.get(13),
            },
            "f" => ConstraintKind::ForeignKey {
                columns,
                ref_table: QualifiedName::new(row.get::<_, String>(6), row.get::<_, String>(7)),
                // Named on the server only when the referenced table was not read.
                ref_columns: row
                    .get::<_, Option<Vec<String>>>(8)
                    .unwrap_or_else(|| found.column_names(row.get(24), &numbers(23))),
                on_delete: fk_action(&row.get::<_, String>(9)),
                on_update: fk_action(&row.get::<_, String>(10)),
            },
            "c" => ConstraintKind::Check {
                expr: row.get::<_, Option<String>>(11).unwrap_or_default(),
            },
            "x" => exclusion(&row, include),
            // A constraint trigger's constraint: the trigger reader models it.
            _ => continue,
        };
        if let Some(digest) = row.get::<_, Option<Vec<u8>>>(26) {
            let table = &found.schema.tables[ti];
            found.unprinted.push(Unprinted {
                key: Key::Check(table.name.clone(), name.clone()),
                digest,
                oid: row.get(25),
                relation,
                place: Place::Check {
                    table: ti,
                    constraint: table.constraints.len(),
                },
            });
        }
        found.schema.tables[ti].constraints.push(Constraint {
            name,
            kind,
            deferrable: row.get(3),
            initially_deferred: row.get(4),
            comment: row.get(14),
            // Added `NOT VALID` and not yet validated: the diff plans `VALIDATE CONSTRAINT`.
            validated: row.get(15),
        });
    }

    // 7. Indexes not backing a constraint.
    Ok(())
}

/// What the query reads of an exclusion constraint's index (columns 16 to 22 of its rows, null
/// for other kinds, whose rows do not run the subqueries): the method; per key element its
/// print, column number (0 for an expression), operator class unless the default, `indoption`
/// bits and operator (named as SQL must write it with the reading's `search_path`); the
/// predicate.
const EXCLUSION_COLUMNS: &str = "CASE WHEN c.contype = 'x' THEN (SELECT am.amname::text FROM pg_catalog.pg_class ic
                 JOIN pg_catalog.pg_am am ON am.oid = ic.relam WHERE ic.oid = xi.indexrelid) END,
                CASE WHEN c.contype = 'x' THEN ARRAY(SELECT pg_catalog.pg_get_indexdef(xi.indexrelid, k.o::int, true)
                      FROM generate_series(1, xi.indnkeyatts) k(o) ORDER BY k.o) END,
                CASE WHEN c.contype = 'x' THEN ARRAY(SELECT k.n::int FROM unnest(xi.indkey::int2[]) WITH ORDINALITY k(n, o)
                      WHERE k.o <= xi.indnkeyatts ORDER BY k.o) END,
                CASE WHEN c.contype = 'x' THEN ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname::text END
                      FROM unnest(xi.indclass::oid[]) WITH ORDINALITY k(n, o)
                      JOIN pg_catalog.pg_opclass oc ON oc.oid = k.n
                      WHERE k.o <= xi.indnkeyatts ORDER BY k.o) END,
                CASE WHEN c.contype = 'x' THEN ARRAY(SELECT k.n::int FROM unnest(xi.indoption::int2[]) WITH ORDINALITY k(n, o)
                      ORDER BY k.o) END,
                CASE WHEN c.contype = 'x' THEN ARRAY(SELECT CASE WHEN pg_catalog.pg_operator_is_visible(op.oid)
                                  THEN op.oprname::text
                                  ELSE 'OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.'
                                       || op.oprname || ')' END
                      FROM unnest(c.conexclop) WITH ORDINALITY k(n, o)
                      JOIN pg_catalog.pg_operator op ON op.oid = k.n
                      JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace
                      ORDER BY k.o) END,
                CASE WHEN c.contype = 'x' THEN pg_catalog.pg_get_expr(xi.indpred, xi.indrelid, true) END";

/// An exclusion constraint from its row, read like an index (see [`super::index`]).
fn exclusion(row: &Row, include: Vec<String>) -> ConstraintKind {
    let method: Option<String> = row.get(16);
    let defs: Vec<String> = row.get::<_, Option<Vec<String>>>(17).unwrap_or_default();
    let attnums: Vec<i32> = row.get::<_, Option<Vec<i32>>>(18).unwrap_or_default();
    let opclasses: Vec<String> = row.get::<_, Option<Vec<String>>>(19).unwrap_or_default();
    let options: Vec<i32> = row.get::<_, Option<Vec<i32>>>(20).unwrap_or_default();
    let operators: Vec<String> = row.get::<_, Option<Vec<String>>>(21).unwrap_or_default();
    let elements = defs
        .iter()
        .enumerate()
        .map(|(k, def)| {
            let option = options.get(k).copied().unwrap_or(0);
            let descending = option & 1 != 0;
            let nulls_first = option & 2 != 0;
            ExclusionElement {
                element: IndexElement {
                    target: if attnums.get(k).copied().unwrap_or(0) != 0 {
                        IndexTarget::Column(super::index::unquote_column(def))
                    } else {
                        IndexTarget::Expression(super::index::strip_parens(def).to_string())
                    },
                    // The column's collation is the only one an exclusion key takes here.
                    collation: None,
                    opclass: opclasses.get(k).filter(|c| !c.is_empty()).cloned(),
                    descending,
                    nulls_first: (nulls_first != descending).then_some(nulls_first),
                },
                operator: operators.get(k).cloned().unwrap_or_default(),
            }
        })
        .collect();
    ConstraintKind::Exclusion {
        method: IndexMethod::from_name(method.as_deref().unwrap_or("gist")),
        elements,
        include,
        predicate: row.get(22),
    }
}

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}
