//! Canonicalization: the declared schema as PostgreSQL itself prints it (design principle 2).
//!
//! The catalog reprints what users write (`IN (...)` becomes `= ANY (ARRAY[...])`, `0` on a
//! numeric column becomes `0`, `'member'` becomes `'member'::user_role`), so comparing
//! declared text with live text by hand-written rules never converges. Instead the declared
//! objects are created for real, in scratch schemas inside a transaction that is always rolled
//! back, and read back with the same introspector that reads the live side. No CREATEDB
//! privilege is needed, only CREATE on the database (to make the scratch schemas) — and nothing
//! of it survives the rollback.
//! A declaration bigger than the server's lock table allows one transaction is built and read
//! in pieces, each in a savepoint rolled back after its read-back (see `chunks`).
//!
//! The printer is not idempotent either: a fragment created from a print may print differently
//! again (a database restored from a dump, or loaded with `psql -f` of an older print). So the
//! printed fragments are created once more, and their prints again, to a fixed point (see
//! `chain`), and every form met is kept with the canonical form as its print chain: the live
//! side is then matched against the chains ([`Canonical::adopt_prints`]) and never re-printed,
//! so reading a database stays read-only.

mod carrier;
mod chain;
mod chunks;
mod live_pair;

use std::collections::BTreeSet;

use postgres::Transaction;

use crate::undo::{Undo, Undoable};
use schema_core::model::*;
use schema_core::print_chain::{for_each_fragment_mut, fragments, PrintChain, PrintChains};
use schema_core::DataType;
use serde::{Deserialize, Serialize};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use schema_core::render::scratch::ScratchSchemas;
use schema_core::render::Statement;

use crate::error::{Error, ErrorKind};
use crate::introspect::{introspect_in, Introspection, Scope};

pub use live_pair::settle_live_pair;

/// A schema as the server prints it, with the print chain of each of its SQL fragments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Canonical {
    /// The schema as the server prints it; a fragment whose print reads back differently holds
    /// the text that rebuilds the declared expression where one was found.
    pub schema: Schema,
    /// The other texts each fragment may be printed as: the declared text and every print
    /// along the way to the printer's fixed point.
    #[serde(default)]
    pub print_chains: PrintChains,
}

impl Canonical {
    /// Replaces every fragment of `live` that is on its print chain by the canonical text
    /// (see [`PrintChains::adopt`]), so the diff sees equality; returns how many.
    pub fn adopt_prints(&self, live: &mut Schema) -> usize {
        self.print_chains.adopt(live, &self.schema)
    }
}

/// The declared schema's namespaces, each with the scratch schema that stands in for it.
struct Scratch {
    pairs: Vec<(String, String)>,
}

impl Scratch {
    fn new(declared: &Schema) -> Scratch {
        let mut names: BTreeSet<String> = BTreeSet::new();
        names.insert(DEFAULT_SCHEMA.to_string());
        names.extend(declared.schemas.iter().map(|n| n.name.clone()));
        // A unique tag per run, so concurrent canonicalizations never wait on each other's
        // scratch schema names and the names cannot occur in user text.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let tag = format!("{:x}{:x}", std::process::id(), nanos);
        let pairs = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| (name, format!("pgdecl_scratch_{tag}_{i}")))
            .collect();
        Scratch { pairs }
    }

    fn scratch_of(&self, schema: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == schema)
            .map(|(_, s)| s.as_str())
    }

    fn original_of(&self, schema: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(_, s)| s == schema)
            .map(|(n, _)| n.as_str())
    }

    fn home(&self) -> &str {
        self.scratch_of(DEFAULT_SCHEMA)
            .expect("public is always mapped")
    }

    /// `text` with the scratch names the server printed (`scratch.x`) mapped back to the real
    /// ones; the scratch names are unique enough that a plain replacement cannot hit anything
    /// else.
    fn text_to_original(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (name, s) in &self.pairs {
            if out.contains(s.as_str()) {
                let quoted = schema_core::ident::quote_ident(name);
                out = out.replace(&format!("{s}."), &format!("{quoted}."));
            }
        }
        out
    }

    /// `name` with its scratch schema mapped back to the real one.
    fn name_to_original(&self, name: &QualifiedName) -> QualifiedName {
        QualifiedName {
            schema: self
                .original_of(&name.schema)
                .unwrap_or(&name.schema)
                .to_string(),
            name: name.name.clone(),
        }
    }
}

/// Reads the declared schema back as the server prints it, using `client`'s database for
/// scratch space, with the print chain of every SQL fragment. Leaves nothing behind:
/// everything happens in a transaction (a savepoint, inside the caller's transaction) that is
/// rolled back.
pub fn canonicalize(client: &mut impl Undoable, declared: &Schema) -> Result<Canonical, Error> {
    canonicalize_from(client, declared, chain::Origin::Declared, None, true)
}

