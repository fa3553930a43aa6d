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
//! | unique (a, b) | `<table>_a_b_key` |
//! | foreign key (a, b) | `<table>_a_b_fkey` |
//! | check | `<table>_<col>_check` if the expression references exactly one of the table's columns, else `<table>_check` |
//! | index on (a, lower(b)) | `<table>_a_lower_idx` (an expression key is named as [`crate::expr::index_column_name`] names it; `expr` when it does not parse) |
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
//! (wherever it is declared); derived names are assigned in declaration order — tables in
//! order, and within a table its elements in order, a column's constraints at the column's
//! position, in the order they were written — each counting as taken for those after it.
//!
//! Other derived facts: a column in a primary key, an identity column and a serial column are
//! `NOT NULL`; a foreign key declared without referenced columns references the target
//! table's primary key columns, when the target is in the schema and has one.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::naming;
use crate::types::DataType;

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

    /// The schema, with every unnamed constraint and index named as the
    /// [module docs](crate::builder) describe.
    pub fn build(self) -> Schema {
        let SchemaBuilder { mut schema, tables } = self;
        let mut names = Names::collect(&schema, &tables);
        let mut pending_refs = Vec::new();
        for def in tables {
            let table = def.finish(&mut names, schema.tables.len(), &mut pending_refs);
            schema.tables.push(table);
        }
        // References without columns: the target's primary key.
        for (t, c) in pending_refs {
            let target = match &schema.tables[t].constraints[c].kind {
                ConstraintKind::ForeignKey { ref_table, .. } => ref_table.clone(),
                _ => continue,
            };
            let pk: Option<Vec<String>> = schema
                .table(&target)
                .and_then(|t| t.primary_key().map(|pk| pk.kind.columns().to_vec()));
            if let (Some(pk), ConstraintKind::ForeignKey { ref_columns, .. }) =
                (pk, &mut schema.tables[t].constraints[c].kind)
            {
                *ref_columns = pk;
            }
        }
        schema
    }
}

/// The names taken in each schema, for [`naming::choose_name`].
struct Names {
    relations: BTreeMap<String, BTreeSet<String>>,
    constraints: BTreeMap<String, BTreeSet<String>>,
}

impl Names {
    fn collect(schema: &Schema, tables: &[TableDef]) -> Names {
        let mut names = Names {
            relations: BTreeMap::new(),
            constraints: BTreeMap::new(),
        };
        for view in &schema.views {
            names.relation(&view.name.schema, &view.name.name);
        }
        for seq in &schema.sequences {
            names.relation(&seq.name.schema, &seq.name.name);
        }
        for def in tables {
            let ns = &def.table.name.schema;
            names.relation(ns, &def.table.name.name);
            for column in &def.table.columns {
                if column.identity.is_some() || column.data_type.serial_base().is_some() {
                    let seq = naming::make_object_name(
                        &def.table.name.name,
                        Some(&column.name),
                        Some("seq"),
                    );
                    names.relation(ns, &seq);
                }
            }
            for element in &def.elements {
                match element {
                    Element::Constraint(c) => {
                        if let Some(name) = &c.name {
                            names.constraint(ns, name);
                            if c.is_index_backed() {
                                names.relation(ns, name);
                            }
                        }
                    }
                    Element::Index(i) => {
                        if let Some(name) = &i.name {
                            names.relation(ns, name);
                        }
                    }
                }
            }
        }
        names
    }

    fn relation(&mut self, schema: &str, name: &str) {
        self.relations
            .entry(schema.to_string())
            .or_default()
            .insert(name.to_string());
    }

    fn constraint(&mut self, schema: &str, name: &str) {
        self.constraints
            .entry(schema.to_string())
            .or_default()
            .insert(name.to_string());
    }

    fn is_relation(&self, schema: &str, name: &str) -> bool {
        self.relations.get(schema).is_some_and(|s| s.contains(name))
    }

    fn is_constraint(&self, schema: &str, name: &str) -> bool {
        self.constraints
            .get(schema)
            .is_some_and(|s| s.contains(name))
    }
}

