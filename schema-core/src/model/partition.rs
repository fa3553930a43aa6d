//! Declarative partitioning: a table's partition key (`PARTITION BY`) and a partition's place
//! in its parent (`PARTITION OF parent FOR VALUES ...`).
//!
//! A partition is a [`Table`](super::Table) like any other, with its parent and bound in
//! [`Table::partition_of`](super::Table::partition_of); its columns are its parent's
//! (lowering copies them, introspection reads them), and only the constraints, indexes and
//! triggers declared on the partition itself are its own: those PostgreSQL propagates from the
//! parent (attached indexes, cloned constraints and triggers) are the parent's.

use serde::{Deserialize, Serialize};

use super::{IndexTarget, QualifiedName};

/// `PARTITION BY strategy (key)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionKey {
    /// `RANGE`, `LIST` or `HASH`.
    pub strategy: PartitionStrategy,
    /// The key: columns or expressions, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<PartitionKeyElement>,
}

impl PartitionKey {
    /// A key of `strategy` over `columns`.
    pub fn new<C: Into<String>>(
        strategy: PartitionStrategy,
        columns: impl IntoIterator<Item = C>,
    ) -> Self {
        PartitionKey {
            strategy,
            elements: columns
                .into_iter()
                .map(|c| PartitionKeyElement::column(c))
                .collect(),
        }
    }

    /// `PARTITION BY RANGE (columns)`.
    pub fn range<C: Into<String>>(columns: impl IntoIterator<Item = C>) -> Self {
        Self::new(PartitionStrategy::Range, columns)
    }

    /// `PARTITION BY LIST (column)`.
    pub fn list(column: impl Into<String>) -> Self {
        Self::new(PartitionStrategy::List, [column])
    }

    /// `PARTITION BY HASH (columns)`.
    pub fn hash<C: Into<String>>(columns: impl IntoIterator<Item = C>) -> Self {
        Self::new(PartitionStrategy::Hash, columns)
    }

    /// Adds an element (an expression, or a column with a collation or operator class).
    pub fn element(mut self, element: PartitionKeyElement) -> Self {
        self.elements.push(element);
        self
    }

    /// Adds an expression element, `sql` as SQL text.
    pub fn expression(self, sql: impl Into<String>) -> Self {
        self.element(PartitionKeyElement {
            target: IndexTarget::Expression(sql.into()),
            collation: None,
            opclass: None,
        })
    }

    /// The key columns named directly (not those inside expressions).
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.elements.iter().filter_map(|e| match &e.target {
            IndexTarget::Column(c) => Some(c.as_str()),
            IndexTarget::Expression(_) => None,
        })
    }
}

/// How rows are assigned to partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartitionStrategy {
    /// `RANGE`: each partition holds `FROM (..) TO (..)`, lower bound included.
    Range,
    /// `LIST`: each partition holds `IN (..)`.
    List,
    /// `HASH`: each partition holds `WITH (MODULUS m, REMAINDER r)`.
    Hash,
}

impl PartitionStrategy {
    /// The SQL keyword.
    pub fn sql(self) -> &'static str {
        match self {
            PartitionStrategy::Range => "RANGE",
            PartitionStrategy::List => "LIST",
            PartitionStrategy::Hash => "HASH",
        }
    }

    /// The bound form a partition of this strategy takes, for messages.
    pub fn bound_form(self) -> &'static str {
        match self {
            PartitionStrategy::Range => "for values from (..) to (..)",
            PartitionStrategy::List => "for values in (..)",
            PartitionStrategy::Hash => "for values with (modulus M, remainder R)",
        }
    }
}

/// One element of a partition key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionKeyElement {
    /// A column or an expression.
    pub target: IndexTarget,
    /// `COLLATE`, when not the column's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Operator class, when not the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
}

impl PartitionKeyElement {
    /// The column `name`.
    pub fn column(name: impl Into<String>) -> Self {
        PartitionKeyElement {
            target: IndexTarget::Column(name.into()),
            collation: None,
            opclass: None,
        }
    }
}

/// `PARTITION OF parent FOR VALUES ... | DEFAULT`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    /// The partitioned table this is a partition of.
    pub parent: QualifiedName,
    /// Which rows it holds.
    pub bound: PartitionBound,
}

/// Which rows a partition holds. Values are SQL constants as PostgreSQL prints them in
/// `pg_get_expr(relpartbound, oid)`: `'2022-01-01'` (a quoted literal), `42`, `true`, `NULL`,
/// and in range bounds `MINVALUE` and `MAXVALUE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartitionBound {
    /// `FOR VALUES FROM (from) TO (to)`: one value per key element on each side.
    Range {
        /// Lower bound, included.
        from: Vec<String>,
        /// Upper bound, excluded.
        to: Vec<String>,
    },
    /// `FOR VALUES IN (values)`.
    List(Vec<String>),
    /// `FOR VALUES WITH (MODULUS modulus, REMAINDER remainder)`.
    Hash {
        /// The modulus.
        modulus: u32,
        /// The remainder, below the modulus.
        remainder: u32,
    },
    /// `DEFAULT`: every row no other partition holds.
    Default,
}

impl PartitionBound {
    /// `FOR VALUES FROM (from) TO (to)`, values as SQL constants.
    pub fn range<F: Into<String>, T: Into<String>>(
        from: impl IntoIterator<Item = F>,
        to: impl IntoIterator<Item = T>,
    ) -> Self {
        PartitionBound::Range {
            from: from.into_iter().map(Into::into).collect(),
            to: to.into_iter().map(Into::into).collect(),
        }
    }

    /// `FOR VALUES IN (values)`, values as SQL constants.
    pub fn list<V: Into<String>>(values: impl IntoIterator<Item = V>) -> Self {
        PartitionBound::List(values.into_iter().map(Into::into).collect())
    }

    /// `FOR VALUES WITH (MODULUS modulus, REMAINDER remainder)`.
    pub fn hash(modulus: u32, remainder: u32) -> Self {
        PartitionBound::Hash { modulus, remainder }
    }

    /// The strategy this bound form belongs to; `None` for `DEFAULT` (range or list).
    pub fn strategy(&self) -> Option<PartitionStrategy> {
        match self {
            PartitionBound::Range { .. } => Some(PartitionStrategy::Range),
            PartitionBound::List(_) => Some(PartitionStrategy::List),
            PartitionBound::Hash { .. } => Some(PartitionStrategy::Hash),
            PartitionBound::Default => None,
        }
    }
}
