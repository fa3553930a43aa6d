//! SQL rendering: the model printed as DDL, for [`Schema::create_sql`] and for the statements
//! of a [`Plan`](crate::Plan).
//!
//! `Display` is the printer, as in sqlparser: model nodes ([`Column`], [`Constraint`],
//! [`IndexElement`], ...) render themselves, and [`Statement`] is the set of DDL statements the
//! crate emits, each a small piece of data whose `Display` is its SQL. `{}` prints a statement on
//! one line; `{:#}` pretty-prints it (one column per line, indented `DO` bodies). No other code
//! builds SQL text.
//!
//! Safety of the output rests on four helpers from [`crate::ident`]: every identifier goes
//! through `quote_ident` (object names always schema-qualified, so `search_path` cannot change
//! what a statement means), every value through `quote_literal`, every function or `DO` body
//! through `dollar_quote`. SQL fragments (defaults, checks, predicates, view queries) are SQL by
//! design and are embedded as written; they are checked by [`crate::check()`] before they get here.
//!
//! The output targets PostgreSQL 14 and later (`CREATE OR REPLACE TRIGGER`); `NULLS NOT DISTINCT`
//! needs 15 and is only printed for schemas that declare it.

pub mod pgdecl_tables;
pub mod scratch;

use std::collections::BTreeSet;
use std::fmt::{self, Display, Formatter, Write as _};

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::ident::{dollar_quote, quote_ident, quote_literal, quote_qualified};
use crate::model::*;
use crate::types::DataType;

// ---------------------------------------------------------------------------------------------
// Combinators
// ---------------------------------------------------------------------------------------------

/// Displays the items of a slice separated by `sep` (sqlparser's `DisplaySeparated`).
pub struct DisplaySeparated<'a, T> {
    items: &'a [T],
    sep: &'static str,
}

impl<T: Display> Display for DisplaySeparated<'_, T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(self.sep)?;
            }
            // Pass the formatter on so `{:#}` reaches the items.
            Display::fmt(item, f)?;
        }
        Ok(())
    }
}

/// `items` separated by `sep`.
pub fn display_separated<'a, T: Display>(
    items: &'a [T],
    sep: &'static str,
) -> DisplaySeparated<'a, T> {
    DisplaySeparated { items, sep }
}

/// `items` separated by `, `.
pub fn display_comma_separated<T: Display>(items: &[T]) -> DisplaySeparated<'_, T> {
    display_separated(items, ", ")
}

/// A list of identifiers, each quoted as needed, separated by `, `: `a, "B", c`.
pub struct Idents<'a>(pub &'a [String]);

impl Display for Idents<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(&quote_ident(name))?;
        }
        Ok(())
    }
}

/// One identifier, quoted as needed (`users`, `"User"`, `"select"`).
pub struct Ident<'a>(pub &'a str);

impl Display for Ident<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&quote_ident(self.0))
    }
}

/// A string literal (`'it''s'`, `E'a\\b'`).
pub struct Literal<'a>(pub &'a str);

impl Display for Literal<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&quote_literal(self.0))
    }
}

/// An SQL fragment as the user wrote it (a default, a check, a view query), trimmed. A fragment
/// that holds a `--` comment is followed by a line break, so the comment cannot swallow the
/// rest of the statement.
pub struct Fragment<'a>(pub &'a str);

impl Display for Fragment<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let text = self.0.trim();
        f.write_str(text)?;
        if text.contains("--") {
            f.write_char('\n')?;
        }
        Ok(())
    }
}

/// A fragment in parentheses: `(a > 0)`.
struct Parens<'a>(&'a str);

impl Display for Parens<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "({})", Fragment(self.0))
    }
}

/// A `DEFAULT` expression: bare when PostgreSQL's restricted `b_expr` grammar takes it as is
/// (literals, calls, casts, names), in parentheses otherwise (`DEFAULT (a IS NULL)`).
struct DefaultExpr<'a>(&'a str);

impl Display for DefaultExpr<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        use sqlparser::ast::{Expr, UnaryOperator};
        let simple = match crate::expr::parse_expr(self.0) {
            Ok(Expr::Value(_) | Expr::Function(_) | Expr::Identifier(_) | Expr::Nested(_)) => true,
            Ok(Expr::TypedString { .. }) => true,
            Ok(Expr::Cast { expr, .. }) => matches!(*expr, Expr::Value(_) | Expr::Nested(_)),
            Ok(Expr::UnaryOp {
                op: UnaryOperator::Minus,
                expr,
            }) => matches!(*expr, Expr::Value(_)),
            _ => false,
        };
        if simple {
            Fragment(self.0).fmt(f)
        } else {
            Parens(self.0).fmt(f)
        }
    }
}

/// A type as DDL needs it: built-in types as `format_type` prints them, user and extension
/// types always schema-qualified (`public.user_role`), so `search_path` cannot change them.
pub struct SqlType<'a>(pub &'a DataType);

impl Display for SqlType<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let ty = self.0;
        match &ty.schema {
            Some(schema) => {
                write!(f, "{}.{}", quote_ident(schema), quote_ident(&ty.name))?;
                if !ty.modifiers.is_empty() {
                    f.write_char('(')?;
                    for (i, m) in ty.modifiers.iter().enumerate() {
                        if i > 0 {
                            f.write_char(',')?;
                        }
                        write!(f, "{m}")?;
                    }
                    f.write_char(')')?;
                }
                if ty.array {
                    f.write_str("[]")?;
                }
                Ok(())
            }
            None => Display::fmt(ty, f),
        }
    }
}

/// Renders through a closure; for one-off pieces of a statement.
struct DisplayFn<F>(F);

impl<F: Fn(&mut Formatter<'_>) -> fmt::Result> Display for DisplayFn<F> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

// ---------------------------------------------------------------------------------------------
// Model nodes
// ---------------------------------------------------------------------------------------------

impl Display for QualifiedName {
    /// Always qualified, each part quoted as needed: `public.users`, `audit."Events"`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&quote_qualified(&self.schema, &self.name))
    }
}

impl Display for Column {
    /// The column definition as `CREATE TABLE` and `ADD COLUMN` take it:
    /// `name type [COLLATE c] [GENERATED ...] [DEFAULT expr] [NOT NULL]`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", Ident(&self.name), SqlType(&self.data_type))?;
        if let Some(collation) = &self.collation {
            write!(f, " COLLATE {}", Ident(collation))?;
        }
        if let Some(identity) = self.identity {
            write!(f, " {} AS IDENTITY", identity_sql(identity))?;
        }
        if let Some(generated) = &self.generated {
            write!(f, " GENERATED ALWAYS AS {} STORED", Parens(generated))?;
        }
        if let Some(default) = &self.default {
            write!(f, " DEFAULT {}", DefaultExpr(default))?;
        }
        if self.not_null {
            f.write_str(" NOT NULL")?;
        }
        Ok(())
    }
}

