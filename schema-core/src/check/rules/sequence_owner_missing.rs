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
