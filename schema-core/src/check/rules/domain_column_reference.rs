//! Rule `domain-column-reference`: a domain's check sees only the value being checked, as
//! `VALUE`, and its default sees nothing at all; any other name is a column PostgreSQL cannot
//! find ("cannot use column reference in DEFAULT expression", "column ... does not exist").

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::{Diagnostic, DomainPart, Location, Rule, RuleCheck};
use crate::expr;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, d) in cx.schema.domains.iter().enumerate() {
        let exprs = &cx.domain_exprs[i];
        let at = |part| Location::Domain { domain: i, part };
        if let Some(Ok(default)) = &exprs.default {
            if let Some(name) = expr::referenced_columns(default).into_iter().next() {
                out.push(
                    Diagnostic::new(
                        Rule::DomainColumnReference,
                        at(DomainPart::Default),
                        format!(
                            "the default of domain `{}` refers to `{name}`: a default cannot refer to columns",
                            qualified(&d.name)
                        ),
                    )
                    .help("use a constant or a function call; to name a value, quote it as a literal")
                    .subject(name),
                );
            }
        }
        for (c, check) in d.checks.iter().enumerate() {
            let Ok(parsed) = &exprs.checks[c] else {
                continue;
            };
            for name in expr::referenced_columns(parsed) {
                if name == "value" {
                    continue;
                }
                let help = if name.eq_ignore_ascii_case("value") {
                    "write `VALUE` unquoted (or \"value\"): SQL folds it to lower case".to_string()
                } else {
                    format!("a domain check can only refer to the value being checked: write `VALUE` instead of `{name}`")
                };
                out.push(
                    Diagnostic::new(
                        Rule::DomainColumnReference,
                        at(DomainPart::Check(c)),
                        format!(
                            "check `{}` of domain `{}` refers to `{name}`, which is not `VALUE`",
                            check.expr,
                            qualified(&d.name)
                        ),
                    )
                    .help(help)
                    .subject(name),
                );
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DomainColumnReference],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::model::*;

    #[test]
    fn only_value_is_in_scope() {
        let ok = Schema::builder()
            .domain(
                DomainDef::new("year", ty("integer"))
                    .default_sql("1901")
                    .check("VALUE >= 1901 AND value <= 2155")
                    .check("\"value\" <> 2000 AND length(VALUE::text) = 4"),
            )
            .build();
        assert!(run(&CHECK, &ok).is_empty(), "{:?}", run(&CHECK, &ok));
        let bad = Schema::builder()
            .domain(
                DomainDef::new("year", ty("integer"))
                    .default_sql("now_year")
                    .check("year >= 1901"),
            )
            .build();
        assert_eq!(
            messages(&CHECK, &bad),
            [
                "the default of domain `year` refers to `now_year`: a default cannot refer to columns",
                "check `year >= 1901` of domain `year` refers to `year`, which is not `VALUE`"
            ]
        );
    }
}
