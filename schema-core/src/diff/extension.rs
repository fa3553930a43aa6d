//! Extensions: created, moved to another schema, commented, dropped.

use crate::render::{CommentTarget, Statement};

use super::{Change, ChangeKind, Hazard, ObjectKind, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn extensions(&mut self) {
        for ext in &self.new.extensions {
            let object = ObjectRef::new(ObjectKind::Extension, crate::render::Ident(&ext.name));
            match self.old.extensions.iter().find(|o| o.name == ext.name) {
                None => {
                    self.emit(
                        Phase::Extensions,
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            [Statement::CreateExtension(ext.clone())],
                        )
                        .inverse([Statement::DropExtension(ext.name.clone())]),
                    );
                    self.comment(
                        object,
                        CommentTarget::Extension(ext.name.clone()),
                        &None,
                        &ext.comment,
                    );
                }
                Some(old) => {
                    if let (Some(to), Some(from)) = (&ext.schema, &old.schema) {
                        if to != from {
                            self.emit(
                                Phase::Extensions,
                                Change::new(
                                    object.clone(),
                                    ChangeKind::Alter,
                                    [Statement::AlterExtensionSchema {
                                        name: ext.name.clone(),
                                        schema: to.clone(),
                                    }],
                                )
                                .inverse([
                                    Statement::AlterExtensionSchema {
                                        name: ext.name.clone(),
                                        schema: from.clone(),
                                    },
                                ]),
                            );
                        }
                    }
                    // One declared without a comment leaves the live one alone: the comment
                    // an extension ships with reads as none on both sides (introspection and
                    // canonicalization), so only a comment someone set is left, and that is
                    // not dropped unasked.
                    if ext.comment.is_some() {
                        self.comment(
                            object,
                            CommentTarget::Extension(ext.name.clone()),
                            &old.comment,
                            &ext.comment,
                        );
                    }
                }
            }
        }
        for old in &self.old.extensions {
            if !self.new.extensions.iter().any(|n| n.name == old.name) {
                self.emit(
                    Phase::DropExtensions,
                    Change::new(
                        ObjectRef::new(ObjectKind::Extension, crate::render::Ident(&old.name)),
                        ChangeKind::Drop,
                        [Statement::DropExtension(old.name.clone())],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse([Statement::CreateExtension(old.clone())]),
                );
            }
        }
    }
}
