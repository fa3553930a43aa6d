//! SQL rendering: the model printed as DDL, for [`Schema::create_sql`] and for the statements
//! of a [`Plan`](crate::Plan).
//!
//! `Display` is the printer, as in sqlparser: model nodes ([`Column`], [`Constraint`],
//! [`IndexElement`], ...) render themselves, and [`Statement`] is the set of DDL statements the
//! crate emits, each owned data (the model nodes and names it acts on) whose `Display` is its
//! SQL; a plan keeps statements, not text. `{}` prints a statement on one line; `{:#}`
//! pretty-prints it (one column per line, indented `DO` bodies). No other code builds SQL text.
//!
//! One file per object kind holds that kind's `Display` impls and statement writers;
//! `display` holds the shared combinators and `script` the whole-schema script.
//!
//! Safety of the output rests on four helpers from [`crate::ident`]: every identifier goes
//! through `quote_ident` (object names always schema-qualified, so `search_path` cannot change
//! what a statement means), every value through `quote_literal`, every function or `DO` body
//! through `dollar_quote`. SQL fragments (defaults, checks, predicates, view queries) are SQL by
//! design and are embedded as written; they are checked by [`crate::check()`] before they get here.
//!
//! The output targets PostgreSQL 14 and later (`CREATE OR REPLACE TRIGGER`); `NULLS NOT DISTINCT`
//! needs 15 and is only printed for schemas that declare it.

use std::fmt::{self, Display, Formatter};

use crate::ident::{dollar_quote, quote_literal};
use crate::model::*;
use crate::types::DataType;

mod aggregate;
mod column;
mod comment;
mod composite_type;
mod constraint;
mod display;
mod domain;
mod enum_type;
mod extension;
mod function;
mod grant;
mod index;
mod lock;
mod partition;
pub mod pgdecl_tables;
mod policy;
mod range_type;
pub mod scratch;
mod script;
mod sequence;
mod table;
mod trigger;
mod user_type;
mod view;

pub use aggregate::AggregateSignature;
pub use column::{
    cast_column, cast_column_through_text, column_attributes, nextval_default, SequenceSwap,
};
pub use comment::{comments_of_table, CommentTarget};
pub use composite_type::AlterComposite;
pub use constraint::AddMode;
pub use display::{
    display_comma_separated, display_separated, DisplaySeparated, Fragment, Ident, Idents, Literal,
    SqlType,
};
pub use domain::AlterDomain;
pub use enum_type::EnumPosition;
pub(crate) use function::split_list_setting;
pub use function::FunctionSignature;
pub use grant::{
    acl_statements, default_acl_statements, grant_on, PrivilegeChange, PrivilegeTarget,
};
pub use lock::LockTable;
pub use policy::Role;
pub(crate) use script::signature_types;
pub use sequence::SequenceOption;
pub use table::{foreign_keys, inline_constraints, not_valid_checks, AlterTable};
pub(crate) use user_type::{creation_order, on_row_types, tables_and_row_types, Made, TypeIndex};
pub use view::{mentioned_names, view_order};

