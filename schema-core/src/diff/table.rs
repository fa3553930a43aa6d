//! Tables: created with their foreign keys, indexes and comments; renamed; altered; dropped in
//! foreign-key order.

use crate::model::*;
use crate::render::{
    column_attributes, comments_of_table, foreign_keys, not_valid_checks, AddMode, AlterTable,
    CommentTarget, Statement,
};

use super::{Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn tables(&mut self) {
        for table in self.created_tables.clone() {
            self.create_table(table);
        }
        for i in 0..self.pairs.len() {
            self.alter_table(i);
        }
        self.drop_tables();
    }

    pub(super) fn create_table(&mut self, table: &'a Table) {
        let object = ObjectRef::new(ObjectKind::Table, &table.name);
        // A column's storage, statistics target and attribute options are set right after
        // (partitions take their parent's columns as they are).
        let mut statements = vec![Statement::CreateTable(Box::new(table.for_create()))];
        if table.partition_of.is_none() {
            for column in &table.columns {
                statements.extend(column_attributes(&table.name, column));
            }
        }
        let mut create = Change::new(object, ChangeKind::Create, statements)
            .inverse([Statement::DropTable(table.name.clone())]);
        // A new partition of a table that exists locks it, and may scan its default partition.
        if let Some(scans_default) = self.partition_on_live_parent(table) {
            create = create
                .lock(LockLevel::AccessExclusive)
                .hazard_if(scans_default, Hazard::AttachesPartition);
        }
        self.emit(Phase::Tables, create);
        for check in not_valid_checks(table) {
            self.emit(
                Phase::Constraints,
                Change::new(
                    ObjectRef::constraint(&table.name, &check.name),
                    ChangeKind::Create,
                    [Statement::AddConstraint {
                        table: table.name.clone(),
                        constraint: Box::new(check.clone()),
                        mode: AddMode::NotValid,
                    }],
                )
                .lock(LockLevel::AccessExclusive)
                .inverse([Statement::AlterTable {
                    table: table.name.clone(),
                    action: AlterTable::DropConstraint(check.name.clone()),
                }]),
            );
        }
        for fk in foreign_keys(table) {
            self.emit(
                Phase::ForeignKeys,
                Change::new(
                    ObjectRef::constraint(&table.name, &fk.name),
                    ChangeKind::Create,
                    [Statement::AddConstraint {
                        table: table.name.clone(),
                        constraint: Box::new(fk.clone()),
                        mode: AddMode::for_new_foreign_key(table, fk),
                    }],
                )
                .lock(LockLevel::ShareRowExclusive)
                .inverse([Statement::AlterTable {
                    table: table.name.clone(),
                    action: AlterTable::DropConstraint(fk.name.clone()),
                }]),
            );
        }
        for index in &table.indexes {
            self.emit(
                Phase::Indexes,
                Change::new(
                    ObjectRef::index(&table.name, &index.name),
                    ChangeKind::Create,
                    [Statement::CreateIndex {
                        table: table.name.clone(),
                        index: Box::new(index.clone()),
                        concurrently: false,
                    }],
                )
                .lock(LockLevel::Share)
                .inverse([Statement::DropIndex {
                    schema: table.name.schema.clone(),
                    name: index.name.clone(),
                    concurrently: false,
                }]),
            );
        }
        let comments = comments_of_table(table);
        if !comments.is_empty() {
            let removed: Vec<Statement> = comments
                .iter()
                .map(|c| match c {
                    Statement::Comment { target, .. } => Statement::Comment {
                        target: target.clone(),
                        text: None,
                    },
                    other => other.clone(),
                })
                .collect();
            self.emit(
                Phase::Comments,
                Change::new(
                    ObjectRef::new(ObjectKind::Table, &table.name),
                    ChangeKind::Alter,
                    comments,
                )
                .lock(LockLevel::ShareUpdateExclusive)
                .inverse(removed),
            );
        }
    }

    /// Dropped tables, each before the tables it references; where foreign keys among them
    /// form a cycle, the foreign keys into one table of the cycle are dropped first.
    pub(super) fn drop_tables(&mut self) {
        fn references(t: &Table, target: &QualifiedName) -> bool {
            foreign_keys(t).any(|fk| {
                matches!(&fk.kind, ConstraintKind::ForeignKey { ref_table, .. }
                    if ref_table == target && ref_table != &t.name)
            })
        }
        let mut left: Vec<&'a Table> = self.dropped_tables.clone();
        let mut order = Vec::new();
        while !left.is_empty() {
            // A table that no remaining table references can go now.
            let free = left
                .iter()
                .position(|t| !left.iter().any(|o| references(o, &t.name)));
            let at = free.unwrap_or_else(|| {
                // A cycle: drop the foreign keys into the first remaining table.
                let target = &left[0].name;
                for other in &left {
                    for fk in foreign_keys(other) {
                        let into_target = matches!(&fk.kind,
                            ConstraintKind::ForeignKey { ref_table, .. }
                                if ref_table == target && ref_table != &other.name);
                        if into_target {
                            self.emit(
                                Phase::DropForeignKeys,
                                Change::new(
                                    ObjectRef::constraint(&other.name, &fk.name),
                                    ChangeKind::Drop,
                                    [Statement::AlterTable {
                                        table: other.name.clone(),
                                        action: AlterTable::DropConstraint(fk.name.clone()),
                                    }],
                                )
                                .hazard(Hazard::DropsObject)
                                .lock(LockLevel::AccessExclusive),
                            );
                        }
                    }
                }
                0
            });
            let table = left.remove(at);
            if free.is_none() {
                // Its referrers no longer reference it: let them go first.
                left.sort_by_key(|t| {
                    !foreign_keys(t).any(|fk| {
                        matches!(&fk.kind, ConstraintKind::ForeignKey { ref_table, .. }
                        if ref_table == &table.name)
                    })
                });
            }
            order.push(table);
        }
        for table in order {
            // A new partition key: the table (with its partitions) goes and comes back empty.
            let recreated = self.recreated_tables.contains(&table.name);
            let mut statements = Vec::new();
            if let Some(parent) = self.detach_before_drop(table) {
                statements.push(Statement::DetachPartition {
                    parent,
                    partition: table.name.clone(),
                });
            }
            statements.push(Statement::DropTable(table.name.clone()));
            self.emit(
                Phase::DropTables,
                Change::new(
                    ObjectRef::new(ObjectKind::Table, &table.name),
                    ChangeKind::Drop,
                    statements,
                )
                .hazard(Hazard::DeletesData)
                .hazard_if(recreated, Hazard::RecreatesObject)
                .lock(LockLevel::AccessExclusive),
            );
        }
    }

    pub(super) fn alter_table(&mut self, i: usize) {
        let (old, new) = (self.pairs[i].old, self.pairs[i].new);
        let name = &new.name;
        if old.name != new.name {
            self.emit(
                Phase::Renames,
                Change::new(
                    ObjectRef::new(ObjectKind::Table, &old.name),
                    ChangeKind::Rename,
                    [Statement::RenameTable {
                        from: old.name.clone(),
                        to: new.name.name.clone(),
                    }],
                )
                .hazard(Hazard::RenamesObject)
                .lock(LockLevel::AccessExclusive)
                .inverse([Statement::RenameTable {
                    from: new.name.clone(),
                    to: old.name.name.clone(),
                }]),
            );
        }
        self.partition_membership(i);
        // A partition's columns are its parent's: PostgreSQL applies the parent's column
        // changes to it (and refuses them on the partition itself).
        if new.partition_of.is_none() {
            self.table_columns(i);
        }
        self.table_options(i);
        self.table_constraints(i);
        self.table_indexes(i);
        self.comment(
            ObjectRef::new(ObjectKind::Table, name),
            CommentTarget::Table(name.clone()),
            &old.comment,
            &new.comment,
        );
    }

    /// Columns renamed, added, changed and dropped.
    fn table_columns(&mut self, i: usize) {
        let (old, new) = (self.pairs[i].old, self.pairs[i].new);
        let name = &new.name;
        // Columns renamed (after the table rename: by the new table name).
        let columns = self.pairs[i].columns.clone();
        for (oc, nc) in &columns {
            if oc.name != nc.name {
                self.emit(
                    Phase::Renames,
                    Change::new(
                        ObjectRef::column(&old.name, &oc.name),
                        ChangeKind::Rename,
                        [Statement::RenameColumn {
                            table: name.clone(),
                            from: oc.name.clone(),
                            to: nc.name.clone(),
                        }],
                    )
                    .hazard(Hazard::RenamesObject)
                    .lock(LockLevel::AccessExclusive)
                    .inverse([Statement::RenameColumn {
                        table: name.clone(),
                        from: nc.name.clone(),
                        to: oc.name.clone(),
                    }]),
                );
            }
        }
        let added = self.pairs[i].added.clone();
        for nc in added {
            self.add_column(new, nc);
        }
        let recreated: Vec<bool> = columns
            .iter()
            .map(|(oc, nc)| self.pairs[i].generated_recreated(oc, nc))
            .collect();
        for ((oc, nc), recreate) in columns.iter().zip(recreated) {
            self.alter_column(old, new, oc, nc, recreate);
        }
        // Plain columns go after generated columns that are dropped to be re-created, which may
        // use them (PostgreSQL refuses to drop a column a generated column uses).
        let dropped = self.pairs[i].dropped.clone();
        for oc in dropped {
            self.emit(
                Phase::DropColumns,
                Change::new(
                    ObjectRef::column(&old.name, &oc.name),
                    ChangeKind::Drop,
                    [Statement::AlterTable {
                        table: old.name.clone(),
                        action: AlterTable::DropColumn(oc.name.clone()),
                    }],
                )
                .hazard(Hazard::DeletesData)
                .lock(LockLevel::AccessExclusive),
            );
        }
    }
}
