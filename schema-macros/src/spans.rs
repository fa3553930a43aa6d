//! The span table: where each part of the lowered [`Schema`](schema_core::Schema) was written,
//! by the same indexes as the model's vectors, so a [`Location`](schema_core::check::Location)
//! from the shared checks maps back to the exact token.

use crate::ctxt::Sp;

/// Spans parallel to `Schema`'s vectors.
#[derive(Default)]
pub struct Spans {
    /// Parallel to `Schema::extensions`.
    pub extensions: Vec<ExtensionSpans>,
    /// Parallel to `Schema::schemas` (the names).
    pub namespaces: Vec<Sp>,
    /// Parallel to `Schema::enums`.
    pub enums: Vec<EnumSpans>,
    /// Parallel to `Schema::domains`.
    pub domains: Vec<DomainSpans>,
    /// Parallel to `Schema::composites`.
    pub composites: Vec<CompositeSpans>,
    /// Parallel to `Schema::ranges`.
    pub ranges: Vec<RangeSpans>,
    /// Parallel to `Schema::sequences`.
    pub sequences: Vec<SequenceSpans>,
    /// Parallel to `Schema::tables`.
    pub tables: Vec<TableSpans>,
    /// Parallel to `Schema::functions`.
    pub functions: Vec<FunctionSpans>,
    /// Parallel to `Schema::views`.
    pub views: Vec<ViewSpans>,
    /// Parallel to `Schema::triggers`.
    pub triggers: Vec<TriggerSpans>,
    /// Parallel to `Schema::row_security` (the tables).
    pub row_security: Vec<Sp>,
    /// Parallel to `Schema::policies`.
    pub policies: Vec<PolicySpans>,
    /// Parallel to `Schema::grants`.
    pub grants: Vec<GrantSpans>,
    /// Parallel to `Schema::default_privileges`.
    pub default_privileges: Vec<GrantSpans>,
}

/// A grant's (or default privileges') spans.
pub struct GrantSpans {
    /// The object (the schema, for default privileges).
    pub object: Sp,
    /// Each privilege (`all` once per privilege it stands for).
    pub privileges: Vec<Sp>,
    /// Each column.
    pub columns: Vec<Sp>,
    /// Each grantee.
    pub roles: Vec<Sp>,
}

/// A policy's spans.
pub struct PolicySpans {
    /// Its name.
    pub name: Sp,
    /// Its table.
    pub table: Sp,
    /// Its `for` command.
    pub command: Option<Sp>,
    /// Each role.
    pub roles: Vec<Sp>,
    /// Its `using` expression.
    pub using: Option<Sp>,
    /// Its `with check` expression.
    pub with_check: Option<Sp>,
}

/// An extension's spans.
pub struct ExtensionSpans {
    /// Its name.
    pub name: Sp,
    /// Its `schema`.
    pub schema: Option<Sp>,
}

/// An enum's spans.
pub struct EnumSpans {
    /// Its name.
    pub name: Sp,
    /// Each label.
    pub labels: Vec<Sp>,
}

/// A domain's spans.
pub struct DomainSpans {
    /// Its name.
    pub name: Sp,
    /// Its base type.
    pub ty: Sp,
    /// Its default value.
    pub default: Option<Sp>,
    /// Its collation name.
    pub collation: Option<Sp>,
    /// Each check: its declared name, its `check` keyword, its condition.
    pub checks: Vec<(Option<Sp>, Sp, Sp)>,
}

/// A composite type's spans.
pub struct CompositeSpans {
    /// Its name.
    pub name: Sp,
    /// Each attribute's name.
    pub attribute_names: Vec<Sp>,
    /// Each attribute's type.
    pub attribute_types: Vec<Sp>,
}

/// A range type's spans.
pub struct RangeSpans {
    /// Its name.
    pub name: Sp,
    /// Its subtype (the `range` keyword when missing).
    pub subtype: Sp,
    /// Its `subtype_diff` function.
    pub subtype_diff: Option<Sp>,
    /// Its `multirange_type_name`.
    pub multirange: Option<Sp>,
}

/// A sequence's spans.
pub struct SequenceSpans {
    /// Its name.
    pub name: Sp,
    /// Its `as TYPE`.
    pub ty: Option<Sp>,
    /// Its `owned by`.
    pub owned_by: Option<Sp>,
}

