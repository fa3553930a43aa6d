//! Rule `expression-invalid`, for domains: a domain's default and checks must parse, or
//! `CREATE DOMAIN` fails (and they could not be compared either).

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::{Diagnostic, DomainPart, Location, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, d) in cx.schema.domains.iter().enumerate() {
        let exprs = &cx.domain_exprs[i];
        let at = |part| Location::Domain { domain: i, part };
        if let (Some(sql), Some(Err(e))) = (&d.default, &exprs.default) {
            out.push(
                Diagnostic::new(
                    Rule::ExpressionInvalid,
                    at(DomainPart::Default),
                    format!(
                        "default `{sql}` of domain `{}` is not valid SQL: {}",
                        qualified(&d.name),
                        e.message
                    ),
                )
                .help("write a PostgreSQL expression; SQL string literals take single quotes: \"'text'\""),
            );
        }
        for (c, check) in d.checks.iter().enumerate() {
            if let Err(e) = &exprs.checks[c] {
                out.push(
                    Diagnostic::new(
                        Rule::ExpressionInvalid,
                        at(DomainPart::Check(c)),
                        format!(
                            "check `{}` of domain `{}` is not valid SQL: {}",
                            check.expr,
                            qualified(&d.name),
                            e.message
                        ),
                    )
                    .help("write a PostgreSQL condition on `VALUE`, e.g. \"VALUE > 0\""),
                );
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::ExpressionInvalid],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::model::*;

    #[test]
    fn a_check_and_a_default_must_parse() {
        let s = Schema::builder()
            .domain(
                DomainDef::new("year", ty("integer"))
                    .default_sql("1900 +")
                    .check("VALUE >= 1901")
                    .check("VALUE >= )"),
            )
            .build();
        assert_eq!(rule_codes(&CHECK, &s), ["expression-invalid"; 2]);
        assert!(run(&CHECK, &s)[1]
            .message
            .starts_with("check `VALUE >= )` of domain `year`"));
    }
}
