//! Where a [`Diagnostic`](super::Diagnostic) points: an index path into the [`Schema`]'s
//! vectors, which the macro maps to a span and the runtime to a description.

use super::message::{qualified, routine_kind, signature};
use crate::model::Schema;

/// Where in a [`Schema`] a diagnostic points, by index into the schema's vectors.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// The schema as a whole.
    Schema,
    /// `schema.extensions[extension]`.
    Extension {
        /// Index into [`Schema::extensions`].
        extension: usize,
        /// Which part of it.
        part: ExtensionPart,
    },
    /// `schema.schemas[namespace]` (its name).
    Namespace {
        /// Index into [`Schema::schemas`].
        namespace: usize,
    },
    /// `schema.enums[enum_type]`.
    Enum {
        /// Index into [`Schema::enums`].
        enum_type: usize,
        /// Which part of it.
        part: EnumPart,
    },
    /// `schema.domains[domain]`.
    Domain {
        /// Index into [`Schema::domains`].
        domain: usize,
        /// Which part of it.
        part: DomainPart,
    },
    /// `schema.composites[composite]`.
    Composite {
        /// Index into [`Schema::composites`].
        composite: usize,
        /// Which part of it.
        part: CompositePart,
    },
    /// `schema.ranges[range]`.
    Range {
        /// Index into [`Schema::ranges`].
        range: usize,
        /// Which part of it.
        part: RangePart,
    },
    /// `schema.sequences[sequence]`.
    Sequence {
        /// Index into [`Schema::sequences`].
        sequence: usize,
        /// Which part of it.
        part: SequencePart,
    },
    /// `schema.tables[table]` itself.
    Table {
        /// Index into [`Schema::tables`].
        table: usize,
        /// Which part of it.
        part: TablePart,
    },
    /// `schema.tables[table].columns[column]`.
    Column {
        /// Index into [`Schema::tables`].
        table: usize,
        /// Index into [`Table::columns`](crate::model::Table::columns).
        column: usize,
        /// Which part of it.
        part: ColumnPart,
    },
    /// `schema.tables[table].constraints[constraint]`.
    Constraint {
        /// Index into [`Schema::tables`].
        table: usize,
        /// Index into [`Table::constraints`](crate::model::Table::constraints).
        constraint: usize,
        /// Which part of it.
        part: ConstraintPart,
    },
    /// `schema.tables[table].indexes[index]`.
    Index {
        /// Index into [`Schema::tables`].
        table: usize,
        /// Index into [`Table::indexes`](crate::model::Table::indexes).
        index: usize,
        /// Which part of it.
        part: IndexPart,
    },
    /// `schema.functions[function]`.
    Function {
        /// Index into [`Schema::functions`].
        function: usize,
        /// Which part of it.
        part: FunctionPart,
    },
    /// `schema.views[view]`.
    View {
        /// Index into [`Schema::views`].
        view: usize,
        /// Which part of it.
        part: ViewPart,
    },
    /// `schema.triggers[trigger]`.
    Trigger {
        /// Index into [`Schema::triggers`].
        trigger: usize,
        /// Which part of it.
        part: TriggerPart,
    },
    /// `schema.row_security[row_security]`: the table named.
    RowSecurity {
        /// Index into [`Schema::row_security`].
        row_security: usize,
    },
    /// `schema.policies[policy]`.
    Policy {
        /// Index into [`Schema::policies`].
        policy: usize,
        /// Which part of it.
        part: PolicyPart,
    },
    /// `schema.grants[grant]`.
    Grant {
        /// Index into [`Schema::grants`].
        grant: usize,
        /// Which part of it.
        part: GrantPart,
    },
    /// `schema.default_privileges[default]`.
    DefaultPrivileges {
        /// Index into [`Schema::default_privileges`].
        default: usize,
        /// Which part of it.
        part: GrantPart,
    },
}

/// A part of a [`Grant`](crate::model::Grant) or
/// [`DefaultPrivileges`](crate::model::DefaultPrivileges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GrantPart {
    /// The object (or, for default privileges, the schema).
    Object,
    /// The privilege at this index.
    Privilege(usize),
    /// The column at this index.
    Column(usize),
    /// The grantee at this index.
    Role(usize),
}

/// A part of an [`Extension`](crate::model::Extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtensionPart {
    /// Its name.
    Name,
    /// Its `schema`.
    Schema,
}

/// A part of an [`EnumType`](crate::model::EnumType).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnumPart {
    /// Its (qualified) name.
    Name,
    /// The label at this index.
    Label(usize),
}