/// A table under construction: its columns, and its constraints and indexes in declaration
/// order with names still to derive.
#[derive(Debug, Clone)]
pub struct TableDef {
    table: Table,
    elements: Vec<Element>,
}

#[derive(Debug, Clone)]
enum Element {
    /// A table constraint, or a column constraint with its column filled in.
    Constraint(ConstraintDef),
    Index(IndexDef),
}

impl TableDef {
    /// A table named `name` (`"users"` is `public.users`, `"audit.events"` is `audit.events`;
    /// use [`QualifiedName::new`] for names that contain a dot).
    pub fn new(name: impl Into<QualifiedName>) -> Self {
        TableDef {
            table: Table {
                name: name.into(),
                columns: Vec::new(),
                constraints: Vec::new(),
                indexes: Vec::new(),
                comment: None,
                renamed_from: None,
            },
            elements: Vec::new(),
        }
    }

    /// Adds a column (with its column constraints).
    pub fn column(mut self, column: ColumnDef) -> Self {
        let ColumnDef {
            column,
            constraints,
            pending_name: _,
        } = column;
        for mut c in constraints {
            c.set_column(&column.name);
            self.elements.push(Element::Constraint(c));
        }
        self.table.columns.push(column);
        self
    }

    /// `PRIMARY KEY (columns)`.
    pub fn primary_key<C: Into<String>>(self, columns: impl IntoIterator<Item = C>) -> Self {
        self.constraint(ConstraintDef::primary_key(columns))
    }

    /// `UNIQUE (columns)`.
    pub fn unique<C: Into<String>>(self, columns: impl IntoIterator<Item = C>) -> Self {
        self.constraint(ConstraintDef::unique(columns))
    }

    /// `CHECK (expr)`, `expr` as SQL text.
    pub fn check(self, expr: impl Into<String>) -> Self {
        self.constraint(ConstraintDef::check(expr))
    }

    /// `FOREIGN KEY (columns) REFERENCES ...`.
    pub fn foreign_key<C: Into<String>>(
        self,
        columns: impl IntoIterator<Item = C>,
        references: impl Into<References>,
    ) -> Self {
        self.constraint(ConstraintDef::foreign_key(columns, references))
    }

    /// A table constraint given in full (name, `INCLUDE`, deferrability, comment).
    pub fn constraint(mut self, constraint: ConstraintDef) -> Self {
        self.elements.push(Element::Constraint(constraint));
        self
    }

    /// An index.
    pub fn index(mut self, index: IndexDef) -> Self {
        self.elements.push(Element::Index(index));
        self
    }

    /// `COMMENT ON TABLE`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.table.comment = Some(text.into());
        self
    }

    /// The table used to be called `old` (same schema): the diff renames it.
    pub fn renamed_from(mut self, old: impl Into<String>) -> Self {
        self.table.renamed_from = Some(old.into());
        self
    }

    fn finish(
        self,
        names: &mut Names,
        table_index: usize,
        pending_refs: &mut Vec<(usize, usize)>,
    ) -> Table {
        let TableDef {
            mut table,
            elements,
        } = self;
        let ns = table.name.schema.clone();
        let tname = table.name.name.clone();
        for element in elements {
            match element {
                Element::Constraint(def) => {
                    let name = match def.name.clone() {
                        Some(name) => name,
                        None => def.derive_name(&table, names),
                    };
                    names.constraint(&ns, &name);
                    if def.is_index_backed() {
                        names.relation(&ns, &name);
                    }
                    if let ConstraintKind::PrimaryKey { columns, .. } = &def.kind {
                        for column in &mut table.columns {
                            if columns.contains(&column.name) {
                                column.not_null = true;
                            }
                        }
                    }
                    if matches!(
                        &def.kind,
                        ConstraintKind::ForeignKey { ref_columns, .. } if ref_columns.is_empty()
                    ) {
                        pending_refs.push((table_index, table.constraints.len()));
                    }
                    table.constraints.push(Constraint {
                        name,
                        kind: def.kind,
                        deferrable: def.deferrable || def.initially_deferred,
                        initially_deferred: def.initially_deferred,
                        comment: def.comment,
                    });
                }
                Element::Index(def) => {
                    let name = match def.name {
                        Some(name) => name,
                        None => {
                            let element_names: Vec<String> =
                                def.index.elements.iter().map(element_name).collect();
                            naming::index_name(
                                &tname,
                                element_names.iter().map(String::as_str),
                                |n| names.is_relation(&ns, n),
                            )
                        }
                    };
                    names.relation(&ns, &name);
                    table.indexes.push(Index { name, ..def.index });
                }
            }
        }
        table
    }
}

