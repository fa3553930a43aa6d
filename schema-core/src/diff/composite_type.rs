//! Composite types: created, dropped, attributes added, dropped and retyped in place with
//! `ALTER TYPE`; a retyped attribute of a type that table columns store rebuilds the type
//! instead (PostgreSQL refuses `ALTER ATTRIBUTE ... TYPE` then; see [`super::type_rebuild`]).

use crate::model::*;
use crate::render::{AlterComposite, CommentTarget, Statement};

use super::{Change, ChangeKind, Hazard, ObjectKind, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn composites(&mut self) {
        for c in &self.new.composites {
            let object = ObjectRef::new(ObjectKind::Type, &c.name);
            match self.old.composite_type(&c.name) {
                None => {
                    self.emit(
                        Phase::Types,
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            [Statement::CreateCompositeType(c.clone())],
                        )
                        .inverse([Statement::DropType(c.name.clone())]),
                    );
                    self.comment(
                        object,
                        CommentTarget::Type(c.name.clone()),
                        &None,
                        &c.comment,
                    );
                    for a in &c.attributes {
                        self.attribute_comment(c, a, &None);
                    }
                }
                Some(old) => {
                    // A rebuilt type is a new one: it has no comments yet.
                    let rebuilt = self.rebuilt_types.contains(&c.name);
                    if !rebuilt {
                        self.alter_composite(old, c);
                    }
                    let before = if rebuilt { &None } else { &old.comment };
                    self.comment(
                        object,
                        CommentTarget::Type(c.name.clone()),
                        before,
                        &c.comment,
                    );
                    for a in &c.attributes {
                        let before = match old.attribute_named(&a.name) {
                            Some(o) if !rebuilt => o.comment.clone(),
                            _ => None,
                        };
                        self.attribute_comment(c, a, &before);
                    }
                }
            }
        }
        for old in &self.old.composites {
            if self.new.composite_type(&old.name).is_none() {
                self.emit(
                    Phase::DropTypes,
                    Change::new(
                        ObjectRef::new(ObjectKind::Type, &old.name),
                        ChangeKind::Drop,
                        [Statement::DropType(old.name.clone())],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse([Statement::CreateCompositeType(old.clone())]),
                );
            }
        }
    }

    fn attribute_comment(
        &mut self,
        c: &'a CompositeType,
        a: &'a CompositeAttribute,
        old: &Option<String>,
    ) {
        if old == &a.comment {
            return;
        }
        let old = old.clone();
        self.emit(
            Phase::Comments,
            Change::new(
                ObjectRef::column(&c.name, &a.name),
                ChangeKind::Alter,
                [Statement::Comment {
                    target: CommentTarget::Column(c.name.clone(), a.name.clone()),
                    text: a.comment.clone(),
                }],
            )
            .inverse([Statement::Comment {
                target: CommentTarget::Column(c.name.clone(), a.name.clone()),
                text: old,
            }]),
        );
    }

    /// Attributes by name: new ones added (at the end: PostgreSQL cannot insert one), gone
    /// ones dropped, retyped ones altered.
    fn alter_composite(&mut self, old: &'a CompositeType, new: &'a CompositeType) {
        let name = &new.name;
        let stored = self.stored_types.contains(name);
        let alter = |action| Statement::AlterCompositeType {
            name: name.clone(),
            action: Box::new(action),
        };
        for o in &old.attributes {
            if new.attribute_named(&o.name).is_none() {
                self.emit(
                    Phase::DropColumns,
                    Change::new(
                        ObjectRef::column(name, &o.name),
                        ChangeKind::Drop,
                        [alter(AlterComposite::DropAttribute(o.name.clone()))],
                    )
                    .hazard(Hazard::DropsObject)
                    .hazard_if(stored, Hazard::DeletesData)
                    .inverse([alter(AlterComposite::AddAttribute(o.clone()))]),
                );
            }
        }
        for a in &new.attributes {
            match old.attribute_named(&a.name) {
                None => self.emit(
                    Phase::Columns,
                    Change::new(
                        ObjectRef::column(name, &a.name),
                        ChangeKind::Create,
                        [alter(AlterComposite::AddAttribute(a.clone()))],
                    )
                    .inverse([alter(AlterComposite::DropAttribute(a.name.clone()))]),
                ),
                Some(o) if o.data_type != a.data_type || o.collation != a.collation => {
                    let mut back = o.clone();
                    back.comment = None;
                    let mut to = a.clone();
                    to.comment = None;
                    self.emit(
                        Phase::Columns,
                        Change::new(
                            ObjectRef::column(name, &a.name),
                            ChangeKind::Alter,
                            [alter(AlterComposite::AlterAttributeType(to))],
                        )
                        .inverse([alter(AlterComposite::AlterAttributeType(back))]),
                    );
                }
                Some(_) => {}
            }
        }
    }
}
