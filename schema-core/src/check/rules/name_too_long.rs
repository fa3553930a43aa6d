//! Rule `name-too-long`: PostgreSQL silently truncates identifiers to 63 bytes, so the live object
//! would be called something else than the declaration and never match it (and two long names may
//! collide). Enum labels have the same limit but are rejected instead of truncated.

use crate::check::context::{declared_names, Context};
use crate::check::{Diagnostic, EnumPart, Location, Rule, RuleCheck};
use crate::ident::{self, MAX_IDENTIFIER_BYTES};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (name, location) in declared_names(cx.schema) {
        if ident::too_long(name) {
            let is_label = matches!(
                location,
                Location::Enum {
                    part: EnumPart::Label(_),
                    ..
                }
            );
            let what = if is_label {
                "PostgreSQL rejects enum labels"
            } else {
                "PostgreSQL would silently truncate it, so the database would never match"
            };
            out.push(
                Diagnostic::new(
                    Rule::NameTooLong,
                    location,
                    format!(
                        "`{name}` is {} bytes long, over the limit of {MAX_IDENTIFIER_BYTES}: {what}",
                        name.len()
                    ),
                )
                .help(format!(
                    "shorten the name to at most {MAX_IDENTIFIER_BYTES} bytes"
                )),
            );
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::NameTooLong],
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
    fn rejects_names_over_63_bytes() {
        let long = "x".repeat(64);
        let s = Schema::builder()
            .enum_type("mood", [long.as_str()])
            .table(TableDef::new(long.as_str()).column(ColumnDef::new("y".repeat(63), ty("text"))))
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 2);
        assert!(found[0].message.ends_with("PostgreSQL rejects enum labels"));
        assert!(found[1].message.contains("silently truncate"));
        assert_eq!(
            found[1].location,
            Location::Table {
                table: 0,
                part: TablePart::Name
            }
        );
    }
}
