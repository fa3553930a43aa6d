//! Domains: created, dropped, altered in place (`NOT NULL`, default, checks); a new base type
//! or collation rebuilds the domain (see [`super::type_rebuild`]).

use crate::model::*;
use crate::render::{AlterDomain, CommentTarget, Statement};

use super::{
    same_fragment, same_opt_fragment, Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef,
    Phase, Planner,
};

impl<'a> Planner<'a> {
    pub(super) fn domains(&mut self) {
        for d in &self.new.domains {
            let object = ObjectRef::new(ObjectKind::Domain, &d.name);
            let target = CommentTarget::Domain(d.name.clone());
            match self.old.domain(&d.name) {
                None => {
                    self.emit(
                        Phase::Types,
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            [Statement::CreateDomain(Box::new(d.clone()))],
                        )
                        .inverse([Statement::DropDomain(d.name.clone())]),
                    );
                    self.comment(object, target, &None, &d.comment);
                }
                Some(old) => {
                    // A rebuilt domain is a new one: it has no comment yet.
                    let rebuilt = self.rebuilt_types.contains(&d.name);
                    if !rebuilt {
                        self.alter_domain(old, d);
                    }
                    let before = if rebuilt { &None } else { &old.comment };
                    self.comment(object, target, before, &d.comment);
                }
            }
        }
        for old in &self.old.domains {
            if self.new.domain(&old.name).is_none() {
                self.emit(
                    Phase::DropTypes,
                    Change::new(
                        ObjectRef::new(ObjectKind::Domain, &old.name),
                        ChangeKind::Drop,
                        [Statement::DropDomain(old.name.clone())],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse([Statement::CreateDomain(Box::new(old.clone()))]),
                );
            }
        }
    }

    /// True when a table column of either schema stores values of the domain (directly, as
    /// an array, or through a domain over it): changes that check values scan those tables.
    fn domain_in_use(&self, name: &QualifiedName) -> bool {
        [self.old, self.new].iter().any(|schema| {
            schema.tables.iter().any(|t| {
                t.columns
                    .iter()
                    .any(|c| uses_domain(schema, &c.data_type, name))
            })
        })
    }

