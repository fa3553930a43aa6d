//! Partitions take their parent's columns: PostgreSQL gives a partition exactly the columns
//! of the table it partitions, so the model of a declared partition holds them as the catalog
//! will (and checks of its own constraints and indexes see them).

use std::collections::{BTreeMap, BTreeSet};

use crate::builder::TableDef;
use crate::model::{Column, QualifiedName, Table};

/// Copies each partition's columns from the top of its partition tree (a partition of a
/// partition has them too). A partition whose parent is missing, or that sits on a cycle of
/// `partition of`s, keeps what it has: the checks report it.
pub(super) fn inherit_columns(tables: &mut [Table]) {
    let by_name: BTreeMap<&QualifiedName, usize> = tables
        .iter()
        .enumerate()
        .rev() // the first declaration of a name wins, as everywhere else
        .map(|(i, t)| (&t.name, i))
        .collect();
    let mut copies: Vec<(usize, Vec<Column>)> = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        if table.partition_of.is_none() {
            continue;
        }
        let mut seen = BTreeSet::from([i]);
        let mut at = i;
        let root = loop {
            let Some(parent) = tables[at].partition_of.as_ref().map(|p| &p.parent) else {
                break Some(at);
            };
            match by_name.get(parent) {
                Some(&p) if seen.insert(p) => at = p,
                _ => break None,
            }
        };
        if let Some(root) = root {
            // A comment stays on the parent's column: PostgreSQL does not copy it.
            let columns = tables[root]
                .columns
                .iter()
                .map(|c| Column {
                    comment: None,
                    ..c.clone()
                })
                .collect();
            copies.push((i, columns));
        }
    }
    for (i, columns) in copies {
        tables[i].columns = columns;
    }
}

/// [`inherit_columns`] on the declarations, before they are lowered: what names derive from
/// (a check on one column is named after it) must see a partition's columns. Lowering copies
/// them again afterwards, with what lowering derived (`NOT NULL` from the parent's key).
pub(super) fn inherit_declared_columns(defs: &mut [TableDef]) {
    let mut tables: Vec<Table> = defs.iter().map(|d| d.table.clone()).collect();
    inherit_columns(&mut tables);
    for (def, table) in defs.iter_mut().zip(tables) {
        def.table.columns = table.columns;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{ColumnDef, TableDef};
    use crate::model::{PartitionBound, PartitionKey, Schema};
    use crate::render::{tables_and_row_types, Made};
    use crate::types::DataType;

    /// The tables in the order the whole-schema script creates them.
    fn table_order(schema: &Schema) -> Vec<usize> {
        tables_and_row_types(schema, &[])
            .into_iter()
            .map(|m| match m {
                Made::Table(i) => i,
                Made::Type(_) => unreachable!("no types given"),
            })
            .collect()
    }

    #[test]
    fn partitions_take_the_columns_of_the_top_of_their_tree() {
        let int = DataType::builtin("integer");
        let schema = Schema::builder()
            .table(
                TableDef::new("leaf")
                    .partition_of("mid", PartitionBound::range(["MINVALUE"], ["10"])),
            )
            .table(
                TableDef::new("mid")
                    .partition_of("top", PartitionBound::list(["1"]))
                    .partition_by(PartitionKey::range(["b"])),
            )
            .table(
                TableDef::new("top")
                    .column(ColumnDef::new("a", int.clone()).primary_key())
                    .column(ColumnDef::new("b", int))
                    .partition_by(PartitionKey::list("a")),
            )
            .table(TableDef::new("lost").partition_of("nowhere", PartitionBound::Default))
            .table(TableDef::new("loop").partition_of("loop", PartitionBound::Default))
            .build();
        let names = |t: &Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&schema.tables[0]), ["a", "b"]);
        assert_eq!(names(&schema.tables[1]), ["a", "b"]);
        assert!(
            schema.tables[0].columns[0].not_null,
            "the parent's key makes it NOT NULL"
        );
        assert!(schema.tables[3].columns.is_empty());
        assert!(schema.tables[4].columns.is_empty());
        assert_eq!(table_order(&schema), [2, 1, 0, 3, 4]);
    }

    #[test]
    fn a_table_comes_after_the_tables_whose_row_type_its_columns_have() {
        let row = |name: &str| DataType::named("public", name);
        let array = row("users").array_of();
        let schema = Schema::builder()
            .table(TableDef::new("archive").column(ColumnDef::new("was", row("users"))))
            .table(TableDef::new("history").column(ColumnDef::new("all", array)))
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("id", DataType::builtin("integer")))
                    .column(ColumnDef::new("me", row("users"))),
            )
            .table(TableDef::new("a").column(ColumnDef::new("b", row("b"))))
            .table(TableDef::new("b").column(ColumnDef::new("a", row("a"))))
            .build();
        // Its own row type is no prerequisite; a cycle is cut where it closes.
        assert_eq!(table_order(&schema), [2, 0, 1, 4, 3]);
    }
}
