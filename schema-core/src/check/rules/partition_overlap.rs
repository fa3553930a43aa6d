//! Rule `partition-bound-overlap`: no two partitions of one table may hold the same row
//! (PostgreSQL: "partition would overlap partition"), where the macro can tell: list values
//! that are equal, range bounds whose order it knows (see
//! [`partition_values`](crate::check::partition_values)), hash partitions whose remainders
//! meet, a second default partition. Hash moduli must also divide one another (PostgreSQL:
//! "every hash partition modulus must be a factor of the next larger modulus").

use std::cmp::Ordering;

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::partition_values::{compare, compare_tuples, KeyKind, Value};
use crate::check::rules::partition_bound::key_kinds;
use crate::check::{Diagnostic, Location, Rule, RuleCheck, TablePart};
use crate::model::{PartitionBound, Table};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for parent in &cx.schema.tables {
        let Some(key) = &parent.partition_by else {
            continue;
        };
        // Only partitions whose bound has the parent's form (the others are reported).
        let partitions: Vec<(usize, &Table, &PartitionBound)> = cx
            .schema
            .tables
            .iter()
            .enumerate()
            .filter_map(|(t, table)| {
                let of = table.partition_of.as_ref()?;
                let same_parent = cx
                    .table(&of.parent)
                    .is_some_and(|p| std::ptr::eq(p, parent));
                let fits = match &of.bound {
                    PartitionBound::Default => true,
                    PartitionBound::Range { from, to } => {
                        from.len() == key.elements.len() && to.len() == key.elements.len()
                    }
                    bound => bound.strategy() == Some(key.strategy),
                };
                (same_parent && fits).then_some((t, table, &of.bound))
            })
            .collect();
        let kinds = key_kinds(parent, key);
        for (j, &(t, table, bound)) in partitions.iter().enumerate() {
            let earlier = partitions[..j].iter().find_map(|&(_, other, other_bound)| {
                conflict(other_bound, bound, &kinds).map(|why| (other, why))
            });
            if let Some((other, why)) = earlier {
                out.push(
                    Diagnostic::new(
                        Rule::PartitionBoundOverlap,
                        Location::Table {
                            table: t,
                            part: TablePart::PartitionBound,
                        },
                        format!(
                            "partition `{}` of `{}` {why} partition `{}`",
                            qualified(&table.name),
                            qualified(&parent.name),
                            qualified(&other.name)
                        ),
                    )
                    .help(match bound {
                        PartitionBound::Range { .. } => {
                            "make the ranges disjoint: a range holds `from` (included) up to `to` (excluded), so one may start where the other ends"
                        }
                        PartitionBound::Hash { .. } => {
                            "give each partition its own remainder, with moduli that divide one another (e.g. all 4, or 4 and 8)"
                        }
                        PartitionBound::Default => "keep one default partition",
                        PartitionBound::List(_) => "list each value in one partition only",
                    }),
                );
            }
        }
    }
}

