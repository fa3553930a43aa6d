//! The schema model: one value type for a whole database schema.
//!
//! Both sources produce it: the `schema!` macro (declared, compiled into the binary) and the
//! runtime's introspection of a live catalog. Diff, rendering and checks are functions of it.
//! Names are stored exactly as PostgreSQL stores them (no case folding); quoting happens only
//! when rendering.

use serde::{Deserialize, Serialize};

use crate::types::DataType;

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
    /// Tables, with their columns, constraints and indexes.
    pub tables: Vec<Table>,
    /// Views.
    pub views: Vec<View>,
    /// Triggers.
    pub triggers: Vec<Trigger>,
}

/// `CREATE EXTENSION name [SCHEMA schema]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// Extension name, e.g. `pgcrypto`, `uuid-ossp`.
    pub name: String,
    /// Schema to install its objects in; the server's choice when `None`.
    pub schema: Option<String>,
    /// `COMMENT ON EXTENSION`.
    pub comment: Option<String>,
}

/// `CREATE SCHEMA name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    /// Schema name.
    pub name: String,
    /// `COMMENT ON SCHEMA`.
    pub comment: Option<String>,
}

/// `CREATE TYPE name AS ENUM (...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    /// Type name.
    pub name: QualifiedName,
    /// Labels in sort order.
    pub values: Vec<String>,
    /// `COMMENT ON TYPE`.
    pub comment: Option<String>,
}

/// `CREATE SEQUENCE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    /// Sequence name.
    pub name: QualifiedName,
    /// `AS smallint | integer | bigint`; `bigint` when `None`.
    pub data_type: Option<DataType>,
    /// `INCREMENT BY`.
    pub increment: Option<i64>,
    /// `MINVALUE`.
    pub min_value: Option<i64>,
    /// `MAXVALUE`.
    pub max_value: Option<i64>,
    /// `START WITH`.
    pub start: Option<i64>,
    /// `CACHE`.
    pub cache: Option<i64>,
    /// `CYCLE`.
    pub cycle: bool,
    /// `OWNED BY table.column`.
    pub owned_by: Option<(QualifiedName, String)>,
    /// `COMMENT ON SEQUENCE`.
    pub comment: Option<String>,
}

