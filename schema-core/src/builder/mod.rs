//! A builder for [`Schema`] values written by hand in Rust, producing exactly what the
//! `schema!` macro produces for the same declaration.
//!
//! ```
//! use schema_core::builder::*;
//! use schema_core::{DataType, FkAction, Schema};
//!
//! let schema = Schema::builder()
//!     .extension("pgcrypto")
//!     .enum_type("user_role", ["admin", "member"])
//!     .table(
//!         TableDef::new("users")
//!             .column(
//!                 ColumnDef::new("id", DataType::builtin("uuid"))
//!                     .primary_key()
//!                     .default_sql("gen_random_uuid()"),
//!             )
//!             .column(ColumnDef::new("email", DataType::builtin("text")).not_null().unique())
//!             .column(
//!                 ColumnDef::new("role", DataType::parse("user_role").unwrap())
//!                     .not_null()
//!                     .default_sql("'member'"),
//!             ),
//!     )
//!     .table(
//!         TableDef::new("posts")
//!             .column(ColumnDef::new("id", DataType::builtin("bigserial")).primary_key())
//!             .column(
//!                 ColumnDef::new("author", DataType::builtin("uuid"))
//!                     .references(References::table("users").on_delete(FkAction::Cascade)),
//!             )
//!             .index(IndexDef::new().column("author")),
//!     )
//!     .build();
//!
//! let users = &schema.tables[0];
//! assert_eq!(users.constraints[0].name, "users_pkey");
//! assert_eq!(users.constraints[1].name, "users_email_key");
//! assert_eq!(schema.tables[1].constraints[1].name, "posts_author_fkey");
//! assert_eq!(schema.tables[1].indexes[0].name, "posts_author_idx");
//! ```
//!
//! # How unnamed constraints and indexes are named
//!
//! Exactly as PostgreSQL names them (see [`crate::naming`]), so the live catalog matches the
//! declaration:
//!
//! | declared | name |
//! |---|---|
//! | primary key | `<table>_pkey` |
//! | unique (a, b) include (c) | `<table>_a_b_c_key` (key and `INCLUDE` columns, a repeated one numbered: `a`, `a1`) |
//! | foreign key (a, b) | `<table>_a_b_fkey` |
//! | check | `<table>_<col>_check` if the expression references exactly one of the table's columns, else `<table>_check` |
//! | index on (a, lower(b)) | `<table>_a_lower_idx` (an expression key is named as [`crate::expr::index_column_name`] names it, `expr` when it does not parse; `INCLUDE` columns and repeats as for unique) |
//!
//! Each part is truncated as `makeObjectName` truncates it so the name fits in 63 bytes.
//! A column constraint (`ColumnDef::unique()`, ...) is the table constraint on that one column.
//!
//! When the name is taken, the label is numbered (`users_check1`, `users_check2`, ...), like
//! `ChooseRelationName` / `ChooseConstraintName` do. Taken means, within the table's schema:
//!
//! - for a primary key or unique constraint (which is also an index): any relation name or
//!   constraint name;
//! - for a check or foreign key: any constraint name;
//! - for an index: any relation name;
//!
//! where relation names are the schema's tables, views, sequences (those serial and identity
//! columns create, `<table>_<column>_seq`, included) and indexes, and constraint names are all
//! the schema's constraints. Every explicitly given name counts as taken from the start
//! (wherever it is declared). Derived names are then assigned table by table, in declaration
//! order, and within a table in the order PostgreSQL's `CREATE TABLE` assigns them: the
//! sequences of serial and identity columns, then checks, then the primary key, then unique
//! constraints, then foreign keys (each group in declaration order, a column's constraints at
//! the column's position), then indexes; each name counts as taken for those after it.
//!
//! Other derived facts: a column in a primary key, an identity column and a serial column are
//! `NOT NULL`; a foreign key declared without referenced columns references the target
//! table's primary key columns, when the target is in the schema and has one.

mod aggregate;
mod column;
mod composite_type;
mod constraint;
mod domain;
mod enum_type;
mod extension;
mod function;
mod grant;
mod index;
mod namespace;
mod policy;
mod range_type;
mod sequence;
mod table;
mod trigger;
mod view;

pub use column::ColumnDef;
pub use constraint::{ConstraintDef, References};
pub use domain::DomainDef;
pub use index::IndexDef;
pub(crate) use table::Element;
pub use table::{ImpliedNotNull, TableDef};

use crate::check::{check, Diagnostic};
use crate::model::*;

