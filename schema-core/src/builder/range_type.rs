//! `CREATE TYPE ... AS RANGE (...)`: constructors for [`RangeType`].

use crate::model::{default_multirange_name, QualifiedName, RangeType};
use crate::types::DataType;

impl RangeType {
    /// A range over `subtype` with every other option at PostgreSQL's default.
    pub fn new(name: impl Into<QualifiedName>, subtype: DataType) -> Self {
        RangeType {
            name: name.into(),
            subtype,
            subtype_opclass: None,
            collation: None,
            subtype_diff: None,
            multirange_type_name: None,
            comment: None,
        }
    }

    /// `SUBTYPE_OPCLASS = name` (a btree operator class of the subtype).
    pub fn subtype_opclass(mut self, opclass: impl Into<String>) -> Self {
        self.subtype_opclass = Some(opclass.into());
        self
    }

    /// `COLLATION = name`.
    pub fn collation(mut self, collation: impl Into<String>) -> Self {
        self.collation = Some(collation.into());
        self
    }

    /// `SUBTYPE_DIFF = function`, the function as SQL names it (`float8mi`).
    pub fn subtype_diff(mut self, function: impl Into<String>) -> Self {
        self.subtype_diff = Some(function.into());
        self
    }

    /// `MULTIRANGE_TYPE_NAME = name`. The name PostgreSQL would derive is kept as `None`, so
    /// spelling out the default changes nothing.
    pub fn multirange_type_name(mut self, name: impl Into<QualifiedName>) -> Self {
        let name = name.into();
        self.multirange_type_name = (name != default_multirange_name(&self.name)).then_some(name);
        self
    }

    /// `COMMENT ON TYPE`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}