/// `CREATE TABLE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Table name.
    pub name: QualifiedName,
    /// Columns in physical order.
    pub columns: Vec<Column>,
    /// Table constraints; column constraints are desugared into these with PostgreSQL's names.
    pub constraints: Vec<Constraint>,
    /// Indexes (not those that back primary key or unique constraints).
    pub indexes: Vec<Index>,
    /// `COMMENT ON TABLE`.
    pub comment: Option<String>,
    /// A previous name: the diff renames instead of dropping and creating.
    pub renamed_from: Option<String>,
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Its type (`serial` types included; see [`DataType`]).
    pub data_type: DataType,
    /// `NOT NULL` (implied for primary key, identity and serial columns).
    pub not_null: bool,
    /// `DEFAULT expr`, as SQL text.
    pub default: Option<String>,
    /// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY`.
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`, as SQL text.
    pub generated: Option<String>,
    /// `COLLATE "name"`.
    pub collation: Option<String>,
    /// `COMMENT ON COLUMN`.
    pub comment: Option<String>,
    /// A previous name: the diff renames instead of dropping and adding.
    pub renamed_from: Option<String>,
}

/// Identity column kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

/// A table constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    /// Constraint name, declared or derived the way PostgreSQL derives it.
    pub name: String,
    /// What it constrains.
    pub kind: ConstraintKind,
    /// `DEFERRABLE` (not for checks).
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    pub initially_deferred: bool,
    /// `COMMENT ON CONSTRAINT`.
    pub comment: Option<String>,
}

/// The kinds of table constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConstraintKind {
    /// `PRIMARY KEY (columns) [INCLUDE (include)]`.
    PrimaryKey {
        /// Key columns.
        columns: Vec<String>,
        /// Non-key columns stored in the index.
        include: Vec<String>,
    },
    /// `UNIQUE [NULLS NOT DISTINCT] (columns) [INCLUDE (include)]`.
    Unique {
        /// Key columns.
        columns: Vec<String>,
        /// Non-key columns stored in the index.
        include: Vec<String>,
        /// `NULLS NOT DISTINCT` (PostgreSQL 15+).
        nulls_not_distinct: bool,
    },
    /// `FOREIGN KEY (columns) REFERENCES table (ref_columns) ...`.
    ForeignKey {
        /// Referencing columns.
        columns: Vec<String>,
        /// Referenced table.
        ref_table: QualifiedName,
        /// Referenced columns (the target's primary key when declared without).
        ref_columns: Vec<String>,
        /// `ON DELETE`.
        on_delete: FkAction,
        /// `ON UPDATE`.
        on_update: FkAction,
    },
    /// `CHECK (expr)`.
    Check {
        /// The condition, as SQL text.
        expr: String,
    },
}

impl ConstraintKind {
    /// The SQL keyword(s) naming this kind, for messages.
    pub fn label(&self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey { .. } => "primary key",
            ConstraintKind::Unique { .. } => "unique",
            ConstraintKind::ForeignKey { .. } => "foreign key",
            ConstraintKind::Check { .. } => "check",
        }
    }

    /// The table columns the constraint lists by name (empty for checks).
    pub fn columns(&self) -> &[String] {
        match self {
            ConstraintKind::PrimaryKey { columns, .. }
            | ConstraintKind::Unique { columns, .. }
            | ConstraintKind::ForeignKey { columns, .. } => columns,
            ConstraintKind::Check { .. } => &[],
        }
    }
}

/// Referential action of a foreign key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FkAction {
    /// `NO ACTION` (the default).
    #[default]
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl FkAction {
    /// The SQL words.
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// `CREATE INDEX`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Index name (in the table's schema), declared or derived.
    pub name: String,
    /// `UNIQUE`.
    pub unique: bool,
    /// `USING method`.
    pub method: IndexMethod,
    /// Key elements.
    pub elements: Vec<IndexElement>,
    /// `INCLUDE (columns)`.
    pub include: Vec<String>,
    /// `WHERE predicate`, as SQL text.
    pub predicate: Option<String>,
    /// `NULLS NOT DISTINCT` (unique indexes, PostgreSQL 15+).
    pub nulls_not_distinct: bool,
    /// `COMMENT ON INDEX`.
    pub comment: Option<String>,
}

/// Index access method.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum IndexMethod {
    /// `btree` (the default).
    #[default]
    Btree,
    /// `hash`.
    Hash,
    /// `gin`.
    Gin,
    /// `gist`.
    Gist,
    /// `brin`.
    Brin,
    /// `spgist`.
    SpGist,
    /// An extension's method, e.g. `hnsw`.
    Other(String),
}

impl IndexMethod {
    /// The method's name as `USING` takes it.
    pub fn name(&self) -> &str {
        match self {
            IndexMethod::Btree => "btree",
            IndexMethod::Hash => "hash",
            IndexMethod::Gin => "gin",
            IndexMethod::Gist => "gist",
            IndexMethod::Brin => "brin",
            IndexMethod::SpGist => "spgist",
            IndexMethod::Other(name) => name,
        }
    }

    /// The method named `name` (case-insensitive for the built-in ones).
    pub fn from_name(name: &str) -> IndexMethod {
        match name.to_ascii_lowercase().as_str() {
            "btree" => IndexMethod::Btree,
            "hash" => IndexMethod::Hash,
            "gin" => IndexMethod::Gin,
            "gist" => IndexMethod::Gist,
            "brin" => IndexMethod::Brin,
            "spgist" => IndexMethod::SpGist,
            _ => IndexMethod::Other(name.to_string()),
        }
    }
}

/// One key element of an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexElement {
    /// A column or an expression.
    pub target: IndexTarget,
    /// `COLLATE`.
    pub collation: Option<String>,
    /// Operator class, e.g. `text_pattern_ops`, `gin_trgm_ops`.
    pub opclass: Option<String>,
    /// `DESC`.
    pub descending: bool,
    /// `NULLS FIRST` (`Some(true)`) / `NULLS LAST` (`Some(false)`); the default for the order when `None`.
    pub nulls_first: Option<bool>,
}

/// What an index element indexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndexTarget {
    /// A column by name.
    Column(String),
    /// An expression, as SQL text (rendered inside parentheses).
    Expression(String),
}

/// `CREATE FUNCTION` / `CREATE PROCEDURE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// Function name.
    pub name: QualifiedName,
    /// `PROCEDURE` instead of `FUNCTION`.
    pub is_procedure: bool,
    /// Arguments in order.
    pub args: Vec<FunctionArg>,
    /// Return type; `None` for procedures.
    pub returns: Option<Returns>,
    /// `LANGUAGE`, e.g. `sql`, `plpgsql`.
    pub language: String,
    /// The body, without quoting.
    pub body: String,
    /// `IMMUTABLE | STABLE | VOLATILE`.
    pub volatility: Volatility,
    /// `STRICT` (`RETURNS NULL ON NULL INPUT`).
    pub strict: bool,
    /// `SECURITY DEFINER`.
    pub security_definer: bool,
    /// `SET name = value` clauses, e.g. `("search_path", "public, pg_temp")`.
    pub config: Vec<(String, String)>,
    /// `COMMENT ON FUNCTION`.
    pub comment: Option<String>,
}