impl Schema {
    /// A builder for a schema; see the [module docs](crate::builder).
    pub fn builder() -> SchemaBuilder {
        SchemaBuilder::default()
    }
}

/// Builds a [`Schema`]: add objects in declaration order, then [`SchemaBuilder::build`] derives
/// the names of unnamed constraints and indexes.
#[derive(Debug, Clone, Default)]
pub struct SchemaBuilder {
    schema: Schema,
    domains: Vec<DomainDef>,
    tables: Vec<TableDef>,
}

impl SchemaBuilder {
    /// An empty builder (same as [`Schema::builder`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// `CREATE EXTENSION`: a name (`"pgcrypto"`) or an [`Extension`].
    pub fn extension(mut self, extension: impl Into<Extension>) -> Self {
        self.schema.extensions.push(extension.into());
        self
    }

    /// `CREATE SCHEMA`: a name (`"audit"`) or a [`Namespace`].
    pub fn schema(mut self, namespace: impl Into<Namespace>) -> Self {
        self.schema.schemas.push(namespace.into());
        self
    }

    /// An enum type with its labels in order.
    pub fn enum_type<L: Into<String>>(
        self,
        name: impl Into<QualifiedName>,
        labels: impl IntoIterator<Item = L>,
    ) -> Self {
        self.enum_def(EnumType::new(name, labels))
    }

    /// An enum type given in full (for a comment).
    pub fn enum_def(mut self, enum_type: EnumType) -> Self {
        self.schema.enums.push(enum_type);
        self
    }

    /// A domain.
    pub fn domain(mut self, domain: DomainDef) -> Self {
        self.domains.push(domain);
        self
    }

    /// A composite type.
    pub fn composite_type(mut self, composite: CompositeType) -> Self {
        self.schema.composites.push(composite);
        self
    }

    /// A range type.
    pub fn range_type(mut self, range: RangeType) -> Self {
        self.schema.ranges.push(range);
        self
    }

    /// A sequence.
    pub fn sequence(mut self, sequence: Sequence) -> Self {
        self.schema.sequences.push(sequence);
        self
    }

    /// A function or procedure.
    pub fn function(mut self, function: Function) -> Self {
        self.schema.functions.push(function);
        self
    }

    /// An aggregate.
    pub fn aggregate(mut self, aggregate: Aggregate) -> Self {
        self.schema.aggregates.push(aggregate);
        self
    }

    /// A table.
    pub fn table(mut self, table: TableDef) -> Self {
        self.tables.push(table);
        self
    }

    /// A view.
    pub fn view(mut self, view: View) -> Self {
        self.schema.views.push(view);
        self
    }

    /// A trigger.
    pub fn trigger(mut self, trigger: Trigger) -> Self {
        self.schema.triggers.push(trigger);
        self
    }

    /// Row-level security on a table.
    pub fn row_security(mut self, row_security: RowSecurity) -> Self {
        self.schema.row_security.push(row_security);
        self
    }

    /// A row-level security policy.
    pub fn policy(mut self, policy: RowPolicy) -> Self {
        self.schema.policies.push(policy);
        self
    }

    /// A grant (or the revoke of a baseline privilege).
    pub fn grant(mut self, grant: Grant) -> Self {
        self.schema.grants.push(grant);
        self
    }

    /// Default privileges in a schema.
    pub fn default_privileges(mut self, defaults: DefaultPrivileges) -> Self {
        self.schema.default_privileges.push(defaults);
        self
    }

    /// The schema, with every unnamed constraint and index named as the
    /// [module docs](crate::builder) describe, column constraints lifted to table
    /// constraints and implied `NOT NULL`s and referenced columns filled in: the lowering the
    /// `schema!` macro uses too.
    ///
    /// It does not check the result: a foreign key to a missing table, a duplicate name or a
    /// misspelt column goes through unnoticed until PostgreSQL rejects the DDL. Use
    /// [`SchemaBuilder::try_build`] to run the checks the macro runs at compile time.
    pub fn build(self) -> Schema {
        let SchemaBuilder {
            schema,
            domains,
            tables,
        } = self;
        crate::lower::lower(schema, domains, tables)
    }

