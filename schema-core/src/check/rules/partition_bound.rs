//! Rules `partition-bound-mismatch`, `partition-bound-invalid`: a partition's bound takes the
//! form its parent's strategy needs (`from .. to` for range, with one value per key element on
//! each side; `in` for list; `with (modulus, remainder)` for hash; `default` for range and
//! list only), and holds rows at all: values are constants (`minvalue` / `maxvalue` only in
//! ranges, and only followed by more of the same; no `null` in ranges), a range's lower bound
//! is below its upper one, a hash remainder is below a positive modulus. PostgreSQL refuses
//! each of these at `CREATE TABLE`.

use std::cmp::Ordering;

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::partition_values::{compare_tuples, KeyKind, Value};
use crate::check::{Diagnostic, Location, Rule, RuleCheck, TablePart};
use crate::expr;
use crate::model::{IndexTarget, PartitionBound, PartitionKey, PartitionStrategy, Table};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        let Some(of) = &table.partition_of else {
            continue;
        };
        // A missing or unpartitioned parent is reported by `partition-parent-*`.
        let Some(parent) = cx.table(&of.parent) else {
            continue;
        };
        let Some(key) = &parent.partition_by else {
            continue;
        };
        let at = Location::Table {
            table: t,
            part: TablePart::PartitionBound,
        };
        let partition = qualified(&table.name);
        let parent_name = qualified(&parent.name);
        let mismatch = |message: String, help: String| {
            Diagnostic::new(Rule::PartitionBoundMismatch, at.clone(), message).help(help)
        };
        let form_help = format!(
            "a partition of `{parent_name}` takes `{}`{}",
            key.strategy.bound_form(),
            if key.strategy == PartitionStrategy::Hash {
                ""
            } else {
                " or `default`"
            }
        );
        match (&of.bound, key.strategy) {
            (PartitionBound::Default, PartitionStrategy::Hash) => {
                out.push(mismatch(
                    format!("partition `{partition}` is the default partition of `{parent_name}`, but a table partitioned by hash has no default partition"),
                    form_help,
                ));
                continue;
            }
            (PartitionBound::Default, _) => continue,
            (bound, strategy) if bound.strategy() != Some(strategy) => {
                out.push(mismatch(
                    format!(
                        "partition `{partition}` has a {} bound, but `{parent_name}` is partitioned by {}",
                        bound.strategy().map_or("default", |s| s.sql()).to_lowercase(),
                        strategy.sql().to_lowercase()
                    ),
                    form_help,
                ));
                continue;
            }
            (PartitionBound::Range { from, to }, _) => {
                let n = key.elements.len();
                if from.len() != n || to.len() != n {
                    out.push(mismatch(
                        format!(
                            "the bound of partition `{partition}` gives {} and {} values, but the partition key of `{parent_name}` has {n} element{}",
                            from.len(),
                            to.len(),
                            if n == 1 { "" } else { "s" }
                        ),
                        format!("give one value per key element on each side: `for values from ({}) to ({})`", vec!["..";n].join(", "), vec!["..";n].join(", ")),
                    ));
                    continue;
                }
            }
            _ => {}
        }
        if let Some(problem) = invalid(&of.bound, parent, key) {
            out.push(
                Diagnostic::new(
                    Rule::PartitionBoundInvalid,
                    at,
                    format!("the bound of partition `{partition}` {}", problem.0),
                )
                .help(problem.1),
            );
        }
    }
}

/// What makes a bound of the right form hold no rows, or not load, and the help for it.
fn invalid(bound: &PartitionBound, parent: &Table, key: &PartitionKey) -> Option<(String, String)> {
    let values: Vec<&String> = match bound {
        PartitionBound::Range { from, to } => from.iter().chain(to).collect(),
        PartitionBound::List(values) => values.iter().collect(),
        PartitionBound::Hash { modulus, remainder } => {
            return if *modulus == 0 {
                Some((
                    "has modulus 0".to_string(),
                    "a hash modulus is a positive integer: `with (modulus 4, remainder 0)`"
                        .to_string(),
                ))
            } else if remainder >= modulus {
                Some((
                    format!("has remainder {remainder}, which is not below its modulus {modulus}"),
                    format!("a remainder is from 0 to {}", modulus - 1),
                ))
            } else {
                None
            };
        }
        PartitionBound::Default => return None,
    };
    let range = matches!(bound, PartitionBound::Range { .. });
    if values.is_empty() {
        return Some((
            "lists no values".to_string(),
            "list the values the partition holds: `for values in (1, 2)`".to_string(),
        ));
    }
    for value in values {
        match Value::of(value) {
            Value::Min | Value::Max if !range => {
                return Some((
                    format!("holds `{}`, which only bounds ranges", value.trim()),
                    "list the values the partition holds".to_string(),
                ))
            }
            Value::Null if range => {
                return Some((
                    "holds `null`, which a range bound cannot".to_string(),
                    "use `minvalue` or `maxvalue` for an open end; rows with a null key go to the default partition".to_string(),
                ))
            }
            Value::Other(sql) => match expr::parse_expr(&sql) {
                Err(e) => {
                    return Some((
                        format!("holds `{sql}`, which is not an SQL constant: {e}"),
                        "write values as literals: `\"text\"`, `42`, `true`, `null`".to_string(),
                    ))
                }
                Ok(parsed) if !expr::referenced_columns(&parsed).is_empty() => {
                    return Some((
                        format!("holds `{sql}`, which refers to a column"),
                        "a bound is a constant: write values as literals".to_string(),
                    ))
                }
                Ok(_) => {}
            },
            _ => {}
        }
    }
    let PartitionBound::Range { from, to } = bound else {
        return None;
    };
    let from: Vec<Value> = from.iter().map(|v| Value::of(v)).collect();
    let to: Vec<Value> = to.iter().map(|v| Value::of(v)).collect();
    for side in [&from, &to] {
        for pair in side.windows(2) {
            let after_open_end = matches!(
                (&pair[0], &pair[1]),
                (Value::Min, v) | (Value::Max, v) if *v != pair[0]
            );
            if after_open_end {
                return Some((
                    "has a value after `minvalue` or `maxvalue` that is neither".to_string(),
                    "after `minvalue` every value is `minvalue`, after `maxvalue` every value is `maxvalue`".to_string(),
                ));
            }
        }
    }
    let kinds = key_kinds(parent, key);
    if matches!(
        compare_tuples(&from, &to, &kinds),
        Some(Ordering::Equal | Ordering::Greater)
    ) {
        return Some((
            "holds no rows: its lower bound is not below its upper bound".to_string(),
            "a range partition holds `from` (included) up to `to` (excluded): make `from` the smaller".to_string(),
        ));
    }
    None
}

