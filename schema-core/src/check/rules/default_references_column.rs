//! Rule `default-references-column`: A default is evaluated without a row, so PostgreSQL forbids
//! column references in it ("cannot use column reference in DEFAULT expression").

use crate::check::context::Context;
use crate::check::{ColumnPart, Diagnostic, Location, Rule, RuleCheck};
use crate::expr::{self};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            let Some(Ok(e)) = &cx.exprs[t].defaults[c] else {
                continue;
            };
            if let Some(name) = expr::referenced_columns(e).into_iter().next() {
                out.push(
                    Diagnostic::new(
                        Rule::DefaultReferencesColumn,
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Default,
                        },
                        format!(
                            "the default of `{}` refers to `{name}`, but a default cannot refer to columns",
                            column.name
                        ),
                    )
                    .help("for a value computed from other columns use `generated always as \"EXPR\" stored`; for text write an SQL string: \"'text'\""),
                );
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DefaultReferencesColumn],
    run: check,
};
