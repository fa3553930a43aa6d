//! Rule `duplicate-type`: types share one namespace per schema, and every table and view has a row
//! type of its own name there, so an enum cannot be called like another enum, a table or a view.

use std::collections::HashMap;

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::{Diagnostic, EnumPart, Location, Rule, RuleCheck};
use crate::model::QualifiedName;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    let mut seen: HashMap<&QualifiedName, &'static str> = HashMap::new();
    for t in &s.tables {
        seen.entry(&t.name).or_insert("table");
    }
    for v in &s.views {
        seen.entry(&v.name).or_insert("view");
    }
    for (i, e) in s.enums.iter().enumerate() {
        if let Some(first) = seen.get(&e.name) {
            let message = if *first == "enum" {
                format!("enum `{}` is declared twice", qualified(&e.name))
            } else {
                format!(
                    "type name `{}` is already taken by the row type of {first} `{}`",
                    qualified(&e.name),
                    qualified(&e.name)
                )
            };
            out.push(
                Diagnostic::new(
                    Rule::DuplicateType,
                    Location::Enum {
                        enum_type: i,
                        part: EnumPart::Name,
                    },
                    message,
                )
                .help("rename the enum or remove the second declaration"),
            );
        } else {
            seen.insert(&e.name, "enum");
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicateType],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn an_enum_clashes_with_enums_and_row_types() {
        let s = Schema::builder()
            .enum_type("mood", ["happy"])
            .enum_type("mood", ["sad"])
            .enum_type("users", ["x"])
            .enum_type("audit.mood", ["ok"])
            .table(TableDef::new("users").column(ColumnDef::new("id", ty("int"))))
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            [
                "enum `mood` is declared twice",
                "type name `users` is already taken by the row type of table `users`"
            ]
        );
    }
}