/// What the macro can compare in each key element of `parent`.
pub(crate) fn key_kinds(parent: &Table, key: &PartitionKey) -> Vec<KeyKind> {
    key.elements
        .iter()
        .map(|e| match &e.target {
            IndexTarget::Column(c) => KeyKind::of(parent.column(c).map(|c| &c.data_type)),
            IndexTarget::Expression(_) => KeyKind::Opaque,
        })
        .collect()
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::PartitionBoundMismatch, Rule::PartitionBoundInvalid],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::model::*;

    fn with_partition(key: PartitionKey, bound: PartitionBound) -> Schema {
        Schema::builder()
            .table(
                TableDef::new("t")
                    .column(ColumnDef::new("n", ty("integer")))
                    .column(ColumnDef::new("d", ty("date")))
                    .partition_by(key),
            )
            .table(TableDef::new("p").partition_of("t", bound))
            .build()
    }

    fn codes_of(key: PartitionKey, bound: PartitionBound) -> Vec<&'static str> {
        rule_codes(&CHECK, &with_partition(key, bound))
    }

    #[test]
    fn the_bound_form_follows_the_strategy() {
        let range = || PartitionKey::range(["n"]);
        assert_eq!(
            codes_of(range(), PartitionBound::list(["1"])),
            ["partition-bound-mismatch"]
        );
        assert_eq!(
            codes_of(range(), PartitionBound::range(["1", "2"], ["3", "4"])),
            ["partition-bound-mismatch"]
        );
        assert_eq!(
            codes_of(PartitionKey::hash(["n"]), PartitionBound::Default),
            ["partition-bound-mismatch"]
        );
        assert!(codes_of(range(), PartitionBound::Default).is_empty());
        assert!(codes_of(range(), PartitionBound::range(["1"], ["MAXVALUE"])).is_empty());
        let found = run(&CHECK, &with_partition(range(), PartitionBound::hash(2, 0)));
        assert_eq!(
            found[0].message,
            "partition `p` has a hash bound, but `t` is partitioned by range"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some("a partition of `t` takes `for values from (..) to (..)` or `default`")
        );
    }

    #[test]
    fn bounds_must_hold_rows() {
        let range = |c: &str| PartitionKey::range([c]);
        let invalid = ["partition-bound-invalid"];
        assert_eq!(
            codes_of(range("n"), PartitionBound::range(["10"], ["'-5'"])),
            invalid
        );
        assert_eq!(
            codes_of(range("n"), PartitionBound::range(["1"], ["1"])),
            invalid
        );
        assert_eq!(
            codes_of(
                range("d"),
                PartitionBound::range(["'2022-02-01'"], ["'2022-01-01'"])
            ),
            invalid
        );
        assert_eq!(
            codes_of(range("n"), PartitionBound::range(["NULL"], ["1"])),
            invalid
        );
        assert_eq!(
            codes_of(range("n"), PartitionBound::range(["n"], ["1"])),
            invalid
        );
        assert_eq!(
            codes_of(range("n"), PartitionBound::range(["1 +"], ["1"])),
            invalid
        );
        assert_eq!(
            codes_of(PartitionKey::list("n"), PartitionBound::list(["MINVALUE"])),
            invalid
        );
        assert_eq!(
            codes_of(PartitionKey::hash(["n"]), PartitionBound::hash(2, 2)),
            invalid
        );
        assert_eq!(
            codes_of(PartitionKey::hash(["n"]), PartitionBound::hash(0, 0)),
            invalid
        );
        assert_eq!(
            codes_of(
                PartitionKey::range(["n", "d"]),
                PartitionBound::range(["MINVALUE", "'2022-01-01'"], ["1", "MAXVALUE"])
            ),
            invalid
        );
        // An expression key cannot be compared without the server: no finding.
        let expression = PartitionKey::range(Vec::<String>::new()).expression("n + 1");
        assert!(codes_of(expression, PartitionBound::range(["10"], ["1"])).is_empty());
        assert!(codes_of(range("n"), PartitionBound::range(["1"], ["2"])).is_empty());
    }
}
