//! Rules `duplicate-policy` and `duplicate-row-security`: policy names are unique per table,
//! and a table's row-level security is declared once (the second would silently win).

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::rules::report_duplicates;
use crate::check::{Diagnostic, Location, PolicyPart, Rule, RuleCheck};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let ps = &cx.schema.policies;
    report_duplicates(
        ps.iter().enumerate().map(|(i, p)| ((&p.table, &p.name), i)),
        |i, _| {
            out.push(
                Diagnostic::new(
                    Rule::DuplicatePolicy,
                    Location::Policy {
                        policy: i,
                        part: PolicyPart::Name,
                    },
                    format!(
                        "policy `{}` is declared twice on `{}`",
                        ps[i].name,
                        qualified(&ps[i].table)
                    ),
                )
                .help("give the second policy another name"),
            );
        },
    );
    let rs = &cx.schema.row_security;
    report_duplicates(rs.iter().enumerate().map(|(i, r)| (&r.table, i)), |i, _| {
        out.push(
            Diagnostic::new(
                Rule::DuplicateRowSecurity,
                Location::RowSecurity { row_security: i },
                format!(
                    "row level security on `{}` is declared twice",
                    qualified(&rs[i].table)
                ),
            )
            .help("keep one `row level security on ...;` per table (add `force` to it if needed)"),
        );
    });
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicatePolicy, Rule::DuplicateRowSecurity],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::check::test_support::*;
    use crate::check::*;
    use crate::model::*;

    #[test]
    fn names_are_unique_per_table() {
        let s = Schema::builder()
            .policy(RowPolicy::new("p", "a"))
            .policy(RowPolicy::new("p", "b"))
            .policy(RowPolicy::new("p", "a"))
            .row_security(RowSecurity::on("a"))
            .row_security(RowSecurity::on("a").force())
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].code, Rule::DuplicatePolicy);
        assert_eq!(
            found[0].location,
            Location::Policy {
                policy: 2,
                part: PolicyPart::Name
            }
        );
        assert_eq!(found[1].code, Rule::DuplicateRowSecurity);
    }
}
