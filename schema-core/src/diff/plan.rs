//! The plan as data: [`Plan`], its [`Change`]s, and what each change risks and locks.

use std::collections::BTreeSet;
use std::fmt::{self, Display};

use serde::Serialize;

use crate::ident::quote_qualified;
use crate::model::*;
use crate::render::{FunctionSignature, Statement};

use super::order::Phase;

/// What a change risks. Each has a stable kebab-case [`code`](Hazard::code), a message that
/// says what will happen and a help that says what to do about it. Serializes as its code
/// (`"rewrites-table"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
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
    /// `needs-using`: no cast converts the old type to the new one; existing values need an
    /// expression, declared with `using`.
    NeedsUsing,
    /// `adds-required-column`: a `NOT NULL` column without a default fails on a table with rows.
    AddsRequiredColumn,
    /// `removes-enum-value`: PostgreSQL cannot remove or reorder enum labels; the type is rebuilt.
    RemovesEnumValue,
    /// `renames-object`: code that uses the old name breaks.
    RenamesObject,
    /// `recreates-object`: dropped and created again, so briefly missing and without its grants.
    RecreatesObject,
    /// `attaches-partition`: `ATTACH PARTITION` scans the table, and the parent's default
    /// partition, to check the bound.
    AttachesPartition,
    /// `detaches-partition`: the partition's rows leave its parent (the table keeps them).
    DetachesPartition,
    /// `changes-access`: which roles may read or write which rows changes (row-level
    /// security turned on or off, a policy dropped, narrowed or widened).
    ChangesAccess,
}

