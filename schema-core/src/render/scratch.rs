//! Scratch DDL the runtime runs and always rolls back: the scratch schemas a declared schema
//! is created in to read its canonical form (and to follow the print chains of its SQL
//! fragments).

use std::fmt::{self, Display, Formatter};

use crate::ident::quote_ident;

/// Creates the scratch schemas that stand in for a declaration's schemas, and puts them on
/// `search_path` (then `fallback`, where extensions live) with function bodies unchecked,
/// for the transaction: `CREATE SCHEMA ...; SET LOCAL search_path = ...; SET LOCAL
/// check_function_bodies = off;`, one statement per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScratchSchemas<'a> {
    /// The scratch schemas, in `search_path` order.
    pub schemas: Vec<&'a str>,
    /// The schema searched after them.
    pub fallback: &'a str,
}

impl Display for ScratchSchemas<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for schema in &self.schemas {
            writeln!(f, "CREATE SCHEMA {};", quote_ident(schema))?;
        }
        f.write_str("SET LOCAL search_path = ")?;
        for schema in &self.schemas {
            write!(f, "{}, ", quote_ident(schema))?;
        }
        writeln!(f, "{};", quote_ident(self.fallback))?;
        writeln!(f, "SET LOCAL check_function_bodies = off;")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_schemas() {
        let setup = ScratchSchemas {
            schemas: vec!["pgdecl_scratch_a_0", "pgdecl_scratch_a_1"],
            fallback: "public",
        };
        assert_eq!(
            setup.to_string(),
            "CREATE SCHEMA pgdecl_scratch_a_0;\nCREATE SCHEMA pgdecl_scratch_a_1;\n\
             SET LOCAL search_path = pgdecl_scratch_a_0, pgdecl_scratch_a_1, public;\n\
             SET LOCAL check_function_bodies = off;\n"
        );
    }
}
