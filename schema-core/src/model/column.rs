//! Columns of a table, with their defaults, identity and generated expressions.

use serde::{Deserialize, Serialize};

use super::StorageParameter;
use crate::types::DataType;

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Its type (`serial` types included; see [`DataType`]).
    pub data_type: DataType,
    /// `NOT NULL` (implied for primary key, identity and serial columns).
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub not_null: bool,
    /// `DEFAULT expr`, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// `GENERATED ALWAYS AS (expr) STORED`, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// `COLLATE "name"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `COMMENT ON COLUMN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// A previous name: the diff renames instead of dropping and adding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// How existing values convert when the live column has another type and no cast
    /// converts them (`ALTER COLUMN ... TYPE ... USING expr`, e.g. `current_date + created_at`
    /// for `time` to `timestamp`). Used only while the live type differs; like
    /// `renamed_from`, it lives in the declaration only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    /// `SET STATISTICS n`: the statistics target of `ANALYZE` for this column (0 to 10000);
    /// `None` is the server's default (`-1`). Left out of the serialized model when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<i32>,
    /// `SET STORAGE`: how values are stored and toasted; `None` is the type's own default
    /// (`pg_type.typstorage`). Left out of the serialized model when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Storage>,
    /// `COMPRESSION method` (`pglz`, `lz4`); `None` is `default_toast_compression`. Left out
    /// of the serialized model when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// `SET (n_distinct = ..., n_distinct_inherited = ...)`: attribute options, as
    /// `pg_attribute.attoptions` holds them. Left out of the serialized model when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<StorageParameter>,
}

/// A column's storage strategy (`ALTER COLUMN ... SET STORAGE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    /// `PLAIN`: inline, uncompressed (fixed-length types have only this).
    Plain,
    /// `EXTERNAL`: out of line, uncompressed (fast substrings of long values).
    External,
    /// `EXTENDED`: compressed, then out of line (most variable-length types' default).
    Extended,
    /// `MAIN`: compressed, out of line only as a last resort.
    Main,
}

impl Storage {
    /// Every kind, in the order the `schema!` grammar lists them.
    pub const ALL: [Storage; 4] = [
        Storage::Plain,
        Storage::External,
        Storage::Extended,
        Storage::Main,
    ];

    /// The lower-case keyword: `plain`, `external`, `extended`, `main`.
    pub fn keyword(self) -> &'static str {
        match self {
            Storage::Plain => "plain",
            Storage::External => "external",
            Storage::Extended => "extended",
            Storage::Main => "main",
        }
    }

    /// The kind named `word` (any case).
    pub fn from_keyword(word: &str) -> Option<Storage> {
        Storage::ALL
            .into_iter()
            .find(|s| s.keyword().eq_ignore_ascii_case(word))
    }

    /// The kind a `pg_attribute.attstorage` / `pg_type.typstorage` letter stands for.
    pub fn from_catalog(letter: &str) -> Option<Storage> {
        match letter {
            "p" => Some(Storage::Plain),
            "e" => Some(Storage::External),
            "x" => Some(Storage::Extended),
            "m" => Some(Storage::Main),
            _ => None,
        }
    }
}

/// The storage a built-in type (or any array) has by default (`pg_type.typstorage`), for the
/// common ones; `None` for user and extension types, whose default only the server knows. A
/// declared storage equal to it is the same as none (PostgreSQL does not tell them apart).
pub fn builtin_storage(data_type: &DataType) -> Option<Storage> {
    if data_type.array {
        return Some(Storage::Extended);
    }
    if data_type.schema.is_some() {
        return None;
    }
    match data_type.name.as_str() {
        "smallint"
        | "integer"
        | "bigint"
        | "smallserial"
        | "serial"
        | "bigserial"
        | "real"
        | "double precision"
        | "money"
        | "boolean"
        | "\"char\""
        | "name"
        | "date"
        | "time without time zone"
        | "time with time zone"
        | "timestamp without time zone"
        | "timestamp with time zone"
        | "interval"
        | "uuid"
        | "macaddr"
        | "macaddr8"
        | "point" => Some(Storage::Plain),
        "numeric" | "inet" | "cidr" => Some(Storage::Main),
        "text" | "character varying" | "character" | "bpchar" | "bytea" | "json" | "jsonb"
        | "jsonpath" | "xml" | "bit" | "bit varying" | "tsvector" | "tsquery" => {
            Some(Storage::Extended)
        }
        _ => None,
    }
}

/// The compression methods PostgreSQL knows (`lz4` needs a server built with it).
pub const COMPRESSION_METHODS: &[&str] = &["pglz", "lz4"];

/// The attribute options a column takes (`ALTER COLUMN ... SET (...)`).
pub const ATTRIBUTE_OPTIONS: &[&str] = &["n_distinct", "n_distinct_inherited"];

/// The range of a declared statistics target (`-1` is the default, as if undeclared).
pub const STATISTICS_RANGE: std::ops::RangeInclusive<i32> = -1..=10000;

/// Identity column kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}
