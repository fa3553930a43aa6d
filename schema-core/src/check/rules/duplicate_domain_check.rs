//! Rule `duplicate-constraint`, for domains: `CREATE DOMAIN` rejects two checks of one name
//! ("constraint ... for domain ... already exists").

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::rules::report_duplicates;
use crate::check::{Diagnostic, DomainPart, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, d) in cx.schema.domains.iter().enumerate() {
        report_duplicates(
            d.checks.iter().enumerate().map(|(c, x)| (&x.name, c)),
            |c, _| {
                out.push(
                    Diagnostic::new(
                        Rule::DuplicateConstraint,
                        Location::Domain {
                            domain: i,
                            part: DomainPart::CheckName(c),
                        },
                        format!(
                            "domain `{}` has two checks named `{}`",
                            qualified(&d.name),
                            d.checks[c].name
                        ),
                    )
                    .help("rename the second check"),
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
    fn reports_the_second_check_of_a_name() {
        let s = Schema::builder()
            .domain(
                DomainDef::new("year", ty("integer"))
                    .named_check("year_range", "VALUE > 1900")
                    .check("VALUE < 3000")
                    .named_check("year_range", "VALUE < 2200"),
            )
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            ["domain `year` has two checks named `year_range`"]
        );
    }
}