/// A DDL statement pgdecl emits. `Display` prints it with its terminating `;`; `{:#}` prints
/// multi-line statements (tables, `DO` blocks, functions, views) across lines.
///
/// Every statement is idempotent: running it a second time changes nothing. Where PostgreSQL has
/// no `IF [NOT] EXISTS` or `OR REPLACE` form (constraints, user-defined types, added domain checks and type attributes, column renames), the
/// statement is wrapped in a `DO` block that checks the catalog first.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// `SET check_function_bodies = false`: SQL-language function bodies may name tables that
    /// are created later in the script (pg_dump does the same).
    UncheckedFunctionBodies,
    /// `RESET check_function_bodies`.
    ResetFunctionBodies,
    /// `CREATE EXTENSION IF NOT EXISTS name [WITH SCHEMA s]`.
    CreateExtension(Extension),
    /// `DROP EXTENSION IF EXISTS name`.
    DropExtension(String),
    /// `ALTER EXTENSION name SET SCHEMA s`.
    AlterExtensionSchema {
        /// The extension.
        name: String,
        /// Its new schema.
        schema: String,
    },
    /// `CREATE SCHEMA IF NOT EXISTS name`.
    CreateSchema(String),
    /// `DROP SCHEMA IF EXISTS name` (fails while it holds objects).
    DropSchema(String),
    /// `CREATE TYPE name AS ENUM (...)`, guarded by a `pg_type` lookup.
    CreateEnum(EnumType),
    /// `ALTER TYPE name ADD VALUE IF NOT EXISTS 'label' [BEFORE | AFTER 'label']`.
    AddEnumValue {
        /// The enum type.
        name: QualifiedName,
        /// The new label.
        value: String,
        /// Where it goes.
        position: EnumPosition,
    },
    /// `ALTER TYPE name RENAME TO new_name`.
    RenameType {
        /// The type.
        name: QualifiedName,
        /// The new name (same schema).
        to: String,
    },
    /// `DROP TYPE IF EXISTS name`.
    DropType(QualifiedName),
    /// `CREATE DOMAIN name AS type ...`, guarded by a `pg_type` lookup.
    CreateDomain(Box<Domain>),
    /// `ALTER DOMAIN name <action>`.
    AlterDomain {
        /// The domain.
        name: QualifiedName,
        /// What to do.
        action: AlterDomain,
    },
    /// `DROP DOMAIN IF EXISTS name`.
    DropDomain(QualifiedName),
    /// `CREATE TYPE name AS (attributes)`, guarded by a `pg_type` lookup.
    CreateCompositeType(CompositeType),
    /// `ALTER TYPE name ADD | DROP | ALTER ATTRIBUTE ...` on a composite type.
    AlterCompositeType {
        /// The composite type.
        name: QualifiedName,
        /// What to do.
        action: Box<AlterComposite>,
    },
    /// `CREATE TYPE name AS RANGE (...)`, guarded by a `pg_type` lookup (it creates the
    /// range's multirange type too).
    CreateRangeType(Box<RangeType>),
    /// Renames the constructor functions of a range type renamed away (to rebuild it), so
    /// the new range can create its own: a `DO` block over the functions that belong to the
    /// renamed range and multirange types, each renamed from `from` to `to`.
    RenameRangeConstructors {
        /// The schema of the range (and of its multirange type, when they share it).
        schema: String,
        /// (function and type name before, name after) for the range and its multirange.
        renames: Vec<(String, String)>,
    },
    /// `CREATE SEQUENCE IF NOT EXISTS ...` (without `OWNED BY`: see [`Statement::AlterSequence`]).
    CreateSequence(Box<Sequence>),
    /// `ALTER SEQUENCE name option ...`.
    AlterSequence {
        /// The sequence.
        name: QualifiedName,
        /// The options to set.
        options: Vec<SequenceOption>,
    },
    /// `DROP SEQUENCE IF EXISTS name`.
    DropSequence(QualifiedName),
    /// `CREATE OR REPLACE FUNCTION | PROCEDURE ...`.
    CreateFunction(Box<Function>),
    /// `DROP FUNCTION | PROCEDURE IF EXISTS name(args)`.
    DropFunction(Box<Function>),
    /// `CREATE OR REPLACE AGGREGATE name(args) (SFUNC = ..., STYPE = ...)` (PostgreSQL 12+;
    /// replacing cannot change the argument or result types: see the diff).
    CreateAggregate(Box<Aggregate>),
    /// `DROP AGGREGATE IF EXISTS name(args)`.
    DropAggregate(Box<Aggregate>),
    /// `CREATE TABLE IF NOT EXISTS` with columns and every constraint except foreign keys
    /// (those come after all tables, see [`Statement::AddConstraint`]).
    CreateTable(Box<Table>),
    /// `DROP TABLE IF EXISTS name`.
    DropTable(QualifiedName),
    /// `ALTER TABLE IF EXISTS name RENAME TO new_name`.
    RenameTable {
        /// The table's current name.
        from: QualifiedName,
        /// Its new name (same schema).
        to: String,
    },
    /// `ALTER TABLE parent ATTACH PARTITION partition bound`, guarded by a `pg_inherits`
    /// lookup (a partition already attached there is left alone).
    AttachPartition {
        /// The partitioned table.
        parent: QualifiedName,
        /// The table that becomes its partition.
        partition: QualifiedName,
        /// The rows it holds.
        bound: PartitionBound,
    },
    /// `ALTER TABLE parent DETACH PARTITION partition`, guarded by a `pg_inherits` lookup
    /// (the table and its rows stay; they only stop being part of `parent`).
    DetachPartition {
        /// The partitioned table.
        parent: QualifiedName,
        /// The partition that becomes a table of its own.
        partition: QualifiedName,
    },
    /// `ALTER TABLE name <action>`.
    AlterTable {
        /// The table.
        table: QualifiedName,
        /// What to do.
        action: AlterTable,
    },
    /// A type change no cast can make: `ALTER TABLE name ALTER COLUMN c TYPE t USING expr`
    /// with the declared `using` expression, in a `DO` block that runs it only while the
    /// column has another type (the expression is written for the old type: a second run
    /// must not apply it again). Without an expression, `USING NULL`, and only on an empty
    /// table (nothing to convert, nothing lost): a table with rows raises SQLSTATE 42846
    /// naming the column and the fix.
    RetypeColumn {
        /// The table.
        table: QualifiedName,
        /// The column as it will be.
        column: Box<Column>,
        /// Its type now.
        from: Box<DataType>,
        /// The declared conversion of the old values.
        using: Option<String>,
    },
    /// `ALTER TABLE name RENAME COLUMN a TO b`, guarded by a `pg_attribute` lookup.
    RenameColumn {
        /// The table.
        table: QualifiedName,
        /// The column's current name.
        from: String,
        /// Its new name.
        to: String,
    },
    /// `ALTER TABLE name ALTER COLUMN c ADD GENERATED ... AS IDENTITY`, guarded by a
    /// `pg_attribute` lookup (the column must not be an identity column yet).
    AddIdentity {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: String,
        /// Which kind.
        identity: Identity,
    },
    /// Moves the sequence behind a serial or identity column past the column's largest value,
    /// so that the next generated value does not collide with existing rows (after the column
    /// becomes serial or identity). A `DO` block that `PERFORM`s `setval`, only forward: a
    /// sequence already past that value keeps its position.
    SyncSequence {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: String,
    },
    /// A column's storage back to its type's default (`pg_type.typstorage`), which only the
    /// server knows for every type: a `DO` block that reads it and runs `ALTER TABLE ... ALTER
    /// COLUMN ... SET STORAGE` (PostgreSQL 15 has no `SET STORAGE DEFAULT`).
    ResetColumnStorage {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: String,
    },
    /// A column's generator changes between a sequence the column owns (serial, or a declared
    /// sequence `OWNED BY` it, drawn by its `nextval` default) and an identity, in a `DO` block
    /// that keeps the generator's position: it reads the old sequence's `last_value` and
    /// `is_called`, replaces the generator, and `setval`s the new sequence to the same place
    /// (a converted column never hands out a value it handed out before). Guarded by
    /// `pg_attribute.attidentity`, so a second run does nothing.
    SwapColumnSequence {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: String,
        /// What the column gets.
        to: SequenceSwap,
    },
    /// `ALTER TABLE name ADD CONSTRAINT ...`, guarded by a `pg_constraint` lookup.
    AddConstraint {
        /// The table.
        table: QualifiedName,
        /// The constraint.
        constraint: Box<Constraint>,
        /// How existing rows are handled.
        mode: AddMode,
    },
    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS name ON table ...`.
    CreateIndex {
        /// The table (or materialized view).
        table: QualifiedName,
        /// The index.
        index: Box<Index>,
        /// `CONCURRENTLY` (cannot run inside a transaction block).
        concurrently: bool,
    },
    /// `CREATE [UNIQUE] INDEX IF NOT EXISTS name ON ONLY table ...`: the index of a
    /// partitioned table alone, without its partitions' (it stays invalid until each of those
    /// is attached: [`Statement::AttachIndex`]).
    CreateIndexOnOnly {
        /// The partitioned table.
        table: QualifiedName,
        /// The index.
        index: Box<Index>,
    },
    /// `ALTER INDEX parent ATTACH PARTITION child`: a partition's index joins its parent
    /// table's (PostgreSQL does nothing when it is attached already).
    AttachIndex {
        /// The partitioned table's index.
        parent: QualifiedName,
        /// The partition's index.
        child: QualifiedName,
    },
    /// `ALTER INDEX IF EXISTS schema.name SET (...)` and `RESET (...)`: storage parameters.
    AlterIndexStorage {
        /// The index's schema (its table's).
        schema: String,
        /// The index.
        name: String,
        /// Parameters set.
        set: Vec<StorageParameter>,
        /// Parameters reset to their defaults.
        reset: Vec<String>,
    },
    /// `DROP INDEX [CONCURRENTLY] IF EXISTS schema.name`.
    DropIndex {
        /// The index's schema (its table's).
        schema: String,
        /// The index.
        name: String,
        /// `CONCURRENTLY` (cannot run inside a transaction block).
        concurrently: bool,
    },
    /// `CREATE OR REPLACE VIEW name [(columns)] AS query`, or `CREATE MATERIALIZED VIEW IF NOT
    /// EXISTS name [(columns)] AS query [WITH NO DATA]` (without its indexes: those are
    /// [`Statement::CreateIndex`]es on the view).
    CreateView(Box<View>),
    /// `DROP VIEW IF EXISTS name`.
    DropView(QualifiedName),
    /// `DROP MATERIALIZED VIEW IF EXISTS name` (its indexes go with it).
    DropMaterializedView(QualifiedName),
    /// `CREATE OR REPLACE TRIGGER ...` (PostgreSQL 14+).
    CreateTrigger(Box<Trigger>),
    /// `DROP TRIGGER IF EXISTS name ON table`.
    DropTrigger {
        /// The table.
        table: QualifiedName,
        /// The trigger.
        name: String,
    },
    /// `ALTER TABLE name ENABLE | DISABLE ROW LEVEL SECURITY, [NO] FORCE ROW LEVEL SECURITY`.
    SetRowSecurity {
        /// The table.
        table: QualifiedName,
        /// Row-level security on.
        enable: bool,
        /// Forced on the table's owner too.
        force: bool,
    },
    /// `CREATE POLICY ...`, guarded by a `pg_policy` lookup.
    CreatePolicy(Box<RowPolicy>),
    /// `ALTER POLICY name ON table TO ... [USING ...] [WITH CHECK ...]`.
    AlterPolicy(Box<RowPolicy>),
    /// `DROP POLICY IF EXISTS name ON table`.
    DropPolicy {
        /// The table.
        table: QualifiedName,
        /// The policy.
        name: String,
    },
    /// `GRANT ... ON ... TO ...` or `ALTER DEFAULT PRIVILEGES ... GRANT ...`.
    Grant(Box<PrivilegeChange>),
    /// `REVOKE [GRANT OPTION FOR] ... ON ... FROM ...` or `ALTER DEFAULT PRIVILEGES ... REVOKE
    /// ...`.
    Revoke(Box<PrivilegeChange>),
    /// `COMMENT ON target IS 'text' | NULL`.
    Comment {
        /// What the comment is on.
        target: CommentTarget,
        /// The comment; `None` removes it.
        text: Option<String>,
    },
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let pretty = f.alternate();
        match self {
            Statement::UncheckedFunctionBodies => f.write_str("SET check_function_bodies = false;"),
            Statement::ResetFunctionBodies => f.write_str("RESET check_function_bodies;"),
            Statement::CreateExtension(ext) => extension::write_create_extension(f, ext),
            Statement::DropExtension(name) => {
                write!(f, "DROP EXTENSION IF EXISTS {};", Ident(name))
            }
            Statement::AlterExtensionSchema { name, schema } => write!(
                f,
                "ALTER EXTENSION {} SET SCHEMA {};",
                Ident(name),
                Ident(schema)
            ),
            Statement::CreateSchema(name) => {
                write!(f, "CREATE SCHEMA IF NOT EXISTS {};", Ident(name))
            }
            Statement::DropSchema(name) => write!(f, "DROP SCHEMA IF EXISTS {};", Ident(name)),
            Statement::CreateEnum(e) => enum_type::write_create_enum(f, e, pretty),
            Statement::AddEnumValue {
                name,
                value,
                position,
            } => enum_type::write_add_enum_value(f, name, value, position),
            Statement::RenameType { name, to } => {
                write!(f, "ALTER TYPE {name} RENAME TO {};", Ident(to))
            }
            Statement::DropType(name) => write!(f, "DROP TYPE IF EXISTS {name};"),
            Statement::CreateDomain(d) => domain::write_create_domain(f, d, pretty),
            Statement::AlterDomain { name, action } => {
                domain::write_alter_domain(f, pretty, name, action)
            }
            Statement::DropDomain(name) => write!(f, "DROP DOMAIN IF EXISTS {name};"),
            Statement::CreateCompositeType(c) => {
                composite_type::write_create_composite(f, c, pretty)
            }
            Statement::AlterCompositeType { name, action } => {
                composite_type::write_alter_composite(f, pretty, name, action)
            }
            Statement::CreateRangeType(r) => range_type::write_create_range(f, r, pretty),
            Statement::RenameRangeConstructors { schema, renames } => {
                range_type::write_rename_range_constructors(f, pretty, schema, renames)
            }
            Statement::CreateSequence(seq) => sequence::write_create_sequence(f, seq),
            Statement::AlterSequence { name, options } => write!(
                f,
                "ALTER SEQUENCE {name} {};",
                display_separated(options, " ")
            ),
            Statement::DropSequence(name) => write!(f, "DROP SEQUENCE IF EXISTS {name};"),
            Statement::CreateFunction(func) => function::write_create_function(f, func, pretty),
            Statement::DropFunction(func) => write!(
                f,
                "DROP {} IF EXISTS {};",
                func.keyword(),
                FunctionSignature(func)
            ),
            Statement::CreateAggregate(agg) => aggregate::write_create_aggregate(f, agg, pretty),
            Statement::DropAggregate(agg) => {
                write!(f, "DROP AGGREGATE IF EXISTS {};", AggregateSignature(agg))
            }
            Statement::CreateTable(table) => table::write_create_table(f, table, pretty),
            Statement::DropTable(name) => write!(f, "DROP TABLE IF EXISTS {name};"),
            Statement::RenameTable { from, to } => {
                write!(f, "ALTER TABLE IF EXISTS {from} RENAME TO {};", Ident(to))
            }
            Statement::AttachPartition {
                parent,
                partition,
                bound,
            } => partition::write_attach_partition(f, pretty, parent, partition, bound),
            Statement::DetachPartition { parent, partition } => {
                partition::write_detach_partition(f, pretty, parent, partition)
            }
            Statement::AlterTable { table, action } => {
                write!(f, "ALTER TABLE {table} {action};")
            }
            Statement::RetypeColumn {
                table,
                column,
                from,
                using,
            } => column::write_retype_column(f, pretty, table, column, from, using.as_deref()),
            Statement::RenameColumn { table, from, to } => {
                column::write_rename_column(f, pretty, table, from, to)
            }
            Statement::AddIdentity {
                table,
                column,
                identity,
            } => column::write_add_identity(f, pretty, table, column, identity),
            Statement::SyncSequence { table, column } => {
                column::write_sync_sequence(f, pretty, table, column)
            }
            Statement::ResetColumnStorage { table, column } => {
                column::write_reset_column_storage(f, pretty, table, column)
            }
            Statement::SwapColumnSequence { table, column, to } => {
                column::write_swap_column_sequence(f, pretty, table, column, to)
            }
            Statement::AddConstraint {
                table,
                constraint,
                mode,
            } => constraint::write_add_constraint(f, pretty, table, constraint, mode),
            Statement::CreateIndex {
                table,
                index,
                concurrently,
            } => index::write_create_index(f, table, index, *concurrently, false),
            Statement::CreateIndexOnOnly { table, index } => {
                index::write_create_index(f, table, index, false, true)
            }
            Statement::AttachIndex { parent, child } => {
                write!(f, "ALTER INDEX {parent} ATTACH PARTITION {child};")
            }
            Statement::DropIndex {
                schema,
                name,
                concurrently,
            } => index::write_drop_index(f, schema, name, concurrently),
            Statement::AlterIndexStorage {
                schema,
                name,
                set,
                reset,
            } => index::write_alter_index_storage(f, schema, name, set, reset),
            Statement::CreateView(view) => view::write_create_view(f, view, pretty),
            Statement::DropView(name) => write!(f, "DROP VIEW IF EXISTS {name};"),
            Statement::DropMaterializedView(name) => {
                write!(f, "DROP MATERIALIZED VIEW IF EXISTS {name};")
            }
            Statement::CreateTrigger(trigger) => trigger::write_create_trigger(f, trigger, pretty),
            Statement::DropTrigger { table, name } => {
                write!(f, "DROP TRIGGER IF EXISTS {} ON {table};", Ident(name))
            }
            Statement::SetRowSecurity {
                table,
                enable,
                force,
            } => policy::write_row_security(f, table, *enable, *force),
            Statement::CreatePolicy(p) => policy::write_create_policy(f, pretty, p),
            Statement::AlterPolicy(p) => policy::write_alter_policy(f, p),
            Statement::DropPolicy { table, name } => {
                write!(f, "DROP POLICY IF EXISTS {} ON {table};", Ident(name))
            }
            Statement::Grant(change) => grant::write_grant(f, change),
            Statement::Revoke(change) => grant::write_revoke(f, change),
            Statement::Comment { target, text } => comment::write_comment(f, target, text),
        }
    }
}

/// `'schema.table'::pg_catalog.regclass`: the literal holds the quoted, qualified name, so any
/// table name round-trips.
pub(super) fn regclass(table: &QualifiedName) -> String {
    format!("{}::pg_catalog.regclass", quote_literal(&table.to_string()))
}

/// `DO $$ BEGIN IF <condition> THEN <statement> END IF; END $$;` with a dollar quote that
/// cannot clash with the body.
pub(super) fn write_guarded(
    f: &mut Formatter<'_>,
    pretty: bool,
    condition: &str,
    statement: &dyn Display,
) -> fmt::Result {
    let body = if pretty {
        format!("\nBEGIN\n    IF {condition} THEN\n        {statement}\n    END IF;\nEND\n")
    } else {
        format!(" BEGIN IF {condition} THEN {statement} END IF; END ")
    };
    write!(f, "DO {};", dollar_quote(&body))
}
