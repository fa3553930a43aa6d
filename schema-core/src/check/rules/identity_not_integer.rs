//! Rule `identity-not-integer`: identity columns draw from an integer sequence: PostgreSQL rejects
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

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn identity_columns_are_integers() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("a", ty("text")).identity(Identity::Always))
                    .column(ColumnDef::new("b", ty("bigint")).identity(Identity::ByDefault))
                    .column(ColumnDef::new("c", ty("bigserial")).identity(Identity::Always)),
            )
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].message,
            "identity column `a` has type `text`, but identity columns must be integers"
        );
        assert!(found[1]
            .help
            .as_deref()
            .is_some_and(|h| h.starts_with("a serial column already has a sequence default")));
    }
}
