//! Rule `default-references-column`: a default is evaluated without a row, so PostgreSQL forbids
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

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn defaults_cannot_read_columns() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("a", ty("text")).default_sql("b"))
                    .column(ColumnDef::new("b", ty("text")).default_sql("'b'"))
                    .column(ColumnDef::new("c", ty("timestamptz")).default_sql("now()")),
            )
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            ["the default of `a` refers to `b`, but a default cannot refer to columns"]
        );
    }
}
