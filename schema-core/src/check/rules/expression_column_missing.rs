//! Rule `expression-column-missing`: check constraints, index predicates, generation expressions
//! and `using` conversions may only refer to the table's own columns; PostgreSQL rejects any
//! other name.

use crate::check::context::Context;
use crate::check::message::{expression_column_missing, missing_references};
use crate::check::{ColumnPart, ConstraintPart, Diagnostic, IndexPart, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        let exprs = &cx.exprs[t];
        for (c, column) in table.columns.iter().enumerate() {
            if let Some(Ok(e)) = &exprs.generated[c] {
                for name in missing_references(table, e, &[]) {
                    out.push(expression_column_missing(
                        table,
                        &name,
                        &format!("the generation expression of `{}`", column.name),
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Generated,
                        },
                    ));
                }
            }
            if let Some(Ok(e)) = &exprs.usings[c] {
                for name in missing_references(table, e, &[]) {
                    out.push(expression_column_missing(
                        table,
                        &name,
                        &format!("the conversion expression (`using`) of `{}`", column.name),
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Using,
                        },
                    ));
                }
            }
        }
        for (c, con) in table.constraints.iter().enumerate() {
            if let Some(Ok(e)) = &exprs.checks[c] {
                for name in missing_references(table, e, &[]) {
                    out.push(expression_column_missing(
                        table,
                        &name,
                        &format!("check `{}`", con.name),
                        Location::Constraint {
                            table: t,
                            constraint: c,
                            part: ConstraintPart::Expr,
                        },
                    ));
                }
            }
        }
        for (i, index) in table.indexes.iter().enumerate() {
            if let Some(Ok(e)) = &exprs.predicates[i] {
                for name in missing_references(table, e, &[]) {
                    out.push(expression_column_missing(
                        table,
                        &name,
                        &format!("the predicate of index `{}`", index.name),
                        Location::Index {
                            table: t,
                            index: i,
                            part: IndexPart::Predicate,
                        },
                    ));
                }
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::ExpressionColumnMissing],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn expressions_refer_to_the_tables_columns() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("email", ty("text")))
                    .column(ColumnDef::new("Name", ty("text")))
                    .constraint(ConstraintDef::check("emial <> ''").named("a"))
                    .constraint(ConstraintDef::check("Name <> ''").named("b"))
                    .index(IndexDef::on_columns(["email"]).named("c").where_sql("gone")),
            )
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[0].message,
            "check `a` refers to column `emial`, which table `users` does not have"
        );
        assert_eq!(found[0].help.as_deref(), Some("did you mean `email`?"));
        assert_eq!(
            found[1].help.as_deref(),
            Some("SQL folds unquoted names to lower case; to mean column `Name`, quote it: `\"Name\"`")
        );
        assert!(found[2].message.starts_with("the predicate of index `c`"));
    }
}