/// Argument mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ArgMode {
    /// `IN` (the default).
    #[default]
    In,
    /// `OUT`.
    Out,
    /// `INOUT`.
    InOut,
    /// `VARIADIC`.
    Variadic,
}

impl ArgMode {
    /// The SQL keyword.
    pub fn sql(self) -> &'static str {
        match self {
            ArgMode::In => "IN",
            ArgMode::Out => "OUT",
            ArgMode::InOut => "INOUT",
            ArgMode::Variadic => "VARIADIC",
        }
    }
}

/// One function argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionArg {
    /// Mode.
    pub mode: ArgMode,
    /// Name, if any.
    pub name: Option<String>,
    /// Type.
    pub data_type: DataType,
    /// `DEFAULT expr`, as SQL text.
    pub default: Option<String>,
}

/// What a function returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Returns {
    /// `RETURNS type`.
    Type(DataType),
    /// `RETURNS SETOF type`.
    SetOf(DataType),
    /// `RETURNS TABLE (name type, ...)`.
    Table(Vec<(String, DataType)>),
}

/// Function volatility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Volatility {
    /// `IMMUTABLE`.
    Immutable,
    /// `STABLE`.
    Stable,
    /// `VOLATILE` (the default).
    #[default]
    Volatile,
}

impl Volatility {
    /// The SQL keyword.
    pub fn sql(self) -> &'static str {
        match self {
            Volatility::Immutable => "IMMUTABLE",
            Volatility::Stable => "STABLE",
            Volatility::Volatile => "VOLATILE",
        }
    }
}

/// `CREATE VIEW name AS query`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// View name.
    pub name: QualifiedName,
    /// Optional output column names.
    pub columns: Vec<String>,
    /// The query, as SQL text.
    pub query: String,
    /// `COMMENT ON VIEW`.
    pub comment: Option<String>,
}

/// `CREATE TRIGGER`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    /// Trigger name (unique per table).
    pub name: String,
    /// The table (or view, for `INSTEAD OF`) it fires on.
    pub table: QualifiedName,
    /// `BEFORE | AFTER | INSTEAD OF`.
    pub timing: TriggerTiming,
    /// The events, in declaration order.
    pub events: Vec<TriggerEvent>,
    /// `FOR EACH ROW` (`true`) or `FOR EACH STATEMENT`.
    pub for_each_row: bool,
    /// `WHEN (condition)`, as SQL text.
    pub when: Option<String>,
    /// The trigger function.
    pub function: QualifiedName,
    /// Literal arguments passed to it.
    pub args: Vec<String>,
    /// `COMMENT ON TRIGGER`.
    pub comment: Option<String>,
}

/// When a trigger fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TriggerTiming {
    /// `BEFORE`.
    Before,
    /// `AFTER`.
    After,
    /// `INSTEAD OF`.
    InsteadOf,
}

impl TriggerTiming {
    /// The SQL words.
    pub fn sql(self) -> &'static str {
        match self {
            TriggerTiming::Before => "BEFORE",
            TriggerTiming::After => "AFTER",
            TriggerTiming::InsteadOf => "INSTEAD OF",
        }
    }
}

/// An event a trigger fires on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TriggerEvent {
    /// `INSERT`.
    Insert,
    /// `UPDATE [OF columns]`.
    Update(Vec<String>),
    /// `DELETE`.
    Delete,
    /// `TRUNCATE`.
    Truncate,
}

impl Schema {
    /// The table named `name`.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.iter().find(|t| &t.name == name)
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

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The primary key constraint, if any.
    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .iter()
            .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
    }
}
