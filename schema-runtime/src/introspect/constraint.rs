//! Constraints (`pg_constraint`): primary keys, uniques, foreign keys and checks of every
//! table in one round trip; exclusion constraints and constraint triggers are reported.

use postgres::GenericClient;
use schema_core::model::{Constraint, ConstraintKind, FkAction, QualifiedName};

use super::{nulls_not_distinct_column, qualified, Catalog, Found};
use crate::error::Error;

/// Reads the local constraints of every table read so far (not inherited, not cloned to
/// partitions).
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    version: i32,
    found: &mut Found,
) -> Result<(), Error> {
    for row in cat.query(
        &format!(
            "SELECT c.conrelid, c.conname::text, c.contype::text, c.condeferrable, c.condeferred,
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                      ORDER BY k.o),
                fn.nspname::text, fc.relname::text,
                ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n
                      ORDER BY k.o),
                c.confdeltype::text, c.confupdtype::text,
                pg_catalog.pg_get_expr(c.conbin, c.conrelid, true),
                ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n
                      WHERE k.o > i.indnkeyatts ORDER BY k.o),
                COALESCE({}, false),
                pg_catalog.obj_description(c.oid, 'pg_constraint'), c.convalidated
         FROM pg_catalog.pg_constraint c
         LEFT JOIN pg_catalog.pg_class fc ON fc.oid = c.confrelid
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
         LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.conindid AND c.contype IN ('p', 'u')
         WHERE c.conrelid = ANY($1) AND c.conislocal AND c.conparentid = 0
           AND c.contype IN ('p', 'u', 'f', 'c', 'x', 't')
         ORDER BY c.conrelid, c.contype, c.conname",
            nulls_not_distinct_column(version)
        ),
        &[found.tables.oids()],
    )? {
        let Some(ti) = found.tables.index(row.get(0)) else {
            continue;
        };
        let name: String = row.get(1);
        let columns: Vec<String> = row.get(5);
        let include: Vec<String> = row.get(12);
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
                ref_columns: row.get(8),
                on_delete: fk_action(&row.get::<_, String>(9)),
                on_update: fk_action(&row.get::<_, String>(10)),
            },
            "c" => ConstraintKind::Check {
                expr: row.get::<_, Option<String>>(11).unwrap_or_default(),
            },
            // A constraint trigger's constraint: the trigger reader models it.
            "t" => continue,
            _ => {
                found.unmodeled(
                    "exclusion constraint",
                    format!("{name} on {}", qualified(&found.schema.tables[ti].name)),
                );
                continue;
            }
        };
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

fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}
