//! Checks shared by the macro (as spanned compile errors) and the runtime (as errors).
//!
//! TODO(owner: macro work): one `fn check_*` per rule.

use crate::model::Schema;

/// Where in a [`Schema`] a diagnostic points, by index, so the macro can map it to a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The schema as a whole.
    Schema,
}

/// One problem found by [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable kebab-case code, e.g. `fk-target-missing`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// What it points at.
    pub location: Location,
}

/// Every problem in `schema`, in declaration order.
pub fn check(_schema: &Schema) -> Vec<Diagnostic> {
    Vec::new()
}