/// The name PostgreSQL gives an index key element when it names the index.
fn element_name(element: &IndexElement) -> String {
    match &element.target {
        IndexTarget::Column(name) => name.clone(),
        IndexTarget::Expression(sql) => crate::expr::parse_expr(sql)
            .map(|e| crate::expr::index_column_name(&e))
            .unwrap_or_else(|_| "expr".to_string()),
    }
}

/// A column under construction, with its column constraints.
#[derive(Debug, Clone)]
pub struct ColumnDef {
    column: Column,
    constraints: Vec<ConstraintDef>,
    pending_name: Option<String>,
}

impl ColumnDef {
    /// A nullable column of type `data_type` without default. A serial type makes it
    /// `NOT NULL`, as PostgreSQL does.
    pub fn new(name: impl Into<String>, data_type: DataType) -> Self {
        let not_null = data_type.serial_base().is_some();
        ColumnDef {
            column: Column {
                name: name.into(),
                data_type,
                not_null,
                default: None,
                identity: None,
                generated: None,
                collation: None,
                comment: None,
                renamed_from: None,
            },
            constraints: Vec::new(),
            pending_name: None,
        }
    }

    /// `NOT NULL`.
    pub fn not_null(mut self) -> Self {
        self.column.not_null = true;
        self
    }

    /// `NULL` (the default; for symmetry with the `schema!` grammar).
    pub fn null(mut self) -> Self {
        self.column.not_null = false;
        self
    }

    /// `DEFAULT expr`, `expr` as SQL text: `"now()"`, `"'member'"`, `"0"`.
    pub fn default_sql(mut self, expr: impl Into<String>) -> Self {
        self.column.default = Some(expr.into());
        self
    }

    /// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY`; makes the column `NOT NULL`.
    pub fn identity(mut self, identity: Identity) -> Self {
        self.column.identity = Some(identity);
        self.column.not_null = true;
        self
    }

    /// `GENERATED ALWAYS AS (expr) STORED`.
    pub fn generated_stored(mut self, expr: impl Into<String>) -> Self {
        self.column.generated = Some(expr.into());
        self
    }

    /// `COLLATE "name"`.
    pub fn collate(mut self, collation: impl Into<String>) -> Self {
        self.column.collation = Some(collation.into());
        self
    }

