//! Rule `duplicate-constraint`: constraint names are unique per table.

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::rules::report_duplicates;
use crate::check::{ConstraintPart, Diagnostic, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        report_duplicates(
            table
                .constraints
                .iter()
                .enumerate()
                .map(|(c, con)| (&con.name, c)),
            |c, _| {
                out.push(
                    Diagnostic::new(
                        Rule::DuplicateConstraint,
                        Location::Constraint {
                            table: t,
                            constraint: c,
                            part: ConstraintPart::Name,
                        },
                        format!(
                            "constraint `{}` is declared twice on table `{}`",
                            table.constraints[c].name,
                            qualified(&table.name)
                        ),
                    )
                    .help("give the second constraint another name"),
                );
            },
        );
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicateConstraint],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn reports_the_second_constraint() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("n", ty("int")))
                    .constraint(ConstraintDef::check("n > 0").named("n_ok"))
                    .constraint(ConstraintDef::check("n < 9").named("n_ok")),
            )
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            ["constraint `n_ok` is declared twice on table `users`"]
        );
    }
}
