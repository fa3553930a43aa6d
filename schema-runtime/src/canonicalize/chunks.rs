//! Building a large declaration in bounded chunks, so the scratch build never holds more locks
//! than the server's lock table can give one transaction (issue 12: 10,000 tables).
//!
//! Every relation a transaction creates stays locked until the transaction ends, and the lock
//! table is shared and sized by `max_locks_per_transaction`: one transaction creating 10,000
//! tables runs out of shared memory on a stock server. Locks taken in a subtransaction that is
//! rolled back are released with it, so the declaration is built in pieces:
//!
//! - the schema-wide objects (extensions, types, domains, sequences, functions and aggregates
//!   created before the tables: what everything else uses, few relation locks) once, in an
//!   outer savepoint that lives through the whole build;
//! - then the tables, in groups, each group in its own savepoint that is rolled back once it is
//!   read back: a partition tree whole, each table with its indexes, foreign keys, triggers,
//!   row-level security, the policies that read no other relation, and comments; the tables
//!   its foreign keys reference that another group owns are created too, as helpers (their
//!   table and indexes only, no foreign keys of their own), and left out of its read-back;
//! - last, in one savepoint, what may read any relation: views, the functions created after
//!   the tables (row types in the signature, SQL-standard bodies naming relations), triggers on
//!   views and the other policies, with the tables their text names as helpers.
//!
//! Each statement comes from the whole schema's [`Schema::create_statements`], in that order,
//! so each object is created by the same text as in one build, and the read-backs are merged
//! into what one build reads back (the objects in the catalog's order). A schema that fits
//! the budget is built in one piece, as before.

use std::collections::{BTreeMap, BTreeSet};

use postgres::types::Type;
use postgres::Transaction;
use schema_core::model::*;
use schema_core::render::{CommentTarget, SequenceOption, Statement};

use crate::error::Error;
use crate::introspect::{introspect_in, Introspection, Scope};

/// Where a statement of the whole script runs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Home {
    /// The schema-wide objects, built once.
    Base,
    /// The group of the partition tree rooted at this table.
    Tree(QualifiedName),
    /// The last group: views and what may read any relation.
    Last,
    /// Not run in a chunked build (`RESET check_function_bodies`: the bodies stay unchecked
    /// through every group, as through one build).
    Nowhere,
}

/// One savepoint's worth of the build.
pub(super) struct Chunk {
    /// Indexes into the whole script, in order.
    pub(super) statements: Vec<usize>,
    /// The tables this chunk owns (helpers excluded).
    own_tables: BTreeSet<QualifiedName>,
    /// The policies this chunk owns, by table and name.
    own_policies: BTreeSet<(QualifiedName, String)>,
    /// The last chunk: views, functions created after the tables.
    last: bool,
}

/// How a declaration is built: the schema-wide statements, then the chunks.
pub(super) struct Plan {
    /// The whole script.
    pub(super) statements: Vec<Statement>,
    /// Indexes of the schema-wide statements.
    pub(super) base: Vec<usize>,
    pub(super) chunks: Vec<Chunk>,
    /// A domain, composite or range type is built on a table's or view's row type, so it is
    /// created among the tables or after the views: no piece could create the tables that use
    /// it, and the merge keeps the types the first piece read. Built in one piece instead.
    pub(super) types_on_row_types: bool,
}

/// Every word of `statement`'s text, as written and lowercased: a superset of the names it
/// mentions, inside quoted bodies and `DO` blocks too (more names only mean more helpers).
fn words(statement: &Statement) -> BTreeSet<String> {
    let text = format!("{statement:#}");
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty())
        .flat_map(|w| [w.to_string(), w.to_lowercase()])
        .collect()
}

