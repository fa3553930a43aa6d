//! Introspection: a live catalog read into the same [`Schema`] model the macro builds.
//!
//! A fixed number of set-based queries on `pg_catalog`, whatever the number of tables: every
//! query covers the whole database, and all of them go through one funnel that counts them, so
//! a test can hold the count constant. Left out: system schemas, pgdecl's own schema,
//! extension-owned objects, partition children, and inherited or cloned constraints, indexes
//! and triggers (they belong to their parent). Objects the model cannot hold are listed in
//! [`Introspection::unmodeled`] rather than silently dropped.
//!
//! SQL fragments (defaults, checks, index expressions, view queries, ...) come back as text
//! that rebuilds what the catalog holds: PostgreSQL's printer is not idempotent, so each one is
//! created once more on a temporary copy and read again (one more round trip; see
//! `reread_expressions`).

use postgres::types::ToSql;
use postgres::{Client, GenericClient, IsolationLevel, Row, SimpleQueryMessage};
use schema_core::model::*;
use schema_core::DataType;

use crate::error::Error;

/// The schema pgdecl keeps its own tables in; never part of a user's schema.
pub const PGDECL_SCHEMA: &str = "pgdecl";

/// The result of reading a live database.
#[derive(Debug, Clone, PartialEq)]
pub struct Introspection {
    /// Everything the model can hold.
    pub schema: Schema,
    /// Objects that exist but that pgdecl does not model (domains, materialized views,
    /// exclusion constraints, ...), as `kind name` for reports.
    pub unmodeled: Vec<Unmodeled>,
    /// How many catalog queries the read took (constant: see the module docs).
    pub queries: usize,
    /// `server_version_num`, e.g. `150004`.
    pub server_version: i32,
}

/// An object pgdecl found but does not model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmodeled {
    /// What kind of object, e.g. `domain`, `materialized view`.
    pub kind: String,
    /// Its qualified name.
    pub name: String,
}

/// Counts every query so introspection can prove it issues a fixed number.
struct Catalog<'a, C: GenericClient> {
    client: &'a mut C,
    queries: usize,
}

impl<C: GenericClient> Catalog<'_, C> {
    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, Error> {
        self.queries += 1;
        self.client
            .query(sql, params)
            .map_err(|e| Error::from_postgres("reading the catalog", e))
    }

    /// Runs `batch` (several statements, simple-query protocol) in a savepoint that is always
    /// rolled back, and returns the text rows of its last statement; `None` if it failed.
    fn scratch_batch(&mut self, batch: &str) -> Result<Option<Vec<Vec<Option<String>>>>, Error> {
        self.queries += 1;
        let mut savepoint = self
            .client
            .transaction()
            .map_err(|e| Error::from_postgres("opening a savepoint to re-read expressions", e))?;
        let result = savepoint.simple_query(batch);
        savepoint.rollback().map_err(|e| {
            Error::from_postgres("closing the savepoint that re-read expressions", e)
        })?;
        Ok(result.ok().map(|messages| {
            messages
                .into_iter()
                .filter_map(|m| match m {
                    SimpleQueryMessage::Row(row) => Some(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_string))
                            .collect(),
                    ),
                    _ => None,
                })
                .collect()
        }))
    }
}

/// Which namespaces to read: system schemas never; `$1` the schemas to skip; `$2` when not
/// null, the only schemas to read.
const NAMESPACE_FILTER: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
    AND n.nspname <> ALL ($1::text[]) AND ($2::text[] IS NULL OR n.nspname = ANY ($2::text[]))";

/// Which part of a database to read.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Schemas to leave out (besides the system ones and [`PGDECL_SCHEMA`]).
    pub skip: Vec<String>,
    /// When set, read only these schemas.
    pub only: Option<Vec<String>>,
    /// The schema whose objects expressions name without qualification (`public` unless
    /// set): it is put on `search_path` right after `pg_catalog` while reading.
    pub home: Option<String>,
}

/// `NOT extension-owned` for an object of catalog `cat` with oid column `oidcol`.
fn not_ext(cat: &str, oidcol: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '{cat}'::regclass \
         AND d.objid = {oidcol} AND d.deptype = 'e')"
    )
}