/// [`canonicalize`] building the scratch schemas in pieces of at most about `lock_budget`
/// lock-table entries each, whatever the server's lock table (see `PGDECL_SCRATCH_LOCKS`):
/// for tests that compare a build in many small pieces with a build in one.
#[doc(hidden)]
pub fn canonicalize_in_pieces(
    client: &mut impl Undoable,
    declared: &Schema,
    lock_budget: usize,
) -> Result<Canonical, Error> {
    canonicalize_from(
        client,
        declared,
        chain::Origin::Declared,
        Some(lock_budget.max(1)),
        true,
    )
}

/// [`canonicalize`] the plain way: every scratch table a plain table, none a storage-less
/// carrier (see `carrier`), and every fragment of a chain round created, none left out for
/// printing like another (see `chain::Alike`). For tests that compare the two.
#[doc(hidden)]
pub fn canonicalize_plainly(
    client: &mut impl Undoable,
    declared: &Schema,
) -> Result<Canonical, Error> {
    canonicalize_from(client, declared, chain::Origin::Declared, None, false)
}

/// [`canonicalize`] for a schema read from a live database (`pgdecl diff FROM TO` canonicalizes
/// TO's schema through FROM's server): its fragments are already prints, so each one is the
/// first form of its own chain, and its canonical text is the printed text itself, or a
/// rewrite of it that rebuilds the same expression when the printed text does not.
pub fn canonicalize_printed(
    client: &mut impl Undoable,
    printed: &Schema,
) -> Result<Canonical, Error> {
    canonicalize_from(client, printed, chain::Origin::Printed, None, true)
}

fn canonicalize_from(
    client: &mut impl Undoable,
    declared: &Schema,
    origin: chain::Origin,
    budget: Option<usize>,
    fast: bool,
) -> Result<Canonical, Error> {
    let scratch = Scratch::new(declared);
    // Only what the declaration itself defines moves to scratch schemas: an extension's type
    // or function (`citext`, `uuid_generate_v4`) stays where the extension put it.
    let declared_types: BTreeSet<QualifiedName> = declared
        .enums
        .iter()
        .map(|e| e.name.clone())
        .chain(declared.domains.iter().map(|d| d.name.clone()))
        .chain(declared.composites.iter().map(|c| c.name.clone()))
        .chain(declared.ranges.iter().map(|r| r.name.clone()))
        .chain(declared.ranges.iter().map(|r| r.multirange_name()))
        // Row types: a function may return `setof users`.
        .chain(declared.tables.iter().map(|t| t.name.clone()))
        .chain(declared.views.iter().map(|v| v.name.clone()))
        .collect();
    let declared_functions: BTreeSet<&QualifiedName> =
        declared.functions.iter().map(|f| &f.name).collect();
    let mut mapped = map_schema(
        declared.clone(),
        &|s| scratch.scratch_of(s).map(str::to_string),
        &|t| declared_types.contains(t),
        &|f| declared_functions.contains(f),
        true,
    );
    // Privileges hold no SQL fragment for the server to print: they are carried over as
    // declared (below), and granting them in scratch schemas would only need the roles there.
    mapped.grants.clear();
    mapped.default_privileges.clear();

    let mut tx = client
        .undoable()
        .map_err(|e| Error::from_postgres("starting the canonicalization transaction", e))?;
    // Scratch schemas first so declared names resolve to the declared objects; the live
    // `public` after them, for extension functions installed there.
    let setup = ScratchSchemas {
        schemas: scratch.pairs.iter().map(|(_, s)| s.as_str()).collect(),
        fallback: "public",
    }
    .to_string();
    tx.batch_execute(&setup).map_err(|e| {
        Error::from_postgres(
            "creating scratch schemas for canonicalization (needs CREATE on the database)",
            e,
        )
    })?;
    let scope = Scope {
        skip: Vec::new(),
        only: Some(scratch.pairs.iter().map(|(_, s)| s.clone()).collect()),
        home: Some(scratch.home().to_string()),
        // Privileges are carried over as declared (see `mapped.grants` above).
        without_privileges: true,
        // Every relation there was just created by this build's DDL: each has its
        // dependency on its schema, and a read-back costs what the piece holds, not what
        // the live database around it holds.
        relations_by_dependency: true,
        relations_only: false,
    };
    // A declaration's PL/pgSQL bodies are compiled here (the build runs with
    // `check_function_bodies = off`, as plans do); a live schema's were compiled when made.
    let check_bodies = origin == chain::Origin::Declared;
    let build = Build {
        budget: match budget {
            Some(budget) => budget,
            None => lock_budget(&mut tx)?,
        },
        carriers: fast,
        dedupe: fast,
    };
    // What following the chains needs of the mapped declaration, taken before the build
    // consumes it: one copy of the schema less held at once (issue 12: peak memory).
    let start = chain::Start {
        fragments: fragments(&mapped),
        extensions: mapped.extensions.clone(),
    };
    let read = match build_and_read(&mut tx, mapped, &scope, check_bodies, build, Some(&scratch))? {
        Built::Read(read) => *read,
        Built::DidNotLoad(e) => {
            return Err(Error::from_postgres(
                "creating the declared schema in scratch schemas",
                e,
            ))
        }
        Built::BodyDoesNotCompile { function, error } => {
            return Err(body_does_not_compile(&function, &scratch, error))
        }
    };
    if read
        .unmodeled
        .iter()
        .any(|u| !u.kind.starts_with("constraint not yet") && !u.is_privileges())
    {
        return Err(Error::new(
            ErrorKind::Invalid,
            "canonicalizing the declared schema",
            format!(
                "the declaration created objects pgdecl does not model: {:?}",
                read.unmodeled
            ),
        ));
    }
    // Read with the home scratch schema on the search path, the declaration's own types and
    // functions of `public` print bare, which reads as `public`: the rounds that follow the
    // chains create them again in the scratch schemas, so they are named there (a function
    // `RETURNS SETOF users` made every round fail, and its chains stop at the first print).
    // Mapped back with everything else below.
    let first = map_schema(
        read.schema,
        &|s| (s == DEFAULT_SCHEMA).then(|| scratch.home().to_string()),
        &|t| declared_types.contains(t),
        &|f| declared_functions.contains(f),
        false,
    );
    let mut followed = chain::follow(&mut tx, &scope, start, &first, origin, build)?;
    let extensions = without_shipped_comments(&mut tx, &declared.extensions)?;
    tx.undo()
        .map_err(|e| Error::from_postgres("rolling back the canonicalization", e))?;

    let mut printed = first;
    for_each_fragment_mut(&mut printed, &mut |slot, text| {
        if let Some(canonical) = followed.texts.remove(&slot) {
            *text = canonical;
        }
    });
    let mut canonical = map_schema(
        printed,
        &|s| scratch.original_of(s).map(str::to_string),
        &|_| true,
        &|_| true,
        false,
    );
    map_expressions(&mut canonical, &mut |e| {
        *e = scratch.text_to_original(e);
    });
    // What the catalog cannot tell: declared-only facts.
    canonical.extensions = extensions;
    canonical.grants = declared.grants.clone();
    canonical.default_privileges = declared.default_privileges.clone();
    carry_declared_only(declared, &mut canonical);
    let print_chains = PrintChains::new(followed.chains.into_iter().map(|c| {
        PrintChain {
            slot: c.slot.map(&|n| scratch.name_to_original(n), &|t| {
                scratch.text_to_original(t)
            }),
            forms: c
                .forms
                .into_iter()
                .map(|f| scratch.text_to_original(&f))
                .collect(),
        }
    }));
    Ok(Canonical {
        schema: canonical,
        print_chains,
    })
}

