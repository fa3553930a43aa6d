//! Rule `duplicate-trigger`: trigger names are unique per table.

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::rules::report_duplicates;
use crate::check::{Diagnostic, Location, Rule, RuleCheck, TriggerPart};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let ts = &cx.schema.triggers;
    report_duplicates(
        ts.iter().enumerate().map(|(i, t)| ((&t.table, &t.name), i)),
        |i, _| {
            out.push(
                Diagnostic::new(
                    Rule::DuplicateTrigger,
                    Location::Trigger {
                        trigger: i,
                        part: TriggerPart::Name,
                    },
                    format!(
                        "trigger `{}` is declared twice on `{}`",
                        ts[i].name,
                        qualified(&ts[i].table)
                    ),
                )
                .help("give the second trigger another name"),
            );
        },
    );
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicateTrigger],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::check::test_support::*;
    use crate::check::*;
    use crate::model::*;

    #[test]
    fn names_are_unique_per_table() {
        let s = Schema::builder()
            .trigger(Trigger::new("touch", "users", "touch"))
            .trigger(Trigger::new("touch", "posts", "touch"))
            .trigger(Trigger::new("touch", "users", "touch"))
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "trigger `touch` is declared twice on `users`"
        );
        assert_eq!(
            found[0].location,
            Location::Trigger {
                trigger: 2,
                part: TriggerPart::Name
            }
        );
    }
}
