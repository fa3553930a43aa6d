//! What must be rebuilt: enums whose labels go (and other user types, see `type_rebuild`),
//! reshaped columns, and the functions, views and triggers that stand in the way.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::model::*;
use crate::render::mentioned_names;
use crate::types::DataType;

use super::column::effective_type;
use super::function::{replaceable_function, same_function};
use super::pair::function_key;
use super::view::{replaceable_view, same_view};
use super::Planner;

impl<'a> Planner<'a> {
    pub(super) fn find_rebuilds(&mut self) {
        // Enum types whose labels were removed or reordered.
        for e in &self.new.enums {
            if let Some(old) = self.old.enum_type(&e.name) {
                if !is_subsequence(&old.values, &e.values) {
                    self.rebuilt_types.insert(e.name.clone());
                }
            }
        }
        self.find_type_rebuilds();
        // Columns that change type, or go away.
        let mut reshaped: BTreeMap<QualifiedName, BTreeSet<String>> = BTreeMap::new();
        for pair in &self.pairs {
            let mut names = BTreeSet::new();
            for (oc, nc) in &pair.columns {
                let enum_rebuilt = self.column_type_rebuilt(oc, nc);
                if effective_type(oc) != effective_type(nc)
                    || oc.collation != nc.collation
                    || enum_rebuilt
                    || pair.generated_recreated(oc, nc)
                {
                    names.insert(oc.name.clone());
                }
            }
            for oc in &pair.dropped {
                names.insert(oc.name.clone());
            }
            if !names.is_empty() {
                reshaped.insert(pair.old.name.clone(), names);
            }
        }
        self.reshaped = reshaped;

        // Functions dropped and created again: incompatible changes, or a rebuilt type in the
        // signature (the old function would keep pointing at the old type).
        let mut rebuilt_functions = BTreeSet::new();
        for of in &self.old.functions {
            let key = function_key(of);
            let Some(&nf) = self.new_functions.get(&key) else {
                continue;
            };
            let uses_rebuilt = function_types(of).any(|t| {
                t.schema.as_ref().is_some_and(|s| {
                    self.rebuilt_types
                        .contains(&QualifiedName::new(s.clone(), t.name.clone()))
                })
            });
            if uses_rebuilt
                || (!same_function(of, self.old, nf, self.new) && !replaceable_function(of, nf))
            {
                rebuilt_functions.insert(key);
            }
        }
        self.rebuilt_functions = rebuilt_functions;
        let gone: Vec<QualifiedName> = self
            .old
            .functions
            .iter()
            .filter(|f| self.function_goes(f))
            .map(|f| f.name.clone())
            .collect();
        self.find_rebuilt_aggregates(&gone);
        // Aggregates that go away or are rebuilt stand in the way like functions.
        let new_aggregates: BTreeSet<_> = self
            .new
            .aggregates
            .iter()
            .map(super::aggregate::aggregate_key)
            .collect();
        let gone_aggregates = self.old.aggregates.iter().filter(|a| {
            let key = super::aggregate::aggregate_key(a);
            self.rebuilt_aggregates.contains(&key) || !new_aggregates.contains(&key)
        });
        // Callers move with a function that is dropped and created again, or replaced by an
        // overload of the same name (other argument types): their text stays, but PostgreSQL
        // bound them to the old function and refuses its drop.
        let still_named: BTreeSet<&str> = self
            .new
            .functions
            .iter()
            .map(|f| f.name.name.as_str())
            .chain(self.new.aggregates.iter().map(|a| a.name.name.as_str()))
            .collect();
        self.rebuilt_function_names = gone
            .iter()
            .map(|f| f.name.clone())
            .chain(
                self.old
                    .aggregates
                    .iter()
                    .filter(|a| {
                        self.rebuilt_aggregates
                            .contains(&super::aggregate::aggregate_key(a))
                    })
                    .map(|a| a.name.name.clone()),
            )
            .filter(|name| still_named.contains(name.as_str()))
            .collect();
        let gone_functions: BTreeSet<String> = gone
            .iter()
            .map(|f| f.name.clone())
            .chain(gone_aggregates.map(|a| a.name.name.clone()))
            .collect();

        // Views: those that change incompatibly or go away, those that use a reshaped or
        // dropped table or a function that goes away, and every view that uses one of those.
        let mut views = BTreeSet::new();
        let dropped_tables: BTreeSet<&str> = self
            .dropped_tables
            .iter()
            .map(|t| t.name.name.as_str())
            .collect();
        let mentions: Vec<(QualifiedName, BTreeSet<String>)> = self
            .old
            .views
            .iter()
            .map(|v| (v.name.clone(), mentioned_names(&v.query)))
            .collect();
        // By name, not by a search per view: schemas hold thousands (issue 12).
        let mut new_views: HashMap<&QualifiedName, &View> = HashMap::new();
        for v in &self.new.views {
            new_views.entry(&v.name).or_insert(v);
        }
        for (ov, (_, m)) in self.old.views.iter().zip(&mentions) {
            let replaced = match new_views.get(&ov.name).copied() {
                None => true,
                Some(nv) => !same_view(ov, self.old, nv, self.new) && !replaceable_view(ov, nv),
            };
            // A view that names the table and one of the columns (or `*`, which PostgreSQL
            // expands to every column when it creates the view).
            let uses_reshaped = self.reshaped.iter().any(|(t, columns)| {
                m.contains(&t.name)
                    && (ov.query.contains('*') || columns.iter().any(|c| m.contains(c)))
            });
            let uses_dropped = dropped_tables.iter().any(|t| m.contains(*t));
            let uses_gone_function = gone_functions.iter().any(|f| m.contains(f));
            if replaced || uses_reshaped || uses_dropped || uses_gone_function {
                views.insert(ov.name.clone());
            }
        }
        // Functions with an SQL-standard body are tied to what they name as views are
        // (PostgreSQL refuses to drop it, or to change a column type it uses): they are
        // dropped and created again around the same changes, and a view or another such
        // function that names one of them goes with it.
        let sql_bodies: Vec<(_, &Function, BTreeSet<String>)> = self
            .old
            .functions
            .iter()
            .filter(|f| f.has_sql_body())
            .map(|f| (function_key(f), f, mentioned_names(&f.body)))
            .filter(|(key, _, _)| self.new_functions.contains_key(key))
            .collect();
        let mut gone_functions = gone_functions;
        loop {
            let before = (views.len(), self.rebuilt_functions.len());
            for (key, f, m) in &sql_bodies {
                if self.rebuilt_functions.contains(key) {
                    continue;
                }
                let uses_reshaped = self.reshaped.iter().any(|(t, columns)| {
                    m.contains(&t.name)
                        && (f.body.contains('*') || columns.iter().any(|c| m.contains(c)))
                });
                let uses_dropped = dropped_tables.iter().any(|t| m.contains(*t))
                    || self.recreated_tables.iter().any(|t| m.contains(&t.name));
                let uses_view = views.iter().any(|v: &QualifiedName| m.contains(&v.name));
                let uses_gone = gone_functions
                    .iter()
                    .any(|g| g != &f.name.name && m.contains(g));
                if uses_reshaped || uses_dropped || uses_view || uses_gone {
                    self.rebuilt_functions.insert(key.clone());
                    gone_functions.insert(f.name.name.clone());
                }
            }
            for (name, m) in &mentions {
                if !views.contains(name)
                    && (views.iter().any(|v: &QualifiedName| m.contains(&v.name))
                        || gone_functions.iter().any(|g| m.contains(g)))
                {
                    views.insert(name.clone());
                }
            }
            if (views.len(), self.rebuilt_functions.len()) == before {
                break;
            }
        }
        self.rebuilt_views = views;

        // Triggers: on a rebuilt view or a table re-created for a new partition key, calling a
        // function that goes away, or using a column that changes type or goes away.
        // Looked up per trigger, not searched: at 10,000 tables with a trigger function each,
        // a scan of the functions per trigger was half a cached plan's time (issue 12). Taken
        // now, not from `gone` above: SQL-standard bodies have joined the rebuilt functions.
        let gone_names: HashSet<&QualifiedName> = self
            .old
            .functions
            .iter()
            .filter(|f| self.function_goes(f))
            .map(|f| &f.name)
            .collect();
        let mut triggers = BTreeSet::new();
        for t in &self.old.triggers {
            let on_rebuilt_view =
                self.rebuilt_views.contains(&t.table) || self.recreated_tables.contains(&t.table);
            let calls_gone = gone_names.contains(&t.function);
            let uses_column = self.reshaped.get(&t.table).is_some_and(|columns| {
                let mut used: BTreeSet<String> =
                    t.when.as_deref().map(mentioned_names).unwrap_or_default();
                for e in &t.events {
                    if let TriggerEvent::Update(cols) = e {
                        used.extend(cols.iter().cloned());
                    }
                }
                columns.iter().any(|c| used.contains(c))
            });
            let when_calls_rebuilt = t
                .when
                .as_deref()
                .is_some_and(|w| self.calls_rebuilt_function(w));
            if on_rebuilt_view || calls_gone || uses_column || when_calls_rebuilt {
                triggers.insert((t.table.clone(), t.name.clone()));
            }
        }
        self.rebuilt_triggers = triggers;
    }

