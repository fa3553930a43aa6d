//! Introspection: a live catalog read into the same [`Schema`] model the macro builds.
//!
//! A fixed number of set-based queries on `pg_catalog`, whatever the number of tables: every
//! query covers the whole database, and all of them go through one funnel that counts them, so
//! a test can hold the count constant. Left out: system schemas, pgdecl's own schema,
//! extension-owned objects, and inherited or cloned constraints, attached indexes and cloned
//! triggers of partitions (they belong to their parent). Objects the model cannot hold are listed in
//! [`Introspection::unmodeled`] rather than silently dropped.
//!
//! Introspection only reads: it runs in a `READ ONLY` transaction and needs no privilege beyond
//! reading the catalog. SQL fragments (defaults, checks, index expressions, view queries, ...)
//! come back exactly as the server prints them. PostgreSQL's printer is not idempotent (a
//! fragment created from an older print prints differently), and that is settled on the
//! declared side, where canonicalization follows each fragment's print chain (see
//! [`schema_core::print_chain`]), never by re-printing the live side. Each object kind's
//! catalog query and row reader live in a file of their own; this module holds the snapshot,
//! the counting funnel and the fixed order of the round trips.

mod column;
mod composite_type;
mod constraint;
mod domain;
mod enum_type;
mod extension;
mod function;
mod grant;
mod index;
mod jobs;
mod policy;
mod range_type;
mod relation;
mod schema;
mod sequence;
mod table;
mod trigger;
mod unmodeled;
mod unprinted;
mod user_type;
mod view;

use std::collections::HashMap;
use std::sync::Arc;

use bytes::BytesMut;
use postgres::types::{ToSql, Type};
use postgres::{Client, GenericClient, IsolationLevel, Row};
use schema_core::model::*;

use crate::error::Error;
use crate::undo::Undoable;

pub use jobs::SecondConnection;
pub use unmodeled::Unmodeled;
pub(crate) use unprinted::is_placeholder;

/// The schema pgdecl keeps its own tables in; never part of a user's schema.
pub const PGDECL_SCHEMA: &str = "pgdecl";

/// The result of reading a live database.
#[derive(Debug, Clone, PartialEq)]
pub struct Introspection {
    /// Everything the model can hold.
    pub schema: Schema,
    /// Objects that exist but that pgdecl does not model (materialized views, exclusion
    /// constraints, ...), as `kind name` for reports.
    pub unmodeled: Vec<Unmodeled>,
    /// How many catalog queries the read took (constant: see the module docs).
    pub queries: usize,
    /// `server_version_num`, e.g. `150004`.
    pub server_version: i32,
}

/// Counts every query so introspection can prove it issues a fixed number.
struct Catalog<'a, C: GenericClient> {
    client: &'a mut C,
    queries: usize,
    /// The second connection's helper, when the read has one.
    helper: Option<jobs::Helper>,
    /// [`Scope::relations_by_dependency`], in effect (the scope reads some schemas only).
    relations_by_dependency: bool,
}

impl<C: GenericClient> Catalog<'_, C> {
    /// Runs `sql`, or takes its rows from the helper when it was posted there (with the
    /// same parameters: see [`jobs`]).
    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, Error> {
        self.queries += 1;
        let posted = match &self.helper {
            Some(helper) => helper.board().take(self.client, sql),
            None => None,
        };
        posted
            .unwrap_or_else(|| run_query(self.client, sql, params))
            .map_err(|e| Error::from_postgres("reading the catalog", e))
    }

    /// Posts the queries to run next (with their parameters) for the helper, when the read
    /// has one; the readers that consume them run them as usual.
    fn post_first(&self, jobs: impl FnOnce() -> Vec<(String, jobs::Params)>) {
        if let Some(helper) = &self.helper {
            helper.board().post_first(jobs());
        }
    }
}