/// A table's spans.
pub struct TableSpans {
    /// Its name.
    pub name: Sp,
    /// Its `renamed_from` name.
    pub renamed_from: Option<Sp>,
    /// The parent of its `partition of`.
    pub partition_parent: Option<Sp>,
    /// Its partition bound.
    pub partition_bound: Option<Sp>,
    /// Its `partition by STRATEGY`.
    pub partition_by: Option<Sp>,
    /// Each element of its partition key.
    pub partition_key: Vec<ElementSpans>,
    /// Its `unlogged`.
    pub unlogged: Option<Sp>,
    /// Parallel to `Table::columns` (for a partition: its parent's, as lowering copies them).
    pub columns: Vec<ColumnSpans>,
    /// Parallel to `Table::constraints`.
    pub constraints: Vec<ConstraintSpans>,
    /// Parallel to `Table::indexes`.
    pub indexes: Vec<IndexSpans>,
}

/// A column's spans.
#[derive(Clone)]
pub struct ColumnSpans {
    /// Its name.
    pub name: Sp,
    /// Its type.
    pub ty: Sp,
    /// Its `not null`.
    pub not_null: Option<Sp>,
    /// Its default value.
    pub default: Option<Sp>,
    /// Its `generated ... as identity`.
    pub identity: Option<Sp>,
    /// Its generation expression.
    pub generated: Option<Sp>,
    /// Its collation name.
    pub collation: Option<Sp>,
    /// Its `renamed_from` name.
    pub renamed_from: Option<Sp>,
    /// Its `using` conversion expression.
    pub using: Option<Sp>,
}

/// A constraint's spans (column constraints point into their column's declaration).
pub struct ConstraintSpans {
    /// Its declared name.
    pub name: Option<Sp>,
    /// The keyword(s) saying what it is.
    pub kw: Sp,
    /// Each constrained column.
    pub columns: Vec<Sp>,
    /// Each `include` column.
    pub include: Vec<Sp>,
    /// A foreign key's referenced table.
    pub ref_table: Option<Sp>,
    /// A foreign key's referenced column list.
    pub ref_columns: Option<Sp>,
    /// Each referenced column.
    pub ref_column: Vec<Sp>,
    /// A check's expression, or an exclusion constraint's predicate.
    pub expr: Option<Sp>,
    /// Each operator of an exclusion constraint.
    pub operators: Vec<Sp>,
}

/// An index's spans.
pub struct IndexSpans {
    /// Its declared name.
    pub name: Option<Sp>,
    /// `index` / `unique index`.
    pub kw: Sp,
    /// Its method.
    pub method: Option<Sp>,
    /// Each key element.
    pub elements: Vec<ElementSpans>,
    /// Each `include` column.
    pub include: Vec<Sp>,
    /// Its predicate.
    pub predicate: Option<Sp>,
    /// Its `nulls not distinct`.
    pub nulls_not_distinct: Option<Sp>,
}

/// An index element's spans.
pub struct ElementSpans {
    /// The whole element target.
    pub span: Sp,
    /// Identifiers inside an expression written as tokens (folded), with their spans.
    pub idents: Vec<(String, Sp)>,
}

/// A function's spans.
pub struct FunctionSpans {
    /// Its name.
    pub name: Sp,
    /// Each argument's name.
    pub arg_names: Vec<Option<Sp>>,
    /// Each argument's type.
    pub arg_types: Vec<Sp>,
    /// Each argument's default.
    pub arg_defaults: Vec<Option<Sp>>,
    /// Its `returns ...`.
    pub returns: Option<Sp>,
    /// Each `returns table` column's type.
    pub returns_columns: Vec<Sp>,
    /// Its language name.
    pub language: Sp,
    /// Its body.
    pub body: Sp,
}

/// A view's spans.
pub struct ViewSpans {
    /// Its name.
    pub name: Sp,
    /// Its `materialized`.
    pub materialized: Option<Sp>,
    /// Parallel to `View::indexes`.
    pub indexes: Vec<IndexSpans>,
    /// Each output column.
    pub columns: Vec<Sp>,
    /// Its query.
    pub query: Sp,
}

/// A trigger's spans.
pub struct TriggerSpans {
    /// Its name.
    pub name: Sp,
    /// Its table.
    pub table: Sp,
    /// Each event keyword.
    pub events: Vec<Sp>,
    /// Each event's `update of` columns.
    pub update_columns: Vec<Vec<Sp>>,
    /// Its condition.
    pub when: Option<Sp>,
    /// Its function.
    pub function: Sp,
    /// Its `referencing` keyword.
    pub referencing: Option<Sp>,
    /// Its `constraint` keyword.
    pub constraint: Option<Sp>,
}
