//! Comments: one `COMMENT ON` change per object whose comment differs.

use crate::render::{CommentTarget, Statement};

use super::{Change, ChangeKind, LockLevel, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn comment(
        &mut self,
        object: ObjectRef,
        target: CommentTarget,
        old: &Option<String>,
        new: &'a Option<String>,
    ) {
        if old == new {
            return;
        }
        self.emit(
            Phase::Comments,
            Change::new(
                object,
                ChangeKind::Alter,
                [Statement::Comment {
                    target: target.clone(),
                    text: new.clone(),
                }],
            )
            .lock(LockLevel::ShareUpdateExclusive)
            .inverse([Statement::Comment {
                target,
                text: old.clone(),
            }]),
        );
    }
}