/// Runs one catalog query on `client`.
fn run_query<C: GenericClient>(
    client: &mut C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>, postgres::Error> {
    // Unnamed statements only: a named one (`s0`, ...) outlives the statement on the
    // server connection, which PgBouncer in transaction mode hands to other clients.
    let typed = params
        .iter()
        .map(|p| (*p, param_type(*p)))
        .collect::<Vec<_>>();
    client.query_typed(sql, &typed)
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
    /// Leaves privileges unread ([`Schema::grants`] and [`Schema::default_privileges`] stay
    /// empty): canonicalization reads back scratch schemas whose privileges are the
    /// declaration's own, carried over as declared. The privilege query reads every
    /// relation of the database and filters by schema after, so each of the read-backs of a
    /// cold plan paid for every live table (issue 12: 70 ms each at 10,000 live tables).
    pub without_privileges: bool,
    /// Finds the relations of the [`only`](Self::only) schemas through their dependency on
    /// their schema (`pg_depend`'s reference index) rather than by a scan of all of
    /// `pg_class` (it has no index on the schema): every query that looks for relations by
    /// schema then costs what the schemas read hold, not what the database holds. For
    /// canonicalization's read-backs of scratch schemas: each of the dozens of read-backs of
    /// a cold plan scanned `pg_class` six times, 20-35 ms a scan next to 10,000 live tables
    /// (issue 12). PostgreSQL records that dependency for every table, view, materialized
    /// view, sequence and foreign table it creates (an index is found through its table);
    /// the scan is the one that also sees a relation whose dependency someone removed from
    /// the catalog by hand, so it stays the default. No effect without `only`.
    pub relations_by_dependency: bool,
    /// Reads only the relations of the scope and what belongs to them (columns, constraints,
    /// indexes, triggers, row-level security, policies) and the unmodelled objects: the
    /// schema-wide objects stay unread ([`Schema::schemas`], [`Schema::extensions`], the
    /// enums, domains, composite and range types, [`Schema::functions`] and
    /// [`Schema::aggregates`] stay empty, and no function or aggregate is reported as
    /// unmodelled). For the read-backs of a declaration built in pieces: the schema-wide
    /// objects are built once, before the pieces, and the merge keeps one read of them;
    /// every piece reading them all again made a cold plan grow as pieces times objects
    /// (issue 12: 10,000 functions read back 54 times, the one measure that grew faster than
    /// the tables).
    pub relations_only: bool,
}

/// `AND`-ed to a query's conditions on relation `oid` (a `pg_class.oid` column): true for
/// every relation when `by_dependency` is off, else only for the relations of the `$2`
/// schemas (and their indexes), found through `pg_depend` (see
/// [`Scope::relations_by_dependency`]). The arrays are built first (`= ANY (ARRAY(...))`), so
/// the planner probes `pg_class` by oid whatever it estimates.
fn scoped_relations(by_dependency: bool, oid: &str) -> String {
    if !by_dependency {
        return "true".to_string();
    }
    let in_schemas = "SELECT dd.objid FROM pg_catalog.pg_depend dd
                  WHERE dd.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
                    AND dd.refobjid = ANY (ARRAY(SELECT dn.oid FROM pg_catalog.pg_namespace dn
                                                 WHERE dn.nspname = ANY ($2::text[])))
                    AND dd.refobjsubid = 0
                    AND dd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass";
    format!(
        "{oid} = ANY (ARRAY({in_schemas}
                UNION ALL
                SELECT di.indexrelid FROM pg_catalog.pg_index di
                 WHERE di.indrelid = ANY (ARRAY({in_schemas}))))"
    )
}

/// The comment of an object, as `pg_catalog.obj_description(oid, 'catalog')` (or, with
/// `subid` a column number, `col_description`) returns it: a `LEFT JOIN` of `pg_description`
/// named `alias`, whose `alias.description` is the comment. Joined once for the whole query
/// rather than called per row: each call of those SQL functions runs a query of its own, a
/// third of the constraint read's time at a thousand tables (issue 12).
fn description_join(alias: &str, catalog: &str, oid: &str, subid: &str) -> String {
    format!(
        "LEFT JOIN pg_catalog.pg_description {alias} ON {alias}.objoid = {oid}
              AND {alias}.classoid = 'pg_catalog.{catalog}'::pg_catalog.regclass
              AND {alias}.objsubid = {subid}"
    )
}

/// The names of the columns numbered `nums` (an `int2[]` expression) of relation `rel`, in
/// order, as a `text[]`, numbers naming no column (an expression's 0) left out: one index
/// lookup per element (the planner's join of the relation's whole `pg_attribute` per row cost
/// several times more).
fn column_names(nums: &str, rel: &str) -> String {
    format!(
        "pg_catalog.array_remove(ARRAY(SELECT (SELECT a.attname::text FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = {rel} AND a.attnum = k.n)
               FROM unnest({nums}) WITH ORDINALITY k(n, o) ORDER BY k.o), NULL)"
    )
}

