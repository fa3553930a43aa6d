//! Domains, from the user-type round trip ([`super::user_type`]): base type, `NOT NULL`,
//! default, collation and checks (with their validation state).

use postgres::Row;
use schema_core::model::{Domain, DomainCheck, QualifiedName};
use serde::Deserialize;

use super::user_type::{decode_type, json_column};
use super::Found;

/// One check as the query returns it.
#[derive(Deserialize)]
struct CheckRow {
    name: String,
    expr: String,
    validated: bool,
}

/// A domain's row of the user-type query.
pub(super) fn from_type_row(row: &Row, name: QualifiedName, found: &mut Found) {
    let base: Vec<Option<String>> = row.get(5);
    let checks: Vec<CheckRow> = json_column(row, 9).unwrap_or_default();
    found.schema.domains.push(Domain {
        name,
        data_type: decode_type(&base),
        not_null: row.get(6),
        default: row.get(7),
        collation: row.get(8),
        checks: checks
            .into_iter()
            .map(|c| DomainCheck {
                name: c.name,
                expr: c.expr,
                validated: c.validated,
            })
            .collect(),
        comment: row.get(4),
    });
}
