//! Rules `partition-key-invalid`, `partition-key-column-missing`: a partition key lists at
//! least one column or expression (exactly one for `list`, PostgreSQL: "cannot use \"list\"
//! partition strategy with more than one column"), each expression parses, and every column
//! it names is a column of the table.

use crate::check::context::Context;
use crate::check::message::{did_you_mean, missing_references, qualified};
use crate::check::{Diagnostic, Location, Rule, RuleCheck, TablePart};
use crate::expr;
use crate::model::{IndexTarget, PartitionStrategy, Table};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        let Some(key) = &table.partition_by else {
            continue;
        };
        let at = |i| Location::Table {
            table: t,
            part: TablePart::PartitionKey(i),
        };
        let name = qualified(&table.name);
        if key.elements.is_empty() {
            out.push(
                Diagnostic::new(
                    Rule::PartitionKeyInvalid,
                    at(0),
                    format!("the partition key of table `{name}` is empty"),
                )
                .help("partition by at least one column: `partition by range (created_at)`"),
            );
            continue;
        }
        if key.strategy == PartitionStrategy::List && key.elements.len() > 1 {
            out.push(
                Diagnostic::new(
                    Rule::PartitionKeyInvalid,
                    at(1),
                    format!(
                        "table `{name}` is partitioned by list over {} keys, but list partitioning takes one",
                        key.elements.len()
                    ),
                )
                .help("partition by list over one column or expression, or by range or hash over several"),
            );
        }
        for (i, element) in key.elements.iter().enumerate() {
            match &element.target {
                IndexTarget::Column(column) => {
                    if table.column(column).is_none() {
                        out.push(key_column_missing(table, column, at(i)));
                    }
                }
                IndexTarget::Expression(sql) => match expr::parse_expr(sql) {
                    Ok(parsed) => {
                        for column in missing_references(table, &parsed, &[]) {
                            out.push(key_column_missing(table, &column, at(i)).subject(column));
                        }
                    }
                    Err(e) => out.push(
                        Diagnostic::new(
                            Rule::PartitionKeyInvalid,
                            at(i),
                            format!(
                                "an expression of the partition key of table `{name}` does not parse: {e}"
                            ),
                        )
                        .help("write the expression as PostgreSQL takes it, e.g. `\"lower(email)\"`"),
                    ),
                },
            }
        }
    }
}

fn key_column_missing(table: &Table, column: &str, at: Location) -> Diagnostic {
    let name = qualified(&table.name);
    let help = did_you_mean(column, table.columns.iter().map(|c| c.name.as_str()))
        .unwrap_or_else(|| format!("partition `{name}` by one of its own columns"));
    Diagnostic::new(
        Rule::PartitionKeyColumnMissing,
        at,
        format!(
            "the partition key of table `{name}` names column `{column}`, which it does not have"
        ),
    )
    .help(help)
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::PartitionKeyInvalid, Rule::PartitionKeyColumnMissing],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::model::*;

    fn events(key: PartitionKey) -> Schema {
        Schema::builder()
            .table(
                TableDef::new("events")
                    .column(ColumnDef::new("at", ty("date")))
                    .column(ColumnDef::new("kind", ty("text")))
                    .partition_by(key),
            )
            .build()
    }

    #[test]
    fn key_columns_must_exist() {
        let found = run(
            &CHECK,
            &events(PartitionKey::range(["att"]).expression("lower(knd)")),
        );
        let codes: Vec<_> = found.iter().map(|d| d.code.code()).collect();
        assert_eq!(
            codes,
            [
                "partition-key-column-missing",
                "partition-key-column-missing"
            ]
        );
        assert_eq!(found[0].help.as_deref(), Some("did you mean `at`?"));
        assert_eq!(found[1].subject.as_deref(), Some("knd"));
    }

    #[test]
    fn list_takes_one_key_and_expressions_parse() {
        let found = rule_codes(
            &CHECK,
            &events(PartitionKey::list("kind").element(PartitionKeyElement::column("at"))),
        );
        assert_eq!(found, ["partition-key-invalid"]);
        let found = rule_codes(
            &CHECK,
            &events(PartitionKey::hash(["at"]).expression("kind +")),
        );
        assert_eq!(found, ["partition-key-invalid"]);
        let empty = PartitionKey::range(Vec::<String>::new());
        assert_eq!(
            rule_codes(&CHECK, &events(empty)),
            ["partition-key-invalid"]
        );
        assert!(rule_codes(&CHECK, &events(PartitionKey::range(["at"]))).is_empty());
    }
}