/// A part of a [`Domain`](crate::model::Domain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DomainPart {
    /// Its (qualified) name.
    Name,
    /// Its base type.
    Type,
    /// Its `default`.
    Default,
    /// Its `collate`.
    Collation,
    /// The name of the check at this index (for a derived name: the check as a whole).
    CheckName(usize),
    /// The expression of the check at this index.
    Check(usize),
}

/// A part of a [`CompositeType`](crate::model::CompositeType).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompositePart {
    /// Its (qualified) name.
    Name,
    /// The name of the attribute at this index.
    AttributeName(usize),
    /// The type of the attribute at this index.
    AttributeType(usize),
}

/// A part of a [`RangeType`](crate::model::RangeType).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RangePart {
    /// Its (qualified) name.
    Name,
    /// Its `subtype`.
    Subtype,
    /// Its `multirange_type_name` (the range's name when it is derived).
    MultirangeName,
    /// Its `subtype_diff`.
    SubtypeDiff,
}

/// A part of a [`Sequence`](crate::model::Sequence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SequencePart {
    /// Its (qualified) name.
    Name,
    /// Its `as TYPE`.
    Type,
    /// Its `owned by`.
    OwnedBy,
}

/// A part of a [`Table`](crate::model::Table) itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TablePart {
    /// Its (qualified) name.
    Name,
    /// Its `renamed_from`.
    RenamedFrom,
    /// The parent named in its `partition of`.
    PartitionParent,
    /// Its partition bound (`for values ...` or `default`).
    PartitionBound,
    /// The element at this index of its `partition by` key.
    PartitionKey(usize),
    /// Its `unlogged`.
    Unlogged,
}

/// A part of a [`Column`](crate::model::Column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnPart {
    /// Its name.
    Name,
    /// Its type.
    Type,
    /// Its `not null`.
    NotNull,
    /// Its `default`.
    Default,
    /// Its `generated ... as identity`.
    Identity,
    /// Its `generated always as (...) stored` expression.
    Generated,
    /// Its `collate`.
    Collation,
    /// Its `renamed_from`.
    RenamedFrom,
    /// Its `using` conversion expression.
    Using,
}

/// A part of a [`Constraint`](crate::model::Constraint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstraintPart {
    /// Its name (for a derived name: the constraint as a whole).
    Name,
    /// The keyword saying what it is (`primary key`, `unique`, `references`, `check`).
    Kind,
    /// The constrained column at this index.
    Column(usize),
    /// The `include` column at this index.
    Include(usize),
    /// A foreign key's referenced table.
    RefTable,
    /// A foreign key's referenced column list as a whole (the table, when the list is implied).
    RefColumns,
    /// A foreign key's referenced column at this index.
    RefColumn(usize),
    /// A check's expression.
    Expr,
}

/// A part of an [`Index`](crate::model::Index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexPart {
    /// Its name (for a derived name: the index as a whole).
    Name,
    /// Its `using` method.
    Method,
    /// The key element at this index.
    Element(usize),
    /// The `include` column at this index.
    Include(usize),
    /// Its `where` predicate.
    Predicate,
    /// Its `nulls not distinct`.
    NullsNotDistinct,
}

/// A part of a [`Function`](crate::model::Function).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionPart {
    /// Its (qualified) name.
    Name,
    /// The name of the argument at this index.
    ArgName(usize),
    /// The type of the argument at this index.
    ArgType(usize),
    /// The default of the argument at this index.
    ArgDefault(usize),
    /// Its return type as a whole.
    Returns,
    /// The column at this index of `returns table (...)`.
    ReturnsColumn(usize),
    /// Its `language`.
    Language,
    /// Its body.
    Body,
}

/// A part of a [`View`](crate::model::View).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewPart {
    /// Its (qualified) name.
    Name,
    /// The output column name at this index.
    Column(usize),
    /// Its query.
    Query,
    /// A part of the index at this index of [`View::indexes`](crate::model::View::indexes).
    Index(usize, IndexPart),
}

/// A part of a [`Trigger`](crate::model::Trigger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerPart {
    /// Its name.
    Name,
    /// The table it fires on.
    Table,
    /// The event at this index.
    Event(usize),
    /// The `update of` column `column` of the event at index `event`.
    UpdateColumn {
        /// Index into [`Trigger::events`](crate::model::Trigger::events).
        event: usize,
        /// Index into the event's column list.
        column: usize,
    },
    /// Its `when` condition.
    When,
    /// The function it executes.
    Function,
    /// Its `referencing` clause.
    Referencing,
    /// Its `constraint` keyword.
    Constraint,
}