/// `extensions` with a comment equal to the one the extension ships with (its control file's,
/// which `CREATE EXTENSION` sets) read as none, as introspection reads it: declaring the
/// shipped comment then plans nothing, whether the live comment is the shipped one or the
/// extension is not installed yet. One query, and only when an extension declares a comment.
fn without_shipped_comments(
    tx: &mut Transaction<'_>,
    extensions: &[Extension],
) -> Result<Vec<Extension>, Error> {
    let mut out = extensions.to_vec();
    let commented: Vec<String> = out
        .iter()
        .filter(|e| e.comment.is_some())
        .map(|e| e.name.clone())
        .collect();
    if commented.is_empty() {
        return Ok(out);
    }
    // The unnamed statement: a named one collides behind a transaction-mode pooler.
    let rows = tx
        .query_typed(
            "SELECT name::text, comment FROM pg_catalog.pg_available_extensions
             WHERE name = ANY ($1::text[])",
            &[(&commented, postgres::types::Type::TEXT_ARRAY)],
        )
        .map_err(|e| Error::from_postgres("reading the comments extensions ship with", e))?;
    for row in rows {
        let (name, shipped): (String, Option<String>) = (row.get(0), row.get(1));
        if let Some(ext) = out.iter_mut().find(|e| e.name == name) {
            if shipped.is_some() && ext.comment == shipped {
                ext.comment = None;
            }
        }
    }
    Ok(out)
}

/// What creating a schema in the scratch schemas gave.
enum Built {
    /// It loaded; this is what the server read back.
    Read(Box<Introspection>),
    /// Its DDL failed.
    DidNotLoad(postgres::Error),
    /// It loaded, but the PL/pgSQL body of `function` does not compile.
    BodyDoesNotCompile {
        /// The function, named into the scratch schemas.
        function: Box<Function>,
        /// The server's error.
        error: postgres::Error,
    },
}

