//! Rule `sequence-owner-missing`: `OWNED BY table.column` needs that column; PostgreSQL rejects the
//! sequence otherwise.

use crate::check::context::Context;
use crate::check::message::{column_list, did_you_mean, qualified};
use crate::check::{Diagnostic, Location, Rule, RuleCheck, SequencePart};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, seq) in cx.schema.sequences.iter().enumerate() {
        let Some((table, column)) = &seq.owned_by else {
            continue;
        };
        let location = Location::Sequence {
            sequence: i,
            part: SequencePart::OwnedBy,
        };
        match cx.table(table) {
            None => out.push(
                Diagnostic::new(
                    Rule::SequenceOwnerMissing,
                    location,
                    format!(
                        "sequence `{}` is owned by table `{}`, which is not declared",
                        qualified(&seq.name),
                        qualified(table)
                    ),
                )
                .help(
                    did_you_mean(
                        &table.name,
                        cx.schema.tables.iter().map(|t| t.name.name.as_str()),
                    )
                    .unwrap_or_else(|| "name a declared table: `owned by orders.id`".to_string()),
                ),
            ),
            Some(t) if t.column(column).is_none() => out.push(
                Diagnostic::new(
                    Rule::SequenceOwnerMissing,
                    location,
                    format!(
                        "sequence `{}` is owned by column `{}.{column}`, which does not exist",
                        qualified(&seq.name),
                        qualified(table)
                    ),
                )
                .help(
                    did_you_mean(column, t.columns.iter().map(|c| c.name.as_str())).unwrap_or_else(
                        || {
                            format!(
                                "the columns of `{}` are: {}",
                                qualified(table),
                                column_list(t)
                            )
                        },
                    ),
                ),
            ),
            Some(_) => {}
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::SequenceOwnerMissing],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn the_owner_must_exist() {
        let s = Schema::builder()
            .sequence(Sequence::new("a").owned_by("orders", "id"))
            .sequence(Sequence::new("b").owned_by("users", "idd"))
            .sequence(Sequence::new("c").owned_by("users", "id"))
            .table(TableDef::new("users").column(ColumnDef::new("id", ty("int"))))
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].message,
            "sequence `a` is owned by table `orders`, which is not declared"
        );
        assert_eq!(
            found[1].message,
            "sequence `b` is owned by column `users.idd`, which does not exist"
        );
        assert_eq!(found[1].help.as_deref(), Some("did you mean `id`?"));
    }
}