/// The lock-table entries creating `table` takes (and holds to the end of its transaction),
/// roughly: the table, its TOAST table and index (a partitioned table, a scratch carrier
/// among them, has none), each index (constraint or not), each identity or serial sequence.
fn table_locks(table: &Table) -> usize {
    let toast = if table.is_partitioned() { 0 } else { 2 };
    1 + toast
        + table.indexes.len()
        + table
            .constraints
            .iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
                )
            })
            .count()
        + table
            .columns
            .iter()
            .filter(|c| c.identity.is_some() || c.data_type.serial_base().is_some())
            .count()
}

/// The other tables of the schema whose row type a column of `table` has: they must exist
/// before it is created.
fn row_type_tables(table: &Table, tables: &BTreeMap<&QualifiedName, &Table>) -> Vec<QualifiedName> {
    table
        .columns
        .iter()
        .filter_map(|c| c.data_type.user_name())
        .filter(|name| name != &table.name && tables.contains_key(name))
        .collect()
}

/// The lock-table entries building `schema` in one transaction takes, roughly.
pub(super) fn schema_locks(schema: &Schema) -> usize {
    schema.tables.iter().map(table_locks).sum::<usize>()
        + schema
            .views
            .iter()
            .map(|v| 1 + v.indexes.len())
            .sum::<usize>()
        + schema.sequences.len()
}

