//! Rule `duplicate-extension`: an extension is installed once per database.

use crate::check::context::Context;
use crate::check::rules::report_duplicates;
use crate::check::{Diagnostic, ExtensionPart, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    report_duplicates(
        cx.schema
            .extensions
            .iter()
            .enumerate()
            .map(|(i, e)| (&e.name, i)),
        |i, _| {
            out.push(
                Diagnostic::new(
                    Rule::DuplicateExtension,
                    Location::Extension {
                        extension: i,
                        part: ExtensionPart::Name,
                    },
                    format!(
                        "extension `{}` is declared twice",
                        cx.schema.extensions[i].name
                    ),
                )
                .help("remove the second declaration"),
            );
        },
    );
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicateExtension],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn reports_the_second_declaration() {
        let s = Schema::builder()
            .extension("pgcrypto")
            .extension("citext")
            .extension("pgcrypto")
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            ["extension `pgcrypto` is declared twice"]
        );
    }
}
