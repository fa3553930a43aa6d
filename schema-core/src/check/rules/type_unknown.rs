//! Rule `type-unknown`: a user type must be a declared enum, domain, composite or range type
//! (or a declared range's multirange type, or the row type of a declared table or view) or an
//! extension's type, or `CREATE TABLE` fails with "type does not exist". When an extension pgdecl does not know is declared, any
//! unknown type may be one of its own, so none is reported.

use std::collections::HashSet;

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::{Diagnostic, Rule, RuleCheck};
use crate::model::QualifiedName;
use crate::suggest;
use crate::types::{self};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    let known_providers: HashSet<&str> = types::EXTENSION_TYPES.iter().map(|(_, e)| *e).collect();
    if s.extensions
        .iter()
        .any(|e| !known_providers.contains(e.name.as_str()))
    {
        return;
    }
    for (ty, location) in cx.type_uses() {
        let Some(schema) = &ty.schema else { continue };
        let name = QualifiedName::new(schema.clone(), ty.name.clone());
        if cx.types.contains(&name) || types::extension_for_type(&ty.name).is_some() {
            continue;
        }
        // The declared types first: among equally close names, a declared one is meant.
        let candidates = s
            .enums
            .iter()
            .map(|e| qualified(&e.name))
            .chain(s.domains.iter().map(|d| qualified(&d.name)))
            .chain(s.composites.iter().map(|c| qualified(&c.name)))
            .chain(s.ranges.iter().map(|r| qualified(&r.name)))
            .chain(types::builtin_type_names().map(str::to_string))
            .collect::<Vec<_>>();
        let written = qualified(&name);
        let help = match suggest::closest(&written, candidates.iter().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`?"),
            None => {
                "use a built-in type, declare it (`enum`, `domain` or `type`), or declare the extension that provides it"
                    .to_string()
            }
        };
        out.push(
            Diagnostic::new(
                Rule::TypeUnknown,
                location,
                format!("unknown type `{written}`"),
            )
            .help(help),
        );
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::TypeUnknown],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn a_user_type_must_be_declared() {
        let table = || TableDef::new("users").column(ColumnDef::new("mood", ty("mood")));
        let s = Schema::builder().table(table()).build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "unknown type `mood`");
        let declared = Schema::builder()
            .enum_type("mood", ["happy"])
            .table(table())
            .build();
        assert!(run(&CHECK, &declared).is_empty());
    }

    #[test]
    fn domains_composites_and_ranges_are_types_and_suggested() {
        let table = |ty_name: &str| {
            TableDef::new("films").column(ColumnDef::new("release_year", ty(ty_name)))
        };
        let declared = || {
            Schema::builder()
                .domain(DomainDef::new("year", ty("integer")))
                .composite_type(
                    CompositeType::new("address")
                        .attribute(CompositeAttribute::new("zip", ty("year"))),
                )
                .range_type(RangeType::new("floatrange", ty("double precision")))
        };
        for ok in ["year", "address", "floatrange", "floatmultirange", "year[]"] {
            let s = declared().table(table(ok)).build();
            assert!(run(&CHECK, &s).is_empty(), "{ok}: {:?}", run(&CHECK, &s));
        }
        let s = declared().table(table("yaer")).build();
        let found = run(&CHECK, &s);
        assert_eq!(found[0].message, "unknown type `yaer`");
        assert_eq!(found[0].help.as_deref(), Some("did you mean `year`?"));
        let s = declared().table(table("adress")).build();
        assert_eq!(
            run(&CHECK, &s)[0].help.as_deref(),
            Some("did you mean `address`?")
        );
    }

    #[test]
    fn a_table_is_a_type() {
        let s = Schema::builder()
            .table(TableDef::new("customer").column(ColumnDef::new("id", ty("int"))))
            .function(
                Function::new("rewards")
                    .returns_setof(ty("customer"))
                    .body("SELECT * FROM customer"),
            )
            .build();
        assert!(run(&CHECK, &s).is_empty(), "{:?}", run(&CHECK, &s));
    }

    #[test]
    fn an_unknown_extension_may_provide_any_type() {
        let s = Schema::builder()
            .extension("some_extension")
            .table(TableDef::new("users").column(ColumnDef::new("mood", ty("mood"))))
            .build();
        assert!(run(&CHECK, &s).is_empty());
    }
}
