//! Rules `column-missing`, `expression-column-missing`: index key columns and `include` columns
//! must be columns of the table; so must the columns an expression element refers to.

use crate::check::context::Context;
use crate::check::message::{column_missing, expression_column_missing, missing_references};
use crate::check::{Diagnostic, IndexPart, Location, Rule, RuleCheck};
use crate::model::IndexTarget;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (i, index) in table.indexes.iter().enumerate() {
            let at = |part| Location::Index {
                table: t,
                index: i,
                part,
            };
            let what = format!("index `{}`", index.name);
            for (e, element) in index.elements.iter().enumerate() {
                match &element.target {
                    IndexTarget::Column(name) => {
                        if table.column(name).is_none() {
                            out.push(column_missing(
                                table,
                                name,
                                &what,
                                at(IndexPart::Element(e)),
                            ));
                        }
                    }
                    IndexTarget::Expression(_) => {
                        let parsed = cx.exprs[t].elements[i].get(e).and_then(Option::as_ref);
                        if let Some(Ok(parsed)) = parsed {
                            for name in missing_references(table, parsed, &[]) {
                                out.push(
                                    expression_column_missing(
                                        table,
                                        &name,
                                        &format!("an expression of {what}"),
                                        at(IndexPart::Element(e)),
                                    )
                                    .subject(name),
                                );
                            }
                        }
                    }
                }
            }
            for (n, name) in index.include.iter().enumerate() {
                if table.column(name).is_none() {
                    out.push(column_missing(
                        table,
                        name,
                        &format!("`include` of {what}"),
                        at(IndexPart::Include(n)),
                    ));
                }
            }
        }
    }
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::ColumnMissing, Rule::ExpressionColumnMissing],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn key_expression_and_include_columns_must_exist() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("email", ty("text")))
                    .index(IndexDef::on_columns(["emial"]).named("a"))
                    .index(IndexDef::new().expression("lower(emial)").named("b"))
                    .index(IndexDef::on_columns(["email"]).include(["x"]).named("c")),
            )
            .build();
        let found = run(&CHECK, &s);
        let codes: Vec<_> = found.iter().map(|d| d.code.code()).collect();
        assert_eq!(
            codes,
            [
                "column-missing",
                "expression-column-missing",
                "column-missing"
            ]
        );
        assert_eq!(found[1].subject.as_deref(), Some("emial"));
        assert_eq!(
            found[1].message,
            "an expression of index `b` refers to column `emial`, which table `users` does not have"
        );
    }
}
