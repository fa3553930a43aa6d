//! The pure diff of two schemas into an ordered plan.
//!
//! TODO(owner: render work).

use crate::model::Schema;

/// What a change risks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hazard {
    /// Deletes data.
    DeletesData,
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The SQL.
    pub sql: String,
}

/// An ordered list of changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The changes, in order.
    pub changes: Vec<Change>,
}

/// The plan that turns `old` into `new`.
pub fn diff(_old: &Schema, _new: &Schema) -> Plan {
    Plan::default()
}
