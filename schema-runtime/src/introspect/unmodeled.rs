//! Objects the model does not hold: the [`Unmodeled`] list, and the last round trip, which
//! reports the kinds no other reader sees (rules, event triggers, ...)
//! so nothing is silently ignored.

use postgres::GenericClient;

use super::{Catalog, Filter, Found, NAMESPACE_FILTER};
use crate::error::Error;

/// An object pgdecl found but does not model. Serializes as `{"kind", "name"}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unmodeled {
    /// What kind of object, e.g. `domain`, `materialized view`.
    pub kind: String,
    /// Its qualified name.
    pub name: String,
}

impl Unmodeled {
    /// True for the privileges still reported (on foreign tables, database-wide default
    /// privileges): objects get them from default privileges (`ALTER DEFAULT PRIVILEGES`)
    /// as they are created, so their presence says nothing about what a declaration created.
    pub fn is_privileges(&self) -> bool {
        self.kind.starts_with("privileges on") || self.kind.starts_with("default privileges")
    }
}

/// The query [`read`] runs: posted ahead to the read's second connection (see
/// [`super::jobs`]).
pub(super) fn sql(by_dependency: bool) -> String {
    // `q(n, name)`: a schema-qualified, quoted name; `rel`: `pg_class c` in namespace `n`.
    let q = |nsp: &str, name: &str| {
        format!("pg_catalog.quote_ident({nsp}) || '.' || pg_catalog.quote_ident({name})")
    };
    let rel = q("n.nspname", "c.relname");
    let not_ext = |cat: &str, oid: &str| super::not_ext(cat, oid);
    let in_scope = super::scoped_relations(by_dependency, "c.oid");
    let user_tables = format!(
        "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE {NAMESPACE_FILTER} AND {} AND {in_scope}",
        not_ext("pg_class", "c.oid")
    );
    format!(
        "SELECT 'rule', {rel} || ' ' || pg_catalog.quote_ident(r.rulename)
           FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           WHERE r.rulename <> '_RETURN' AND {NAMESPACE_FILTER}
         UNION ALL
         SELECT 'inheritance (table inherits ' || {parent} || ')', {rel}
           FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
           JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
           WHERE {NAMESPACE_FILTER} AND NOT c.relispartition AND c.relkind IN ('r', 'p', 'f')
         UNION ALL
         SELECT 'storage parameters (' || pg_catalog.array_to_string(c.reloptions, ', ') || ') on',
                {rel}
           FROM {user_tables} AND c.reloptions IS NOT NULL AND NOT c.relispartition
                -- Tables' and indexes' are modelled.
                AND c.relkind NOT IN ('r', 'p', 'i', 'I')
         UNION ALL
         SELECT 'replica identity ' || CASE c.relreplident WHEN 'n' THEN 'nothing'
                  WHEN 'f' THEN 'full' ELSE 'using index' END || ' on', {rel}
           FROM {user_tables} AND c.relkind IN ('r', 'p') AND c.relreplident <> 'd'
         UNION ALL
         SELECT 'tablespace ' || pg_catalog.quote_ident(ts.spcname) || ' of', {rel}
           FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_catalog.pg_tablespace ts ON ts.oid = c.reltablespace
           WHERE {NAMESPACE_FILTER} AND c.reltablespace <> 0 AND {in_scope}
         UNION ALL
         SELECT 'column option ' || opt || ' on', {rel} || '.' || pg_catalog.quote_ident(a.attname)
           FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
           CROSS JOIN LATERAL (VALUES
             (CASE WHEN a.attoptions IS NOT NULL
                   THEN '(' || pg_catalog.array_to_string(a.attoptions, ', ') || ')' END),
             (CASE WHEN COALESCE(a.attstattarget::int, -1) <> -1
                   THEN 'statistics ' || a.attstattarget END),
             (CASE WHEN a.attstorage <> t.typstorage THEN 'storage ' || CASE a.attstorage
                   WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main'
                   ELSE 'extended' END END),
             (CASE WHEN a.attcompression <> '' THEN 'compression ' || CASE a.attcompression
                   WHEN 'p' THEN 'pglz' ELSE 'lz4' END END)) o(opt)
           WHERE {NAMESPACE_FILTER} AND o.opt IS NOT NULL AND a.attnum > 0
                 AND NOT a.attisdropped
                 -- Tables' are modelled; materialized views' and foreign tables' are not.
                 AND c.relkind IN ('m', 'f')
                 AND NOT c.relispartition AND {rel_not_ext} AND {in_scope}
         UNION ALL
         SELECT 'extended statistics', {stxname}
           FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n
             ON n.oid = s.stxnamespace WHERE {NAMESPACE_FILTER} AND {stx_not_ext}
         UNION ALL
         SELECT 'operator', {oprname} || '(' || pg_catalog.format_type(o.oprleft, NULL) || ', '
                || pg_catalog.format_type(o.oprright, NULL) || ')'
           FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
           WHERE {NAMESPACE_FILTER} AND {opr_not_ext}
         UNION ALL
         {scoped}
         UNION ALL
         {wide}
         UNION ALL
         -- A range type's casts to its multirange belong to it (an internal dependency).
         SELECT 'cast', '(' || pg_catalog.format_type(o.castsource, NULL) || ' AS '
                || pg_catalog.format_type(o.casttarget, NULL) || ')'
           FROM pg_catalog.pg_cast o WHERE {whole_db} AND o.oid >= 16384 AND {cast_not_ext}
                AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                                WHERE d.classid = 'pg_cast'::regclass AND d.objid = o.oid
                                  AND d.deptype = 'i')

         ORDER BY 1, 2",
        scoped = schema_scoped_arms(),
        wide = database_wide_arms(),
        // Database-wide objects belong to a read of the whole database, not to a read of
        // some schemas only (such as canonicalization's scratch schemas).
        whole_db = "$2::text[] IS NULL",
        parent = q("pn.nspname", "pc.relname"),
        rel_not_ext = not_ext("pg_class", "c.oid"),
        stxname = q("n.nspname", "s.stxname"),
        stx_not_ext = not_ext("pg_statistic_ext", "s.oid"),
        // Operator names are symbols: never quoted.
        oprname = "pg_catalog.quote_ident(n.nspname) || '.' || o.oprname",
        opr_not_ext = not_ext("pg_operator", "o.oid"),
        cast_not_ext = not_ext("pg_cast", "o.oid"),
    )
}

