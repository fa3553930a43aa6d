//! Views: read from the relation round trip ([`super::relation`]); the query text is
//! `pg_get_viewdef`, as printed (see the module docs of [`super`] on printed fragments).

use postgres::Row;
use schema_core::model::{QualifiedName, View};
use schema_core::DataType;

use super::Found;

/// A view's row of the relation query.
pub(super) fn from_relation_row(row: &Row, name: QualifiedName, found: &mut Found) {
    found.schema.views.push(View {
        name,
        columns: Vec::new(),
        query: row.get::<_, Option<String>>(5).unwrap_or_default(),
        comment: row.get(4),
        // Compared only where both sides are built-in types (see `replaceable_view`): a user
        // type's printed name depends on the schema it is read in.
        column_types: row
            .get::<_, Option<Vec<String>>>(26)
            .unwrap_or_default()
            .into_iter()
            .map(|t| DataType::parse(&t).unwrap_or_else(|_| DataType::named("pg_catalog", t)))
            .collect(),
    });
}