impl Hazard {
    /// Every hazard, in declaration order.
    pub const ALL: [Hazard; 16] = [
        Hazard::DeletesData,
        Hazard::DropsObject,
        Hazard::RewritesTable,
        Hazard::AccessExclusiveLock,
        Hazard::BuildsIndex,
        Hazard::NotTransactional,
        Hazard::ValidatesConstraint,
        Hazard::NarrowsType,
        Hazard::NeedsUsing,
        Hazard::AddsRequiredColumn,
        Hazard::RemovesEnumValue,
        Hazard::RenamesObject,
        Hazard::RecreatesObject,
        Hazard::AttachesPartition,
        Hazard::DetachesPartition,
        Hazard::ChangesAccess,
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
            Hazard::NeedsUsing => "needs-using",
            Hazard::AddsRequiredColumn => "adds-required-column",
            Hazard::RemovesEnumValue => "removes-enum-value",
            Hazard::RenamesObject => "renames-object",
            Hazard::RecreatesObject => "recreates-object",
            Hazard::AttachesPartition => "attaches-partition",
            Hazard::DetachesPartition => "detaches-partition",
            Hazard::ChangesAccess => "changes-access",
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
            Hazard::NeedsUsing => {
                "no cast converts the old type to the new one: the change applies to an empty \
                 table only, and fails if the table has rows"
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
            Hazard::AttachesPartition => {
                "scans the attached table to check that every row fits its bound, and the \
                 parent's default partition (if any) for rows the new bound takes, holding an \
                 ACCESS EXCLUSIVE lock on both while it scans"
            }
            Hazard::DetachesPartition => {
                "the partition's rows leave the partitioned table: queries on the parent no \
                 longer see them (the detached table keeps them)"
            }
            Hazard::ChangesAccess => {
                "changes which rows each role may read or write: running code may lose rows it \
                 needs, or roles may see rows they should not"
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
            Hazard::BuildsIndex => {
                "use CREATE INDEX CONCURRENTLY; on a partitioned table, where PostgreSQL refuses \
                 it, create the index ON ONLY the parent, build each partition's index \
                 concurrently and ALTER INDEX ... ATTACH PARTITION it, before applying"
            }
            Hazard::NotTransactional => "apply it on its own; it is idempotent and can be re-run",
            Hazard::ValidatesConstraint => {
                "on a large table, run it when traffic is low; VALIDATE CONSTRAINT does not \
                 block writes, SET NOT NULL does"
            }
            Hazard::NarrowsType => "check that every value fits first, or widen instead",
            Hazard::NeedsUsing => {
                "declare how to convert the values on the column: `created_at timestamp using \
                 \"current_date + created_at\"` (an expression of the old value)"
            }
            Hazard::AddsRequiredColumn => {
                "give it a default, or add it nullable, backfill it, then set NOT NULL"
            }
            Hazard::RemovesEnumValue => "update the rows that hold removed labels first",
            Hazard::RenamesObject => "deploy code that works with both names first",
            Hazard::RecreatesObject => "re-grant privileges on it after applying",
            Hazard::AttachesPartition => {
                "add a CHECK constraint matching the bound to the table (and one excluding it \
                 to the default partition) beforehand: PostgreSQL then skips the scans"
            }
            Hazard::DetachesPartition => {
                "move the rows the application still needs, or deploy code that reads them from \
                 the detached table, first"
            }
            Hazard::ChangesAccess => {
                "check which roles the application connects as and what they must see; apply \
                 with the code that expects the new access"
            }
        }
    }

    /// True for hazards that lose data or break users of the schema, which need an explicit
    /// allow to apply: [`DeletesData`](Hazard::DeletesData),
    /// [`DropsObject`](Hazard::DropsObject), [`NarrowsType`](Hazard::NarrowsType),
    /// [`NeedsUsing`](Hazard::NeedsUsing) (it cannot carry existing values over),
    /// [`RemovesEnumValue`](Hazard::RemovesEnumValue),
    /// [`DetachesPartition`](Hazard::DetachesPartition) (its rows vanish from the parent),
    /// [`ChangesAccess`](Hazard::ChangesAccess) (running code may lose rows it reads, or
    /// roles gain rows they must not see).
    pub fn is_destructive(self) -> bool {
        matches!(
            self,
            Hazard::DeletesData
                | Hazard::DropsObject
                | Hazard::ChangesAccess
                | Hazard::NarrowsType
                | Hazard::NeedsUsing
                | Hazard::RemovesEnumValue
                | Hazard::DetachesPartition
        )
    }
}

impl Display for Hazard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The strongest table lock a change takes, weakest first. Serializes in kebab case
/// (`"access-exclusive"`, `"none"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
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

/// The kinds of object a change is about. Serializes in kebab case (`"materialized-view"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectKind {
    /// An extension.
    Extension,
    /// A schema (namespace).
    Schema,
    /// A type: an enum, composite or range type.
    Type,
    /// A domain.
    Domain,
    /// A sequence.
    Sequence,
    /// A function.
    Function,
    /// A procedure.
    Procedure,
    /// An aggregate.
    Aggregate,
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
    /// A materialized view.
    MaterializedView,
    /// A trigger.
    Trigger,
    /// A row-level security policy.
    Policy,
    /// The privileges of a grantee on an object.
    Privileges,
    /// The default privileges of a grantee in a schema.
    DefaultPrivileges,
}

impl Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectKind::Extension => "extension",
            ObjectKind::Schema => "schema",
            ObjectKind::Type => "type",
            ObjectKind::Domain => "domain",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Function => "function",
            ObjectKind::Procedure => "procedure",
            ObjectKind::Aggregate => "aggregate",
            ObjectKind::Table => "table",
            ObjectKind::Column => "column",
            ObjectKind::Constraint => "constraint",
            ObjectKind::Index => "index",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Policy => "policy",
            ObjectKind::Privileges => "privileges",
            ObjectKind::DefaultPrivileges => "default privileges",
        })
    }
}

