//! Rule `name-invalid`: PostgreSQL rejects a zero-length name (`""`) and cannot store a NUL byte in
//! one.

use crate::check::context::{declared_names, Context};
use crate::check::{Diagnostic, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (name, location) in declared_names(cx.schema) {
        if name.is_empty() {
            out.push(
                Diagnostic::new(Rule::NameInvalid, location, "a name cannot be empty")
                    .help("PostgreSQL rejects zero-length identifiers; give it a name"),
            );
        } else if name.contains('\0') {
            out.push(
                Diagnostic::new(
                    Rule::NameInvalid,
                    location,
                    "a name cannot contain a NUL character",
                )
                .help("remove the `\\0` from the name"),
            );
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::NameInvalid],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn rejects_empty_names_and_nul_bytes() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("", ty("text")))
                    .column(ColumnDef::new("a\0b", ty("text")))
                    .column(ColumnDef::new("email", ty("text"))),
            )
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            [
                "a name cannot be empty",
                "a name cannot contain a NUL character"
            ]
        );
    }
}