    /// `COMMENT ON COLUMN`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.column.comment = Some(text.into());
        self
    }

    /// The column used to be called `old`: the diff renames it.
    pub fn renamed_from(mut self, old: impl Into<String>) -> Self {
        self.column.renamed_from = Some(old.into());
        self
    }

    /// `CONSTRAINT name`: names the column constraint added next (`primary_key`, `unique`,
    /// `check`, `references`), as in SQL. Without one following, it has no effect.
    pub fn constraint(mut self, name: impl Into<String>) -> Self {
        self.pending_name = Some(name.into());
        self
    }

    fn push(mut self, mut def: ConstraintDef) -> Self {
        if let Some(name) = self.pending_name.take() {
            def.name = Some(name);
        }
        self.constraints.push(def);
        self
    }

    /// `PRIMARY KEY`: the constraint `<table>_pkey` on this column; makes it `NOT NULL`.
    pub fn primary_key(mut self) -> Self {
        self.column.not_null = true;
        self.push(ConstraintDef::primary_key(Vec::<String>::new()))
    }

    /// `UNIQUE`: the constraint `<table>_<column>_key`.
    pub fn unique(self) -> Self {
        self.push(ConstraintDef::unique(Vec::<String>::new()))
    }

    /// `UNIQUE NULLS NOT DISTINCT` (PostgreSQL 15+).
    pub fn unique_nulls_not_distinct(self) -> Self {
        self.push(ConstraintDef::unique(Vec::<String>::new()).nulls_not_distinct())
    }

    /// `CHECK (expr)`: named `<table>_<column>_check` when `expr` references only one of the
    /// table's columns, else `<table>_check`.
    pub fn check(self, expr: impl Into<String>) -> Self {
        self.push(ConstraintDef::check(expr))
    }

    /// `REFERENCES table [(column)] ...`: the foreign key `<table>_<column>_fkey`.
    pub fn references(self, references: impl Into<References>) -> Self {
        self.push(ConstraintDef::foreign_key(Vec::<String>::new(), references))
    }

    /// `DEFERRABLE`, for the column constraint added just before (unique or foreign key).
    ///
    /// # Panics
    /// If no constraint precedes, or it is a check (PostgreSQL rejects both).
    pub fn deferrable(mut self) -> Self {
        self.last_deferrable("DEFERRABLE").deferrable = true;
        self
    }

    /// `DEFERRABLE INITIALLY DEFERRED`, for the column constraint added just before.
    ///
    /// # Panics
    /// As [`ColumnDef::deferrable`].
    pub fn initially_deferred(mut self) -> Self {
        let c = self.last_deferrable("INITIALLY DEFERRED");
        c.deferrable = true;
        c.initially_deferred = true;
        self
    }

    fn last_deferrable(&mut self, what: &str) -> &mut ConstraintDef {
        let column = self.column.name.clone();
        match self.constraints.last_mut() {
            Some(c) if !matches!(c.kind, ConstraintKind::Check { .. }) => c,
            _ => panic!(
                "column `{column}`: {what} must follow a primary key, unique or references \
                 constraint"
            ),
        }
    }
}

/// The target of a foreign key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct References {
    table: QualifiedName,
    columns: Vec<String>,
    on_delete: FkAction,
    on_update: FkAction,
}

impl References {
    /// `REFERENCES table`: its primary key, unless [`References::columns`] says otherwise.
    pub fn table(table: impl Into<QualifiedName>) -> Self {
        References {
            table: table.into(),
            columns: Vec::new(),
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
        }
    }

    /// `(columns)`: the referenced columns.
    pub fn columns<C: Into<String>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.columns = columns.into_iter().map(Into::into).collect();
        self
    }

    /// `(column)`: one referenced column.
    pub fn column(self, column: impl Into<String>) -> Self {
        self.columns([column])
    }

    /// `ON DELETE action`.
    pub fn on_delete(mut self, action: FkAction) -> Self {
        self.on_delete = action;
        self
    }

    /// `ON UPDATE action`.
    pub fn on_update(mut self, action: FkAction) -> Self {
        self.on_update = action;
        self
    }
}

impl From<&str> for References {
    /// `"orgs"` references `public.orgs`'s primary key.
    fn from(table: &str) -> Self {
        References::table(table)
    }
}

impl From<QualifiedName> for References {
    fn from(table: QualifiedName) -> Self {
        References::table(table)
    }
}

/// A table constraint under construction: unnamed unless [`ConstraintDef::named`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintDef {
    name: Option<String>,
    kind: ConstraintKind,
    deferrable: bool,
    initially_deferred: bool,
    comment: Option<String>,
}

fn strings<C: Into<String>>(items: impl IntoIterator<Item = C>) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

impl ConstraintDef {
    fn new(kind: ConstraintKind) -> Self {
        ConstraintDef {
            name: None,
            kind,
            deferrable: false,
            initially_deferred: false,
            comment: None,
        }
    }

    /// `PRIMARY KEY (columns)`; named `<table>_pkey`.
    pub fn primary_key<C: Into<String>>(columns: impl IntoIterator<Item = C>) -> Self {
        Self::new(ConstraintKind::PrimaryKey {
            columns: strings(columns),
            include: Vec::new(),
        })
    }