/// `NOT extension-owned` for an object of catalog `cat` with oid column `oidcol`.
///
/// The reference to `pg_extension` is redundant (every `deptype = 'e'` row references its
/// extension) and is what makes this cheap: with it the planner probes
/// `pg_depend_reference_index` for the few extension members; without it, expecting
/// thousands of rows from `pg_class`, it scanned the whole `pg_depend` (355,000 rows, 41 ms
/// of a 59 ms relation query at 10,000 live tables), once per query of every read, the
/// read-backs of a cold plan's scratch schemas included (issue 12).
fn not_ext(cat: &str, oidcol: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d \
         WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass \
         AND d.classid = '{cat}'::regclass AND d.objid = {oidcol} AND d.deptype = 'e')"
    )
}

/// Reads the whole user schema of the database `client` is connected to, in one snapshot (a
/// `REPEATABLE READ READ ONLY` transaction), so a concurrent deployer cannot make it see half a
/// change, and the server itself guarantees the read writes nothing (it works on a standby).
pub fn introspect(client: &mut Client, scope: &Scope) -> Result<Introspection, Error> {
    in_read_transaction(client, |tx| introspect_in(tx, scope))
}

/// Runs `read` in a `REPEATABLE READ READ ONLY` transaction of `client`, rolled back after
/// (nothing to commit: a read only sets `search_path` locally).
fn in_read_transaction<T>(
    client: &mut Client,
    read: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| Error::from_postgres("starting the catalog transaction", e))?;
    let result = read(&mut tx)?;
    tx.rollback()
        .map_err(|e| Error::from_postgres("ending the catalog transaction", e))?;
    Ok(result)
}

/// [`introspect`] of the database at `url`, sharing its queries with a second connection
/// as a converge of a large schema does, and how many queries that connection ran. For
/// tests that hold the shared read to the one-connection read; with `wait_for_helper` the
/// read waits for the second connection to be ready before it runs a shared query itself
/// (so the test knows the helper took part).
#[doc(hidden)]
pub fn introspect_url_shared(
    url: &str,
    scope: &Scope,
    wait_for_helper: bool,
) -> Result<(Introspection, usize), Error> {
    let settings = crate::connect::ConnectSettings::from_conninfo(url)?;
    let mut client = settings.connect()?;
    let mut second = SecondConnection::new(settings);
    second.wait_for_ready = wait_for_helper;
    in_read_transaction(&mut client, |tx| {
        introspect_in_sharing(tx, scope, Some(&second), None)
    })
}

/// [`introspect_pair`] of the databases at two URLs, for tests that check which
/// expressions were left unprinted ([`is_unprinted`]).
#[doc(hidden)]
pub fn introspect_urls_compared(
    from_url: &str,
    to_url: &str,
    digests: bool,
) -> Result<(Introspection, Introspection), Error> {
    let mut from = crate::connect::connect(from_url)?;
    let mut to = crate::connect::connect(to_url)?;
    introspect_pair(&mut from, &mut to, digests)
}

/// True if `text`, an expression of a read by [`introspect_urls_compared`], was left
/// unprinted (the other side holds the same).
#[doc(hidden)]
pub fn is_unprinted(text: &str) -> bool {
    is_placeholder(text)
}

/// Reads two databases to be compared, side by side (each on a thread of its own, in a
/// snapshot of its own), as [`introspect`] reads each.
///
/// With `digests`, the checks, the expressions and predicates of indexes, and the column
/// defaults and generation expressions that the two hold alike are not printed: both reads give them the same placeholder text (see
/// [`is_placeholder`]), which compares equal and must never reach SQL. For `pgdecl diff`
/// (issue 12: printing them was most of a no-op diff's time on each side).
pub(crate) fn introspect_pair(
    from: &mut Client,
    to: &mut Client,
    digests: bool,
) -> Result<(Introspection, Introspection), Error> {
    use std::sync::mpsc::{channel, Receiver, Sender};
    type Channel = (
        Sender<Arc<unprinted::Offer>>,
        Receiver<Arc<unprinted::Offer>>,
    );
    // One side's read; also whether the other side went away before the trade (when both
    // fail, the other side's error is the cause).
    let read = |client: &mut Client, (send, receive): Channel| {
        let mut abandoned = false;
        let mut trade = |mine| {
            let theirs = send.send(mine).ok().and_then(|()| receive.recv().ok());
            abandoned = theirs.is_none();
            theirs
        };
        let exchange: Option<unprinted::Exchange<'_>> =
            if digests { Some(&mut trade) } else { None };
        let read = in_read_transaction(client, |tx| {
            introspect_in_sharing(tx, &Scope::default(), None, exchange).map(|(read, _)| read)
        });
        // Returning drops this side's ends of the channels: a side still waiting for its
        // offer learns this one is done.
        (read, abandoned)
    };
    let (from_send, to_receive) = channel();
    let (to_send, from_receive) = channel();
    let (from, to) = std::thread::scope(|s| {
        let to = s.spawn(|| read(to, (to_send, to_receive)));
        let from = read(from, (from_send, from_receive));
        let to = to
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (from, to)
    });
    match (from, to) {
        ((Ok(from), _), (Ok(to), _)) => Ok((from, to)),
        // FROM's own error first; TO's when FROM only saw TO go away.
        ((Err(e), false), _) | (_, (Err(e), _)) | ((Err(e), true), _) => Err(e),
    }
}

