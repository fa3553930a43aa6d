//! Rule `column-pseudo-type`: pseudo-types (`trigger`, `void`, `record`, `any*`, ...) can only be
//! function argument or return types; a column of one is rejected.

use crate::check::context::Context;
use crate::check::{ColumnPart, Diagnostic, Location, Rule, RuleCheck};
use crate::types::DataType;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            if is_pseudo_type(&column.data_type) {
                out.push(
                    Diagnostic::new(
                        Rule::ColumnPseudoType,
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Type,
                        },
                        format!(
                            "column `{}` cannot have pseudo-type `{}`",
                            column.name, column.data_type
                        ),
                    )
                    .help(
                        "pseudo-types are only for function arguments and results; use a real type",
                    ),
                );
            }
        }
    }
}

fn is_pseudo_type(ty: &DataType) -> bool {
    ty.schema.is_none()
        && matches!(
            ty.name.as_str(),
            "trigger"
                | "event_trigger"
                | "void"
                | "record"
                | "anyelement"
                | "anyarray"
                | "anynonarray"
                | "anyenum"
                | "anyrange"
                | "anycompatible"
                | "anycompatiblearray"
                | "internal"
                | "cstring"
        )
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::ColumnPseudoType],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn a_column_cannot_have_a_pseudo_type() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("t", ty("trigger")))
                    .column(ColumnDef::new("n", ty("int"))),
            )
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            ["column `t` cannot have pseudo-type `trigger`"]
        );
    }
}