/// Splits `schema`'s script into chunks of about `budget` lock-table entries each (a
/// partition tree bigger than that is one chunk on its own).
pub(super) fn plan(schema: &Schema, budget: usize) -> Plan {
    let statements = schema.create_statements();
    let tables: BTreeMap<&QualifiedName, &Table> =
        schema.tables.iter().map(|t| (&t.name, t)).collect();
    let root = |name: &QualifiedName| -> QualifiedName {
        let mut at = name;
        let mut steps = 0;
        while let Some(of) = tables.get(at).and_then(|t| t.partition_of.as_ref()) {
            at = &of.parent;
            steps += 1;
            if steps > tables.len() {
                break;
            }
        }
        at.clone()
    };
    let first_table = statements
        .iter()
        .position(|s| matches!(s, Statement::CreateTable(_)))
        .unwrap_or(statements.len());
    // Functions created after the first table: their signature or body names a relation.
    // By name, overloads together: a comment finds its function in a lookup, not a scan of
    // every late function (10,000 commented ones would compare 10^8 pairs).
    let mut late_functions: BTreeMap<&QualifiedName, Vec<&Function>> = BTreeMap::new();
    for s in &statements[first_table..] {
        if let Statement::CreateFunction(f) = s {
            late_functions.entry(&f.name).or_default().push(&**f);
        }
    }
    let is_late = |f: &Function| late_functions.get(&f.name).is_some_and(|v| v.contains(&f));
    // Aggregates over a row type, or calling a late function, are created late too.
    let mut late_aggregates: BTreeMap<&QualifiedName, Vec<&Aggregate>> = BTreeMap::new();
    for s in &statements[first_table..] {
        if let Statement::CreateAggregate(a) = s {
            late_aggregates.entry(&a.name).or_default().push(&**a);
        }
    }
    let is_late_aggregate =
        |a: &Aggregate| late_aggregates.get(&a.name).is_some_and(|v| v.contains(&a));
    let late_names: BTreeSet<&str> = late_functions
        .keys()
        .map(|name| name.name.as_str())
        .collect();
    let relation_names: BTreeSet<&str> = schema
        .tables
        .iter()
        .map(|t| t.name.name.as_str())
        .chain(schema.views.iter().map(|v| v.name.name.as_str()))
        .collect();
    let of_relation = |name: &QualifiedName| {
        if tables.contains_key(name) {
            Home::Tree(root(name))
        } else {
            Home::Last
        }
    };
    // A policy stays with its table unless its text names another relation or a late function.
    let mut policy_homes: BTreeMap<(QualifiedName, String), Home> = BTreeMap::new();
    for s in &statements[first_table..] {
        if let Statement::CreatePolicy(p) = s {
            let names = words(s);
            let reads_other = names.iter().any(|n| {
                (n != &p.table.name && relation_names.contains(n.as_str()))
                    || late_names.contains(n.as_str())
            });
            let home = if reads_other {
                Home::Last
            } else {
                of_relation(&p.table)
            };
            policy_homes.insert((p.table.clone(), p.name.clone()), home);
        }
    }
    let home = |i: usize, s: &Statement| -> Home {
        if matches!(s, Statement::ResetFunctionBodies) {
            return Home::Nowhere;
        }
        if i < first_table {
            return Home::Base;
        }
        match s {
            Statement::CreateTable(t) => Home::Tree(root(&t.name)),
            Statement::CreateFunction(_) | Statement::CreateView(_) => Home::Last,
            Statement::AlterSequence { options, .. } => options
                .iter()
                .find_map(|o| match o {
                    SequenceOption::OwnedBy(Some((t, _))) => Some(of_relation(t)),
                    _ => None,
                })
                .unwrap_or(Home::Base),
            Statement::AlterTable { table, .. }
            | Statement::AddConstraint { table, .. }
            | Statement::CreateIndex { table, .. }
            | Statement::SetRowSecurity { table, .. } => of_relation(table),
            Statement::CreateTrigger(t) => of_relation(&t.table),
            Statement::CreatePolicy(p) => policy_homes
                .get(&(p.table.clone(), p.name.clone()))
                .cloned()
                .unwrap_or(Home::Last),
            Statement::Comment { target, .. } => match target {
                CommentTarget::Table(n)
                | CommentTarget::Column(n, _)
                | CommentTarget::Constraint(n, _)
                | CommentTarget::Index(n, _)
                | CommentTarget::Trigger(n, _) => of_relation(n),
                CommentTarget::Policy(n, name) => policy_homes
                    .get(&(n.clone(), name.clone()))
                    .cloned()
                    .unwrap_or(Home::Last),
                CommentTarget::View(_) | CommentTarget::MaterializedView(_) => Home::Last,
                CommentTarget::Function(f) if is_late(f) => Home::Last,
                CommentTarget::Aggregate(a) if is_late_aggregate(a) => Home::Last,
                CommentTarget::Function(_)
                | CommentTarget::Extension(_)
                | CommentTarget::Schema(_)
                | CommentTarget::Type(_)
                | CommentTarget::Domain(_)
                | CommentTarget::Sequence(_)
                | CommentTarget::Aggregate(_) => Home::Base,
            },
            // Anything else may name any relation.
            _ => Home::Last,
        }
    };
    let homes: Vec<Home> = statements
        .iter()
        .enumerate()
        .map(|(i, s)| home(i, s))
        .collect();
    let base: Vec<usize> = (0..statements.len())
        .filter(|&i| homes[i] == Home::Base)
        .collect();

    // The trees, in the order their roots are created, with their tables.
    let mut trees: Vec<QualifiedName> = Vec::new();
    let mut members: BTreeMap<QualifiedName, Vec<&Table>> = BTreeMap::new();
    for s in &statements[first_table..] {
        if let Statement::CreateTable(t) = s {
            let r = root(&t.name);
            if !members.contains_key(&r) {
                trees.push(r.clone());
            }
            members.entry(r).or_default().push(tables[&t.name]);
        }
    }
    // Greedy: trees in order, a new chunk when the next would pass the budget.
    let mut groups: Vec<(BTreeSet<QualifiedName>, BTreeSet<QualifiedName>)> = Vec::new();
    let mut current: (BTreeSet<QualifiedName>, BTreeSet<QualifiedName>) = Default::default();
    let mut current_locks = 0;
    for tree in &trees {
        let own: Vec<&Table> = members[tree].clone();
        // The tables its foreign keys reference, and those whose row type a column has.
        let referenced: BTreeSet<QualifiedName> = own
            .iter()
            .flat_map(|t| &t.constraints)
            .filter_map(|c| match &c.kind {
                ConstraintKind::ForeignKey { ref_table, .. } => Some(ref_table.clone()),
                _ => None,
            })
            .chain(own.iter().flat_map(|t| row_type_tables(t, &tables)))
            .collect();
        let locks = own.iter().map(|t| table_locks(t)).sum::<usize>()
            + referenced
                .iter()
                .filter(|r| !current.0.contains(*r) && !current.1.contains(*r))
                .filter_map(|r| tables.get(r))
                .map(|t| table_locks(t))
                .sum::<usize>();
        if current_locks > 0 && current_locks + locks > budget {
            groups.push(std::mem::take(&mut current));
            current_locks = 0;
        }
        current_locks += locks;
        current.0.extend(own.iter().map(|t| t.name.clone()));
        current.1.extend(referenced);
    }
    if !current.0.is_empty() {
        groups.push(current);
    }
    // With what creating them needs: partition ancestors, and the tables whose row type a
    // column has (and theirs).
    let with_ancestors = |names: BTreeSet<QualifiedName>| -> BTreeSet<QualifiedName> {
        let mut out = BTreeSet::new();
        let mut todo: Vec<QualifiedName> = names.into_iter().collect();
        while let Some(n) = todo.pop() {
            let Some(table) = tables.get(&n) else {
                continue;
            };
            if !out.insert(n) {
                continue;
            }
            todo.extend(table.partition_of.as_ref().map(|of| of.parent.clone()));
            todo.extend(row_type_tables(table, &tables));
        }
        out
    };
    let chunk_of = |own: &dyn Fn(&Home) -> bool,
                    helpers: &BTreeSet<QualifiedName>,
                    own_tables: BTreeSet<QualifiedName>,
                    last: bool| {
        let statements: Vec<usize> = (first_table..statements.len())
            .filter(|&i| {
                own(&homes[i])
                    || match &statements[i] {
                        Statement::CreateTable(t) => helpers.contains(&t.name),
                        Statement::CreateIndex { table, .. } => helpers.contains(table),
                        _ => false,
                    }
            })
            .collect();
        let own_policies = policy_homes
            .iter()
            .filter(|(_, h)| own(h))
            .map(|(k, _)| k.clone())
            .collect();
        Chunk {
            statements,
            own_tables,
            own_policies,
            last,
        }
    };
    let mut chunks: Vec<Chunk> = groups
        .into_iter()
        .map(|(own, referenced)| {
            let roots: BTreeSet<QualifiedName> = own.iter().map(&root).collect();
            let helpers: BTreeSet<QualifiedName> = with_ancestors(referenced)
                .into_iter()
                .filter(|h| !own.contains(h))
                .collect();
            chunk_of(
                &|h| matches!(h, Home::Tree(r) if roots.contains(r)),
                &helpers,
                own,
                false,
            )
        })
        .collect();
    if homes.contains(&Home::Last) {
        // The tables the last chunk's texts name (by name: a view reads them, a function
        // returns their rows), with their partition ancestors.
        let mut named: BTreeSet<QualifiedName> = BTreeSet::new();
        for (i, s) in statements.iter().enumerate() {
            if homes[i] == Home::Last {
                let names = words(s);
                named.extend(
                    schema
                        .tables
                        .iter()
                        .filter(|t| names.contains(&t.name.name))
                        .map(|t| t.name.clone()),
                );
            }
        }
        let helpers = with_ancestors(named);
        chunks.push(chunk_of(
            &|h| *h == Home::Last,
            &helpers,
            BTreeSet::new(),
            true,
        ));
    }
    let types_on_row_types = statements[first_table..].iter().any(|s| {
        matches!(
            s,
            Statement::CreateDomain(_)
                | Statement::CreateCompositeType(_)
                | Statement::CreateRangeType(_)
        )
    });
    Plan {
        statements,
        base,
        chunks,
        types_on_row_types,
    }
}

