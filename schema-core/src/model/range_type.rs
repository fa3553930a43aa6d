//! Range types (`CREATE TYPE name AS RANGE (...)`) and the multirange type PostgreSQL derives
//! for each, which is part of the range, not an object of its own.

use serde::{Deserialize, Serialize};

use super::QualifiedName;
use crate::ident::MAX_IDENTIFIER_BYTES;
use crate::types::DataType;

/// `CREATE TYPE name AS RANGE (subtype = ..., ...)`. Options left at PostgreSQL's default are
/// `None`, so a declaration and the catalog compare equal whether or not they spell them out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeType {
    /// Type name.
    pub name: QualifiedName,
    /// `SUBTYPE`: the type of the bounds.
    pub subtype: DataType,
    /// `SUBTYPE_OPCLASS`, when not the subtype's default btree operator class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype_opclass: Option<String>,
    /// `COLLATION`, when not the subtype's own collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `SUBTYPE_DIFF`: the function, as SQL names it (`float8mi`, `audit.time_diff`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype_diff: Option<String>,
    /// `MULTIRANGE_TYPE_NAME`, when not the name PostgreSQL derives (see
    /// [`RangeType::multirange_name`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multirange_type_name: Option<QualifiedName>,
    /// `COMMENT ON TYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl RangeType {
    /// The multirange type PostgreSQL creates with the range: the declared
    /// `multirange_type_name`, or the derived one.
    pub fn multirange_name(&self) -> QualifiedName {
        self.multirange_type_name
            .clone()
            .unwrap_or_else(|| default_multirange_name(&self.name))
    }
}

/// `makeMultirangeTypeName`: the first `range` in the name becomes `multirange`
/// (`floatrange` → `floatmultirange`), else `_multirange` is appended; clipped to 63 bytes,
/// in the range's schema.
pub fn default_multirange_name(range: &QualifiedName) -> QualifiedName {
    let name = &range.name;
    let derived = match name.find("range") {
        Some(at) => format!("{}multi{}", &name[..at], &name[at..]),
        None => format!("{}_multirange", clip(name, MAX_IDENTIFIER_BYTES - 11)),
    };
    QualifiedName::new(
        range.schema.clone(),
        clip(&derived, MAX_IDENTIFIER_BYTES).to_string(),
    )
}

fn clip(s: &str, bytes: usize) -> &str {
    let mut end = bytes.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multirange_names_follow_postgres() {
        let name = |n: &str| default_multirange_name(&QualifiedName::public(n)).name;
        assert_eq!(name("floatrange"), "floatmultirange");
        assert_eq!(name("int4range"), "int4multirange");
        assert_eq!(name("rangeish"), "multirangeish");
        assert_eq!(name("period"), "period_multirange");
        let long = "x".repeat(63);
        assert_eq!(name(&long).len(), 63);
        assert!(name(&long).ends_with("_multirange"));
    }
}
