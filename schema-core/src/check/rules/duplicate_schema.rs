//! Rule `duplicate-schema`: `CREATE SCHEMA` of an existing schema fails.

use crate::check::context::Context;
use crate::check::rules::report_duplicates;
use crate::check::{Diagnostic, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    report_duplicates(
        cx.schema
            .schemas
            .iter()
            .enumerate()
            .map(|(i, s)| (&s.name, i)),
        |i, _| {
            let name = &cx.schema.schemas[i].name;
            out.push(
                Diagnostic::new(
                    Rule::DuplicateSchema,
                    Location::Namespace { namespace: i },
                    format!("schema `{name}` is declared twice"),
                )
                .help("remove the second declaration"),
            );
        },
    );
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicateSchema],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::check::test_support::*;
    use crate::check::*;
    use crate::model::*;

    #[test]
    fn reports_the_second_declaration() {
        let s = Schema::builder().schema("audit").schema("audit").build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "schema `audit` is declared twice");
        assert_eq!(found[0].location, Location::Namespace { namespace: 1 });
    }
}
