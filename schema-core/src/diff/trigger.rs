//! Triggers: dropped when rebuilt or gone, created or replaced.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::render::{CommentTarget, Statement};

use super::{same_opt_fragment, Change, ChangeKind, Hazard, LockLevel, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn triggers(&mut self) {
        let dropped_tables: BTreeSet<&QualifiedName> =
            self.dropped_tables.iter().map(|t| &t.name).collect();
        // Old triggers by their table's new name.
        let key = |me: &Self, t: &Trigger| (me.new_table_name(&t.table), t.name.clone());
        // Each side's triggers by that key, looked up once each (a scan of the other side per
        // trigger made a no-op diff quadratic in the number of triggers: issue 12). The first
        // of a key wins, as the scans found it.
        let (old_schema, new_schema) = (self.old, self.new);
        let mut declared_by_key: BTreeMap<(&QualifiedName, &str), &Trigger> = BTreeMap::new();
        for n in &new_schema.triggers {
            declared_by_key
                .entry((&n.table, n.name.as_str()))
                .or_insert(n);
        }
        let mut old_by_key: BTreeMap<(QualifiedName, String), &Trigger> = BTreeMap::new();
        for o in &old_schema.triggers {
            old_by_key.entry(key(self, o)).or_insert(o);
        }
        for o in &old_schema.triggers {
            let new_key = key(self, o);
            let declared = declared_by_key
                .get(&(&new_key.0, new_key.1.as_str()))
                .copied();
            let rebuilt = self
                .rebuilt_triggers
                .contains(&(o.table.clone(), o.name.clone()));
            if declared.is_some() && !rebuilt {
                continue;
            }
            if declared.is_none() && dropped_tables.contains(&o.table) {
                continue; // goes with its table
            }
            self.emit(
                Phase::DropTriggers,
                Change::new(
                    ObjectRef::trigger(&o.table, &o.name),
                    ChangeKind::Drop,
                    [Statement::DropTrigger {
                        table: o.table.clone(),
                        name: o.name.clone(),
                    }],
                )
                .hazard(if declared.is_some() {
                    Hazard::RecreatesObject
                } else {
                    Hazard::DropsObject
                })
                .lock(LockLevel::AccessExclusive)
                .inverse([Statement::CreateTrigger(Box::new(o.clone()))]),
            );
        }
        for t in &new_schema.triggers {
            let object = ObjectRef::trigger(&t.table, &t.name);
            let old = old_by_key.get(&(t.table.clone(), t.name.clone())).copied();
            let create = Change::new(
                object.clone(),
                ChangeKind::Create,
                [Statement::CreateTrigger(Box::new(t.clone()))],
            )
            .lock(LockLevel::ShareRowExclusive)
            .inverse([Statement::DropTrigger {
                table: t.table.clone(),
                name: t.name.clone(),
            }]);
            match old {
                Some(o)
                    if !self
                        .rebuilt_triggers
                        .contains(&(o.table.clone(), o.name.clone())) =>
                {
                    if !same_trigger(o, t) {
                        // A constraint trigger cannot be replaced in place (nor a plain one
                        // by a constraint trigger): drop and create, in one change.
                        let drop = Statement::DropTrigger {
                            table: o.table.clone(),
                            name: o.name.clone(),
                        };
                        let change = if o.constraint.is_some() || t.constraint.is_some() {
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                [drop.clone(), Statement::CreateTrigger(Box::new(t.clone()))],
                            )
                            .hazard(Hazard::RecreatesObject)
                            .inverse([drop, Statement::CreateTrigger(Box::new(o.clone()))])
                        } else {
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                [Statement::CreateTrigger(Box::new(t.clone()))],
                            )
                            .inverse([Statement::CreateTrigger(Box::new(o.clone()))])
                        };
                        self.emit(Phase::Triggers, change.lock(LockLevel::ShareRowExclusive));
                    }
                    self.comment(
                        object,
                        CommentTarget::Trigger(t.table.clone(), t.name.clone()),
                        &o.comment,
                        &t.comment,
                    );
                }
                _ => {
                    self.emit(Phase::Triggers, create);
                    self.comment(
                        object,
                        CommentTarget::Trigger(t.table.clone(), t.name.clone()),
                        &None,
                        &t.comment,
                    );
                }
            }
        }
    }
}

pub(super) fn same_trigger(a: &Trigger, b: &Trigger) -> bool {
    a.timing == b.timing
        && a.events == b.events
        && a.for_each_row == b.for_each_row
        && same_opt_fragment(&a.when, &b.when)
        && a.function == b.function
        && a.args == b.args
        && a.old_table == b.old_table
        && a.new_table == b.new_table
        && a.constraint == b.constraint
}
