//! pgdecl's live-database side: read the catalog into the model ([`introspect()`]), compare it
//! with a declared schema, and converge or validate.
//!
//! The throwaway-cluster harness for tests and examples is the module `testkit`, behind the
//! cargo feature of the same name (off by default).

#![warn(missing_docs)]

#[cfg(feature = "tokio")]
pub mod asynchronous;

// Internals: public only for pgdecl's own tests and benchmarks; not a stable API.
#[doc(hidden)]
pub mod canonical_form;
pub mod canonicalize;
pub mod cli;
pub mod connect;
pub mod converge;
pub mod error;
pub mod export;
pub mod introspect;
pub mod many;
mod parse;
mod rejected;
pub mod source;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod undo;

pub use canonical_form::{canonical_form, CanonicalForm};
pub use connect::connect;
pub use converge::{converge, plan, validate, Mode, Policy, Report};
pub use converge::{
    converge_audited, converge_url, converge_url_audited, create_database_if_missing, AuditEvent,
    Env, IgnorePatterns, OnFailure,
};
pub use error::{Error, ErrorKind, SchemaProblem};
pub use introspect::{introspect, Introspection};
pub use source::to_schema_source;
