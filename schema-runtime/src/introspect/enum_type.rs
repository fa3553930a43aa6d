//! Enum types, from the user-type round trip ([`super::user_type`]).

use postgres::Row;
use schema_core::model::{EnumType, QualifiedName};

use super::Found;

/// An enum's row of the user-type query: its labels in sort order.
pub(super) fn from_type_row(row: &Row, name: QualifiedName, found: &mut Found) {
    found.schema.enums.push(EnumType {
        name,
        values: row.get(3),
        comment: row.get(4),
    });
}
