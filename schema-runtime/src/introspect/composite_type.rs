//! Composite types, from the user-type round trip ([`super::user_type`]): attributes in
//! order, with their collations and comments.

use postgres::Row;
use schema_core::model::{CompositeAttribute, CompositeType, QualifiedName};
use serde::Deserialize;

use super::user_type::{decode_type, json_column};
use super::Found;

/// One attribute as the query returns it.
#[derive(Deserialize)]
struct AttributeRow {
    name: String,
    #[serde(rename = "type")]
    data_type: Vec<Option<String>>,
    collation: Option<String>,
    comment: Option<String>,
}

/// A composite type's row of the user-type query.
pub(super) fn from_type_row(row: &Row, name: QualifiedName, found: &mut Found) {
    let attributes: Vec<AttributeRow> = json_column(row, 10).unwrap_or_default();
    found.schema.composites.push(CompositeType {
        name,
        attributes: attributes
            .into_iter()
            .map(|a| CompositeAttribute {
                name: a.name,
                data_type: decode_type(&a.data_type),
                collation: a.collation,
                comment: a.comment,
            })
            .collect(),
        comment: row.get(4),
    });
}
