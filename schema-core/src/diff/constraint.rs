//! Table constraints: compared in the new table's terms, dropped, added without blocking writes.

use std::collections::BTreeSet;

use crate::expr::normalize;
use crate::model::*;
use crate::render::{AddMode, AlterTable, CommentTarget, Statement};

use super::pair::TablePair;
use super::{Change, ChangeKind, Hazard, LockLevel, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn table_constraints(&mut self, i: usize) {
        let pair = &self.pairs[i];
        let (old, new) = (pair.old, pair.new);
        // The old constraints in the new table's terms: renamed columns and tables followed.
        let translated: Vec<(&'a Constraint, Constraint)> = old
            .constraints
            .iter()
            .map(|c| (c, self.translate_constraint(pair, c)))
            .collect();
        let dropped_columns: BTreeSet<String> =
            pair.dropped.iter().map(|c| c.name.clone()).collect();
        let mut to_drop: Vec<&'a Constraint> = Vec::new();
        let mut to_add: Vec<&'a Constraint> = Vec::new();
        for c in &new.constraints {
            match translated.iter().find(|(o, _)| o.name == c.name) {
                None => to_add.push(c),
                Some((o, t)) => {
                    let rebuilt_fk = self.fk_target_rebuilt(o);
                    let calls_rebuilt = matches!(&o.kind, ConstraintKind::Check { expr }
                        if self.calls_rebuilt_function(expr));
                    if (t != c && comparable_constraint(t) != comparable_constraint(c))
                        || rebuilt_fk
                        || calls_rebuilt
                    {
                        to_drop.push(o);
                        to_add.push(c);
                    } else {
                        if !o.validated && c.validated {
                            self.validate_constraint(&new.name, c);
                        }
                        self.comment(
                            ObjectRef::constraint(&new.name, &c.name),
                            CommentTarget::Constraint(new.name.clone(), c.name.clone()),
                            &o.comment,
                            &c.comment,
                        );
                    }
                }
            }
        }
        for (o, _) in &translated {
            if !new.constraints.iter().any(|c| c.name == o.name) {
                to_drop.push(o);
            }
        }
        for o in to_drop {
            let recreated = new.constraints.iter().any(|c| c.name == o.name);
            let is_fk = matches!(o.kind, ConstraintKind::ForeignKey { .. });
            // A constraint on dropped columns only goes with them.
            if !recreated
                && !o.kind.columns().is_empty()
                && o.kind.columns().iter().all(|c| dropped_columns.contains(c))
            {
                continue;
            }
            let change = Change::new(
                ObjectRef::constraint(&old.name, &o.name),
                ChangeKind::Drop,
                [Statement::AlterTable {
                    table: old.name.clone(),
                    action: AlterTable::DropConstraint(o.name.clone()),
                }],
            )
            .hazard(if recreated {
                Hazard::RecreatesObject
            } else {
                Hazard::DropsObject
            })
            .lock(LockLevel::AccessExclusive)
            .inverse([Statement::AddConstraint {
                table: old.name.clone(),
                constraint: Box::new(o.clone()),
                mode: AddMode::Plain,
            }]);
            if is_fk {
                self.emit(Phase::DropForeignKeys, change);
            } else {
                self.emit(Phase::DropConstraints, change);
            }
        }
        for c in to_add {
            self.add_constraint(&new.name, c);
        }
        // Foreign keys elsewhere that point at a unique or primary key of this table that is
        // dropped and re-created must be dropped first and added again after.
    }

    /// True if `old_fk` (on the old `table`) is a foreign key that depends on a unique key or
    /// unique index of its target that this plan drops or replaces: PostgreSQL would refuse to
    /// drop that key, so the foreign key is dropped first and added again after.
    pub(super) fn fk_target_rebuilt(&self, old_fk: &Constraint) -> bool {
        let ConstraintKind::ForeignKey {
            ref_table,
            ref_columns,
            ..
        } = &old_fk.kind
        else {
            return false;
        };
        // Re-created for a new partition key: its keys go with it, and come back.
        if self.recreated_tables.contains(ref_table) {
            return true;
        }
        let Some(pair) = self.pair_by_old(ref_table) else {
            return false; // the target goes away, or is new
        };
        let wanted: BTreeSet<&String> = ref_columns.iter().collect();
        let serves = |columns: &[String], is_pk: bool| {
            if wanted.is_empty() {
                is_pk
            } else {
                columns.iter().collect::<BTreeSet<_>>() == wanted
            }
        };
        let keys = pair.old.constraints.iter().filter(|k| {
            let is_pk = matches!(k.kind, ConstraintKind::PrimaryKey { .. });
            (is_pk || matches!(k.kind, ConstraintKind::Unique { .. }))
                && serves(k.kind.columns(), is_pk)
        });
        for k in keys {
            let kept = pair.new.constraints.iter().any(|n| {
                n.name == k.name
                    && comparable_constraint(&self.translate_constraint(pair, k))
                        == comparable_constraint(n)
            });
            if !kept {
                return true;
            }
        }
        let unique_indexes = pair.old.indexes.iter().filter(|i| {
            i.unique
                && i.predicate.is_none()
                && i.elements
                    .iter()
                    .all(|e| matches!(e.target, IndexTarget::Column(_)))
                && serves(
                    &i.elements
                        .iter()
                        .filter_map(|e| match &e.target {
                            IndexTarget::Column(c) => Some(c.clone()),
                            IndexTarget::Expression(_) => None,
                        })
                        .collect::<Vec<_>>(),
                    false,
                )
        });
        for i in unique_indexes {
            let kept = pair.new.indexes.iter().any(|n| n.name == i.name);
            if !kept {
                return true;
            }
        }
        false
    }

    /// An old constraint with the new names of renamed columns and tables.
    pub(super) fn translate_constraint(&self, pair: &TablePair<'a>, c: &Constraint) -> Constraint {
        let mut c = c.clone();
        let rename = |cols: &mut Vec<String>, p: &TablePair<'_>| {
            for col in cols.iter_mut() {
                *col = p.new_column_name(col).to_string();
            }
        };
        match &mut c.kind {
            ConstraintKind::PrimaryKey { columns, include }
            | ConstraintKind::Unique {
                columns, include, ..
            } => {
                rename(columns, pair);
                rename(include, pair);
            }
            ConstraintKind::ForeignKey {
                columns,
                ref_table,
                ref_columns,
                ..
            } => {
                rename(columns, pair);
                if let Some(target) = self.pair_by_old(ref_table) {
                    rename(ref_columns, target);
                }
                *ref_table = self.new_table_name(ref_table);
            }
            ConstraintKind::Check { expr } => *expr = pair.rename_in_expr(expr),
            ConstraintKind::Exclusion {
                elements,
                include,
                predicate,
                ..
            } => {
                for e in elements.iter_mut() {
                    match &mut e.element.target {
                        IndexTarget::Column(col) => *col = pair.new_column_name(col).to_string(),
                        IndexTarget::Expression(sql) => *sql = pair.rename_in_expr(sql),
                    }
                }
                rename(include, pair);
                if let Some(p) = predicate {
                    *p = pair.rename_in_expr(p);
                }
            }
        }
        c
    }

    /// Checks a constraint's existing rows: after it was added `NOT VALID`, or when a live
    /// constraint is `NOT VALID` while its declared twin is valid. Uses `VALIDATE CONSTRAINT`
    /// (no drop and re-add, no write-blocking lock).
    fn validate_constraint(&mut self, table: &'a QualifiedName, c: &'a Constraint) {
        let change = Change::new(
            ObjectRef::constraint(table, &c.name),
            ChangeKind::Alter,
            [Statement::AlterTable {
                table: table.clone(),
                action: AlterTable::ValidateConstraint(c.name.clone()),
            }],
        )
        .hazard(Hazard::ValidatesConstraint)
        .lock(LockLevel::ShareUpdateExclusive)
        .inverse(Vec::new());
        if matches!(c.kind, ConstraintKind::ForeignKey { .. }) {
            self.emit(Phase::ForeignKeys, change);
        } else {
            self.emit(Phase::Constraints, change);
        }
    }

    pub(super) fn add_constraint(&mut self, table: &'a QualifiedName, c: &'a Constraint) {
        let object = ObjectRef::constraint(table, &c.name);
        let drop = Statement::AlterTable {
            table: table.clone(),
            action: AlterTable::DropConstraint(c.name.clone()),
        };
        let phase = |me: &mut Self, change: Change, fk: bool| {
            if fk {
                me.emit(Phase::ForeignKeys, change);
            } else {
                me.emit(Phase::Constraints, change);
            }
        };
        let partitioned = self.is_partitioned(table);
        match &c.kind {
            // No `NOT VALID`, no `USING INDEX`, no concurrent build for these: one statement
            // builds the index and checks every row under the table's lock.
            ConstraintKind::Exclusion { .. } => {
                let add = Change::new(
                    object.clone(),
                    ChangeKind::Create,
                    [Statement::AddConstraint {
                        table: table.clone(),
                        constraint: Box::new(c.clone()),
                        mode: AddMode::Plain,
                    }],
                )
                .hazard(Hazard::BuildsIndex)
                .lock(LockLevel::AccessExclusive)
                .inverse([drop.clone()]);
                phase(self, add, false);
            }
            // PostgreSQL refuses `NOT VALID` foreign keys on partitioned tables: added in one
            // statement that checks every partition's rows.
            ConstraintKind::ForeignKey { .. } if partitioned => {
                let add = Change::new(
                    object.clone(),
                    ChangeKind::Create,
                    [Statement::AddConstraint {
                        table: table.clone(),
                        constraint: Box::new(c.clone()),
                        mode: AddMode::Plain,
                    }],
                )
                .hazard(Hazard::ValidatesConstraint)
                .lock(LockLevel::ShareRowExclusive)
                .inverse([drop.clone()]);
                phase(self, add, true);
            }
            // Nor `USING INDEX`, nor a concurrent build: one statement builds the key's index
            // on every partition.
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } if partitioned => {
                let add = Change::new(
                    object.clone(),
                    ChangeKind::Create,
                    [Statement::AddConstraint {
                        table: table.clone(),
                        constraint: Box::new(c.clone()),
                        mode: AddMode::Plain,
                    }],
                )
                .hazard(Hazard::BuildsIndex)
                .lock(LockLevel::AccessExclusive)
                .inverse([drop.clone()]);
                phase(self, add, false);
            }
            ConstraintKind::Check { .. } | ConstraintKind::ForeignKey { .. } => {
                let fk = matches!(c.kind, ConstraintKind::ForeignKey { .. });
                let lock = if fk {
                    LockLevel::ShareRowExclusive
                } else {
                    LockLevel::AccessExclusive
                };
                let add = Change::new(
                    object.clone(),
                    ChangeKind::Create,
                    [Statement::AddConstraint {
                        table: table.clone(),
                        constraint: Box::new(c.clone()),
                        mode: AddMode::NotValid,
                    }],
                )
                .lock(lock)
                .inverse([drop.clone()]);
                phase(self, add, fk);
                // Declared `not valid`: the rows already there stay unchecked.
                if c.validated {
                    self.validate_constraint(table, c);
                }
            }
            ConstraintKind::PrimaryKey { columns, include }
            | ConstraintKind::Unique {
                columns, include, ..
            } => {
                // Build the unique index without blocking writes, then adopt it.
                let index = Index {
                    name: c.name.clone(),
                    unique: true,
                    method: IndexMethod::Btree,
                    elements: columns
                        .iter()
                        .map(|col| IndexElement {
                            target: IndexTarget::Column(col.clone()),
                            collation: None,
                            opclass: None,
                            descending: false,
                            nulls_first: None,
                        })
                        .collect(),
                    include: include.clone(),
                    predicate: None,
                    nulls_not_distinct: matches!(
                        c.kind,
                        ConstraintKind::Unique {
                            nulls_not_distinct: true,
                            ..
                        }
                    ),
                    comment: None,
                    valid: true,
                    storage: Vec::new(),
                };
                self.emit(
                    Phase::Constraints,
                    Change::new(
                        ObjectRef::index(table, &c.name),
                        ChangeKind::Create,
                        [Statement::CreateIndex {
                            table: table.clone(),
                            index: Box::new(index.clone()),
                            concurrently: true,
                        }],
                    )
                    .lock(LockLevel::ShareUpdateExclusive)
                    .not_transactional()
                    .inverse([Statement::DropIndex {
                        schema: table.schema.clone(),
                        name: c.name.clone(),
                        concurrently: true,
                    }]),
                );
                self.emit(
                    Phase::Constraints,
                    Change::new(
                        object.clone(),
                        ChangeKind::Create,
                        [Statement::AddConstraint {
                            table: table.clone(),
                            constraint: Box::new(c.clone()),
                            mode: AddMode::UsingIndex,
                        }],
                    )
                    .lock(LockLevel::AccessExclusive)
                    .inverse([drop]),
                );
            }
        }
        self.comment(
            object,
            CommentTarget::Constraint(table.clone(), c.name.clone()),
            &None,
            &c.comment,
        );
    }
}

/// A constraint as it compares: check expressions normalized.
pub(super) fn comparable_constraint(c: &Constraint) -> Constraint {
    let mut c = c.clone();
    c.comment = None;
    // Validation is not part of the definition: a NOT VALID twin is validated, not re-added.
    c.validated = true;
    c.deferrable = c.deferrable || c.initially_deferred;
    if let ConstraintKind::Check { expr } = &mut c.kind {
        *expr = normalize(expr);
    }
    c
}
