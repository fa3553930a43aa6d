//! Schemas (namespaces): created, commented, dropped.

use crate::render::{CommentTarget, Statement};

use super::{Change, ChangeKind, Hazard, ObjectKind, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn schemas(&mut self) {
        for ns in &self.new.schemas {
            match self.old.schemas.iter().find(|o| o.name == ns.name) {
                None => {
                    self.emit(
                        Phase::Schemas,
                        Change::new(
                            ObjectRef::new(ObjectKind::Schema, crate::render::Ident(&ns.name)),
                            ChangeKind::Create,
                            [Statement::CreateSchema(ns.name.clone())],
                        )
                        .inverse([Statement::DropSchema(ns.name.clone())]),
                    );
                    self.comment(
                        ObjectRef::new(ObjectKind::Schema, crate::render::Ident(&ns.name)),
                        CommentTarget::Schema(ns.name.clone()),
                        &None,
                        &ns.comment,
                    );
                }
                Some(old) => self.comment(
                    ObjectRef::new(ObjectKind::Schema, crate::render::Ident(&ns.name)),
                    CommentTarget::Schema(ns.name.clone()),
                    &old.comment,
                    &ns.comment,
                ),
            }
        }
        for old in &self.old.schemas {
            if !self.new.schemas.iter().any(|n| n.name == old.name) {
                self.emit(
                    Phase::DropSchemas,
                    Change::new(
                        ObjectRef::new(ObjectKind::Schema, crate::render::Ident(&old.name)),
                        ChangeKind::Drop,
                        [Statement::DropSchema(old.name.clone())],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse([Statement::CreateSchema(old.name.clone())]),
                );
            }
        }
    }
}
