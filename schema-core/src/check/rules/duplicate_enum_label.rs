//! Rule `duplicate-enum-label`: `CREATE TYPE ... AS ENUM` rejects a repeated label.

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::rules::report_duplicates;
use crate::check::{Diagnostic, EnumPart, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, e) in cx.schema.enums.iter().enumerate() {
        report_duplicates(e.values.iter().enumerate().map(|(l, v)| (v, l)), |l, _| {
            out.push(
                Diagnostic::new(
                    Rule::DuplicateEnumLabel,
                    Location::Enum {
                        enum_type: i,
                        part: EnumPart::Label(l),
                    },
                    format!(
                        "label `{}` appears twice in enum `{}`",
                        e.values[l],
                        qualified(&e.name)
                    ),
                )
                .help("remove the second occurrence"),
            );
        });
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicateEnumLabel],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::check::test_support::*;
    use crate::check::*;
    use crate::model::*;

    #[test]
    fn reports_the_repeated_label() {
        let s = Schema::builder()
            .enum_type("mood", ["happy", "sad", "happy"])
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "label `happy` appears twice in enum `mood`"
        );
        assert_eq!(
            found[0].location,
            Location::Enum {
                enum_type: 0,
                part: EnumPart::Label(2)
            }
        );
    }
}