fn identity_sql(identity: Identity) -> &'static str {
    match identity {
        Identity::Always => "GENERATED ALWAYS",
        Identity::ByDefault => "GENERATED BY DEFAULT",
    }
}

impl Display for ConstraintKind {
    /// The constraint body without its name: `PRIMARY KEY (a, b)`, `CHECK (a > 0)`, ...
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ConstraintKind::PrimaryKey { columns, include } => {
                write!(f, "PRIMARY KEY ({})", Idents(columns))?;
                if !include.is_empty() {
                    write!(f, " INCLUDE ({})", Idents(include))?;
                }
                Ok(())
            }
            ConstraintKind::Unique {
                columns,
                include,
                nulls_not_distinct,
            } => {
                f.write_str("UNIQUE ")?;
                if *nulls_not_distinct {
                    f.write_str("NULLS NOT DISTINCT ")?;
                }
                write!(f, "({})", Idents(columns))?;
                if !include.is_empty() {
                    write!(f, " INCLUDE ({})", Idents(include))?;
                }
                Ok(())
            }
            ConstraintKind::ForeignKey {
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_update,
            } => {
                write!(
                    f,
                    "FOREIGN KEY ({}) REFERENCES {ref_table}",
                    Idents(columns)
                )?;
                if !ref_columns.is_empty() {
                    write!(f, " ({})", Idents(ref_columns))?;
                }
                if *on_delete != FkAction::NoAction {
                    write!(f, " ON DELETE {}", on_delete.sql())?;
                }
                if *on_update != FkAction::NoAction {
                    write!(f, " ON UPDATE {}", on_update.sql())?;
                }
                Ok(())
            }
            ConstraintKind::Check { expr } => write!(f, "CHECK {}", Parens(expr)),
        }
    }
}

impl Display for Constraint {
    /// `CONSTRAINT name <kind> [DEFERRABLE [INITIALLY DEFERRED]]`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "CONSTRAINT {} {}", Ident(&self.name), self.kind)?;
        write_deferrable(f, self)
    }
}

fn write_deferrable(f: &mut Formatter<'_>, c: &Constraint) -> fmt::Result {
    if c.deferrable || c.initially_deferred {
        f.write_str(" DEFERRABLE")?;
        if c.initially_deferred {
            f.write_str(" INITIALLY DEFERRED")?;
        }
    }
    Ok(())
}

impl Display for IndexElement {
    /// `col` or `(expr)`, then `COLLATE`, operator class, `DESC`, `NULLS FIRST | LAST`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.target {
            IndexTarget::Column(name) => Ident(name).fmt(f)?,
            IndexTarget::Expression(expr) => Parens(expr).fmt(f)?,
        }
        if let Some(collation) = &self.collation {
            write!(f, " COLLATE {}", Ident(collation))?;
        }
        if let Some(opclass) = &self.opclass {
            write!(f, " {}", Ident(opclass))?;
        }
        if self.descending {
            f.write_str(" DESC")?;
        }
        match self.nulls_first {
            Some(true) => f.write_str(" NULLS FIRST"),
            Some(false) => f.write_str(" NULLS LAST"),
            None => Ok(()),
        }
    }
}

impl Display for FunctionArg {
    /// `[mode] [name] type [DEFAULT expr]`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.mode != ArgMode::In {
            write!(f, "{} ", self.mode.sql())?;
        }
        if let Some(name) = &self.name {
            write!(f, "{} ", Ident(name))?;
        }
        SqlType(&self.data_type).fmt(f)?;
        if let Some(default) = &self.default {
            write!(f, " DEFAULT {}", Fragment(default))?;
        }
        Ok(())
    }
}

impl Display for Returns {
    /// `RETURNS type`, `RETURNS SETOF type` or `RETURNS TABLE (name type, ...)`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Returns::Type(ty) => write!(f, "RETURNS {}", SqlType(ty)),
            Returns::SetOf(ty) => write!(f, "RETURNS SETOF {}", SqlType(ty)),
            Returns::Table(columns) => {
                f.write_str("RETURNS TABLE (")?;
                for (i, (name, ty)) in columns.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{} {}", Ident(name), SqlType(ty))?;
                }
                f.write_char(')')
            }
        }
    }
}

impl Display for TriggerEvent {
    /// `INSERT`, `UPDATE [OF a, b]`, `DELETE`, `TRUNCATE`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            TriggerEvent::Insert => f.write_str("INSERT"),
            TriggerEvent::Update(columns) if columns.is_empty() => f.write_str("UPDATE"),
            TriggerEvent::Update(columns) => write!(f, "UPDATE OF {}", Idents(columns)),
            TriggerEvent::Delete => f.write_str("DELETE"),
            TriggerEvent::Truncate => f.write_str("TRUNCATE"),
        }
    }
}

/// A function's identity as `DROP FUNCTION` and `COMMENT ON FUNCTION` take it:
/// `public.add(integer, integer)`. Functions are identified by their input arguments;
/// procedures by all of them with their modes (`p(INOUT integer, OUT boolean)`), which
/// PostgreSQL 14+ accepts whatever the procedure's OUT arguments.
pub struct FunctionSignature<'a>(pub &'a Function);

impl Display for FunctionSignature<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let func = self.0;
        write!(f, "{}(", func.name)?;
        let mut first = true;
        for arg in &func.args {
            if !func.is_procedure && arg.mode == ArgMode::Out {
                continue;
            }
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            if arg.mode != ArgMode::In {
                write!(f, "{} ", arg.mode.sql())?;
            }
            SqlType(&arg.data_type).fmt(f)?;
        }
        f.write_char(')')
    }
}

impl Function {
    /// `FUNCTION` or `PROCEDURE`.
    pub fn keyword(&self) -> &'static str {
        if self.is_procedure {
            "PROCEDURE"
        } else {
            "FUNCTION"
        }
    }
}

/// Settings whose value is a list of names (`GUC_LIST_QUOTE` in PostgreSQL): each element must
/// be its own literal, or `SET search_path = 'a, b'` would name one schema called `a, b`.
const LIST_SETTINGS: &[&str] = &[
    "search_path",
    "temp_tablespaces",
    "session_preload_libraries",
    "shared_preload_libraries",
    "local_preload_libraries",
];

