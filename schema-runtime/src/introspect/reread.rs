//! The re-read of SQL fragments: every expression the other readers found is created once
//! more on a temporary copy and read again, so its text rebuilds what the catalog holds.

use postgres::GenericClient;
use schema_core::model::*;

use schema_core::render::scratch::{EachOrSkip, TempCopyStatement, TempIndexElement, TempIndexKey};

use super::{index, Catalog};
use crate::error::Error;

/// Where a re-read SQL fragment goes back into the model.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// The default or generation expression of column `c` of table `t`.
    Column { t: usize, c: usize },
    /// Constraint `k` (a check) of table `t`.
    Check { t: usize, k: usize },
    /// Key element `e` (an expression) of index `i` of table `t`.
    IndexElement { t: usize, i: usize, e: usize },
    /// The predicate of index `i` of table `t`.
    IndexPredicate { t: usize, i: usize },
    /// The query of view `v`.
    View(usize),
    /// The `WHEN` condition of trigger `k`.
    TriggerWhen(usize),
}

impl Slot {
    /// The fragment's text in `schema`.
    fn text(self, schema: &Schema) -> Option<&str> {
        match self {
            Slot::Column { t, c } => {
                let col = &schema.tables[t].columns[c];
                col.generated.as_deref().or(col.default.as_deref())
            }
            Slot::Check { t, k } => match &schema.tables[t].constraints[k].kind {
                ConstraintKind::Check { expr } => Some(expr),
                _ => None,
            },
            Slot::IndexElement { t, i, e } => match &schema.tables[t].indexes[i].elements[e].target
            {
                IndexTarget::Expression(x) => Some(x),
                IndexTarget::Column(_) => None,
            },
            Slot::IndexPredicate { t, i } => schema.tables[t].indexes[i].predicate.as_deref(),
            Slot::View(v) => Some(&schema.views[v].query),
            Slot::TriggerWhen(k) => schema.triggers[k].when.as_deref(),
        }
    }

    /// The fragment as found in its re-read definition.
    fn in_reread(self, printed: &str) -> Option<String> {
        match self {
            Slot::IndexElement { .. } => Some(index::strip_parens(printed).to_string()),
            Slot::TriggerWhen(_) => crate::parse::trigger_when(printed),
            _ => Some(printed.to_string()),
        }
    }

    /// Replaces the fragment's text in `schema`.
    fn set(self, schema: &mut Schema, text: String) {
        match self {
            Slot::Column { t, c } => {
                let col = &mut schema.tables[t].columns[c];
                if col.generated.is_some() {
                    col.generated = Some(text);
                } else {
                    col.default = Some(text);
                }
            }
            Slot::Check { t, k } => {
                if let ConstraintKind::Check { expr } = &mut schema.tables[t].constraints[k].kind {
                    *expr = text;
                }
            }
            Slot::IndexElement { t, i, e } => {
                schema.tables[t].indexes[i].elements[e].target = IndexTarget::Expression(text)
            }
            Slot::IndexPredicate { t, i } => schema.tables[t].indexes[i].predicate = Some(text),
            Slot::View(v) => schema.views[v].query = text,
            Slot::TriggerWhen(k) => schema.triggers[k].when = Some(text),
        }
    }
}