/// The object a change is about. Serializes as `{"kind", "name", "table"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
    pub(super) fn new(kind: ObjectKind, name: impl Display) -> Self {
        ObjectRef {
            kind,
            name: name.to_string(),
            table: None,
        }
    }

    pub(super) fn on(kind: ObjectKind, table: &QualifiedName, name: impl Display) -> Self {
        ObjectRef {
            kind,
            name: name.to_string(),
            table: Some(table.clone()),
        }
    }

    pub(super) fn column(table: &QualifiedName, column: &str) -> Self {
        Self::on(
            ObjectKind::Column,
            table,
            format_args!("{table}.{}", crate::render::Ident(column)),
        )
    }

    pub(super) fn constraint(table: &QualifiedName, name: &str) -> Self {
        Self::on(
            ObjectKind::Constraint,
            table,
            format_args!("{} ON {table}", crate::render::Ident(name)),
        )
    }

    pub(super) fn index(table: &QualifiedName, name: &str) -> Self {
        Self::on(
            ObjectKind::Index,
            table,
            quote_qualified(&table.schema, name),
        )
    }

    pub(super) fn trigger(table: &QualifiedName, name: &str) -> Self {
        Self::on(
            ObjectKind::Trigger,
            table,
            format_args!("{} ON {table}", crate::render::Ident(name)),
        )
    }

    pub(super) fn policy(table: &QualifiedName, name: &str) -> Self {
        Self::on(
            ObjectKind::Policy,
            table,
            format_args!("{} ON {table}", crate::render::Ident(name)),
        )
    }

    pub(super) fn function(func: &Function) -> Self {
        let kind = if func.is_procedure {
            ObjectKind::Procedure
        } else {
            ObjectKind::Function
        };
        Self::new(kind, FunctionSignature(func))
    }
}

/// A database object as the ordering of a plan sees it: typed, so dependencies are between
/// objects, not between strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectId {
    /// A schema (namespace).
    Schema(String),
    /// An extension.
    Extension(String),
    /// A type: an enum, domain, composite or range type (or a range's multirange), or an
    /// extension's type.
    Type(QualifiedName),
    /// A sequence.
    Sequence(QualifiedName),
    /// A function or procedure: every overload of the name together, since a call in an
    /// expression names the function without its signature.
    Function(QualifiedName),
    /// A table.
    Table(QualifiedName),
    /// A partition's attachment to its parent (made by `CREATE TABLE ... PARTITION OF` or
    /// `ATTACH PARTITION`, undone by `DETACH PARTITION`), by the partition's name.
    Partition(QualifiedName),
    /// A column of a table.
    Column(QualifiedName, String),
    /// A constraint of a table.
    Constraint(QualifiedName, String),
    /// An index, by its schema-qualified name (indexes live in their table's schema).
    Index(QualifiedName),
    /// A view.
    View(QualifiedName),
    /// A trigger on a table or view.
    Trigger(QualifiedName, String),
    /// A row-level security policy on a table.
    Policy(QualifiedName, String),
}

/// What a change does to its object. Serializes in lower case (`"create"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
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

/// One step of a plan: owned statements, printed as SQL only at the edge ([`Change::sql`]).
///
/// Serializes (for audit events and `--json` output) with stable field names: `object`,
/// `kind`, `sql` (the statements as [`Change::sql`] prints them), `hazards` (codes), `lock`,
/// `transactional`, `inverse_sql` (`null` when it cannot be undone) and `defines_function`;
/// the ordering facts (`creates`, `removes`, `needs`, `phase`) are the planner's and left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The object it is about.
    pub object: ObjectRef,
    /// What it does.
    pub kind: ChangeKind,
    /// What it runs: one or more idempotent statements (see [`Change::sql`] for the text).
    #[serde(rename = "sql", serialize_with = "serialize_sql")]
    pub statements: Vec<Statement>,
    /// What it risks, without duplicates, in [`Hazard`] order.
    pub hazards: Vec<Hazard>,
    /// The strongest table lock it takes.
    pub lock: LockLevel,
    /// False when it cannot run inside a transaction block (`CREATE INDEX CONCURRENTLY`,
    /// `ALTER TYPE ... ADD VALUE`, whose new label cannot be used before it commits).
    pub transactional: bool,
    /// The statements that undo it, when the undo exists (`None` for changes that lose data or
    /// cannot be reverted, such as a new enum label); empty when nothing needs undoing
    /// (`VALIDATE CONSTRAINT`). See [`Change::inverse_sql`] for the text.
    #[serde(rename = "inverse_sql", serialize_with = "serialize_inverse_sql")]
    pub inverse: Option<Vec<Statement>>,
    /// True when it creates or replaces a function, so the plan must be run with
    /// `check_function_bodies = false` (see [`Plan::to_sql`]).
    pub defines_function: bool,
    /// The objects it creates or changes in place: changes that need them run after it.
    #[serde(skip)]
    pub creates: Vec<ObjectId>,
    /// The objects it drops (or renames away): it runs after the drops of what depends on them.
    #[serde(skip)]
    pub removes: Vec<ObjectId>,
    /// The objects it depends on: for a create or alter, what must exist first; for a drop,
    /// what the dropped object used (dropped only after it).
    #[serde(skip)]
    pub needs: Vec<ObjectId>,
    /// The planner's phase for it, which breaks ties the dependency graph leaves open.
    #[serde(skip)]
    pub phase: Phase,
}

