//! Checks shared by the macro (as spanned compile errors) and the runtime (as errors): the rules
//! a [`Schema`] must satisfy before PostgreSQL will accept it and a diff of it can mean anything.
//!
//! Each rule lives in its own file under `rules/` and reports [`Diagnostic`]s tagged with a
//! [`Rule`], the one owner of the stable codes. A [`Diagnostic`] points at a [`Location`] by
//! index into the schema's vectors, never by span or text: the macro keeps a table of spans
//! parallel to the model and puts the caret on the exact token, the runtime names the object
//! with [`Location::describe`]. Syntax the model cannot even represent (a bad type modifier,
//! `not null null`) is the macro parser's business, not this module's.

mod context;
mod diagnostic;
mod location;
mod message;
mod partition_values;
mod rule;
mod rules;
#[cfg(test)]
mod test_support;

pub use diagnostic::Diagnostic;
pub use location::{
    ColumnPart, CompositePart, ConstraintPart, DomainPart, EnumPart, ExtensionPart, FunctionPart,
    GrantPart, IndexPart, Location, PolicyPart, RangePart, SequencePart, TablePart, TriggerPart,
    ViewPart,
};
pub use rule::Rule;
pub use rules::foreign_key::fk_types_compatible;
pub use rules::function_body::unbalanced_dollar_quote;
pub(crate) use rules::trigger::BUILTIN_TRIGGER_FUNCTIONS;

use crate::model::Schema;
use context::Context;

/// A rule's entry in the registry: the function that finds its violations and the codes it
/// reports.
pub(crate) struct RuleCheck {
    /// Every code `run` may report. Several only where they are decided together, object by
    /// object (one finding suppresses or precedes another), so splitting them would reorder
    /// the diagnostics.
    pub(crate) rules: &'static [Rule],
    /// Appends the violations found in the schema behind the context.
    pub(crate) run: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

/// Every rule, in the order their diagnostics are reported. The order is part of the output:
/// names first (nothing else is meaningful with a broken name), then duplicates, then what
/// each declaration refers to, then the contents of expressions and bodies.
const REGISTRY: &[RuleCheck] = &[
    rules::name_invalid::CHECK,
    rules::name_too_long::CHECK,
    rules::duplicate_schema::CHECK,
    rules::duplicate_extension::CHECK,
    rules::duplicate_type::CHECK,
    rules::duplicate_enum_label::CHECK,
    rules::duplicate_attribute::CHECK,
    rules::duplicate_domain_check::CHECK,
    rules::duplicate_relation::CHECK,
    rules::duplicate_column::CHECK,
    rules::duplicate_constraint::CHECK,
    rules::duplicate_function::CHECK,
    rules::duplicate_trigger::CHECK,
    rules::duplicate_policy::CHECK,
    rules::schema_missing::CHECK,
    rules::type_unknown::CHECK,
    rules::extension_missing::CHECK,
    rules::column_pseudo_type::CHECK,
    rules::sequence_type_invalid::CHECK,
    rules::sequence_owner_missing::CHECK,
    rules::primary_key_duplicate::CHECK,
    rules::constraint_columns::CHECK,
    rules::index_columns::CHECK,
    rules::nulls_not_distinct_non_unique::CHECK,
    rules::foreign_key::CHECK,
    rules::identity_not_integer::CHECK,
    rules::value_sources::CHECK,
    rules::expression_invalid::CHECK,
    rules::domain_expression_invalid::CHECK,
    rules::expression_column_missing::CHECK,
    rules::domain_column_reference::CHECK,
    rules::generated_references_generated::CHECK,
    rules::default_references_column::CHECK,
    rules::enum_default_invalid::CHECK,
    rules::function_body::CHECK,
    rules::trigger::CHECK,
    rules::policy::CHECK,
    rules::grant::CHECK,
    rules::view_query_invalid::CHECK,
    rules::materialized_view::CHECK,
    rules::partition_parent::CHECK,
    rules::partition_key::CHECK,
    rules::partition_bound::CHECK,
    rules::partition_overlap::CHECK,
    rules::partition_unique_key::CHECK,
    rules::unlogged::CHECK,
    rules::storage_on_partitioned::CHECK,
];

/// Every problem in `schema`, rule by rule, each rule in declaration order.
pub fn check(schema: &Schema) -> Vec<Diagnostic> {
    let cx = Context::new(schema);
    let mut out = Vec::new();
    for rule in REGISTRY {
        let before = out.len();
        (rule.run)(&cx, &mut out);
        // A rule that reports a code it does not register would escape the registry's tests.
        debug_assert!(out[before..].iter().all(|d| rule.rules.contains(&d.code)));
    }
    // A partition's columns are its parent's copied (see `Table::partition_of`): whatever is
    // wrong with them is reported once, on the parent.
    out.retain(|d| match d.location {
        Location::Column { table, .. } => schema
            .tables
            .get(table)
            .map_or(true, |t| t.partition_of.is_none()),
        _ => true,
    });
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::test_support::*;
    use super::*;
    use crate::model::*;

    #[test]
    fn every_rule_is_registered() {
        let registered: BTreeSet<Rule> = REGISTRY
            .iter()
            .flat_map(|r| r.rules.iter().copied())
            .collect();
        let all: BTreeSet<Rule> = Rule::ALL.iter().copied().collect();
        assert_eq!(registered, all);
    }

    #[test]
    fn clean_schema_has_no_diagnostics() {
        let s = with_tables(vec![
            table(
                "orgs",
                vec![col("id", "bigserial")],
                vec![pk("orgs", &["id"])],
            ),
            table(
                "users",
                vec![col("id", "uuid"), col("org_id", "bigint")],
                vec![pk("users", &["id"]), fk(&["org_id"], "orgs", &["id"])],
            ),
        ]);
        assert_eq!(check(&s), vec![]);
    }

    #[test]
    fn rules_report_in_registry_order() {
        let mut users = table("users", vec![col("email", "text"), col("n", "int")], vec![]);
        users.columns[0].default = Some("email".into());
        users.columns[1].generated = Some("lower(emial)".into());
        users.constraints.push(constraint(
            "users_check",
            ConstraintKind::Check { expr: "n >".into() },
        ));
        assert_eq!(
            codes(&with_tables(vec![users])),
            [
                "expression-invalid",
                "expression-column-missing",
                "default-references-column"
            ]
        );
    }
}
