//! Aggregates: created after the functions they call, replaced in place (`CREATE OR REPLACE
//! AGGREGATE`) where PostgreSQL allows it, otherwise dropped and created again.

use crate::model::*;
use crate::render::{CommentTarget, SqlType, Statement};

use super::{Change, ChangeKind, Hazard, ObjectKind, ObjectRef, Phase, Planner};

/// An aggregate's identity: its name and input types (as SQL prints them).
pub(super) type AggregateKey = (QualifiedName, Vec<String>);

pub(super) fn aggregate_key(agg: &Aggregate) -> AggregateKey {
    let args = agg.args.iter().map(|t| SqlType(t).to_string()).collect();
    (agg.name.clone(), args)
}

fn aggregate_ref(agg: &Aggregate) -> ObjectRef {
    ObjectRef::new(
        ObjectKind::Aggregate,
        crate::render::AggregateSignature(agg),
    )
}

/// True if `CREATE OR REPLACE AGGREGATE` can turn `old` into `new`: it cannot change the
/// result type, which the state type and the final function decide.
pub(super) fn replaceable_aggregate(old: &Aggregate, new: &Aggregate) -> bool {
    old.stype == new.stype && old.finalfunc == new.finalfunc
}

/// Same definition (comments aside).
fn same_aggregate(a: &Aggregate, b: &Aggregate) -> bool {
    a.sfunc == b.sfunc
        && a.stype == b.stype
        && a.finalfunc == b.finalfunc
        && a.initcond == b.initcond
}

impl<'a> Planner<'a> {
    /// The old aggregates dropped and created again: a result type that changes, or a state
    /// or final function that is dropped (PostgreSQL refuses to drop a function an aggregate
    /// uses).
    pub(super) fn find_rebuilt_aggregates(&mut self, gone_functions: &[QualifiedName]) {
        for old in &self.old.aggregates {
            let key = aggregate_key(old);
            let Some(new) = self.new.aggregates.iter().find(|a| aggregate_key(a) == key) else {
                continue;
            };
            let uses_gone = std::iter::once(&old.sfunc)
                .chain(&old.finalfunc)
                .any(|f| gone_functions.contains(f));
            if uses_gone || !replaceable_aggregate(old, new) {
                self.rebuilt_aggregates.insert(key);
            }
        }
    }

    pub(super) fn aggregates(&mut self) {
        for agg in &self.new.aggregates {
            let key = aggregate_key(agg);
            let object = aggregate_ref(agg);
            let old = self.old.aggregates.iter().find(|a| aggregate_key(a) == key);
            match old {
                Some(old) if !self.rebuilt_aggregates.contains(&key) => {
                    if !same_aggregate(old, agg) {
                        self.emit(
                            Phase::Functions,
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                [Statement::CreateAggregate(Box::new(agg.clone()))],
                            )
                            .inverse([Statement::CreateAggregate(Box::new(old.clone()))]),
                        );
                    }
                    self.comment(
                        object,
                        CommentTarget::Aggregate(Box::new(agg.clone())),
                        &old.comment,
                        &agg.comment,
                    );
                }
                _ => {
                    if let Some(old) = old {
                        self.drop_aggregate(old, Hazard::RecreatesObject);
                    }
                    self.emit(
                        Phase::Functions,
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            [Statement::CreateAggregate(Box::new(agg.clone()))],
                        )
                        .inverse([Statement::DropAggregate(Box::new(agg.clone()))]),
                    );
                    self.comment(
                        object,
                        CommentTarget::Aggregate(Box::new(agg.clone())),
                        &None,
                        &agg.comment,
                    );
                }
            }
        }
        for old in &self.old.aggregates {
            let key = aggregate_key(old);
            if !self.new.aggregates.iter().any(|a| aggregate_key(a) == key) {
                self.drop_aggregate(old, Hazard::DropsObject);
            }
        }
    }

    fn drop_aggregate(&mut self, old: &Aggregate, hazard: Hazard) {
        self.emit(
            Phase::DropFunctions,
            Change::new(
                aggregate_ref(old),
                ChangeKind::Drop,
                [Statement::DropAggregate(Box::new(old.clone()))],
            )
            .hazard(hazard)
            .inverse([Statement::CreateAggregate(Box::new(old.clone()))]),
        );
    }
}
