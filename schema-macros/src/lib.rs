//! The `pgdecl::schema!` procedural macro. A thin shim: the pipeline (parse → lower → check →
//! expand) lives in ordinary modules over `proc_macro2`, so it is unit-testable outside a
//! compiler (see the tests in `expand.rs` and `tests.rs`).

#![warn(missing_docs)]

extern crate proc_macro;

mod ast;
mod check;
mod ctxt;
mod expand;
#[cfg(test)]
mod expansion_snapshots;
mod lower;
mod spans;
#[cfg(test)]
mod tests;

/// Declares a PostgreSQL schema, checked at compile time.
///
/// Expands to `pub static SCHEMA: pgdecl::LazySchema` and one module of SQL-ready name
/// constants per table. The grammar is documented in the README, section "The `schema!`
/// grammar". (A compiled example is on `pgdecl::schema!`: this crate cannot depend on
/// the `pgdecl` facade that the expansion refers to.)
///
/// ```ignore
/// pgdecl::schema! {
///     table users {
///         id    bigint generated always as identity primary key,
///         email text not null unique,
///     }
/// }
/// ```
#[proc_macro]
pub fn schema(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand::expand(input.into()).into()
}