/// [`introspect`] inside a transaction the caller holds (it sets `search_path` locally, so it
/// must be a transaction).
///
/// Expressions are printed with `search_path = pg_catalog, public` (or the scope's home
/// schema): names there bare, all others qualified, whatever the session's own setting. It
/// only reads, so the caller's transaction may be `READ ONLY`.
pub fn introspect_in<C: Undoable>(client: &mut C, scope: &Scope) -> Result<Introspection, Error> {
    introspect_in_sharing(client, scope, None, None).map(|(read, _)| read)
}

/// [`introspect_in`], sharing the work with a `second` connection to the same database
/// when one is given (it imports the read's snapshot; see [`jobs`]). The read is the same;
/// also returns how many of its queries the second connection ran.
///
/// With `exchange`, the read is one of two read to be compared, and `exchange` trades
/// digests with the other (see [`unprinted`]).
pub(crate) fn introspect_in_sharing<C: Undoable>(
    client: &mut C,
    scope: &Scope,
    second: Option<&SecondConnection>,
    exchange: Option<unprinted::Exchange<'_>>,
) -> Result<(Introspection, usize), Error> {
    // Exported before the savepoint: PostgreSQL exports no snapshot from a subtransaction.
    // (Standbys export theirs since PostgreSQL 10, as `pg_dump --jobs` relies on.)
    let second = match second {
        Some(second) => {
            // The unnamed statement (`query_typed`), as every statement of the read.
            let row = client
                .query_typed_one("SELECT pg_catalog.pg_export_snapshot()", &[])
                .map_err(|e| Error::from_postgres("exporting the catalog read's snapshot", e))?;
            Some((second, row.get::<_, String>(0)))
        }
        None => None,
    };
    // A savepoint, rolled back at the end, so the `search_path` set below does not outlive
    // the read (a later `CREATE EXTENSION` would otherwise install into `pg_catalog`).
    let mut savepoint = client
        .undoable()
        .map_err(|e| Error::from_postgres("opening a savepoint to read the catalog", e))?;
    let result = read_catalog(&mut *savepoint, scope, second, exchange);
    savepoint
        .undo()
        .map_err(|e| Error::from_postgres("closing the catalog savepoint", e))?;
    result
}

