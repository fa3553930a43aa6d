//! Rule `duplicate-type`: types share one namespace per schema, and every table and view has a row
//! type of its own name there, so an enum, domain, composite or range type cannot be called like
//! another type, a table or a view; nor like the multirange type PostgreSQL derives for a range.

use std::collections::HashMap;

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::{
    CompositePart, Diagnostic, DomainPart, EnumPart, Location, RangePart, Rule, RuleCheck,
};
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
    let mut declared: Vec<(QualifiedName, &'static str, Location)> = Vec::new();
    for (i, e) in s.enums.iter().enumerate() {
        let at = Location::Enum {
            enum_type: i,
            part: EnumPart::Name,
        };
        declared.push((e.name.clone(), "enum", at));
    }
    for (i, d) in s.domains.iter().enumerate() {
        let at = Location::Domain {
            domain: i,
            part: DomainPart::Name,
        };
        declared.push((d.name.clone(), "domain", at));
    }
    for (i, r) in s.ranges.iter().enumerate() {
        let at = |part| Location::Range { range: i, part };
        declared.push((r.name.clone(), "range type", at(RangePart::Name)));
        declared.push((
            r.multirange_name(),
            "multirange type",
            at(RangePart::MultirangeName),
        ));
    }
    for (i, c) in s.composites.iter().enumerate() {
        let at = Location::Composite {
            composite: i,
            part: CompositePart::Name,
        };
        declared.push((c.name.clone(), "composite type", at));
    }
    let mut types: HashMap<QualifiedName, &'static str> = HashMap::new();
    for (name, kind, location) in declared {
        let first = seen
            .get(&name)
            .copied()
            .or_else(|| types.get(&name).copied());
        match first {
            Some(first) => {
                let message = if first == "table" || first == "view" {
                    format!(
                        "type name `{}` is already taken by the row type of {first} `{}`",
                        qualified(&name),
                        qualified(&name)
                    )
                } else if first == kind {
                    format!("{kind} `{}` is declared twice", qualified(&name))
                } else {
                    format!(
                        "{kind} `{}` has the name of {} {first}",
                        qualified(&name),
                        if first.starts_with(['a', 'e']) {
                            "an"
                        } else {
                            "a"
                        }
                    )
                };
                let help = if kind == "multirange type" {
                    "give the range another `multirange_type_name`".to_string()
                } else if first == "multirange type" {
                    format!("rename the {kind}, or give the range another `multirange_type_name`")
                } else {
                    format!("rename the {kind} or remove the second declaration")
                };
                out.push(Diagnostic::new(Rule::DuplicateType, location, message).help(help));
            }
            None => {
                types.insert(name, kind);
            }
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

    #[test]
    fn domains_composites_ranges_and_multiranges_share_the_namespace() {
        let s = Schema::builder()
            .enum_type("mood", ["happy"])
            .domain(DomainDef::new("mood", ty("text")))
            .domain(DomainDef::new("year", ty("int")))
            .domain(DomainDef::new("year", ty("int")))
            .range_type(RangeType::new("floatrange", ty("float8")))
            .composite_type(CompositeType::new("floatmultirange"))
            .composite_type(CompositeType::new("users"))
            .table(TableDef::new("users").column(ColumnDef::new("id", ty("int"))))
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            [
                "domain `mood` has the name of an enum",
                "domain `year` is declared twice",
                "composite type `floatmultirange` has the name of a multirange type",
                "type name `users` is already taken by the row type of table `users`"
            ]
        );
    }
}
