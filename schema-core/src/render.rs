//! SQL rendering: `create_sql()` and the statements of a plan.
//!
//! TODO(owner: render work).

use crate::model::Schema;

impl Schema {
    /// The whole schema as one idempotent DDL script in dependency order.
    pub fn create_sql(&self) -> String {
        String::new()
    }
}
