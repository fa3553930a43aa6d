//! Rule `duplicate-column`: A table cannot have two columns of one name.

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
