//! Rebuilding domains, composite and range types that PostgreSQL cannot alter in place: a
//! domain's base type or collation, anything of a range's definition, the type of an attribute
//! of a composite type that table columns store. The old type is renamed away, the new one
//! created, every column of it converted, the old one dropped; types built from a rebuilt
//! type (a domain over it, a composite with an attribute of it) are rebuilt with it, in the
//! same change, since the old ones hold on to the old type.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::naming::make_object_name;
use crate::render::{
    cast_column, cast_column_through_text, AlterTable, Ident, SqlType, Statement, TypeIndex,
};
use crate::types::DataType;

use super::range_type::range_redefined;
use super::types::type_change;
use super::{Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Phase, Planner};

/// The name of `ty` (of its elements, for an array) when it is a user type.
fn type_name(ty: &DataType) -> Option<QualifiedName> {
    ty.user_name()
}

/// The types a domain, composite or range type's definition names.
fn definition_types(schema: &Schema, name: &QualifiedName) -> Vec<QualifiedName> {
    if let Some(d) = schema.domain(name) {
        type_name(&d.data_type).into_iter().collect()
    } else if let Some(c) = schema.composite_type(name) {
        c.attributes
            .iter()
            .filter_map(|a| type_name(&a.data_type))
            .collect()
    } else if let Some(r) = schema.range_type(name) {
        type_name(&r.subtype).into_iter().collect()
    } else {
        Vec::new()
    }
}

impl<'a> Planner<'a> {
    /// Finds the types to rebuild (into `rebuilt_types`, next to the enums) and the types
    /// whose values table columns store (`stored_types`).
    pub(super) fn find_type_rebuilds(&mut self) {
        let (old, new) = (self.old, self.new);
        // Stored: column types, and what those are built from.
        let mut stored: BTreeSet<QualifiedName> = old
            .tables
            .iter()
            .flat_map(|t| &t.columns)
            .filter_map(|c| type_name(&c.data_type))
            .collect();
        loop {
            let more: Vec<QualifiedName> = stored
                .iter()
                .flat_map(|n| definition_types(old, n))
                .filter(|n| !stored.contains(n))
                .collect();
            if more.is_empty() {
                break;
            }
            stored.extend(more);
        }
        self.stored_types = stored;

        let mut rebuilt: BTreeSet<QualifiedName> = BTreeSet::new();
        for d in &new.domains {
            if let Some(o) = old.domain(&d.name) {
                if o.data_type != d.data_type || o.collation != d.collation {
                    rebuilt.insert(d.name.clone());
                }
            }
        }
        for r in &new.ranges {
            if let Some(o) = old.range_type(&r.name) {
                if range_redefined(o, r) {
                    rebuilt.insert(r.name.clone());
                }
            }
        }
        for c in &new.composites {
            if let Some(o) = old.composite_type(&c.name) {
                let retyped = c.attributes.iter().any(|a| {
                    o.attribute_named(&a.name)
                        .is_some_and(|b| b.data_type != a.data_type || b.collation != a.collation)
                });
                if retyped && self.stored_types.contains(&c.name) {
                    rebuilt.insert(c.name.clone());
                }
            }
        }
        // What is built from a rebuilt type goes with it.
        let kept: Vec<&QualifiedName> = old
            .domains
            .iter()
            .map(|d| &d.name)
            .chain(old.composites.iter().map(|c| &c.name))
            .chain(old.ranges.iter().map(|r| &r.name))
            .filter(|n| new.user_type(n) == old.user_type(n))
            .collect();
        loop {
            let more: Vec<QualifiedName> = kept
                .iter()
                .filter(|n| !rebuilt.contains(**n))
                .filter(|n| {
                    definition_types(old, n)
                        .iter()
                        .any(|used| rebuilt.contains(used))
                })
                .map(|n| (*n).clone())
                .collect();
            if more.is_empty() {
                break;
            }
            rebuilt.extend(more);
        }
        // A rebuilt range's multirange type is rebuilt with it: its columns convert too.
        let multiranges: Vec<QualifiedName> = rebuilt
            .iter()
            .flat_map(|n| {
                let old_one = old.range_type(n).map(RangeType::multirange_name);
                let new_one = new.range_type(n).map(RangeType::multirange_name);
                old_one.into_iter().chain(new_one)
            })
            .collect();
        rebuilt.extend(multiranges);
        self.rebuilt_types.extend(rebuilt);
    }

