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

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::check::*;
    use crate::model::*;

    #[test]
    fn only_unique_indexes_take_nulls_not_distinct() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("email", ty("text")))
                    .index(
                        IndexDef::on_columns(["email"])
                            .named("a")
                            .nulls_not_distinct(),
                    )
                    .index(
                        IndexDef::on_columns(["email"])
                            .named("b")
                            .unique()
                            .nulls_not_distinct(),
                    ),
            )
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].location,
            Location::Index {
                table: 0,
                index: 0,
                part: IndexPart::NullsNotDistinct
            }
        );
    }
}
