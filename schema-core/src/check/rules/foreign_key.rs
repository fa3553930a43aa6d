//! Rules `fk-target-missing`, `fk-target-no-primary-key`, `fk-target-column-missing`,
//! `fk-column-count`, `fk-type-mismatch`, `fk-target-not-unique`: a foreign key needs its target
//! table and columns to exist, as many columns on both sides, types an equality operator can
//! compare, and a primary key or unique constraint (or a unique index without predicate or
//! expressions) on exactly the target columns.

use std::collections::BTreeSet;

use crate::check::context::Context;
use crate::check::message::{column_list, did_you_mean, qualified};
use crate::check::{ConstraintPart, Diagnostic, Location, Rule, RuleCheck};
use crate::model::{ConstraintKind, IndexTarget, Table};
use crate::types::DataType;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    for (t, table) in s.tables.iter().enumerate() {
        for (c, con) in table.constraints.iter().enumerate() {
            let ConstraintKind::ForeignKey {
                columns,
                ref_table,
                ref_columns,
                ..
            } = &con.kind
            else {
                continue;
            };
            let at = |part| Location::Constraint {
                table: t,
                constraint: c,
                part,
            };
            let Some(target) = cx.table(ref_table) else {
                let help = did_you_mean(
                    &qualified(ref_table),
                    s.tables.iter().map(|t| t.name.name.as_str()),
                )
                .unwrap_or_else(|| format!("declare table `{}`", qualified(ref_table)));
                out.push(
                    Diagnostic::new(
                        Rule::FkTargetMissing,
                        at(ConstraintPart::RefTable),
                        format!(
                            "foreign key `{}` references table `{}`, which is not declared",
                            con.name,
                            qualified(ref_table)
                        ),
                    )
                    .help(help),
                );
                continue;
            };
            if ref_columns.is_empty() {
                out.push(
                    Diagnostic::new(
                        Rule::FkTargetNoPrimaryKey,
                        at(ConstraintPart::RefTable),
                        format!(
                            "foreign key `{}` references table `{}` without naming columns, but `{}` has no primary key",
                            con.name,
                            qualified(ref_table),
                            qualified(ref_table)
                        ),
                    )
                    .help("name the referenced columns: `references T (col)`, or give the target a primary key"),
                );
                continue;
            }
            let mut all_found = true;
            for (i, name) in ref_columns.iter().enumerate() {
                if target.column(name).is_none() {
                    all_found = false;
                    let help = did_you_mean(name, target.columns.iter().map(|c| c.name.as_str()))
                        .unwrap_or_else(|| {
                            format!(
                                "the columns of `{}` are: {}",
                                qualified(ref_table),
                                column_list(target)
                            )
                        });
                    out.push(
                        Diagnostic::new(
                            Rule::FkTargetColumnMissing,
                            at(ConstraintPart::RefColumn(i)),
                            format!(
                                "foreign key `{}` references column `{name}`, which table `{}` does not have",
                                con.name,
                                qualified(ref_table)
                            ),
                        )
                        .help(help),
                    );
                }
            }
            if columns.len() != ref_columns.len() {
                out.push(
                    Diagnostic::new(
                        Rule::FkColumnCount,
                        at(ConstraintPart::RefColumns),
                        format!(
                            "foreign key `{}` has {} column(s) but references {} column(s) of `{}`",
                            con.name,
                            columns.len(),
                            ref_columns.len(),
                            qualified(ref_table)
                        ),
                    )
                    .help("list as many referenced columns as referencing ones, in matching order"),
                );
                continue;
            }
            if !all_found {
                continue;
            }
            for (i, (from, to)) in columns.iter().zip(ref_columns).enumerate() {
                let (Some(from_col), Some(to_col)) = (table.column(from), target.column(to)) else {
                    continue;
                };
                // A domain compares as its base type.
                let (from_ty, to_ty) = (
                    cx.schema.base_type(&from_col.data_type),
                    cx.schema.base_type(&to_col.data_type),
                );
                if !fk_types_compatible(&from_ty, &to_ty) {
                    out.push(
                        Diagnostic::new(
                            Rule::FkTypeMismatch,
                            at(ConstraintPart::Column(i)),
                            format!(
                                "foreign key column `{from}` is `{}` but the referenced `{}.{to}` is `{}`: PostgreSQL has no equality operator between them and rejects the constraint",
                                from_col.data_type,
                                qualified(ref_table),
                                to_col.data_type
                            ),
                        )
                        .help(format!(
                            "declare `{from}` with the type of `{}.{to}`",
                            qualified(ref_table)
                        )),
                    );
                }
            }
            if !is_unique_key(target, ref_columns) {
                out.push(
                    Diagnostic::new(
                        Rule::FkTargetNotUnique,
                        at(ConstraintPart::RefColumns),
                        format!(
                            "foreign key `{}` references ({}) of `{}`, which no primary key or unique constraint covers: PostgreSQL rejects the constraint",
                            con.name,
                            ref_columns.join(", "),
                            qualified(ref_table)
                        ),
                    )
                    .help(format!(
                        "add `unique ({})` to table `{}`, or reference its primary key",
                        ref_columns.join(", "),
                        qualified(ref_table)
                    )),
                );
            }
        }
    }
}

