//! What a rule reports: a [`Rule`], a message and help in PostgreSQL's terms, and the
//! [`Location`] it is about. A violation is data; the macro and the runtime print it.

use std::fmt;

use super::{Location, Rule};
use crate::model::Schema;

/// One problem found by [`check`](super::check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule it violates; displays as the stable kebab-case code, e.g. `fk-target-missing`.
    pub code: Rule,
    /// What is wrong, and what PostgreSQL would do about it.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// What it points at.
    pub location: Location,
    /// The name inside an SQL fragment the diagnostic is about (a missing column inside an
    /// index expression), so a caller holding the fragment's tokens can point at that name.
    pub subject: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of `code` at `location`, without help or subject yet.
    pub(crate) fn new(code: Rule, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            help: None,
            location,
            subject: None,
        }
    }

    /// Adds what to do about it.
    pub(crate) fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds the name inside an SQL fragment it is about.
    pub(crate) fn subject(mut self, subject: impl Into<String>) -> Diagnostic {
        self.subject = Some(subject.into());
        self
    }

    /// The diagnostic as a multi-line text naming the object it is about, for run-time errors.
    pub fn render(&self, schema: &Schema) -> String {
        let mut out = format!(
            "error[{}]: {}\n  --> {}",
            self.code,
            self.message,
            self.location.describe(schema)
        );
        if let Some(help) = &self.help {
            out.push_str("\n  = help: ");
            out.push_str(help);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.code, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}
