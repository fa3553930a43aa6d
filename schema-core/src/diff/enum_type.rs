//! Enum types: created, labels added in place, rebuilt when labels go or move, dropped.

use crate::model::*;
use crate::naming::make_object_name;
use crate::render::{cast_column_through_text, AlterTable, CommentTarget, EnumPosition, Statement};

use super::{Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn enums(&mut self) {
        for e in &self.new.enums {
            let object = ObjectRef::new(ObjectKind::Type, &e.name);
            match self.old.enum_type(&e.name) {
                None => {
                    self.emit(
                        Phase::Types,
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            [Statement::CreateEnum(e.clone())],
                        )
                        .inverse([Statement::DropType(e.name.clone())]),
                    );
                    self.comment(
                        object,
                        CommentTarget::Type(e.name.clone()),
                        &None,
                        &e.comment,
                    );
                }
                Some(old) => {
                    let rebuilt = self.rebuilt_types.contains(&e.name);
                    if rebuilt {
                        self.rebuild_enum(old, e);
                    } else {
                        self.add_enum_values(old, e);
                    }
                    // A rebuilt enum is a new type: it has no comment yet.
                    let before = if rebuilt { &None } else { &old.comment };
                    self.comment(
                        object,
                        CommentTarget::Type(e.name.clone()),
                        before,
                        &e.comment,
                    );
                }
            }
        }
        for old in &self.old.enums {
            if self.new.enum_type(&old.name).is_none() {
                self.emit(
                    Phase::DropTypes,
                    Change::new(
                        ObjectRef::new(ObjectKind::Type, &old.name),
                        ChangeKind::Drop,
                        [Statement::DropType(old.name.clone())],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse([Statement::CreateEnum(old.clone())]),
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
                EnumPosition::After(new.values[i - 1].clone())
            } else if let Some(first) = old.values.first() {
                EnumPosition::Before(first.clone())
            } else {
                EnumPosition::Last
            };
            self.emit(
                Phase::Types,
                Change::new(
                    ObjectRef::new(ObjectKind::Type, &new.name),
                    ChangeKind::Alter,
                    [Statement::AddEnumValue {
                        name: new.name.clone(),
                        value: value.clone(),
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
                // Only this enum's columns: other rebuilt types convert their own.
                let of_this = nc.data_type.schema.as_deref() == Some(new.name.schema.as_str())
                    && nc.data_type.name == new.name.name;
                if of_this && self.column_type_rebuilt(oc, nc) {
                    columns.push((&pair.new.name, *oc, *nc));
                }
            }
        }
        let usings: Vec<String> = columns
            .iter()
            .map(|(_, _, nc)| cast_column_through_text(&nc.name, &nc.data_type))
            .collect();
        let mut statements = vec![
            Statement::RenameType {
                name: new.name.clone(),
                to: temp.clone(),
            },
            Statement::CreateEnum(new.clone()),
        ];
        for ((table, oc, nc), using) in columns.iter().zip(&usings) {
            if oc.default.is_some() {
                statements.push(Statement::AlterTable {
                    table: (*table).clone(),
                    action: AlterTable::DropDefault(nc.name.clone()),
                });
            }
            statements.push(Statement::AlterTable {
                table: (*table).clone(),
                action: AlterTable::AlterType {
                    column: Box::new((*nc).clone()),
                    using: Some(using.clone()),
                    reset_collation: false,
                },
            });
            if let Some(default) = &nc.default {
                statements.push(Statement::AlterTable {
                    table: (*table).clone(),
                    action: AlterTable::SetDefault(nc.name.clone(), default.clone()),
                });
            }
        }
        statements.push(Statement::DropType(temp_name.clone()));
        let _ = old.values.len();
        let lock = if columns.is_empty() {
            LockLevel::None
        } else {
            LockLevel::AccessExclusive
        };
        self.emit(
            Phase::Types,
            Change::new(
                ObjectRef::new(ObjectKind::Type, &new.name),
                ChangeKind::Alter,
                statements,
            )
            .hazard(Hazard::RemovesEnumValue)
            .hazard_if(!columns.is_empty(), Hazard::RewritesTable)
            .lock(lock),
        );
    }
}
