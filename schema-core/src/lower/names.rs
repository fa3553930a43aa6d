//! The names already taken per schema, in the two namespaces PostgreSQL keeps apart
//! (`pg_class` and `pg_constraint`): what a derived name must avoid.

use std::collections::{BTreeMap, BTreeSet};

use crate::builder::{DomainDef, Element, TableDef};
use crate::model::Schema;

/// Taken names by schema.
#[derive(Debug, Default)]
pub(super) struct TakenNames {
    /// `pg_class`: tables, views, sequences, indexes (those behind constraints included).
    relations: BTreeMap<String, BTreeSet<String>>,
    /// `pg_constraint`.
    constraints: BTreeMap<String, BTreeSet<String>>,
}

impl TakenNames {
    /// Every explicitly declared relation and constraint name, before any is derived.
    pub(super) fn reserve_declared(
        objects: &Schema,
        domains: &[DomainDef],
        tables: &[TableDef],
    ) -> TakenNames {
        let mut taken = TakenNames::default();
        // A composite type is a relation too (`pg_class.relkind = 'c'`).
        for composite in &objects.composites {
            taken.take_relation(&composite.name.schema, &composite.name.name);
        }
        // Domain checks share the schema's constraint names with tables' constraints.
        for def in domains {
            for (name, _) in &def.checks {
                if let Some(name) = name {
                    taken.take_constraint(&def.domain.name.schema, name);
                }
            }
        }
        for view in &objects.views {
            taken.take_relation(&view.name.schema, &view.name.name);
        }
        for sequence in &objects.sequences {
            taken.take_relation(&sequence.name.schema, &sequence.name.name);
        }
        for def in tables {
            let schema = &def.table.name.schema;
            taken.take_relation(schema, &def.table.name.name);
            for element in &def.elements {
                match element {
                    Element::Constraint(constraint) => {
                        if let Some(name) = &constraint.name {
                            taken.take_constraint(schema, name);
                            if constraint.is_index_backed() {
                                taken.take_relation(schema, name);
                            }
                        }
                    }
                    Element::Index(index) => {
                        if let Some(name) = &index.name {
                            taken.take_relation(schema, name);
                        }
                    }
                }
            }
        }
        taken
    }

    pub(super) fn take_relation(&mut self, schema: &str, name: &str) {
        self.relations
            .entry(schema.to_string())
            .or_default()
            .insert(name.to_string());
    }

    pub(super) fn take_constraint(&mut self, schema: &str, name: &str) {
        self.constraints
            .entry(schema.to_string())
            .or_default()
            .insert(name.to_string());
    }

    pub(super) fn is_relation(&self, schema: &str, name: &str) -> bool {
        self.relations.get(schema).is_some_and(|s| s.contains(name))
    }

    pub(super) fn is_constraint(&self, schema: &str, name: &str) -> bool {
        self.constraints
            .get(schema)
            .is_some_and(|s| s.contains(name))
    }
}