    /// True when the old function `f` is dropped: rebuilt, or not declared any more.
    fn function_goes(&self, f: &Function) -> bool {
        let key = function_key(f);
        self.rebuilt_functions.contains(&key) || !self.new_functions.contains_key(&key)
    }

    /// True when the old SQL fragment `expr` calls a function or aggregate that is dropped and
    /// created again (by name: a column or alias of the same name only costs a needless
    /// re-creation).
    pub(super) fn calls_rebuilt_function(&self, expr: &str) -> bool {
        !self.rebuilt_function_names.is_empty()
            && mentioned_names(expr)
                .iter()
                .any(|n| self.rebuilt_function_names.contains(n))
    }

    /// True when the column keeps its (user) type and that type is rebuilt: the rebuild
    /// converts the column, not the column's own change.
    pub(super) fn column_type_rebuilt(&self, oc: &Column, nc: &Column) -> bool {
        let type_of = |c: &Column| {
            c.data_type
                .schema
                .as_ref()
                .map(|s| QualifiedName::new(s.clone(), c.data_type.name.clone()))
        };
        match (type_of(oc), type_of(nc)) {
            // (A rebuilt range's multirange type may be renamed with it.)
            (Some(a), Some(b)) => {
                self.rebuilt_types.contains(&b)
                    && (a == b
                        || (self.rebuilt_types.contains(&a)
                            && self.old.user_type(&a) == Some(UserTypeKind::Multirange)))
            }
            _ => false,
        }
    }
}

/// The types a function's signature uses.
pub(super) fn function_types(f: &Function) -> impl Iterator<Item = &DataType> {
    let returns: Vec<&DataType> = match &f.returns {
        Some(Returns::Type(t)) | Some(Returns::SetOf(t)) => vec![t],
        Some(Returns::Table(cols)) => cols.iter().map(|(_, t)| t).collect(),
        None => vec![],
    };
    f.args.iter().map(|a| &a.data_type).chain(returns)
}

/// True if `a` appears in `b` in the same order (labels only added).
pub(super) fn is_subsequence(a: &[String], b: &[String]) -> bool {
    let mut it = b.iter();
    a.iter().all(|x| it.any(|y| y == x))
}
