//! One file per rule (or per group of codes decided together, object by object); each holds
//! why the rule exists, the function that finds its violations, its registration, and its tests.

pub(crate) mod column_pseudo_type;
pub(crate) mod constraint_columns;
pub(crate) mod default_references_column;
pub(crate) mod domain_column_reference;
pub(crate) mod domain_expression_invalid;
pub(crate) mod duplicate_attribute;
pub(crate) mod duplicate_column;
pub(crate) mod duplicate_constraint;
pub(crate) mod duplicate_domain_check;
pub(crate) mod duplicate_enum_label;
pub(crate) mod duplicate_extension;
pub(crate) mod duplicate_function;
pub(crate) mod duplicate_policy;
pub(crate) mod duplicate_relation;
pub(crate) mod duplicate_schema;
pub(crate) mod duplicate_trigger;
pub(crate) mod duplicate_type;
pub(crate) mod enum_default_invalid;
pub(crate) mod expression_column_missing;
pub(crate) mod expression_invalid;
pub(crate) mod extension_missing;
pub(crate) mod foreign_key;
pub(crate) mod function_body;
pub(crate) mod generated_references_generated;
pub(crate) mod grant;
pub(crate) mod identity_not_integer;
pub(crate) mod index_columns;
pub(crate) mod materialized_view;
pub(crate) mod name_invalid;
pub(crate) mod name_too_long;
pub(crate) mod nulls_not_distinct_non_unique;
pub(crate) mod partition_bound;
pub(crate) mod partition_key;
pub(crate) mod partition_overlap;
pub(crate) mod partition_parent;
pub(crate) mod partition_unique_key;
pub(crate) mod policy;
pub(crate) mod primary_key_duplicate;
pub(crate) mod schema_missing;
pub(crate) mod sequence_owner_missing;
pub(crate) mod sequence_type_invalid;
pub(crate) mod storage_on_partitioned;
pub(crate) mod trigger;
pub(crate) mod type_unknown;
pub(crate) mod unlogged;
pub(crate) mod value_sources;
pub(crate) mod view_query_invalid;

use std::collections::HashMap;

/// Reports every name after its first occurrence in `items`, keyed by `key`.
pub(crate) fn report_duplicates<K: std::hash::Hash + Eq, T>(
    items: impl IntoIterator<Item = (K, T)>,
    mut report: impl FnMut(T, &T),
) {
    let mut seen: HashMap<K, T> = HashMap::new();
    for (key, item) in items {
        match seen.get(&key) {
            Some(first) => report(item, first),
            None => {
                seen.insert(key, item);
            }
        }
    }
}