    /// `UNIQUE (columns)`; named `<table>_<columns>_key`.
    pub fn unique<C: Into<String>>(columns: impl IntoIterator<Item = C>) -> Self {
        Self::new(ConstraintKind::Unique {
            columns: strings(columns),
            include: Vec::new(),
            nulls_not_distinct: false,
        })
    }

    /// `CHECK (expr)`; named `<table>_<column>_check` or `<table>_check`.
    pub fn check(expr: impl Into<String>) -> Self {
        Self::new(ConstraintKind::Check { expr: expr.into() })
    }

    /// `FOREIGN KEY (columns) REFERENCES ...`; named `<table>_<columns>_fkey`.
    pub fn foreign_key<C: Into<String>>(
        columns: impl IntoIterator<Item = C>,
        references: impl Into<References>,
    ) -> Self {
        let r = references.into();
        Self::new(ConstraintKind::ForeignKey {
            columns: strings(columns),
            ref_table: r.table,
            ref_columns: r.columns,
            on_delete: r.on_delete,
            on_update: r.on_update,
        })
    }

    /// `CONSTRAINT name`.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `INCLUDE (columns)` (primary key and unique).
    pub fn include<C: Into<String>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        match &mut self.kind {
            ConstraintKind::PrimaryKey { include, .. } | ConstraintKind::Unique { include, .. } => {
                *include = strings(columns);
            }
            _ => panic!("INCLUDE is only for primary key and unique constraints"),
        }
        self
    }

    /// `NULLS NOT DISTINCT` (unique; PostgreSQL 15+).
    pub fn nulls_not_distinct(mut self) -> Self {
        match &mut self.kind {
            ConstraintKind::Unique {
                nulls_not_distinct, ..
            } => *nulls_not_distinct = true,
            _ => panic!("NULLS NOT DISTINCT is only for unique constraints"),
        }
        self
    }

    /// `DEFERRABLE`.
    pub fn deferrable(mut self) -> Self {
        self.deferrable = true;
        self
    }

    /// `DEFERRABLE INITIALLY DEFERRED`.
    pub fn initially_deferred(mut self) -> Self {
        self.deferrable = true;
        self.initially_deferred = true;
        self
    }

    /// `COMMENT ON CONSTRAINT`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }

    fn is_index_backed(&self) -> bool {
        matches!(
            self.kind,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
        )
    }

    /// Makes a column constraint the table constraint on `column`.
    fn set_column(&mut self, column: &str) {
        match &mut self.kind {
            ConstraintKind::PrimaryKey { columns, .. }
            | ConstraintKind::Unique { columns, .. }
            | ConstraintKind::ForeignKey { columns, .. } => *columns = vec![column.to_string()],
            ConstraintKind::Check { .. } => {}
        }
    }

    fn derive_name(&self, table: &Table, names: &Names) -> String {
        let ns = &table.name.schema;
        let tname = &table.name.name;
        match &self.kind {
            ConstraintKind::PrimaryKey { .. } => naming::primary_key_name(tname, |n| {
                names.is_relation(ns, n) || names.is_constraint(ns, n)
            }),
            ConstraintKind::Unique { columns, .. } => {
                naming::unique_name(tname, columns.iter().map(String::as_str), |n| {
                    names.is_relation(ns, n) || names.is_constraint(ns, n)
                })
            }
            ConstraintKind::ForeignKey { columns, .. } => {
                naming::foreign_key_name(tname, columns.iter().map(String::as_str), |n| {
                    names.is_constraint(ns, n)
                })
            }
            ConstraintKind::Check { expr } => {
                let single = check_column(table, expr);
                naming::check_name(tname, single.as_deref(), |n| names.is_constraint(ns, n))
            }
        }
    }
}

/// The one table column a check expression references, if exactly one.
fn check_column(table: &Table, expr: &str) -> Option<String> {
    let parsed = crate::expr::parse_expr(expr).ok()?;
    let referenced: Vec<String> = crate::expr::referenced_columns(&parsed)
        .into_iter()
        .filter(|c| table.column(c).is_some())
        .collect();
    match referenced.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// An index under construction: unnamed unless [`IndexDef::named`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDef {
    name: Option<String>,
    index: Index,
}

