//! `CREATE TYPE ... AS ENUM`: constructors for [`EnumType`].

use crate::model::{EnumType, QualifiedName};

use super::strings;

impl EnumType {
    /// An enum type with its labels in order.
    pub fn new<L: Into<String>>(
        name: impl Into<QualifiedName>,
        labels: impl IntoIterator<Item = L>,
    ) -> Self {
        EnumType {
            name: name.into(),
            values: strings(labels),
            comment: None,
        }
    }

    /// `COMMENT ON TYPE`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}
