//! Small model values for the rules' unit tests, so each test states only what it is about.

use super::check;
use crate::model::*;
use crate::types::DataType;

pub(crate) fn col(name: &str, ty: &str) -> Column {
    Column {
        name: name.into(),
        data_type: DataType::parse(ty).unwrap(),
        not_null: false,
        default: None,
        identity: None,
        generated: None,
        collation: None,
        comment: None,
        renamed_from: None,
    }
}

pub(crate) fn table(name: &str, columns: Vec<Column>, constraints: Vec<Constraint>) -> Table {
    Table {
        name: QualifiedName::public(name),
        columns,
        constraints,
        indexes: Vec::new(),
        comment: None,
        renamed_from: None,
    }
}

pub(crate) fn constraint(name: &str, kind: ConstraintKind) -> Constraint {
    Constraint {
        name: name.into(),
        kind,
        deferrable: false,
        initially_deferred: false,
        comment: None,
    }
}

pub(crate) fn pk(table: &str, cols: &[&str]) -> Constraint {
    constraint(
        &format!("{table}_pkey"),
        ConstraintKind::PrimaryKey {
            columns: cols.iter().map(|c| c.to_string()).collect(),
            include: vec![],
        },
    )
}

pub(crate) fn fk(cols: &[&str], target: &str, ref_cols: &[&str]) -> Constraint {
    constraint(
        "fk",
        ConstraintKind::ForeignKey {
            columns: cols.iter().map(|c| c.to_string()).collect(),
            ref_table: QualifiedName::public(target),
            ref_columns: ref_cols.iter().map(|c| c.to_string()).collect(),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
        },
    )
}

pub(crate) fn codes(schema: &Schema) -> Vec<&'static str> {
    check(schema).into_iter().map(|d| d.code.code()).collect()
}

pub(crate) fn with_tables(tables: Vec<Table>) -> Schema {
    Schema {
        tables,
        ..Schema::default()
    }
}
