//! The pure diff of two schemas into an ordered [`Plan`].
//!
//! `diff(old, new)` compares structured facts — types by [`DataType`] equality (so `int4` and
//! `integer` never differ), nullability as PostgreSQL derives it (primary key, identity and
//! serial columns are `NOT NULL`), sequences by their effective options — and SQL fragments
//! after [`crate::expr::normalize`]. Each difference becomes one or more [`Change`]s: the SQL
//! (rendered by [`crate::render`]), what it risks ([`Hazard`]), the lock it takes, whether it
//! can run in a transaction, and the SQL that undoes it.
//!
//! Order: everything that goes away first, dependents before what they depend on (triggers,
//! views, foreign keys, constraints, indexes, columns, tables, functions, sequences, types,
//! extensions, schemas); then renames; then everything new or changed in
//! [`Schema::create_sql`]'s order, foreign keys once both tables exist. Views and triggers
//! that stand in the way of a change (a column type change, a dropped column, a function
//! dropped and re-created) are dropped first and re-created after.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Display};

use sqlparser::ast::{Expr, SelectItem, SetExpr, Statement as SqlStatement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::expr::normalize;
use crate::ident::{quote_literal, quote_qualified};
use crate::model::*;
use crate::naming::make_object_name;
use crate::render::{
    comments_of_table, foreign_keys, mentioned_names, split_list_setting, view_order, AddMode,
    AlterTable, CommentTarget, EnumPosition, FunctionSignature, SequenceOption, SqlType, Statement,
};
use crate::types::DataType;

// ---------------------------------------------------------------------------------------------
// Plan data
// ---------------------------------------------------------------------------------------------

/// What a change risks. Each has a stable kebab-case [`code`](Hazard::code), a message that
/// says what will happen and a help that says what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hazard {
    /// `deletes-data`: rows, values or a sequence's position are gone for good.
    DeletesData,
    /// `drops-object`: an object running code or other objects may use disappears.
    DropsObject,
    /// `rewrites-table`: the table and its indexes are rewritten under an ACCESS EXCLUSIVE lock.
    RewritesTable,
    /// `access-exclusive-lock`: blocks every read and write of the relation.
    AccessExclusiveLock,
    /// `builds-index`: an index is built while writes to the table are blocked.
    BuildsIndex,
    /// `not-transactional`: cannot run inside a transaction block.
    NotTransactional,
    /// `validates-constraint`: scans the whole table to check existing rows.
    ValidatesConstraint,
    /// `narrows-type`: existing values may not convert to the new type.
    NarrowsType,
    /// `adds-required-column`: a `NOT NULL` column without a default fails on a table with rows.
    AddsRequiredColumn,
    /// `removes-enum-value`: PostgreSQL cannot remove or reorder enum labels; the type is rebuilt.
    RemovesEnumValue,
    /// `renames-object`: code that uses the old name breaks.
    RenamesObject,
    /// `recreates-object`: dropped and created again, so briefly missing and without its grants.
    RecreatesObject,
}

impl Hazard {
    /// Every hazard, in declaration order.
    pub const ALL: [Hazard; 12] = [
        Hazard::DeletesData,
        Hazard::DropsObject,
        Hazard::RewritesTable,
        Hazard::AccessExclusiveLock,
        Hazard::BuildsIndex,
        Hazard::NotTransactional,
        Hazard::ValidatesConstraint,
        Hazard::NarrowsType,
        Hazard::AddsRequiredColumn,
        Hazard::RemovesEnumValue,
        Hazard::RenamesObject,
        Hazard::RecreatesObject,
    ];

    /// The stable kebab-case name, e.g. `rewrites-table`.
    pub fn code(self) -> &'static str {
        match self {
            Hazard::DeletesData => "deletes-data",
            Hazard::DropsObject => "drops-object",
            Hazard::RewritesTable => "rewrites-table",
            Hazard::AccessExclusiveLock => "access-exclusive-lock",
            Hazard::BuildsIndex => "builds-index",
            Hazard::NotTransactional => "not-transactional",
            Hazard::ValidatesConstraint => "validates-constraint",
            Hazard::NarrowsType => "narrows-type",
            Hazard::AddsRequiredColumn => "adds-required-column",
            Hazard::RemovesEnumValue => "removes-enum-value",
            Hazard::RenamesObject => "renames-object",
            Hazard::RecreatesObject => "recreates-object",
        }
    }

    /// What will happen.
    pub fn message(self) -> &'static str {
        match self {
            Hazard::DeletesData => "deletes data: what it held is gone for good",
            Hazard::DropsObject => {
                "drops an object that running code or other objects may still use"
            }
            Hazard::RewritesTable => {
                "rewrites the whole table and rebuilds its indexes while holding an ACCESS \
                 EXCLUSIVE lock: reads and writes wait until it is done"
            }
            Hazard::AccessExclusiveLock => {
                "takes an ACCESS EXCLUSIVE lock: waits for every running query on the relation \
                 and blocks every read and write queued behind it until the transaction ends"
            }
            Hazard::BuildsIndex => "builds an index, blocking writes to the table while it builds",
            Hazard::NotTransactional => {
                "cannot run inside a transaction: if a later change fails, this one stays applied"
            }
            Hazard::ValidatesConstraint => "scans the whole table to check the existing rows",
            Hazard::NarrowsType => {
                "existing values may not convert to the new type: the change fails, or values \
                 lose precision"
            }
            Hazard::AddsRequiredColumn => {
                "adds a NOT NULL column without a default: fails if the table has any rows"
            }
            Hazard::RemovesEnumValue => {
                "PostgreSQL cannot remove or reorder enum labels: the type is rebuilt and every \
                 column of it rewritten, and rows holding a removed label make the change fail"
            }
            Hazard::RenamesObject => {
                "running code that uses the old name fails until it is deployed with the new one"
            }
            Hazard::RecreatesObject => {
                "drops and re-creates the object: it is missing for a moment, and grants on it \
                 are lost"
            }
        }
    }

    /// What to do about it.
    pub fn help(self) -> &'static str {
        match self {
            Hazard::DeletesData => "back the data up first, or keep the object",
            Hazard::DropsObject => "deploy code that no longer uses it before applying",
            Hazard::RewritesTable => {
                "on a large table, add a new column, backfill it in batches and switch over"
            }
            Hazard::AccessExclusiveLock => {
                "set lock_timeout so the change gives up instead of stalling traffic, and retry"
            }
            Hazard::BuildsIndex => "use CREATE INDEX CONCURRENTLY",
            Hazard::NotTransactional => "apply it on its own; it is idempotent and can be re-run",
            Hazard::ValidatesConstraint => {
                "on a large table, run it when traffic is low; VALIDATE CONSTRAINT does not \
                 block writes, SET NOT NULL does"
            }
            Hazard::NarrowsType => "check that every value fits first, or widen instead",
            Hazard::AddsRequiredColumn => {
                "give it a default, or add it nullable, backfill it, then set NOT NULL"
            }
            Hazard::RemovesEnumValue => "update the rows that hold removed labels first",
            Hazard::RenamesObject => "deploy code that works with both names first",
            Hazard::RecreatesObject => "re-grant privileges on it after applying",
        }
    }

    /// True for hazards that lose data or break users of the schema, which need an explicit
    /// allow to apply: [`DeletesData`](Hazard::DeletesData),
    /// [`DropsObject`](Hazard::DropsObject), [`NarrowsType`](Hazard::NarrowsType),
    /// [`RemovesEnumValue`](Hazard::RemovesEnumValue).
    pub fn is_destructive(self) -> bool {
        matches!(
            self,
            Hazard::DeletesData
                | Hazard::DropsObject
                | Hazard::NarrowsType
                | Hazard::RemovesEnumValue
        )
    }
}

impl Display for Hazard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The strongest table lock a change takes, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum LockLevel {
    /// No lock on a table (functions, types, new objects).
    #[default]
    None,
    /// `SHARE UPDATE EXCLUSIVE`: reads and writes go on (`CREATE INDEX CONCURRENTLY`,
    /// `VALIDATE CONSTRAINT`, `COMMENT`).
    ShareUpdateExclusive,
    /// `SHARE`: blocks writes (`CREATE INDEX`).
    Share,
    /// `SHARE ROW EXCLUSIVE`: blocks writes (`CREATE TRIGGER`, adding a foreign key).
    ShareRowExclusive,
    /// `ACCESS EXCLUSIVE`: blocks reads and writes (most `ALTER TABLE`, `DROP`).
    AccessExclusive,
}

impl Display for LockLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LockLevel::None => "none",
            LockLevel::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            LockLevel::Share => "SHARE",
            LockLevel::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockLevel::AccessExclusive => "ACCESS EXCLUSIVE",
        })
    }
}

/// The kinds of object a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectKind {
    /// An extension.
    Extension,
    /// A schema (namespace).
    Schema,
    /// An enum type.
    Type,
    /// A sequence.
    Sequence,
    /// A function.
    Function,
    /// A procedure.
    Procedure,
    /// A table.
    Table,
    /// A table column.
    Column,
    /// A table constraint.
    Constraint,
    /// An index.
    Index,
    /// A view.
    View,
    /// A trigger.
    Trigger,
}

impl Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectKind::Extension => "extension",
            ObjectKind::Schema => "schema",
            ObjectKind::Type => "type",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Function => "function",
            ObjectKind::Procedure => "procedure",
            ObjectKind::Table => "table",
            ObjectKind::Column => "column",
            ObjectKind::Constraint => "constraint",
            ObjectKind::Index => "index",
            ObjectKind::View => "view",
            ObjectKind::Trigger => "trigger",
        })
    }
}

/// The object a change is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    /// What kind of object.
    pub kind: ObjectKind,
    /// Its identity as SQL prints it: `public.users`, `public.users.email`,
    /// `users_pkey ON public.users`, `public.add(integer, integer)`.
    pub name: String,
    /// The table a column, constraint, index or trigger belongs to.
    pub table: Option<QualifiedName>,
}

impl Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.name)
    }
}

impl ObjectRef {
    fn new(kind: ObjectKind, name: impl Display) -> Self {
        ObjectRef {
            kind,
            name: name.to_string(),
            table: None,
        }
    }

    fn on(kind: ObjectKind, table: &QualifiedName, name: impl Display) -> Self {
        ObjectRef {
            kind,
            name: name.to_string(),
            table: Some(table.clone()),
        }
    }

    fn column(table: &QualifiedName, column: &str) -> Self {
        Self::on(
            ObjectKind::Column,
            table,
            format_args!("{table}.{}", crate::render::Ident(column)),
        )
    }

    fn constraint(table: &QualifiedName, name: &str) -> Self {
        Self::on(
            ObjectKind::Constraint,
            table,
            format_args!("{} ON {table}", crate::render::Ident(name)),
        )
    }

    fn index(table: &QualifiedName, name: &str) -> Self {
        Self::on(
            ObjectKind::Index,
            table,
            quote_qualified(&table.schema, name),
        )
    }

    fn trigger(table: &QualifiedName, name: &str) -> Self {
        Self::on(
            ObjectKind::Trigger,
            table,
            format_args!("{} ON {table}", crate::render::Ident(name)),
        )
    }

    fn function(func: &Function) -> Self {
        let kind = if func.is_procedure {
            ObjectKind::Procedure
        } else {
            ObjectKind::Function
        };
        Self::new(kind, FunctionSignature(func))
    }
}

/// What a change does to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// Creates it.
    Create,
    /// Drops it.
    Drop,
    /// Changes it in place (including `CREATE OR REPLACE`, `VALIDATE`, comments).
    Alter,
    /// Renames it.
    Rename,
}

