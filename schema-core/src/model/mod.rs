//! The schema model: one value type for a whole database schema.
//!
//! Both sources produce it: the `schema!` macro (declared, compiled into the binary) and the
//! runtime's introspection of a live catalog. Diff, rendering and checks are functions of it.
//! Names are stored exactly as PostgreSQL stores them (no case folding); quoting happens only
//! when rendering.

use serde::{Deserialize, Serialize};

mod aggregate;
mod column;
mod composite_type;
mod constraint;
mod domain;
mod enum_type;
mod extension;
mod function;
mod grant;
mod index;
mod namespace;
mod partition;
mod policy;
mod range_type;
mod sequence;
mod storage;
mod table;
mod trigger;
mod view;

pub use aggregate::Aggregate;
pub use column::{
    builtin_storage, Column, Identity, Storage, ATTRIBUTE_OPTIONS, COMPRESSION_METHODS,
    STATISTICS_RANGE,
};
pub use composite_type::{CompositeAttribute, CompositeType};
pub use constraint::{Constraint, ConstraintKind, ExclusionElement, FkAction};
pub use domain::{Domain, DomainCheck};
pub use enum_type::EnumType;
pub use extension::Extension;
pub use function::{ArgMode, BodyStyle, Function, FunctionArg, Returns, Volatility};
pub use grant::{
    acl_entries, default_acl_entries, AclKey, AclState, DefaultAclKey, DefaultObjects,
    DefaultPrivileges, Grant, GrantObject, Privilege,
};
pub use index::{Index, IndexElement, IndexMethod, IndexTarget};
pub use namespace::Namespace;
pub use partition::{
    PartitionBound, PartitionKey, PartitionKeyElement, PartitionOf, PartitionStrategy,
};
pub use policy::{PolicyCommand, RowPolicy, RowSecurity};
pub use range_type::{default_multirange_name, RangeType};
pub use sequence::Sequence;
pub use storage::{storage_changes, StorageParameter};
pub use table::Table;
pub use trigger::{ConstraintTiming, Trigger, TriggerEvent, TriggerTiming};
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

/// The kinds of user-defined type a [`Schema`] declares (see [`Schema::user_type`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserTypeKind {
    /// An enum.
    Enum,
    /// A domain.
    Domain,
    /// A composite type.
    Composite,
    /// A range type.
    Range,
    /// The multirange type PostgreSQL derives for a declared range.
    Multirange,
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

/// Serde's test for leaving a flag that defaults to false out of the serialized model.
///
/// Every field at its default (`None`, `false`, empty) is left out: the model is embedded in
/// the code `schema!` generates and stored in the history, and at 10,000 tables the defaults
/// spelled out were two thirds of its 31 MB (issue 12: compile time). Each such field reads
/// back as its default, so a model round-trips exactly.
pub(crate) fn is_false(flag: &bool) -> bool {
    !*flag
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
    /// Domains. (Left out of the serialized model when empty, as every field at its default
    /// is: the embedded JSON stays small.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    /// Composite types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub composites: Vec<CompositeType>,
    /// Range types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<RangeType>,
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
    /// The tables with row-level security turned on; every other table has it off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub row_security: Vec<RowSecurity>,
    /// Row-level security policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<RowPolicy>,
    /// Privileges granted (and baseline privileges revoked), in declaration order. A schema
    /// none of them (nor of the default privileges) touches keeps whatever grants it has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
    /// `ALTER DEFAULT PRIVILEGES ... IN SCHEMA` grants.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub default_privileges: Vec<DefaultPrivileges>,
}

impl Schema {
    /// The table named `name`.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.iter().find(|t| &t.name == name)
    }

    /// The row-level security of the table named `table`, when it is on.
    pub fn row_security_of(&self, table: &QualifiedName) -> Option<&RowSecurity> {
        self.row_security.iter().find(|r| &r.table == table)
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

    /// The domain named `name`.
    pub fn domain(&self, name: &QualifiedName) -> Option<&Domain> {
        self.domains.iter().find(|d| &d.name == name)
    }

    /// The composite type named `name`.
    pub fn composite_type(&self, name: &QualifiedName) -> Option<&CompositeType> {
        self.composites.iter().find(|c| &c.name == name)
    }

    /// The range type named `name`.
    pub fn range_type(&self, name: &QualifiedName) -> Option<&RangeType> {
        self.ranges.iter().find(|r| &r.name == name)
    }

    /// What the type named `name` is, when the schema declares it: an enum, a domain, a
    /// composite or range type, or the multirange type of a declared range.
    pub fn user_type(&self, name: &QualifiedName) -> Option<UserTypeKind> {
        if self.enum_type(name).is_some() {
            Some(UserTypeKind::Enum)
        } else if self.domain(name).is_some() {
            Some(UserTypeKind::Domain)
        } else if self.composite_type(name).is_some() {
            Some(UserTypeKind::Composite)
        } else if self.range_type(name).is_some() {
            Some(UserTypeKind::Range)
        } else if self.ranges.iter().any(|r| &r.multirange_name() == name) {
            Some(UserTypeKind::Multirange)
        } else {
            None
        }
    }

    /// `ty` with every domain replaced by its base type, as PostgreSQL compares and casts
    /// values of a domain (an array of a domain stays an array). Unchanged for anything else;
    /// a cycle of domains (which PostgreSQL cannot create) stops at the first repeat.
    pub fn base_type(&self, ty: &crate::types::DataType) -> crate::types::DataType {
        let mut current = ty.clone();
        let mut seen = 0;
        while let Some(schema) = &current.schema {
            let name = QualifiedName::new(schema.clone(), current.name.clone());
            let Some(domain) = self.domain(&name) else {
                break;
            };
            seen += 1;
            if seen > self.domains.len() {
                break;
            }
            let array = current.array;
            current = domain.data_type.clone();
            current.array |= array;
        }
        current
    }

    /// Gives back the spare capacity of the schema's lists (the tables and their columns,
    /// constraints and indexes, and the top-level lists), for a schema that is kept: one read
    /// from a catalog grows each list as its rows arrive, and thousands of tables' worth of
    /// slack is megabytes (issue 12: peak memory). Changes nothing else.
    pub fn shrink_to_fit(&mut self) {
        for t in &mut self.tables {
            t.columns.shrink_to_fit();
            t.constraints.shrink_to_fit();
            t.indexes.shrink_to_fit();
        }
        self.extensions.shrink_to_fit();
        self.schemas.shrink_to_fit();
        self.enums.shrink_to_fit();
        self.domains.shrink_to_fit();
        self.composites.shrink_to_fit();
        self.ranges.shrink_to_fit();
        self.sequences.shrink_to_fit();
        self.functions.shrink_to_fit();
        self.aggregates.shrink_to_fit();
        self.tables.shrink_to_fit();
        self.views.shrink_to_fit();
        self.triggers.shrink_to_fit();
        self.row_security.shrink_to_fit();
        self.policies.shrink_to_fit();
        self.grants.shrink_to_fit();
        self.default_privileges.shrink_to_fit();
    }

    /// The functions named `name` (all overloads).
    pub fn functions_named<'a>(
        &'a self,
        name: &'a QualifiedName,
    ) -> impl Iterator<Item = &'a Function> + 'a {
        self.functions.iter().filter(move |f| &f.name == name)
    }
}
