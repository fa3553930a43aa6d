//! `IndexDef` and index key elements: an index as declared, unnamed until lowering derives
//! PostgreSQL's name for it.

use crate::model::{Index, IndexElement, IndexMethod, IndexTarget, StorageParameter};

use super::strings;

/// An index under construction: unnamed unless [`IndexDef::named`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDef {
    /// The declared name; lowering derives one when `None`.
    pub(crate) name: Option<String>,
    /// The index with an empty name until lowering fills it in.
    pub(crate) index: Index,
}

impl Default for IndexDef {
    fn default() -> Self {
        Self::new()
    }
}

impl IndexDef {
    /// A btree index with no key elements yet.
    pub fn new() -> Self {
        IndexDef {
            name: None,
            index: Index {
                name: String::new(),
                unique: false,
                method: IndexMethod::Btree,
                elements: Vec::new(),
                include: Vec::new(),
                predicate: None,
                nulls_not_distinct: false,
                comment: None,
                valid: true,
                storage: Vec::new(),
            },
        }
    }

    /// An index on these columns.
    pub fn on_columns<C: Into<String>>(columns: impl IntoIterator<Item = C>) -> Self {
        columns
            .into_iter()
            .fold(Self::new(), |def, column| def.column(column))
    }

    /// `CREATE INDEX name`.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `UNIQUE`.
    pub fn unique(mut self) -> Self {
        self.index.unique = true;
        self
    }

    /// `USING method`: [`IndexMethod::Gin`], or a name (`"hnsw"`).
    pub fn using(mut self, method: impl Into<IndexMethod>) -> Self {
        self.index.method = method.into();
        self
    }

    /// A key column.
    pub fn column(self, name: impl Into<String>) -> Self {
        self.element(IndexElement::column(name))
    }

    /// A key expression, as SQL text (`"lower(email)"`).
    pub fn expression(self, sql: impl Into<String>) -> Self {
        self.element(IndexElement::expression(sql))
    }

    /// A key element with options (collation, operator class, order).
    pub fn element(mut self, element: IndexElement) -> Self {
        self.index.elements.push(element);
        self
    }

    /// `INCLUDE (columns)`.
    pub fn include<C: Into<String>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.index.include = strings(columns);
        self
    }

    /// `NULLS NOT DISTINCT` (unique indexes; PostgreSQL 15+).
    pub fn nulls_not_distinct(mut self) -> Self {
        self.index.nulls_not_distinct = true;
        self
    }

    /// `WITH (name = value)`: a storage parameter (`fillfactor`, ...).
    pub fn storage(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.index.storage.push(StorageParameter::new(name, value));
        self
    }

    /// `WHERE predicate`, as SQL text: a partial index.
    pub fn where_sql(mut self, predicate: impl Into<String>) -> Self {
        self.index.predicate = Some(predicate.into());
        self
    }

    /// `COMMENT ON INDEX`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.index.comment = Some(text.into());
        self
    }
}

impl From<&str> for IndexMethod {
    fn from(name: &str) -> Self {
        IndexMethod::from_name(name)
    }
}

impl IndexElement {
    /// A key column.
    pub fn column(name: impl Into<String>) -> Self {
        Self::of(IndexTarget::Column(name.into()))
    }

    /// A key expression, as SQL text.
    pub fn expression(sql: impl Into<String>) -> Self {
        Self::of(IndexTarget::Expression(sql.into()))
    }

    fn of(target: IndexTarget) -> Self {
        IndexElement {
            target,
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: None,
        }
    }

    /// `COLLATE name`.
    pub fn collate(mut self, collation: impl Into<String>) -> Self {
        self.collation = Some(collation.into());
        self
    }

    /// An operator class, e.g. `text_pattern_ops`.
    pub fn opclass(mut self, opclass: impl Into<String>) -> Self {
        self.opclass = Some(opclass.into());
        self
    }

    /// `DESC`.
    pub fn desc(mut self) -> Self {
        self.descending = true;
        self
    }

    /// `NULLS FIRST`.
    pub fn nulls_first(mut self) -> Self {
        self.nulls_first = Some(true);
        self
    }

    /// `NULLS LAST`.
    pub fn nulls_last(mut self) -> Self {
        self.nulls_first = Some(false);
        self
    }
}