/// `SET name TO value`, as a function option. `value` is what `pg_proc.proconfig` holds
/// after the `=`: for list settings, elements separated by commas, double-quoted where needed.
struct SetOption<'a>(&'a str, &'a str);

impl Display for SetOption<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let (name, value) = (self.0, self.1);
        write!(f, "SET {} TO ", Ident(name))?;
        if !LIST_SETTINGS.contains(&name.to_ascii_lowercase().as_str()) || value.trim().is_empty() {
            return Literal(value).fmt(f);
        }
        for (i, element) in split_list_setting(value).iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            Literal(element).fmt(f)?;
        }
        Ok(())
    }
}

/// Splits `"$user", public` into `$user` and `public`: commas outside double quotes separate,
/// double quotes are removed (`""` inside them stands for `"`).
pub(crate) fn split_list_setting(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            ',' if !quoted => {
                out.push(finish_element(&current, was_quoted));
                current.clear();
                was_quoted = false;
            }
            c => current.push(c),
        }
    }
    out.push(finish_element(&current, was_quoted));
    out
}

fn finish_element(text: &str, was_quoted: bool) -> String {
    if was_quoted {
        text.to_string()
    } else {
        text.trim().to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/// Where `ALTER TYPE ... ADD VALUE` puts the new label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumPosition<'a> {
    /// At the end.
    Last,
    /// `BEFORE 'label'`.
    Before(&'a str),
    /// `AFTER 'label'`.
    After(&'a str),
}

/// One option of `ALTER SEQUENCE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SequenceOption {
    /// `AS type`.
    As(DataType),
    /// `INCREMENT BY n`.
    IncrementBy(i64),
    /// `MINVALUE n`, or `NO MINVALUE` for `None`.
    MinValue(Option<i64>),
    /// `MAXVALUE n`, or `NO MAXVALUE` for `None`.
    MaxValue(Option<i64>),
    /// `START WITH n`.
    StartWith(i64),
    /// `CACHE n`.
    Cache(i64),
    /// `CYCLE` / `NO CYCLE`.
    Cycle(bool),
    /// `OWNED BY table.column`, or `OWNED BY NONE` for `None`.
    OwnedBy(Option<(QualifiedName, String)>),
}

impl Display for SequenceOption {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            SequenceOption::As(ty) => write!(f, "AS {}", SqlType(ty)),
            SequenceOption::IncrementBy(n) => write!(f, "INCREMENT BY {n}"),
            SequenceOption::MinValue(Some(n)) => write!(f, "MINVALUE {n}"),
            SequenceOption::MinValue(None) => f.write_str("NO MINVALUE"),
            SequenceOption::MaxValue(Some(n)) => write!(f, "MAXVALUE {n}"),
            SequenceOption::MaxValue(None) => f.write_str("NO MAXVALUE"),
            SequenceOption::StartWith(n) => write!(f, "START WITH {n}"),
            SequenceOption::Cache(n) => write!(f, "CACHE {n}"),
            SequenceOption::Cycle(true) => f.write_str("CYCLE"),
            SequenceOption::Cycle(false) => f.write_str("NO CYCLE"),
            SequenceOption::OwnedBy(Some((table, column))) => {
                write!(f, "OWNED BY {table}.{}", Ident(column))
            }
            SequenceOption::OwnedBy(None) => f.write_str("OWNED BY NONE"),
        }
    }
}

/// How `ADD CONSTRAINT` adds a constraint to a table that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddMode {
    /// Checks existing rows while holding the table's lock.
    Plain,
    /// `NOT VALID`: existing rows are checked later by `VALIDATE CONSTRAINT` (checks and
    /// foreign keys).
    NotValid,
    /// `UNIQUE | PRIMARY KEY USING INDEX name`: adopts a unique index of the same name built
    /// beforehand (primary keys and unique constraints).
    UsingIndex,
}

