//! Rules `identity-with-default`, `generated-with-default`, `generated-with-identity`,
//! `serial-with-default`: a column's value comes from at most one of a default, an identity, a
//! generation expression or a serial sequence; PostgreSQL rejects any two together ("both default
//! and identity specified").

use crate::check::context::Context;
use crate::check::{ColumnPart, Diagnostic, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            let at = |part| Location::Column {
                table: t,
                column: c,
                part,
            };
            let serial = column.data_type.serial_base().is_some();
            let name = &column.name;
            if column.identity.is_some() && column.default.is_some() {
                out.push(
                    Diagnostic::new(
                        Rule::IdentityWithDefault,
                        at(ColumnPart::Default),
                        format!("column `{name}` has both an identity and a default: PostgreSQL rejects it"),
                    )
                    .help("an identity column takes its values from its sequence: remove the `default`"),
                );
            }
            if column.generated.is_some() && column.default.is_some() {
                out.push(
                    Diagnostic::new(
                        Rule::GeneratedWithDefault,
                        at(ColumnPart::Default),
                        format!(
                            "generated column `{name}` also has a default: PostgreSQL rejects it"
                        ),
                    )
                    .help("a generated column's value is its expression: remove the `default`"),
                );
            }
            if column.generated.is_some() && column.identity.is_some() {
                out.push(
                    Diagnostic::new(
                        Rule::GeneratedWithIdentity,
                        at(ColumnPart::Identity),
                        format!("column `{name}` is both generated and an identity: PostgreSQL rejects it"),
                    )
                    .help("keep one of the two"),
                );
            }
            if serial && (column.default.is_some() || column.generated.is_some()) {
                let part = if column.default.is_some() {
                    ColumnPart::Default
                } else {
                    ColumnPart::Generated
                };
                out.push(
                    Diagnostic::new(
                        Rule::SerialWithDefault,
                        at(part),
                        format!(
                            "serial column `{name}` already defaults to its sequence: a second value source is rejected"
                        ),
                    )
                    .help("use `integer` or `bigint` with the default, or remove it"),
                );
            }
        }
    }
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[
        Rule::IdentityWithDefault,
        Rule::GeneratedWithDefault,
        Rule::GeneratedWithIdentity,
        Rule::SerialWithDefault,
    ],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn one_value_source_per_column() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(
                        ColumnDef::new("a", ty("int"))
                            .identity(Identity::Always)
                            .default_sql("1")
                            .generated_stored("2"),
                    )
                    .column(ColumnDef::new("b", ty("serial")).default_sql("1"))
                    .column(ColumnDef::new("c", ty("int")).default_sql("1")),
            )
            .build();
        assert_eq!(
            rule_codes(&CHECK, &s),
            [
                "identity-with-default",
                "generated-with-default",
                "generated-with-identity",
                "serial-with-default"
            ]
        );
    }
}