/// How many lock-table entries one piece of a scratch build may take: `PGDECL_SCRATCH_LOCKS`
/// when set (a positive number), else a quarter of the server's lock table
/// (`max_locks_per_transaction` times `max_connections`: other sessions share it), and at
/// least `max_locks_per_transaction`, which every transaction may count on. 1600 on a stock
/// server (64 x 100 / 4): about 230 tables of an identity key, a primary key and two
/// indexes each per piece.
fn lock_budget(tx: &mut Transaction<'_>) -> Result<usize, Error> {
    if let Some(n) = std::env::var("PGDECL_SCRATCH_LOCKS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Ok(n);
    }
    let row = tx
        // The unnamed statement: a named one collides behind a transaction-mode pooler.
        .query_typed_one(
            "SELECT pg_catalog.current_setting('max_locks_per_transaction')::int,
                    pg_catalog.current_setting('max_connections')::int",
            &[],
        )
        .map_err(|e| Error::from_postgres("reading the size of the server's lock table", e))?;
    let (locks, connections): (i32, i32) = (row.get(0), row.get(1));
    let (locks, connections) = (locks.max(1) as usize, connections.max(1) as usize);
    Ok((locks * connections / 4).max(locks))
}

/// How scratch builds are made.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Build {
    /// The lock-table entries one piece may take (see [`lock_budget`]).
    pub(crate) budget: usize,
    /// Tables become storage-less carriers where they can (see [`carrier`]).
    pub(crate) carriers: bool,
    /// Rounds following print chains create one of each set of fragments printed alike
    /// (see `chain::Alike`).
    pub(crate) dedupe: bool,
}

/// Creates `schema` (already named into the scratch schemas) in a savepoint, reads the scratch
/// schemas back and rolls the savepoint back, so the next build starts from empty scratch
/// schemas again. A schema bigger than `build.budget` lock-table entries is built and read in
/// pieces (see [`chunks`]). With `check_bodies`, every PL/pgSQL body is compiled too (see
/// [`uncompiled_body`]). With `reject`, DDL that fails is an error naming the declared object
/// (see [`rejected_declaration`]) rather than [`Built::DidNotLoad`].
///
/// It takes `schema` to drop it as soon as its statements are made: a build in chunks holds
/// its script, not the schema too (issue 12: peak memory).
fn build_and_read(
    tx: &mut Transaction<'_>,
    mut schema: Schema,
    scope: &Scope,
    check_bodies: bool,
    build: Build,
    reject: Option<&Scratch>,
) -> Result<Built, Error> {
    let carriers = if build.carriers {
        carrier::mark(&mut schema)
    } else {
        carrier::Carriers::default()
    };
    let mut built = if chunks::schema_locks(&schema) > build.budget {
        build_in_chunks(tx, schema, scope, check_bodies, build, reject, &carriers)?
    } else {
        let batch = chunks::whole_batch(schema.create_statements());
        // Bodies checked in declaration order, so the first that fails is the one named.
        let functions: Vec<&Function> = schema.functions.iter().collect();
        let (built, batch) = build_carried(
            tx,
            batch,
            &carriers,
            check_bodies.then_some(&functions[..]),
            |build| introspect_in(build, scope),
        )?;
        did_not_load(tx, built, &batch, reject)?
    };
    if let Built::Read(read) = &mut built {
        carrier::unmark(&mut read.schema, &carriers);
    }
    Ok(built)
}

