//! What the user-defined type kinds share: the `pg_type` guard that makes their `CREATE`
//! idempotent, and the order `create_sql` creates domains, composite and range types in
//! (each after the types it is built from; after the functions when a check, default or
//! `subtype_diff` calls one the schema declares).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Formatter};

use super::display::*;
use super::*;
use crate::types::DataType;

/// `NOT EXISTS (SELECT FROM pg_type ... )`: the condition under which a type named `name` is
/// still to be created.
pub(super) fn type_missing(name: &QualifiedName) -> String {
    let exists = DisplayFn(|f: &mut Formatter<'_>| {
        write!(
            f,
            "SELECT FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n \
             ON n.oid = t.typnamespace WHERE n.nspname = {} AND t.typname = {}",
            Literal(&name.schema),
            Literal(&name.name)
        )
    });
    format!("NOT EXISTS ({exists})")
}

/// `CREATE ...` for a type, run only when no type of that name exists yet.
pub(super) fn write_guarded_create(
    f: &mut Formatter<'_>,
    pretty: bool,
    name: &QualifiedName,
    create: &dyn Display,
) -> fmt::Result {
    write_guarded(f, pretty, &type_missing(name), create)
}

/// A domain, composite or range type of a schema, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TypeIndex {
    /// `Schema::domains[i]`.
    Domain(usize),
    /// `Schema::composites[i]`.
    Composite(usize),
    /// `Schema::ranges[i]`.
    Range(usize),
}

impl TypeIndex {
    pub(crate) fn name(self, schema: &Schema) -> &QualifiedName {
        match self {
            TypeIndex::Domain(i) => &schema.domains[i].name,
            TypeIndex::Composite(i) => &schema.composites[i].name,
            TypeIndex::Range(i) => &schema.ranges[i].name,
        }
    }

    /// The types its definition names.
    fn types(self, schema: &Schema) -> Vec<&DataType> {
        match self {
            TypeIndex::Domain(i) => vec![&schema.domains[i].data_type],
            TypeIndex::Composite(i) => schema.composites[i]
                .attributes
                .iter()
                .map(|a| &a.data_type)
                .collect(),
            TypeIndex::Range(i) => vec![&schema.ranges[i].subtype],
        }
    }

    /// The SQL fragments of its definition that may call functions.
    fn fragments(self, schema: &Schema) -> Vec<&str> {
        match self {
            TypeIndex::Domain(i) => {
                let d = &schema.domains[i];
                d.default
                    .iter()
                    .map(String::as_str)
                    .chain(d.checks.iter().map(|c| c.expr.as_str()))
                    .collect()
            }
            TypeIndex::Composite(_) => Vec::new(),
            TypeIndex::Range(i) => schema.ranges[i]
                .subtype_diff
                .iter()
                .map(String::as_str)
                .collect(),
        }
    }

    /// `CREATE` for it.
    pub(crate) fn create(self, schema: &Schema) -> Statement {
        match self {
            TypeIndex::Domain(i) => Statement::CreateDomain(Box::new(schema.domains[i].clone())),
            TypeIndex::Composite(i) => Statement::CreateCompositeType(schema.composites[i].clone()),
            TypeIndex::Range(i) => Statement::CreateRangeType(Box::new(schema.ranges[i].clone())),
        }
    }
}

/// Every domain, composite and range type of `schema`, in declaration order by kind.
fn type_indexes(schema: &Schema) -> Vec<TypeIndex> {
    (0..schema.domains.len())
        .map(TypeIndex::Domain)
        .chain((0..schema.ranges.len()).map(TypeIndex::Range))
        .chain((0..schema.composites.len()).map(TypeIndex::Composite))
        .collect()
}

