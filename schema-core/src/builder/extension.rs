//! `CREATE EXTENSION`: constructors for [`Extension`].

use crate::model::Extension;

impl Extension {
    /// `CREATE EXTENSION name`, in the schema the server chooses.
    pub fn new(name: impl Into<String>) -> Self {
        Extension {
            name: name.into(),
            schema: None,
            comment: None,
        }
    }

    /// `WITH SCHEMA schema`.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// `COMMENT ON EXTENSION`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

impl From<&str> for Extension {
    fn from(name: &str) -> Self {
        Extension::new(name)
    }
}
