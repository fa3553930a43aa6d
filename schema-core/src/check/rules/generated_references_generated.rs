//! Rule `generated-references-generated`: a generated column cannot refer to another generated
//! column (PostgreSQL computes them all from the row's base columns).

use crate::check::context::Context;
use crate::check::{ColumnPart, Diagnostic, Location, Rule, RuleCheck};
use crate::expr::{self};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            let Some(Ok(e)) = &cx.exprs[t].generated[c] else {
                continue;
            };
            for name in expr::referenced_columns(e) {
                if table.column(&name).is_some_and(|r| r.generated.is_some()) {
                    out.push(
                        Diagnostic::new(
                            Rule::GeneratedReferencesGenerated,
                            Location::Column {
                                table: t,
                                column: c,
                                part: ColumnPart::Generated,
                            },
                            format!(
                                "generated column `{}` refers to generated column `{name}`: PostgreSQL rejects it",
                                column.name
                            ),
                        )
                        .help(format!(
                            "repeat the expression of `{name}` instead of referring to it"
                        )),
                    );
                }
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::GeneratedReferencesGenerated],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn generated_columns_read_base_columns_only() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("x", ty("int")))
                    .column(ColumnDef::new("a", ty("int")).generated_stored("x * 2"))
                    .column(ColumnDef::new("b", ty("int")).generated_stored("a + x")),
            )
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            ["generated column `b` refers to generated column `a`: PostgreSQL rejects it"]
        );
    }
}
