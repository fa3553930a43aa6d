//! The schema model: one value type for a whole database schema.
//!
//! Both sources produce it: the `schema!` macro (declared, compiled into the binary) and the
//! runtime's introspection of a live catalog. Diff, rendering and checks are functions of it.
//! Names are stored exactly as PostgreSQL stores them (no case folding); quoting happens only
//! when rendering.

use serde::{Deserialize, Serialize};

mod aggregate;
mod column;
mod constraint;
mod enum_type;
mod extension;
mod function;
mod index;
mod namespace;
mod partition;
mod sequence;
mod table;
mod trigger;
mod view;

pub use aggregate::Aggregate;
pub use column::{Column, Identity};
pub use constraint::{Constraint, ConstraintKind, FkAction};
pub use enum_type::EnumType;
pub use extension::Extension;
pub use function::{ArgMode, Function, FunctionArg, Returns, Volatility};
pub use index::{Index, IndexElement, IndexMethod, IndexTarget};
pub use namespace::Namespace;
pub use partition::{
    PartitionBound, PartitionKey, PartitionKeyElement, PartitionOf, PartitionStrategy,
};
pub use sequence::Sequence;
pub use table::Table;
pub use trigger::{Trigger, TriggerEvent, TriggerTiming};
pub use view::View;

/// The schema every unqualified name lives in.
pub const DEFAULT_SCHEMA: &str = "public";

/// A name qualified by its schema (namespace), e.g. `audit.events`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct QualifiedName {
    /// The namespace, `public` unless declared otherwise.
    pub schema: String,
    /// The object's own name.
    pub name: String,
}

impl QualifiedName {
    /// A name in `schema`.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// A name in the `public` schema.
    pub fn public(name: impl Into<String>) -> Self {
        QualifiedName::new(DEFAULT_SCHEMA, name)
    }
}

impl From<&str> for QualifiedName {
    /// `"a.b"` is `a.b`; `"b"` is `public.b`. Only for names without dots of their own.
    fn from(s: &str) -> Self {
        match s.split_once('.') {
            Some((schema, name)) => QualifiedName::new(schema, name),
            None => QualifiedName::public(s),
        }
    }
}

/// A whole declared (or introspected) database schema.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// `CREATE EXTENSION`s, in declaration order.
    pub extensions: Vec<Extension>,
    /// `CREATE SCHEMA`s (namespaces other than `public`).
    pub schemas: Vec<Namespace>,
    /// Enum types.
    pub enums: Vec<EnumType>,
    /// Free-standing sequences (serial columns own theirs implicitly).
    pub sequences: Vec<Sequence>,
    /// Functions and procedures.
    pub functions: Vec<Function>,
    /// Aggregates (left out of the serialized model when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aggregates: Vec<Aggregate>,
    /// Tables, with their columns, constraints and indexes.
    pub tables: Vec<Table>,
    /// Views.
    pub views: Vec<View>,
    /// Triggers.
    pub triggers: Vec<Trigger>,
}

impl Schema {
    /// The table named `name`.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.iter().find(|t| &t.name == name)
    }

    /// The partitions of the table named `parent` (one level), in declaration order.
    pub fn partitions_of<'a>(
        &'a self,
        parent: &'a QualifiedName,
    ) -> impl Iterator<Item = &'a Table> + 'a {
        self.tables
            .iter()
            .filter(move |t| t.partition_of.as_ref().is_some_and(|p| &p.parent == parent))
    }

    /// The enum type named `name`.
    pub fn enum_type(&self, name: &QualifiedName) -> Option<&EnumType> {
        self.enums.iter().find(|e| &e.name == name)
    }

    /// The functions named `name` (all overloads).
    pub fn functions_named<'a>(
        &'a self,
        name: &'a QualifiedName,
    ) -> impl Iterator<Item = &'a Function> + 'a {
        self.functions.iter().filter(move |f| &f.name == name)
    }
}
