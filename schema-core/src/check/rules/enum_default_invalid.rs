//! Rule `enum-default-invalid`: a string default for an enum column must be one of its labels, or
//! every insert that relies on the default fails ("invalid input value for enum").

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::{ColumnPart, Diagnostic, Location, Rule, RuleCheck};
use crate::expr::{self};
use crate::model::QualifiedName;
use crate::suggest;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    for (t, table) in s.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            let ty = &column.data_type;
            let Some(schema) = &ty.schema else { continue };
            if ty.array {
                continue;
            }
            let Some(&e) = cx
                .enums
                .get(&QualifiedName::new(schema.clone(), ty.name.clone()))
            else {
                continue;
            };
            let Some(Ok(default)) = &cx.exprs[t].defaults[c] else {
                continue;
            };
            let Some(label) = expr::string_literal(default) else {
                continue;
            };
            let labels = &s.enums[e].values;
            if !labels.iter().any(|l| l == label) {
                let help = match suggest::closest(label, labels.iter().map(String::as_str)) {
                    Some(close) => format!("did you mean `'{close}'`?"),
                    None => format!(
                        "use one of: {}",
                        labels
                            .iter()
                            .map(|l| format!("'{l}'"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push(
                    Diagnostic::new(
                        Rule::EnumDefaultInvalid,
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Default,
                        },
                        format!(
                            "default `'{label}'` is not a label of enum `{}`: inserts relying on it would fail",
                            qualified(&s.enums[e].name)
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::EnumDefaultInvalid],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn a_string_default_must_be_a_label() {
        let s = Schema::builder()
            .enum_type("mood", ["happy", "sad"])
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("a", ty("mood")).default_sql("'hapy'"))
                    .column(ColumnDef::new("b", ty("mood")).default_sql("'sad'"))
                    .column(ColumnDef::new("c", ty("mood")).default_sql("'zzzzzz'")),
            )
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].message,
            "default `'hapy'` is not a label of enum `mood`: inserts relying on it would fail"
        );
        assert_eq!(found[0].help.as_deref(), Some("did you mean `'happy'`?"));
        assert_eq!(found[1].help.as_deref(), Some("use one of: 'happy', 'sad'"));
    }
}