/// The parameters of every query that uses [`NAMESPACE_FILTER`]: the schemas to skip, and
/// the only schemas to read.
type Filter<'a> = &'a [&'a (dyn ToSql + Sync)];

/// What the readers have built so far, handed from one round trip to the next.
#[derive(Default)]
struct Found {
    schema: Schema,
    unmodeled: Vec<Unmodeled>,
    /// The tables read, by oid, for the per-table queries that follow.
    tables: table::TableOids,
    /// The materialized views read: (oid, index into `Schema::views`), for the index query.
    materialized_views: Vec<(u32, usize)>,
    /// The columns of the tables and materialized views read, by (relation oid, number):
    /// keys, include lists and collations of constraints and indexes are read as numbers and
    /// named here, instead of by one catalog lookup per key on the server (issue 12: those
    /// lookups were most of the index query's time on an index-heavy schema).
    attributes: HashMap<(u32, i16), Attribute>,
    /// The names of the operator classes that are not their type's default, by oid.
    opclasses: HashMap<u32, String>,
    /// The expressions read as digests, to be given their texts (see [`unprinted`]).
    unprinted: Vec<unprinted::Unprinted>,
}

/// One column of [`Found::attributes`].
struct Attribute {
    name: String,
    /// `pg_attribute.attcollation` (0 for a type without collation).
    collation: u32,
}

/// `pg_collation`'s fixed oid of the database default collation (`DEFAULT_COLLATION_OID`).
const DEFAULT_COLLATION: u32 = 100;

impl Found {
    /// The tables and materialized views read (the relations whose columns and indexes
    /// are read).
    fn relation_oids(&self) -> Vec<u32> {
        let mut oids = self.tables.oids().clone();
        oids.extend(self.materialized_views.iter().map(|(oid, _)| *oid));
        oids
    }

    /// The names of columns `numbers` of relation `relation`, in order, numbers naming no
    /// column read (an expression's 0) left out.
    fn column_names(&self, relation: u32, numbers: &[i16]) -> Vec<String> {
        numbers
            .iter()
            .filter_map(|n| self.attributes.get(&(relation, *n)))
            .map(|a| a.name.clone())
            .collect()
    }
}

impl Found {
    fn unmodeled(&mut self, kind: impl Into<String>, name: String) {
        self.unmodeled.push(Unmodeled {
            kind: kind.into(),
            name,
        });
    }
}

/// The PostgreSQL type of one of the readers' parameters, needed because `query_typed` (the
/// unnamed statement) does not ask the server for them. The readers only pass text, text
/// arrays, oids, oid arrays and integers; the first candidate the value encodes as wins.
fn param_type(value: &(dyn ToSql + Sync)) -> Type {
    const CANDIDATES: [Type; 7] = [
        Type::TEXT,
        Type::TEXT_ARRAY,
        Type::OID,
        Type::OID_ARRAY,
        Type::INT4,
        Type::INT8,
        Type::BOOL,
    ];
    let mut buf = BytesMut::new();
    CANDIDATES
        .into_iter()
        .find(|ty| {
            buf.clear();
            value.to_sql_checked(ty, &mut buf).is_ok()
        })
        // Unreachable for the readers' values; TEXT makes the server report a clear mismatch.
        .unwrap_or(Type::TEXT)
}

/// The session settings of a catalog read, as `SELECT` columns (`$1`: the home schema).
///
/// Expressions print with `search_path = pg_catalog, <home>`. `TimeZone` is fixed too:
/// constants of `timestamptz` (partition bounds above all) print in the session's zone, and a
/// canonical form read in one zone must compare with a live database read in another. `jit`
/// off, as pg_dump does: once the catalogs are analyzed, the row estimates of the
/// per-relation queries at a thousand tables cross `jit_optimize_above_cost`, and compiling
/// them (over a second each) cost more than running them (issue 12). No parallel workers
/// either: starting them took 30 ms of the 36 ms the last query ran, a few milliseconds of
/// work over small catalogs.
const READ_SETTINGS: &str =
    "pg_catalog.set_config('search_path', 'pg_catalog, ' || pg_catalog.quote_ident($1), true),
     pg_catalog.set_config('TimeZone', 'UTC', true),
     pg_catalog.set_config('jit', 'off', true),
     pg_catalog.set_config('max_parallel_workers_per_gather', '0', true)";

/// The fixed sequence of round trips: one per object kind, whatever the number of objects.
/// With `second` (a connection and the snapshot to import), a helper runs some of them on
/// a second connection (see [`jobs`]).
fn read_catalog<C: GenericClient>(
    client: &mut C,
    scope: &Scope,
    second: Option<(&SecondConnection, String)>,
    exchange: Option<unprinted::Exchange<'_>>,
) -> Result<(Introspection, usize), Error> {
    let mut skip = scope.skip.clone();
    skip.push(PGDECL_SCHEMA.to_string());
    let home = scope.home.as_deref().unwrap_or(DEFAULT_SCHEMA);
    // The operator classes that are not their type's default come along (about a hundred
    // rows): index keys name theirs by oid, resolved here, where joining `pg_opclass` per
    // index was a third of the index query on an index-heavy schema (issue 12).
    let mut found = Found::default();
    let settings = run_query(
        client,
        &format!(
            "SELECT pg_catalog.current_setting('server_version_num')::int, {READ_SETTINGS},
                    ARRAY(SELECT oc.oid FROM pg_catalog.pg_opclass oc WHERE NOT oc.opcdefault
                          ORDER BY oc.oid),
                    ARRAY(SELECT oc.opcname::text FROM pg_catalog.pg_opclass oc
                          WHERE NOT oc.opcdefault ORDER BY oc.oid),
                    pg_catalog.current_setting('statement_timeout')"
        ),
        &[&home],
    )
    .map_err(|e| Error::from_postgres("reading the catalog", e))?;
    let version: i32 = settings.first().map(|r| r.get(0)).unwrap_or(0);
    let mut statement_timeout = String::from("0");
    if let Some(row) = settings.first() {
        let oids: Vec<u32> = row.get(5);
        let names: Vec<String> = row.get(6);
        found.opclasses = oids.into_iter().zip(names).collect();
        statement_timeout = row.get(7);
    }
    drop(settings);
    let helper = second.map(|(second, snapshot)| {
        jobs::Helper::start(second, snapshot, home.to_string(), statement_timeout)
    });
    let by_dependency = scope.relations_by_dependency && scope.only.is_some();
    let mut cat = Catalog {
        client,
        queries: 1,
        helper,
        relations_by_dependency: by_dependency,
    };
    let filter: Filter<'_> = &[&skip, &scope.only];
    // Expressions are read as digests only to be traded with another read, and only where
    // a digest tells what the print would (see `unprinted`).
    let digests = exchange.is_some() && version >= unprinted::FIRST_VERSION;
    // What does not depend on the tables read goes to the helper first; it claims from the
    // end of the list, the read consumes from its start.
    cat.post_first(|| {
        [
            (!scope.relations_only).then(function::sql),
            Some(trigger::sql()),
            Some(policy::sql(by_dependency)),
            (!scope.without_privileges).then(grant::sql),
            Some(unmodeled::sql(by_dependency)),
        ]
        .into_iter()
        .flatten()
        .map(|sql| {
            let params: jobs::Params =
                Arc::new(vec![Box::new(skip.clone()), Box::new(scope.only.clone())]);
            (sql, params)
        })
        .collect()
    });

    if !scope.relations_only {
        schema::read(&mut cat, filter, home, &mut found)?;
        extension::read(&mut cat, &mut found)?;
        user_type::read(&mut cat, filter, &mut found)?;
    }
    relation::read(&mut cat, filter, &mut found)?;
    cat.post_first(|| {
        let tables = found.tables.oids().clone();
        let relations = found.relation_oids();
        vec![
            (
                column::sql(),
                Arc::new(vec![Box::new(relations.clone()) as _, Box::new(digests)]),
            ),
            (
                constraint::sql(version),
                Arc::new(vec![Box::new(tables) as _, Box::new(digests)]),
            ),
            (
                index::sql(version),
                Arc::new(vec![Box::new(relations) as _, Box::new(digests)]),
            ),
        ]
    });
    column::read(&mut cat, digests, &mut found)?;
    constraint::read(&mut cat, version, digests, &mut found)?;
    index::read(&mut cat, version, digests, &mut found)?;
    if !scope.relations_only {
        function::read(&mut cat, filter, &mut found)?;
    }
    trigger::read(&mut cat, filter, &mut found)?;
    policy::read(&mut cat, filter, &mut found)?;
    if !scope.without_privileges {
        grant::read(&mut cat, filter, &mut found)?;
    }
    unmodeled::read(&mut cat, filter, &mut found)?;
    if let Some(exchange) = exchange {
        unprinted::settle(&mut cat, version, &mut found, exchange)?;
    }

    sequence::mark_serials(&mut found.schema, home);
    grant::report_grants_on_unmodelled(&mut found);
    let shared = cat.helper.as_ref().map_or(0, jobs::Helper::ran);
    if cat.helper.is_some() {
        tracing::debug!(
            queries = cat.queries,
            shared,
            "catalog read: queries run on the second connection"
        );
    }
    Ok((
        Introspection {
            schema: found.schema,
            unmodeled: found.unmodeled,
            queries: cat.queries,
            server_version: version,
        },
        shared,
    ))
}

/// `schema.name`, each part quoted as needed, as reports name objects.
fn qualified(name: &QualifiedName) -> String {
    schema_core::ident::quote_qualified(&name.schema, &name.name)
}

/// `SELECT COALESCE(<this>, false)` reads `NULLS NOT DISTINCT` where the server has it (15+).
fn nulls_not_distinct_column(version: i32) -> &'static str {
    if version >= 150000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    }
}
