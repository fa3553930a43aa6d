//! Rule `primary-key-duplicate`: a table has at most one primary key; column-level and table-level
//! ones both count.

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::{ConstraintPart, Diagnostic, Location, Rule, RuleCheck};
use crate::model::ConstraintKind;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        let mut pks = table
            .constraints
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.kind, ConstraintKind::PrimaryKey { .. }));
        let Some((_, first)) = pks.next() else {
            continue;
        };
        for (c, _) in pks {
            out.push(
                Diagnostic::new(
                    Rule::PrimaryKeyDuplicate,
                    Location::Constraint {
                        table: t,
                        constraint: c,
                        part: ConstraintPart::Kind,
                    },
                    format!(
                        "table `{}` has a second primary key; it already has `{}` on ({})",
                        qualified(&table.name),
                        first.name,
                        first.kind.columns().join(", ")
                    ),
                )
                .help("a table has one primary key: use `primary key (a, b)` for a composite key, or `unique` for other keys"),
            );
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::PrimaryKeyDuplicate],
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
    fn one_primary_key_per_table() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("id", ty("int")).primary_key())
                    .column(ColumnDef::new("email", ty("text")))
                    .primary_key(["email"]),
            )
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "table `users` has a second primary key; it already has `users_pkey` on (id)"
        );
        assert_eq!(
            found[0].location,
            Location::Constraint {
                table: 0,
                constraint: 1,
                part: ConstraintPart::Kind
            }
        );
    }
}
