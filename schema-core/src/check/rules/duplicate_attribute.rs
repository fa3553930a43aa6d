//! Rule `duplicate-attribute`: `CREATE TYPE ... AS (...)` rejects an attribute named twice
//! ("column specified more than once").

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::rules::report_duplicates;
use crate::check::{CompositePart, Diagnostic, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, c) in cx.schema.composites.iter().enumerate() {
        report_duplicates(
            c.attributes.iter().enumerate().map(|(a, x)| (&x.name, a)),
            |a, _| {
                out.push(
                    Diagnostic::new(
                        Rule::DuplicateAttribute,
                        Location::Composite {
                            composite: i,
                            part: CompositePart::AttributeName(a),
                        },
                        format!(
                            "attribute `{}` appears twice in composite type `{}`",
                            c.attributes[a].name,
                            qualified(&c.name)
                        ),
                    )
                    .help("rename or remove the second one"),
                );
            },
        );
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicateAttribute],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::check::test_support::*;
    use crate::check::*;
    use crate::model::*;

    #[test]
    fn reports_the_second_attribute() {
        let s = Schema::builder()
            .composite_type(
                CompositeType::new("address")
                    .attribute(CompositeAttribute::new("street", ty("text")))
                    .attribute(CompositeAttribute::new("city", ty("text")))
                    .attribute(CompositeAttribute::new("street", ty("text"))),
            )
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "attribute `street` appears twice in composite type `address`"
        );
        assert_eq!(
            found[0].location,
            Location::Composite {
                composite: 0,
                part: CompositePart::AttributeName(2)
            }
        );
    }
}
