//! `CREATE SEQUENCE`: constructors for [`Sequence`].

use crate::model::{QualifiedName, Sequence};
use crate::types::DataType;

impl Sequence {
    /// A sequence with every option at PostgreSQL's default.
    pub fn new(name: impl Into<QualifiedName>) -> Self {
        Sequence {
            name: name.into(),
            data_type: None,
            increment: None,
            min_value: None,
            max_value: None,
            start: None,
            cache: None,
            cycle: false,
            owned_by: None,
            comment: None,
        }
    }

    /// `AS type` (`smallint`, `integer` or `bigint`).
    pub fn data_type(mut self, data_type: DataType) -> Self {
        self.data_type = Some(data_type);
        self
    }

    /// `INCREMENT BY n`.
    pub fn increment(mut self, n: i64) -> Self {
        self.increment = Some(n);
        self
    }

    /// `MINVALUE n`.
    pub fn min_value(mut self, n: i64) -> Self {
        self.min_value = Some(n);
        self
    }

    /// `MAXVALUE n`.
    pub fn max_value(mut self, n: i64) -> Self {
        self.max_value = Some(n);
        self
    }

    /// `START WITH n`.
    pub fn start(mut self, n: i64) -> Self {
        self.start = Some(n);
        self
    }

    /// `CACHE n`.
    pub fn cache(mut self, n: i64) -> Self {
        self.cache = Some(n);
        self
    }

    /// `CYCLE`.
    pub fn cycle(mut self) -> Self {
        self.cycle = true;
        self
    }

    /// `OWNED BY table.column`.
    pub fn owned_by(mut self, table: impl Into<QualifiedName>, column: impl Into<String>) -> Self {
        self.owned_by = Some((table.into(), column.into()));
        self
    }

    /// `COMMENT ON SEQUENCE`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}
