//! Rule `storage-on-partitioned`: a partitioned table stores no rows, and PostgreSQL refuses
//! storage parameters on it ("cannot specify storage parameters for a partitioned table").

use crate::check::context::Context;
use crate::check::{Diagnostic, Location, Rule, RuleCheck, TablePart};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        if table.is_partitioned() && !table.storage.is_empty() {
            out.push(
                Diagnostic::new(
                    Rule::StorageOnPartitioned,
                    Location::Table {
                        table: t,
                        part: TablePart::Name,
                    },
                    format!(
                        "partitioned table `{}` cannot have storage parameters: it holds no rows of its own",
                        table.name.name
                    ),
                )
                .help("remove `with (...)` here, and give it to each partition instead"),
            );
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::StorageOnPartitioned],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::model::*;

    #[test]
    fn only_partitions_take_storage_parameters() {
        let s = Schema::builder()
            .table(
                TableDef::new("parts")
                    .storage("fillfactor", "70")
                    .column(ColumnDef::new("n", ty("int")))
                    .partition_by(PartitionKey::new(PartitionStrategy::Range, ["n"])),
            )
            .table(
                TableDef::new("plain")
                    .storage("fillfactor", "70")
                    .column(ColumnDef::new("n", ty("int"))),
            )
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].message,
            "partitioned table `parts` cannot have storage parameters: it holds no rows of its own"
        );
    }
}