/// [`build_piece`] of `batch`, whose tables named in `carriers` are partitioned carriers (see
/// [`carrier`]); if it does not load, once more with those tables plain, so a carrier never
/// makes a build fail nor changes the statement an error names. Returns the batch that ran
/// last.
fn build_carried(
    tx: &mut Transaction<'_>,
    batch: chunks::Batch,
    carriers: &carrier::Carriers,
    check_bodies: Option<&[&Function]>,
    mut read: impl FnMut(&mut Transaction<'_>) -> Result<Introspection, Error>,
) -> Result<(Built, chunks::Batch), Error> {
    let built = build_piece(tx, &batch, check_bodies, &mut read)?;
    let Built::DidNotLoad(e) = &built else {
        return Ok((built, batch));
    };
    let Some(plain) = carrier::uncarried(&batch.statements, carriers) else {
        return Ok((built, batch));
    };
    tracing::debug!(error = %e, "a scratch build with partitioned carriers did not load; building it with plain tables");
    let plain = chunks::whole_batch(plain);
    let built = build_piece(tx, &plain, check_bodies, &mut read)?;
    Ok((built, plain))
}

fn savepoint<'a>(tx: &'a mut Transaction<'_>) -> Result<Undo<'a>, Error> {
    tx.undoable()
        .map_err(|e| Error::from_postgres("opening a savepoint in the scratch schemas", e))
}

fn rollback(t: Undo<'_>) -> Result<(), Error> {
    t.undo()
        .map_err(|e| Error::from_postgres("rolling back a build in the scratch schemas", e))
}

/// Runs `batch` in a savepoint of `tx`, compiles the PL/pgSQL bodies of `check_bodies` (the
/// functions it created), reads the scratch schemas back with `read`, and rolls the savepoint
/// back (releasing the locks the piece took): what one build, or one piece of a build in
/// chunks, gave.
fn build_piece(
    tx: &mut Transaction<'_>,
    batch: &chunks::Batch,
    check_bodies: Option<&[&Function]>,
    read: impl FnOnce(&mut Transaction<'_>) -> Result<Introspection, Error>,
) -> Result<Built, Error> {
    let mut build = savepoint(tx)?;
    let built = match build.batch_execute(&batch.sql) {
        Ok(()) => match check_bodies.and_then(|functions| uncompiled_body(&mut build, functions)) {
            Some((function, error)) => Built::BodyDoesNotCompile { function, error },
            None => Built::Read(Box::new(read(&mut build)?)),
        },
        Err(e) => Built::DidNotLoad(e),
    };
    rollback(build)?;
    Ok(built)
}

/// The functions `batch` creates.
fn created_functions(batch: &chunks::Batch) -> Vec<&Function> {
    batch
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::CreateFunction(f) => Some(&**f),
            _ => None,
        })
        .collect()
}

/// `built`, or with `reject`, the error naming the declared object of `batch` that failed.
fn did_not_load(
    tx: &mut Transaction<'_>,
    built: Built,
    batch: &chunks::Batch,
    reject: Option<&Scratch>,
) -> Result<Built, Error> {
    match (built, reject) {
        (Built::DidNotLoad(e), Some(scratch)) => Err(rejected_declaration(
            tx,
            &batch.statements,
            &batch.texts,
            &batch.sql,
            scratch,
            e,
        )),
        (built, _) => Ok(built),
    }
}

/// [`build_and_read`] in pieces (see [`chunks`]): the schema-wide objects in a savepoint kept
/// to the end, then each chunk in a savepoint of its own, read back and rolled back (releasing
/// its locks), the read-backs merged.
fn build_in_chunks(
    tx: &mut Transaction<'_>,
    schema: Schema,
    scope: &Scope,
    check_bodies: bool,
    build: Build,
    reject: Option<&Scratch>,
    carriers: &carrier::Carriers,
) -> Result<Built, Error> {
    let mut plan = chunks::plan(&schema, build.budget);
    if plan.chunks.is_empty() || plan.types_on_row_types {
        // Nothing but schema-wide objects (thousands of sequences, say), or types that must be
        // created among the tables: one build.
        let whole = Build {
            budget: usize::MAX,
            ..build
        };
        return build_and_read(tx, schema, scope, check_bodies, whole, reject);
    }
    let mut merged = chunks::Merged::new(&schema);
    drop(schema);
    // Each statement leaves the script with the last batch that runs it: the script shrinks
    // as the read-backs grow (issue 12: peak memory).
    let mut uses = chunks::Uses::of(&plan);
    let mut base = savepoint(tx)?;
    let batch = uses.batch(&mut plan.statements, &plan.base);
    if let Err(e) = base.batch_execute(&batch.sql) {
        rollback(base)?;
        return did_not_load(tx, Built::DidNotLoad(e), &batch, reject);
    }
    if check_bodies {
        let mut check = savepoint(&mut base)?;
        let failed = uncompiled_body(&mut check, &created_functions(&batch));
        rollback(check)?;
        if let Some((function, error)) = failed {
            rollback(base)?;
            return Ok(Built::BodyDoesNotCompile { function, error });
        }
    }
    drop(batch);
    // The pieces between the first and the last read back their relations only (see
    // `Merged::add`).
    let between = Scope {
        relations_only: true,
        ..scope.clone()
    };
    for (i, chunk) in plan.chunks.iter().enumerate() {
        let scope = if chunks::reads_schema_wide(i, chunk) {
            scope
        } else {
            &between
        };
        let batch = uses.batch(&mut plan.statements, &chunk.statements);
        let functions: Vec<Function> = if check_bodies {
            created_functions(&batch).into_iter().cloned().collect()
        } else {
            Vec::new()
        };
        let functions: Vec<&Function> = functions.iter().collect();
        let (built, batch) = build_carried(
            &mut base,
            batch,
            carriers,
            check_bodies.then_some(&functions[..]),
            |build| chunks::read(build, scope),
        )?;
        match built {
            Built::Read(read) => merged.add(chunk, *read),
            built => {
                let out = did_not_load(&mut base, built, &batch, reject);
                rollback(base)?;
                return out;
            }
        }
    }
    let read = merged.finish(&mut base)?;
    rollback(base)?;
    // Every chunk added its read-back (there is one at least).
    let read = read.expect("a build in chunks reads back at least one chunk");
    Ok(Built::Read(Box::new(read)))
}

