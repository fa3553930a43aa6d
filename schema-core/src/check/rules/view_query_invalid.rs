//! Rule `view-query-invalid`: a view's query must be one `SELECT`, `VALUES` or `WITH` query.

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::{Diagnostic, Location, Rule, RuleCheck, ViewPart};
use crate::expr::{self};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, view) in cx.schema.views.iter().enumerate() {
        if let Err(e) = expr::parse_query(&view.query) {
            out.push(
                Diagnostic::new(
                    Rule::ViewQueryInvalid,
                    Location::View {
                        view: i,
                        part: ViewPart::Query,
                    },
                    format!(
                        "the query of {} `{}` is not valid SQL: {}",
                        view.keyword().to_lowercase(),
                        qualified(&view.name),
                        e.message
                    ),
                )
                .help("write one PostgreSQL `SELECT`, `VALUES` or `WITH` query"),
            );
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::ViewQueryInvalid],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn a_view_is_one_query() {
        let s = Schema::builder()
            .view(View::new("a", "SELEC 1"))
            .view(View::new("b", "SELECT 1"))
            .build();
        let found = messages(&CHECK, &s);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("the query of view `a` is not valid SQL: "));
    }
}
