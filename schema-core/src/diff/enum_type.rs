//! Enum types: created, labels added in place, rebuilt when labels go or move, dropped.

use super::*;

impl<'a> Planner<'a> {
    pub(super) fn enums(&mut self) {
        for e in &self.new.enums {
            let object = ObjectRef::new(ObjectKind::Type, &e.name);
            match self.old.enum_type(&e.name) {
                None => {
                    self.phases.types.push(
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            &[Statement::CreateEnum(e)],
                        )
                        .inverse(&[Statement::DropType(&e.name)]),
                    );
                    self.comment(object, CommentTarget::Type(&e.name), &None, &e.comment);
                }
                Some(old) => {
                    if self.rebuilt_enums.contains(&e.name) {
                        self.rebuild_enum(old, e);
                    } else {
                        self.add_enum_values(old, e);
                    }
                    self.comment(
                        object,
                        CommentTarget::Type(&e.name),
                        &old.comment,
                        &e.comment,
                    );
                }
            }
        }
        for old in &self.old.enums {
            if self.new.enum_type(&old.name).is_none() {
                self.phases.drop_types.push(
                    Change::new(
                        ObjectRef::new(ObjectKind::Type, &old.name),
                        ChangeKind::Drop,
                        &[Statement::DropType(&old.name)],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse(&[Statement::CreateEnum(old)]),
                );
            }
        }
    }

    /// New labels, each placed where it is declared: after the label before it, or before
    /// the first old label when it comes first.
    pub(super) fn add_enum_values(&mut self, old: &'a EnumType, new: &'a EnumType) {
        for (i, value) in new.values.iter().enumerate() {
            if old.values.contains(value) {
                continue;
            }
            let position = if i > 0 {
                EnumPosition::After(&new.values[i - 1])
            } else if let Some(first) = old.values.first() {
                EnumPosition::Before(first)
            } else {
                EnumPosition::Last
            };
            self.phases.types.push(
                Change::new(
                    ObjectRef::new(ObjectKind::Type, &new.name),
                    ChangeKind::Alter,
                    &[Statement::AddEnumValue {
                        name: &new.name,
                        value,
                        position,
                    }],
                )
                .not_transactional(),
            );
        }
    }

    /// Labels removed or reordered: rename the old type away, create the new one, convert
    /// every column through `text`, drop the old type.
    pub(super) fn rebuild_enum(&mut self, old: &'a EnumType, new: &'a EnumType) {
        let temp = make_object_name(&new.name.name, None, Some("pgdecl_old"));
        let temp_name = QualifiedName::new(new.name.schema.clone(), temp.clone());
        let mut columns = Vec::new();
        for pair in &self.pairs {
            for (oc, nc) in &pair.columns {
                if self.column_enum_rebuilt(oc, nc) {
                    columns.push((&pair.new.name, *oc, *nc));
                }
            }
        }
        let usings: Vec<String> = columns
            .iter()
            .map(|(_, _, nc)| {
                let text = if nc.data_type.array { "text[]" } else { "text" };
                format!(
                    "{}::{text}::{}",
                    crate::render::Ident(&nc.name),
                    SqlType(&nc.data_type)
                )
            })
            .collect();
        let mut statements = vec![
            Statement::RenameType {
                name: &new.name,
                to: &temp,
            },
            Statement::CreateEnum(new),
        ];
        for ((table, oc, nc), using) in columns.iter().zip(&usings) {
            if oc.default.is_some() {
                statements.push(Statement::AlterTable {
                    table,
                    action: AlterTable::DropDefault(&nc.name),
                });
            }
            statements.push(Statement::AlterTable {
                table,
                action: AlterTable::AlterType {
                    column: nc,
                    using: Some(using.clone()),
                    reset_collation: false,
                },
            });
            if let Some(default) = &nc.default {
                statements.push(Statement::AlterTable {
                    table,
                    action: AlterTable::SetDefault(&nc.name, default),
                });
            }
        }
        statements.push(Statement::DropType(&temp_name));
        let _ = old.values.len();
        let lock = if columns.is_empty() {
            LockLevel::None
        } else {
            LockLevel::AccessExclusive
        };
        self.phases.types.push(
            Change::new(
                ObjectRef::new(ObjectKind::Type, &new.name),
                ChangeKind::Alter,
                &statements,
            )
            .hazard(Hazard::RemovesEnumValue)
            .hazard_if(!columns.is_empty(), Hazard::RewritesTable)
            .lock(lock),
        );
    }
}