/// Statements sent as one batch, with the text of each (to find the one that failed).
pub(super) struct Batch {
    pub(super) statements: Vec<Statement>,
    pub(super) texts: Vec<String>,
    /// The texts joined, as sent.
    pub(super) sql: String,
}

/// `statements` as one batch (blank lines between them, as [`Schema::create_sql`] separates
/// them), with their texts.
pub(super) fn whole_batch(statements: Vec<Statement>) -> Batch {
    let texts: Vec<String> = statements.iter().map(|s| format!("{s:#}")).collect();
    let mut sql = texts.join("\n\n");
    sql.push('\n');
    Batch {
        statements,
        texts,
        sql,
    }
}

/// How many batches of a [`Plan`] still run each statement of its script (a helper table is
/// created in every chunk that references it).
pub(super) struct Uses(Vec<usize>);

impl Uses {
    /// The uses of every statement of `plan`: in its schema-wide part and in each chunk.
    pub(super) fn of(plan: &Plan) -> Uses {
        let mut uses = vec![0; plan.statements.len()];
        for &i in plan
            .base
            .iter()
            .chain(plan.chunks.iter().flat_map(|c| &c.statements))
        {
            uses[i] += 1;
        }
        Uses(uses)
    }

    /// The statements `indexes` of `all` as one batch, moving out of `all` each statement no
    /// later batch runs (a unit statement stays in its place) instead of copying it.
    pub(super) fn batch(&mut self, all: &mut [Statement], indexes: &[usize]) -> Batch {
        let statements = indexes
            .iter()
            .map(|&i| {
                self.0[i] = self.0[i].saturating_sub(1);
                if self.0[i] == 0 {
                    std::mem::replace(&mut all[i], Statement::ResetFunctionBodies)
                } else {
                    all[i].clone()
                }
            })
            .collect();
        whole_batch(statements)
    }
}