impl Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeKind::Create => "create",
            ChangeKind::Drop => "drop",
            ChangeKind::Alter => "alter",
            ChangeKind::Rename => "rename",
        })
    }
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The object it is about.
    pub object: ObjectRef,
    /// What it does.
    pub kind: ChangeKind,
    /// The SQL: one or more idempotent statements, each ending in `;`.
    pub sql: String,
    /// What it risks, without duplicates, in [`Hazard`] order.
    pub hazards: Vec<Hazard>,
    /// The strongest table lock it takes.
    pub lock: LockLevel,
    /// False when it cannot run inside a transaction block (`CREATE INDEX CONCURRENTLY`,
    /// `ALTER TYPE ... ADD VALUE`, whose new label cannot be used before it commits).
    pub transactional: bool,
    /// SQL that undoes it, when the undo exists (`None` for changes that lose data or cannot
    /// be reverted, such as a new enum label); empty when nothing needs undoing
    /// (`VALIDATE CONSTRAINT`).
    pub inverse: Option<String>,
    /// True when it creates or replaces a function, so the plan must be run with
    /// `check_function_bodies = false` (see [`Plan::to_sql`]).
    pub defines_function: bool,
}

impl Change {
    fn new(object: ObjectRef, kind: ChangeKind, statements: &[Statement<'_>]) -> Change {
        Change {
            object,
            kind,
            sql: sql_of(statements),
            hazards: Vec::new(),
            lock: LockLevel::None,
            transactional: true,
            inverse: None,
            defines_function: false,
        }
    }

    fn hazard(mut self, hazard: Hazard) -> Change {
        if !self.hazards.contains(&hazard) {
            self.hazards.push(hazard);
            self.hazards.sort();
        }
        self
    }

    fn hazard_if(self, condition: bool, hazard: Hazard) -> Change {
        if condition {
            self.hazard(hazard)
        } else {
            self
        }
    }

    /// Sets the lock; an ACCESS EXCLUSIVE lock on an object that exists is a hazard.
    fn lock(mut self, lock: LockLevel) -> Change {
        self.lock = lock;
        if lock == LockLevel::AccessExclusive {
            self.hazard(Hazard::AccessExclusiveLock)
        } else {
            self
        }
    }

    fn not_transactional(mut self) -> Change {
        self.transactional = false;
        self.hazard(Hazard::NotTransactional)
    }

    fn inverse(mut self, statements: &[Statement<'_>]) -> Change {
        self.inverse = Some(sql_of(statements));
        self
    }

    fn defines_function(mut self) -> Change {
        self.defines_function = true;
        self
    }

    /// True if any of its hazards is destructive.
    pub fn is_destructive(&self) -> bool {
        self.hazards.iter().any(|h| h.is_destructive())
    }
}

fn sql_of(statements: &[Statement<'_>]) -> String {
    statements
        .iter()
        .map(|s| format!("{s:#}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An ordered list of changes that turns one schema into another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The changes, in the order they must run.
    pub changes: Vec<Change>,
}

impl Plan {
    /// True when the schemas are the same: nothing to do.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// True if any change is destructive (see [`Hazard::is_destructive`]).
    pub fn is_destructive(&self) -> bool {
        self.changes.iter().any(Change::is_destructive)
    }

    /// Every hazard of the plan, once each.
    pub fn hazards(&self) -> BTreeSet<Hazard> {
        self.changes
            .iter()
            .flat_map(|c| c.hazards.iter().copied())
            .collect()
    }

    /// True when some change creates or replaces a function: the plan must run with
    /// `check_function_bodies = false`, because a new SQL function may name a table that a later
    /// change creates. [`Plan::to_sql`] sets it; an applier that runs changes one by one must
    /// set it too.
    pub fn defines_functions(&self) -> bool {
        self.changes.iter().any(|c| c.defines_function)
    }

    /// The whole plan as one script: each change's SQL, preceded by a `-- hazards: ...` line
    /// when it has any, changes separated by blank lines; wrapped in
    /// `SET check_function_bodies = false;` ... `RESET check_function_bodies;` when
    /// [`Plan::defines_functions`]. Empty for an empty plan.
    pub fn to_sql(&self) -> String {
        let mut parts = Vec::new();
        if self.defines_functions() {
            parts.push(Statement::UncheckedFunctionBodies.to_string());
        }
        for change in &self.changes {
            parts.push(change_sql(change));
        }
        if self.defines_functions() {
            parts.push(Statement::ResetFunctionBodies.to_string());
        }
        let mut out = parts.join("\n\n");
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }

    /// The SQL that undoes the whole plan (each change's inverse, last change first), or
    /// `None` if some change cannot be undone.
    pub fn inverse_sql(&self) -> Option<String> {
        let mut parts = Vec::new();
        for change in self.changes.iter().rev() {
            let inverse = change.inverse.clone()?;
            if !inverse.is_empty() {
                parts.push(inverse);
            }
        }
        let mut out = parts.join("\n\n");
        if !out.is_empty() {
            out.push('\n');
        }
        Some(out)
    }
}

fn change_sql(change: &Change) -> String {
    if change.hazards.is_empty() {
        change.sql.clone()
    } else {
        let codes: Vec<&str> = change.hazards.iter().map(|h| h.code()).collect();
        format!("-- hazards: {}\n{}", codes.join(", "), change.sql)
    }
}

impl Display for Plan {
    /// Same as [`Plan::to_sql`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_sql())
    }
}

// ---------------------------------------------------------------------------------------------
// Matching old and new
// ---------------------------------------------------------------------------------------------

/// A table in both schemas, with its columns matched.
struct TablePair<'a> {
    old: &'a Table,
    new: &'a Table,
    /// Columns in both, new order.
    columns: Vec<(&'a Column, &'a Column)>,
    /// Columns only in the new table.
    added: Vec<&'a Column>,
    /// Columns only in the old table.
    dropped: Vec<&'a Column>,
}

impl<'a> TablePair<'a> {
    fn new(old: &'a Table, new: &'a Table) -> Self {
        let mut claimed = BTreeSet::new();
        let mut matched: Vec<Option<&'a Column>> = vec![None; new.columns.len()];
        // Renames first, so a new column that takes a renamed column's old name is new.
        for (i, column) in new.columns.iter().enumerate() {
            if let Some(from) = &column.renamed_from {
                if old.column(&column.name).is_none() {
                    if let Some(oc) = old.column(from) {
                        matched[i] = Some(oc);
                        claimed.insert(oc.name.clone());
                    }
                }
            }
        }
        for (i, column) in new.columns.iter().enumerate() {
            if matched[i].is_none() && !claimed.contains(&column.name) {
                if let Some(oc) = old.column(&column.name) {
                    matched[i] = Some(oc);
                    claimed.insert(oc.name.clone());
                }
            }
        }
        let mut columns = Vec::new();
        let mut added = Vec::new();
        for (i, column) in new.columns.iter().enumerate() {
            match matched[i] {
                Some(oc) => columns.push((oc, column)),
                None => added.push(column),
            }
        }
        let dropped = old
            .columns
            .iter()
            .filter(|c| !claimed.contains(&c.name))
            .collect();
        TablePair {
            old,
            new,
            columns,
            added,
            dropped,
        }
    }

    /// An old SQL fragment with renamed columns spelled by their new names, as PostgreSQL
    /// reprints an expression after `RENAME COLUMN` (it stores column numbers, not names).
    /// Unchanged when nothing is renamed or the fragment does not parse.
    fn rename_in_expr(&self, sql: &str) -> String {
        let renamed: Vec<(&str, &str)> = self
            .columns
            .iter()
            .filter(|(o, n)| o.name != n.name)
            .map(|(o, n)| (o.name.as_str(), n.name.as_str()))
            .collect();
        if renamed.is_empty() {
            return sql.to_string();
        }
        let Ok(mut expr) = crate::expr::parse_expr(sql) else {
            return sql.to_string();
        };
        let _ = sqlparser::ast::visit_expressions_mut(&mut expr, |e| {
            if let Expr::Identifier(ident) = e {
                let name = if ident.quote_style.is_some() {
                    ident.value.clone()
                } else {
                    ident.value.to_lowercase()
                };
                if let Some((_, to)) = renamed.iter().find(|(from, _)| *from == name) {
                    ident.quote_style = crate::ident::needs_quotes(to).then_some('"');
                    ident.value = to.to_string();
                }
            }
            std::ops::ControlFlow::<()>::Continue(())
        });
        expr.to_string()
    }

    /// A generated column whose expression changes, or a plain column that becomes generated:
    /// before PostgreSQL 17 neither can be altered in place.
    fn generated_recreated(&self, oc: &Column, nc: &Column) -> bool {
        match (&oc.generated, &nc.generated) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(b)) => !same_fragment(&self.rename_in_expr(a), b),
        }
    }

    /// The new name of an old column (itself when not renamed or dropped).
    fn new_column_name<'b>(&'b self, old: &'b str) -> &'b str {
        self.columns
            .iter()
            .find(|(o, _)| o.name == old)
            .map_or(old, |(_, n)| n.name.as_str())
    }
}

/// The identity of a function: name and input argument types (all arguments, for procedures).
type FunctionKey = (QualifiedName, Vec<String>);

fn function_key(func: &Function) -> FunctionKey {
    let inputs = func
        .args
        .iter()
        .filter(|a| func.is_procedure || a.mode != ArgMode::Out)
        .map(|a| SqlType(&a.data_type).to_string())
        .collect();
    (func.name.clone(), inputs)
}

// ---------------------------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------------------------

fn same_fragment(a: &str, b: &str) -> bool {
    a == b || normalize(a) == normalize(b)
}

fn same_opt_fragment(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_fragment(a, b),
        _ => false,
    }
}

/// A view query with white space folded and trailing `;` removed.
fn query_text(query: &str) -> String {
    query
        .trim()
        .trim_end_matches(';')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn effective_type(column: &Column) -> DataType {
    column
        .data_type
        .serial_base()
        .unwrap_or_else(|| column.data_type.clone())
}

fn is_serial(column: &Column) -> bool {
    column.data_type.serial_base().is_some()
}

fn effective_not_null(table: &Table, column: &Column) -> bool {
    column.not_null
        || column.identity.is_some()
        || is_serial(column)
        || table
            .primary_key()
            .is_some_and(|pk| pk.kind.columns().contains(&column.name))
}

/// The sequence a serial column owns: `<table>_<column>_seq` in the table's schema.
fn serial_sequence(table: &QualifiedName, column: &str) -> QualifiedName {
    QualifiedName::new(
        table.schema.clone(),
        make_object_name(&table.name, Some(column), Some("seq")),
    )
}

/// A constraint as it compares: check expressions normalized.
fn comparable_constraint(c: &Constraint) -> Constraint {
    let mut c = c.clone();
    c.comment = None;
    c.deferrable = c.deferrable || c.initially_deferred;
    if let ConstraintKind::Check { expr } = &mut c.kind {
        *expr = normalize(expr);
    }
    c
}

/// An index as it compares: expressions and predicate normalized.
fn comparable_index(i: &Index) -> Index {
    let mut i = i.clone();
    i.comment = None;
    for e in &mut i.elements {
        if let IndexTarget::Expression(sql) = &mut e.target {
            *sql = normalize(sql);
        }
        // `ASC NULLS LAST` and `DESC NULLS FIRST` are the defaults.
        if e.nulls_first == Some(e.descending) {
            e.nulls_first = None;
        }
    }
    i.predicate = i.predicate.as_deref().map(normalize);
    i
}

/// Effective sequence options, defaults filled in as PostgreSQL fills them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SequenceFacts {
    data_type: DataType,
    increment: i64,
    min: i64,
    max: i64,
    start: i64,
    cache: i64,
    cycle: bool,
}

fn sequence_facts(s: &Sequence) -> SequenceFacts {
    let data_type = s
        .data_type
        .clone()
        .unwrap_or_else(|| DataType::builtin("bigint"));
    let (type_min, type_max) = match data_type.name.as_str() {
        "smallint" => (i16::MIN as i64, i16::MAX as i64),
        "integer" => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    };
    let increment = s.increment.unwrap_or(1);
    let min = s
        .min_value
        .unwrap_or(if increment > 0 { 1 } else { type_min });
    let max = s
        .max_value
        .unwrap_or(if increment > 0 { type_max } else { -1 });
    SequenceFacts {
        data_type,
        increment,
        min,
        max,
        start: s.start.unwrap_or(if increment > 0 { min } else { max }),
        cache: s.cache.unwrap_or(1),
        cycle: s.cycle,
    }
}

