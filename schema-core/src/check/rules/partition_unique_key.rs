//! Rule `partition-unique-key`: PostgreSQL enforces a primary key, unique constraint or unique
//! index of a partitioned table partition by partition, so it must contain every column of
//! the partition key, and a key partitioned by an expression takes none ("unique constraint
//! on partitioned table must include all partitioning columns"). A partition that is itself
//! partitioned inherits its parents' keys, which must then contain its own key columns too.

use std::collections::BTreeSet;

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::{ConstraintPart, Diagnostic, IndexPart, Location, Rule, RuleCheck, TablePart};
use crate::model::{ConstraintKind, IndexTarget, PartitionKey, Table};

/// A unique key of a table: its description and the columns it covers (`None` when an
/// expression is part of it: then it covers no partition column for sure).
struct UniqueKey {
    what: String,
    columns: Option<BTreeSet<String>>,
}

/// The unique keys of `table` (the `t`th table), each with where it is declared.
fn unique_keys(table: &Table, t: usize) -> Vec<(UniqueKey, Location)> {
    let constraints = table.constraints.iter().enumerate().filter_map(|(c, con)| {
        let is_key = matches!(
            con.kind,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
        );
        is_key.then(|| {
            (
                UniqueKey {
                    what: format!("{} constraint `{}`", con.kind.label(), con.name),
                    columns: Some(con.kind.columns().iter().cloned().collect()),
                },
                Location::Constraint {
                    table: t,
                    constraint: c,
                    part: ConstraintPart::Kind,
                },
            )
        })
    });
    let indexes = table
        .indexes
        .iter()
        .enumerate()
        .filter(|(_, i)| i.unique)
        .map(|(i, index)| {
            (
                UniqueKey {
                    what: format!("unique index `{}`", index.name),
                    columns: index
                        .elements
                        .iter()
                        .map(|e| match &e.target {
                            IndexTarget::Column(c) => Some(c.clone()),
                            IndexTarget::Expression(_) => None,
                        })
                        .collect(),
                },
                Location::Index {
                    table: t,
                    index: i,
                    part: IndexPart::Name,
                },
            )
        });
    constraints.chain(indexes).collect()
}

/// The first thing `key` lacks to serve as a unique key of a table partitioned by
/// `partition_key`, as a clause.
fn lacks(key: &UniqueKey, partition_key: &PartitionKey) -> Option<String> {
    if partition_key
        .elements
        .iter()
        .any(|e| matches!(e.target, IndexTarget::Expression(_)))
    {
        return Some("cannot exist, since the table is partitioned by an expression".to_string());
    }
    let covered = key.columns.clone().unwrap_or_default();
    partition_key
        .columns()
        .find(|c| !covered.contains(*c))
        .map(|c| format!("does not include partition key column `{c}`"))
}

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        let Some(partition_key) = &table.partition_by else {
            continue;
        };
        let name = qualified(&table.name);
        let help = "PostgreSQL checks uniqueness within each partition: add the partition key \
                    columns to the key, or drop the key";
        // Its own keys, pointed at where they are declared.
        let own = unique_keys(table, t);
        for (key, at) in own {
            if let Some(why) = lacks(&key, partition_key) {
                out.push(
                    Diagnostic::new(
                        Rule::PartitionUniqueKey,
                        at,
                        format!("{} of partitioned table `{name}` {why}", key.what),
                    )
                    .help(help),
                );
            }
        }
        // The keys of the tables above it, which PostgreSQL clones onto it.
        let mut seen = BTreeSet::from([&table.name]);
        let mut at_table = table;
        while let Some(up) = at_table
            .partition_of
            .as_ref()
            .and_then(|of| cx.table(&of.parent))
        {
            if !seen.insert(&up.name) {
                break;
            }
            for (key, _) in unique_keys(up, t) {
                if let Some(why) = lacks(&key, partition_key) {
                    out.push(
                        Diagnostic::new(
                            Rule::PartitionUniqueKey,
                            Location::Table {
                                table: t,
                                part: TablePart::PartitionKey(0),
                            },
                            format!(
                                "partitioned table `{name}` takes {} from `{}`, which {why}",
                                key.what,
                                qualified(&up.name)
                            ),
                        )
                        .help(help),
                    );
                }
            }
            at_table = up;
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::PartitionUniqueKey],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::model::*;

    #[test]
    fn keys_of_partitioned_tables_contain_the_partition_key() {
        let s = Schema::builder()
            .table(
                TableDef::new("payment")
                    .column(ColumnDef::new("id", ty("bigint")).primary_key())
                    .column(ColumnDef::new("at", ty("date")))
                    .column(ColumnDef::new("shop", ty("integer")))
                    .unique(["at", "id"])
                    .index(
                        IndexDef::on_columns(["id"])
                            .unique()
                            .named("payment_id_key2"),
                    )
                    .partition_by(PartitionKey::range(["at"])),
            )
            .table(
                TableDef::new("payment_2022")
                    .partition_of(
                        "payment",
                        PartitionBound::range(["'2022-01-01'"], ["'2023-01-01'"]),
                    )
                    .partition_by(PartitionKey::list("shop")),
            )
            .build();
        let found = messages(&CHECK, &s);
        assert_eq!(
            found,
            [
                "primary key constraint `payment_pkey` of partitioned table `payment` does not include partition key column `at`",
                "unique index `payment_id_key2` of partitioned table `payment` does not include partition key column `at`",
                "partitioned table `payment_2022` takes primary key constraint `payment_pkey` from `payment`, which does not include partition key column `shop`",
                "partitioned table `payment_2022` takes unique constraint `payment_at_id_key` from `payment`, which does not include partition key column `shop`",
                "partitioned table `payment_2022` takes unique index `payment_id_key2` from `payment`, which does not include partition key column `shop`",
            ]
        );
    }

    #[test]
    fn an_expression_key_takes_no_unique_key() {
        let s = Schema::builder()
            .table(
                TableDef::new("t")
                    .column(ColumnDef::new("s", ty("text")).primary_key())
                    .partition_by(PartitionKey::range(Vec::<String>::new()).expression("lower(s)")),
            )
            .build();
        assert_eq!(rule_codes(&CHECK, &s), ["partition-unique-key"]);
    }
}