    /// As [`SchemaBuilder::build`], then runs [`check`], the rules the
    /// `schema!` macro reports as compile errors, so a schema built at run time is held to
    /// the same standard. Every diagnostic is an error; they are returned in the checks'
    /// order, each with the stable code the macro prints (e.g. `fk-target-column-missing`).
    ///
    /// ```
    /// use schema_core::builder::{ColumnDef, References, TableDef};
    /// use schema_core::{DataType, Schema};
    ///
    /// let int = DataType::builtin("integer");
    /// let diagnostics = Schema::builder()
    ///     .table(TableDef::new("orgs").column(ColumnDef::new("id", int.clone()).primary_key()))
    ///     .table(
    ///         TableDef::new("users")
    ///             .column(ColumnDef::new("org_id", int).references(References::table("orgs").column("idd"))),
    ///     )
    ///     .try_build()
    ///     .unwrap_err();
    /// assert_eq!(diagnostics[0].code, "fk-target-column-missing");
    /// ```
    pub fn try_build(self) -> Result<Schema, Vec<Diagnostic>> {
        let schema = self.build();
        let diagnostics = check(&schema);
        if diagnostics.is_empty() {
            Ok(schema)
        } else {
            Err(diagnostics)
        }
    }
}
/// Collects any strings given as `&str` or `String`.
fn strings<C: Into<String>>(items: impl IntoIterator<Item = C>) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DataType;

    fn ty(s: &str) -> DataType {
        DataType::parse(s).unwrap()
    }

    #[test]
    fn column_constraints_desugar_with_postgres_names() {
        let schema = Schema::builder()
            .table(
                TableDef::new("t")
                    .column(ColumnDef::new("id", ty("int")).primary_key())
                    .column(ColumnDef::new("a", ty("int")).unique().check("a > 0"))
                    .column(ColumnDef::new("b", ty("int")).check("b > a"))
                    .check("a < 10")
                    .check("a < 20")
                    .check("true")
                    .unique(["a", "b"])
                    .index(IndexDef::new().expression("lower(b::text)"))
                    .index(IndexDef::new().expression("a + b"))
                    .index(IndexDef::on_columns(["a"])),
            )
            .build();
        let t = &schema.tables[0];
        let names: Vec<&str> = t.constraints.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "t_pkey",
                "t_a_key",
                "t_a_check",
                "t_check",
                "t_a_check1",
                "t_a_check2",
                "t_check1",
                "t_a_b_key"
            ]
        );
        let idx: Vec<&str> = t.indexes.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(idx, ["t_lower_idx", "t_expr_idx", "t_a_idx"]);
        assert!(t.columns[0].not_null);
    }

    #[test]
    fn explicit_names_are_taken_first_and_refs_resolve_to_primary_keys() {
        let schema = Schema::builder()
            .table(
                TableDef::new("a")
                    .column(ColumnDef::new("x", ty("int")).unique())
                    .constraint(ConstraintDef::unique(["x"]).named("a_x_key")),
            )
            .table(
                TableDef::new("b")
                    .column(ColumnDef::new("id", ty("int")))
                    .column(ColumnDef::new("a_x", ty("int")).references("orgs"))
                    .primary_key(["id"]),
            )
            .table(TableDef::new("orgs").column(ColumnDef::new("oid", ty("int")).primary_key()))
            .build();
        assert_eq!(schema.tables[0].constraints[0].name, "a_x_key1");
        match &schema.tables[1].constraints[0].kind {
            ConstraintKind::ForeignKey { ref_columns, .. } => assert_eq!(ref_columns, &["oid"]),
            other => panic!("{other:?}"),
        }
        assert!(schema.tables[1].columns[0].not_null);
    }

    #[test]
    fn try_build_rejects_a_foreign_key_to_a_missing_column() {
        let diagnostics = Schema::builder()
            .table(TableDef::new("orgs").column(ColumnDef::new("id", ty("int")).primary_key()))
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("id", ty("int")).primary_key())
                    .column(
                        ColumnDef::new("org_id", ty("int"))
                            .references(References::table("orgs").column("idd")),
                    ),
            )
            .try_build()
            .unwrap_err();
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.code()).collect();
        // The code tests/ui/foreign_key/target_column_missing.stderr shows for the macro.
        assert_eq!(codes, ["fk-target-column-missing"]);
    }

    #[test]
    fn try_build_accepts_what_build_builds_when_it_checks_clean() {
        let builder = Schema::builder()
            .table(TableDef::new("orgs").column(ColumnDef::new("id", ty("int")).primary_key()))
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("id", ty("int")).primary_key())
                    .column(ColumnDef::new("org_id", ty("int")).references("orgs")),
            );
        assert_eq!(builder.clone().try_build(), Ok(builder.build()));
    }
}