/// Whether chunk `index` of a plan (`chunk`) must read back the schema-wide objects: the
/// first gives them all (types, sequences without an owner, the functions and aggregates
/// created before the tables), the last, when there is one, the functions and aggregates (it
/// creates those created after the tables); what the others would read of them [`Merged::add`] drops (they
/// create none), so they read their relations only ([`Scope::relations_only`]). Reading
/// 10,000 functions back once a piece made the cold plan grow as pieces times functions
/// (issue 12).
pub(super) fn reads_schema_wide(index: usize, chunk: &Chunk) -> bool {
    index == 0 || chunk.last
}

/// The read-backs of the chunks, merged into what one build reads back.
#[derive(Default)]
pub(super) struct Merged {
    read: Option<Introspection>,
    /// Declared sequences with an owner: a chunk that does not hold the owner reads them
    /// unowned.
    owned: BTreeSet<QualifiedName>,
}

impl Merged {
    pub(super) fn new(schema: &Schema) -> Merged {
        Merged {
            read: None,
            owned: schema
                .sequences
                .iter()
                .filter(|s| s.owned_by.is_some())
                .map(|s| s.name.clone())
                .collect(),
        }
    }

    /// Adds what `chunk` owns of its read-back `read`. The first chunk also gives the
    /// schema-wide objects; the last chunk, when there is one, the functions and aggregates
    /// (it reads every one): only those two read them back (see [`reads_schema_wide`]).
    pub(super) fn add(&mut self, chunk: &Chunk, read: Introspection) {
        let Introspection {
            schema: mut s,
            unmodeled,
            queries,
            server_version,
        } = read;
        let first = self.read.is_none();
        s.tables.retain(|t| chunk.own_tables.contains(&t.name));
        let views: BTreeSet<QualifiedName> = s.views.iter().map(|v| v.name.clone()).collect();
        s.triggers.retain(|t| {
            chunk.own_tables.contains(&t.table) || (chunk.last && views.contains(&t.table))
        });
        s.row_security
            .retain(|r| chunk.own_tables.contains(&r.table));
        s.policies.retain(|p| {
            chunk
                .own_policies
                .contains(&(p.table.clone(), p.name.clone()))
        });
        let owned = &self.owned;
        s.sequences.retain(|q| match &q.owned_by {
            Some((t, _)) => chunk.own_tables.contains(t),
            None => first && !owned.contains(&q.name),
        });
        if !chunk.last {
            s.views.clear();
        }
        let Some(merged) = &mut self.read else {
            self.read = Some(Introspection {
                schema: s,
                unmodeled,
                queries,
                server_version,
            });
            return;
        };
        let m = &mut merged.schema;
        m.tables.append(&mut s.tables);
        m.triggers.append(&mut s.triggers);
        m.row_security.append(&mut s.row_security);
        m.policies.append(&mut s.policies);
        m.sequences.append(&mut s.sequences);
        m.views.append(&mut s.views);
        if chunk.last {
            // It runs once every function and aggregate exists, the late ones included.
            m.functions = s.functions;
            m.aggregates = s.aggregates;
        }
        merged.queries += queries;
        // Each chunk reads the schema-wide objects (and its helpers) again: keep one of each.
        let seen: BTreeSet<(String, String)> = merged
            .unmodeled
            .iter()
            .map(|u| (u.kind.clone(), u.name.clone()))
            .collect();
        merged.unmodeled.extend(
            unmodeled
                .into_iter()
                .filter(|u| !seen.contains(&(u.kind.clone(), u.name.clone()))),
        );
    }

