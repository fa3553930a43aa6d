//! `CREATE VIEW`: constructors for [`View`].

use crate::model::{QualifiedName, View};

use super::strings;

impl View {
    /// `CREATE VIEW name AS query`.
    pub fn new(name: impl Into<QualifiedName>, query: impl Into<String>) -> Self {
        View {
            name: name.into(),
            columns: Vec::new(),
            query: query.into(),
            comment: None,
            column_types: Vec::new(),
        }
    }

    /// Output column names: `CREATE VIEW name (columns) AS ...`.
    pub fn columns<C: Into<String>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.columns = strings(columns);
        self
    }

    /// `COMMENT ON VIEW`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}
