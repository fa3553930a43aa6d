//! The pure diff of two schemas into an ordered [`Plan`].
//!
//! `diff(old, new)` compares structured facts — types by [`DataType`](crate::types::DataType)
//! equality (so `int4` and `integer` never differ), nullability as PostgreSQL derives it
//! (primary key, identity and serial columns are `NOT NULL`), sequences by their effective
//! options — and SQL fragments after [`crate::expr::normalize`]. Each difference becomes one or
//! more [`Change`]s: the statements to run (owned [`crate::render::Statement`]s, printed as SQL
//! only at the edge), what it risks ([`Hazard`]), the lock it takes, whether it can run in a
//! transaction, and the statements that undo it.
//!
//! Order: each change says which objects ([`ObjectId`]) it creates, removes and needs, and one
//! topological sort orders the plan (creates after what they need, drops before the drops of
//! what they used, a drop before its object's re-creation); the planner's [`Phase`] breaks
//! ties: everything that goes away first, dependents first; then renames; then everything new
//! or changed in [`Schema::create_sql`]'s order. Views and triggers that stand in the way of a
//! change (a column type change, a dropped column, a function dropped and re-created) are
//! dropped first and re-created after.

use std::collections::{BTreeMap, BTreeSet};

use crate::expr::normalize;
use crate::model::*;

mod aggregate;
mod column;
mod comment;
mod composite_type;
mod constraint;
mod depends;
mod domain;
mod enum_type;
mod extension;
mod function;
mod grant;
mod index;
mod locks;
mod order;
mod pair;
mod partition;
mod plan;
mod policy;
mod range_type;
mod rebuild;
mod schema;
mod sequence;
mod table;
mod table_options;
mod trigger;
mod type_rebuild;
mod types;
pub(crate) mod view;

pub use locks::{table_locks, TableLock};
pub use order::Phase;
pub use plan::{Change, ChangeKind, Hazard, LockLevel, ObjectId, ObjectKind, ObjectRef, Plan};

use pair::{function_key, FunctionKey, TablePair};

/// The plan that turns `old` into `new`. Pure: no database involved.
///
/// `old` is usually the live database as introspected, `new` the declared schema. Renames
/// happen only where the new schema declares them (`renamed_from` on a table or column, when
/// the old schema has the old name and not the new one); anything else missing from `new` is
/// dropped and anything missing from `old` is created.
///
/// ```
/// use schema_core::builder::{ColumnDef, TableDef};
/// use schema_core::{diff, DataType, Hazard, Schema};
///
/// let t = |name: &str| DataType::parse(name).unwrap();
/// let v1 = Schema::builder()
///     .table(TableDef::new("users").column(ColumnDef::new("id", t("bigint")).primary_key()))
///     .build();
/// let v2 = Schema::builder()
///     .table(
///         TableDef::new("users")
///             .column(ColumnDef::new("id", t("bigint")).primary_key())
///             .column(ColumnDef::new("email", t("text"))),
///     )
///     .build();
///
/// let plan = diff(&v1, &v2);
/// assert!(plan.to_sql().contains("ADD COLUMN IF NOT EXISTS email text"));
/// assert!(!plan.is_destructive());
/// // The way back drops the column: destructive, and it says why.
/// assert!(diff(&v2, &v1).hazards().contains(&Hazard::DeletesData));
/// ```
pub fn diff(old: &Schema, new: &Schema) -> Plan {
    // Equal models plan nothing (the diff's tests hold every fixture and case to it through
    // [`plan_walk`]): the planner's walk over thousands of tables is skipped for a database
    // in sync (issue 12: 13-17 ms of a no-op `pgdecl diff` or a cached plan at 1000 tables).
    if old == new {
        return Plan::default();
    }
    plan_walk(old, new)
}

/// [`diff`] without its shortcut for equal models: the planner's whole walk. For the tests
/// that hold a model diffed against itself to an empty plan.
#[doc(hidden)]
pub fn plan_walk(old: &Schema, new: &Schema) -> Plan {
    Planner::new(old, new).plan()
}

struct Planner<'a> {
    old: &'a Schema,
    new: &'a Schema,
    pairs: Vec<TablePair<'a>>,
    created_tables: Vec<&'a Table>,
    dropped_tables: Vec<&'a Table>,
    /// Old tables (by name) dropped and created again because their partitioning changes in a
    /// way PostgreSQL cannot alter (see [`partition::repartitioned`]); also in
    /// `dropped_tables`, their new selves in `created_tables`.
    recreated_tables: BTreeSet<QualifiedName>,
    /// Old tables (by old name) whose columns change type or go away, with those columns'
    /// old names: views and triggers that use them must be rebuilt.
    reshaped: BTreeMap<QualifiedName, BTreeSet<String>>,
    /// User types (by name) rebuilt: enums whose labels were removed or reordered, domains,
    /// composite and range types PostgreSQL cannot alter in place (see `type_rebuild`).
    rebuilt_types: BTreeSet<QualifiedName>,
    /// Types whose values old table columns store (directly, or inside a composite, domain
    /// or array).
    stored_types: BTreeSet<QualifiedName>,
    /// Old functions dropped and created again.
    rebuilt_functions: BTreeSet<FunctionKey>,
    /// Old aggregates dropped and created again.
    rebuilt_aggregates: BTreeSet<aggregate::AggregateKey>,
    /// Old views dropped (and created again if the new schema has them).
    rebuilt_views: BTreeSet<QualifiedName>,
    /// The names of the functions and aggregates dropped and created again: a default, check,
    /// index, policy or trigger condition that calls one is dropped before and comes back
    /// after (PostgreSQL records the call and refuses the drop).
    rebuilt_function_names: BTreeSet<String>,
    /// Old triggers, by (old table, name), dropped (and created again if still declared).
    rebuilt_triggers: BTreeSet<(QualifiedName, String)>,
    /// Index of `pairs` by the old table's name.
    pairs_by_old: BTreeMap<&'a QualifiedName, usize>,
    /// The old and new functions by identity.
    old_functions: BTreeMap<FunctionKey, &'a Function>,
    new_functions: BTreeMap<FunctionKey, &'a Function>,
    /// The changes in the order the planner found them; [`order::order`] sorts them.
    changes: Vec<Change>,
}