    fn alter_domain(&mut self, old: &'a Domain, new: &'a Domain) {
        let name = &new.name;
        let object = ObjectRef::new(ObjectKind::Domain, name);
        let alter = |action| Statement::AlterDomain {
            name: name.clone(),
            action,
        };
        let in_use = self.domain_in_use(name);
        // Checks that scan stored values hold a SHARE lock on every table that has them.
        let scan_lock = if in_use {
            LockLevel::Share
        } else {
            LockLevel::None
        };

        // A default that calls a function dropped and created again goes before the drop and
        // is set again after.
        let default_calls_rebuilt = old
            .default
            .as_deref()
            .is_some_and(|d| self.calls_rebuilt_function(d));
        if let (true, Some(d)) = (default_calls_rebuilt, &old.default) {
            self.emit(
                Phase::DropConstraints,
                Change::new(
                    object.clone(),
                    ChangeKind::Drop,
                    [alter(AlterDomain::DropDefault)],
                )
                .hazard(Hazard::RecreatesObject)
                .inverse([alter(AlterDomain::SetDefault(d.clone()))]),
            );
        }
        if default_calls_rebuilt || !same_opt_fragment(&old.default, &new.default) {
            let undo = match &old.default {
                Some(d) => AlterDomain::SetDefault(d.clone()),
                None => AlterDomain::DropDefault,
            };
            let action = match &new.default {
                Some(d) => AlterDomain::SetDefault(d.clone()),
                None => AlterDomain::DropDefault,
            };
            self.emit(
                Phase::Types,
                Change::new(object.clone(), ChangeKind::Alter, [alter(action)])
                    .inverse([alter(undo)]),
            );
        }

        // Checks: by name; one whose condition changes is dropped and added again.
        let mut dropped = Vec::new();
        let mut added = Vec::new();
        for check in &new.checks {
            match old.check(&check.name) {
                Some(o)
                    if same_fragment(&o.expr, &check.expr)
                        && !self.calls_rebuilt_function(&o.expr) =>
                {
                    if !o.validated && check.validated {
                        self.validate_domain_check(new, &check.name, scan_lock);
                    }
                }
                Some(o) => {
                    dropped.push((o, true));
                    added.push(check);
                }
                None => added.push(check),
            }
        }
        for o in &old.checks {
            if new.check(&o.name).is_none() {
                dropped.push((o, false));
            }
        }
        for (o, recreated) in dropped {
            self.emit(
                Phase::DropConstraints,
                Change::new(
                    domain_check(name, &o.name),
                    ChangeKind::Drop,
                    [alter(AlterDomain::DropConstraint(o.name.clone()))],
                )
                .hazard(if recreated {
                    Hazard::RecreatesObject
                } else {
                    Hazard::DropsObject
                })
                .inverse([alter(AlterDomain::AddCheck {
                    check: o.clone(),
                    not_valid: false,
                })]),
            );
        }
        for check in added {
            // In use: add it NOT VALID (no scan), then validate on its own.
            self.emit(
                Phase::Constraints,
                Change::new(
                    domain_check(name, &check.name),
                    ChangeKind::Create,
                    [alter(AlterDomain::AddCheck {
                        check: check.clone(),
                        not_valid: in_use,
                    })],
                )
                .inverse([alter(AlterDomain::DropConstraint(check.name.clone()))]),
            );
            if in_use && check.validated {
                self.validate_domain_check(new, &check.name, scan_lock);
            }
        }

        if new.not_null && !old.not_null {
            self.emit(
                Phase::Constraints,
                Change::new(
                    object.clone(),
                    ChangeKind::Alter,
                    [alter(AlterDomain::SetNotNull)],
                )
                .hazard_if(in_use, Hazard::ValidatesConstraint)
                .lock(scan_lock)
                .inverse([alter(AlterDomain::DropNotNull)]),
            );
        }
        if old.not_null && !new.not_null {
            self.emit(
                Phase::Types,
                Change::new(object, ChangeKind::Alter, [alter(AlterDomain::DropNotNull)])
                    .inverse([alter(AlterDomain::SetNotNull)]),
            );
        }
    }

    /// `VALIDATE CONSTRAINT`: checks every stored value of the domain.
    fn validate_domain_check(&mut self, domain: &'a Domain, check: &str, lock: LockLevel) {
        self.emit(
            Phase::Constraints,
            Change::new(
                domain_check(&domain.name, check),
                ChangeKind::Alter,
                [Statement::AlterDomain {
                    name: domain.name.clone(),
                    action: AlterDomain::ValidateConstraint(check.to_string()),
                }],
            )
            .hazard(Hazard::ValidatesConstraint)
            .lock(lock)
            .inverse(Vec::new()),
        );
    }
}

/// A check of a domain, as plans name it: `constraint name ON DOMAIN schema.domain`.
fn domain_check(domain: &QualifiedName, check: &str) -> ObjectRef {
    ObjectRef::new(
        ObjectKind::Constraint,
        format_args!("{} ON DOMAIN {domain}", crate::render::Ident(check)),
    )
}

/// True if values of `ty` are values of the domain `domain`: `ty` is it, an array of it, or a
/// domain over it (at any depth).
pub(super) fn uses_domain(
    schema: &Schema,
    ty: &crate::types::DataType,
    domain: &QualifiedName,
) -> bool {
    let mut current = ty.clone();
    for _ in 0..=schema.domains.len() {
        let Some(s) = &current.schema else {
            return false;
        };
        let name = QualifiedName::new(s.clone(), current.name.clone());
        if &name == domain {
            return true;
        }
        match schema.domain(&name) {
            Some(d) => current = d.data_type.clone(),
            None => return false,
        }
    }
    false
}
