//! Rule `identity-not-integer`: Identity columns draw from an integer sequence: PostgreSQL rejects
//! `generated ... as identity` on any other type.

use crate::check::context::Context;
use crate::check::{ColumnPart, Diagnostic, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            if column.identity.is_some() && !column.data_type.is_integer() {
                let help = if column.data_type.serial_base().is_some() {
                    "a serial column already has a sequence default: use `integer` or `bigint` with the identity, or drop the identity".to_string()
                } else {
                    "use `smallint`, `integer` or `bigint`, or remove the identity".to_string()
                };
                out.push(
                    Diagnostic::new(
                        Rule::IdentityNotInteger,
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Identity,
                        },
                        format!(
                            "identity column `{}` has type `{}`, but identity columns must be integers",
                            column.name, column.data_type
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::IdentityNotInteger],
    run: check,
};