/// The first PL/pgSQL function of `functions` (created in `build`) whose body does not
/// compile. Scratch builds and plans create functions with `check_function_bodies = off` (a
/// body may name what is created later), which also skips PL/pgSQL's syntax check: a typo would
/// otherwise surface only when the function is first called, in production. Once everything
/// exists, each is created again with the check on (one statement per PL/pgSQL function,
/// only when canonicalizing a declaration; all rolled back with the build).
fn uncompiled_body(
    build: &mut Transaction<'_>,
    functions: &[&Function],
) -> Option<(Box<Function>, postgres::Error)> {
    let plpgsql: Vec<&Function> = functions
        .iter()
        .copied()
        .filter(|f| !f.has_sql_body() && f.language.eq_ignore_ascii_case("plpgsql"))
        .collect();
    if plpgsql.is_empty() {
        return None;
    }
    if let Err(e) = build.batch_execute("SET LOCAL check_function_bodies = on;") {
        return plpgsql.first().map(|f| (Box::new((*f).clone()), e));
    }
    plpgsql.into_iter().find_map(|f| {
        let create = format!("{:#}", Statement::CreateFunction(Box::new(f.clone())));
        build
            .batch_execute(&create)
            .err()
            .map(|e| (Box::new(f.clone()), e))
    })
}

/// The error for a declaration whose scratch build failed with `first` running `batch` (the
/// `statements`, with their `texts`): the statement that failed (where the server's position
/// points in the batch, else the first that fails when the statements run one at a time, in a
/// savepoint rolled back), the object it makes (down to the column of a table when the server
/// points at one), named back out of the scratch schemas. `tx` holds what the batch was run
/// on.
fn rejected_declaration(
    tx: &mut Transaction<'_>,
    statements: &[Statement],
    texts: &[String],
    batch: &str,
    scratch: &Scratch,
    first: postgres::Error,
) -> Error {
    use crate::rejected::{error_offset, excerpt, statement_at, statement_object, table_part};

    const CONTEXT: &str = "canonicalizing the declaration (built in scratch schemas, rolled back)";
    // The server ran out of a resource (its lock table, at thousands of objects in one
    // transaction): no statement is to blame, and running them one at a time would only
    // exhaust it again.
    if first.code().is_some_and(|c| c.code().starts_with("53")) {
        return Error::from_postgres(
            "creating the declared schema in scratch schemas (rolled back; a partition tree, \
             or what the views read, is built in one piece)",
            first,
        );
    }
    let (i, offset, error) = match error_offset(&first, batch)
        .and_then(|o| statement_at(batch, texts, o))
    {
        Some((i, offset)) => (i, Some(offset), first),
        None => match one_at_a_time(tx, texts) {
            Some((i, e)) => {
                let offset = error_offset(&e, &texts[i]);
                (i, offset, e)
            }
            None => return Error::from_postgres(
                "creating the declared schema in a scratch schema (the declaration does not load)",
                first,
            ),
        },
    };
    let object = match (&statements[i], offset) {
        (Statement::CreateTable(table), Some(offset)) => table_part(table, &texts[i], offset),
        _ => None,
    }
    .or_else(|| statement_object(&statements[i]))
    .unwrap_or_else(|| "the declaration".to_string());
    let object = scratch.text_to_original(&object);
    let statement = scratch.text_to_original(&excerpt(&texts[i], offset));
    Error::rejected(
        CONTEXT,
        object.clone(),
        statement,
        format!(
            "correct the declaration of {object} as the server's message says (the compiler \
             cannot check SQL it only carries: defaults, checks, queries, bodies); nothing was \
             changed"
        ),
        error,
    )
}

/// Runs `texts` one at a time in a savepoint (rolled back): the first that fails, with its
/// error. `None` when all run (or the savepoint cannot be had).
fn one_at_a_time(tx: &mut Transaction<'_>, texts: &[String]) -> Option<(usize, postgres::Error)> {
    let mut build = tx.undoable().ok()?;
    let failed = texts
        .iter()
        .enumerate()
        .find_map(|(i, text)| build.batch_execute(text).err().map(|e| (i, e)));
    let _ = build.undo();
    failed
}

