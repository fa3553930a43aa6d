//! pgdecl: declare a PostgreSQL schema in Rust, checked at compile time, and converge live
//! databases to it.
//!
//! - [`schema!`] declares a schema; it expands to a `pub static SCHEMA` of type [`LazySchema`]
//!   and one module of name constants per table.
//! - [`Schema::create_sql`] renders it as an idempotent DDL script; [`diff()`] plans the change
//!   between two schemas without a database.
//! - [`runtime`] reads, plans and converges live databases.

#![warn(missing_docs)]

pub use schema_core::*;
pub use schema_macros::schema;
pub use schema_runtime as runtime;

/// The type of the `SCHEMA` static that `schema!` generates: built on first use, then shared.
pub type LazySchema = std::sync::LazyLock<Schema>;

/// Items the `schema!` expansion refers to. Not a public API: may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use std::sync::LazyLock;

    /// Reads the model the macro serialized at compile time.
    pub fn schema_from_json(json: &str) -> schema_core::Schema {
        schema_core::Schema::from_json(json)
            .expect("pgdecl: the schema! expansion is out of step with this pgdecl version")
    }

    /// The empty schema a failed `schema!` expands to, so user code still type-checks.
    pub fn empty_schema() -> schema_core::Schema {
        schema_core::Schema::default()
    }
}
