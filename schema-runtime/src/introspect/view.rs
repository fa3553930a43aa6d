//! Views and materialized views: read from the relation round trip ([`super::relation`]); the
//! query text is `pg_get_viewdef`, as printed (see the module docs of [`super`] on printed
//! fragments). A materialized view's indexes come with the tables' ([`super::index`]).

use postgres::Row;
use schema_core::model::{QualifiedName, View};
use schema_core::DataType;

use super::Found;

/// A view's (or materialized view's) row of the relation query.
pub(super) fn from_relation_row(row: &Row, name: QualifiedName, found: &mut Found) {
    let materialized = row.get::<_, String>(3) == "m";
    if materialized {
        found
            .materialized_views
            .push((row.get(0), found.schema.views.len()));
    }
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
            .map(|t| DataType::try_parse(&t).unwrap_or_else(|| DataType::named("pg_catalog", t)))
            .collect(),
        materialized,
        // `relispopulated` is true for every plain view.
        with_data: !materialized || row.get::<_, bool>(27),
        indexes: Vec::new(),
    });
}
