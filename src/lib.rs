//! pgdecl: declare a PostgreSQL schema in Rust, checked at compile time, and converge live
//! databases to it.
//!
//! - [`schema!`] declares a schema; it expands to a `pub static SCHEMA` of type [`LazySchema`]
//!   and one module of SQL-ready name constants per table. [`Schema::builder`] builds the same
//!   value by hand, and [`check()`] holds either to the same rules.
//! - [`Schema::create_sql`] renders it as an idempotent DDL script; [`diff()`] plans the change
//!   between two schemas without a database, as a [`Plan`] of [`Change`]s with their
//!   [`Hazard`]s.
//! - [`converge()`] reads a live database, plans, and applies or validates under a [`Policy`];
//!   [`runtime`] has the rest of the live side (introspection, the command-line entry points).
//!
//! ```no_run
//! mod schema {
//!     pgdecl::schema! {
//!         table users {
//!             id    bigint generated always as identity primary key,
//!             email text not null unique,
//!         }
//!     }
//! }
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // `connect` takes a postgresql:// URL or a libpq key=value string.
//!     let mut client = pgdecl::connect(&std::env::var("DATABASE_URL")?)?;
//!     let report = pgdecl::converge(&mut client, &schema::SCHEMA, &pgdecl::Policy::from_env()?)?;
//!     println!("{report}");
//!     Ok(())
//! }
//! ```
//!
//! The command lines: the `pgdecl` binary (`pgdecl --help`), and
//! [`runtime::cli::app_main`] for an application's own `schema plan | apply | validate |
//! status` subcommand.
//!
//! With the `testkit` feature, `runtime::testkit` starts a throwaway PostgreSQL for tests.

#![warn(missing_docs)]

/// ```
/// mod schema {
///     pgdecl::schema! {
///         enum user_role { admin, member }
///
///         table users {
///             id    bigint generated always as identity primary key,
///             email text not null unique,
///             role  user_role not null default "'member'",
///         }
///     }
/// }
///
/// // The whole schema as an idempotent DDL script, no database needed.
/// let sql = schema::SCHEMA.create_sql();
/// assert!(sql.contains("users"), "{sql}");
/// // SQL-ready names, one module per table.
/// assert_eq!(schema::users::email, "email");
/// ```
pub use schema_macros::schema;

// The model and the offline side: what a declaration is, the rules it is held to, and the plan
// between two of them.
pub use schema_core::check::{self, check, Diagnostic, Location, Rule};
pub use schema_core::diff::{
    self, diff, Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Plan,
};
pub use schema_core::model::{self, *};
pub use schema_core::{builder, ident, DataType};

// The live side: the start-up call and what it needs.
pub use schema_runtime::{
    connect, converge, plan, validate, Error, ErrorKind, Mode, Policy, Report, SchemaProblem,
};

/// The live-database side: introspection, converge, validation, errors and the command-line
/// entry points (`cli::app_main` for an application's own `schema` subcommand).
pub mod runtime {
    pub use schema_runtime::*;
}

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
