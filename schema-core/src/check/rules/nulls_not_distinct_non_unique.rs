//! Rule `nulls-not-distinct-non-unique`: `NULLS NOT DISTINCT` only means something for a unique
//! index; PostgreSQL rejects it on any other.

use crate::check::context::Context;
use crate::check::{Diagnostic, IndexPart, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (i, index) in table.indexes.iter().enumerate() {
            if index.nulls_not_distinct && !index.unique {
                out.push(
                    Diagnostic::new(
                        Rule::NullsNotDistinctNonUnique,
                        Location::Index {
                            table: t,
                            index: i,
                            part: IndexPart::NullsNotDistinct,
                        },
                        format!(
                            "index `{}` is not unique, so `nulls not distinct` means nothing and PostgreSQL rejects it",
                            index.name
                        ),
                    )
                    .help("write `unique index`, or remove `nulls not distinct`"),
                );
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::NullsNotDistinctNonUnique],
    run: check,
};