impl Default for IndexDef {
    fn default() -> Self {
        Self::new()
    }
}

impl IndexDef {
    /// A btree index with no key elements yet.
    pub fn new() -> Self {
        IndexDef {
            name: None,
            index: Index {
                name: String::new(),
                unique: false,
                method: IndexMethod::Btree,
                elements: Vec::new(),
                include: Vec::new(),
                predicate: None,
                nulls_not_distinct: false,
                comment: None,
            },
        }
    }

    /// An index on these columns.
    pub fn on_columns<C: Into<String>>(columns: impl IntoIterator<Item = C>) -> Self {
        columns
            .into_iter()
            .fold(Self::new(), |def, column| def.column(column))
    }

    /// `CREATE INDEX name`.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `UNIQUE`.
    pub fn unique(mut self) -> Self {
        self.index.unique = true;
        self
    }

    /// `USING method`: [`IndexMethod::Gin`], or a name (`"hnsw"`).
    pub fn using(mut self, method: impl Into<IndexMethod>) -> Self {
        self.index.method = method.into();
        self
    }

    /// A key column.
    pub fn column(self, name: impl Into<String>) -> Self {
        self.element(IndexElement::column(name))
    }

    /// A key expression, as SQL text (`"lower(email)"`).
    pub fn expression(self, sql: impl Into<String>) -> Self {
        self.element(IndexElement::expression(sql))
    }

    /// A key element with options (collation, operator class, order).
    pub fn element(mut self, element: IndexElement) -> Self {
        self.index.elements.push(element);
        self
    }

    /// `INCLUDE (columns)`.
    pub fn include<C: Into<String>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.index.include = strings(columns);
        self
    }

    /// `NULLS NOT DISTINCT` (unique indexes; PostgreSQL 15+).
    pub fn nulls_not_distinct(mut self) -> Self {
        self.index.nulls_not_distinct = true;
        self
    }

    /// `WHERE predicate`, as SQL text: a partial index.
    pub fn where_sql(mut self, predicate: impl Into<String>) -> Self {
        self.index.predicate = Some(predicate.into());
        self
    }

    /// `COMMENT ON INDEX`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.index.comment = Some(text.into());
        self
    }
}

impl From<&str> for IndexMethod {
    fn from(name: &str) -> Self {
        IndexMethod::from_name(name)
    }
}

impl IndexElement {
    /// A key column.
    pub fn column(name: impl Into<String>) -> Self {
        Self::of(IndexTarget::Column(name.into()))
    }

    /// A key expression, as SQL text.
    pub fn expression(sql: impl Into<String>) -> Self {
        Self::of(IndexTarget::Expression(sql.into()))
    }

    fn of(target: IndexTarget) -> Self {
        IndexElement {
            target,
            collation: None,
            opclass: None,
            descending: false,
            nulls_first: None,
        }
    }

    /// `COLLATE name`.
    pub fn collate(mut self, collation: impl Into<String>) -> Self {
        self.collation = Some(collation.into());
        self
    }

    /// An operator class, e.g. `text_pattern_ops`.
    pub fn opclass(mut self, opclass: impl Into<String>) -> Self {
        self.opclass = Some(opclass.into());
        self
    }

    /// `DESC`.
    pub fn desc(mut self) -> Self {
        self.descending = true;
        self
    }

    /// `NULLS FIRST`.
    pub fn nulls_first(mut self) -> Self {
        self.nulls_first = Some(true);
        self
    }

    /// `NULLS LAST`.
    pub fn nulls_last(mut self) -> Self {
        self.nulls_first = Some(false);
        self
    }
}

impl Extension {
    /// `CREATE EXTENSION name`, in the schema the server chooses.
    pub fn new(name: impl Into<String>) -> Self {
        Extension {
            name: name.into(),
            schema: None,
            comment: None,
        }
    }

    /// `WITH SCHEMA schema`.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// `COMMENT ON EXTENSION`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

impl From<&str> for Extension {
    fn from(name: &str) -> Self {
        Extension::new(name)
    }
}

impl Namespace {
    /// `CREATE SCHEMA name`.
    pub fn new(name: impl Into<String>) -> Self {
        Namespace {
            name: name.into(),
            comment: None,
        }
    }