/// Why `later` cannot sit beside `earlier`, as a clause: "overlaps", "holds `1`, as does".
fn conflict(earlier: &PartitionBound, later: &PartitionBound, kinds: &[KeyKind]) -> Option<String> {
    match (earlier, later) {
        (PartitionBound::Default, PartitionBound::Default) => {
            Some("is a second default partition, beside".to_string())
        }
        (PartitionBound::List(a), PartitionBound::List(b)) => {
            let kind = kinds.first().copied().unwrap_or(KeyKind::Opaque);
            b.iter().find_map(|x| {
                a.iter()
                    .any(|y| compare(&Value::of(x), &Value::of(y), kind) == Some(Ordering::Equal))
                    .then(|| format!("holds `{}`, as does", x.trim()))
            })
        }
        (
            PartitionBound::Range { from: af, to: at },
            PartitionBound::Range { from: bf, to: bt },
        ) => {
            let values = |vs: &[String]| vs.iter().map(|v| Value::of(v)).collect::<Vec<_>>();
            let (af, at, bf, bt) = (values(af), values(at), values(bf), values(bt));
            // [af, at) and [bf, bt) meet when each starts below the other's end.
            let a_first = compare_tuples(&af, &bt, kinds)? == Ordering::Less;
            let b_first = compare_tuples(&bf, &at, kinds)? == Ordering::Less;
            (a_first && b_first).then(|| "has a range that overlaps that of".to_string())
        }
        (
            PartitionBound::Hash {
                modulus: m1,
                remainder: r1,
            },
            PartitionBound::Hash {
                modulus: m2,
                remainder: r2,
            },
        ) => {
            let ((small_m, small_r), (large_m, large_r)) = if m1 <= m2 {
                ((*m1, *r1), (*m2, *r2))
            } else {
                ((*m2, *r2), (*m1, *r1))
            };
            if small_m == 0 {
                return None; // reported as invalid
            }
            if large_m % small_m != 0 {
                Some(format!(
                    "has modulus {m2}, which does not divide or is not divisible by modulus {m1} of"
                ))
            } else if large_r % small_m == small_r {
                Some("holds hash values that are also held by".to_string())
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::PartitionBoundOverlap],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::model::*;

    fn partitioned(key: PartitionKey, bounds: Vec<PartitionBound>) -> Schema {
        let mut builder = Schema::builder().table(
            TableDef::new("t")
                .column(ColumnDef::new("n", ty("integer")))
                .column(ColumnDef::new("at", ty("timestamptz")))
                .column(ColumnDef::new("s", ty("text")))
                .partition_by(key),
        );
        for (i, bound) in bounds.into_iter().enumerate() {
            builder =
                builder.table(TableDef::new(format!("p{i}").as_str()).partition_of("t", bound));
        }
        builder.build()
    }

    #[test]
    fn ranges_that_meet_overlap() {
        let found = messages(
            &CHECK,
            &partitioned(
                PartitionKey::range(["n"]),
                vec![
                    PartitionBound::range(["MINVALUE"], ["10"]),
                    PartitionBound::range(["10"], ["20"]),
                    PartitionBound::range(["15"], ["MAXVALUE"]),
                ],
            ),
        );
        assert_eq!(
            found,
            ["partition `p2` of `t` has a range that overlaps that of partition `p1`"]
        );
        let dates = partitioned(
            PartitionKey::range(["at"]),
            vec![
                PartitionBound::range(["'2022-01-01'"], ["'2022-02-01'"]),
                PartitionBound::range(["'2022-01-15'"], ["'2022-03-01'"]),
            ],
        );
        assert_eq!(rule_codes(&CHECK, &dates), ["partition-bound-overlap"]);
        let text = partitioned(
            PartitionKey::range(["s"]),
            vec![
                PartitionBound::range(["'a'"], ["'m'"]),
                PartitionBound::range(["'b'"], ["'z'"]),
            ],
        );
        assert!(
            rule_codes(&CHECK, &text).is_empty(),
            "text order needs the server"
        );
    }

    #[test]
    fn list_values_hash_remainders_and_defaults() {
        let list = partitioned(
            PartitionKey::list("s"),
            vec![
                PartitionBound::list(["'a'", "NULL"]),
                PartitionBound::list(["'b'"]),
                PartitionBound::list(["null"]),
                PartitionBound::Default,
                PartitionBound::Default,
            ],
        );
        assert_eq!(
            messages(&CHECK, &list),
            [
                "partition `p2` of `t` holds `null`, as does partition `p0`",
                "partition `p4` of `t` is a second default partition, beside partition `p3`"
            ]
        );
        let hash = partitioned(
            PartitionKey::hash(["n"]),
            vec![
                PartitionBound::hash(2, 0),
                PartitionBound::hash(4, 1),
                PartitionBound::hash(4, 2),
                PartitionBound::hash(3, 1),
            ],
        );
        assert_eq!(
            messages(&CHECK, &hash),
            [
                "partition `p2` of `t` holds hash values that are also held by partition `p0`",
                "partition `p3` of `t` has modulus 3, which does not divide or is not divisible by modulus 2 of partition `p0`"
            ]
        );
    }
}