/// True if `columns` (as a set) are exactly the key of a primary key, a unique constraint,
/// or a unique index on plain columns without predicate: what a foreign key may reference.
fn is_unique_key(table: &Table, columns: &[String]) -> bool {
    let wanted: BTreeSet<&str> = columns.iter().map(String::as_str).collect();
    let same = |key: &[String]| {
        key.len() == columns.len()
            && key.iter().map(String::as_str).collect::<BTreeSet<_>>() == wanted
    };
    let by_constraint = table.constraints.iter().any(|c| match &c.kind {
        ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
            same(columns)
        }
        _ => false,
    });
    by_constraint
        || table.indexes.iter().any(|i| {
            i.unique && i.predicate.is_none() && {
                let key: Option<Vec<String>> = i
                    .elements
                    .iter()
                    .map(|e| match &e.target {
                        IndexTarget::Column(c) => Some(c.clone()),
                        IndexTarget::Expression(_) => None,
                    })
                    .collect();
                key.is_some_and(|k| same(&k))
            }
        })
}

/// Whether PostgreSQL can implement a foreign key from a `from` column to a `to` column: it
/// needs an equality operator of the target's index operator family that takes `from`,
/// directly or after an implicit cast. Integer types compare with each other, as do the
/// floating point types, the character types, the date/time types, `inet` and `cidr`; an
/// integer or `numeric` may reference a `numeric` or floating point key. Anything else must be
/// the same type (`uuid` and `integer` are incompatible).
pub fn fk_types_compatible(from: &DataType, to: &DataType) -> bool {
    let from = from.serial_base().unwrap_or_else(|| from.clone());
    let to = to.serial_base().unwrap_or_else(|| to.clone());
    if from.array != to.array {
        return false;
    }
    if from.schema.is_some() || to.schema.is_some() {
        return from.schema == to.schema && from.name == to.name;
    }
    if from.name == to.name {
        return true;
    }
    const INTS: &[&str] = &["smallint", "integer", "bigint"];
    const FLOATS: &[&str] = &["real", "double precision"];
    const STRINGS: &[&str] = &["text", "character varying", "character", "bpchar", "name"];
    const DATES: &[&str] = &[
        "date",
        "timestamp without time zone",
        "timestamp with time zone",
    ];
    const NETWORK: &[&str] = &["inet", "cidr"];
    let (f, t) = (from.name.as_str(), to.name.as_str());
    let both = |family: &[&str]| family.contains(&f) && family.contains(&t);
    both(INTS)
        || both(FLOATS)
        || both(STRINGS)
        || both(DATES)
        || both(NETWORK)
        || (INTS.contains(&f) && t == "numeric")
        || ((INTS.contains(&f) || f == "numeric") && FLOATS.contains(&t))
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[
        Rule::FkTargetMissing,
        Rule::FkTargetNoPrimaryKey,
        Rule::FkTargetColumnMissing,
        Rule::FkColumnCount,
        Rule::FkTypeMismatch,
        Rule::FkTargetNotUnique,
    ],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::test_support::*;
    use crate::model::*;

    #[test]
    fn foreign_keys() {
        let orgs = || {
            table(
                "orgs",
                vec![col("id", "integer"), col("name", "text")],
                vec![pk("orgs", &["id"])],
            )
        };
        let users = |fk: Constraint| {
            table(
                "users",
                vec![col("org", "uuid"), col("o", "bigint")],
                vec![fk],
            )
        };
        assert_eq!(
            codes(&with_tables(vec![
                orgs(),
                users(fk(&["org"], "orgs", &["id"]))
            ])),
            ["fk-type-mismatch"]
        );
        assert_eq!(
            codes(&with_tables(vec![
                orgs(),
                users(fk(&["o"], "orgz", &["id"]))
            ])),
            ["fk-target-missing"]
        );
        assert_eq!(
            codes(&with_tables(vec![
                orgs(),
                users(fk(&["o"], "orgs", &["name"]))
            ])),
            ["fk-type-mismatch", "fk-target-not-unique"]
        );
        assert_eq!(
            codes(&with_tables(vec![
                orgs(),
                users(fk(&["o"], "orgs", &["idd"]))
            ])),
            ["fk-target-column-missing"]
        );
        assert_eq!(
            codes(&with_tables(vec![
                orgs(),
                users(fk(&["o", "org"], "orgs", &["id"]))
            ])),
            ["fk-column-count"]
        );
    }

    #[test]
    fn fk_type_families() {
        let t = |s: &str| DataType::parse(s).unwrap();
        assert!(fk_types_compatible(&t("int"), &t("bigserial")));
        assert!(fk_types_compatible(&t("varchar(10)"), &t("text")));
        assert!(fk_types_compatible(&t("integer"), &t("numeric")));
        assert!(!fk_types_compatible(&t("numeric"), &t("integer")));
        assert!(!fk_types_compatible(&t("uuid"), &t("integer")));
        assert!(!fk_types_compatible(&t("int[]"), &t("int")));
    }

    #[test]
    fn a_domain_references_like_its_base_type() {
        let mut s = with_tables(vec![
            table(
                "orgs",
                vec![col("id", "integer")],
                vec![pk("orgs", &["id"])],
            ),
            table(
                "users",
                vec![col("org", "org_id")],
                vec![fk(&["org"], "orgs", &["id"])],
            ),
        ]);
        s.domains.push(
            crate::builder::DomainDef::new("org_id", ty("bigint")).finish(|_, _| String::new()),
        );
        assert!(codes(&s).is_empty(), "{:?}", codes(&s));
        s.domains[0].data_type = ty("uuid");
        assert_eq!(codes(&s), ["fk-type-mismatch"]);
    }

    #[test]
    fn an_implied_target_needs_a_primary_key() {
        let orgs = table("orgs", vec![col("id", "integer")], vec![]);
        let users = table(
            "users",
            vec![col("o", "integer")],
            vec![fk(&["o"], "orgs", &[])],
        );
        assert_eq!(
            rule_codes(&CHECK, &with_tables(vec![orgs, users])),
            ["fk-target-no-primary-key"]
        );
    }
}
