//! Rule `unlogged-invalid`: PostgreSQL refuses an unlogged partitioned table (each partition
//! is logged or not on its own), and a foreign key from a permanent table to an unlogged one
//! (after a crash the unlogged table is empty, and the key would point at nothing).

use crate::check::context::Context;
use crate::check::{ConstraintPart, Diagnostic, Location, Rule, RuleCheck, TablePart};
use crate::model::ConstraintKind;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        if table.unlogged && table.is_partitioned() {
            out.push(
                Diagnostic::new(
                    Rule::UnloggedInvalid,
                    Location::Table {
                        table: t,
                        part: TablePart::Unlogged,
                    },
                    format!(
                        "partitioned table `{}` cannot be unlogged: it holds no rows of its own",
                        table.name.name
                    ),
                )
                .help(
                    "remove `unlogged`, and declare the partitions that should be `unlogged table`",
                ),
            );
        }
        if table.unlogged {
            continue;
        }
        for (c, con) in table.constraints.iter().enumerate() {
            let ConstraintKind::ForeignKey { ref_table, .. } = &con.kind else {
                continue;
            };
            if cx.table(ref_table).is_some_and(|r| r.unlogged) {
                out.push(
                    Diagnostic::new(
                        Rule::UnloggedInvalid,
                        Location::Constraint {
                            table: t,
                            constraint: c,
                            part: ConstraintPart::RefTable,
                        },
                        format!(
                            "foreign key `{}` of permanent table `{}` references unlogged table `{}`, which PostgreSQL refuses",
                            con.name, table.name.name, ref_table.name
                        ),
                    )
                    .help(format!(
                        "make `{}` unlogged too, or `{}` a permanent table",
                        table.name.name, ref_table.name
                    )),
                );
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::UnloggedInvalid],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::model::*;

    #[test]
    fn partitioned_unlogged_and_permanent_to_unlogged_keys() {
        let s = Schema::builder()
            .table(
                TableDef::new("cache")
                    .unlogged()
                    .column(ColumnDef::new("id", ty("bigint")).primary_key()),
            )
            .table(
                TableDef::new("logged")
                    .column(ColumnDef::new("cache_id", ty("bigint")).references("cache")),
            )
            .table(
                TableDef::new("scratch")
                    .unlogged()
                    .column(ColumnDef::new("cache_id", ty("bigint")).references("cache")),
            )
            .table(
                TableDef::new("parts")
                    .unlogged()
                    .column(ColumnDef::new("n", ty("int")))
                    .partition_by(PartitionKey::new(PartitionStrategy::Range, ["n"])),
            )
            .build();
        let found = run(&CHECK, &s);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "foreign key `logged_cache_id_fkey` of permanent table `logged` references unlogged table `cache`, which PostgreSQL refuses",
                "partitioned table `parts` cannot be unlogged: it holds no rows of its own",
            ]
        );
    }
}