/// Reads the whole user schema of the database `client` is connected to, in one snapshot (a
/// `REPEATABLE READ` transaction), so a concurrent deployer cannot make it see half a change.
///
/// The transaction changes nothing, but it is not `READ ONLY`: SQL fragments are re-read
/// through temporary copies in a savepoint that is rolled back (see [`introspect_in`]). On a
/// server where that is impossible (a standby), the fragments keep the text first read.
pub fn introspect(client: &mut Client, scope: &Scope) -> Result<Introspection, Error> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .start()
        .map_err(|e| Error::from_postgres("starting the catalog transaction", e))?;
    let result = introspect_in(&mut tx, scope)?;
    // Rolled back, not committed: nothing of the temporary copies may survive.
    tx.rollback()
        .map_err(|e| Error::from_postgres("ending the catalog transaction", e))?;
    Ok(result)
}

/// [`introspect`] inside a transaction the caller holds (it sets `search_path` locally, so it
/// must be a transaction).
///
/// Expressions are printed with `search_path = pg_catalog, public` (or the scope's home
/// schema): names there bare, all others qualified, whatever the session's own setting; and
/// in the form PostgreSQL prints after parsing its own output again (the fixed point of its
/// printer: see `reread_expressions`), when the transaction may create temporary objects.
pub fn introspect_in<C: GenericClient>(
    client: &mut C,
    scope: &Scope,
) -> Result<Introspection, Error> {
    // A savepoint, rolled back at the end, so the `search_path` set below does not outlive
    // the read (a later `CREATE EXTENSION` would otherwise install into `pg_catalog`).
    let mut savepoint = client
        .transaction()
        .map_err(|e| Error::from_postgres("opening a savepoint to read the catalog", e))?;
    let result = read_catalog(&mut savepoint, scope);
    savepoint
        .rollback()
        .map_err(|e| Error::from_postgres("closing the catalog savepoint", e))?;
    result
}

