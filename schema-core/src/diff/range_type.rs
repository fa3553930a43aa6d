//! Range types: created, dropped, commented. PostgreSQL cannot alter a range's subtype,
//! operator class, collation, `subtype_diff` or multirange name: any of those changing
//! rebuilds the type (see [`super::type_rebuild`]).

use crate::model::*;
use crate::render::{CommentTarget, Statement};

use super::{Change, ChangeKind, Hazard, ObjectKind, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn ranges(&mut self) {
        for r in &self.new.ranges {
            let object = ObjectRef::new(ObjectKind::Type, &r.name);
            let target = CommentTarget::Type(r.name.clone());
            match self.old.range_type(&r.name) {
                None => {
                    self.emit(
                        Phase::Types,
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            [Statement::CreateRangeType(Box::new(r.clone()))],
                        )
                        .inverse([Statement::DropType(r.name.clone())]),
                    );
                    self.comment(object, target, &None, &r.comment);
                }
                Some(old) => {
                    // A rebuilt range is a new one: it has no comment yet.
                    let rebuilt = self.rebuilt_types.contains(&r.name);
                    let before = if rebuilt { &None } else { &old.comment };
                    self.comment(object, target, before, &r.comment);
                }
            }
        }
        for old in &self.old.ranges {
            if self.new.range_type(&old.name).is_none() {
                self.emit(
                    Phase::DropTypes,
                    Change::new(
                        ObjectRef::new(ObjectKind::Type, &old.name),
                        ChangeKind::Drop,
                        [Statement::DropType(old.name.clone())],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse([Statement::CreateRangeType(Box::new(old.clone()))]),
                );
            }
        }
    }
}

/// True when the two definitions differ in anything but the comment.
pub(super) fn range_redefined(old: &RangeType, new: &RangeType) -> bool {
    old.subtype != new.subtype
        || old.subtype_opclass != new.subtype_opclass
        || old.collation != new.collation
        || old.subtype_diff != new.subtype_diff
        || old.multirange_name() != new.multirange_name()
}