    /// One change per group of rebuilt domains, composite and range types that use each other.
    pub(super) fn rebuild_types(&mut self) {
        let new = self.new;
        let order: Vec<(TypeIndex, QualifiedName)> = {
            let (early, late) = crate::render::creation_order(new);
            early
                .into_iter()
                .chain(late)
                .map(|t| (t, index_name(new, t)))
                .filter(|(_, n)| self.rebuilt_types.contains(n) && self.old.user_type(n).is_some())
                .collect()
        };
        if order.is_empty() {
            return;
        }
        // Groups: connected by "is built from", each in creation order.
        let at: BTreeMap<&QualifiedName, usize> =
            order.iter().enumerate().map(|(i, (_, n))| (n, i)).collect();
        let mut linked = vec![Vec::new(); order.len()];
        for (i, (_, name)) in order.iter().enumerate() {
            for used in definition_types(self.old, name)
                .into_iter()
                .chain(definition_types(new, name))
            {
                if let Some(&j) = at.get(&used) {
                    linked[i].push(j);
                    linked[j].push(i);
                }
            }
        }
        let mut group_of = vec![usize::MAX; order.len()];
        for start in 0..order.len() {
            if group_of[start] != usize::MAX {
                continue;
            }
            let mut stack = vec![start];
            while let Some(i) = stack.pop() {
                if group_of[i] == usize::MAX {
                    group_of[i] = start;
                    stack.extend(linked[i].iter().copied());
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<(TypeIndex, QualifiedName)>> = BTreeMap::new();
        for (i, entry) in order.iter().enumerate() {
            groups.entry(group_of[i]).or_default().push(entry.clone());
        }
        for group in groups.into_values() {
            self.rebuild_group(&group);
        }
    }

    fn rebuild_group(&mut self, group: &[(TypeIndex, QualifiedName)]) {
        let (old, new) = (self.old, self.new);
        let temp = |n: &QualifiedName| {
            QualifiedName::new(
                n.schema.clone(),
                make_object_name(&n.name, None, Some("pgdecl_old")),
            )
        };
        let mut statements = Vec::new();
        for (_, name) in group {
            statements.push(Statement::RenameType {
                name: name.clone(),
                to: temp(name).name,
            });
            if let Some(r) = old.range_type(name) {
                let multirange = r.multirange_name();
                statements.push(Statement::RenameType {
                    name: multirange.clone(),
                    to: temp(&multirange).name,
                });
                // The constructors keep their names, which the new range needs.
                let mut renames = vec![(name.name.clone(), temp(name).name)];
                if multirange.schema == name.schema {
                    renames.push((multirange.name.clone(), temp(&multirange).name));
                }
                statements.push(Statement::RenameRangeConstructors {
                    schema: name.schema.clone(),
                    renames,
                });
            }
        }
        for (t, _) in group {
            statements.push(t.create(new));
        }
        // The types whose columns convert, by new name, with their old names: each type of
        // the group, and the multirange type of each range.
        let mut names: BTreeMap<QualifiedName, QualifiedName> = BTreeMap::new();
        for (_, name) in group {
            names.insert(name.clone(), name.clone());
            if let (Some(o), Some(n)) = (old.range_type(name), new.range_type(name)) {
                names.insert(n.multirange_name(), o.multirange_name());
            }
        }
        let mut columns = 0;
        let mut narrowing = false;
        let mut deletes = false;
        for (_, name) in group {
            let (n, d) = redefinition_cost(old, new, name);
            narrowing |= n;
            deletes |= d;
        }
        for pair in &self.pairs {
            for (oc, nc) in &pair.columns {
                let Some(name) = type_name(&nc.data_type) else {
                    continue;
                };
                let Some(was) = names.get(&name) else {
                    continue;
                };
                if type_name(&oc.data_type).as_ref() != Some(was) {
                    continue;
                }
                columns += 1;
                let table = &pair.new.name;
                if oc.default.is_some() {
                    statements.push(Statement::AlterTable {
                        table: table.clone(),
                        action: AlterTable::DropDefault(nc.name.clone()),
                    });
                }
                statements.push(Statement::AlterTable {
                    table: table.clone(),
                    action: AlterTable::AlterType {
                        column: Box::new((*nc).clone()),
                        using: Some(convert(old, new, &nc.name, &nc.data_type, &name)),
                        reset_collation: false,
                    },
                });
                if let Some(default) = &nc.default {
                    statements.push(Statement::AlterTable {
                        table: table.clone(),
                        action: AlterTable::SetDefault(nc.name.clone(), default.clone()),
                    });
                }
            }
        }
        for (t, name) in group.iter().rev() {
            statements.push(match t {
                TypeIndex::Domain(_) => Statement::DropDomain(temp(name)),
                _ => Statement::DropType(temp(name)),
            });
        }
        let first = &group[0];
        let kind = match first.0 {
            TypeIndex::Domain(_) => ObjectKind::Domain,
            _ => ObjectKind::Type,
        };
        let stored = columns > 0;
        self.emit(
            Phase::Types,
            Change::new(
                ObjectRef::new(kind, &first.1),
                ChangeKind::Alter,
                statements,
            )
            .hazard(Hazard::RecreatesObject)
            .hazard_if(stored, Hazard::RewritesTable)
            .hazard_if(stored && narrowing, Hazard::NarrowsType)
            .hazard_if(stored && deletes, Hazard::DeletesData)
            .lock(if stored {
                LockLevel::AccessExclusive
            } else {
                LockLevel::None
            }),
        );
    }
}

fn index_name(schema: &Schema, t: TypeIndex) -> QualifiedName {
    match t {
        TypeIndex::Domain(i) => schema.domains[i].name.clone(),
        TypeIndex::Composite(i) => schema.composites[i].name.clone(),
        TypeIndex::Range(i) => schema.ranges[i].name.clone(),
    }
}

/// Whether stored values may fail to convert or lose precision, and whether some of what they
/// hold goes away (a composite's dropped attribute).
fn redefinition_cost(old: &Schema, new: &Schema, name: &QualifiedName) -> (bool, bool) {
    if let (Some(o), Some(n)) = (old.domain(name), new.domain(name)) {
        let narrowing = o.data_type != n.data_type
            && type_change(&old.base_type(&o.data_type), &new.base_type(&n.data_type)).narrowing;
        return (narrowing, false);
    }
    if let (Some(o), Some(n)) = (old.range_type(name), new.range_type(name)) {
        return (
            o.subtype != n.subtype && type_change(&o.subtype, &n.subtype).narrowing,
            false,
        );
    }
    if let (Some(o), Some(n)) = (old.composite_type(name), new.composite_type(name)) {
        let narrowing = n.attributes.iter().any(|a| {
            o.attribute_named(&a.name).is_some_and(|b| {
                b.data_type != a.data_type && type_change(&b.data_type, &a.data_type).narrowing
            })
        });
        let deletes = o
            .attributes
            .iter()
            .any(|b| n.attribute_named(&b.name).is_none());
        return (narrowing, deletes);
    }
    (false, false)
}

/// The `USING` expression that converts a column of the old type to the new one: a domain
/// by a cast (through the base types), a range through its text, a composite attribute by
/// attribute (by name: new attributes are NULL, dropped ones go), an array of a composite
/// through its text.
fn convert(
    old: &Schema,
    new: &Schema,
    column: &str,
    to: &DataType,
    name: &QualifiedName,
) -> String {
    if new.domain(name).is_some() {
        return cast_column(column, to);
    }
    match (old.composite_type(name), new.composite_type(name)) {
        (Some(o), Some(n)) if !to.array => {
            let col = Ident(column);
            let fields: Vec<String> = n
                .attributes
                .iter()
                .map(|a| match o.attribute_named(&a.name) {
                    Some(_) => format!("({col}).{}::{}", Ident(&a.name), SqlType(&a.data_type)),
                    None => format!("NULL::{}", SqlType(&a.data_type)),
                })
                .collect();
            format!(
                "CASE WHEN {col} IS NULL THEN NULL ELSE ROW({})::{} END",
                fields.join(", "),
                SqlType(to)
            )
        }
        _ => cast_column_through_text(column, to),
    }
}
