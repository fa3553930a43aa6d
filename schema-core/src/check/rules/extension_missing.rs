//! Rule `extension-missing`: types such as `citext` or `vector` exist only once their extension is
//! created.

use crate::check::context::Context;
use crate::check::{Diagnostic, Rule, RuleCheck};
use crate::model::QualifiedName;
use crate::types::{self};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (ty, location) in cx.type_uses() {
        let Some(schema) = &ty.schema else { continue };
        if cx
            .types
            .contains(&QualifiedName::new(schema.clone(), ty.name.clone()))
        {
            continue;
        }
        if let Some(extension) = types::extension_for_type(&ty.name) {
            if !cx.extensions.contains(extension) {
                out.push(
                    Diagnostic::new(
                        Rule::ExtensionMissing,
                        location,
                        format!(
                            "type `{}` comes from extension `{extension}`, which is not declared",
                            ty.name
                        ),
                    )
                    .help(format!("declare it: `extension {extension};`")),
                );
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::ExtensionMissing],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn an_extension_type_needs_its_extension() {
        let table = || TableDef::new("users").column(ColumnDef::new("email", ty("citext")));
        let s = Schema::builder().table(table()).build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "type `citext` comes from extension `citext`, which is not declared"
        );
        let declared = Schema::builder().extension("citext").table(table()).build();
        assert!(run(&CHECK, &declared).is_empty());
    }
}
