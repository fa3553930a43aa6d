//! Rules `policy-table-missing`, `policy-clause-not-allowed`, and for policy expressions
//! `expression-invalid` and `expression-column-missing`: a policy (and row-level security)
//! needs a declared table; `with check` only applies to commands that write new rows and
//! `using` only to commands that read existing ones (PostgreSQL rejects the others); each
//! expression must parse and, unless it reads other tables through a subquery, name only the
//! table's columns.

use std::ops::ControlFlow;

use sqlparser::ast::Expr;

use crate::check::context::Context;
use crate::check::message::{
    did_you_mean, expression_column_missing, missing_references, qualified,
};
use crate::check::{Diagnostic, Location, PolicyPart, Rule, RuleCheck};
use crate::expr;
use crate::model::{QualifiedName, Schema};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    for (i, rls) in s.row_security.iter().enumerate() {
        if cx.table(&rls.table).is_none() {
            out.push(
                Diagnostic::new(
                    Rule::PolicyTableMissing,
                    Location::RowSecurity { row_security: i },
                    format!(
                        "row level security is declared on `{}`, which is not a declared table",
                        qualified(&rls.table)
                    ),
                )
                .help(table_help(s, &rls.table)),
            );
        }
    }
    for (i, policy) in s.policies.iter().enumerate() {
        let at = |part| Location::Policy { policy: i, part };
        let table = cx.table(&policy.table);
        if table.is_none() {
            out.push(
                Diagnostic::new(
                    Rule::PolicyTableMissing,
                    at(PolicyPart::Table),
                    format!(
                        "policy `{}` is on `{}`, which is not a declared table",
                        policy.name,
                        qualified(&policy.table)
                    ),
                )
                .help(table_help(s, &policy.table)),
            );
        }
        let command = policy.command.sql().to_lowercase();
        if policy.with_check.is_some() && !policy.command.takes_with_check() {
            out.push(
                Diagnostic::new(
                    Rule::PolicyClauseNotAllowed,
                    at(PolicyPart::WithCheck),
                    format!(
                        "policy `{}` is `for {command}`, which writes no new rows: PostgreSQL rejects `with check` on it",
                        policy.name
                    ),
                )
                .help(
                    "move the condition to `using`, or make the policy `for update` or `for all`",
                ),
            );
        }
        if policy.using.is_some() && !policy.command.takes_using() {
            out.push(
                Diagnostic::new(
                    Rule::PolicyClauseNotAllowed,
                    at(PolicyPart::Using),
                    format!(
                        "policy `{}` is `for insert`, which reads no existing rows: PostgreSQL rejects `using` on it",
                        policy.name
                    ),
                )
                .help("write the condition as `with check \"...\"`"),
            );
        }
        let clauses = [
            ("using", &policy.using, PolicyPart::Using),
            ("with check", &policy.with_check, PolicyPart::WithCheck),
        ];
        for (what, sql, part) in clauses {
            let Some(sql) = sql else { continue };
            match expr::parse_expr(sql) {
                Err(e) => out.push(
                    Diagnostic::new(
                        Rule::ExpressionInvalid,
                        at(part),
                        format!(
                            "`{what}` of policy `{}` `{sql}` is not valid SQL: {}",
                            policy.name, e.message
                        ),
                    )
                    .help(
                        "write a PostgreSQL boolean expression; SQL string literals take single quotes: \"'text'\"",
                    ),
                ),
                Ok(e) => {
                    // A subquery names other tables' columns: only the server can resolve them.
                    let Some(table) = table.filter(|_| !has_subquery(&e)) else {
                        continue;
                    };
                    for name in missing_references(table, &e, &[]) {
                        out.push(expression_column_missing(
                            table,
                            &name,
                            &format!("`{what}` of policy `{}`", policy.name),
                            at(part),
                        ));
                    }
                }
            }
        }
    }
}

fn table_help(s: &Schema, table: &QualifiedName) -> String {
    did_you_mean(&table.name, s.tables.iter().map(|t| t.name.name.as_str()))
        .unwrap_or_else(|| format!("declare table `{}`", qualified(table)))
}

fn has_subquery(e: &Expr) -> bool {
    sqlparser::ast::visit_expressions(e, |e| match e {
        Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. } => ControlFlow::Break(()),
        _ => ControlFlow::Continue(()),
    })
    .is_break()
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[
        Rule::PolicyTableMissing,
        Rule::PolicyClauseNotAllowed,
        Rule::ExpressionInvalid,
        Rule::ExpressionColumnMissing,
    ],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::check::test_support::*;
    use crate::model::*;

    #[test]
    fn policies_need_a_table_valid_clauses_and_known_columns() {
        let s = with_tables(vec![table("docs", vec![col("owner", "text")], vec![])]);
        let s = Schema {
            row_security: vec![RowSecurity::on("doc")],
            policies: vec![
                RowPolicy::new("a", "doc"),
                RowPolicy::new("b", "docs")
                    .command(PolicyCommand::Select)
                    .with_check_sql("true"),
                RowPolicy::new("c", "docs")
                    .command(PolicyCommand::Insert)
                    .using_sql("true"),
                RowPolicy::new("d", "docs").using_sql("owner ="),
                RowPolicy::new("e", "docs").using_sql("ownr = current_user"),
                RowPolicy::new("f", "docs")
                    .using_sql("EXISTS (SELECT 1 FROM other o WHERE o.x = owner)"),
            ],
            ..s
        };
        assert_eq!(
            rule_codes(&CHECK, &s),
            [
                "policy-table-missing",
                "policy-table-missing",
                "policy-clause-not-allowed",
                "policy-clause-not-allowed",
                "expression-invalid",
                "expression-column-missing",
            ]
        );
        let m = messages(&CHECK, &s);
        assert!(m[5].contains("refers to column `ownr`"), "{m:?}");
    }
}