/// Reads, in one round trip, every kind of object or setting that `pg_dump --schema-only`
/// would print and no other reader models, so that nothing is silently ignored: rewrite rules (besides views' own `_RETURN`), table inheritance, storage parameters of views and sequences, non-default column
/// storage, compression and statistics targets, replica identity, tablespaces, extended
/// statistics, and the database-wide kinds: event triggers, publications, foreign-data
/// wrappers and servers, user-defined casts, operators, operator classes and families,
/// collations, text search objects, conversions, procedural languages and access methods.
/// Objects an extension owns are left out (the extension is the object).
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = sql(cat.relations_by_dependency);
    for row in cat.query(&sql, filter)? {
        found.unmodeled(row.get::<_, String>(0), row.get(1));
    }
    Ok(())
}

/// Schema-scoped kinds reported by qualified name alone: (kind, catalog, column prefix), the
/// catalog having `<prefix>name` and `<prefix>namespace`.
const SCHEMA_SCOPED: &[(&str, &str, &str)] = &[
    ("operator class", "pg_opclass", "opc"),
    ("operator family", "pg_opfamily", "opf"),
    ("collation", "pg_collation", "coll"),
    ("text search configuration", "pg_ts_config", "cfg"),
    ("text search dictionary", "pg_ts_dict", "dict"),
    ("conversion", "pg_conversion", "con"),
];

/// Database-wide kinds reported by name: (kind, catalog, name column, whether only objects
/// created after initdb count: the catalog also holds built-in ones).
const DATABASE_WIDE: &[(&str, &str, &str, bool)] = &[
    ("event trigger", "pg_event_trigger", "evtname", false),
    ("publication", "pg_publication", "pubname", false),
    (
        "foreign-data wrapper",
        "pg_foreign_data_wrapper",
        "fdwname",
        false,
    ),
    ("foreign server", "pg_foreign_server", "srvname", false),
    ("procedural language", "pg_language", "lanname", true),
    ("access method", "pg_am", "amname", true),
];

/// The `UNION ALL` arms of [`SCHEMA_SCOPED`].
fn schema_scoped_arms() -> String {
    SCHEMA_SCOPED
        .iter()
        .map(|(kind, cat, p)| {
            format!(
                "SELECT '{kind}', pg_catalog.quote_ident(n.nspname) || '.' || \
                 pg_catalog.quote_ident(o.{p}name)
                 FROM pg_catalog.{cat} o JOIN pg_catalog.pg_namespace n ON n.oid = o.{p}namespace
                 WHERE {NAMESPACE_FILTER} AND {}",
                super::not_ext(cat, "o.oid")
            )
        })
        .collect::<Vec<_>>()
        .join("\n         UNION ALL\n         ")
}

/// The `UNION ALL` arms of [`DATABASE_WIDE`], only for a read of the whole database.
fn database_wide_arms() -> String {
    DATABASE_WIDE
        .iter()
        .map(|(kind, cat, name, user_only)| {
            format!(
                "SELECT '{kind}', pg_catalog.quote_ident(o.{name}) FROM pg_catalog.{cat} o
                 WHERE $2::text[] IS NULL{} AND {}",
                if *user_only {
                    " AND o.oid >= 16384"
                } else {
                    ""
                },
                super::not_ext(cat, "o.oid")
            )
        })
        .collect::<Vec<_>>()
        .join("\n         UNION ALL\n         ")
}
