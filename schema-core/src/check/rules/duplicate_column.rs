//! Rule `duplicate-column`: a table cannot have two columns of one name.

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::rules::report_duplicates;
use crate::check::{ColumnPart, Diagnostic, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        report_duplicates(
            table
                .columns
                .iter()
                .enumerate()
                .map(|(c, col)| (&col.name, c)),
            |c, _| {
                out.push(
                    Diagnostic::new(
                        Rule::DuplicateColumn,
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Name,
                        },
                        format!(
                            "column `{}` is declared twice in table `{}`",
                            table.columns[c].name,
                            qualified(&table.name)
                        ),
                    )
                    .help("rename or remove the second column"),
                );
            },
        );
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicateColumn],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::check::*;
    use crate::model::*;

    #[test]
    fn reports_the_second_column() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("id", ty("int")))
                    .column(ColumnDef::new("id", ty("bigint"))),
            )
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "column `id` is declared twice in table `users`"
        );
        assert_eq!(
            found[0].location,
            Location::Column {
                table: 0,
                column: 1,
                part: ColumnPart::Name
            }
        );
    }
}
