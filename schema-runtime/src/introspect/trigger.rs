//! Triggers (`pg_trigger`): user triggers on the tables read (not internal, not cloned to
//! partitions), in one round trip, read into
//! [`Schema::triggers`](schema_core::model::Schema::triggers).

use postgres::GenericClient;
use schema_core::model::{ConstraintTiming, QualifiedName, Trigger, TriggerEvent, TriggerTiming};

use super::{column_names, description_join, Catalog, Filter, Found};
use crate::error::Error;

/// The query [`read`] runs: posted ahead to the read's second connection (see
/// [`super::jobs`]).
pub(super) fn sql() -> String {
    format!(
        "SELECT t.tgrelid, t.tgname::text, t.tgtype::int,
                CASE WHEN t.tgattr::int2[] <> '{{}}' THEN {} ELSE '{{}}' END,
                fn.nspname::text, f.proname::text, t.tgargs, t.tgnargs::int,
                CASE WHEN t.tgqual IS NOT NULL THEN pg_catalog.pg_get_triggerdef(t.oid, true) END,
                d.description,
                rn.nspname::text, r.relname::text,
                t.tgoldtable::text, t.tgnewtable::text, t.tgconstraint <> 0, t.tgdeferrable,
                t.tginitdeferred
         FROM pg_catalog.pg_trigger t
         JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid
         JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
         JOIN pg_catalog.pg_class r ON r.oid = t.tgrelid
         JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
         {}
         WHERE NOT t.tgisinternal AND t.tgparentid = 0
           AND rn.nspname NOT IN ('pg_catalog', 'information_schema') AND rn.nspname <> ALL ($1::text[])
           AND ($2::text[] IS NULL OR rn.nspname = ANY ($2::text[]))
         ORDER BY rn.nspname, r.relname, t.tgname",
        column_names("t.tgattr::int2[]", "t.tgrelid"),
        description_join("d", "pg_trigger", "t.oid", "0"),
    )
}

/// Reads every user trigger; the `WHEN` condition is cut out of `pg_get_triggerdef`.
///
/// Only a trigger with a `WHEN` is printed: `pg_get_triggerdef` resolves the trigger
/// function's name to decide whether to qualify it, and PostgreSQL (15 at least) keeps one
/// catalog cache list per function name looked up and searches them linearly, so printing
/// every trigger of a schema with a trigger function per table costs the square of the
/// tables (1.5 s of a 10,000-table read, issue 12); everything else comes from `pg_trigger`.
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = sql();
    for row in cat.query(&sql, filter)? {
        let tgtype: i32 = row.get(2);
        let mut events = Vec::new();
        if tgtype & 4 != 0 {
            events.push(TriggerEvent::Insert);
        }
        if tgtype & 16 != 0 {
            events.push(TriggerEvent::Update(row.get(3)));
        }
        if tgtype & 8 != 0 {
            events.push(TriggerEvent::Delete);
        }
        if tgtype & 32 != 0 {
            events.push(TriggerEvent::Truncate);
        }
        let timing = if tgtype & 64 != 0 {
            TriggerTiming::InsteadOf
        } else if tgtype & 2 != 0 {
            TriggerTiming::Before
        } else {
            TriggerTiming::After
        };
        let raw_args: Vec<u8> = row.get(6);
        let nargs: i32 = row.get(7);
        let args = raw_args
            .split(|b| *b == 0)
            .take(nargs.max(0) as usize)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let def: Option<String> = row.get(8);
        found.schema.triggers.push(Trigger {
            name: row.get(1),
            table: QualifiedName::new(row.get::<_, String>(10), row.get::<_, String>(11)),
            timing,
            events,
            for_each_row: tgtype & 1 != 0,
            when: def.as_deref().and_then(crate::parse::trigger_when),
            function: QualifiedName::new(row.get::<_, String>(4), row.get::<_, String>(5)),
            args,
            comment: row.get(9),
            old_table: row.get(12),
            new_table: row.get(13),
            // A user's constraint trigger (PostgreSQL's own, for foreign keys, are internal).
            constraint: row.get::<_, bool>(14).then(|| {
                match (row.get::<_, bool>(15), row.get::<_, bool>(16)) {
                    (false, _) => ConstraintTiming::NotDeferrable,
                    (true, false) => ConstraintTiming::InitiallyImmediate,
                    (true, true) => ConstraintTiming::InitiallyDeferred,
                }
            }),
        });
    }
    Ok(())
}
