//! Rules `partition-parent-missing`, `partition-parent-not-partitioned`: a partition's parent
//! must be a declared table with a `partition by` (PostgreSQL: "relation does not exist",
//! "table is not partitioned"), and following parents must end at a table that is not itself
//! a partition.

use std::collections::BTreeSet;

use crate::check::context::Context;
use crate::check::message::{did_you_mean, qualified};
use crate::check::{Diagnostic, Location, Rule, RuleCheck, TablePart};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        let Some(of) = &table.partition_of else {
            continue;
        };
        let at = Location::Table {
            table: t,
            part: TablePart::PartitionParent,
        };
        let Some(parent) = cx.table(&of.parent) else {
            let partitioned = cx
                .schema
                .tables
                .iter()
                .filter(|p| p.partition_by.is_some() && p.name.schema == of.parent.schema)
                .map(|p| p.name.name.as_str());
            let help = did_you_mean(&of.parent.name, partitioned).unwrap_or_else(|| {
                format!(
                    "declare the partitioned table: `table {} partition by range (...) {{ ... }}`",
                    qualified(&of.parent)
                )
            });
            out.push(
                Diagnostic::new(
                    Rule::PartitionParentMissing,
                    at,
                    format!(
                        "table `{}` is a partition of `{}`, which is not a declared table",
                        qualified(&table.name),
                        qualified(&of.parent)
                    ),
                )
                .help(help),
            );
            continue;
        };
        if parent.partition_by.is_none() {
            out.push(
                Diagnostic::new(
                    Rule::PartitionParentNotPartitioned,
                    at,
                    format!(
                        "table `{}` is a partition of `{}`, which is not partitioned",
                        qualified(&table.name),
                        qualified(&of.parent)
                    ),
                )
                .help(format!(
                    "declare how `{}` is partitioned: `table {} partition by range | list | hash (...) {{ ... }}`",
                    qualified(&of.parent),
                    qualified(&of.parent)
                )),
            );
            continue;
        }
        // Up the tree: it must reach a table that is no partition.
        let mut seen = BTreeSet::from([&table.name]);
        let mut at_table = parent;
        while let Some(up) = &at_table.partition_of {
            if !seen.insert(&at_table.name) {
                out.push(
                    Diagnostic::new(
                        Rule::PartitionParentMissing,
                        at,
                        format!(
                            "table `{}` is in a cycle of partitions: following `partition of` from it comes back to `{}`",
                            qualified(&table.name),
                            qualified(&at_table.name)
                        ),
                    )
                    .help("the top of a partition tree is a table that is no partition: remove one `partition of`"),
                );
                break;
            }
            match cx.table(&up.parent) {
                Some(next) => at_table = next,
                None => break, // reported at that partition
            }
        }
    }
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[
        Rule::PartitionParentMissing,
        Rule::PartitionParentNotPartitioned,
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
    fn parents_exist_and_are_partitioned() {
        let s = Schema::builder()
            .table(
                TableDef::new("events")
                    .column(ColumnDef::new("at", ty("date")))
                    .partition_by(PartitionKey::range(["at"])),
            )
            .table(TableDef::new("plain").column(ColumnDef::new("at", ty("date"))))
            .table(TableDef::new("a").partition_of("event", PartitionBound::Default))
            .table(TableDef::new("b").partition_of("plain", PartitionBound::Default))
            .table(TableDef::new("c").partition_of("events", PartitionBound::Default))
            .build();
        let found = run(&CHECK, &s);
        let codes: Vec<_> = found.iter().map(|d| d.code.code()).collect();
        assert_eq!(
            codes,
            [
                "partition-parent-missing",
                "partition-parent-not-partitioned"
            ]
        );
        assert_eq!(found[0].help.as_deref(), Some("did you mean `events`?"));
        assert_eq!(
            found[1].message,
            "table `b` is a partition of `plain`, which is not partitioned"
        );
    }

    #[test]
    fn a_cycle_of_partitions_has_no_root() {
        let key = || PartitionKey::list("x");
        let s = Schema::builder()
            .table(
                TableDef::new("a")
                    .partition_of("b", PartitionBound::Default)
                    .partition_by(key()),
            )
            .table(
                TableDef::new("b")
                    .partition_of("a", PartitionBound::Default)
                    .partition_by(key()),
            )
            .build();
        assert_eq!(
            rule_codes(&CHECK, &s),
            ["partition-parent-missing", "partition-parent-missing"]
        );
    }
}
