//! One table's lowering: implied `NOT NULL`s, then PostgreSQL's names for its unnamed
//! constraints and indexes, in the order its `CREATE TABLE` assigns them.

use crate::builder::{ConstraintDef, Element, IndexDef, TableDef};
use crate::expr;
use crate::model::{Constraint, ConstraintKind, Index, IndexElement, IndexTarget, Table};
use crate::naming;

use super::names::TakenNames;

/// The table with its constraints and indexes named, recording each derived name in `taken`.
pub(super) fn lower_table(def: TableDef, taken: &mut TakenNames) -> Table {
    let implied_not_null: Vec<bool> = (0..def.table.columns.len())
        .map(|i| def.implied_not_null(i).is_some())
        .collect();
    let TableDef {
        mut table,
        elements,
    } = def;
    // A contradicting `null` is the macro's to report, with its span.
    for (column, implied) in table.columns.iter_mut().zip(implied_not_null) {
        column.not_null |= implied;
    }
    let mut constraints = Vec::new();
    let mut indexes = Vec::new();
    for element in elements {
        match element {
            Element::Constraint(constraint) => constraints.push(constraint),
            Element::Index(index) => indexes.push(index),
        }
    }
    let schema = table.name.schema.clone();
    let name = table.name.name.clone();
    let mut namer = Namer {
        schema: &schema,
        table: &name,
        taken,
    };
    // A partition's serial columns are its parent's: their sequences are the parent's.
    if table.partition_of.is_none() {
        namer.take_sequences(&table);
    }
    namer.name_constraints(&table, &mut constraints);
    table.constraints = constraints
        .into_iter()
        .map(|c| Constraint {
            name: c.name.unwrap_or_default(),
            kind: c.kind,
            deferrable: c.deferrable || c.initially_deferred,
            initially_deferred: c.initially_deferred,
            comment: c.comment,
            // Declared `not valid`: kept unvalidated (the diff never validates it).
            validated: !c.not_valid,
        })
        .collect();
    table.indexes = indexes.into_iter().map(|i| namer.name_index(i)).collect();
    table
}

/// Derives names within one table's schema.
struct Namer<'a> {
    schema: &'a str,
    table: &'a str,
    taken: &'a mut TakenNames,
}

impl Namer<'_> {
    /// Serial and identity columns create `<table>_<column>_seq` before anything else is
    /// named, so those names are taken first.
    fn take_sequences(&mut self, table: &Table) {
        for column in &table.columns {
            if column.data_type.serial_base().is_some() || column.identity.is_some() {
                let sequence = naming::choose_name(self.table, Some(&column.name), "seq", |n| {
                    self.taken.is_relation(self.schema, n)
                });
                self.taken.take_relation(self.schema, &sequence);
            }
        }
    }

    /// PostgreSQL names checks while creating the table, then the indexes behind the
    /// primary key and unique constraints (primary key first), then foreign keys.
    fn name_constraints(&mut self, table: &Table, constraints: &mut [ConstraintDef]) {
        for constraint in constraints.iter_mut().filter(|c| c.name.is_none()) {
            if let ConstraintKind::Check { expr } = &constraint.kind {
                let single = single_referenced_column(table, expr);
                let name = naming::check_name(self.table, single.as_deref(), |n| {
                    self.taken.is_constraint(self.schema, n)
                });
                self.taken.take_constraint(self.schema, &name);
                constraint.name = Some(name);
            }
        }
        let mut unnamed: Vec<&mut ConstraintDef> = constraints
            .iter_mut()
            .filter(|c| c.name.is_none())
            .collect();
        // PostgreSQL names the primary key's index first, then the unique and exclusion
        // constraints' in the order written, then foreign keys.
        unnamed.sort_by_key(|c| match c.kind {
            ConstraintKind::PrimaryKey { .. } => 0,
            ConstraintKind::Unique { .. } | ConstraintKind::Exclusion { .. } => 1,
            _ => 2,
        });
        for constraint in unnamed {
            let Some(name) = self.derive_key_name(&constraint.kind) else {
                continue;
            };
            if constraint.is_index_backed() {
                self.taken.take_relation(self.schema, &name);
            }
            self.taken.take_constraint(self.schema, &name);
            constraint.name = Some(name);
        }
    }

    /// The name of a primary key, unique or foreign key constraint; `None` for a check,
    /// which is named before these.
    fn derive_key_name(&self, kind: &ConstraintKind) -> Option<String> {
        let (schema, taken) = (self.schema, &*self.taken);
        let relation_or_constraint =
            |n: &str| taken.is_relation(schema, n) || taken.is_constraint(schema, n);
        Some(match kind {
            ConstraintKind::PrimaryKey { .. } => {
                naming::primary_key_name(self.table, relation_or_constraint)
            }
            ConstraintKind::Unique {
                columns, include, ..
            } => {
                let names = naming::index_column_names(columns.iter().chain(include).cloned());
                naming::unique_name(
                    self.table,
                    names.iter().map(String::as_str),
                    relation_or_constraint,
                )
            }
            ConstraintKind::ForeignKey { columns, .. } => {
                naming::foreign_key_name(self.table, columns.iter().map(String::as_str), |n| {
                    taken.is_constraint(schema, n)
                })
            }
            ConstraintKind::Exclusion {
                elements, include, ..
            } => {
                let names = naming::index_column_names(
                    elements
                        .iter()
                        .map(|e| element_name(&e.element))
                        .chain(include.iter().cloned()),
                );
                naming::exclusion_name(
                    self.table,
                    names.iter().map(String::as_str),
                    relation_or_constraint,
                )
            }
            ConstraintKind::Check { .. } => return None,
        })
    }

    /// The index, named after its key elements and `INCLUDE` columns unless declared with a
    /// name (which is reserved already).
    fn name_index(&mut self, def: IndexDef) -> Index {
        let IndexDef { name, mut index } = def;
        index.name = match name {
            Some(name) => name,
            None => {
                let names = naming::index_column_names(
                    index
                        .elements
                        .iter()
                        .map(element_name)
                        .chain(index.include.iter().cloned()),
                );
                let name = naming::index_name(self.table, names.iter().map(String::as_str), |n| {
                    self.taken.is_relation(self.schema, n)
                });
                self.taken.take_relation(self.schema, &name);
                name
            }
        };
        index
    }
}

/// The name PostgreSQL gives an index key element when it names the index
/// (`FigureIndexColname`): the column, or what the expression computes, `expr` when it
/// does not parse.
pub(crate) fn element_name(element: &IndexElement) -> String {
    match &element.target {
        IndexTarget::Column(name) => name.clone(),
        IndexTarget::Expression(sql) => expr::parse_expr(sql)
            .map(|e| expr::index_column_name(&e))
            .unwrap_or_else(|_| "expr".to_string()),
    }
}

/// The one table column a check expression references, if exactly one: the check is named
/// after it.
fn single_referenced_column(table: &Table, sql: &str) -> Option<String> {
    let parsed = expr::parse_expr(sql).ok()?;
    let referenced: Vec<String> = expr::referenced_columns(&parsed)
        .into_iter()
        .filter(|c| table.column(c).is_some())
        .collect();
    match referenced.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}