/// `ALTER SEQUENCE` options that turn `from` into `to`.
fn sequence_options(from: &Sequence, to: &Sequence) -> Vec<SequenceOption> {
    let (a, b) = (sequence_facts(from), sequence_facts(to));
    let mut out = Vec::new();
    if a.data_type != b.data_type {
        out.push(SequenceOption::As(b.data_type.clone()));
    }
    if a.increment != b.increment {
        out.push(SequenceOption::IncrementBy(b.increment));
    }
    if a.min != b.min || a.data_type != b.data_type && to.min_value.is_none() {
        out.push(SequenceOption::MinValue(to.min_value));
    }
    if a.max != b.max || a.data_type != b.data_type && to.max_value.is_none() {
        out.push(SequenceOption::MaxValue(to.max_value));
    }
    if a.start != b.start {
        out.push(SequenceOption::StartWith(b.start));
    }
    if a.cache != b.cache {
        out.push(SequenceOption::Cache(b.cache));
    }
    if a.cycle != b.cycle {
        out.push(SequenceOption::Cycle(b.cycle));
    }
    out
}

/// Settings compared as the server stores them: list settings re-joined canonically.
fn config_facts(config: &[(String, String)]) -> Vec<(String, String)> {
    config
        .iter()
        .map(|(name, value)| {
            let name = name.to_ascii_lowercase();
            let value = if name == "search_path" || name == "temp_tablespaces" {
                split_list_setting(value).join(",")
            } else {
                value.clone()
            };
            (name, value)
        })
        .collect()
}

fn same_function(a: &Function, b: &Function) -> bool {
    a.is_procedure == b.is_procedure
        && a.returns == b.returns
        && a.language.eq_ignore_ascii_case(&b.language)
        && a.body == b.body
        && a.volatility == b.volatility
        && a.strict == b.strict
        && a.security_definer == b.security_definer
        && config_facts(&a.config) == config_facts(&b.config)
        && a.args.len() == b.args.len()
        && a.args.iter().zip(&b.args).all(|(x, y)| {
            x.mode == y.mode
                && x.name == y.name
                && x.data_type == y.data_type
                && same_opt_fragment(&x.default, &y.default)
        })
}

/// True if `CREATE OR REPLACE` can turn `old` into `new`: same kind, same return type, same
/// arguments (names, modes, types), and no argument default removed.
fn replaceable_function(old: &Function, new: &Function) -> bool {
    old.is_procedure == new.is_procedure
        && old.returns == new.returns
        && old.args.len() == new.args.len()
        && old.args.iter().zip(&new.args).all(|(x, y)| {
            x.mode == y.mode
                && x.name == y.name
                && x.data_type == y.data_type
                && (x.default.is_none() || y.default.is_some())
        })
}

fn same_trigger(a: &Trigger, b: &Trigger) -> bool {
    a.timing == b.timing
        && a.events == b.events
        && a.for_each_row == b.for_each_row
        && same_opt_fragment(&a.when, &b.when)
        && a.function == b.function
        && a.args == b.args
}

/// The output column names of a view as PostgreSQL derives them, when they can be known
/// without the server (no `*`).
fn view_output_names(view: &View) -> Option<Vec<String>> {
    let statements = Parser::parse_sql(&PostgreSqlDialect {}, &view.query).ok()?;
    let [SqlStatement::Query(query)] = statements.as_slice() else {
        return None;
    };
    let mut body = &*query.body;
    let select = loop {
        match body {
            SetExpr::Select(select) => break select,
            SetExpr::SetOperation { left, .. } => body = left,
            SetExpr::Query(q) => body = &q.body,
            _ => return None,
        }
    };
    let mut names = Vec::new();
    for item in &select.projection {
        names.push(match item {
            SelectItem::UnnamedExpr(expr) => output_name(expr),
            SelectItem::ExprWithAlias { alias, .. } => {
                if alias.quote_style.is_some() {
                    alias.value.clone()
                } else {
                    alias.value.to_lowercase()
                }
            }
            _ => return None,
        });
    }
    for (i, name) in view.columns.iter().enumerate() {
        if let Some(slot) = names.get_mut(i) {
            *slot = name.clone();
        }
    }
    Some(names)
}

fn output_name(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(_)
        | Expr::CompoundIdentifier(_)
        | Expr::Function(_)
        | Expr::Cast { .. }
        | Expr::Nested(_) => crate::expr::index_column_name(expr),
        _ => "?column?".to_string(),
    }
}

/// True if `CREATE OR REPLACE VIEW` can turn `old` into `new`: the new view's columns start
/// with the old one's, by name. (Their types cannot be known offline; PostgreSQL rejects a
/// replacement that changes one, and the runtime's canonical comparison catches that case.)
fn replaceable_view(old: &View, new: &View) -> bool {
    match (view_output_names(old), view_output_names(new)) {
        (Some(a), Some(b)) => b.len() >= a.len() && a[..] == b[..a.len()],
        _ => false,
    }
}

/// Functions whose default makes `ADD COLUMN` rewrite the table (volatile ones).
const VOLATILE_FUNCTIONS: &[&str] = &[
    "nextval",
    "gen_random_uuid",
    "gen_random_bytes",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "random",
    "random_normal",
    "clock_timestamp",
    "timeofday",
    "txid_current",
];

fn is_volatile_default(expr: &str, schema: &Schema) -> bool {
    let Ok(parsed) = crate::expr::parse_expr(expr) else {
        return false;
    };
    crate::expr::called_functions(&parsed).iter().any(|name| {
        let last = name.rsplit('.').next().unwrap_or(name);
        VOLATILE_FUNCTIONS.contains(&last)
            || schema
                .functions
                .iter()
                .any(|f| f.name.name == last && f.volatility == Volatility::Volatile)
    })
}

/// What changing a column's type from `old` to `new` costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TypeChange {
    /// The table is rewritten (not binary coercible).
    rewrite: bool,
    /// Some values may not convert, or lose information.
    narrowing: bool,
    /// No assignment cast exists: the server needs `USING col::new`.
    needs_using: bool,
}

const STRING_TYPES: &[&str] = &["text", "character varying", "character"];
const NUMERIC_TYPES: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "real",
    "double precision",
];
const DATETIME_TYPES: &[&str] = &[
    "date",
    "timestamp without time zone",
    "timestamp with time zone",
];

fn type_change(old: &DataType, new: &DataType) -> TypeChange {
    let builtin = |t: &DataType| t.schema.is_none();
    let (o, n) = (old.name.as_str(), new.name.as_str());
    if old.array != new.array {
        return TypeChange {
            rewrite: true,
            narrowing: true,
            needs_using: true,
        };
    }
    // Same type, other modifiers.
    if old.schema == new.schema && o == n {
        let (om, nm) = (&old.modifiers, &new.modifiers);
        let widening_length = match (om.first(), nm.first()) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => b >= a,
        };
        return match o {
            "character varying" | "bit varying" => TypeChange {
                rewrite: !widening_length,
                narrowing: !widening_length,
                needs_using: false,
            },
            "time without time zone"
            | "time with time zone"
            | "timestamp without time zone"
            | "timestamp with time zone"
            | "interval" => TypeChange {
                rewrite: !widening_length,
                narrowing: !widening_length,
                needs_using: false,
            },
            "numeric" => {
                let (rewrite, narrowing) = match (om.as_slice(), nm.as_slice()) {
                    (_, []) => (false, false),
                    ([], _) => (true, true),
                    ([p, s], [p2, s2]) => (!(s2 == s && p2 >= p), p2 - s2 < p - s || s2 < s),
                    _ => (true, true),
                };
                TypeChange {
                    rewrite,
                    narrowing,
                    needs_using: false,
                }
            }
            _ => TypeChange {
                rewrite: true,
                narrowing: !(builtin(old) && widening_length && o == "character"),
                needs_using: false,
            },
        };
    }
    if builtin(old) && builtin(new) {
        let unlimited = |t: &DataType| t.modifiers.is_empty();
        // Binary coercible: no rewrite.
        let coercible = (o == "character varying" && n == "text")
            || (o == "text" && n == "character varying" && unlimited(new))
            || (o == "cidr" && n == "inet")
            || (o == "xml" && n == "text");
        let to_string = STRING_TYPES.contains(&n);
        let widening = coercible
            || (to_string && unlimited(new) && n != "character")
            || numeric_widening(o, n, new)
            || (o == "real" && n == "double precision")
            || (o == "date" && DATETIME_TYPES.contains(&n))
            || (o == "timestamp without time zone" && n == "timestamp with time zone");
        let assignment_cast = to_string
            || (STRING_TYPES.contains(&o) && STRING_TYPES.contains(&n))
            || (NUMERIC_TYPES.contains(&o) && NUMERIC_TYPES.contains(&n))
            || (DATETIME_TYPES.contains(&o) && DATETIME_TYPES.contains(&n))
            || (o.starts_with("time ") && n.starts_with("time "))
            || (o == "cidr" && n == "inet")
            || (o == "json" && n == "jsonb")
            || (o == "bit" && n == "bit varying")
            || (o == "bit varying" && n == "bit");
        return TypeChange {
            rewrite: !coercible,
            narrowing: !widening,
            needs_using: !assignment_cast,
        };
    }
    // A user type on either side: enum to text is an assignment cast, anything else needs USING.
    let to_string = builtin(new) && STRING_TYPES.contains(&n);
    TypeChange {
        rewrite: true,
        narrowing: !(to_string && new.modifiers.is_empty() && n != "character"),
        needs_using: !to_string,
    }
}