impl Change {
    pub(super) fn new(
        object: ObjectRef,
        kind: ChangeKind,
        statements: impl Into<Vec<Statement>>,
    ) -> Change {
        Change {
            object,
            kind,
            statements: statements.into(),
            hazards: Vec::new(),
            lock: LockLevel::None,
            transactional: true,
            inverse: None,
            defines_function: false,
            creates: Vec::new(),
            removes: Vec::new(),
            needs: Vec::new(),
            phase: Phase::Comments,
        }
    }

    pub(super) fn hazard(mut self, hazard: Hazard) -> Change {
        if !self.hazards.contains(&hazard) {
            self.hazards.push(hazard);
            self.hazards.sort();
        }
        self
    }

    pub(super) fn hazard_if(self, condition: bool, hazard: Hazard) -> Change {
        if condition {
            self.hazard(hazard)
        } else {
            self
        }
    }

    /// Sets the lock; an ACCESS EXCLUSIVE lock on an object that exists is a hazard.
    pub(super) fn lock(mut self, lock: LockLevel) -> Change {
        self.lock = lock;
        if lock == LockLevel::AccessExclusive {
            self.hazard(Hazard::AccessExclusiveLock)
        } else {
            self
        }
    }

    pub(super) fn not_transactional(mut self) -> Change {
        self.transactional = false;
        self.hazard(Hazard::NotTransactional)
    }

    pub(super) fn inverse(mut self, statements: impl Into<Vec<Statement>>) -> Change {
        self.inverse = Some(statements.into());
        self
    }

    pub(super) fn defines_function(mut self) -> Change {
        self.defines_function = true;
        self
    }

    /// True if any of its hazards is destructive.
    pub fn is_destructive(&self) -> bool {
        self.hazards.iter().any(|h| h.is_destructive())
    }

    /// The SQL it runs: its statements pretty-printed, one after the other, each ending in `;`.
    pub fn sql(&self) -> String {
        sql_of(&self.statements)
    }

    /// The SQL that undoes it (its `inverse` statements); empty when nothing needs undoing.
    pub fn inverse_sql(&self) -> Option<String> {
        self.inverse.as_deref().map(sql_of)
    }
}

impl Display for Change {
    /// One line for people and logs: the verb and the object, e.g.
    /// `create index public.users_email_idx`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.object)
    }
}

/// `Change::statements` as the text [`Change::sql`] prints.
fn serialize_sql<S: serde::Serializer>(statements: &[Statement], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&sql_of(statements))
}

/// `Change::inverse` as the text [`Change::inverse_sql`] prints, or `null`.
fn serialize_inverse_sql<S: serde::Serializer>(
    inverse: &Option<Vec<Statement>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match inverse {
        Some(statements) => s.serialize_some(&sql_of(statements)),
        None => s.serialize_none(),
    }
}

pub(super) fn sql_of(statements: &[Statement]) -> String {
    statements
        .iter()
        .map(|s| format!("{s:#}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An ordered list of changes that turns one schema into another. Serializes as
/// `{"changes": [...]}` (see [`Change`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
            let inverse = change.inverse_sql()?;
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

pub(super) fn change_sql(change: &Change) -> String {
    if change.hazards.is_empty() {
        change.sql()
    } else {
        let codes: Vec<&str> = change.hazards.iter().map(|h| h.code()).collect();
        format!("-- hazards: {}\n{}", codes.join(", "), change.sql())
    }
}

impl Display for Plan {
    /// Same as [`Plan::to_sql`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_sql())
    }
}
