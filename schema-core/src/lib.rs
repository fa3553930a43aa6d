//! pgdecl's core: the schema model, the checks both the macro and the runtime apply to it, SQL
//! rendering, and the pure diff of two schemas into an ordered plan. No I/O happens here.
//!
//! Data flow: `schema!` or introspection → [`Schema`] → [`check::check`] →
//! [`Schema::create_sql`] / [`diff()`] → [`Plan`]. Hand-written schemas come from
//! [`Schema::builder`]; [`render`] holds the DDL printer both outputs share.

#![warn(missing_docs)]

pub mod builder;
pub mod check;
pub mod diff;
pub mod expr;
pub mod expr_memo;
pub mod grammar;
pub mod ident;
mod lower;
pub mod model;
pub mod naming;
pub mod print_chain;
pub mod render;
pub mod suggest;
pub mod types;

pub use check::{check, Diagnostic, Location};
pub use diff::{diff, Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Plan};
pub use model::*;
pub use types::DataType;

impl Schema {
    /// Serializes the model; the `schema!` macro embeds this and the binary reads it back with
    /// [`Schema::from_json`], so the macro and the public API build exactly the same value.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a Schema always serializes")
    }

    /// Reads a model written by [`Schema::to_json`].
    pub fn from_json(json: &str) -> Result<Schema, serde_json::Error> {
        serde_json::from_str(json)
    }
}

#[cfg(test)]
mod tests {
    use crate::builder::*;
    use crate::{DataType, Schema};

    /// Fields at their defaults are left out of the model's JSON (it is embedded in every
    /// `schema!` expansion: two thirds of it at 10,000 tables were spelled-out defaults) and
    /// read back as those defaults, so the model still round-trips exactly.
    #[test]
    fn defaults_are_left_out_of_the_json_and_read_back() {
        let schema = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("id", DataType::builtin("bigint")).primary_key())
                    .column(ColumnDef::new("email", DataType::builtin("text")))
                    .index(IndexDef::on_columns(["email"])),
            )
            .build();
        let json = schema.to_json();
        for spelled_default in [":null", ":false", "\"modifiers\"", "\"comment\""] {
            assert!(
                !json.contains(spelled_default),
                "{spelled_default} in {json}"
            );
        }
        assert_eq!(Schema::from_json(&json).unwrap(), schema);
    }
}
