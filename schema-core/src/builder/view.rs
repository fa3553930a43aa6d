//! `CREATE [MATERIALIZED] VIEW`: constructors for [`View`].

use crate::model::{QualifiedName, View};

use super::{strings, IndexDef};

impl View {
    /// `CREATE VIEW name AS query`.
    pub fn new(name: impl Into<QualifiedName>, query: impl Into<String>) -> Self {
        View {
            name: name.into(),
            columns: Vec::new(),
            query: query.into(),
            comment: None,
            column_types: Vec::new(),
            materialized: false,
            with_data: true,
            indexes: Vec::new(),
        }
    }

    /// `CREATE MATERIALIZED VIEW name AS query` (populated at creation).
    pub fn materialized(name: impl Into<QualifiedName>, query: impl Into<String>) -> Self {
        View {
            materialized: true,
            ..View::new(name, query)
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

    /// `WITH NO DATA`: a materialized view created empty, populated by the first `REFRESH
    /// MATERIALIZED VIEW`.
    pub fn with_no_data(mut self) -> Self {
        self.with_data = false;
        self
    }

    /// An index on a materialized view, named `name` (unlike a table's, never derived: a
    /// view's indexes are few, and a derived name would change with the view's columns).
    pub fn index(mut self, name: impl Into<String>, def: IndexDef) -> Self {
        let mut index = def.index;
        index.name = name.into();
        self.indexes.push(index);
        self
    }
}
