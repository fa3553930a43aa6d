//! Triggers on tables (and `INSTEAD OF` triggers on views).

use serde::{Deserialize, Serialize};

use super::QualifiedName;

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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<TriggerEvent>,
    /// `FOR EACH ROW` (`true`) or `FOR EACH STATEMENT`.
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub for_each_row: bool,
    /// `WHEN (condition)`, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The trigger function.
    pub function: QualifiedName,
    /// Literal arguments passed to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// `COMMENT ON TRIGGER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `REFERENCING OLD TABLE AS name`: the transition table of the old rows (`AFTER`
    /// triggers on `UPDATE` or `DELETE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_table: Option<String>,
    /// `REFERENCING NEW TABLE AS name`: the transition table of the new rows (`AFTER`
    /// triggers on `INSERT` or `UPDATE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_table: Option<String>,
    /// `CREATE CONSTRAINT TRIGGER` (always `AFTER ... FOR EACH ROW`), with when it fires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<ConstraintTiming>,
}

/// When a constraint trigger fires: at the end of the statement, or (deferred) of the
/// transaction; `SET CONSTRAINTS` can move a deferrable one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConstraintTiming {
    /// `NOT DEFERRABLE`.
    NotDeferrable,
    /// `DEFERRABLE INITIALLY IMMEDIATE`.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`.
    InitiallyDeferred,
}

impl ConstraintTiming {
    /// The SQL words.
    pub fn sql(self) -> &'static str {
        match self {
            ConstraintTiming::NotDeferrable => "NOT DEFERRABLE",
            ConstraintTiming::InitiallyImmediate => "DEFERRABLE INITIALLY IMMEDIATE",
            ConstraintTiming::InitiallyDeferred => "DEFERRABLE INITIALLY DEFERRED",
        }
    }
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