fn numeric_widening(o: &str, n: &str, new: &DataType) -> bool {
    let rank = |t: &str| match t {
        "smallint" => Some(1),
        "integer" => Some(2),
        "bigint" => Some(3),
        _ => None,
    };
    match (rank(o), rank(n)) {
        (Some(a), Some(b)) => b >= a,
        (Some(_), None) if n == "numeric" => new.modifiers.is_empty(),
        (Some(a), None) if n == "double precision" => a <= 2,
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// The planner
// ---------------------------------------------------------------------------------------------

/// The changes, by phase; concatenated in field order.
#[derive(Default)]
struct Phases {
    drop_triggers: Vec<Change>,
    drop_views: Vec<Change>,
    drop_foreign_keys: Vec<Change>,
    drop_constraints: Vec<Change>,
    drop_indexes: Vec<Change>,
    drop_columns: Vec<Change>,
    drop_tables: Vec<Change>,
    drop_functions: Vec<Change>,
    drop_sequences: Vec<Change>,
    drop_types: Vec<Change>,
    drop_extensions: Vec<Change>,
    drop_schemas: Vec<Change>,
    renames: Vec<Change>,
    schemas: Vec<Change>,
    extensions: Vec<Change>,
    types: Vec<Change>,
    sequences: Vec<Change>,
    functions: Vec<Change>,
    tables: Vec<Change>,
    columns: Vec<Change>,
    sequence_owners: Vec<Change>,
    constraints: Vec<Change>,
    indexes: Vec<Change>,
    foreign_keys: Vec<Change>,
    views: Vec<Change>,
    triggers: Vec<Change>,
    comments: Vec<Change>,
}

impl Phases {
    fn into_changes(self) -> Vec<Change> {
        let Phases {
            drop_triggers,
            drop_views,
            drop_foreign_keys,
            drop_constraints,
            drop_indexes,
            drop_columns,
            drop_tables,
            drop_functions,
            drop_sequences,
            drop_types,
            drop_extensions,
            drop_schemas,
            renames,
            schemas,
            extensions,
            types,
            sequences,
            functions,
            tables,
            columns,
            sequence_owners,
            constraints,
            indexes,
            foreign_keys,
            views,
            triggers,
            comments,
        } = self;
        [
            drop_triggers,
            drop_views,
            drop_foreign_keys,
            drop_constraints,
            drop_indexes,
            drop_columns,
            drop_tables,
            drop_functions,
            drop_sequences,
            drop_types,
            drop_extensions,
            drop_schemas,
            renames,
            schemas,
            extensions,
            types,
            sequences,
            functions,
            tables,
            columns,
            sequence_owners,
            constraints,
            indexes,
            foreign_keys,
            views,
            triggers,
            comments,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// The plan that turns `old` into `new`. Pure: no database involved.
///
/// `old` is usually the live database as introspected, `new` the declared schema. Renames
/// happen only where the new schema declares them (`renamed_from` on a table or column, when
/// the old schema has the old name and not the new one); anything else missing from `new` is
/// dropped and anything missing from `old` is created.
pub fn diff(old: &Schema, new: &Schema) -> Plan {
    Planner::new(old, new).plan()
}

struct Planner<'a> {
    old: &'a Schema,
    new: &'a Schema,
    pairs: Vec<TablePair<'a>>,
    created_tables: Vec<&'a Table>,
    dropped_tables: Vec<&'a Table>,
    /// Old tables (by old name) whose columns change type or go away, with those columns'
    /// old names: views and triggers that use them must be rebuilt.
    reshaped: BTreeMap<QualifiedName, BTreeSet<String>>,
    /// Enum types (by name) rebuilt because labels were removed or reordered.
    rebuilt_enums: BTreeSet<QualifiedName>,
    /// Old functions dropped and created again.
    rebuilt_functions: BTreeSet<FunctionKey>,
    /// Old views dropped (and created again if the new schema has them).
    rebuilt_views: BTreeSet<QualifiedName>,
    /// Old triggers, by (old table, name), dropped (and created again if still declared).
    rebuilt_triggers: BTreeSet<(QualifiedName, String)>,
    /// Index of `pairs` by the old table's name.
    pairs_by_old: BTreeMap<&'a QualifiedName, usize>,
    /// The old and new functions by identity.
    old_functions: BTreeMap<FunctionKey, &'a Function>,
    new_functions: BTreeMap<FunctionKey, &'a Function>,
    phases: Phases,
}

impl<'a> Planner<'a> {
    fn new(old: &'a Schema, new: &'a Schema) -> Self {
        let old_tables: BTreeMap<&QualifiedName, &'a Table> =
            old.tables.iter().map(|t| (&t.name, t)).collect();
        let old_table = |name: &QualifiedName| old_tables.get(name).copied();
        let mut claimed = BTreeSet::new();
        let mut matched: Vec<Option<&'a Table>> = vec![None; new.tables.len()];
        for (i, table) in new.tables.iter().enumerate() {
            if let Some(from) = &table.renamed_from {
                let from = QualifiedName::new(table.name.schema.clone(), from.clone());
                if old_table(&table.name).is_none() {
                    if let Some(ot) = old_table(&from) {
                        matched[i] = Some(ot);
                        claimed.insert(ot.name.clone());
                    }
                }
            }
        }
        for (i, table) in new.tables.iter().enumerate() {
            if matched[i].is_none() && !claimed.contains(&table.name) {
                if let Some(ot) = old_table(&table.name) {
                    matched[i] = Some(ot);
                    claimed.insert(ot.name.clone());
                }
            }
        }
        let mut pairs = Vec::new();
        let mut created_tables = Vec::new();
        for (i, table) in new.tables.iter().enumerate() {
            match matched[i] {
                Some(ot) => pairs.push(TablePair::new(ot, table)),
                None => created_tables.push(table),
            }
        }
        let dropped_tables = old
            .tables
            .iter()
            .filter(|t| !claimed.contains(&t.name))
            .collect();
        let pairs_by_old = pairs
            .iter()
            .enumerate()
            .map(|(i, p): (usize, &TablePair<'a>)| (&p.old.name, i))
            .collect();
        Planner {
            old,
            new,
            pairs,
            created_tables,
            dropped_tables,
            reshaped: BTreeMap::new(),
            rebuilt_enums: BTreeSet::new(),
            rebuilt_functions: BTreeSet::new(),
            rebuilt_views: BTreeSet::new(),
            rebuilt_triggers: BTreeSet::new(),
            pairs_by_old,
            old_functions: old.functions.iter().map(|f| (function_key(f), f)).collect(),
            new_functions: new.functions.iter().map(|f| (function_key(f), f)).collect(),
            phases: Phases::default(),
        }
    }

    fn plan(mut self) -> Plan {
        self.find_rebuilds();
        self.schemas();
        self.extensions();
        self.enums();
        self.sequences();
        self.functions();
        self.tables();
        self.views();
        self.triggers();
        Plan {
            changes: self.phases.into_changes(),
        }
    }

    /// The new name of an old table (itself when it stays or goes).
    fn new_table_name(&self, old: &QualifiedName) -> QualifiedName {
        self.pair_by_old(old)
            .map_or_else(|| old.clone(), |p| p.new.name.clone())
    }

    fn pair_by_old(&self, old: &QualifiedName) -> Option<&TablePair<'a>> {
        self.pairs_by_old.get(old).map(|&i| &self.pairs[i])
    }

    // -----------------------------------------------------------------------------------------
    // What must be rebuilt
    // -----------------------------------------------------------------------------------------

    fn find_rebuilds(&mut self) {
        // Enum types whose labels were removed or reordered.
        for e in &self.new.enums {
            if let Some(old) = self.old.enum_type(&e.name) {
                if !is_subsequence(&old.values, &e.values) {
                    self.rebuilt_enums.insert(e.name.clone());
                }
            }
        }
        // Columns that change type, or go away.
        let mut reshaped: BTreeMap<QualifiedName, BTreeSet<String>> = BTreeMap::new();
        for pair in &self.pairs {
            let mut names = BTreeSet::new();
            for (oc, nc) in &pair.columns {
                let enum_rebuilt = self.column_enum_rebuilt(oc, nc);
                if effective_type(oc) != effective_type(nc)
                    || oc.collation != nc.collation
                    || enum_rebuilt
                    || pair.generated_recreated(oc, nc)
                {
                    names.insert(oc.name.clone());
                }
            }
            for oc in &pair.dropped {
                names.insert(oc.name.clone());
            }
            if !names.is_empty() {
                reshaped.insert(pair.old.name.clone(), names);
            }
        }
        self.reshaped = reshaped;

        // Functions dropped and created again: incompatible changes, or a rebuilt enum in the
        // signature (the old function would keep pointing at the old type).
        let mut rebuilt_functions = BTreeSet::new();
        for of in &self.old.functions {
            let key = function_key(of);
            let Some(&nf) = self.new_functions.get(&key) else {
                continue;
            };
            let uses_rebuilt = function_types(of).any(|t| {
                t.schema.as_ref().is_some_and(|s| {
                    self.rebuilt_enums
                        .contains(&QualifiedName::new(s.clone(), t.name.clone()))
                })
            });
            if uses_rebuilt || (!same_function(of, nf) && !replaceable_function(of, nf)) {
                rebuilt_functions.insert(key);
            }
        }
        self.rebuilt_functions = rebuilt_functions;
        let gone_functions: BTreeSet<String> = self
            .old
            .functions
            .iter()
            .filter(|f| {
                let key = function_key(f);
                self.rebuilt_functions.contains(&key) || !self.new_functions.contains_key(&key)
            })
            .map(|f| f.name.name.clone())
            .collect();

        // Views: those that change incompatibly or go away, those that use a reshaped or
        // dropped table or a function that goes away, and every view that uses one of those.
        let mut views = BTreeSet::new();
        let dropped_tables: BTreeSet<&str> = self
            .dropped_tables
            .iter()
            .map(|t| t.name.name.as_str())
            .collect();
        let mentions: Vec<(QualifiedName, BTreeSet<String>)> = self
            .old
            .views
            .iter()
            .map(|v| (v.name.clone(), mentioned_names(&v.query)))
            .collect();
        for ov in &self.old.views {
            let m = &mentions
                .iter()
                .find(|(n, _)| n == &ov.name)
                .expect("listed")
                .1;
            let replaced = match self.new.views.iter().find(|v| v.name == ov.name) {
                None => true,
                Some(nv) => !same_view(ov, nv) && !replaceable_view(ov, nv),
            };
            // A view that names the table and one of the columns (or `*`, which PostgreSQL
            // expands to every column when it creates the view).
            let uses_reshaped = self.reshaped.iter().any(|(t, columns)| {
                m.contains(&t.name)
                    && (ov.query.contains('*') || columns.iter().any(|c| m.contains(c)))
            });
            let uses_dropped = dropped_tables.iter().any(|t| m.contains(*t));
            let uses_gone_function = gone_functions.iter().any(|f| m.contains(f));
            if replaced || uses_reshaped || uses_dropped || uses_gone_function {
                views.insert(ov.name.clone());
            }
        }
        loop {
            let before = views.len();
            for (name, m) in &mentions {
                if !views.contains(name)
                    && views.iter().any(|v: &QualifiedName| m.contains(&v.name))
                {
                    views.insert(name.clone());
                }
            }
            if views.len() == before {
                break;
            }
        }
        self.rebuilt_views = views;

        // Triggers: on a rebuilt view, calling a function that goes away, or using a column
        // that changes type or goes away.
        let mut triggers = BTreeSet::new();
        for t in &self.old.triggers {
            let on_rebuilt_view = self.rebuilt_views.contains(&t.table);
            let calls_gone = self.old.functions.iter().any(|f| {
                f.name == t.function && {
                    let key = function_key(f);
                    self.rebuilt_functions.contains(&key) || !self.new_functions.contains_key(&key)
                }
            });
            let uses_column = self.reshaped.get(&t.table).is_some_and(|columns| {
                let mut used: BTreeSet<String> =
                    t.when.as_deref().map(mentioned_names).unwrap_or_default();
                for e in &t.events {
                    if let TriggerEvent::Update(cols) = e {
                        used.extend(cols.iter().cloned());
                    }
                }
                columns.iter().any(|c| used.contains(c))
            });
            if on_rebuilt_view || calls_gone || uses_column {
                triggers.insert((t.table.clone(), t.name.clone()));
            }
        }
        self.rebuilt_triggers = triggers;
    }

    fn column_enum_rebuilt(&self, oc: &Column, nc: &Column) -> bool {
        let enum_of = |c: &Column| {
            c.data_type
                .schema
                .as_ref()
                .map(|s| QualifiedName::new(s.clone(), c.data_type.name.clone()))
        };
        match (enum_of(oc), enum_of(nc)) {
            (Some(a), Some(b)) => a == b && self.rebuilt_enums.contains(&b),
            _ => false,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Schemas, extensions
    // -----------------------------------------------------------------------------------------

    fn schemas(&mut self) {
        for ns in &self.new.schemas {
            match self.old.schemas.iter().find(|o| o.name == ns.name) {
                None => {
                    self.phases.schemas.push(
                        Change::new(
                            ObjectRef::new(ObjectKind::Schema, crate::render::Ident(&ns.name)),
                            ChangeKind::Create,
                            &[Statement::CreateSchema(&ns.name)],
                        )
                        .inverse(&[Statement::DropSchema(&ns.name)]),
                    );
                    self.comment(
                        ObjectRef::new(ObjectKind::Schema, crate::render::Ident(&ns.name)),
                        CommentTarget::Schema(&ns.name),
                        &None,
                        &ns.comment,
                    );
                }
                Some(old) => self.comment(
                    ObjectRef::new(ObjectKind::Schema, crate::render::Ident(&ns.name)),
                    CommentTarget::Schema(&ns.name),
                    &old.comment,
                    &ns.comment,
                ),
            }
        }
        for old in &self.old.schemas {
            if !self.new.schemas.iter().any(|n| n.name == old.name) {
                self.phases.drop_schemas.push(
                    Change::new(
                        ObjectRef::new(ObjectKind::Schema, crate::render::Ident(&old.name)),
                        ChangeKind::Drop,
                        &[Statement::DropSchema(&old.name)],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse(&[Statement::CreateSchema(&old.name)]),
                );
            }
        }
    }

    fn extensions(&mut self) {
        for ext in &self.new.extensions {
            let object = ObjectRef::new(ObjectKind::Extension, crate::render::Ident(&ext.name));
            match self.old.extensions.iter().find(|o| o.name == ext.name) {
                None => {
                    self.phases.extensions.push(
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            &[Statement::CreateExtension(ext)],
                        )
                        .inverse(&[Statement::DropExtension(&ext.name)]),
                    );
                    self.comment(
                        object,
                        CommentTarget::Extension(&ext.name),
                        &None,
                        &ext.comment,
                    );
                }
                Some(old) => {
                    if let (Some(to), Some(from)) = (&ext.schema, &old.schema) {
                        if to != from {
                            self.phases.extensions.push(
                                Change::new(
                                    object.clone(),
                                    ChangeKind::Alter,
                                    &[Statement::AlterExtensionSchema {
                                        name: &ext.name,
                                        schema: to,
                                    }],
                                )
                                .inverse(&[
                                    Statement::AlterExtensionSchema {
                                        name: &ext.name,
                                        schema: from,
                                    },
                                ]),
                            );
                        }
                    }
                    // An extension installs its own comment: one declared without a comment
                    // leaves it alone.
                    if ext.comment.is_some() {
                        self.comment(
                            object,
                            CommentTarget::Extension(&ext.name),
                            &old.comment,
                            &ext.comment,
                        );
                    }
                }
            }
        }
        for old in &self.old.extensions {
            if !self.new.extensions.iter().any(|n| n.name == old.name) {
                self.phases.drop_extensions.push(
                    Change::new(
                        ObjectRef::new(ObjectKind::Extension, crate::render::Ident(&old.name)),
                        ChangeKind::Drop,
                        &[Statement::DropExtension(&old.name)],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse(&[Statement::CreateExtension(old)]),
                );
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Enum types
    // -----------------------------------------------------------------------------------------

    fn enums(&mut self) {
        for e in &self.new.enums {
            let object = ObjectRef::new(ObjectKind::Type, &e.name);
            match self.old.enum_type(&e.name) {
                None => {
                    self.phases.types.push(
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            &[Statement::CreateEnum(e)],
                        )
                        .inverse(&[Statement::DropType(&e.name)]),
                    );
                    self.comment(object, CommentTarget::Type(&e.name), &None, &e.comment);
                }
                Some(old) => {
                    if self.rebuilt_enums.contains(&e.name) {
                        self.rebuild_enum(old, e);
                    } else {
                        self.add_enum_values(old, e);
                    }
                    self.comment(
                        object,
                        CommentTarget::Type(&e.name),
                        &old.comment,
                        &e.comment,
                    );
                }
            }
        }
        for old in &self.old.enums {
            if self.new.enum_type(&old.name).is_none() {
                self.phases.drop_types.push(
                    Change::new(
                        ObjectRef::new(ObjectKind::Type, &old.name),
                        ChangeKind::Drop,
                        &[Statement::DropType(&old.name)],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse(&[Statement::CreateEnum(old)]),
                );
            }
        }
    }

    /// New labels, each placed where it is declared: after the label before it, or before
    /// the first old label when it comes first.
    fn add_enum_values(&mut self, old: &'a EnumType, new: &'a EnumType) {
        for (i, value) in new.values.iter().enumerate() {
            if old.values.contains(value) {
                continue;
            }
            let position = if i > 0 {
                EnumPosition::After(&new.values[i - 1])
            } else if let Some(first) = old.values.first() {
                EnumPosition::Before(first)
            } else {
                EnumPosition::Last
            };
            self.phases.types.push(
                Change::new(
                    ObjectRef::new(ObjectKind::Type, &new.name),
                    ChangeKind::Alter,
                    &[Statement::AddEnumValue {
                        name: &new.name,
                        value,
                        position,
                    }],
                )
                .not_transactional(),
            );
        }
    }

    /// Labels removed or reordered: rename the old type away, create the new one, convert
    /// every column through `text`, drop the old type.
    fn rebuild_enum(&mut self, old: &'a EnumType, new: &'a EnumType) {
        let temp = make_object_name(&new.name.name, None, Some("pgdecl_old"));
        let temp_name = QualifiedName::new(new.name.schema.clone(), temp.clone());
        let mut columns = Vec::new();
        for pair in &self.pairs {
            for (oc, nc) in &pair.columns {
                if self.column_enum_rebuilt(oc, nc) {
                    columns.push((&pair.new.name, *oc, *nc));
                }
            }
        }
        let usings: Vec<String> = columns
            .iter()
            .map(|(_, _, nc)| {
                let text = if nc.data_type.array { "text[]" } else { "text" };
                format!(
                    "{}::{text}::{}",
                    crate::render::Ident(&nc.name),
                    SqlType(&nc.data_type)
                )
            })
            .collect();
        let mut statements = vec![
            Statement::RenameType {
                name: &new.name,
                to: &temp,
            },
            Statement::CreateEnum(new),
        ];
        for ((table, oc, nc), using) in columns.iter().zip(&usings) {
            if oc.default.is_some() {
                statements.push(Statement::AlterTable {
                    table,
                    action: AlterTable::DropDefault(&nc.name),
                });
            }
            statements.push(Statement::AlterTable {
                table,
                action: AlterTable::AlterType {
                    column: nc,
                    using: Some(using.clone()),
                    reset_collation: false,
                },
            });
            if let Some(default) = &nc.default {
                statements.push(Statement::AlterTable {
                    table,
                    action: AlterTable::SetDefault(&nc.name, default),
                });
            }
        }
        statements.push(Statement::DropType(&temp_name));
        let _ = old.values.len();
        let lock = if columns.is_empty() {
            LockLevel::None
        } else {
            LockLevel::AccessExclusive
        };
        self.phases.types.push(
            Change::new(
                ObjectRef::new(ObjectKind::Type, &new.name),
                ChangeKind::Alter,
                &statements,
            )
            .hazard(Hazard::RemovesEnumValue)
            .hazard_if(!columns.is_empty(), Hazard::RewritesTable)
            .lock(lock),
        );
    }

    // -----------------------------------------------------------------------------------------
    // Sequences
    // -----------------------------------------------------------------------------------------

    fn sequences(&mut self) {
        for seq in &self.new.sequences {
            let object = ObjectRef::new(ObjectKind::Sequence, &seq.name);
            match self.old.sequences.iter().find(|o| o.name == seq.name) {
                None => {
                    self.phases.sequences.push(
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            &[Statement::CreateSequence(seq)],
                        )
                        .inverse(&[Statement::DropSequence(&seq.name)]),
                    );
                    if let Some(owner) = &seq.owned_by {
                        self.phases.sequence_owners.push(
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                &[Statement::AlterSequence {
                                    name: &seq.name,
                                    options: vec![SequenceOption::OwnedBy(Some(owner.clone()))],
                                }],
                            )
                            .lock(LockLevel::ShareRowExclusive)
                            .inverse(&[Statement::AlterSequence {
                                name: &seq.name,
                                options: vec![SequenceOption::OwnedBy(None)],
                            }]),
                        );
                    }
                    self.comment(
                        object,
                        CommentTarget::Sequence(&seq.name),
                        &None,
                        &seq.comment,
                    );
                }
                Some(old) => {
                    let options = sequence_options(old, seq);
                    if !options.is_empty() {
                        let back = sequence_options(seq, old);
                        self.phases.sequences.push(
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                &[Statement::AlterSequence {
                                    name: &seq.name,
                                    options,
                                }],
                            )
                            .lock(LockLevel::ShareRowExclusive)
                            .inverse(&[Statement::AlterSequence {
                                name: &seq.name,
                                options: back,
                            }]),
                        );
                    }
                    let old_owner = old
                        .owned_by
                        .as_ref()
                        .map(|(t, c)| self.owner_in_new_terms(t, c));
                    if old_owner != seq.owned_by {
                        self.phases.sequence_owners.push(
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                &[Statement::AlterSequence {
                                    name: &seq.name,
                                    options: vec![SequenceOption::OwnedBy(seq.owned_by.clone())],
                                }],
                            )
                            .lock(LockLevel::ShareRowExclusive)
                            .inverse(&[Statement::AlterSequence {
                                name: &seq.name,
                                options: vec![SequenceOption::OwnedBy(old_owner.clone())],
                            }]),
                        );
                    }
                    self.comment(
                        object,
                        CommentTarget::Sequence(&seq.name),
                        &old.comment,
                        &seq.comment,
                    );
                }
            }
        }
        for old in &self.old.sequences {
            if !self.new.sequences.iter().any(|n| n.name == old.name) {
                self.phases.drop_sequences.push(
                    Change::new(
                        ObjectRef::new(ObjectKind::Sequence, &old.name),
                        ChangeKind::Drop,
                        &[Statement::DropSequence(&old.name)],
                    )
                    .hazard(Hazard::DeletesData)
                    .lock(LockLevel::AccessExclusive),
                );
            }
        }
    }

    fn owner_in_new_terms(&self, table: &QualifiedName, column: &str) -> (QualifiedName, String) {
        match self.pair_by_old(table) {
            Some(pair) => (
                pair.new.name.clone(),
                pair.new_column_name(column).to_string(),
            ),
            None => (table.clone(), column.to_string()),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Functions
    // -----------------------------------------------------------------------------------------

    fn functions(&mut self) {
        for func in &self.new.functions {
            let key = function_key(func);
            let object = ObjectRef::function(func);
            match self.old_functions.get(&key).copied() {
                None => {
                    self.create_function(func, None);
                }
                Some(old) if self.rebuilt_functions.contains(&key) => {
                    self.phases.drop_functions.push(
                        Change::new(
                            ObjectRef::function(old),
                            ChangeKind::Drop,
                            &[Statement::DropFunction(old)],
                        )
                        .hazard(Hazard::RecreatesObject)
                        .inverse(&[Statement::CreateFunction(old)]),
                    );
                    self.create_function(func, Some(old));
                }
                Some(old) => {
                    if !same_function(old, func) {
                        self.phases.functions.push(
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                &[Statement::CreateFunction(func)],
                            )
                            .defines_function()
                            .inverse(&[Statement::CreateFunction(old)]),
                        );
                    }
                    self.comment(
                        object,
                        CommentTarget::Function(func),
                        &old.comment,
                        &func.comment,
                    );
                }
            }
        }
        for old in &self.old.functions {
            let key = function_key(old);
            if !self.new_functions.contains_key(&key) {
                self.phases.drop_functions.push(
                    Change::new(
                        ObjectRef::function(old),
                        ChangeKind::Drop,
                        &[Statement::DropFunction(old)],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse(&[Statement::CreateFunction(old)]),
                );
            }
        }
    }

    fn create_function(&mut self, func: &'a Function, replaced: Option<&'a Function>) {
        let mut change = Change::new(
            ObjectRef::function(func),
            ChangeKind::Create,
            &[Statement::CreateFunction(func)],
        )
        .defines_function();
        change = match replaced {
            Some(old) => change.inverse(&[
                Statement::DropFunction(func),
                Statement::CreateFunction(old),
            ]),
            None => change.inverse(&[Statement::DropFunction(func)]),
        };
        self.phases.functions.push(change);
        self.comment(
            ObjectRef::function(func),
            CommentTarget::Function(func),
            &None,
            &func.comment,
        );
    }

    // -----------------------------------------------------------------------------------------
    // Tables
    // -----------------------------------------------------------------------------------------

    fn tables(&mut self) {
        for table in self.created_tables.clone() {
            self.create_table(table);
        }
        for i in 0..self.pairs.len() {
            self.alter_table(i);
        }
        self.drop_tables();
    }

    fn create_table(&mut self, table: &'a Table) {
        let object = ObjectRef::new(ObjectKind::Table, &table.name);
        self.phases.tables.push(
            Change::new(object, ChangeKind::Create, &[Statement::CreateTable(table)])
                .inverse(&[Statement::DropTable(&table.name)]),
        );
        for fk in foreign_keys(table) {
            self.phases.foreign_keys.push(
                Change::new(
                    ObjectRef::constraint(&table.name, &fk.name),
                    ChangeKind::Create,
                    &[Statement::AddConstraint {
                        table: &table.name,
                        constraint: fk,
                        mode: AddMode::Plain,
                    }],
                )
                .lock(LockLevel::ShareRowExclusive)
                .inverse(&[Statement::AlterTable {
                    table: &table.name,
                    action: AlterTable::DropConstraint(&fk.name),
                }]),
            );
        }
        for index in &table.indexes {
            self.phases.indexes.push(
                Change::new(
                    ObjectRef::index(&table.name, &index.name),
                    ChangeKind::Create,
                    &[Statement::CreateIndex {
                        table: &table.name,
                        index,
                        concurrently: false,
                    }],
                )
                .lock(LockLevel::Share)
                .inverse(&[Statement::DropIndex {
                    schema: &table.name.schema,
                    name: &index.name,
                    concurrently: false,
                }]),
            );
        }
        let comments = comments_of_table(table);
        if !comments.is_empty() {
            let removed: Vec<Statement<'_>> = comments
                .iter()
                .map(|c| match c {
                    Statement::Comment { target, .. } => Statement::Comment {
                        target: *target,
                        text: None,
                    },
                    other => other.clone(),
                })
                .collect();
            self.phases.comments.push(
                Change::new(
                    ObjectRef::new(ObjectKind::Table, &table.name),
                    ChangeKind::Alter,
                    &comments,
                )
                .lock(LockLevel::ShareUpdateExclusive)
                .inverse(&removed),
            );
        }
    }

    /// Dropped tables, each before the tables it references; where foreign keys among them
    /// form a cycle, the foreign keys into one table of the cycle are dropped first.
    fn drop_tables(&mut self) {
        fn references(t: &Table, target: &QualifiedName) -> bool {
            foreign_keys(t).any(|fk| {
                matches!(&fk.kind, ConstraintKind::ForeignKey { ref_table, .. }
                    if ref_table == target && ref_table != &t.name)
            })
        }
        let mut left: Vec<&'a Table> = self.dropped_tables.clone();
        let mut order = Vec::new();
        while !left.is_empty() {
            // A table that no remaining table references can go now.
            let free = left
                .iter()
                .position(|t| !left.iter().any(|o| references(o, &t.name)));
            let at = free.unwrap_or_else(|| {
                // A cycle: drop the foreign keys into the first remaining table.
                let target = &left[0].name;
                for other in &left {
                    for fk in foreign_keys(other) {
                        let into_target = matches!(&fk.kind,
                            ConstraintKind::ForeignKey { ref_table, .. }
                                if ref_table == target && ref_table != &other.name);
                        if into_target {
                            self.phases.drop_foreign_keys.push(
                                Change::new(
                                    ObjectRef::constraint(&other.name, &fk.name),
                                    ChangeKind::Drop,
                                    &[Statement::AlterTable {
                                        table: &other.name,
                                        action: AlterTable::DropConstraint(&fk.name),
                                    }],
                                )
                                .hazard(Hazard::DropsObject)
                                .lock(LockLevel::AccessExclusive),
                            );
                        }
                    }
                }
                0
            });
            let table = left.remove(at);
            if free.is_none() {
                // Its referrers no longer reference it: let them go first.
                left.sort_by_key(|t| {
                    !foreign_keys(t).any(|fk| {
                        matches!(&fk.kind, ConstraintKind::ForeignKey { ref_table, .. }
                        if ref_table == &table.name)
                    })
                });
            }
            order.push(table);
        }
        for table in order {
            self.phases.drop_tables.push(
                Change::new(
                    ObjectRef::new(ObjectKind::Table, &table.name),
                    ChangeKind::Drop,
                    &[Statement::DropTable(&table.name)],
                )
                .hazard(Hazard::DeletesData)
                .lock(LockLevel::AccessExclusive),
            );
        }
    }

    fn alter_table(&mut self, i: usize) {
        let pair = &self.pairs[i];
        let (old, new) = (pair.old, pair.new);
        let name = &new.name;
        if old.name != new.name {
            self.phases.renames.push(
                Change::new(
                    ObjectRef::new(ObjectKind::Table, &old.name),
                    ChangeKind::Rename,
                    &[Statement::RenameTable {
                        from: &old.name,
                        to: &new.name.name,
                    }],
                )
                .hazard(Hazard::RenamesObject)
                .lock(LockLevel::AccessExclusive)
                .inverse(&[Statement::RenameTable {
                    from: &new.name,
                    to: &old.name.name,
                }]),
            );
        }
        // Columns renamed (after the table rename: by the new table name).
        let columns = pair.columns.clone();
        for (oc, nc) in &columns {
            if oc.name != nc.name {
                self.phases.renames.push(
                    Change::new(
                        ObjectRef::column(&old.name, &oc.name),
                        ChangeKind::Rename,
                        &[Statement::RenameColumn {
                            table: name,
                            from: &oc.name,
                            to: &nc.name,
                        }],
                    )
                    .hazard(Hazard::RenamesObject)
                    .lock(LockLevel::AccessExclusive)
                    .inverse(&[Statement::RenameColumn {
                        table: name,
                        from: &nc.name,
                        to: &oc.name,
                    }]),
                );
            }
        }
        let added = self.pairs[i].added.clone();
        for nc in added {
            self.add_column(new, nc);
        }
        let recreated: Vec<bool> = columns
            .iter()
            .map(|(oc, nc)| self.pairs[i].generated_recreated(oc, nc))
            .collect();
        for ((oc, nc), recreate) in columns.iter().zip(recreated) {
            self.alter_column(old, new, oc, nc, recreate);
        }
        // Plain columns go after generated columns that are dropped to be re-created, which may
        // use them (PostgreSQL refuses to drop a column a generated column uses).
        let dropped = self.pairs[i].dropped.clone();
        for oc in dropped {
            self.phases.drop_columns.push(
                Change::new(
                    ObjectRef::column(&old.name, &oc.name),
                    ChangeKind::Drop,
                    &[Statement::AlterTable {
                        table: &old.name,
                        action: AlterTable::DropColumn(&oc.name),
                    }],
                )
                .hazard(Hazard::DeletesData)
                .lock(LockLevel::AccessExclusive),
            );
        }
        self.table_constraints(i);
        self.table_indexes(i);
        self.comment(
            ObjectRef::new(ObjectKind::Table, name),
            CommentTarget::Table(name),
            &old.comment,
            &new.comment,
        );
    }

    fn add_column(&mut self, table: &'a Table, column: &'a Column) {
        let name = &table.name;
        let rewrites = column.identity.is_some()
            || column.generated.is_some()
            || is_serial(column)
            || column
                .default
                .as_deref()
                .is_some_and(|d| is_volatile_default(d, self.new));
        let required = effective_not_null(table, column)
            && column.default.is_none()
            && column.identity.is_none()
            && column.generated.is_none()
            && !is_serial(column);
        self.phases.columns.push(
            Change::new(
                ObjectRef::column(name, &column.name),
                ChangeKind::Create,
                &[Statement::AlterTable {
                    table: name,
                    action: AlterTable::AddColumn(column),
                }],
            )
            .hazard_if(rewrites, Hazard::RewritesTable)
            .hazard_if(required, Hazard::AddsRequiredColumn)
            .lock(LockLevel::AccessExclusive)
            .inverse(&[Statement::AlterTable {
                table: name,
                action: AlterTable::DropColumn(&column.name),
            }]),
        );
        self.comment(
            ObjectRef::column(name, &column.name),
            CommentTarget::Column(name, &column.name),
            &None,
            &column.comment,
        );
    }

    fn alter_column(
        &mut self,
        old_table: &'a Table,
        table: &'a Table,
        oc: &'a Column,
        nc: &'a Column,
        recreate: bool,
    ) {
        let name = &table.name;
        let object = ObjectRef::column(name, &nc.name);
        let alter = |action| Statement::AlterTable {
            table: name,
            action,
        };
        let col = nc.name.as_str();

        // A generated column whose expression changes, or a plain column that becomes
        // generated, cannot be altered in place (before PostgreSQL 17): drop and add.
        if recreate {
            self.phases.drop_columns.push(
                Change::new(
                    ObjectRef::column(&old_table.name, &oc.name),
                    ChangeKind::Drop,
                    &[Statement::AlterTable {
                        table: &old_table.name,
                        action: AlterTable::DropColumn(&oc.name),
                    }],
                )
                .hazard(Hazard::RecreatesObject)
                .hazard_if(oc.generated.is_none(), Hazard::DeletesData)
                .lock(LockLevel::AccessExclusive),
            );
            self.add_column(table, nc);
            return;
        }
        let mut changes = Vec::new();
        if oc.generated.is_some() && nc.generated.is_none() {
            changes.push(
                Change::new(
                    object.clone(),
                    ChangeKind::Alter,
                    &[alter(AlterTable::DropExpression(col))],
                )
                .lock(LockLevel::AccessExclusive),
            );
        }
        if let (Some(identity), None) = (oc.identity, nc.identity) {
            changes.push(
                Change::new(
                    object.clone(),
                    ChangeKind::Alter,
                    &[alter(AlterTable::DropIdentity(col))],
                )
                .lock(LockLevel::AccessExclusive)
                .inverse(&[Statement::AddIdentity {
                    table: name,
                    column: col,
                    identity,
                }]),
            );
        }
        let (old_type, new_type) = (effective_type(oc), effective_type(nc));
        let retype = (old_type != new_type || oc.collation != nc.collation)
            && !self.column_enum_rebuilt(oc, nc);
        let old_default = if is_serial(oc) {
            None
        } else {
            oc.default.as_ref()
        };
        let new_default = if is_serial(nc) {
            None
        } else {
            nc.default.as_ref()
        };
        let default_changed = match (old_default, new_default) {
            (Some(a), Some(b)) => !same_fragment(a, b),
            (None, None) => false,
            _ => true,
        };
        // The old default goes first when it is removed, when the type changes (it may not
        // cast), and when the column becomes an identity (which cannot have one).
        let drop_default = old_default.is_some()
            && (new_default.is_none()
                || retype
                || (nc.identity.is_some() && oc.identity.is_none()));
        if drop_default {
            let mut change = Change::new(
                object.clone(),
                ChangeKind::Alter,
                &[alter(AlterTable::DropDefault(col))],
            )
            .lock(LockLevel::AccessExclusive);
            if let Some(d) = old_default {
                change = change.inverse(&[Statement::AlterTable {
                    table: name,
                    action: AlterTable::SetDefault(col, d),
                }]);
            }
            changes.push(change);
        }
        if is_serial(oc) && !is_serial(nc) {
            // The column keeps its values; its sequence goes.
            let seq = serial_sequence(name, col);
            changes.push(
                Change::new(
                    object.clone(),
                    ChangeKind::Alter,
                    &[
                        alter(AlterTable::DropDefault(col)),
                        Statement::DropSequence(&seq),
                    ],
                )
                .hazard(Hazard::DeletesData)
                .lock(LockLevel::AccessExclusive),
            );
        }
        if retype {
            let cost = if old_type == new_type {
                TypeChange {
                    rewrite: false,
                    narrowing: false,
                    needs_using: false,
                }
            } else {
                type_change(&old_type, &new_type)
            };
            let mut target = nc.clone();
            target.data_type = new_type.clone();
            let using = cost
                .needs_using
                .then(|| format!("{}::{}", crate::render::Ident(col), SqlType(&new_type)));
            let mut back = oc.clone();
            back.name = nc.name.clone();
            back.data_type = old_type.clone();
            let back_cost = type_change(&new_type, &old_type);
            let back_using = back_cost
                .needs_using
                .then(|| format!("{}::{}", crate::render::Ident(col), SqlType(&old_type)));
            let indexed = table.indexes.iter().any(|i| {
                i.elements
                    .iter()
                    .any(|e| e.target == IndexTarget::Column(col.to_string()))
            }) || table.constraints.iter().any(|c| {
                matches!(
                    c.kind,
                    ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
                ) && c.kind.columns().iter().any(|c| c == col)
            });
            let sequence = serial_sequence(name, col);
            let mut statements = vec![Statement::AlterTable {
                table: name,
                action: AlterTable::AlterType {
                    column: &target,
                    using,
                    reset_collation: oc.collation.is_some(),
                },
            }];
            if is_serial(oc) && is_serial(nc) {
                statements.push(Statement::AlterSequence {
                    name: &sequence,
                    options: vec![SequenceOption::As(new_type.clone())],
                });
            }
            changes.push(
                Change::new(object.clone(), ChangeKind::Alter, &statements)
                    .hazard_if(cost.rewrite, Hazard::RewritesTable)
                    .hazard_if(cost.narrowing, Hazard::NarrowsType)
                    .hazard_if(
                        !cost.rewrite && oc.collation != nc.collation && indexed,
                        Hazard::BuildsIndex,
                    )
                    .lock(LockLevel::AccessExclusive)
                    .inverse(&[Statement::AlterTable {
                        table: name,
                        action: AlterTable::AlterType {
                            column: &back,
                            using: back_using,
                            reset_collation: nc.collation.is_some(),
                        },
                    }]),
            );
        }
        if let Some(d) = new_default {
            if drop_default || old_default.is_none() || default_changed {
                let mut change = Change::new(
                    object.clone(),
                    ChangeKind::Alter,
                    &[alter(AlterTable::SetDefault(col, d))],
                )
                .lock(LockLevel::AccessExclusive);
                change = match old_default {
                    Some(od) => change.inverse(&[alter(AlterTable::SetDefault(col, od))]),
                    None => change.inverse(&[alter(AlterTable::DropDefault(col))]),
                };
                changes.push(change);
            }
        }
        if !is_serial(oc) && is_serial(nc) {
            changes.push(self.make_serial(table, nc));
        }
        let (was, will) = (
            effective_not_null(old_table, oc),
            effective_not_null(table, nc),
        );
        // (A column that becomes serial got its NOT NULL with its sequence.)
        let becomes_serial = is_serial(nc) && !is_serial(oc);
        if will && !was && !becomes_serial {
            changes.push(
                Change::new(
                    object.clone(),
                    ChangeKind::Alter,
                    &[alter(AlterTable::SetNotNull(col))],
                )
                .hazard(Hazard::ValidatesConstraint)
                .lock(LockLevel::AccessExclusive)
                .inverse(&[alter(AlterTable::DropNotNull(col))]),
            );
        }
        if was && !will {
            changes.push(
                Change::new(
                    object.clone(),
                    ChangeKind::Alter,
                    &[alter(AlterTable::DropNotNull(col))],
                )
                .lock(LockLevel::AccessExclusive)
                .inverse(&[alter(AlterTable::SetNotNull(col))]),
            );
        }
        match (oc.identity, nc.identity) {
            (None, Some(identity)) => changes.push(
                Change::new(
                    object.clone(),
                    ChangeKind::Alter,
                    &[
                        Statement::AddIdentity {
                            table: name,
                            column: col,
                            identity,
                        },
                        Statement::SyncSequence {
                            table: name,
                            column: col,
                        },
                    ],
                )
                .lock(LockLevel::AccessExclusive)
                .inverse(&[alter(AlterTable::DropIdentity(col))]),
            ),
            (Some(a), Some(b)) if a != b => changes.push(
                Change::new(
                    object.clone(),
                    ChangeKind::Alter,
                    &[alter(AlterTable::SetIdentity(col, b))],
                )
                .lock(LockLevel::AccessExclusive)
                .inverse(&[alter(AlterTable::SetIdentity(col, a))]),
            ),
            _ => {}
        }
        self.phases.columns.extend(changes);
        if oc.comment != nc.comment {
            self.comment(
                object,
                CommentTarget::Column(name, col),
                &oc.comment,
                &nc.comment,
            );
        }
    }

    /// A plain integer column becomes serial: its sequence, owned by it, starting after the
    /// largest value; the default; `NOT NULL`.
    fn make_serial(&self, table: &'a Table, column: &'a Column) -> Change {
        let name = &table.name;
        let col = column.name.as_str();
        let seq = serial_sequence(name, col);
        let base = effective_type(column);
        let sequence = Sequence {
            name: seq.clone(),
            data_type: Some(base),
            increment: None,
            min_value: None,
            max_value: None,
            start: None,
            cache: None,
            cycle: false,
            owned_by: None,
            comment: None,
        };
        let default = format!("nextval({}::regclass)", quote_literal(&seq.to_string()));
        Change::new(
            ObjectRef::column(name, col),
            ChangeKind::Alter,
            &[
                Statement::CreateSequence(&sequence),
                Statement::AlterSequence {
                    name: &seq,
                    options: vec![SequenceOption::OwnedBy(Some((
                        name.clone(),
                        col.to_string(),
                    )))],
                },
                Statement::SyncSequence {
                    table: name,
                    column: col,
                },
                Statement::AlterTable {
                    table: name,
                    action: AlterTable::SetDefault(col, &default),
                },
                Statement::AlterTable {
                    table: name,
                    action: AlterTable::SetNotNull(col),
                },
            ],
        )
        .hazard(Hazard::ValidatesConstraint)
        .lock(LockLevel::AccessExclusive)
    }

    fn table_constraints(&mut self, i: usize) {
        let pair = &self.pairs[i];
        let (old, new) = (pair.old, pair.new);
        // The old constraints in the new table's terms: renamed columns and tables followed.
        let translated: Vec<(&'a Constraint, Constraint)> = old
            .constraints
            .iter()
            .map(|c| (c, self.translate_constraint(pair, c)))
            .collect();
        let dropped_columns: BTreeSet<String> =
            pair.dropped.iter().map(|c| c.name.clone()).collect();
        let mut to_drop: Vec<&'a Constraint> = Vec::new();
        let mut to_add: Vec<&'a Constraint> = Vec::new();
        for c in &new.constraints {
            match translated.iter().find(|(o, _)| o.name == c.name) {
                None => to_add.push(c),
                Some((o, t)) => {
                    let rebuilt_fk = self.fk_target_rebuilt(o);
                    if (t != c && comparable_constraint(t) != comparable_constraint(c))
                        || rebuilt_fk
                    {
                        to_drop.push(o);
                        to_add.push(c);
                    } else {
                        self.comment(
                            ObjectRef::constraint(&new.name, &c.name),
                            CommentTarget::Constraint(&new.name, &c.name),
                            &o.comment,
                            &c.comment,
                        );
                    }
                }
            }
        }
        for (o, _) in &translated {
            if !new.constraints.iter().any(|c| c.name == o.name) {
                to_drop.push(o);
            }
        }
        for o in to_drop {
            let recreated = new.constraints.iter().any(|c| c.name == o.name);
            let is_fk = matches!(o.kind, ConstraintKind::ForeignKey { .. });
            // A constraint on dropped columns only goes with them.
            if !recreated
                && !o.kind.columns().is_empty()
                && o.kind.columns().iter().all(|c| dropped_columns.contains(c))
            {
                continue;
            }
            let change = Change::new(
                ObjectRef::constraint(&old.name, &o.name),
                ChangeKind::Drop,
                &[Statement::AlterTable {
                    table: &old.name,
                    action: AlterTable::DropConstraint(&o.name),
                }],
            )
            .hazard(if recreated {
                Hazard::RecreatesObject
            } else {
                Hazard::DropsObject
            })
            .lock(LockLevel::AccessExclusive)
            .inverse(&[Statement::AddConstraint {
                table: &old.name,
                constraint: o,
                mode: AddMode::Plain,
            }]);
            if is_fk {
                self.phases.drop_foreign_keys.push(change);
            } else {
                self.phases.drop_constraints.push(change);
            }
        }
        for c in to_add {
            self.add_constraint(&new.name, c);
        }
        // Foreign keys elsewhere that point at a unique or primary key of this table that is
        // dropped and re-created must be dropped first and added again after.
    }

    /// True if `old_fk` (on the old `table`) is a foreign key that depends on a unique key or
    /// unique index of its target that this plan drops or replaces: PostgreSQL would refuse to
    /// drop that key, so the foreign key is dropped first and added again after.
    fn fk_target_rebuilt(&self, old_fk: &Constraint) -> bool {
        let ConstraintKind::ForeignKey {
            ref_table,
            ref_columns,
            ..
        } = &old_fk.kind
        else {
            return false;
        };
        let Some(pair) = self.pair_by_old(ref_table) else {
            return false; // the target goes away, or is new
        };
        let wanted: BTreeSet<&String> = ref_columns.iter().collect();
        let serves = |columns: &[String], is_pk: bool| {
            if wanted.is_empty() {
                is_pk
            } else {
                columns.iter().collect::<BTreeSet<_>>() == wanted
            }
        };
        let keys = pair.old.constraints.iter().filter(|k| {
            let is_pk = matches!(k.kind, ConstraintKind::PrimaryKey { .. });
            (is_pk || matches!(k.kind, ConstraintKind::Unique { .. }))
                && serves(k.kind.columns(), is_pk)
        });
        for k in keys {
            let kept = pair.new.constraints.iter().any(|n| {
                n.name == k.name
                    && comparable_constraint(&self.translate_constraint(pair, k))
                        == comparable_constraint(n)
            });
            if !kept {
                return true;
            }
        }
        let unique_indexes = pair.old.indexes.iter().filter(|i| {
            i.unique
                && i.predicate.is_none()
                && i.elements
                    .iter()
                    .all(|e| matches!(e.target, IndexTarget::Column(_)))
                && serves(
                    &i.elements
                        .iter()
                        .filter_map(|e| match &e.target {
                            IndexTarget::Column(c) => Some(c.clone()),
                            IndexTarget::Expression(_) => None,
                        })
                        .collect::<Vec<_>>(),
                    false,
                )
        });
        for i in unique_indexes {
            let kept = pair.new.indexes.iter().any(|n| n.name == i.name);
            if !kept {
                return true;
            }
        }
        false
    }

    /// An old constraint with the new names of renamed columns and tables.
    fn translate_constraint(&self, pair: &TablePair<'a>, c: &Constraint) -> Constraint {
        let mut c = c.clone();
        let rename = |cols: &mut Vec<String>, p: &TablePair<'_>| {
            for col in cols.iter_mut() {
                *col = p.new_column_name(col).to_string();
            }
        };
        match &mut c.kind {
            ConstraintKind::PrimaryKey { columns, include }
            | ConstraintKind::Unique {
                columns, include, ..
            } => {
                rename(columns, pair);
                rename(include, pair);
            }
            ConstraintKind::ForeignKey {
                columns,
                ref_table,
                ref_columns,
                ..
            } => {
                rename(columns, pair);
                if let Some(target) = self.pair_by_old(ref_table) {
                    rename(ref_columns, target);
                }
                *ref_table = self.new_table_name(ref_table);
            }
            ConstraintKind::Check { expr } => *expr = pair.rename_in_expr(expr),
        }
        c
    }

    fn add_constraint(&mut self, table: &'a QualifiedName, c: &'a Constraint) {
        let object = ObjectRef::constraint(table, &c.name);
        let drop = Statement::AlterTable {
            table,
            action: AlterTable::DropConstraint(&c.name),
        };
        let phase = |me: &mut Self, change: Change, fk: bool| {
            if fk {
                me.phases.foreign_keys.push(change);
            } else {
                me.phases.constraints.push(change);
            }
        };
        match &c.kind {
            ConstraintKind::Check { .. } | ConstraintKind::ForeignKey { .. } => {
                let fk = matches!(c.kind, ConstraintKind::ForeignKey { .. });
                let lock = if fk {
                    LockLevel::ShareRowExclusive
                } else {
                    LockLevel::AccessExclusive
                };
                let add = Change::new(
                    object.clone(),
                    ChangeKind::Create,
                    &[Statement::AddConstraint {
                        table,
                        constraint: c,
                        mode: AddMode::NotValid,
                    }],
                )
                .lock(lock)
                .inverse(std::slice::from_ref(&drop));
                phase(self, add, fk);
                let validate = Change::new(
                    object.clone(),
                    ChangeKind::Alter,
                    &[Statement::AlterTable {
                        table,
                        action: AlterTable::ValidateConstraint(&c.name),
                    }],
                )
                .hazard(Hazard::ValidatesConstraint)
                .lock(LockLevel::ShareUpdateExclusive)
                .inverse(&[]);
                phase(self, validate, fk);
            }
            ConstraintKind::PrimaryKey { columns, include }
            | ConstraintKind::Unique {
                columns, include, ..
            } => {
                // Build the unique index without blocking writes, then adopt it.
                let index = Index {
                    name: c.name.clone(),
                    unique: true,
                    method: IndexMethod::Btree,
                    elements: columns
                        .iter()
                        .map(|col| IndexElement {
                            target: IndexTarget::Column(col.clone()),
                            collation: None,
                            opclass: None,
                            descending: false,
                            nulls_first: None,
                        })
                        .collect(),
                    include: include.clone(),
                    predicate: None,
                    nulls_not_distinct: matches!(
                        c.kind,
                        ConstraintKind::Unique {
                            nulls_not_distinct: true,
                            ..
                        }
                    ),
                    comment: None,
                };
                self.phases.constraints.push(
                    Change::new(
                        ObjectRef::index(table, &c.name),
                        ChangeKind::Create,
                        &[Statement::CreateIndex {
                            table,
                            index: &index,
                            concurrently: true,
                        }],
                    )
                    .lock(LockLevel::ShareUpdateExclusive)
                    .not_transactional()
                    .inverse(&[Statement::DropIndex {
                        schema: &table.schema,
                        name: &c.name,
                        concurrently: true,
                    }]),
                );
                self.phases.constraints.push(
                    Change::new(
                        object.clone(),
                        ChangeKind::Create,
                        &[Statement::AddConstraint {
                            table,
                            constraint: c,
                            mode: AddMode::UsingIndex,
                        }],
                    )
                    .lock(LockLevel::AccessExclusive)
                    .inverse(&[drop]),
                );
            }
        }
        self.comment(
            object,
            CommentTarget::Constraint(table, &c.name),
            &None,
            &c.comment,
        );
    }

    fn table_indexes(&mut self, i: usize) {
        let pair = &self.pairs[i];
        let (old, new) = (pair.old, pair.new);
        let dropped_columns: BTreeSet<String> =
            pair.dropped.iter().map(|c| c.name.clone()).collect();
        // The old indexes in the new table's terms: renamed columns followed.
        let translated: Vec<Index> = old
            .indexes
            .iter()
            .map(|index| {
                let mut index = index.clone();
                for e in &mut index.elements {
                    match &mut e.target {
                        IndexTarget::Column(col) => *col = pair.new_column_name(col).to_string(),
                        IndexTarget::Expression(sql) => *sql = pair.rename_in_expr(sql),
                    }
                }
                index.predicate = index.predicate.as_deref().map(|p| pair.rename_in_expr(p));
                for col in &mut index.include {
                    *col = pair.new_column_name(col).to_string();
                }
                index
            })
            .collect();
        let mut to_drop = Vec::new();
        let mut to_create = Vec::new();
        for index in &new.indexes {
            match old.indexes.iter().position(|o| o.name == index.name) {
                None => to_create.push((index, false)),
                Some(at) => {
                    let o = &old.indexes[at];
                    if &translated[at] != index
                        && comparable_index(&translated[at]) != comparable_index(index)
                    {
                        to_drop.push((o, true));
                        to_create.push((index, true));
                    } else {
                        self.comment(
                            ObjectRef::index(&new.name, &index.name),
                            CommentTarget::Index(&new.name, &index.name),
                            &o.comment,
                            &index.comment,
                        );
                    }
                }
            }
        }
        for o in &old.indexes {
            if !new.indexes.iter().any(|i| i.name == o.name) {
                let on_dropped_columns = o.elements.iter().any(
                    |e| matches!(&e.target, IndexTarget::Column(c) if dropped_columns.contains(c)),
                );
                if !on_dropped_columns {
                    to_drop.push((o, false));
                }
            }
        }
        for (o, recreated) in to_drop {
            self.phases.drop_indexes.push(
                Change::new(
                    ObjectRef::index(&old.name, &o.name),
                    ChangeKind::Drop,
                    &[Statement::DropIndex {
                        schema: &old.name.schema,
                        name: &o.name,
                        concurrently: true,
                    }],
                )
                .hazard(if recreated {
                    Hazard::RecreatesObject
                } else {
                    Hazard::DropsObject
                })
                .lock(LockLevel::ShareUpdateExclusive)
                .not_transactional()
                .inverse(&[Statement::CreateIndex {
                    table: &old.name,
                    index: o,
                    concurrently: true,
                }]),
            );
        }
        for (index, _) in to_create {
            self.phases.indexes.push(
                Change::new(
                    ObjectRef::index(&new.name, &index.name),
                    ChangeKind::Create,
                    &[Statement::CreateIndex {
                        table: &new.name,
                        index,
                        concurrently: true,
                    }],
                )
                .lock(LockLevel::ShareUpdateExclusive)
                .not_transactional()
                .inverse(&[Statement::DropIndex {
                    schema: &new.name.schema,
                    name: &index.name,
                    concurrently: true,
                }]),
            );
            self.comment(
                ObjectRef::index(&new.name, &index.name),
                CommentTarget::Index(&new.name, &index.name),
                &None,
                &index.comment,
            );
        }
    }

    // -----------------------------------------------------------------------------------------
    // Views and triggers
    // -----------------------------------------------------------------------------------------

    fn views(&mut self) {
        // Drops: rebuilt or gone, dependents first.
        let old_dropped: Vec<&'a View> = self
            .old
            .views
            .iter()
            .filter(|v| self.rebuilt_views.contains(&v.name))
            .collect();
        for i in view_order(&old_dropped).into_iter().rev() {
            let v = old_dropped[i];
            let recreated = self.new.views.iter().any(|n| n.name == v.name);
            self.phases.drop_views.push(
                Change::new(
                    ObjectRef::new(ObjectKind::View, &v.name),
                    ChangeKind::Drop,
                    &[Statement::DropView(&v.name)],
                )
                .hazard(if recreated {
                    Hazard::RecreatesObject
                } else {
                    Hazard::DropsObject
                })
                .lock(LockLevel::AccessExclusive)
                .inverse(&[Statement::CreateView(v)]),
            );
        }
        // Creates and replacements, each after the views it uses.
        let new_views: Vec<&'a View> = self.new.views.iter().collect();
        for i in view_order(&new_views) {
            let v = new_views[i];
            let object = ObjectRef::new(ObjectKind::View, &v.name);
            let old = self.old.views.iter().find(|o| o.name == v.name);
            match old {
                Some(o) if !self.rebuilt_views.contains(&v.name) => {
                    if !same_view(o, v) {
                        self.phases.views.push(
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                &[Statement::CreateView(v)],
                            )
                            .lock(LockLevel::AccessExclusive)
                            .inverse(&[Statement::CreateView(o)]),
                        );
                    }
                    self.comment(object, CommentTarget::View(&v.name), &o.comment, &v.comment);
                }
                _ => {
                    self.phases.views.push(
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            &[Statement::CreateView(v)],
                        )
                        .inverse(&[Statement::DropView(&v.name)]),
                    );
                    self.comment(object, CommentTarget::View(&v.name), &None, &v.comment);
                }
            }
        }
    }

    fn triggers(&mut self) {
        let dropped_tables: BTreeSet<&QualifiedName> =
            self.dropped_tables.iter().map(|t| &t.name).collect();
        // Old triggers by their table's new name.
        let key = |me: &Self, t: &Trigger| (me.new_table_name(&t.table), t.name.clone());
        for o in &self.old.triggers {
            let new_key = key(self, o);
            let declared = self
                .new
                .triggers
                .iter()
                .find(|n| (n.table.clone(), n.name.clone()) == new_key);
            let rebuilt = self
                .rebuilt_triggers
                .contains(&(o.table.clone(), o.name.clone()));
            if declared.is_some() && !rebuilt {
                continue;
            }
            if declared.is_none() && dropped_tables.contains(&o.table) {
                continue; // goes with its table
            }
            self.phases.drop_triggers.push(
                Change::new(
                    ObjectRef::trigger(&o.table, &o.name),
                    ChangeKind::Drop,
                    &[Statement::DropTrigger {
                        table: &o.table,
                        name: &o.name,
                    }],
                )
                .hazard(if declared.is_some() {
                    Hazard::RecreatesObject
                } else {
                    Hazard::DropsObject
                })
                .lock(LockLevel::AccessExclusive)
                .inverse(&[Statement::CreateTrigger(o)]),
            );
        }
        for t in &self.new.triggers {
            let object = ObjectRef::trigger(&t.table, &t.name);
            let old = self
                .old
                .triggers
                .iter()
                .find(|o| key(self, o) == (t.table.clone(), t.name.clone()));
            let create = Change::new(
                object.clone(),
                ChangeKind::Create,
                &[Statement::CreateTrigger(t)],
            )
            .lock(LockLevel::ShareRowExclusive)
            .inverse(&[Statement::DropTrigger {
                table: &t.table,
                name: &t.name,
            }]);
            match old {
                Some(o)
                    if !self
                        .rebuilt_triggers
                        .contains(&(o.table.clone(), o.name.clone())) =>
                {
                    if !same_trigger(o, t) {
                        self.phases.triggers.push(
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                &[Statement::CreateTrigger(t)],
                            )
                            .lock(LockLevel::ShareRowExclusive)
                            .inverse(&[Statement::CreateTrigger(o)]),
                        );
                    }
                    self.comment(
                        object,
                        CommentTarget::Trigger(&t.table, &t.name),
                        &o.comment,
                        &t.comment,
                    );
                }
                _ => {
                    self.phases.triggers.push(create);
                    self.comment(
                        object,
                        CommentTarget::Trigger(&t.table, &t.name),
                        &None,
                        &t.comment,
                    );
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Comments
    // -----------------------------------------------------------------------------------------

    fn comment(
        &mut self,
        object: ObjectRef,
        target: CommentTarget<'a>,
        old: &Option<String>,
        new: &'a Option<String>,
    ) {
        if old == new {
            return;
        }
        self.phases.comments.push(
            Change::new(
                object,
                ChangeKind::Alter,
                &[Statement::Comment {
                    target,
                    text: new.as_deref(),
                }],
            )
            .lock(LockLevel::ShareUpdateExclusive)
            .inverse(&[Statement::Comment {
                target,
                text: old.as_deref(),
            }]),
        );
    }
}

fn same_view(a: &View, b: &View) -> bool {
    a.columns == b.columns && query_text(&a.query) == query_text(&b.query)
}

/// The types a function's signature uses.
fn function_types(f: &Function) -> impl Iterator<Item = &DataType> {
    let returns: Vec<&DataType> = match &f.returns {
        Some(Returns::Type(t)) | Some(Returns::SetOf(t)) => vec![t],
        Some(Returns::Table(cols)) => cols.iter().map(|(_, t)| t).collect(),
        None => vec![],
    };
    f.args.iter().map(|a| &a.data_type).chain(returns)
}

/// True if `a` appears in `b` in the same order (labels only added).
fn is_subsequence(a: &[String], b: &[String]) -> bool {
    let mut it = b.iter();
    a.iter().all(|x| it.any(|y| y == x))
}