/// The error for a declared PL/pgSQL `function` (named into the scratch schemas) whose body
/// does not compile.
fn body_does_not_compile(function: &Function, scratch: &Scratch, error: postgres::Error) -> Error {
    use crate::rejected::{excerpt, statement_object};

    let create = Statement::CreateFunction(Box::new(function.clone()));
    let object = scratch
        .text_to_original(&statement_object(&create).unwrap_or_else(|| function.name.to_string()));
    let text = format!("{create:#}");
    let line = crate::rejected::body_line(&error, &text, &function.body);
    let place = line
        .map(|line| format!(" (line {line} of the body)"))
        .unwrap_or_default();
    Error::rejected(
        "canonicalizing the declaration (compiling its PL/pgSQL bodies, rolled back)",
        object.clone(),
        scratch.text_to_original(&excerpt(
            &text,
            crate::rejected::error_offset(&error, &text),
        )),
        format!("fix the PL/pgSQL body of {object}{place}; nothing was changed"),
        error,
    )
}

/// `renamed_from`, `using` and a declared `not valid` live only in the declaration (a check
/// created with its table reads back validated); copy them onto the canonical tables, columns
/// and constraints.
fn carry_declared_only(declared: &Schema, canonical: &mut Schema) {
    // By name through a map: a search of the canonical tables per declared table was a
    // seventh of a cold plan's client time at 10,000 tables (issue 12).
    let declared_tables: std::collections::HashMap<&QualifiedName, &Table> =
        declared.tables.iter().map(|t| (&t.name, t)).collect();
    for ct in &mut canonical.tables {
        let Some(t) = declared_tables.get(&ct.name) else {
            continue;
        };
        ct.renamed_from = t.renamed_from.clone();
        for con in &t.constraints {
            if let Some(cc) = ct.constraints.iter_mut().find(|c| c.name == con.name) {
                cc.validated = con.validated;
            }
        }
        for col in &t.columns {
            if let Some(cc) = ct.columns.iter_mut().find(|c| c.name == col.name) {
                cc.renamed_from = col.renamed_from.clone();
                cc.using = col.using.clone();
            }
        }
    }
}

/// `schema` with every namespace renamed by `map` (names `map` does not know stay).
/// User types and trigger functions move only where `own_type` / `own_function` say the
/// schema defines them. When `rewrite_text` is set, qualified references inside SQL fragments
/// are renamed too.
fn map_schema(
    schema: Schema,
    map: &dyn Fn(&str) -> Option<String>,
    own_type: &dyn Fn(&QualifiedName) -> bool,
    own_function: &dyn Fn(&QualifiedName) -> bool,
    rewrite_text: bool,
) -> Schema {
    let q = |n: &QualifiedName| QualifiedName {
        schema: map(&n.schema).unwrap_or_else(|| n.schema.clone()),
        name: n.name.clone(),
    };
    let ty = |t: &DataType| match &t.schema {
        Some(s) if own_type(&QualifiedName::new(s.clone(), t.name.clone())) => DataType {
            schema: Some(map(s).unwrap_or_else(|| s.clone())),
            ..t.clone()
        },
        _ => t.clone(),
    };
    let mut out = schema;
    for n in &mut out.schemas {
        if let Some(name) = map(&n.name) {
            n.name = name;
        }
    }
    for e in &mut out.enums {
        e.name = q(&e.name);
    }
    for d in &mut out.domains {
        d.name = q(&d.name);
        d.data_type = ty(&d.data_type);
    }
    for c in &mut out.composites {
        c.name = q(&c.name);
        for a in &mut c.attributes {
            a.data_type = ty(&a.data_type);
        }
    }
    for r in &mut out.ranges {
        r.name = q(&r.name);
        r.subtype = ty(&r.subtype);
        r.multirange_type_name = r.multirange_type_name.as_ref().map(q);
    }
    for s in &mut out.sequences {
        s.name = q(&s.name);
        s.data_type = s.data_type.as_ref().map(ty);
        if let Some((t, _)) = &mut s.owned_by {
            *t = q(t);
        }
    }
    for f in &mut out.functions {
        f.name = q(&f.name);
        for a in &mut f.args {
            a.data_type = ty(&a.data_type);
        }
        f.returns = match &f.returns {
            Some(Returns::Type(t)) => Some(Returns::Type(ty(t))),
            Some(Returns::SetOf(t)) => Some(Returns::SetOf(ty(t))),
            Some(Returns::Table(cols)) => Some(Returns::Table(
                cols.iter().map(|(n, t)| (n.clone(), ty(t))).collect(),
            )),
            None => None,
        };
    }
    for a in &mut out.aggregates {
        a.name = q(&a.name);
        a.args = a.args.iter().map(ty).collect();
        a.stype = ty(&a.stype);
        if own_function(&a.sfunc) {
            a.sfunc = q(&a.sfunc);
        }
        if let Some(f) = a.finalfunc.as_ref().filter(|f| own_function(f)) {
            a.finalfunc = Some(q(f));
        }
    }
    for t in &mut out.tables {
        t.name = q(&t.name);
        if let Some(of) = &mut t.partition_of {
            of.parent = q(&of.parent);
        }
        for c in &mut t.columns {
            c.data_type = ty(&c.data_type);
        }
        for c in &mut t.constraints {
            if let ConstraintKind::ForeignKey { ref_table, .. } = &mut c.kind {
                *ref_table = q(ref_table);
            }
        }
    }
    for v in &mut out.views {
        v.name = q(&v.name);
    }
    for t in &mut out.triggers {
        t.table = q(&t.table);
        if own_function(&t.function) {
            t.function = q(&t.function);
        }
    }
    for r in &mut out.row_security {
        r.table = q(&r.table);
    }
    for p in &mut out.policies {
        p.table = q(&p.table);
    }
    if rewrite_text {
        map_expressions(&mut out, &mut |e| *e = rewrite_qualifiers(e, map));
    }
    out
}

