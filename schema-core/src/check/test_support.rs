//! Small model values for the rules' unit tests, so each test states only what it is about.

use super::context::Context;
use super::{check, Diagnostic, RuleCheck};
use crate::model::*;
use crate::types::DataType;

/// A nullable column without default.
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
        using: None,
        statistics: None,
        storage: None,
        compression: None,
        options: Vec::new(),
    }
}

/// A table in `public` without indexes.
pub(crate) fn table(name: &str, columns: Vec<Column>, constraints: Vec<Constraint>) -> Table {
    Table {
        name: QualifiedName::public(name),
        columns,
        constraints,
        indexes: Vec::new(),
        comment: None,
        renamed_from: None,
        partition_by: None,
        partition_of: None,
        unlogged: false,
        storage: Vec::new(),
    }
}

/// A constraint that is not deferrable.
pub(crate) fn constraint(name: &str, kind: ConstraintKind) -> Constraint {
    Constraint {
        name: name.into(),
        kind,
        deferrable: false,
        initially_deferred: false,
        validated: true,
        comment: None,
    }
}

/// A primary key named as PostgreSQL would name it.
pub(crate) fn pk(table: &str, cols: &[&str]) -> Constraint {
    constraint(
        &format!("{table}_pkey"),
        ConstraintKind::PrimaryKey {
            columns: cols.iter().map(|c| c.to_string()).collect(),
            include: vec![],
        },
    )
}

/// A foreign key named `fk` with `NO ACTION` on both sides.
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

/// The codes every rule together reports on `schema`, in order.
pub(crate) fn codes(schema: &Schema) -> Vec<&'static str> {
    check(schema).into_iter().map(|d| d.code.code()).collect()
}

/// A schema of only these tables.
pub(crate) fn with_tables(tables: Vec<Table>) -> Schema {
    Schema {
        tables,
        ..Schema::default()
    }
}

/// A type from its SQL spelling.
pub(crate) fn ty(sql: &str) -> DataType {
    DataType::parse(sql).unwrap()
}

/// What `rule` alone reports on `schema`, so a rule's tests do not depend on the others.
pub(crate) fn run(rule: &RuleCheck, schema: &Schema) -> Vec<Diagnostic> {
    let cx = Context::new(schema);
    let mut out = Vec::new();
    (rule.run)(&cx, &mut out);
    out
}

/// The messages `rule` alone reports on `schema`.
pub(crate) fn messages(rule: &RuleCheck, schema: &Schema) -> Vec<String> {
    run(rule, schema).into_iter().map(|d| d.message).collect()
}

/// The codes `rule` alone reports on `schema`.
pub(crate) fn rule_codes(rule: &RuleCheck, schema: &Schema) -> Vec<&'static str> {
    run(rule, schema)
        .into_iter()
        .map(|d| d.code.code())
        .collect()
}