    /// `COMMENT ON SCHEMA`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

impl From<&str> for Namespace {
    fn from(name: &str) -> Self {
        Namespace::new(name)
    }
}

impl EnumType {
    /// An enum type with its labels in order.
    pub fn new<L: Into<String>>(
        name: impl Into<QualifiedName>,
        labels: impl IntoIterator<Item = L>,
    ) -> Self {
        EnumType {
            name: name.into(),
            values: strings(labels),
            comment: None,
        }
    }

    /// `COMMENT ON TYPE`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

impl Sequence {
    /// A sequence with every option at PostgreSQL's default.
    pub fn new(name: impl Into<QualifiedName>) -> Self {
        Sequence {
            name: name.into(),
            data_type: None,
            increment: None,
            min_value: None,
            max_value: None,
            start: None,
            cache: None,
            cycle: false,
            owned_by: None,
            comment: None,
        }
    }

    /// `AS type` (`smallint`, `integer` or `bigint`).
    pub fn data_type(mut self, data_type: DataType) -> Self {
        self.data_type = Some(data_type);
        self
    }

    /// `INCREMENT BY n`.
    pub fn increment(mut self, n: i64) -> Self {
        self.increment = Some(n);
        self
    }

    /// `MINVALUE n`.
    pub fn min_value(mut self, n: i64) -> Self {
        self.min_value = Some(n);
        self
    }

    /// `MAXVALUE n`.
    pub fn max_value(mut self, n: i64) -> Self {
        self.max_value = Some(n);
        self
    }

    /// `START WITH n`.
    pub fn start(mut self, n: i64) -> Self {
        self.start = Some(n);
        self
    }

    /// `CACHE n`.
    pub fn cache(mut self, n: i64) -> Self {
        self.cache = Some(n);
        self
    }

    /// `CYCLE`.
    pub fn cycle(mut self) -> Self {
        self.cycle = true;
        self
    }

    /// `OWNED BY table.column`.
    pub fn owned_by(mut self, table: impl Into<QualifiedName>, column: impl Into<String>) -> Self {
        self.owned_by = Some((table.into(), column.into()));
        self
    }

    /// `COMMENT ON SEQUENCE`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

impl Function {
    /// A function: `LANGUAGE sql`, `VOLATILE`, no arguments, no return type, empty body.
    pub fn new(name: impl Into<QualifiedName>) -> Self {
        Function {
            name: name.into(),
            is_procedure: false,
            args: Vec::new(),
            returns: None,
            language: "sql".to_string(),
            body: String::new(),
            volatility: Volatility::Volatile,
            strict: false,
            security_definer: false,
            config: Vec::new(),
            comment: None,
        }
    }

    /// A procedure (`CREATE PROCEDURE`), otherwise as [`Function::new`].
    pub fn procedure(name: impl Into<QualifiedName>) -> Self {
        Function {
            is_procedure: true,
            ..Function::new(name)
        }
    }

    /// Adds an argument.
    pub fn arg(mut self, arg: FunctionArg) -> Self {
        self.args.push(arg);
        self
    }

    /// `RETURNS type`.
    pub fn returns(mut self, data_type: DataType) -> Self {
        self.returns = Some(Returns::Type(data_type));
        self
    }

    /// `RETURNS SETOF type`.
    pub fn returns_setof(mut self, data_type: DataType) -> Self {
        self.returns = Some(Returns::SetOf(data_type));
        self
    }

    /// `RETURNS TABLE (name type, ...)`.
    pub fn returns_table<N: Into<String>>(
        mut self,
        columns: impl IntoIterator<Item = (N, DataType)>,
    ) -> Self {
        self.returns = Some(Returns::Table(
            columns.into_iter().map(|(n, t)| (n.into(), t)).collect(),
        ));
        self
    }

    /// `LANGUAGE name` (`sql`, `plpgsql`, ...).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = language.into();
        self
    }

    /// The body (embedded with a dollar quote; write it as is).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    /// `IMMUTABLE`.
    pub fn immutable(mut self) -> Self {
        self.volatility = Volatility::Immutable;
        self
    }