/// Calls `f` on every SQL fragment of the schema.
fn map_expressions(schema: &mut Schema, f: &mut dyn FnMut(&mut String)) {
    for t in &mut schema.tables {
        for c in &mut t.columns {
            c.default
                .iter_mut()
                .chain(c.generated.iter_mut())
                .for_each(&mut *f);
        }
        for c in &mut t.constraints {
            if let ConstraintKind::Check { expr } = &mut c.kind {
                f(expr);
            }
        }
        for e in t.partition_by.iter_mut().flat_map(|k| &mut k.elements) {
            if let IndexTarget::Expression(x) = &mut e.target {
                f(x);
            }
        }
        for i in &mut t.indexes {
            i.predicate.iter_mut().for_each(&mut *f);
            for e in &mut i.elements {
                if let IndexTarget::Expression(x) = &mut e.target {
                    f(x);
                }
            }
        }
    }
    for v in &mut schema.views {
        f(&mut v.query);
    }
    for t in &mut schema.triggers {
        t.when.iter_mut().for_each(&mut *f);
    }
    for p in &mut schema.policies {
        p.using
            .iter_mut()
            .chain(p.with_check.iter_mut())
            .for_each(&mut *f);
    }
    for func in &mut schema.functions {
        for a in &mut func.args {
            a.default.iter_mut().for_each(&mut *f);
        }
        // An SQL-standard body is SQL the server parses and prints; a quoted one is left as
        // written.
        if func.has_sql_body() {
            f(&mut func.body);
        }
    }
    for d in &mut schema.domains {
        d.default.iter_mut().for_each(&mut *f);
        for c in &mut d.checks {
            f(&mut c.expr);
        }
    }
    for r in &mut schema.ranges {
        r.subtype_diff.iter_mut().for_each(&mut *f);
    }
}

/// Renames `schema.` qualifiers in SQL text: an identifier token followed by `.` whose
/// (case-folded) name `map` knows. Works on token positions so string literals, comments and
/// everything else keep their exact text.
fn rewrite_qualifiers(sql: &str, map: &dyn Fn(&str) -> Option<String>) -> String {
    let dialect = PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, sql).tokenize_with_location() else {
        return sql.to_string();
    };
    // Line/column (1-based, in characters) to byte offsets.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(sql.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |line: u64, col: u64| -> Option<usize> {
        let start = *line_starts.get(line.checked_sub(1)? as usize)?;
        let rest = &sql[start..];
        let chars = col.checked_sub(1)? as usize;
        Some(
            start
                + rest
                    .char_indices()
                    .nth(chars)
                    .map_or(rest.len(), |(i, _)| i),
        )
    };
    let mut edits = Vec::new();
    let significant: Vec<_> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    for pair in significant.windows(2) {
        let (Token::Word(w), Token::Period) = (&pair[0].token, &pair[1].token) else {
            continue;
        };
        let name = if w.quote_style.is_some() {
            w.value.clone()
        } else {
            w.value.to_lowercase()
        };
        if let Some(new) = map(&name) {
            let span = pair[0].span;
            if let (Some(a), Some(b)) = (
                offset(span.start.line, span.start.column),
                offset(span.end.line, span.end.column),
            ) {
                edits.push((a, b, schema_core::ident::quote_ident(&new).into_owned()));
            }
        }
    }
    let mut out = sql.to_string();
    for (a, b, new) in edits.into_iter().rev() {
        out.replace_range(a..b, &new);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rewrite_qualifiers;

    #[test]
    fn rewrites_only_qualifiers() {
        let map = |s: &str| (s == "audit").then(|| "pgdecl_scratch_1".to_string());
        assert_eq!(
            rewrite_qualifiers("audit.f(x) > 'audit.y' AND \"audit\".g() = AUDIT.h", &map),
            "pgdecl_scratch_1.f(x) > 'audit.y' AND pgdecl_scratch_1.g() = pgdecl_scratch_1.h"
        );
        assert_eq!(rewrite_qualifiers("x = 1", &map), "x = 1");
    }
}
