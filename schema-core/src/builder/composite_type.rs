//! `CREATE TYPE ... AS (...)`: constructors for [`CompositeType`].

use crate::model::{CompositeAttribute, CompositeType, QualifiedName};
use crate::types::DataType;

impl CompositeType {
    /// A composite type without attributes yet.
    pub fn new(name: impl Into<QualifiedName>) -> Self {
        CompositeType {
            name: name.into(),
            attributes: Vec::new(),
            comment: None,
        }
    }

    /// Adds an attribute.
    pub fn attribute(mut self, attribute: CompositeAttribute) -> Self {
        self.attributes.push(attribute);
        self
    }

    /// `COMMENT ON TYPE`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

impl CompositeAttribute {
    /// An attribute named `name` of type `data_type`.
    pub fn new(name: impl Into<String>, data_type: DataType) -> Self {
        CompositeAttribute {
            name: name.into(),
            data_type,
            collation: None,
            comment: None,
        }
    }

    /// `COLLATE "name"`.
    pub fn collate(mut self, collation: impl Into<String>) -> Self {
        self.collation = Some(collation.into());
        self
    }

    /// `COMMENT ON COLUMN type.attribute`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}
