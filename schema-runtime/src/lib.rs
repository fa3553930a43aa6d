//! pgdecl's live-database side: read the catalog into the model ([`introspect`]), compare it
//! with a declared schema, and converge or validate.

#![warn(missing_docs)]

pub mod cluster;
pub mod error;
pub mod introspect;
pub mod parse;

pub use error::{Error, ErrorKind};
pub use introspect::{introspect, Introspection};
