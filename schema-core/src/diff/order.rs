//! The order of a plan: changes grouped by phase, the phases concatenated in order.

use super::*;

/// The changes, by phase; concatenated in field order.
#[derive(Default)]
pub(super) struct Phases {
    pub(super) drop_triggers: Vec<Change>,
    pub(super) drop_views: Vec<Change>,
    pub(super) drop_foreign_keys: Vec<Change>,
    pub(super) drop_constraints: Vec<Change>,
    pub(super) drop_indexes: Vec<Change>,
    pub(super) drop_columns: Vec<Change>,
    pub(super) drop_tables: Vec<Change>,
    pub(super) drop_functions: Vec<Change>,
    pub(super) drop_sequences: Vec<Change>,
    pub(super) drop_types: Vec<Change>,
    pub(super) drop_extensions: Vec<Change>,
    pub(super) drop_schemas: Vec<Change>,
    pub(super) renames: Vec<Change>,
    pub(super) schemas: Vec<Change>,
    pub(super) extensions: Vec<Change>,
    pub(super) types: Vec<Change>,
    pub(super) sequences: Vec<Change>,
    pub(super) functions: Vec<Change>,
    pub(super) tables: Vec<Change>,
    pub(super) columns: Vec<Change>,
    pub(super) sequence_owners: Vec<Change>,
    pub(super) constraints: Vec<Change>,
    pub(super) indexes: Vec<Change>,
    pub(super) foreign_keys: Vec<Change>,
    pub(super) views: Vec<Change>,
    pub(super) triggers: Vec<Change>,
    pub(super) comments: Vec<Change>,
}

impl Phases {
    pub(super) fn into_changes(self) -> Vec<Change> {
        let Phases {
            drop_triggers,
            drop_views,
            drop_foreign_keys,
            drop_constraints,
            drop_indexes,
            drop_columns,
            drop_tables,
            drop_functions,
            drop_sequences,
            drop_types,
            drop_extensions,
            drop_schemas,
            renames,
            schemas,
            extensions,
            types,
            sequences,
            functions,
            tables,
            columns,
            sequence_owners,
            constraints,
            indexes,
            foreign_keys,
            views,
            triggers,
            comments,
        } = self;
        [
            drop_triggers,
            drop_views,
            drop_foreign_keys,
            drop_constraints,
            drop_indexes,
            drop_columns,
            drop_tables,
            drop_functions,
            drop_sequences,
            drop_types,
            drop_extensions,
            drop_schemas,
            renames,
            schemas,
            extensions,
            types,
            sequences,
            functions,
            tables,
            columns,
            sequence_owners,
            constraints,
            indexes,
            foreign_keys,
            views,
            triggers,
            comments,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}