    /// `STABLE`.
    pub fn stable(mut self) -> Self {
        self.volatility = Volatility::Stable;
        self
    }

    /// `STRICT`.
    pub fn strict(mut self) -> Self {
        self.strict = true;
        self
    }

    /// `SECURITY DEFINER`.
    pub fn security_definer(mut self) -> Self {
        self.security_definer = true;
        self
    }

    /// `SET name = value`; for list settings such as `search_path`, `value` is the list as
    /// PostgreSQL prints it: `"public, pg_temp"`.
    pub fn set(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.push((name.into(), value.into()));
        self
    }

    /// `COMMENT ON FUNCTION`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

impl FunctionArg {
    /// An `IN` argument called `name`.
    pub fn new(name: impl Into<String>, data_type: DataType) -> Self {
        FunctionArg {
            mode: ArgMode::In,
            name: Some(name.into()),
            data_type,
            default: None,
        }
    }

    /// An unnamed `IN` argument.
    pub fn unnamed(data_type: DataType) -> Self {
        FunctionArg {
            mode: ArgMode::In,
            name: None,
            data_type,
            default: None,
        }
    }

    /// The argument's mode.
    pub fn mode(mut self, mode: ArgMode) -> Self {
        self.mode = mode;
        self
    }

    /// `DEFAULT expr`, as SQL text.
    pub fn default_sql(mut self, expr: impl Into<String>) -> Self {
        self.default = Some(expr.into());
        self
    }
}

impl View {
    /// `CREATE VIEW name AS query`.
    pub fn new(name: impl Into<QualifiedName>, query: impl Into<String>) -> Self {
        View {
            name: name.into(),
            columns: Vec::new(),
            query: query.into(),
            comment: None,
        }
    }

    /// Output column names: `CREATE VIEW name (columns) AS ...`.
    pub fn columns<C: Into<String>>(mut self, columns: impl IntoIterator<Item = C>) -> Self {
        self.columns = strings(columns);
        self
    }

    /// `COMMENT ON VIEW`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

impl Trigger {
    /// A trigger on `table` that executes `function`: `AFTER`, `FOR EACH STATEMENT` (the
    /// SQL default), no events yet.
    pub fn new(
        name: impl Into<String>,
        table: impl Into<QualifiedName>,
        function: impl Into<QualifiedName>,
    ) -> Self {
        Trigger {
            name: name.into(),
            table: table.into(),
            timing: TriggerTiming::After,
            events: Vec::new(),
            for_each_row: false,
            when: None,
            function: function.into(),
            args: Vec::new(),
            comment: None,
        }
    }

    /// `BEFORE`.
    pub fn before(mut self) -> Self {
        self.timing = TriggerTiming::Before;
        self
    }

    /// `AFTER`.
    pub fn after(mut self) -> Self {
        self.timing = TriggerTiming::After;
        self
    }

    /// `INSTEAD OF` (on views).
    pub fn instead_of(mut self) -> Self {
        self.timing = TriggerTiming::InsteadOf;
        self
    }

    /// Adds an event (`INSERT`, `UPDATE [OF ...]`, `DELETE`, `TRUNCATE`).
    pub fn on(mut self, event: TriggerEvent) -> Self {
        self.events.push(event);
        self
    }

    /// `FOR EACH ROW`.
    pub fn for_each_row(mut self) -> Self {
        self.for_each_row = true;
        self
    }

    /// `FOR EACH STATEMENT`.
    pub fn for_each_statement(mut self) -> Self {
        self.for_each_row = false;
        self
    }

    /// `WHEN (condition)`, as SQL text.
    pub fn when_sql(mut self, condition: impl Into<String>) -> Self {
        self.when = Some(condition.into());
        self
    }

    /// Literal arguments for the function (values, not SQL: `users`, not `'users'`).
    pub fn args<A: Into<String>>(mut self, args: impl IntoIterator<Item = A>) -> Self {
        self.args = strings(args);
        self
    }

    /// `COMMENT ON TRIGGER`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