/// A part of a [`RowPolicy`](crate::model::RowPolicy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyPart {
    /// Its name.
    Name,
    /// The table it applies to.
    Table,
    /// Its `for` command.
    Command,
    /// The role at this index.
    Role(usize),
    /// Its `using` expression.
    Using,
    /// Its `with check` expression.
    WithCheck,
}

impl Location {
    /// A human description of the object this location is in, e.g. "column `users.email`".
    /// Out-of-range indexes (a location from another schema) describe as "the schema".
    pub fn describe(&self, schema: &Schema) -> String {
        let table = |t: usize| schema.tables.get(t).map(|t| qualified(&t.name));
        let described = match self {
            Location::Schema => None,
            Location::Extension { extension, .. } => schema
                .extensions
                .get(*extension)
                .map(|e| format!("extension `{}`", e.name)),
            Location::Namespace { namespace } => schema
                .schemas
                .get(*namespace)
                .map(|s| format!("schema `{}`", s.name)),
            Location::Enum { enum_type, .. } => schema
                .enums
                .get(*enum_type)
                .map(|e| format!("enum `{}`", qualified(&e.name))),
            Location::Domain { domain, .. } => schema
                .domains
                .get(*domain)
                .map(|d| format!("domain `{}`", qualified(&d.name))),
            Location::Composite { composite, .. } => schema
                .composites
                .get(*composite)
                .map(|c| format!("composite type `{}`", qualified(&c.name))),
            Location::Range { range, .. } => schema
                .ranges
                .get(*range)
                .map(|r| format!("range type `{}`", qualified(&r.name))),
            Location::Sequence { sequence, .. } => schema
                .sequences
                .get(*sequence)
                .map(|s| format!("sequence `{}`", qualified(&s.name))),
            Location::Table { table: t, .. } => table(*t).map(|t| format!("table `{t}`")),
            Location::Column {
                table: t, column, ..
            } => {
                let col = schema.tables.get(*t).and_then(|t| t.columns.get(*column));
                table(*t)
                    .zip(col)
                    .map(|(t, c)| format!("column `{t}.{}`", c.name))
            }
            Location::Constraint {
                table: t,
                constraint,
                ..
            } => {
                let c = schema
                    .tables
                    .get(*t)
                    .and_then(|t| t.constraints.get(*constraint));
                table(*t)
                    .zip(c)
                    .map(|(t, c)| format!("constraint `{}` on table `{t}`", c.name))
            }
            Location::Index {
                table: t, index, ..
            } => {
                let i = schema.tables.get(*t).and_then(|t| t.indexes.get(*index));
                table(*t)
                    .zip(i)
                    .map(|(t, i)| format!("index `{}` on table `{t}`", i.name))
            }
            Location::Function { function, .. } => schema
                .functions
                .get(*function)
                .map(|f| format!("{} `{}`", routine_kind(f), signature(f))),
            Location::View { view, .. } => schema
                .views
                .get(*view)
                .map(|v| format!("view `{}`", qualified(&v.name))),
            Location::Trigger { trigger, .. } => schema
                .triggers
                .get(*trigger)
                .map(|t| format!("trigger `{}` on `{}`", t.name, qualified(&t.table))),
            Location::RowSecurity { row_security } => schema
                .row_security
                .get(*row_security)
                .map(|r| format!("row level security on `{}`", qualified(&r.table))),
            Location::Policy { policy, .. } => schema
                .policies
                .get(*policy)
                .map(|p| format!("policy `{}` on `{}`", p.name, qualified(&p.table))),
            Location::Grant { grant, .. } => schema.grants.get(*grant).map(|g| {
                format!(
                    "{} {}",
                    if g.revoke { "revoke" } else { "grant" },
                    crate::render::grant_on(&g.object).to_lowercase()
                )
            }),
            Location::DefaultPrivileges { default, .. } => {
                schema.default_privileges.get(*default).map(|d| {
                    format!(
                        "default privileges in schema `{}` on {}",
                        d.schema,
                        d.on.sql().to_lowercase()
                    )
                })
            }
        };
        described.unwrap_or_else(|| "the schema".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::test_support::*;

    #[test]
    fn describes_locations() {
        let s = with_tables(vec![table("users", vec![col("email", "text")], vec![])]);
        let at = Location::Column {
            table: 0,
            column: 0,
            part: ColumnPart::Name,
        };
        assert_eq!(at.describe(&s), "column `users.email`");
        let at = Location::Column {
            table: 3,
            column: 0,
            part: ColumnPart::Name,
        };
        assert_eq!(at.describe(&s), "the schema");
    }
}