/// One action of `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterTable<'a> {
    /// `ADD COLUMN IF NOT EXISTS <column>`.
    AddColumn(&'a Column),
    /// `DROP COLUMN IF EXISTS name`.
    DropColumn(&'a str),
    /// `ALTER COLUMN name TYPE type [COLLATE c] [USING expr]`; the column gives the name, type
    /// and collation (`COLLATE "default"` when it has none and `reset_collation` is set).
    AlterType {
        /// The column as it will be.
        column: &'a Column,
        /// `USING` expression, if the server needs one to convert the values.
        using: Option<String>,
        /// Print `COLLATE "default"` when the column has no collation (it had one).
        reset_collation: bool,
    },
    /// `ALTER COLUMN name SET NOT NULL`.
    SetNotNull(&'a str),
    /// `ALTER COLUMN name DROP NOT NULL`.
    DropNotNull(&'a str),
    /// `ALTER COLUMN name SET DEFAULT expr`.
    SetDefault(&'a str, &'a str),
    /// `ALTER COLUMN name DROP DEFAULT`.
    DropDefault(&'a str),
    /// `ALTER COLUMN name SET GENERATED ...`.
    SetIdentity(&'a str, Identity),
    /// `ALTER COLUMN name DROP IDENTITY IF EXISTS`.
    DropIdentity(&'a str),
    /// `ALTER COLUMN name DROP EXPRESSION IF EXISTS` (a generated column becomes a plain one).
    DropExpression(&'a str),
    /// `DROP CONSTRAINT IF EXISTS name`.
    DropConstraint(&'a str),
    /// `VALIDATE CONSTRAINT name`.
    ValidateConstraint(&'a str),
}

impl Display for AlterTable<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            AlterTable::AddColumn(column) => write!(f, "ADD COLUMN IF NOT EXISTS {column}"),
            AlterTable::DropColumn(name) => write!(f, "DROP COLUMN IF EXISTS {}", Ident(name)),
            AlterTable::AlterType {
                column,
                using,
                reset_collation,
            } => {
                write!(
                    f,
                    "ALTER COLUMN {} TYPE {}",
                    Ident(&column.name),
                    SqlType(&column.data_type)
                )?;
                match &column.collation {
                    Some(collation) => write!(f, " COLLATE {}", Ident(collation))?,
                    None if *reset_collation => f.write_str(" COLLATE \"default\"")?,
                    None => {}
                }
                if let Some(using) = using {
                    write!(f, " USING {}", Fragment(using))?;
                }
                Ok(())
            }
            AlterTable::SetNotNull(name) => write!(f, "ALTER COLUMN {} SET NOT NULL", Ident(name)),
            AlterTable::DropNotNull(name) => {
                write!(f, "ALTER COLUMN {} DROP NOT NULL", Ident(name))
            }
            AlterTable::SetDefault(name, expr) => write!(
                f,
                "ALTER COLUMN {} SET DEFAULT {}",
                Ident(name),
                DefaultExpr(expr)
            ),
            AlterTable::DropDefault(name) => write!(f, "ALTER COLUMN {} DROP DEFAULT", Ident(name)),
            AlterTable::SetIdentity(name, identity) => write!(
                f,
                "ALTER COLUMN {} SET {}",
                Ident(name),
                identity_sql(*identity)
            ),
            AlterTable::DropIdentity(name) => {
                write!(f, "ALTER COLUMN {} DROP IDENTITY IF EXISTS", Ident(name))
            }
            AlterTable::DropExpression(name) => {
                write!(f, "ALTER COLUMN {} DROP EXPRESSION IF EXISTS", Ident(name))
            }
            AlterTable::DropConstraint(name) => {
                write!(f, "DROP CONSTRAINT IF EXISTS {}", Ident(name))
            }
            AlterTable::ValidateConstraint(name) => {
                write!(f, "VALIDATE CONSTRAINT {}", Ident(name))
            }
        }
    }
}

/// What `COMMENT ON` targets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CommentTarget<'a> {
    /// `EXTENSION name`.
    Extension(&'a str),
    /// `SCHEMA name`.
    Schema(&'a str),
    /// `TYPE name`.
    Type(&'a QualifiedName),
    /// `SEQUENCE name`.
    Sequence(&'a QualifiedName),
    /// `FUNCTION name(args)` / `PROCEDURE name(args)`.
    Function(&'a Function),
    /// `TABLE name`.
    Table(&'a QualifiedName),
    /// `COLUMN table.column`.
    Column(&'a QualifiedName, &'a str),
    /// `CONSTRAINT name ON table`.
    Constraint(&'a QualifiedName, &'a str),
    /// `INDEX schema.name` (indexes live in their table's schema).
    Index(&'a QualifiedName, &'a str),
    /// `VIEW name`.
    View(&'a QualifiedName),
    /// `TRIGGER name ON table`.
    Trigger(&'a QualifiedName, &'a str),
}

impl Display for CommentTarget<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            CommentTarget::Extension(name) => write!(f, "EXTENSION {}", Ident(name)),
            CommentTarget::Schema(name) => write!(f, "SCHEMA {}", Ident(name)),
            CommentTarget::Type(name) => write!(f, "TYPE {name}"),
            CommentTarget::Sequence(name) => write!(f, "SEQUENCE {name}"),
            CommentTarget::Function(func) => {
                write!(f, "{} {}", func.keyword(), FunctionSignature(func))
            }
            CommentTarget::Table(name) => write!(f, "TABLE {name}"),
            CommentTarget::Column(table, column) => {
                write!(f, "COLUMN {table}.{}", Ident(column))
            }
            CommentTarget::Constraint(table, name) => {
                write!(f, "CONSTRAINT {} ON {table}", Ident(name))
            }
            CommentTarget::Index(table, name) => {
                write!(f, "INDEX {}", quote_qualified(&table.schema, name))
            }
            CommentTarget::View(name) => write!(f, "VIEW {name}"),
            CommentTarget::Trigger(table, name) => {
                write!(f, "TRIGGER {} ON {table}", Ident(name))
            }
        }
    }
}

/// A DDL statement pgdecl emits. `Display` prints it with its terminating `;`; `{:#}` prints
/// multi-line statements (tables, `DO` blocks, functions, views) across lines.
///
/// Every statement is idempotent: running it a second time changes nothing. Where PostgreSQL has
/// no `IF [NOT] EXISTS` or `OR REPLACE` form (constraints, enum types, column renames), the
/// statement is wrapped in a `DO` block that checks the catalog first.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement<'a> {
    /// `SET check_function_bodies = false`: SQL-language function bodies may name tables that
    /// are created later in the script (pg_dump does the same).
    UncheckedFunctionBodies,
    /// `RESET check_function_bodies`.
    ResetFunctionBodies,
    /// `CREATE EXTENSION IF NOT EXISTS name [WITH SCHEMA s]`.
    CreateExtension(&'a Extension),
    /// `DROP EXTENSION IF EXISTS name`.
    DropExtension(&'a str),
    /// `ALTER EXTENSION name SET SCHEMA s`.
    AlterExtensionSchema {
        /// The extension.
        name: &'a str,
        /// Its new schema.
        schema: &'a str,
    },
    /// `CREATE SCHEMA IF NOT EXISTS name`.
    CreateSchema(&'a str),
    /// `DROP SCHEMA IF EXISTS name` (fails while it holds objects).
    DropSchema(&'a str),
    /// `CREATE TYPE name AS ENUM (...)`, guarded by a `pg_type` lookup.
    CreateEnum(&'a EnumType),
    /// `ALTER TYPE name ADD VALUE IF NOT EXISTS 'label' [BEFORE | AFTER 'label']`.
    AddEnumValue {
        /// The enum type.
        name: &'a QualifiedName,
        /// The new label.
        value: &'a str,
        /// Where it goes.
        position: EnumPosition<'a>,
    },
    /// `ALTER TYPE name RENAME TO new_name`.
    RenameType {
        /// The type.
        name: &'a QualifiedName,
        /// The new name (same schema).
        to: &'a str,
    },
    /// `DROP TYPE IF EXISTS name`.
    DropType(&'a QualifiedName),
    /// `CREATE SEQUENCE IF NOT EXISTS ...` (without `OWNED BY`: see [`Statement::AlterSequence`]).
    CreateSequence(&'a Sequence),
    /// `ALTER SEQUENCE name option ...`.
    AlterSequence {
        /// The sequence.
        name: &'a QualifiedName,
        /// The options to set.
        options: Vec<SequenceOption>,
    },
    /// `DROP SEQUENCE IF EXISTS name`.
    DropSequence(&'a QualifiedName),
    /// `CREATE OR REPLACE FUNCTION | PROCEDURE ...`.
    CreateFunction(&'a Function),
    /// `DROP FUNCTION | PROCEDURE IF EXISTS name(args)`.
    DropFunction(&'a Function),
    /// `CREATE TABLE IF NOT EXISTS` with columns and every constraint except foreign keys
    /// (those come after all tables, see [`Statement::AddConstraint`]).
    CreateTable(&'a Table),
    /// `DROP TABLE IF EXISTS name`.
    DropTable(&'a QualifiedName),
    /// `ALTER TABLE IF EXISTS name RENAME TO new_name`.
    RenameTable {
        /// The table's current name.
        from: &'a QualifiedName,
        /// Its new name (same schema).
        to: &'a str,
    },
    /// `ALTER TABLE name <action>`.
    AlterTable {
        /// The table.
        table: &'a QualifiedName,
        /// What to do.
        action: AlterTable<'a>,
    },
    /// `ALTER TABLE name RENAME COLUMN a TO b`, guarded by a `pg_attribute` lookup.
    RenameColumn {
        /// The table.
        table: &'a QualifiedName,
        /// The column's current name.
        from: &'a str,
        /// Its new name.
        to: &'a str,
    },
    /// `ALTER TABLE name ALTER COLUMN c ADD GENERATED ... AS IDENTITY`, guarded by a
    /// `pg_attribute` lookup (the column must not be an identity column yet).
    AddIdentity {
        /// The table.
        table: &'a QualifiedName,
        /// The column.
        column: &'a str,
        /// Which kind.
        identity: Identity,
    },
    /// Moves the sequence behind a serial or identity column past the column's largest value,
    /// so that the next generated value does not collide with existing rows (after the column
    /// becomes serial or identity). A `DO` block that `PERFORM`s `setval`.
    SyncSequence {
        /// The table.
        table: &'a QualifiedName,
        /// The column.
        column: &'a str,
    },
    /// `ALTER TABLE name ADD CONSTRAINT ...`, guarded by a `pg_constraint` lookup.
    AddConstraint {
        /// The table.
        table: &'a QualifiedName,
        /// The constraint.
        constraint: &'a Constraint,
        /// How existing rows are handled.
        mode: AddMode,
    },
    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] IF NOT EXISTS name ON table ...`.
    CreateIndex {
        /// The table.
        table: &'a QualifiedName,
        /// The index.
        index: &'a Index,
        /// `CONCURRENTLY` (cannot run inside a transaction block).
        concurrently: bool,
    },
    /// `DROP INDEX [CONCURRENTLY] IF EXISTS schema.name`.
    DropIndex {
        /// The index's schema (its table's).
        schema: &'a str,
        /// The index.
        name: &'a str,
        /// `CONCURRENTLY` (cannot run inside a transaction block).
        concurrently: bool,
    },
    /// `CREATE OR REPLACE VIEW name [(columns)] AS query`.
    CreateView(&'a View),
    /// `DROP VIEW IF EXISTS name`.
    DropView(&'a QualifiedName),
    /// `CREATE OR REPLACE TRIGGER ...` (PostgreSQL 14+).
    CreateTrigger(&'a Trigger),
    /// `DROP TRIGGER IF EXISTS name ON table`.
    DropTrigger {
        /// The table.
        table: &'a QualifiedName,
        /// The trigger.
        name: &'a str,
    },
    /// `COMMENT ON target IS 'text' | NULL`.
    Comment {
        /// What the comment is on.
        target: CommentTarget<'a>,
        /// The comment; `None` removes it.
        text: Option<&'a str>,
    },
}

impl Display for Statement<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let pretty = f.alternate();
        match self {
            Statement::UncheckedFunctionBodies => f.write_str("SET check_function_bodies = false;"),
            Statement::ResetFunctionBodies => f.write_str("RESET check_function_bodies;"),
            Statement::CreateExtension(ext) => {
                write!(f, "CREATE EXTENSION IF NOT EXISTS {}", Ident(&ext.name))?;
                if let Some(schema) = &ext.schema {
                    write!(f, " WITH SCHEMA {}", Ident(schema))?;
                }
                f.write_char(';')
            }
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
            Statement::CreateEnum(e) => {
                let labels: Vec<Literal<'_>> = e.values.iter().map(|v| Literal(v)).collect();
                let create = DisplayFn(|f: &mut Formatter<'_>| {
                    write!(
                        f,
                        "CREATE TYPE {} AS ENUM ({});",
                        e.name,
                        display_comma_separated(&labels)
                    )
                });
                let exists = DisplayFn(|f: &mut Formatter<'_>| {
                    write!(
                        f,
                        "SELECT FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n \
                         ON n.oid = t.typnamespace WHERE n.nspname = {} AND t.typname = {}",
                        Literal(&e.name.schema),
                        Literal(&e.name.name)
                    )
                });
                write_guarded(f, pretty, &format!("NOT EXISTS ({exists})"), &create)
            }
            Statement::AddEnumValue {
                name,
                value,
                position,
            } => {
                write!(
                    f,
                    "ALTER TYPE {name} ADD VALUE IF NOT EXISTS {}",
                    Literal(value)
                )?;
                match position {
                    EnumPosition::Last => {}
                    EnumPosition::Before(other) => write!(f, " BEFORE {}", Literal(other))?,
                    EnumPosition::After(other) => write!(f, " AFTER {}", Literal(other))?,
                }
                f.write_char(';')
            }
            Statement::RenameType { name, to } => {
                write!(f, "ALTER TYPE {name} RENAME TO {};", Ident(to))
            }
            Statement::DropType(name) => write!(f, "DROP TYPE IF EXISTS {name};"),
            Statement::CreateSequence(seq) => {
                write!(f, "CREATE SEQUENCE IF NOT EXISTS {}", seq.name)?;
                if let Some(ty) = &seq.data_type {
                    write!(f, " AS {}", SqlType(ty))?;
                }
                if let Some(n) = seq.increment {
                    write!(f, " INCREMENT BY {n}")?;
                }
                if let Some(n) = seq.min_value {
                    write!(f, " MINVALUE {n}")?;
                }
                if let Some(n) = seq.max_value {
                    write!(f, " MAXVALUE {n}")?;
                }
                if let Some(n) = seq.start {
                    write!(f, " START WITH {n}")?;
                }
                if let Some(n) = seq.cache {
                    write!(f, " CACHE {n}")?;
                }
                if seq.cycle {
                    f.write_str(" CYCLE")?;
                }
                f.write_char(';')
            }
            Statement::AlterSequence { name, options } => write!(
                f,
                "ALTER SEQUENCE {name} {};",
                display_separated(options, " ")
            ),
            Statement::DropSequence(name) => write!(f, "DROP SEQUENCE IF EXISTS {name};"),
            Statement::CreateFunction(func) => write_create_function(f, func, pretty),
            Statement::DropFunction(func) => write!(
                f,
                "DROP {} IF EXISTS {};",
                func.keyword(),
                FunctionSignature(func)
            ),
            Statement::CreateTable(table) => write_create_table(f, table, pretty),
            Statement::DropTable(name) => write!(f, "DROP TABLE IF EXISTS {name};"),
            Statement::RenameTable { from, to } => {
                write!(f, "ALTER TABLE IF EXISTS {from} RENAME TO {};", Ident(to))
            }
            Statement::AlterTable { table, action } => {
                write!(f, "ALTER TABLE {table} {action};")
            }
            Statement::RenameColumn { table, from, to } => {
                let rename = DisplayFn(|f: &mut Formatter<'_>| {
                    write!(
                        f,
                        "ALTER TABLE {table} RENAME COLUMN {} TO {};",
                        Ident(from),
                        Ident(to)
                    )
                });
                let condition = format!(
                    "EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = {} \
                     AND attname = {} AND NOT attisdropped)",
                    regclass(table),
                    Literal(from)
                );
                write_guarded(f, pretty, &condition, &rename)
            }
            Statement::AddIdentity {
                table,
                column,
                identity,
            } => {
                let add = DisplayFn(|f: &mut Formatter<'_>| {
                    write!(
                        f,
                        "ALTER TABLE {table} ALTER COLUMN {} ADD {} AS IDENTITY;",
                        Ident(column),
                        identity_sql(*identity)
                    )
                });
                let condition = format!(
                    "EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = {} \
                     AND attname = {} AND attidentity = '' AND NOT attisdropped)",
                    regclass(table),
                    Literal(column)
                );
                write_guarded(f, pretty, &condition, &add)
            }
            Statement::SyncSequence { table, column } => {
                let col = Ident(column);
                let body = format!(
                    "{nl}BEGIN{nl2}PERFORM pg_catalog.setval(pg_catalog.pg_get_serial_sequence({}, {}), \
                     pg_catalog.max({col})) FROM {table} HAVING pg_catalog.max({col}) IS NOT NULL;{nl}END{nl}",
                    Literal(&table.to_string()),
                    Literal(column),
                    nl = if pretty { "\n" } else { " " },
                    nl2 = if pretty { "\n    " } else { " " },
                );
                write!(f, "DO {};", dollar_quote(&body))
            }
            Statement::AddConstraint {
                table,
                constraint,
                mode,
            } => {
                let add = DisplayFn(|f: &mut Formatter<'_>| {
                    write!(f, "ALTER TABLE {table} ADD ")?;
                    match (mode, &constraint.kind) {
                        (AddMode::UsingIndex, ConstraintKind::PrimaryKey { .. }) => {
                            let name = Ident(&constraint.name);
                            write!(f, "CONSTRAINT {name} PRIMARY KEY USING INDEX {name}")?;
                            write_deferrable(f, constraint)?;
                        }
                        (AddMode::UsingIndex, ConstraintKind::Unique { .. }) => {
                            let name = Ident(&constraint.name);
                            write!(f, "CONSTRAINT {name} UNIQUE USING INDEX {name}")?;
                            write_deferrable(f, constraint)?;
                        }
                        (AddMode::NotValid, ConstraintKind::Check { .. })
                        | (AddMode::NotValid, ConstraintKind::ForeignKey { .. }) => {
                            write!(f, "{constraint} NOT VALID")?;
                        }
                        _ => write!(f, "{constraint}")?,
                    }
                    f.write_char(';')
                });
                let condition = format!(
                    "NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = {} \
                     AND conname = {})",
                    regclass(table),
                    Literal(&constraint.name)
                );
                write_guarded(f, pretty, &condition, &add)
            }
            Statement::CreateIndex {
                table,
                index,
                concurrently,
            } => {
                f.write_str("CREATE ")?;
                if index.unique {
                    f.write_str("UNIQUE ")?;
                }
                f.write_str("INDEX ")?;
                if *concurrently {
                    f.write_str("CONCURRENTLY ")?;
                }
                write!(
                    f,
                    "IF NOT EXISTS {} ON {table} USING {} ({})",
                    Ident(&index.name),
                    Ident(index.method.name()),
                    display_comma_separated(&index.elements)
                )?;
                if !index.include.is_empty() {
                    write!(f, " INCLUDE ({})", Idents(&index.include))?;
                }
                if index.nulls_not_distinct {
                    f.write_str(" NULLS NOT DISTINCT")?;
                }
                if let Some(predicate) = &index.predicate {
                    write!(f, " WHERE {}", Parens(predicate))?;
                }
                f.write_char(';')
            }
            Statement::DropIndex {
                schema,
                name,
                concurrently,
            } => {
                f.write_str("DROP INDEX ")?;
                if *concurrently {
                    f.write_str("CONCURRENTLY ")?;
                }
                write!(f, "IF EXISTS {};", quote_qualified(schema, name))
            }
            Statement::CreateView(view) => {
                write!(f, "CREATE OR REPLACE VIEW {}", view.name)?;
                if !view.columns.is_empty() {
                    write!(f, " ({})", Idents(&view.columns))?;
                }
                let query = view.query.trim().trim_end_matches(';').trim_end();
                let sep = if pretty { "\n" } else { " " };
                write!(f, " AS{sep}{};", Fragment(query))
            }
            Statement::DropView(name) => write!(f, "DROP VIEW IF EXISTS {name};"),
            Statement::CreateTrigger(trigger) => {
                write!(
                    f,
                    "CREATE OR REPLACE TRIGGER {} {} {} ON {}",
                    Ident(&trigger.name),
                    trigger.timing.sql(),
                    display_separated(&trigger.events, " OR "),
                    trigger.table
                )?;
                let level = if trigger.for_each_row {
                    "ROW"
                } else {
                    "STATEMENT"
                };
                write!(f, " FOR EACH {level}")?;
                if let Some(when) = &trigger.when {
                    write!(f, " WHEN {}", Parens(when))?;
                }
                let args: Vec<Literal<'_>> = trigger.args.iter().map(|a| Literal(a)).collect();
                write!(
                    f,
                    " EXECUTE FUNCTION {}({});",
                    trigger.function,
                    display_comma_separated(&args)
                )
            }
            Statement::DropTrigger { table, name } => {
                write!(f, "DROP TRIGGER IF EXISTS {} ON {table};", Ident(name))
            }
            Statement::Comment { target, text } => {
                write!(f, "COMMENT ON {target} IS ")?;
                match text {
                    Some(text) => write!(f, "{};", Literal(text)),
                    None => f.write_str("NULL;"),
                }
            }
        }
    }
}

/// `'schema.table'::pg_catalog.regclass`: the literal holds the quoted, qualified name, so any
/// table name round-trips.
fn regclass(table: &QualifiedName) -> String {
    format!("{}::pg_catalog.regclass", quote_literal(&table.to_string()))
}

/// `DO $$ BEGIN IF <condition> THEN <statement> END IF; END $$;` with a dollar quote that
/// cannot clash with the body.
fn write_guarded(
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

fn write_create_table(f: &mut Formatter<'_>, table: &Table, pretty: bool) -> fmt::Result {
    write!(f, "CREATE TABLE IF NOT EXISTS {} (", table.name)?;
    let (open, sep, close) = if pretty {
        ("\n    ", ",\n    ", "\n")
    } else {
        ("", ", ", "")
    };
    let mut first = true;
    let mut item = |f: &mut Formatter<'_>, d: &dyn Display| -> fmt::Result {
        f.write_str(if first { open } else { sep })?;
        first = false;
        write!(f, "{d}")
    };
    for column in &table.columns {
        item(f, column)?;
    }
    for constraint in inline_constraints(table) {
        item(f, constraint)?;
    }
    if !first {
        f.write_str(close)?;
    }
    f.write_str(");")
}

/// The constraints `CREATE TABLE` declares inline: all but foreign keys, which are added once
/// every table exists (tables may reference each other in a cycle).
pub fn inline_constraints(table: &Table) -> impl Iterator<Item = &Constraint> {
    table
        .constraints
        .iter()
        .filter(|c| !matches!(c.kind, ConstraintKind::ForeignKey { .. }))
}

/// The foreign keys of `table`, which [`Schema::create_sql`] adds after all tables.
pub fn foreign_keys(table: &Table) -> impl Iterator<Item = &Constraint> {
    table
        .constraints
        .iter()
        .filter(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }))
}

fn write_create_function(f: &mut Formatter<'_>, func: &Function, pretty: bool) -> fmt::Result {
    let sep = if pretty { "\n    " } else { " " };
    write!(
        f,
        "CREATE OR REPLACE {} {}({})",
        func.keyword(),
        func.name,
        display_comma_separated(&func.args)
    )?;
    if let Some(returns) = &func.returns {
        write!(f, "{sep}{returns}")?;
    }
    write!(
        f,
        "{sep}LANGUAGE {}",
        Ident(&func.language.to_ascii_lowercase())
    )?;
    if !func.is_procedure {
        if func.volatility != Volatility::Volatile {
            write!(f, "{sep}{}", func.volatility.sql())?;
        }
        if func.strict {
            write!(f, "{sep}STRICT")?;
        }
    }
    if func.security_definer {
        write!(f, "{sep}SECURITY DEFINER")?;
    }
    for (name, value) in &func.config {
        write!(f, "{sep}{}", SetOption(name, value))?;
    }
    write!(f, "{sep}AS {};", dollar_quote(&func.body))
}

// ---------------------------------------------------------------------------------------------
// Whole-schema script
// ---------------------------------------------------------------------------------------------

/// The comment statements for everything in `table` that has a comment.
fn table_comments<'a>(table: &'a Table, out: &mut Vec<Statement<'a>>) {
    let name = &table.name;
    if let Some(text) = &table.comment {
        out.push(Statement::Comment {
            target: CommentTarget::Table(name),
            text: Some(text),
        });
    }
    for column in &table.columns {
        if let Some(text) = &column.comment {
            out.push(Statement::Comment {
                target: CommentTarget::Column(name, &column.name),
                text: Some(text),
            });
        }
    }
    for constraint in &table.constraints {
        if let Some(text) = &constraint.comment {
            out.push(Statement::Comment {
                target: CommentTarget::Constraint(name, &constraint.name),
                text: Some(text),
            });
        }
    }
    for index in &table.indexes {
        if let Some(text) = &index.comment {
            out.push(Statement::Comment {
                target: CommentTarget::Index(name, &index.name),
                text: Some(text),
            });
        }
    }
}

/// Lower-cased words and quoted identifiers that occur in an SQL text: what a view query may
/// name. Over-approximates on purpose (a word in a string literal counts): it only decides
/// ordering and which views to rebuild, where an extra name costs nothing.
pub fn mentioned_names(sql: &str) -> BTreeSet<String> {
    let dialect = PostgreSqlDialect {};
    let mut out = BTreeSet::new();
    match Tokenizer::new(&dialect, sql).tokenize() {
        Ok(tokens) => {
            for token in tokens {
                match token {
                    Token::Word(w) if w.quote_style.is_some() => {
                        out.insert(w.value);
                    }
                    Token::Word(w) => {
                        out.insert(w.value.to_lowercase());
                    }
                    Token::SingleQuotedString(s) => {
                        // `nextval('seq')`, `'public.t'::regclass`: names inside literals.
                        for part in s.split(['.', '"']) {
                            out.insert(part.to_lowercase());
                            out.insert(part.to_string());
                        }
                    }
                    _ => {}
                }
            }
        }
        Err(_) => {
            for word in sql.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')) {
                out.insert(word.to_lowercase());
                out.insert(word.to_string());
            }
        }
    }
    out
}

/// Indexes into `views` in an order that creates every view after the views its query names
/// (declaration order otherwise; a cycle, which PostgreSQL cannot create, keeps declaration
/// order).
pub fn view_order(views: &[&View]) -> Vec<usize> {
    let mentions: Vec<BTreeSet<String>> = views.iter().map(|v| mentioned_names(&v.query)).collect();
    let depends = |a: usize, b: usize| a != b && mentions[a].contains(&views[b].name.name);
    let mut done = vec![false; views.len()];
    let mut visiting = vec![false; views.len()];
    let mut order = Vec::with_capacity(views.len());
    fn visit(
        i: usize,
        n: usize,
        depends: &dyn Fn(usize, usize) -> bool,
        done: &mut [bool],
        visiting: &mut [bool],
        order: &mut Vec<usize>,
    ) {
        if done[i] || visiting[i] {
            return;
        }
        visiting[i] = true;
        for j in 0..n {
            if depends(i, j) {
                visit(j, n, depends, done, visiting, order);
            }
        }
        visiting[i] = false;
        done[i] = true;
        order.push(i);
    }
    for i in 0..views.len() {
        visit(
            i,
            views.len(),
            &depends,
            &mut done,
            &mut visiting,
            &mut order,
        );
    }
    order
}

impl Schema {
    /// The statements of [`Schema::create_sql`], in order.
    ///
    /// Order: `SET check_function_bodies = false` (when there are functions); schemas; extensions (they may install into
    /// a declared schema); enum types; sequences; functions and procedures (before tables,
    /// whose defaults, checks and generated columns may call them; their bodies are not checked
    /// against tables that do not exist yet); tables with columns and their primary key, unique
    /// and check constraints; sequence ownership; foreign keys (once every table exists);
    /// indexes; views (each after the views it names); triggers (after views: `INSTEAD OF`
    /// triggers fire on views); comments; `RESET check_function_bodies`.
    ///
    /// `check_function_bodies = false` is what pg_dump does too: a `LANGUAGE sql` body is
    /// otherwise parsed and checked against the tables at `CREATE FUNCTION` time, and tables
    /// come after functions (whose defaults and checks may call them).
    pub fn create_statements(&self) -> Vec<Statement<'_>> {
        let functions = !self.functions.is_empty();
        let mut out = Vec::new();
        if functions {
            out.push(Statement::UncheckedFunctionBodies);
        }
        for ns in &self.schemas {
            out.push(Statement::CreateSchema(&ns.name));
        }
        for ext in &self.extensions {
            out.push(Statement::CreateExtension(ext));
        }
        for e in &self.enums {
            out.push(Statement::CreateEnum(e));
        }
        for seq in &self.sequences {
            out.push(Statement::CreateSequence(seq));
        }
        for func in &self.functions {
            out.push(Statement::CreateFunction(func));
        }
        for table in &self.tables {
            out.push(Statement::CreateTable(table));
        }
        for seq in &self.sequences {
            if let Some(owner) = &seq.owned_by {
                out.push(Statement::AlterSequence {
                    name: &seq.name,
                    options: vec![SequenceOption::OwnedBy(Some(owner.clone()))],
                });
            }
        }
        for table in &self.tables {
            for fk in foreign_keys(table) {
                out.push(Statement::AddConstraint {
                    table: &table.name,
                    constraint: fk,
                    mode: AddMode::Plain,
                });
            }
        }
        for table in &self.tables {
            for index in &table.indexes {
                out.push(Statement::CreateIndex {
                    table: &table.name,
                    index,
                    concurrently: false,
                });
            }
        }
        let views: Vec<&View> = self.views.iter().collect();
        for i in view_order(&views) {
            out.push(Statement::CreateView(views[i]));
        }
        for trigger in &self.triggers {
            out.push(Statement::CreateTrigger(trigger));
        }
        self.comment_statements(&mut out);
        if functions {
            out.push(Statement::ResetFunctionBodies);
        }
        out
    }

    fn comment_statements<'a>(&'a self, out: &mut Vec<Statement<'a>>) {
        let mut comment = |target, text: &'a Option<String>| {
            if let Some(text) = text {
                out.push(Statement::Comment {
                    target,
                    text: Some(text),
                });
            }
        };
        for ns in &self.schemas {
            comment(CommentTarget::Schema(&ns.name), &ns.comment);
        }
        for ext in &self.extensions {
            comment(CommentTarget::Extension(&ext.name), &ext.comment);
        }
        for e in &self.enums {
            comment(CommentTarget::Type(&e.name), &e.comment);
        }
        for seq in &self.sequences {
            comment(CommentTarget::Sequence(&seq.name), &seq.comment);
        }
        for func in &self.functions {
            comment(CommentTarget::Function(func), &func.comment);
        }
        for view in &self.views {
            comment(CommentTarget::View(&view.name), &view.comment);
        }
        for trigger in &self.triggers {
            comment(
                CommentTarget::Trigger(&trigger.table, &trigger.name),
                &trigger.comment,
            );
        }
        for table in &self.tables {
            table_comments(table, out);
        }
    }

    /// The whole schema as one DDL script in dependency order (see
    /// [`Schema::create_statements`]), statements separated by blank lines.
    ///
    /// The script is idempotent: running it on a database where it already ran changes
    /// nothing (`IF NOT EXISTS`, `CREATE OR REPLACE`, and catalog-guarded `DO` blocks for
    /// constraints and enum types). It creates what is missing; it does not alter what
    /// exists — that is [`crate::diff()`]'s job. Needs PostgreSQL 14 or later.
    pub fn create_sql(&self) -> String {
        let mut out = String::new();
        for statement in self.create_statements() {
            let _ = writeln!(out, "{statement:#}\n");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }
}

/// Comment statements for a table and everything in it, for the diff (a created table's
/// comments follow it).
pub fn comments_of_table(table: &Table) -> Vec<Statement<'_>> {
    let mut out = Vec::new();
    table_comments(table, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_settings_split_into_literals() {
        assert_eq!(
            SetOption("search_path", "public, pg_temp").to_string(),
            "SET search_path TO 'public', 'pg_temp'"
        );
        assert_eq!(
            SetOption("search_path", "\"$user\", public").to_string(),
            "SET search_path TO '$user', 'public'"
        );
        assert_eq!(
            SetOption("search_path", "\"a, b\"").to_string(),
            "SET search_path TO 'a, b'"
        );
        assert_eq!(
            SetOption("work_mem", "64MB").to_string(),
            "SET work_mem TO '64MB'"
        );
    }

    #[test]
    fn defaults_get_parentheses_when_needed() {
        assert_eq!(DefaultExpr("now()").to_string(), "now()");
        assert_eq!(DefaultExpr("'member'").to_string(), "'member'");
        assert_eq!(DefaultExpr("-1").to_string(), "-1");
        assert_eq!(DefaultExpr("'{}'::text[]").to_string(), "'{}'::text[]");
        assert_eq!(DefaultExpr("1 IS NULL").to_string(), "(1 IS NULL)");
        assert_eq!(DefaultExpr("a AND b").to_string(), "(a AND b)");
    }

    #[test]
    fn fragments_with_line_comments_end_the_line() {
        assert_eq!(Fragment(" now() -- c ").to_string(), "now() -- c\n");
    }

    #[test]
    fn views_follow_the_views_they_name() {
        let v = |name: &str, query: &str| View {
            name: QualifiedName::public(name),
            columns: vec![],
            query: query.into(),
            comment: None,
        };
        let a = v("a", "SELECT * FROM b JOIN c ON true");
        let b = v("b", "SELECT * FROM c");
        let c = v("c", "SELECT 1");
        let order = view_order(&[&a, &b, &c]);
        assert_eq!(order, [2, 1, 0]);
    }
}