    /// The merged read-back, its objects in the catalog's order: relations and triggers by
    /// name (`name` sorts bytewise), row-level security and policies as the server sorts
    /// their `text` names (one query, in `tx`).
    pub(super) fn finish(self, tx: &mut Transaction<'_>) -> Result<Option<Introspection>, Error> {
        let Some(mut read) = self.read else {
            return Ok(None);
        };
        let s = &mut read.schema;
        s.tables.sort_by(|a, b| a.name.cmp(&b.name));
        s.sequences.sort_by(|a, b| a.name.cmp(&b.name));
        s.triggers
            .sort_by(|a, b| (&a.table, &a.name).cmp(&(&b.table, &b.name)));
        if s.row_security.len() + s.policies.len() > 1 {
            let keys = |t: &QualifiedName, p: Option<&str>| {
                (t.schema.clone(), t.name.clone(), p.map(str::to_string))
            };
            let rls: Vec<_> = s
                .row_security
                .iter()
                .map(|r| keys(&r.table, None))
                .collect();
            let pol: Vec<_> = s
                .policies
                .iter()
                .map(|p| keys(&p.table, Some(&p.name)))
                .collect();
            s.row_security = server_order(tx, std::mem::take(&mut s.row_security), &rls)?;
            s.policies = server_order(tx, std::mem::take(&mut s.policies), &pol)?;
        }
        Ok(Some(read))
    }
}

/// `items` sorted by their `(schema, table, name)` keys as `text`, as the server sorts them.
fn server_order<T>(
    tx: &mut Transaction<'_>,
    items: Vec<T>,
    keys: &[(String, String, Option<String>)],
) -> Result<Vec<T>, Error> {
    if items.len() < 2 {
        return Ok(items);
    }
    let s: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
    let r: Vec<&str> = keys.iter().map(|k| k.1.as_str()).collect();
    let p: Vec<Option<&str>> = keys.iter().map(|k| k.2.as_deref()).collect();
    let rows = tx
        // The unnamed statement: a named one collides behind a transaction-mode pooler.
        .query_typed(
            "SELECT (i - 1)::int FROM unnest($1::text[], $2::text[], $3::text[])
                    WITH ORDINALITY u(s, r, p, i) ORDER BY s, r, p",
            &[
                (&s, Type::TEXT_ARRAY),
                (&r, Type::TEXT_ARRAY),
                (&p, Type::TEXT_ARRAY),
            ],
        )
        .map_err(|e| Error::from_postgres("ordering the scratch build's policies", e))?;
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    Ok(rows
        .iter()
        .filter_map(|row| slots.get_mut(row.get::<_, i32>(0) as usize)?.take())
        .collect())
}

/// Reads the scratch schemas in `build` (see [`introspect_in`]).
pub(super) fn read(build: &mut Transaction<'_>, scope: &Scope) -> Result<Introspection, Error> {
    introspect_in(build, scope)
}