fn read_catalog<C: GenericClient>(client: &mut C, scope: &Scope) -> Result<Introspection, Error> {
    let mut skip = scope.skip.clone();
    skip.push(PGDECL_SCHEMA.to_string());
    let mut cat = Catalog { client, queries: 0 };
    let p: &[&(dyn ToSql + Sync)] = &[&skip, &scope.only];
    let home = scope.home.as_deref().unwrap_or(DEFAULT_SCHEMA);
    let version: i32 = cat
        .query(
            "SELECT pg_catalog.current_setting('server_version_num')::int,
                    pg_catalog.set_config('search_path', 'pg_catalog, ' || pg_catalog.quote_ident($1), true)",
            &[&home],
        )?
        .first()
        .map(|r| r.get(0))
        .unwrap_or(0);
    let nulls_not_distinct = if version >= 150000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };

    let mut schema = Schema::default();
    let mut unmodeled = Vec::new();

    // 1. Namespaces.
    let sql = format!(
        "SELECT n.nspname::text, pg_catalog.obj_description(n.oid, 'pg_namespace')
         FROM pg_catalog.pg_namespace n
         WHERE {NAMESPACE_FILTER} AND {}
         ORDER BY n.nspname",
        not_ext("pg_namespace", "n.oid")
    );
    for row in cat.query(&sql, p)? {
        let name: String = row.get(0);
        // `public` (the home schema) exists in every database, with a stock comment: never
        // declared, never dropped.
        if name != home {
            schema.schemas.push(Namespace {
                name,
                comment: row.get(1),
            });
        }
    }

    // 2. Extensions.
    for row in cat.query(
        "SELECT e.extname::text, n.nspname::text, pg_catalog.obj_description(e.oid, 'pg_extension')
         FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname <> 'plpgsql' ORDER BY e.extname",
        &[],
    )? {
        schema.extensions.push(Extension {
            name: row.get(0),
            schema: Some(row.get(1)),
            comment: row.get(2),
        });
    }

    // 3. Types: enums modelled, the rest reported.
    let sql = format!(
        "SELECT n.nspname::text, t.typname::text, t.typtype::text,
                ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
                      WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
                pg_catalog.obj_description(t.oid, 'pg_type')
         FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
         WHERE {NAMESPACE_FILTER} AND {}
           AND (t.typtype IN ('e', 'd', 'r', 'm')
                OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_catalog.pg_class c
                                          WHERE c.oid = t.typrelid) = 'c'))
         ORDER BY n.nspname, t.typname",
        not_ext("pg_type", "t.oid")
    );
    for row in cat.query(&sql, p)? {
        let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
        match row.get::<_, String>(2).as_str() {
            "e" => schema.enums.push(EnumType {
                name,
                values: row.get(3),
                comment: row.get(4),
            }),
            kind => unmodeled.push(Unmodeled {
                kind: match kind {
                    "d" => "domain",
                    "r" => "range type",
                    "m" => "multirange type",
                    _ => "composite type",
                }
                .to_string(),
                name: qualified(&name),
            }),
        }
    }

    // 4. Relations: tables, views, sequences, and what we do not model.
    // `owner` is the (table, column) that owns a sequence: `a` for serial/OWNED BY, `i` for
    // identity (those belong to their column and are not listed).
    let sql = format!(
        "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text,
                pg_catalog.obj_description(c.oid, 'pg_class'),
                CASE WHEN c.relkind = 'v' THEN pg_catalog.pg_get_viewdef(c.oid, true) END,
                dep.deptype::text, tn.nspname::text, tc.relname::text, ta.attname::text,
                s.seqtypid::regtype::text, s.seqincrement, s.seqmin, s.seqmax, s.seqstart,
                s.seqcache, s.seqcycle, c.relispartition
         FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
         LEFT JOIN pg_catalog.pg_depend dep ON c.relkind = 'S'
              AND dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
              AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
         LEFT JOIN pg_catalog.pg_class tc ON tc.oid = dep.refobjid
         LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
         LEFT JOIN pg_catalog.pg_attribute ta ON ta.attrelid = dep.refobjid
              AND ta.attnum = dep.refobjsubid
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {NAMESPACE_FILTER} AND {}
         ORDER BY n.nspname, c.relname",
        not_ext("pg_class", "c.oid")
    );
    let mut table_oids: Vec<(u32, usize)> = Vec::new();
    for row in cat.query(&sql, p)? {
        let oid: u32 = row.get(0);
        let name = QualifiedName::new(row.get::<_, String>(1), row.get::<_, String>(2));
        let comment: Option<String> = row.get(4);
        match row.get::<_, String>(3).as_str() {
            "r" | "p" => {
                if row.get::<_, bool>(17) {
                    continue; // a partition belongs to its parent
                }
                if row.get::<_, String>(3) == "p" {
                    unmodeled.push(Unmodeled {
                        kind: "partitioned table (modelled as a plain table)".into(),
                        name: qualified(&name),
                    });
                }
                table_oids.push((oid, schema.tables.len()));
                schema.tables.push(Table {
                    name,
                    columns: Vec::new(),
                    constraints: Vec::new(),
                    indexes: Vec::new(),
                    comment,
                    renamed_from: None,
                });
            }
            "v" => schema.views.push(View {
                name,
                columns: Vec::new(),
                query: row.get::<_, Option<String>>(5).unwrap_or_default(),
                comment,
            }),
            "S" => {
                let deptype: Option<String> = row.get(6);
                if deptype.as_deref() == Some("i") {
                    continue; // an identity column's sequence
                }
                let owned_by = match (
                    row.get::<_, Option<String>>(7),
                    row.get::<_, Option<String>>(8),
                    row.get::<_, Option<String>>(9),
                ) {
                    (Some(s), Some(t), Some(c)) => Some((QualifiedName::new(s, t), c)),
                    _ => None,
                };
                let data_type = row
                    .get::<_, Option<String>>(10)
                    .and_then(|t| DataType::parse(&t).ok());
                schema.sequences.push(Sequence {
                    name,
                    data_type,
                    increment: row.get(11),
                    min_value: row.get(12),
                    max_value: row.get(13),
                    start: row.get(14),
                    cache: row.get(15),
                    cycle: row.get::<_, Option<bool>>(16).unwrap_or(false),
                    owned_by,
                    comment,
                });
            }
            kind => unmodeled.push(Unmodeled {
                kind: match kind {
                    "m" => "materialized view",
                    _ => "foreign table",
                }
                .to_string(),
                name: qualified(&name),
            }),
        }
    }
    let oids: Vec<u32> = table_oids.iter().map(|(oid, _)| *oid).collect();
    table_oids.sort_unstable();
    let table_index = |oid: u32| -> Option<usize> {
        table_oids
            .binary_search_by_key(&oid, |(o, _)| *o)
            .ok()
            .map(|i| table_oids[i].1)
    };

    // 5. Columns of every table at once.
    // The type of every column as `format_type` prints it, for re-reading expressions.
    let mut type_texts: Vec<Vec<String>> = vec![Vec::new(); schema.tables.len()];
    for row in cat.query(
        "SELECT a.attrelid, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
                t.typtype::text, tn.nspname::text, t.typname::text, et.typtype::text,
                etn.nspname::text, et.typname::text,
                a.attnotnull, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true), a.attidentity::text,
                a.attgenerated::text,
                CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
                     THEN (SELECT co.collname::text FROM pg_catalog.pg_collation co
                           WHERE co.oid = a.attcollation) END,
                pg_catalog.col_description(a.attrelid, a.attnum), a.atttypmod
         FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
         JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
         LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
         LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
         LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
         WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attrelid, a.attnum",
        &[&oids],
    )? {
        let Some(ti) = table_index(row.get(0)) else {
            continue;
        };
        let data_type = column_type(&row);
        type_texts[ti].push(row.get(2));
        let expr: Option<String> = row.get(10);
        let generated = row.get::<_, String>(12) == "s";
        let identity = match row.get::<_, String>(11).as_str() {
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            _ => None,
        };
        schema.tables[ti].columns.push(Column {
            name: row.get(1),
            data_type,
            not_null: row.get(9),
            default: if generated { None } else { expr.clone() },
            identity,
            generated: if generated { expr } else { None },
            collation: row.get(13),
            comment: row.get(14),
            renamed_from: None,
        });
    }

    // 6. Constraints: local ones only (not inherited, not cloned to partitions).
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
                COALESCE({nulls_not_distinct}, false),
                pg_catalog.obj_description(c.oid, 'pg_constraint'), c.convalidated
         FROM pg_catalog.pg_constraint c
         LEFT JOIN pg_catalog.pg_class fc ON fc.oid = c.confrelid
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
         LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.conindid AND c.contype IN ('p', 'u')
         WHERE c.conrelid = ANY($1) AND c.conislocal AND c.conparentid = 0
           AND c.contype IN ('p', 'u', 'f', 'c', 'x', 't')
         ORDER BY c.conrelid, c.contype, c.conname"
        ),
        &[&oids],
    )? {
        let Some(ti) = table_index(row.get(0)) else {
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
            other => {
                unmodeled.push(Unmodeled {
                    kind: if other == "x" {
                        "exclusion constraint"
                    } else {
                        "constraint trigger"
                    }
                    .to_string(),
                    name: format!("{name} on {}", qualified(&schema.tables[ti].name)),
                });
                continue;
            }
        };
        if !row.get::<_, bool>(15) {
            unmodeled.push(Unmodeled {
                kind: "constraint not yet validated (NOT VALID)".into(),
                name: format!("{name} on {}", qualified(&schema.tables[ti].name)),
            });
        }
        schema.tables[ti].constraints.push(Constraint {
            name,
            kind,
            deferrable: row.get(3),
            initially_deferred: row.get(4),
            comment: row.get(14),
        });
    }

    // 7. Indexes not backing a constraint.
    for row in cat.query(
        &format!(
            "SELECT i.indrelid, ic.relname::text, i.indisunique, am.amname::text,
                ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k.o::int, true)
                      FROM generate_series(1, i.indnkeyatts) k(o) ORDER BY k.o),
                ARRAY(SELECT k.n::int FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                      WHERE k.o <= i.indnkeyatts ORDER BY k.o),
                ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname::text END
                      FROM unnest(i.indclass::oid[]) WITH ORDINALITY k(n, o)
                      JOIN pg_catalog.pg_opclass oc ON oc.oid = k.n ORDER BY k.o),
                ARRAY(SELECT k.n::int FROM unnest(i.indoption::int2[]) WITH ORDINALITY k(n, o)
                      ORDER BY k.o),
                ARRAY(SELECT COALESCE((SELECT co.collname::text FROM pg_catalog.pg_collation co
                                       WHERE co.oid = k.n AND k.n <> COALESCE(
                                         (SELECT t.typcollation FROM pg_catalog.pg_attribute a
                                          JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                                          WHERE a.attrelid = i.indexrelid AND a.attnum = k.o),
                                         0)), '')
                      FROM unnest(i.indcollation::oid[]) WITH ORDINALITY k(n, o) ORDER BY k.o),
                ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                      WHERE k.o > i.indnkeyatts ORDER BY k.o),
                pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), COALESCE({nulls_not_distinct}, false),
                pg_catalog.obj_description(i.indexrelid, 'pg_class'), i.indisvalid
         FROM pg_catalog.pg_index i
         JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_catalog.pg_am am ON am.oid = ic.relam
         WHERE i.indrelid = ANY($1) AND NOT ic.relispartition
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                           WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                             AND c.contype IN ('p', 'u', 'x'))
         ORDER BY i.indrelid, ic.relname"
        ),
        &[&oids],
    )? {
        let Some(ti) = table_index(row.get(0)) else {
            continue;
        };
        let name: String = row.get(1);
        if !row.get::<_, bool>(13) {
            unmodeled.push(Unmodeled {
                kind: "invalid index (a failed CREATE INDEX CONCURRENTLY; drop it)".into(),
                name: qualified(&QualifiedName::new(
                    schema.tables[ti].name.schema.clone(),
                    name.clone(),
                )),
            });
        }
        let defs: Vec<String> = row.get(4);
        let attnums: Vec<i32> = row.get(5);
        let opclasses: Vec<String> = row.get(6);
        let options: Vec<i32> = row.get(7);
        let collations: Vec<String> = row.get(8);
        let elements = defs
            .iter()
            .enumerate()
            .map(|(k, def)| {
                let option = options.get(k).copied().unwrap_or(0);
                let descending = option & 1 != 0;
                let nulls_first = option & 2 != 0;
                IndexElement {
                    target: if attnums.get(k).copied().unwrap_or(0) != 0 {
                        IndexTarget::Column(unquote_column(def))
                    } else {
                        IndexTarget::Expression(strip_parens(def).to_string())
                    },
                    collation: collations.get(k).filter(|c| !c.is_empty()).cloned(),
                    opclass: opclasses.get(k).filter(|c| !c.is_empty()).cloned(),
                    descending,
                    // Only a non-default NULLS placement is recorded (DESC implies FIRST).
                    nulls_first: (nulls_first != descending).then_some(nulls_first),
                }
            })
            .collect();
        schema.tables[ti].indexes.push(Index {
            name,
            unique: row.get(2),
            method: IndexMethod::from_name(&row.get::<_, String>(3)),
            elements,
            include: row.get(9),
            predicate: row.get(10),
            nulls_not_distinct: row.get(11),
            comment: row.get(12),
        });
    }

    // 8. Functions and procedures (not aggregates or window functions).
    let sql = format!(
        "SELECT n.nspname::text, p.proname::text, p.prokind::text,
                pg_catalog.pg_get_function_arguments(p.oid),
                CASE WHEN p.prokind = 'f' THEN pg_catalog.pg_get_function_result(p.oid) END,
                l.lanname::text, p.prosrc, p.provolatile::text, p.proisstrict, p.prosecdef,
                COALESCE(p.proconfig, '{{}}'::text[]),
                pg_catalog.obj_description(p.oid, 'pg_proc')
         FROM pg_catalog.pg_proc p
         JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
         JOIN pg_catalog.pg_language l ON l.oid = p.prolang
         WHERE {NAMESPACE_FILTER} AND {}
         ORDER BY n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)",
        not_ext("pg_proc", "p.oid")
    );
    for row in cat.query(&sql, p)? {
        let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
        let kind: String = row.get(2);
        if kind == "a" || kind == "w" {
            unmodeled.push(Unmodeled {
                kind: if kind == "a" {
                    "aggregate"
                } else {
                    "window function"
                }
                .into(),
                name: qualified(&name),
            });
            continue;
        }
        let args_text: String = row.get(3);
        let Some(args) = crate::parse::function_args(&args_text) else {
            unmodeled.push(Unmodeled {
                kind: format!("function with arguments pgdecl cannot read ({args_text})"),
                name: qualified(&name),
            });
            continue;
        };
        let returns = match row.get::<_, Option<String>>(4) {
            Some(text) => match crate::parse::function_result(&text) {
                Some(r) => Some(r),
                None => {
                    unmodeled.push(Unmodeled {
                        kind: format!("function returning {text}"),
                        name: qualified(&name),
                    });
                    continue;
                }
            },
            None => None,
        };
        let config = row
            .get::<_, Vec<String>>(10)
            .into_iter()
            .map(|c| match c.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (c, String::new()),
            })
            .collect();
        schema.functions.push(Function {
            name,
            is_procedure: kind == "p",
            args,
            returns,
            language: row.get(5),
            body: row.get::<_, Option<String>>(6).unwrap_or_default(),
            volatility: match row.get::<_, String>(7).as_str() {
                "i" => Volatility::Immutable,
                "s" => Volatility::Stable,
                _ => Volatility::Volatile,
            },
            strict: row.get(8),
            security_definer: row.get(9),
            config,
            comment: row.get(11),
        });
    }

    // 9. Triggers (user triggers on our tables; not internal, not cloned to partitions).
    for row in cat.query(
        "SELECT t.tgrelid, t.tgname::text, t.tgtype::int,
                ARRAY(SELECT a.attname::text FROM unnest(t.tgattr::int2[]) WITH ORDINALITY k(n, o)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.n
                      ORDER BY k.o),
                fn.nspname::text, f.proname::text, t.tgargs, t.tgnargs::int,
                pg_catalog.pg_get_triggerdef(t.oid, true),
                pg_catalog.obj_description(t.oid, 'pg_trigger'),
                rn.nspname::text, r.relname::text
         FROM pg_catalog.pg_trigger t
         JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid
         JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
         JOIN pg_catalog.pg_class r ON r.oid = t.tgrelid
         JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
         WHERE NOT t.tgisinternal AND t.tgparentid = 0
           AND rn.nspname NOT IN ('pg_catalog', 'information_schema') AND rn.nspname <> ALL ($1::text[])
           AND ($2::text[] IS NULL OR rn.nspname = ANY ($2::text[]))
         ORDER BY rn.nspname, r.relname, t.tgname",
        p,
    )? {
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
        let def: String = row.get(8);
        schema.triggers.push(Trigger {
            name: row.get(1),
            table: QualifiedName::new(row.get::<_, String>(10), row.get::<_, String>(11)),
            timing,
            events,
            for_each_row: tgtype & 1 != 0,
            when: crate::parse::trigger_when(&def),
            function: QualifiedName::new(row.get::<_, String>(4), row.get::<_, String>(5)),
            args,
            comment: row.get(9),
        });
    }

    // 10. Other object kinds the model does not hold, reported so nothing is silently ignored.
    let sql = format!(
        "SELECT 'policy', n.nspname || '.' || c.relname || ' ' || pol.polname
           FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE {NAMESPACE_FILTER}
         UNION ALL
         SELECT 'rule', n.nspname || '.' || c.relname || ' ' || r.rulename
           FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           WHERE r.rulename <> '_RETURN' AND {NAMESPACE_FILTER}
         ORDER BY 1, 2"
    );
    for row in cat.query(&sql, p)? {
        unmodeled.push(Unmodeled {
            kind: row.get(0),
            name: row.get(1),
        });
    }

    reread_expressions(&mut cat, &mut schema, &type_texts)?;
    mark_serials(&mut schema, home);
    Ok(Introspection {
        schema,
        unmodeled,
        queries: cat.queries,
        server_version: version,
    })
}

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
            Slot::IndexElement { .. } => Some(strip_parens(printed).to_string()),
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
        use schema_core::ident::quote_ident;
        let copy_of = |t: usize| format!("{prefix}{t}");
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
            let copy = copy_of(t);
            for (c, col) in table.columns.iter().enumerate() {
                let name = quote_ident(&col.name);
                if let Some(expr) = col.generated.as_deref().and_then(text) {
                    let Some(ty) = type_texts.get(t).and_then(|types| types.get(c)) else {
                        continue;
                    };
                    let collate = col
                        .collation
                        .as_ref()
                        .map(|c| format!(" COLLATE {}", quote_ident(c)))
                        .unwrap_or_default();
                    statements.push(format!(
                        "ALTER TABLE pg_temp.{copy} DROP COLUMN {name}, \
                         ADD COLUMN {name} {ty}{collate} GENERATED ALWAYS AS ({expr}) STORED"
                    ));
                } else if let Some(expr) = col.default.as_deref().and_then(text) {
                    statements.push(format!(
                        "ALTER TABLE pg_temp.{copy} ALTER COLUMN {name} SET DEFAULT {expr}"
                    ));
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
                statements.push(format!(
                    "ALTER TABLE pg_temp.{copy} ADD CONSTRAINT {} CHECK ({expr})",
                    quote_ident(&con.name)
                ));
                self.found
                    .push(((copy.clone(), "c", con.name.clone()), Slot::Check { t, k }));
            }
            for (i, index) in table.indexes.iter().enumerate() {
                let index_copy = format!("{copy}_{i}");
                let mut any = false;
                let mut elements = Vec::new();
                for (e, element) in index.elements.iter().enumerate() {
                    let mut sql = match &element.target {
                        IndexTarget::Column(c) => quote_ident(c).into_owned(),
                        IndexTarget::Expression(x) => match text(x) {
                            Some(x) => {
                                any = true;
                                self.found.push((
                                    (index_copy.clone(), "i", (e + 1).to_string()),
                                    Slot::IndexElement { t, i, e },
                                ));
                                format!("({x})")
                            }
                            None => format!("({x})"),
                        },
                    };
                    if let Some(c) = &element.collation {
                        sql.push_str(&format!(" COLLATE {}", quote_ident(c)));
                    }
                    if let Some(o) = &element.opclass {
                        sql.push_str(&format!(" {}", quote_ident(o)));
                    }
                    elements.push(sql);
                }
                let predicate = match index.predicate.as_deref() {
                    Some(p) => match text(p) {
                        Some(p) => {
                            any = true;
                            self.found.push((
                                (index_copy.clone(), "p", String::new()),
                                Slot::IndexPredicate { t, i },
                            ));
                            format!(" WHERE ({p})")
                        }
                        None => format!(" WHERE ({p})"),
                    },
                    None => String::new(),
                };
                if any {
                    statements.push(format!(
                        "CREATE INDEX {index_copy} ON pg_temp.{copy} USING {} ({}){predicate}",
                        quote_ident(index.method.name()),
                        elements.join(", "),
                    ));
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
                let events: Vec<&str> = tr
                    .events
                    .iter()
                    .map(|e| match e {
                        TriggerEvent::Insert => "INSERT",
                        TriggerEvent::Update(_) => "UPDATE",
                        TriggerEvent::Delete => "DELETE",
                        TriggerEvent::Truncate => "TRUNCATE",
                    })
                    .collect();
                statements.push(format!(
                    "CREATE TRIGGER {name} {} {} ON pg_temp.{copy} FOR EACH {} WHEN ({when}) \
                     EXECUTE FUNCTION {}()",
                    tr.timing.sql(),
                    events.join(" OR "),
                    if tr.for_each_row { "ROW" } else { "STATEMENT" },
                    qualified(&tr.function)
                ));
                self.found
                    .push(((name, "t", String::new()), Slot::TriggerWhen(k)));
            }
            if !statements.is_empty() {
                self.groups.push(format!(
                    "CREATE TEMPORARY TABLE {copy} (LIKE {})",
                    qualified(&table.name)
                ));
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
                .push(format!("CREATE TEMPORARY VIEW {name} AS {query}"));
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
fn reread_expressions<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    schema: &mut Schema,
    type_texts: &[Vec<String>],
) -> Result<(), Error> {
    use schema_core::ident::{dollar_quote, quote_literal};

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

    let mut batch = String::new();
    let groups: Vec<&String> = plain.groups.iter().chain(&rewritten.groups).collect();
    if !groups.is_empty() {
        let mut body = String::from("BEGIN\n");
        for g in groups {
            body.push_str(&format!(
                "BEGIN EXECUTE {}; EXCEPTION WHEN OTHERS THEN NULL; END;\n",
                quote_literal(g)
            ));
        }
        body.push_str("END");
        batch.push_str(&format!("DO {};\n", dollar_quote(&body)));
    }
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

/// The column's type: built-ins as `format_type` prints them; user and extension types
/// (and arrays of them) by namespace and name, since `format_type` only qualifies names that
/// are not on the search path.
fn column_type(row: &Row) -> DataType {
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
    DataType::parse(&printed).unwrap_or_else(|_| DataType::named("pg_catalog", printed))
}

/// Serial columns: an integer column whose default is `nextval` of a sequence it owns reads
/// back as `serial` (and the sequence is not listed), as it was declared.
fn mark_serials(schema: &mut Schema, home: &str) {
    let mut owned = Vec::new();
    for (si, seq) in schema.sequences.iter().enumerate() {
        let Some((table, column)) = &seq.owned_by else {
            continue;
        };
        let Some(t) = schema.tables.iter().position(|t| &t.name == table) else {
            continue;
        };
        let Some(c) = schema.tables[t]
            .columns
            .iter()
            .position(|c| &c.name == column)
        else {
            continue;
        };
        let col = &schema.tables[t].columns[c];
        let expected = format!(
            "nextval({}::regclass)",
            schema_core::ident::quote_literal(&regclass_text(&seq.name, home))
        );
        let (serial, max) = match col.data_type.name.as_str() {
            "smallint" => ("smallserial", i64::from(i16::MAX)),
            "integer" => ("serial", i64::from(i32::MAX)),
            "bigint" => ("bigserial", i64::MAX),
            _ => continue,
        };
        let derived = schema_core::naming::make_object_name(&table.name, Some(column), Some("seq"));
        if col.default.as_deref() == Some(expected.as_str())
            && col.data_type.schema.is_none()
            && !col.data_type.array
            && seq.name.name == derived
            && seq.name.schema == table.schema
            && has_serial_options(seq, &col.data_type, max)
        {
            owned.push((si, t, c, serial));
        }
    }
    for &(_, t, c, serial) in &owned {
        let col = &mut schema.tables[t].columns[c];
        col.data_type = DataType::builtin(serial);
        col.default = None;
    }
    let mut drop: Vec<usize> = owned.iter().map(|o| o.0).collect();
    drop.sort_unstable();
    for si in drop.into_iter().rev() {
        schema.sequences.remove(si);
    }
}

/// True if `seq` has exactly the options `serial` gives the sequence of a column of type
/// `column_type` (whose maximum is `max`): `AS` the column's type, `INCREMENT 1`, `MINVALUE 1`,
/// `MAXVALUE` the type's maximum, `START 1`, `CACHE 1`, `NO CYCLE`. A sequence with other
/// options (`ALTER SEQUENCE ... MAXVALUE`, a `bigint` sequence behind an `integer` column as
/// pre-10 dumps make) is listed as a sequence of its own, or the options would be lost.
fn has_serial_options(seq: &Sequence, column_type: &DataType, max: i64) -> bool {
    seq.data_type.as_ref() == Some(column_type)
        && seq.increment == Some(1)
        && seq.min_value == Some(1)
        && seq.max_value == Some(max)
        && seq.start == Some(1)
        && seq.cache == Some(1)
        && !seq.cycle
}

/// A sequence's name as `regclass` prints it in a `nextval` default: qualified unless it is
/// in the home schema (on the search path), each part quoted as needed.
fn regclass_text(name: &QualifiedName, home: &str) -> String {
    use schema_core::ident::quote_ident;
    if name.schema == home {
        quote_ident(&name.name).into_owned()
    } else {
        format!("{}.{}", quote_ident(&name.schema), quote_ident(&name.name))
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

fn qualified(name: &QualifiedName) -> String {
    schema_core::ident::quote_qualified(&name.schema, &name.name)
}

/// `pg_get_indexdef` prints a key column as its (possibly quoted) name.
fn unquote_column(def: &str) -> String {
    match def.strip_prefix('"').and_then(|d| d.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => def.to_string(),
    }
}

/// `pg_get_indexdef` prints an expression key in parentheses unless it is a function call.
fn strip_parens(def: &str) -> &str {
    let t = def.trim();
    if t.starts_with('(') && t.ends_with(')') && crate::parse::balanced(&t[1..t.len() - 1]) {
        &t[1..t.len() - 1]
    } else {
        t
    }
}