/// The statements that re-create the model's SQL fragments on temporary copies, and where
/// each re-read fragment is found: `(object, kind, key)` as the read-back query returns them.
#[derive(Default)]
struct Reread {
    groups: Vec<String>,
    found: Vec<((String, &'static str, String), Slot)>,
}

impl Reread {
    /// Adds the statements for one variant of the fragments: `text` gives the variant's text
    /// of a fragment (`None`: the variant has nothing for it). Objects are named `prefix...`.
    fn variant(
        &mut self,
        schema: &Schema,
        type_texts: &[Vec<String>],
        prefix: &str,
        text: &dyn Fn(&str) -> Option<String>,
    ) {
        let trigger_tables: Vec<Option<usize>> = schema
            .triggers
            .iter()
            .map(|tr| match &tr.when {
                Some(when) if tr.timing != TriggerTiming::InsteadOf && text(when).is_some() => {
                    schema.tables.iter().position(|t| t.name == tr.table)
                }
                _ => None,
            })
            .collect();
        for (t, table) in schema.tables.iter().enumerate() {
            let mut statements = Vec::new();
            let copy = format!("{prefix}{t}");
            for (c, col) in table.columns.iter().enumerate() {
                if let Some(expr) = col.generated.as_deref().and_then(text) {
                    let Some(type_text) = type_texts.get(t).and_then(|types| types.get(c)) else {
                        continue;
                    };
                    statements.push(
                        TempCopyStatement::Generated {
                            copy: &copy,
                            column: &col.name,
                            type_text,
                            collation: col.collation.as_deref(),
                            expr: &expr,
                        }
                        .to_string(),
                    );
                } else if let Some(expr) = col.default.as_deref().and_then(text) {
                    statements.push(
                        TempCopyStatement::Default {
                            copy: &copy,
                            column: &col.name,
                            expr: &expr,
                        }
                        .to_string(),
                    );
                } else {
                    continue;
                }
                self.found
                    .push(((copy.clone(), "d", col.name.clone()), Slot::Column { t, c }));
            }
            for (k, con) in table.constraints.iter().enumerate() {
                let ConstraintKind::Check { expr } = &con.kind else {
                    continue;
                };
                let Some(expr) = text(expr) else {
                    continue;
                };
                statements.push(
                    TempCopyStatement::Check {
                        copy: &copy,
                        name: &con.name,
                        expr: &expr,
                    }
                    .to_string(),
                );
                self.found
                    .push(((copy.clone(), "c", con.name.clone()), Slot::Check { t, k }));
            }
            for (i, index) in table.indexes.iter().enumerate() {
                let index_copy = format!("{copy}_{i}");
                let mut any = false;
                let mut elements = Vec::new();
                for (e, element) in index.elements.iter().enumerate() {
                    let key = match &element.target {
                        IndexTarget::Column(c) => TempIndexKey::Column(c),
                        IndexTarget::Expression(x) => match text(x) {
                            Some(x) => {
                                any = true;
                                self.found.push((
                                    (index_copy.clone(), "i", (e + 1).to_string()),
                                    Slot::IndexElement { t, i, e },
                                ));
                                TempIndexKey::Expression(x.into())
                            }
                            None => TempIndexKey::Expression(x.as_str().into()),
                        },
                    };
                    elements.push(TempIndexElement {
                        key,
                        collation: element.collation.as_deref(),
                        opclass: element.opclass.as_deref(),
                    });
                }
                let predicate = index.predicate.as_deref().map(|p| match text(p) {
                    Some(p) => {
                        any = true;
                        self.found.push((
                            (index_copy.clone(), "p", String::new()),
                            Slot::IndexPredicate { t, i },
                        ));
                        p.into()
                    }
                    None => p.into(),
                });
                if any {
                    statements.push(
                        TempCopyStatement::Index {
                            name: &index_copy,
                            copy: &copy,
                            method: index.method.name(),
                            elements,
                            predicate,
                        }
                        .to_string(),
                    );
                }
            }
            for (k, tr) in schema.triggers.iter().enumerate() {
                if trigger_tables[k] != Some(t) {
                    continue;
                }
                let Some(when) = tr.when.as_deref().and_then(text) else {
                    continue;
                };
                let name = format!("{prefix}tr{k}");
                statements.push(
                    TempCopyStatement::Trigger {
                        name: &name,
                        copy: &copy,
                        timing: tr.timing,
                        events: &tr.events,
                        for_each_row: tr.for_each_row,
                        when: &when,
                        function: &tr.function,
                    }
                    .to_string(),
                );
                self.found
                    .push(((name, "t", String::new()), Slot::TriggerWhen(k)));
            }
            if !statements.is_empty() {
                self.groups.push(
                    TempCopyStatement::CopyTable {
                        copy: &copy,
                        table: &table.name,
                    }
                    .to_string(),
                );
                self.groups.extend(statements);
            }
        }
        for (v, view) in schema.views.iter().enumerate() {
            let Some(query) = text(&view.query) else {
                continue;
            };
            let name = format!("{prefix}v{v}");
            let query = query.trim().trim_end_matches(';');
            self.groups
                .push(TempCopyStatement::View { name: &name, query }.to_string());
            self.found.push(((name, "v", String::new()), Slot::View(v)));
        }
    }
}

/// Re-reads every SQL fragment of the model (defaults, generation expressions, checks, index
/// expressions and predicates, view queries, trigger conditions) so that it is text which,
/// run again, gives back what the catalog holds.
///
/// PostgreSQL's printer is not idempotent: `status IN ('a', 'b')` on a `varchar` column
/// prints as `(status)::text = ANY (ARRAY['a'::character varying, ...]::text[])`, and that
/// text, parsed again, applies the cast to each element (a cast written on an `ARRAY[]`
/// constructor is pushed into it) and prints as `ARRAY['a'::character varying::text, ...]`.
/// A database built from printed text (by pgdecl, or by `pg_dump | psql`) then never compares
/// equal to the original. So each fragment is created once more from its printed text:
///
/// - printed the same: the text is kept;
/// - else, if a rewrite of the printed text that makes such casts explicit
///   ([`crate::parse::explicit_array_casts`]) prints exactly as the original, that rewrite is
///   used: it rebuilds the same catalog expression;
/// - else the re-printed text is used: the printer's fixed point, which both sides of a diff
///   reach, so the plan is empty once the fragment was re-created.
///
/// The round trip happens on temporary copies (`CREATE TEMPORARY TABLE ... (LIKE ...)` with
/// the fragments re-applied, temporary views and triggers) in a savepoint that is rolled
/// back: no user object is changed or locked beyond `ACCESS SHARE`. Each statement runs on its
/// own; one that fails (a read-only transaction, no `TEMPORARY` privilege, a whole-row
/// reference to the table's own name) leaves the text first read. One round trip, whatever
/// the number of objects.
pub(super) fn reread_expressions<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    schema: &mut Schema,
    type_texts: &[Vec<String>],
) -> Result<(), Error> {
    // Only expressions holding an array constructor are re-read: the one printing PostgreSQL
    // does not read back as itself is an `ARRAY[...]` with element casts followed by an array
    // cast (`IN (...)` over varchar). Re-creating every expression would make each read of a
    // large schema do as much DDL as loading it (measured: 1000 tables, 13.7 s instead of
    // well under pg_dump's 0.6 s), at every start, in production too.
    let mut plain = Reread::default();
    plain.variant(schema, type_texts, "pgdecl_fix_", &|x| {
        x.contains("ARRAY[").then(|| x.to_string())
    });
    let mut rewritten = Reread::default();
    rewritten.variant(
        schema,
        type_texts,
        "pgdecl_fixc_",
        &crate::parse::explicit_array_casts,
    );

    let groups: Vec<String> = plain.groups.into_iter().chain(rewritten.groups).collect();
    let mut batch = EachOrSkip {
        statements: &groups,
    }
    .to_string();
    batch.push_str(
        "SELECT c.relname::text, 'd', a.attname::text, pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
         FROM pg_catalog.pg_attrdef d
         JOIN pg_catalog.pg_class c ON c.oid = d.adrelid
         JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
         WHERE c.relnamespace = pg_catalog.pg_my_temp_schema()
         UNION ALL
         SELECT c.relname::text, 'c', k.conname::text, pg_catalog.pg_get_expr(k.conbin, k.conrelid, true)
         FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
         WHERE k.contype = 'c' AND c.relnamespace = pg_catalog.pg_my_temp_schema()
         UNION ALL
         SELECT c.relname::text, 'i', n::text, pg_catalog.pg_get_indexdef(i.indexrelid, n, true)
         FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid,
              pg_catalog.generate_series(1, i.indnkeyatts) n
         WHERE c.relnamespace = pg_catalog.pg_my_temp_schema()
         UNION ALL
         SELECT c.relname::text, 'p', '', pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)
         FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
         WHERE i.indpred IS NOT NULL AND c.relnamespace = pg_catalog.pg_my_temp_schema()
         UNION ALL
         SELECT c.relname::text, 'v', '', pg_catalog.pg_get_viewdef(c.oid, true)
         FROM pg_catalog.pg_class c
         WHERE c.relkind = 'v' AND c.relnamespace = pg_catalog.pg_my_temp_schema()
         UNION ALL
         SELECT t.tgname::text, 't', '', pg_catalog.pg_get_triggerdef(t.oid, true)
         FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
         WHERE NOT t.tgisinternal AND c.relnamespace = pg_catalog.pg_my_temp_schema()",
    );
    let Some(rows) = cat.scratch_batch(&batch)? else {
        return Ok(());
    };
    let printed: std::collections::HashMap<(String, String, String), String> = rows
        .into_iter()
        .filter_map(|r| match r.as_slice() {
            [Some(object), Some(kind), Some(key), Some(text)] => {
                Some(((object.clone(), kind.clone(), key.clone()), text.clone()))
            }
            _ => None,
        })
        .collect();
    let reprinted = |key: &(String, &'static str, String), slot: Slot| {
        printed
            .get(&(key.0.clone(), key.1.to_string(), key.2.clone()))
            .and_then(|p| slot.in_reread(p))
    };
    let mut updates = Vec::new();
    for (key, slot) in &plain.found {
        let Some(original) = slot.text(schema) else {
            continue;
        };
        let Some(again) = reprinted(key, *slot) else {
            continue; // could not be re-created: keep the text read
        };
        if again == original {
            continue;
        }
        // Not a fixed point: prefer a rewrite that rebuilds the same expression.
        let faithful = rewritten
            .found
            .iter()
            .find(|(_, s)| s == slot)
            .filter(|(k, s)| reprinted(k, *s).as_deref() == Some(original))
            .and_then(|_| crate::parse::explicit_array_casts(original));
        updates.push((*slot, faithful.unwrap_or(again)));
    }
    for (slot, text) in updates {
        slot.set(schema, text);
    }
    Ok(())
}
