//! Implied references: `references T` without columns means `T`'s primary key.

use std::collections::HashMap;

use crate::model::{ConstraintKind, QualifiedName, Schema};

/// Fills in the referenced columns of every foreign key declared without them, from the
/// target's primary key, when the target is in the schema and has one (the checks report
/// the other cases). A duplicate table's first declaration wins, as in [`Schema::table`].
pub(super) fn resolve_implied_references(schema: &mut Schema) {
    let mut keys: HashMap<QualifiedName, Option<Vec<String>>> = HashMap::new();
    for table in &schema.tables {
        keys.entry(table.name.clone())
            .or_insert_with(|| table.primary_key().map(|pk| pk.kind.columns().to_vec()));
    }
    for table in &mut schema.tables {
        for constraint in &mut table.constraints {
            if let ConstraintKind::ForeignKey {
                ref_table,
                ref_columns,
                ..
            } = &mut constraint.kind
            {
                if ref_columns.is_empty() {
                    if let Some(Some(key)) = keys.get(ref_table) {
                        ref_columns.clone_from(key);
                    }
                }
            }
        }
    }
}
