//! Range types, from the user-type round trip ([`super::user_type`]). Options at their
//! default read as `None`; a range with a `canonical` function (written in C against a shell
//! type) is reported as not modelled.

use postgres::Row;
use schema_core::model::{default_multirange_name, QualifiedName, RangeType};

use super::user_type::decode_type;
use super::{qualified, Found};

/// A range type's row of the user-type query.
pub(super) fn from_type_row(row: &Row, name: QualifiedName, found: &mut Found) {
    if row.get::<_, bool>(15) {
        found.unmodeled("range type with a canonical function", qualified(&name));
        return;
    }
    let subtype: Vec<Option<String>> = row.get(11);
    let multirange = match (
        row.get::<_, Option<String>>(16),
        row.get::<_, Option<String>>(17),
    ) {
        (Some(schema), Some(n)) => Some(QualifiedName::new(schema, n)),
        _ => None,
    };
    let default_name = default_multirange_name(&name);
    found.schema.ranges.push(RangeType {
        multirange_type_name: multirange.filter(|m| *m != default_name),
        name,
        subtype: decode_type(&subtype),
        subtype_opclass: row.get(12),
        collation: row.get(13),
        subtype_diff: row.get(14),
        comment: row.get(4),
    });
}