impl<'a> Planner<'a> {
    fn new(old: &'a Schema, new: &'a Schema) -> Self {
        let old_tables: BTreeMap<&QualifiedName, &'a Table> =
            old.tables.iter().map(|t| (&t.name, t)).collect();
        let old_table = |name: &QualifiedName| old_tables.get(name).copied();
        let mut claimed = BTreeSet::new();
        let mut matched: Vec<Option<&'a Table>> = vec![None; new.tables.len()];
        for (i, table) in new.tables.iter().enumerate() {
            if let Some(from) = &table.renamed_from {
                let from = QualifiedName::new(table.name.schema.clone(), from.clone());
                if old_table(&table.name).is_none() {
                    if let Some(ot) = old_table(&from) {
                        matched[i] = Some(ot);
                        claimed.insert(ot.name.clone());
                    }
                }
            }
        }
        for (i, table) in new.tables.iter().enumerate() {
            if matched[i].is_none() && !claimed.contains(&table.name) {
                if let Some(ot) = old_table(&table.name) {
                    matched[i] = Some(ot);
                    claimed.insert(ot.name.clone());
                }
            }
        }
        // A table whose partition key changes is dropped and created again, not altered.
        let recreated_tables = partition::repartitioned(new, &matched);
        for m in &mut matched {
            if let Some(ot) = *m {
                if recreated_tables.contains(&ot.name) {
                    claimed.remove(&ot.name);
                    *m = None;
                }
            }
        }
        let mut pairs = Vec::new();
        let mut created_tables = Vec::new();
        for (i, table) in new.tables.iter().enumerate() {
            match matched[i] {
                Some(ot) => pairs.push(TablePair::new(ot, table)),
                None => created_tables.push(table),
            }
        }
        let dropped_tables = old
            .tables
            .iter()
            .filter(|t| !claimed.contains(&t.name))
            .collect();
        let pairs_by_old = pairs
            .iter()
            .enumerate()
            .map(|(i, p): (usize, &TablePair<'a>)| (&p.old.name, i))
            .collect();
        Planner {
            old,
            new,
            pairs,
            created_tables,
            dropped_tables,
            recreated_tables,
            reshaped: BTreeMap::new(),
            rebuilt_types: BTreeSet::new(),
            stored_types: BTreeSet::new(),
            rebuilt_functions: BTreeSet::new(),
            rebuilt_aggregates: BTreeSet::new(),
            rebuilt_views: BTreeSet::new(),
            rebuilt_function_names: BTreeSet::new(),
            rebuilt_triggers: BTreeSet::new(),
            pairs_by_old,
            old_functions: old.functions.iter().map(|f| (function_key(f), f)).collect(),
            new_functions: new.functions.iter().map(|f| (function_key(f), f)).collect(),
            changes: Vec::new(),
        }
    }

    fn plan(mut self) -> Plan {
        self.find_rebuilds();
        self.schemas();
        self.extensions();
        self.enums();
        self.domains();
        self.ranges();
        self.composites();
        self.rebuild_types();
        self.sequences();
        self.functions();
        self.aggregates();
        self.tables();
        self.views();
        self.triggers();
        self.row_security();
        self.policies();
        self.grants();
        Plan {
            changes: order::order(self.changes, self.old, self.new),
        }
    }

    /// Records a change found in `phase`; the phase breaks ties the dependency graph leaves open.
    fn emit(&mut self, phase: Phase, mut change: Change) {
        change.phase = phase;
        self.changes.push(change);
    }

    /// The new name of an old table (itself when it stays or goes).
    fn new_table_name(&self, old: &QualifiedName) -> QualifiedName {
        self.pair_by_old(old)
            .map_or_else(|| old.clone(), |p| p.new.name.clone())
    }

    fn pair_by_old(&self, old: &QualifiedName) -> Option<&TablePair<'a>> {
        self.pairs_by_old.get(old).map(|&i| &self.pairs[i])
    }
}

fn same_fragment(a: &str, b: &str) -> bool {
    a == b || normalize(a) == normalize(b)
}

fn same_opt_fragment(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_fragment(a, b),
        _ => false,
    }
}