/// The domains, composite and range types in the order `create_sql` creates them: those
/// before the functions, then those after (a check, default or `subtype_diff` that calls a
/// function the schema declares, or a type built from such a type); each after the types its
/// definition names.
pub(crate) fn creation_order(schema: &Schema) -> (Vec<TypeIndex>, Vec<TypeIndex>) {
    let all = type_indexes(schema);
    let find = |ty: &DataType| -> Option<TypeIndex> {
        let name = QualifiedName::new(ty.schema.clone()?, ty.name.clone());
        all.iter().copied().find(|t| {
            t.name(schema) == &name
                || matches!(*t, TypeIndex::Range(i) if schema.ranges[i].multirange_name() == name)
        })
    };
    let needs: Vec<Vec<TypeIndex>> = all
        .iter()
        .map(|t| t.types(schema).into_iter().filter_map(find).collect())
        .collect();
    let functions: BTreeSet<&str> = schema
        .functions
        .iter()
        .map(|f| f.name.name.as_str())
        .collect();
    let mut late: Vec<bool> = all
        .iter()
        .map(|t| {
            t.fragments(schema).iter().any(|sql| {
                mentioned_names(sql)
                    .iter()
                    .any(|n| functions.contains(n.as_str()))
            })
        })
        .collect();
    // A type built from a late type is late too.
    loop {
        let mut changed = false;
        for (i, deps) in needs.iter().enumerate() {
            if !late[i] && deps.iter().any(|d| late[position(&all, *d)]) {
                late[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut order = Vec::new();
    let mut state = vec![0u8; all.len()]; // 0 new, 1 visiting, 2 done
    for i in 0..all.len() {
        visit(i, &all, &needs, &mut state, &mut order);
    }
    let (early, late_types) = order.into_iter().partition(|t| !late[position(&all, *t)]);
    (early, late_types)
}

fn position(all: &[TypeIndex], t: TypeIndex) -> usize {
    all.iter().position(|x| *x == t).unwrap_or(0)
}

/// Depth-first: a type after what it needs. A cycle (which PostgreSQL cannot create either)
/// is cut where it closes.
fn visit(
    i: usize,
    all: &[TypeIndex],
    needs: &[Vec<TypeIndex>],
    state: &mut [u8],
    order: &mut Vec<TypeIndex>,
) {
    if state[i] != 0 {
        return;
    }
    state[i] = 1;
    for dep in &needs[i] {
        visit(position(all, *dep), all, needs, state, order);
    }
    state[i] = 2;
    order.push(all[i]);
}

/// The domains, composite and range types built on a table's row type (`on_tables`) or a
/// view's (`on_views`), directly or through another such type: they can only be created after
/// those relations, so `create_sql` creates the first among the tables (each after the tables
/// it names, before the tables whose columns have it) and the second after the views.
#[derive(Debug, Default)]
pub(crate) struct OnRowTypes {
    /// Built on a table's row type (and on no view's), in [`creation_order`].
    pub(crate) on_tables: Vec<TypeIndex>,
    /// Built on a view's row type, in [`creation_order`].
    pub(crate) on_views: Vec<TypeIndex>,
}

impl OnRowTypes {
    /// Whether `t` is one of them.
    pub(crate) fn contains(&self, t: &TypeIndex) -> bool {
        self.on_tables.contains(t) || self.on_views.contains(t)
    }
}

/// The [`OnRowTypes`] of `schema`, given its types in [`creation_order`] (`early` then
/// `late`).
pub(crate) fn on_row_types(schema: &Schema, early: &[TypeIndex], late: &[TypeIndex]) -> OnRowTypes {
    let views: BTreeSet<&QualifiedName> = schema.views.iter().map(|v| &v.name).collect();
    // In creation order, each type after the types it is built from: one pass finds them all.
    let mut on_tables: BTreeSet<QualifiedName> = BTreeSet::new();
    let mut on_views: BTreeSet<QualifiedName> = BTreeSet::new();
    let mut out = OnRowTypes::default();
    for &t in early.iter().chain(late) {
        let names: Vec<QualifiedName> = t
            .types(schema)
            .into_iter()
            .filter_map(DataType::user_name)
            .collect();
        let name = t.name(schema).clone();
        if names
            .iter()
            .any(|n| views.contains(n) || on_views.contains(n))
        {
            on_views.insert(name);
            out.on_views.push(t);
        } else if names
            .iter()
            .any(|n| schema.table(n).is_some() || on_tables.contains(n))
        {
            on_tables.insert(name);
            out.on_tables.push(t);
        }
    }
    out
}

/// The tables and the types built on their row types in an order they can be created in: each
/// partition after its parent, each table after the tables and types its columns have, each
/// type after the tables and types it is built from; otherwise tables in declaration order,
/// each type as soon as a table needs it, the types no table needs last. A cycle (PostgreSQL
/// cannot create one either) is cut where it closes.
pub(crate) fn tables_and_row_types(schema: &Schema, on_tables: &[TypeIndex]) -> Vec<Made> {
    let tables = &schema.tables;
    let mut table_at: BTreeMap<&QualifiedName, usize> = BTreeMap::new();
    for (i, t) in tables.iter().enumerate().rev() {
        table_at.insert(&t.name, i);
    }
    let type_at: BTreeMap<QualifiedName, usize> = on_tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name(schema).clone(), i))
        .collect();
    let node_of = |name: QualifiedName| -> Option<Made> {
        if let Some(&i) = table_at.get(&name) {
            return Some(Made::Table(i));
        }
        type_at.get(&name).map(|&i| Made::Type(on_tables[i]))
    };
    let needs = |node: Made| -> Vec<Made> {
        let names: Vec<QualifiedName> = match node {
            Made::Table(i) => tables[i]
                .partition_of
                .as_ref()
                .map(|p| p.parent.clone())
                .into_iter()
                .chain(
                    tables[i]
                        .columns
                        .iter()
                        .filter_map(|c| c.data_type.user_name()),
                )
                .collect(),
            Made::Type(t) => t
                .types(schema)
                .into_iter()
                .filter_map(DataType::user_name)
                .collect(),
        };
        let mut out: Vec<Made> = names
            .into_iter()
            .filter_map(node_of)
            .filter(|n| *n != node)
            .collect();
        // Popped from the end: the first named is placed first.
        out.reverse();
        out
    };
    let mut done: BTreeSet<Made> = BTreeSet::new();
    let mut placing: BTreeSet<Made> = BTreeSet::new();
    let mut order = Vec::with_capacity(tables.len() + on_tables.len());
    let starts = (0..tables.len())
        .map(Made::Table)
        .chain(on_tables.iter().copied().map(Made::Type));
    for start in starts {
        if done.contains(&start) || !placing.insert(start) {
            continue;
        }
        // Iterative, so a chain of thousands of partitions cannot overflow the stack.
        let mut stack: Vec<(Made, Vec<Made>)> = vec![(start, needs(start))];
        while let Some((at, pending)) = stack.last_mut() {
            match pending.pop() {
                Some(next) if !done.contains(&next) && placing.insert(next) => {
                    let next_needs = needs(next);
                    stack.push((next, next_needs));
                }
                Some(_) => {}
                None => {
                    done.insert(*at);
                    order.push(*at);
                    stack.pop();
                }
            }
        }
    }
    order
}

/// What [`tables_and_row_types`] orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Made {
    /// `Schema::tables[i]`.
    Table(usize),
    /// A type built on a table's row type.
    Type(TypeIndex),
}
