//! `CREATE SCHEMA`: constructors for [`Namespace`].

use crate::model::Namespace;

impl Namespace {
    /// `CREATE SCHEMA name`.
    pub fn new(name: impl Into<String>) -> Self {
        Namespace {
            name: name.into(),
            comment: None,
        }
    }

    /// `COMMENT ON SCHEMA`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

impl From<&str> for Namespace {
    fn from(name: &str) -> Self {
        Namespace::new(name)
    }
}
