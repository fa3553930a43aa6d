//! Lowering: declarations (the builder's [`TableDef`]s next to the other objects, which need
//! nothing derived) into the [`Schema`] model. The one path both the builder and the
//! `schema!` macro take, so both name, lift and resolve exactly alike.
//!
//! Per table ([`table`]): column constraints are already table constraints on their column
//! (see [`TableDef::column`](crate::builder::TableDef::column)); implied `NOT NULL`s are set
//! and unnamed constraints and indexes get PostgreSQL's names ([`names`] holds what is
//! taken). Then partitions take their parent's columns ([`partitions`]), and [`references`]
//! points foreign keys written without columns at the target's primary key, wherever the
//! target is declared.

mod builtins;
mod domain;
mod names;
pub(crate) mod partitions;
mod references;
pub(crate) mod table;

use crate::builder::{DomainDef, TableDef};
use crate::model::Schema;

/// The model of `objects` (every kind but domains and tables, as declared) plus `domains` and
/// `tables` lowered, in declaration order. Every name declared anywhere is reserved before any
/// is derived, so a derived name never takes one the user chose. Domains are named first:
/// `create_sql` creates them before any table, and constraint names are shared by the whole
/// schema.
pub(crate) fn lower(
    mut objects: Schema,
    domains: Vec<DomainDef>,
    mut tables: Vec<TableDef>,
) -> Schema {
    // A partition's checks are named after its columns, which are its parent's.
    partitions::inherit_declared_columns(&mut tables);
    let mut taken = names::TakenNames::reserve_declared(&objects, &domains, &tables);
    objects.domains = domains
        .into_iter()
        .map(|def| domain::lower_domain(def, &mut taken))
        .collect();
    objects.tables = tables
        .into_iter()
        .map(|def| table::lower_table(def, &mut taken))
        .collect();
    partitions::inherit_columns(&mut objects.tables);
    references::resolve_implied_references(&mut objects);
    builtins::resolve_builtin_functions(&mut objects);
    objects
}
