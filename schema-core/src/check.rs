//! Checks shared by the macro (as spanned compile errors) and the runtime (as errors): the rules
//! a [`Schema`] must satisfy before PostgreSQL will accept it and a diff of it can mean anything.
//!
//! Each rule is one `fn check_*`. A [`Diagnostic`] points at a [`Location`] by index into the
//! schema's vectors, never by span or text: the macro keeps a table of spans parallel to the
//! model and puts the caret on the exact token, the runtime names the object with
//! [`Location::describe`]. Syntax the model cannot even represent (a bad type modifier,
//! `not null null`) is the macro parser's business, not this module's.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use sqlparser::ast::Expr;

use crate::expr::{self, ExprError};
use crate::ident::{self, MAX_IDENTIFIER_BYTES};
use crate::model::{
    ArgMode, ConstraintKind, Function, IndexTarget, QualifiedName, Returns, Schema, Table,
    TriggerEvent, TriggerTiming, DEFAULT_SCHEMA,
};
use crate::suggest;
use crate::types::{self, DataType};

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
        /// Index into [`Table::columns`].
        column: usize,
        /// Which part of it.
        part: ColumnPart,
    },
    /// `schema.tables[table].constraints[constraint]`.
    Constraint {
        /// Index into [`Schema::tables`].
        table: usize,
        /// Index into [`Table::constraints`].
        constraint: usize,
        /// Which part of it.
        part: ConstraintPart,
    },
    /// `schema.tables[table].indexes[index]`.
    Index {
        /// Index into [`Schema::tables`].
        table: usize,
        /// Index into [`Table::indexes`].
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

/// A part of a [`Table`] itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TablePart {
    /// Its (qualified) name.
    Name,
    /// Its `renamed_from`.
    RenamedFrom,
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

/// A part of a [`Function`].
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
}

/// One problem found by [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable kebab-case code, e.g. `fk-target-missing`.
    pub code: &'static str,
    /// What is wrong, and what PostgreSQL would do about it.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// What it points at.
    pub location: Location,
    /// The name inside an SQL fragment the diagnostic is about (a missing column inside an
    /// index expression), so a caller holding the fragment's tokens can point at that name.
    pub subject: Option<String>,
}

impl Diagnostic {
    fn new(code: &'static str, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            help: None,
            location,
            subject: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    fn subject(mut self, subject: impl Into<String>) -> Diagnostic {
        self.subject = Some(subject.into());
        self
    }

    /// The diagnostic as a multi-line text naming the object it is about, for run-time errors.
    pub fn render(&self, schema: &Schema) -> String {
        let mut out = format!(
            "error[{}]: {}\n  --> {}",
            self.code,
            self.message,
            self.location.describe(schema)
        );
        if let Some(help) = &self.help {
            out.push_str("\n  = help: ");
            out.push_str(help);
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.code, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
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
                .map(|f| format!("{} `{}`", f.kind(), signature(f))),
            Location::View { view, .. } => schema
                .views
                .get(*view)
                .map(|v| format!("view `{}`", qualified(&v.name))),
            Location::Trigger { trigger, .. } => schema
                .triggers
                .get(*trigger)
                .map(|t| format!("trigger `{}` on `{}`", t.name, qualified(&t.table))),
        };
        described.unwrap_or_else(|| "the schema".to_string())
    }
}

/// Every problem in `schema`, rule by rule, each rule in declaration order.
pub fn check(schema: &Schema) -> Vec<Diagnostic> {
    let cx = Lookup::new(schema);
    let mut out = Vec::new();
    let rules: &[fn(&Lookup<'_>, &mut Vec<Diagnostic>)] = &[
        check_names_valid,
        check_name_lengths,
        check_duplicate_schemas,
        check_duplicate_extensions,
        check_duplicate_types,
        check_duplicate_enum_labels,
        check_duplicate_relations,
        check_duplicate_columns,
        check_duplicate_constraints,
        check_duplicate_functions,
        check_duplicate_triggers,
        check_schemas_declared,
        check_types_exist,
        check_extension_types,
        check_pseudo_type_columns,
        check_sequence_types,
        check_sequence_owners,
        check_primary_keys,
        check_constraint_columns,
        check_index_columns,
        check_nulls_not_distinct,
        check_foreign_keys,
        check_identity,
        check_value_sources,
        check_expressions_parse,
        check_expression_columns,
        check_generated_columns,
        check_defaults,
        check_enum_defaults,
        check_function_bodies,
        check_triggers,
        check_views,
    ];
    for rule in rules {
        rule(&cx, &mut out);
    }
    out
}

/// Lookups every rule needs, built once: names to indexes, and each SQL fragment parsed once.
struct Lookup<'a> {
    schema: &'a Schema,
    tables: HashMap<&'a QualifiedName, usize>,
    views: HashMap<&'a QualifiedName, usize>,
    enums: HashMap<&'a QualifiedName, usize>,
    namespaces: HashSet<&'a str>,
    extensions: HashSet<&'a str>,
    exprs: Vec<TableExprs>,
}

/// The parsed SQL fragments of one table, by the same indexes as the table's vectors.
struct TableExprs {
    defaults: Vec<Option<Result<Expr, ExprError>>>,
    generated: Vec<Option<Result<Expr, ExprError>>>,
    checks: Vec<Option<Result<Expr, ExprError>>>,
    predicates: Vec<Option<Result<Expr, ExprError>>>,
    elements: Vec<Vec<Option<Result<Expr, ExprError>>>>,
}

impl<'a> Lookup<'a> {
    fn new(schema: &'a Schema) -> Lookup<'a> {
        // The first declaration wins; later ones are duplicates and reported as such.
        let mut tables = HashMap::new();
        for (i, t) in schema.tables.iter().enumerate() {
            tables.entry(&t.name).or_insert(i);
        }
        let mut views = HashMap::new();
        for (i, v) in schema.views.iter().enumerate() {
            views.entry(&v.name).or_insert(i);
        }
        let mut enums = HashMap::new();
        for (i, e) in schema.enums.iter().enumerate() {
            enums.entry(&e.name).or_insert(i);
        }
        let parse = |s: &Option<String>| s.as_deref().map(expr::parse_expr);
        let exprs = schema
            .tables
            .iter()
            .map(|t| TableExprs {
                defaults: t.columns.iter().map(|c| parse(&c.default)).collect(),
                generated: t.columns.iter().map(|c| parse(&c.generated)).collect(),
                checks: t
                    .constraints
                    .iter()
                    .map(|c| match &c.kind {
                        ConstraintKind::Check { expr } => Some(expr::parse_expr(expr)),
                        _ => None,
                    })
                    .collect(),
                predicates: t.indexes.iter().map(|i| parse(&i.predicate)).collect(),
                elements: t
                    .indexes
                    .iter()
                    .map(|i| {
                        i.elements
                            .iter()
                            .map(|e| match &e.target {
                                IndexTarget::Expression(sql) => Some(expr::parse_expr(sql)),
                                IndexTarget::Column(_) => None,
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        Lookup {
            schema,
            tables,
            views,
            enums,
            namespaces: schema.schemas.iter().map(|s| s.name.as_str()).collect(),
            extensions: schema.extensions.iter().map(|e| e.name.as_str()).collect(),
            exprs,
        }
    }

    fn table(&self, name: &QualifiedName) -> Option<&'a Table> {
        self.tables.get(name).map(|&i| &self.schema.tables[i])
    }

    /// Every type the schema uses, with where it is used.
    fn type_uses(&self) -> Vec<(&'a DataType, Location)> {
        let s = self.schema;
        let mut uses = Vec::new();
        for (t, table) in s.tables.iter().enumerate() {
            for (c, column) in table.columns.iter().enumerate() {
                uses.push((
                    &column.data_type,
                    Location::Column {
                        table: t,
                        column: c,
                        part: ColumnPart::Type,
                    },
                ));
            }
        }
        for (i, seq) in s.sequences.iter().enumerate() {
            if let Some(ty) = &seq.data_type {
                uses.push((
                    ty,
                    Location::Sequence {
                        sequence: i,
                        part: SequencePart::Type,
                    },
                ));
            }
        }
        for (f, func) in s.functions.iter().enumerate() {
            for (a, arg) in func.args.iter().enumerate() {
                uses.push((
                    &arg.data_type,
                    Location::Function {
                        function: f,
                        part: FunctionPart::ArgType(a),
                    },
                ));
            }
            match &func.returns {
                Some(Returns::Type(ty) | Returns::SetOf(ty)) => uses.push((
                    ty,
                    Location::Function {
                        function: f,
                        part: FunctionPart::Returns,
                    },
                )),
                Some(Returns::Table(columns)) => {
                    for (c, (_, ty)) in columns.iter().enumerate() {
                        uses.push((
                            ty,
                            Location::Function {
                                function: f,
                                part: FunctionPart::ReturnsColumn(c),
                            },
                        ));
                    }
                }
                None => {}
            }
        }
        uses
    }
}

/// `name` or `schema.name` outside `public`, for messages.
fn qualified(name: &QualifiedName) -> String {
    if name.schema == DEFAULT_SCHEMA {
        name.name.clone()
    } else {
        format!("{}.{}", name.schema, name.name)
    }
}

impl Function {
    fn kind(&self) -> &'static str {
        if self.is_procedure {
            "procedure"
        } else {
            "function"
        }
    }
}

/// `name(type, ...)` over the input arguments: what PostgreSQL identifies a function by.
fn signature(f: &Function) -> String {
    let args: Vec<String> = input_types(f).map(|t| t.to_string()).collect();
    format!("{}({})", qualified(&f.name), args.join(", "))
}

/// The types that make up a function's identity: those of `in`, `inout` and `variadic`
/// arguments, without modifiers (PostgreSQL ignores `varchar(10)` vs `varchar` there).
fn input_types(f: &Function) -> impl Iterator<Item = DataType> + '_ {
    f.args
        .iter()
        .filter(|a| a.mode != ArgMode::Out)
        .map(|a| DataType {
            modifiers: Vec::new(),
            ..a.data_type.clone()
        })
}

/// The closest of `candidates` to `name`, as a help line.
fn did_you_mean<'b>(name: &str, candidates: impl IntoIterator<Item = &'b str>) -> Option<String> {
    suggest::closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Every declared name with its location: what the name rules look at.
fn declared_names(s: &Schema) -> Vec<(&str, Location)> {
    let mut names: Vec<(&str, Location)> = Vec::new();
    for (i, e) in s.extensions.iter().enumerate() {
        names.push((
            &e.name,
            Location::Extension {
                extension: i,
                part: ExtensionPart::Name,
            },
        ));
    }
    for (i, n) in s.schemas.iter().enumerate() {
        names.push((&n.name, Location::Namespace { namespace: i }));
    }
    for (i, e) in s.enums.iter().enumerate() {
        let at = |part| Location::Enum { enum_type: i, part };
        names.push((&e.name.name, at(EnumPart::Name)));
        for (l, label) in e.values.iter().enumerate() {
            names.push((label, at(EnumPart::Label(l))));
        }
    }
    for (i, q) in s.sequences.iter().enumerate() {
        names.push((
            &q.name.name,
            Location::Sequence {
                sequence: i,
                part: SequencePart::Name,
            },
        ));
    }
    for (t, table) in s.tables.iter().enumerate() {
        names.push((
            &table.name.name,
            Location::Table {
                table: t,
                part: TablePart::Name,
            },
        ));
        for (c, column) in table.columns.iter().enumerate() {
            names.push((
                &column.name,
                Location::Column {
                    table: t,
                    column: c,
                    part: ColumnPart::Name,
                },
            ));
        }
        for (c, constraint) in table.constraints.iter().enumerate() {
            names.push((
                &constraint.name,
                Location::Constraint {
                    table: t,
                    constraint: c,
                    part: ConstraintPart::Name,
                },
            ));
        }
        for (i, index) in table.indexes.iter().enumerate() {
            names.push((
                &index.name,
                Location::Index {
                    table: t,
                    index: i,
                    part: IndexPart::Name,
                },
            ));
        }
    }
    for (f, func) in s.functions.iter().enumerate() {
        names.push((
            &func.name.name,
            Location::Function {
                function: f,
                part: FunctionPart::Name,
            },
        ));
        for (a, arg) in func.args.iter().enumerate() {
            if let Some(name) = &arg.name {
                names.push((
                    name,
                    Location::Function {
                        function: f,
                        part: FunctionPart::ArgName(a),
                    },
                ));
            }
        }
    }
    for (v, view) in s.views.iter().enumerate() {
        names.push((
            &view.name.name,
            Location::View {
                view: v,
                part: ViewPart::Name,
            },
        ));
        for (c, column) in view.columns.iter().enumerate() {
            names.push((
                column,
                Location::View {
                    view: v,
                    part: ViewPart::Column(c),
                },
            ));
        }
    }
    for (t, trigger) in s.triggers.iter().enumerate() {
        names.push((
            &trigger.name,
            Location::Trigger {
                trigger: t,
                part: TriggerPart::Name,
            },
        ));
    }
    names
}

/// PostgreSQL rejects a zero-length name (`""`) and cannot store a NUL byte in one.
fn check_names_valid(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (name, location) in declared_names(cx.schema) {
        if name.is_empty() {
            out.push(
                Diagnostic::new("name-invalid", location, "a name cannot be empty")
                    .help("PostgreSQL rejects zero-length identifiers; give it a name"),
            );
        } else if name.contains('\0') {
            out.push(
                Diagnostic::new(
                    "name-invalid",
                    location,
                    "a name cannot contain a NUL character",
                )
                .help("remove the `\\0` from the name"),
            );
        }
    }
}

/// PostgreSQL silently truncates identifiers to 63 bytes, so the live object would be called
/// something else than the declaration and never match it (and two long names may collide).
/// Enum labels have the same limit but are rejected instead of truncated.
fn check_name_lengths(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (name, location) in declared_names(cx.schema) {
        if ident::too_long(name) {
            let is_label = matches!(
                location,
                Location::Enum {
                    part: EnumPart::Label(_),
                    ..
                }
            );
            let what = if is_label {
                "PostgreSQL rejects enum labels"
            } else {
                "PostgreSQL would silently truncate it, so the database would never match"
            };
            out.push(
                Diagnostic::new(
                    "name-too-long",
                    location,
                    format!(
                        "`{name}` is {} bytes long, over the limit of {MAX_IDENTIFIER_BYTES}: {what}",
                        name.len()
                    ),
                )
                .help(format!(
                    "shorten the name to at most {MAX_IDENTIFIER_BYTES} bytes"
                )),
            );
        }
    }
}

/// Reports every name after its first occurrence in `items`, keyed by `key`.
fn report_duplicates<K: std::hash::Hash + Eq, T>(
    items: impl IntoIterator<Item = (K, T)>,
    mut report: impl FnMut(T, &T),
) {
    let mut seen: HashMap<K, T> = HashMap::new();
    for (key, item) in items {
        match seen.get(&key) {
            Some(first) => report(item, first),
            None => {
                seen.insert(key, item);
            }
        }
    }
}

/// `CREATE SCHEMA` of an existing schema fails.
fn check_duplicate_schemas(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    report_duplicates(
        cx.schema
            .schemas
            .iter()
            .enumerate()
            .map(|(i, s)| (&s.name, i)),
        |i, _| {
            let name = &cx.schema.schemas[i].name;
            out.push(
                Diagnostic::new(
                    "duplicate-schema",
                    Location::Namespace { namespace: i },
                    format!("schema `{name}` is declared twice"),
                )
                .help("remove the second declaration"),
            );
        },
    );
}

/// An extension is installed once per database.
fn check_duplicate_extensions(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    report_duplicates(
        cx.schema
            .extensions
            .iter()
            .enumerate()
            .map(|(i, e)| (&e.name, i)),
        |i, _| {
            out.push(
                Diagnostic::new(
                    "duplicate-extension",
                    Location::Extension {
                        extension: i,
                        part: ExtensionPart::Name,
                    },
                    format!(
                        "extension `{}` is declared twice",
                        cx.schema.extensions[i].name
                    ),
                )
                .help("remove the second declaration"),
            );
        },
    );
}

/// Types share one namespace per schema, and every table and view has a row type of its own
/// name there, so an enum cannot be called like another enum, a table or a view.
fn check_duplicate_types(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    let mut seen: HashMap<&QualifiedName, &'static str> = HashMap::new();
    for t in &s.tables {
        seen.entry(&t.name).or_insert("table");
    }
    for v in &s.views {
        seen.entry(&v.name).or_insert("view");
    }
    for (i, e) in s.enums.iter().enumerate() {
        if let Some(first) = seen.get(&e.name) {
            let message = if *first == "enum" {
                format!("enum `{}` is declared twice", qualified(&e.name))
            } else {
                format!(
                    "type name `{}` is already taken by the row type of {first} `{}`",
                    qualified(&e.name),
                    qualified(&e.name)
                )
            };
            out.push(
                Diagnostic::new(
                    "duplicate-type",
                    Location::Enum {
                        enum_type: i,
                        part: EnumPart::Name,
                    },
                    message,
                )
                .help("rename the enum or remove the second declaration"),
            );
        } else {
            seen.insert(&e.name, "enum");
        }
    }
}

/// `CREATE TYPE ... AS ENUM` rejects a repeated label.
fn check_duplicate_enum_labels(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (i, e) in cx.schema.enums.iter().enumerate() {
        report_duplicates(e.values.iter().enumerate().map(|(l, v)| (v, l)), |l, _| {
            out.push(
                Diagnostic::new(
                    "duplicate-enum-label",
                    Location::Enum {
                        enum_type: i,
                        part: EnumPart::Label(l),
                    },
                    format!(
                        "label `{}` appears twice in enum `{}`",
                        e.values[l],
                        qualified(&e.name)
                    ),
                )
                .help("remove the second occurrence"),
            );
        });
    }
}

/// Tables, views, sequences, indexes and the indexes behind primary key and unique
/// constraints share one namespace per schema (`pg_class`): two of them with one name fail.
fn check_duplicate_relations(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    // ((schema, name), (what it is, where it is declared))
    type Relation<'s> = ((&'s str, &'s str), (&'static str, Location));
    let mut relations: Vec<Relation<'_>> = Vec::new();
    for (t, table) in s.tables.iter().enumerate() {
        let key = (table.name.schema.as_str(), table.name.name.as_str());
        relations.push((
            key,
            (
                "table",
                Location::Table {
                    table: t,
                    part: TablePart::Name,
                },
            ),
        ));
    }
    for (v, view) in s.views.iter().enumerate() {
        relations.push((
            (view.name.schema.as_str(), view.name.name.as_str()),
            (
                "view",
                Location::View {
                    view: v,
                    part: ViewPart::Name,
                },
            ),
        ));
    }
    for (q, seq) in s.sequences.iter().enumerate() {
        relations.push((
            (seq.name.schema.as_str(), seq.name.name.as_str()),
            (
                "sequence",
                Location::Sequence {
                    sequence: q,
                    part: SequencePart::Name,
                },
            ),
        ));
    }
    for (t, table) in s.tables.iter().enumerate() {
        let schema = table.name.schema.as_str();
        for (c, constraint) in table.constraints.iter().enumerate() {
            let what = match constraint.kind {
                ConstraintKind::PrimaryKey { .. } => "primary key",
                ConstraintKind::Unique { .. } => "unique constraint",
                _ => continue,
            };
            relations.push((
                (schema, constraint.name.as_str()),
                (
                    what,
                    Location::Constraint {
                        table: t,
                        constraint: c,
                        part: ConstraintPart::Name,
                    },
                ),
            ));
        }
        for (i, index) in table.indexes.iter().enumerate() {
            relations.push((
                (schema, index.name.as_str()),
                (
                    "index",
                    Location::Index {
                        table: t,
                        index: i,
                        part: IndexPart::Name,
                    },
                ),
            ));
        }
    }
    report_duplicates(relations, |(what, location), (first, _)| {
        let name = match &location {
            Location::Table { table, .. } => s.tables[*table].name.name.clone(),
            Location::View { view, .. } => s.views[*view].name.name.clone(),
            Location::Sequence { sequence, .. } => s.sequences[*sequence].name.name.clone(),
            Location::Constraint {
                table, constraint, ..
            } => s.tables[*table].constraints[*constraint].name.clone(),
            Location::Index { table, index, .. } => s.tables[*table].indexes[*index].name.clone(),
            _ => String::new(),
        };
        let message = if what == *first {
            format!("{what} `{name}` is declared twice")
        } else {
            format!(
                "{what} `{name}` has the same name as a {first}: tables, views, sequences and \
                 indexes (also those behind primary keys and unique constraints) share one \
                 namespace per schema"
            )
        };
        out.push(
            Diagnostic::new("duplicate-relation", location, message)
                .help(format!("rename this {what} or remove one of the two")),
        );
    });
}

/// A table cannot have two columns of one name.
fn check_duplicate_columns(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        report_duplicates(
            table
                .columns
                .iter()
                .enumerate()
                .map(|(c, col)| (&col.name, c)),
            |c, _| {
                out.push(
                    Diagnostic::new(
                        "duplicate-column",
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Name,
                        },
                        format!(
                            "column `{}` is declared twice in table `{}`",
                            table.columns[c].name,
                            qualified(&table.name)
                        ),
                    )
                    .help("rename or remove the second column"),
                );
            },
        );
    }
}

/// Constraint names are unique per table.
fn check_duplicate_constraints(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        report_duplicates(
            table
                .constraints
                .iter()
                .enumerate()
                .map(|(c, con)| (&con.name, c)),
            |c, _| {
                out.push(
                    Diagnostic::new(
                        "duplicate-constraint",
                        Location::Constraint {
                            table: t,
                            constraint: c,
                            part: ConstraintPart::Name,
                        },
                        format!(
                            "constraint `{}` is declared twice on table `{}`",
                            table.constraints[c].name,
                            qualified(&table.name)
                        ),
                    )
                    .help("give the second constraint another name"),
                );
            },
        );
    }
}

/// A function is identified by its name and input argument types; two declarations with the
/// same signature would replace one another.
fn check_duplicate_functions(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let fs = &cx.schema.functions;
    report_duplicates(
        fs.iter()
            .enumerate()
            .map(|(i, f)| ((&f.name, input_types(f).collect::<Vec<_>>()), i)),
        |i, _| {
            out.push(
                Diagnostic::new(
                    "duplicate-function",
                    Location::Function {
                        function: i,
                        part: FunctionPart::Name,
                    },
                    format!(
                        "{} `{}` is declared twice",
                        fs[i].kind(),
                        signature(&fs[i])
                    ),
                )
                .help("overloads must differ in the types of their input arguments; rename one or change its arguments"),
            );
        },
    );
}

/// Trigger names are unique per table.
fn check_duplicate_triggers(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let ts = &cx.schema.triggers;
    report_duplicates(
        ts.iter().enumerate().map(|(i, t)| ((&t.table, &t.name), i)),
        |i, _| {
            out.push(
                Diagnostic::new(
                    "duplicate-trigger",
                    Location::Trigger {
                        trigger: i,
                        part: TriggerPart::Name,
                    },
                    format!(
                        "trigger `{}` is declared twice on `{}`",
                        ts[i].name,
                        qualified(&ts[i].table)
                    ),
                )
                .help("give the second trigger another name"),
            );
        },
    );
}

/// An object in a schema other than `public` needs that schema created first, or
/// `CREATE ... audit.x` fails with "schema does not exist".
fn check_schemas_declared(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    let known = |schema: &str| {
        schema == DEFAULT_SCHEMA || schema == "pg_catalog" || cx.namespaces.contains(schema)
    };
    let mut report = |schema: &str, location: Location| {
        if !known(schema) {
            let mut d = Diagnostic::new(
                "schema-missing",
                location,
                format!("schema `{schema}` is not declared"),
            );
            d = d.help(
                match suggest::closest(schema, s.schemas.iter().map(|n| n.name.as_str())) {
                    Some(close) => {
                        format!("did you mean `{close}`? or declare it: `schema {schema};`")
                    }
                    None => format!("declare it: `schema {schema};`"),
                },
            );
            out.push(d);
        }
    };
    for (i, e) in s.extensions.iter().enumerate() {
        if let Some(schema) = &e.schema {
            report(
                schema,
                Location::Extension {
                    extension: i,
                    part: ExtensionPart::Schema,
                },
            );
        }
    }
    for (i, e) in s.enums.iter().enumerate() {
        report(
            &e.name.schema,
            Location::Enum {
                enum_type: i,
                part: EnumPart::Name,
            },
        );
    }
    for (i, q) in s.sequences.iter().enumerate() {
        report(
            &q.name.schema,
            Location::Sequence {
                sequence: i,
                part: SequencePart::Name,
            },
        );
    }
    for (t, table) in s.tables.iter().enumerate() {
        report(
            &table.name.schema,
            Location::Table {
                table: t,
                part: TablePart::Name,
            },
        );
        for (c, con) in table.constraints.iter().enumerate() {
            if let ConstraintKind::ForeignKey { ref_table, .. } = &con.kind {
                report(
                    &ref_table.schema,
                    Location::Constraint {
                        table: t,
                        constraint: c,
                        part: ConstraintPart::RefTable,
                    },
                );
            }
        }
    }
    for (i, f) in s.functions.iter().enumerate() {
        report(
            &f.name.schema,
            Location::Function {
                function: i,
                part: FunctionPart::Name,
            },
        );
    }
    for (i, v) in s.views.iter().enumerate() {
        report(
            &v.name.schema,
            Location::View {
                view: i,
                part: ViewPart::Name,
            },
        );
    }
    for (i, t) in s.triggers.iter().enumerate() {
        report(
            &t.table.schema,
            Location::Trigger {
                trigger: i,
                part: TriggerPart::Table,
            },
        );
        report(
            &t.function.schema,
            Location::Trigger {
                trigger: i,
                part: TriggerPart::Function,
            },
        );
    }
    for (ty, location) in cx.type_uses() {
        if let Some(schema) = &ty.schema {
            report(schema, location);
        }
    }
}

/// A user type must be a declared enum or an extension's type, or `CREATE TABLE` fails with
/// "type does not exist". When an extension pgdecl does not know is declared, any unknown
/// type may be one of its own, so none is reported.
fn check_types_exist(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    let known_providers: HashSet<&str> = types::EXTENSION_TYPES.iter().map(|(_, e)| *e).collect();
    if s.extensions
        .iter()
        .any(|e| !known_providers.contains(e.name.as_str()))
    {
        return;
    }
    for (ty, location) in cx.type_uses() {
        let Some(schema) = &ty.schema else { continue };
        let name = QualifiedName::new(schema.clone(), ty.name.clone());
        if cx.enums.contains_key(&name) || types::extension_for_type(&ty.name).is_some() {
            continue;
        }
        let candidates = types::builtin_type_names()
            .map(str::to_string)
            .chain(s.enums.iter().map(|e| qualified(&e.name)))
            .collect::<Vec<_>>();
        let written = qualified(&name);
        let help = match suggest::closest(&written, candidates.iter().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`?"),
            None => {
                "use a built-in type, declare an `enum`, or declare the extension that provides it"
                    .to_string()
            }
        };
        out.push(
            Diagnostic::new(
                "type-unknown",
                location,
                format!("unknown type `{written}`"),
            )
            .help(help),
        );
    }
}

/// Types such as `citext` or `vector` exist only once their extension is created.
fn check_extension_types(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (ty, location) in cx.type_uses() {
        let Some(schema) = &ty.schema else { continue };
        if cx
            .enums
            .contains_key(&QualifiedName::new(schema.clone(), ty.name.clone()))
        {
            continue;
        }
        if let Some(extension) = types::extension_for_type(&ty.name) {
            if !cx.extensions.contains(extension) {
                out.push(
                    Diagnostic::new(
                        "extension-missing",
                        location,
                        format!(
                            "type `{}` comes from extension `{extension}`, which is not declared",
                            ty.name
                        ),
                    )
                    .help(format!("declare it: `extension {extension};`")),
                );
            }
        }
    }
}

/// Pseudo-types (`trigger`, `void`, `record`, `any*`, ...) can only be function argument or
/// return types; a column of one is rejected.
fn check_pseudo_type_columns(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            if is_pseudo_type(&column.data_type) {
                out.push(
                    Diagnostic::new(
                        "column-pseudo-type",
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Type,
                        },
                        format!(
                            "column `{}` cannot have pseudo-type `{}`",
                            column.name, column.data_type
                        ),
                    )
                    .help(
                        "pseudo-types are only for function arguments and results; use a real type",
                    ),
                );
            }
        }
    }
}

fn is_pseudo_type(ty: &DataType) -> bool {
    ty.schema.is_none()
        && matches!(
            ty.name.as_str(),
            "trigger"
                | "event_trigger"
                | "void"
                | "record"
                | "anyelement"
                | "anyarray"
                | "anynonarray"
                | "anyenum"
                | "anyrange"
                | "anycompatible"
                | "anycompatiblearray"
                | "internal"
                | "cstring"
        )
}

/// `CREATE SEQUENCE ... AS` takes only `smallint`, `integer` or `bigint`.
fn check_sequence_types(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (i, seq) in cx.schema.sequences.iter().enumerate() {
        if let Some(ty) = &seq.data_type {
            if !ty.is_integer() {
                out.push(
                    Diagnostic::new(
                        "sequence-type-invalid",
                        Location::Sequence {
                            sequence: i,
                            part: SequencePart::Type,
                        },
                        format!("a sequence cannot be of type `{ty}`"),
                    )
                    .help("use `smallint`, `integer` or `bigint`"),
                );
            }
        }
    }
}

/// `OWNED BY table.column` needs that column; PostgreSQL rejects the sequence otherwise.
fn check_sequence_owners(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (i, seq) in cx.schema.sequences.iter().enumerate() {
        let Some((table, column)) = &seq.owned_by else {
            continue;
        };
        let location = Location::Sequence {
            sequence: i,
            part: SequencePart::OwnedBy,
        };
        match cx.table(table) {
            None => out.push(
                Diagnostic::new(
                    "sequence-owner-missing",
                    location,
                    format!(
                        "sequence `{}` is owned by table `{}`, which is not declared",
                        qualified(&seq.name),
                        qualified(table)
                    ),
                )
                .help(
                    did_you_mean(
                        &table.name,
                        cx.schema.tables.iter().map(|t| t.name.name.as_str()),
                    )
                    .unwrap_or_else(|| "name a declared table: `owned by orders.id`".to_string()),
                ),
            ),
            Some(t) if t.column(column).is_none() => out.push(
                Diagnostic::new(
                    "sequence-owner-missing",
                    location,
                    format!(
                        "sequence `{}` is owned by column `{}.{column}`, which does not exist",
                        qualified(&seq.name),
                        qualified(table)
                    ),
                )
                .help(
                    did_you_mean(column, t.columns.iter().map(|c| c.name.as_str())).unwrap_or_else(
                        || {
                            format!(
                                "the columns of `{}` are: {}",
                                qualified(table),
                                column_list(t)
                            )
                        },
                    ),
                ),
            ),
            Some(_) => {}
        }
    }
}

/// A table has at most one primary key; column-level and table-level ones both count.
fn check_primary_keys(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        let mut pks = table
            .constraints
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.kind, ConstraintKind::PrimaryKey { .. }));
        let Some((_, first)) = pks.next() else {
            continue;
        };
        for (c, _) in pks {
            out.push(
                Diagnostic::new(
                    "primary-key-duplicate",
                    Location::Constraint {
                        table: t,
                        constraint: c,
                        part: ConstraintPart::Kind,
                    },
                    format!(
                        "table `{}` has a second primary key; it already has `{}` on ({})",
                        qualified(&table.name),
                        first.name,
                        first.kind.columns().join(", ")
                    ),
                )
                .help("a table has one primary key: use `primary key (a, b)` for a composite key, or `unique` for other keys"),
            );
        }
    }
}

/// A missing column, with a "did you mean" over the table's columns.
fn column_missing(table: &Table, name: &str, what: &str, location: Location) -> Diagnostic {
    let help =
        did_you_mean(name, table.columns.iter().map(|c| c.name.as_str())).unwrap_or_else(|| {
            format!(
                "the columns of `{}` are: {}",
                qualified(&table.name),
                column_list(table)
            )
        });
    Diagnostic::new(
        "column-missing",
        location,
        format!(
            "{what} names column `{name}`, which table `{}` does not have",
            qualified(&table.name)
        ),
    )
    .help(help)
}

fn column_list(table: &Table) -> String {
    if table.columns.is_empty() {
        return "(none)".to_string();
    }
    table
        .columns
        .iter()
        .map(|c| format!("`{}`", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Primary key, unique and foreign key constraints can only list columns of their table.
fn check_constraint_columns(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, con) in table.constraints.iter().enumerate() {
            let at = |part| Location::Constraint {
                table: t,
                constraint: c,
                part,
            };
            let what = con.kind.label();
            for (i, name) in con.kind.columns().iter().enumerate() {
                if table.column(name).is_none() {
                    out.push(column_missing(
                        table,
                        name,
                        &format!("{what} constraint `{}`", con.name),
                        at(ConstraintPart::Column(i)),
                    ));
                }
            }
            let include = match &con.kind {
                ConstraintKind::PrimaryKey { include, .. }
                | ConstraintKind::Unique { include, .. } => include.as_slice(),
                _ => &[],
            };
            for (i, name) in include.iter().enumerate() {
                if table.column(name).is_none() {
                    out.push(column_missing(
                        table,
                        name,
                        &format!("`include` of constraint `{}`", con.name),
                        at(ConstraintPart::Include(i)),
                    ));
                }
            }
        }
    }
}

/// Index key columns and `include` columns must be columns of the table; so must the columns
/// an expression element refers to.
fn check_index_columns(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (i, index) in table.indexes.iter().enumerate() {
            let at = |part| Location::Index {
                table: t,
                index: i,
                part,
            };
            let what = format!("index `{}`", index.name);
            for (e, element) in index.elements.iter().enumerate() {
                match &element.target {
                    IndexTarget::Column(name) => {
                        if table.column(name).is_none() {
                            out.push(column_missing(
                                table,
                                name,
                                &what,
                                at(IndexPart::Element(e)),
                            ));
                        }
                    }
                    IndexTarget::Expression(_) => {
                        let parsed = cx.exprs[t].elements[i].get(e).and_then(Option::as_ref);
                        if let Some(Ok(parsed)) = parsed {
                            for name in missing_references(table, parsed, &[]) {
                                out.push(
                                    expression_column_missing(
                                        table,
                                        &name,
                                        &format!("an expression of {what}"),
                                        at(IndexPart::Element(e)),
                                    )
                                    .subject(name),
                                );
                            }
                        }
                    }
                }
            }
            for (n, name) in index.include.iter().enumerate() {
                if table.column(name).is_none() {
                    out.push(column_missing(
                        table,
                        name,
                        &format!("`include` of {what}"),
                        at(IndexPart::Include(n)),
                    ));
                }
            }
        }
    }
}

/// `NULLS NOT DISTINCT` only means something for a unique index; PostgreSQL rejects it on
/// any other.
fn check_nulls_not_distinct(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (i, index) in table.indexes.iter().enumerate() {
            if index.nulls_not_distinct && !index.unique {
                out.push(
                    Diagnostic::new(
                        "nulls-not-distinct-non-unique",
                        Location::Index {
                            table: t,
                            index: i,
                            part: IndexPart::NullsNotDistinct,
                        },
                        format!(
                            "index `{}` is not unique, so `nulls not distinct` means nothing and PostgreSQL rejects it",
                            index.name
                        ),
                    )
                    .help("write `unique index`, or remove `nulls not distinct`"),
                );
            }
        }
    }
}

/// A foreign key needs its target table and columns to exist, as many columns on both sides,
/// types an equality operator can compare, and a primary key or unique constraint (or a
/// unique index without predicate or expressions) on exactly the target columns.
fn check_foreign_keys(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    for (t, table) in s.tables.iter().enumerate() {
        for (c, con) in table.constraints.iter().enumerate() {
            let ConstraintKind::ForeignKey {
                columns,
                ref_table,
                ref_columns,
                ..
            } = &con.kind
            else {
                continue;
            };
            let at = |part| Location::Constraint {
                table: t,
                constraint: c,
                part,
            };
            let Some(target) = cx.table(ref_table) else {
                let help = did_you_mean(
                    &qualified(ref_table),
                    s.tables.iter().map(|t| t.name.name.as_str()),
                )
                .unwrap_or_else(|| format!("declare table `{}`", qualified(ref_table)));
                out.push(
                    Diagnostic::new(
                        "fk-target-missing",
                        at(ConstraintPart::RefTable),
                        format!(
                            "foreign key `{}` references table `{}`, which is not declared",
                            con.name,
                            qualified(ref_table)
                        ),
                    )
                    .help(help),
                );
                continue;
            };
            if ref_columns.is_empty() {
                out.push(
                    Diagnostic::new(
                        "fk-target-no-primary-key",
                        at(ConstraintPart::RefTable),
                        format!(
                            "foreign key `{}` references table `{}` without naming columns, but `{}` has no primary key",
                            con.name,
                            qualified(ref_table),
                            qualified(ref_table)
                        ),
                    )
                    .help("name the referenced columns: `references T (col)`, or give the target a primary key"),
                );
                continue;
            }
            let mut all_found = true;
            for (i, name) in ref_columns.iter().enumerate() {
                if target.column(name).is_none() {
                    all_found = false;
                    let help = did_you_mean(name, target.columns.iter().map(|c| c.name.as_str()))
                        .unwrap_or_else(|| {
                            format!(
                                "the columns of `{}` are: {}",
                                qualified(ref_table),
                                column_list(target)
                            )
                        });
                    out.push(
                        Diagnostic::new(
                            "fk-target-column-missing",
                            at(ConstraintPart::RefColumn(i)),
                            format!(
                                "foreign key `{}` references column `{name}`, which table `{}` does not have",
                                con.name,
                                qualified(ref_table)
                            ),
                        )
                        .help(help),
                    );
                }
            }
            if columns.len() != ref_columns.len() {
                out.push(
                    Diagnostic::new(
                        "fk-column-count",
                        at(ConstraintPart::RefColumns),
                        format!(
                            "foreign key `{}` has {} column(s) but references {} column(s) of `{}`",
                            con.name,
                            columns.len(),
                            ref_columns.len(),
                            qualified(ref_table)
                        ),
                    )
                    .help("list as many referenced columns as referencing ones, in matching order"),
                );
                continue;
            }
            if !all_found {
                continue;
            }
            for (i, (from, to)) in columns.iter().zip(ref_columns).enumerate() {
                let (Some(from_col), Some(to_col)) = (table.column(from), target.column(to)) else {
                    continue;
                };
                if !fk_types_compatible(&from_col.data_type, &to_col.data_type) {
                    out.push(
                        Diagnostic::new(
                            "fk-type-mismatch",
                            at(ConstraintPart::Column(i)),
                            format!(
                                "foreign key column `{from}` is `{}` but the referenced `{}.{to}` is `{}`: PostgreSQL has no equality operator between them and rejects the constraint",
                                from_col.data_type,
                                qualified(ref_table),
                                to_col.data_type
                            ),
                        )
                        .help(format!(
                            "declare `{from}` with the type of `{}.{to}`",
                            qualified(ref_table)
                        )),
                    );
                }
            }
            if !is_unique_key(target, ref_columns) {
                out.push(
                    Diagnostic::new(
                        "fk-target-not-unique",
                        at(ConstraintPart::RefColumns),
                        format!(
                            "foreign key `{}` references ({}) of `{}`, which no primary key or unique constraint covers: PostgreSQL rejects the constraint",
                            con.name,
                            ref_columns.join(", "),
                            qualified(ref_table)
                        ),
                    )
                    .help(format!(
                        "add `unique ({})` to table `{}`, or reference its primary key",
                        ref_columns.join(", "),
                        qualified(ref_table)
                    )),
                );
            }
        }
    }
}

/// True if `columns` (as a set) are exactly the key of a primary key, a unique constraint,
/// or a unique index on plain columns without predicate: what a foreign key may reference.
fn is_unique_key(table: &Table, columns: &[String]) -> bool {
    let wanted: BTreeSet<&str> = columns.iter().map(String::as_str).collect();
    let same = |key: &[String]| {
        key.len() == columns.len()
            && key.iter().map(String::as_str).collect::<BTreeSet<_>>() == wanted
    };
    let by_constraint = table.constraints.iter().any(|c| match &c.kind {
        ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
            same(columns)
        }
        _ => false,
    });
    by_constraint
        || table.indexes.iter().any(|i| {
            i.unique && i.predicate.is_none() && {
                let key: Option<Vec<String>> = i
                    .elements
                    .iter()
                    .map(|e| match &e.target {
                        IndexTarget::Column(c) => Some(c.clone()),
                        IndexTarget::Expression(_) => None,
                    })
                    .collect();
                key.is_some_and(|k| same(&k))
            }
        })
}

/// Whether PostgreSQL can implement a foreign key from a `from` column to a `to` column: it
/// needs an equality operator of the target's index operator family that takes `from`,
/// directly or after an implicit cast. Integer types compare with each other, as do the
/// floating point types, the character types, the date/time types, `inet` and `cidr`; an
/// integer or `numeric` may reference a `numeric` or floating point key. Anything else must be
/// the same type (`uuid` and `integer` are incompatible).
pub fn fk_types_compatible(from: &DataType, to: &DataType) -> bool {
    let from = from.serial_base().unwrap_or_else(|| from.clone());
    let to = to.serial_base().unwrap_or_else(|| to.clone());
    if from.array != to.array {
        return false;
    }
    if from.schema.is_some() || to.schema.is_some() {
        return from.schema == to.schema && from.name == to.name;
    }
    if from.name == to.name {
        return true;
    }
    const INTS: &[&str] = &["smallint", "integer", "bigint"];
    const FLOATS: &[&str] = &["real", "double precision"];
    const STRINGS: &[&str] = &["text", "character varying", "character", "bpchar", "name"];
    const DATES: &[&str] = &[
        "date",
        "timestamp without time zone",
        "timestamp with time zone",
    ];
    const NETWORK: &[&str] = &["inet", "cidr"];
    let (f, t) = (from.name.as_str(), to.name.as_str());
    let both = |family: &[&str]| family.contains(&f) && family.contains(&t);
    both(INTS)
        || both(FLOATS)
        || both(STRINGS)
        || both(DATES)
        || both(NETWORK)
        || (INTS.contains(&f) && t == "numeric")
        || ((INTS.contains(&f) || f == "numeric") && FLOATS.contains(&t))
}

/// Identity columns draw from an integer sequence: PostgreSQL rejects `generated ... as
/// identity` on any other type.
fn check_identity(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            if column.identity.is_some() && !column.data_type.is_integer() {
                let help = if column.data_type.serial_base().is_some() {
                    "a serial column already has a sequence default: use `integer` or `bigint` with the identity, or drop the identity".to_string()
                } else {
                    "use `smallint`, `integer` or `bigint`, or remove the identity".to_string()
                };
                out.push(
                    Diagnostic::new(
                        "identity-not-integer",
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Identity,
                        },
                        format!(
                            "identity column `{}` has type `{}`, but identity columns must be integers",
                            column.name, column.data_type
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
}

/// A column's value comes from at most one of a default, an identity, a generation expression
/// or a serial sequence; PostgreSQL rejects any two together ("both default and identity
/// specified").
fn check_value_sources(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            let at = |part| Location::Column {
                table: t,
                column: c,
                part,
            };
            let serial = column.data_type.serial_base().is_some();
            let name = &column.name;
            if column.identity.is_some() && column.default.is_some() {
                out.push(
                    Diagnostic::new(
                        "identity-with-default",
                        at(ColumnPart::Default),
                        format!("column `{name}` has both an identity and a default: PostgreSQL rejects it"),
                    )
                    .help("an identity column takes its values from its sequence: remove the `default`"),
                );
            }
            if column.generated.is_some() && column.default.is_some() {
                out.push(
                    Diagnostic::new(
                        "generated-with-default",
                        at(ColumnPart::Default),
                        format!(
                            "generated column `{name}` also has a default: PostgreSQL rejects it"
                        ),
                    )
                    .help("a generated column's value is its expression: remove the `default`"),
                );
            }
            if column.generated.is_some() && column.identity.is_some() {
                out.push(
                    Diagnostic::new(
                        "generated-with-identity",
                        at(ColumnPart::Identity),
                        format!("column `{name}` is both generated and an identity: PostgreSQL rejects it"),
                    )
                    .help("keep one of the two"),
                );
            }
            if serial && (column.default.is_some() || column.generated.is_some()) {
                let part = if column.default.is_some() {
                    ColumnPart::Default
                } else {
                    ColumnPart::Generated
                };
                out.push(
                    Diagnostic::new(
                        "serial-with-default",
                        at(part),
                        format!(
                            "serial column `{name}` already defaults to its sequence: a second value source is rejected"
                        ),
                    )
                    .help("use `integer` or `bigint` with the default, or remove it"),
                );
            }
        }
    }
}

/// Every SQL fragment must parse, or the DDL that embeds it fails (and a fragment that does
/// not parse cannot be compared or named either).
fn check_expressions_parse(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    let mut report = |what: &str, sql: &str, error: &ExprError, location: Location| {
        out.push(
            Diagnostic::new(
                "expression-invalid",
                location,
                format!("{what} `{sql}` is not valid SQL: {}", error.message),
            )
            .help(
                "write a PostgreSQL expression; SQL string literals take single quotes: \"'text'\"",
            ),
        );
    };
    for (t, table) in s.tables.iter().enumerate() {
        let exprs = &cx.exprs[t];
        for (c, column) in table.columns.iter().enumerate() {
            let at = |part| Location::Column {
                table: t,
                column: c,
                part,
            };
            if let (Some(sql), Some(Err(e))) = (&column.default, &exprs.defaults[c]) {
                report("default", sql, e, at(ColumnPart::Default));
            }
            if let (Some(sql), Some(Err(e))) = (&column.generated, &exprs.generated[c]) {
                report("generation expression", sql, e, at(ColumnPart::Generated));
            }
        }
        for (c, con) in table.constraints.iter().enumerate() {
            if let (ConstraintKind::Check { expr }, Some(Err(e))) = (&con.kind, &exprs.checks[c]) {
                report(
                    "check",
                    expr,
                    e,
                    Location::Constraint {
                        table: t,
                        constraint: c,
                        part: ConstraintPart::Expr,
                    },
                );
            }
        }
        for (i, index) in table.indexes.iter().enumerate() {
            if let (Some(sql), Some(Err(e))) = (&index.predicate, &exprs.predicates[i]) {
                report(
                    "index predicate",
                    sql,
                    e,
                    Location::Index {
                        table: t,
                        index: i,
                        part: IndexPart::Predicate,
                    },
                );
            }
            for (n, element) in index.elements.iter().enumerate() {
                if let (IndexTarget::Expression(sql), Some(Some(Err(e)))) =
                    (&element.target, exprs.elements[i].get(n))
                {
                    report(
                        "index expression",
                        sql,
                        e,
                        Location::Index {
                            table: t,
                            index: i,
                            part: IndexPart::Element(n),
                        },
                    );
                }
            }
        }
    }
    for (f, func) in s.functions.iter().enumerate() {
        for (a, arg) in func.args.iter().enumerate() {
            if let Some(sql) = &arg.default {
                if let Err(e) = expr::parse_expr(sql) {
                    report(
                        "argument default",
                        sql,
                        &e,
                        Location::Function {
                            function: f,
                            part: FunctionPart::ArgDefault(a),
                        },
                    );
                }
            }
        }
    }
    for (i, trigger) in s.triggers.iter().enumerate() {
        if let Some(sql) = &trigger.when {
            if let Err(e) = expr::parse_expr(sql) {
                report(
                    "trigger condition",
                    sql,
                    &e,
                    Location::Trigger {
                        trigger: i,
                        part: TriggerPart::When,
                    },
                );
            }
        }
    }
}

/// The referenced names of `expr` that are not columns of `table` (nor in `ignore`).
fn missing_references(table: &Table, expr: &Expr, ignore: &[&str]) -> Vec<String> {
    expr::referenced_columns(expr)
        .into_iter()
        .filter(|name| table.column(name).is_none() && !ignore.contains(&name.as_str()))
        .collect()
}

fn expression_column_missing(
    table: &Table,
    name: &str,
    what: &str,
    location: Location,
) -> Diagnostic {
    // Unquoted SQL names fold to lower case: `Email` in SQL means `email`.
    let help = match table
        .columns
        .iter()
        .find(|c| c.name != name && c.name.to_lowercase() == name.to_lowercase())
    {
        Some(c) => format!(
            "SQL folds unquoted names to lower case; to mean column `{}`, quote it: `{}`",
            c.name,
            ident::quote_ident(&c.name)
        ),
        None => {
            did_you_mean(name, table.columns.iter().map(|c| c.name.as_str())).unwrap_or_else(|| {
                format!(
                    "the columns of `{}` are: {}",
                    qualified(&table.name),
                    column_list(table)
                )
            })
        }
    };
    Diagnostic::new(
        "expression-column-missing",
        location,
        format!(
            "{what} refers to column `{name}`, which table `{}` does not have",
            qualified(&table.name)
        ),
    )
    .help(help)
}

/// Check constraints, index predicates and generation expressions may only refer to the
/// table's own columns; PostgreSQL rejects any other name.
fn check_expression_columns(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        let exprs = &cx.exprs[t];
        for (c, column) in table.columns.iter().enumerate() {
            if let Some(Ok(e)) = &exprs.generated[c] {
                for name in missing_references(table, e, &[]) {
                    out.push(expression_column_missing(
                        table,
                        &name,
                        &format!("the generation expression of `{}`", column.name),
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Generated,
                        },
                    ));
                }
            }
        }
        for (c, con) in table.constraints.iter().enumerate() {
            if let Some(Ok(e)) = &exprs.checks[c] {
                for name in missing_references(table, e, &[]) {
                    out.push(expression_column_missing(
                        table,
                        &name,
                        &format!("check `{}`", con.name),
                        Location::Constraint {
                            table: t,
                            constraint: c,
                            part: ConstraintPart::Expr,
                        },
                    ));
                }
            }
        }
        for (i, index) in table.indexes.iter().enumerate() {
            if let Some(Ok(e)) = &exprs.predicates[i] {
                for name in missing_references(table, e, &[]) {
                    out.push(expression_column_missing(
                        table,
                        &name,
                        &format!("the predicate of index `{}`", index.name),
                        Location::Index {
                            table: t,
                            index: i,
                            part: IndexPart::Predicate,
                        },
                    ));
                }
            }
        }
    }
}

/// A generated column cannot refer to another generated column (PostgreSQL computes them
/// all from the row's base columns).
fn check_generated_columns(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            let Some(Ok(e)) = &cx.exprs[t].generated[c] else {
                continue;
            };
            for name in expr::referenced_columns(e) {
                if table.column(&name).is_some_and(|r| r.generated.is_some()) {
                    out.push(
                        Diagnostic::new(
                            "generated-references-generated",
                            Location::Column {
                                table: t,
                                column: c,
                                part: ColumnPart::Generated,
                            },
                            format!(
                                "generated column `{}` refers to generated column `{name}`: PostgreSQL rejects it",
                                column.name
                            ),
                        )
                        .help(format!(
                            "repeat the expression of `{name}` instead of referring to it"
                        )),
                    );
                }
            }
        }
    }
}

/// A default is evaluated without a row, so PostgreSQL forbids column references in it
/// ("cannot use column reference in DEFAULT expression").
fn check_defaults(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            let Some(Ok(e)) = &cx.exprs[t].defaults[c] else {
                continue;
            };
            if let Some(name) = expr::referenced_columns(e).into_iter().next() {
                out.push(
                    Diagnostic::new(
                        "default-references-column",
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Default,
                        },
                        format!(
                            "the default of `{}` refers to `{name}`, but a default cannot refer to columns",
                            column.name
                        ),
                    )
                    .help("for a value computed from other columns use `generated always as \"EXPR\" stored`; for text write an SQL string: \"'text'\""),
                );
            }
        }
    }
}

/// A string default for an enum column must be one of its labels, or every insert that
/// relies on the default fails ("invalid input value for enum").
fn check_enum_defaults(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    for (t, table) in s.tables.iter().enumerate() {
        for (c, column) in table.columns.iter().enumerate() {
            let ty = &column.data_type;
            let Some(schema) = &ty.schema else { continue };
            if ty.array {
                continue;
            }
            let Some(&e) = cx
                .enums
                .get(&QualifiedName::new(schema.clone(), ty.name.clone()))
            else {
                continue;
            };
            let Some(Ok(default)) = &cx.exprs[t].defaults[c] else {
                continue;
            };
            let Some(label) = expr::string_literal(default) else {
                continue;
            };
            let labels = &s.enums[e].values;
            if !labels.iter().any(|l| l == label) {
                let help = match suggest::closest(label, labels.iter().map(String::as_str)) {
                    Some(close) => format!("did you mean `'{close}'`?"),
                    None => format!(
                        "use one of: {}",
                        labels
                            .iter()
                            .map(|l| format!("'{l}'"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push(
                    Diagnostic::new(
                        "enum-default-invalid",
                        Location::Column {
                            table: t,
                            column: c,
                            part: ColumnPart::Default,
                        },
                        format!(
                            "default `'{label}'` is not a label of enum `{}`: inserts relying on it would fail",
                            qualified(&s.enums[e].name)
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
}

/// A function needs a body, and a body with an unterminated dollar quote cannot be embedded
/// (the quote would swallow the rest of the statement).
fn check_function_bodies(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (f, func) in cx.schema.functions.iter().enumerate() {
        let at = Location::Function {
            function: f,
            part: FunctionPart::Body,
        };
        if func.body.trim().is_empty() {
            out.push(
                Diagnostic::new(
                    "function-body-empty",
                    at,
                    format!(
                        "{} `{}` has an empty body",
                        func.kind(),
                        qualified(&func.name)
                    ),
                )
                .help(if func.language.eq_ignore_ascii_case("plpgsql") {
                    "write the body, e.g. `as \"BEGIN RETURN NEW; END\"`"
                } else {
                    "write the body, e.g. `as \"SELECT 1\"`"
                }),
            );
        } else if let Some(tag) = unbalanced_dollar_quote(&func.body) {
            out.push(
                Diagnostic::new(
                    "function-body-dollar-quote",
                    at,
                    format!(
                        "the body of `{}` opens the dollar quote `{tag}` and never closes it",
                        qualified(&func.name)
                    ),
                )
                .help(format!("close it with a second `{tag}`, or remove it")),
            );
        }
    }
}

/// The first dollar-quote tag in `body` that is opened and never closed, skipping quoted
/// strings, quoted identifiers and comments.
pub fn unbalanced_dollar_quote(body: &str) -> Option<String> {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
            }
            b'$' if body[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') =>
            {
                i += 1;
            }
            b'$' => match dollar_tag(&body[i..]) {
                Some(tag) => {
                    let after = i + tag.len();
                    match body[after..].find(tag) {
                        Some(close) => i = after + close + tag.len(),
                        None => return Some(tag.to_string()),
                    }
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    None
}

/// The dollar-quote tag (`$$`, `$body$`) `text` starts with, if it starts with one. A `$`
/// after an identifier character is part of that identifier, and `$1` is a parameter.
fn dollar_tag(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('$')?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    let tag = &rest[..end];
    if tag.starts_with(|c: char| c.is_ascii_digit()) || !rest[end..].starts_with('$') {
        return None;
    }
    Some(&text[..end + 2])
}

/// Built-in trigger functions a trigger may call without declaring them.
const BUILTIN_TRIGGER_FUNCTIONS: &[&str] = &[
    "suppress_redundant_updates_trigger",
    "tsvector_update_trigger",
    "tsvector_update_trigger_column",
];

/// A trigger needs its table (or view) and a function returning `trigger` that takes no
/// declared arguments; `update of` may only name the table's columns.
fn check_triggers(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    for (i, trigger) in s.triggers.iter().enumerate() {
        let at = |part| Location::Trigger { trigger: i, part };
        let table = cx.table(&trigger.table);
        if table.is_none() && !cx.views.contains_key(&trigger.table) {
            let help = did_you_mean(
                &trigger.table.name,
                s.tables
                    .iter()
                    .map(|t| t.name.name.as_str())
                    .chain(s.views.iter().map(|v| v.name.name.as_str())),
            )
            .unwrap_or_else(|| format!("declare table `{}`", qualified(&trigger.table)));
            out.push(
                Diagnostic::new(
                    "trigger-table-missing",
                    at(TriggerPart::Table),
                    format!(
                        "trigger `{}` fires on `{}`, which is not a declared table or view",
                        trigger.name,
                        qualified(&trigger.table)
                    ),
                )
                .help(help),
            );
        }
        if let Some(table) = table {
            for (e, event) in trigger.events.iter().enumerate() {
                if let TriggerEvent::Update(columns) = event {
                    for (n, name) in columns.iter().enumerate() {
                        if table.column(name).is_none() {
                            out.push(column_missing(
                                table,
                                name,
                                &format!("`update of` of trigger `{}`", trigger.name),
                                at(TriggerPart::UpdateColumn {
                                    event: e,
                                    column: n,
                                }),
                            ));
                        }
                    }
                }
            }
            if trigger.timing == TriggerTiming::InsteadOf {
                out.push(
                    Diagnostic::new(
                        "trigger-instead-of-table",
                        at(TriggerPart::Table),
                        format!(
                            "`instead of` trigger `{}` is on table `{}`, but only views take `instead of` triggers",
                            trigger.name,
                            qualified(&trigger.table)
                        ),
                    )
                    .help("use `before` or `after` on a table"),
                );
            }
        }
        let builtin = (trigger.function.schema == DEFAULT_SCHEMA
            || trigger.function.schema == "pg_catalog")
            && BUILTIN_TRIGGER_FUNCTIONS.contains(&trigger.function.name.as_str());
        if builtin {
            continue;
        }
        let candidates: Vec<&Function> = s
            .functions_named(&trigger.function)
            .filter(|f| !f.is_procedure && input_types(f).next().is_none())
            .collect();
        match candidates.first() {
            None => {
                let help = did_you_mean(
                    &trigger.function.name,
                    s.functions
                        .iter()
                        .filter(|f| matches!(&f.returns, Some(Returns::Type(t)) if is_trigger_type(t)))
                        .map(|f| f.name.name.as_str()),
                )
                .unwrap_or_else(|| {
                    format!(
                        "declare it: `function {}() returns trigger language plpgsql as \"BEGIN ... END\";`",
                        qualified(&trigger.function)
                    )
                });
                out.push(
                    Diagnostic::new(
                        "trigger-function-missing",
                        at(TriggerPart::Function),
                        format!(
                            "trigger `{}` executes function `{}()`, which is not declared",
                            trigger.name,
                            qualified(&trigger.function)
                        ),
                    )
                    .help(help),
                );
            }
            Some(f) => {
                if !matches!(&f.returns, Some(Returns::Type(t)) if is_trigger_type(t)) {
                    out.push(
                        Diagnostic::new(
                            "trigger-function-not-trigger",
                            at(TriggerPart::Function),
                            format!(
                                "trigger `{}` executes `{}()`, which does not return `trigger`",
                                trigger.name,
                                qualified(&trigger.function)
                            ),
                        )
                        .help(format!(
                            "declare `{}` with `returns trigger`",
                            qualified(&trigger.function)
                        )),
                    );
                }
            }
        }
    }
}

fn is_trigger_type(ty: &DataType) -> bool {
    ty.schema.is_none() && !ty.array && ty.name == "trigger"
}

/// A view's query must be one `SELECT`, `VALUES` or `WITH` query.
fn check_views(cx: &Lookup<'_>, out: &mut Vec<Diagnostic>) {
    for (i, view) in cx.schema.views.iter().enumerate() {
        if let Err(e) = expr::parse_query(&view.query) {
            out.push(
                Diagnostic::new(
                    "view-query-invalid",
                    Location::View {
                        view: i,
                        part: ViewPart::Query,
                    },
                    format!(
                        "the query of view `{}` is not valid SQL: {}",
                        qualified(&view.name),
                        e.message
                    ),
                )
                .help("write one PostgreSQL `SELECT`, `VALUES` or `WITH` query"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn col(name: &str, ty: &str) -> Column {
        Column {
            name: name.into(),
            data_type: DataType::parse(ty).unwrap(),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            comment: None,
            renamed_from: None,
        }
    }

    fn table(name: &str, columns: Vec<Column>, constraints: Vec<Constraint>) -> Table {
        Table {
            name: QualifiedName::public(name),
            columns,
            constraints,
            indexes: Vec::new(),
            comment: None,
            renamed_from: None,
        }
    }

    fn constraint(name: &str, kind: ConstraintKind) -> Constraint {
        Constraint {
            name: name.into(),
            kind,
            deferrable: false,
            initially_deferred: false,
            comment: None,
        }
    }

    fn pk(table: &str, cols: &[&str]) -> Constraint {
        constraint(
            &format!("{table}_pkey"),
            ConstraintKind::PrimaryKey {
                columns: cols.iter().map(|c| c.to_string()).collect(),
                include: vec![],
            },
        )
    }

    fn fk(cols: &[&str], target: &str, ref_cols: &[&str]) -> Constraint {
        constraint(
            "fk",
            ConstraintKind::ForeignKey {
                columns: cols.iter().map(|c| c.to_string()).collect(),
                ref_table: QualifiedName::public(target),
                ref_columns: ref_cols.iter().map(|c| c.to_string()).collect(),
                on_delete: FkAction::NoAction,
                on_update: FkAction::NoAction,
            },
        )
    }

    fn codes(schema: &Schema) -> Vec<&'static str> {
        check(schema).into_iter().map(|d| d.code).collect()
    }

    fn with_tables(tables: Vec<Table>) -> Schema {
        Schema {
            tables,
            ..Schema::default()
        }
    }

    #[test]
    fn clean_schema_has_no_diagnostics() {
        let s = with_tables(vec![
            table(
                "orgs",
                vec![col("id", "bigserial")],
                vec![pk("orgs", &["id"])],
            ),
            table(
                "users",
                vec![col("id", "uuid"), col("org_id", "bigint")],
                vec![pk("users", &["id"]), fk(&["org_id"], "orgs", &["id"])],
            ),
        ]);
        assert_eq!(check(&s), vec![]);
    }

    #[test]
    fn foreign_keys() {
        let orgs = || {
            table(
                "orgs",
                vec![col("id", "integer"), col("name", "text")],
                vec![pk("orgs", &["id"])],
            )
        };
        let users = |fk: Constraint| {
            table(
                "users",
                vec![col("org", "uuid"), col("o", "bigint")],
                vec![fk],
            )
        };
        assert_eq!(
            codes(&with_tables(vec![
                orgs(),
                users(fk(&["org"], "orgs", &["id"]))
            ])),
            ["fk-type-mismatch"]
        );
        assert_eq!(
            codes(&with_tables(vec![
                orgs(),
                users(fk(&["o"], "orgz", &["id"]))
            ])),
            ["fk-target-missing"]
        );
        assert_eq!(
            codes(&with_tables(vec![
                orgs(),
                users(fk(&["o"], "orgs", &["name"]))
            ])),
            ["fk-type-mismatch", "fk-target-not-unique"]
        );
        assert_eq!(
            codes(&with_tables(vec![
                orgs(),
                users(fk(&["o"], "orgs", &["idd"]))
            ])),
            ["fk-target-column-missing"]
        );
        assert_eq!(
            codes(&with_tables(vec![
                orgs(),
                users(fk(&["o", "org"], "orgs", &["id"]))
            ])),
            ["fk-column-count"]
        );
    }

    #[test]
    fn fk_type_families() {
        let t = |s: &str| DataType::parse(s).unwrap();
        assert!(fk_types_compatible(&t("int"), &t("bigserial")));
        assert!(fk_types_compatible(&t("varchar(10)"), &t("text")));
        assert!(fk_types_compatible(&t("integer"), &t("numeric")));
        assert!(!fk_types_compatible(&t("numeric"), &t("integer")));
        assert!(!fk_types_compatible(&t("uuid"), &t("integer")));
        assert!(!fk_types_compatible(&t("int[]"), &t("int")));
    }

    #[test]
    fn dollar_quotes() {
        assert_eq!(unbalanced_dollar_quote("SELECT 1"), None);
        assert_eq!(unbalanced_dollar_quote("EXECUTE $q$x$q$; SELECT $1"), None);
        assert_eq!(unbalanced_dollar_quote("SELECT '$$'"), None);
        assert_eq!(unbalanced_dollar_quote("-- $$\nSELECT 1"), None);
        assert_eq!(
            unbalanced_dollar_quote("SELECT $x$ oops").as_deref(),
            Some("$x$")
        );
        assert_eq!(unbalanced_dollar_quote("SELECT a$b$c"), None);
    }

    #[test]
    fn expressions_and_defaults() {
        let mut users = table("users", vec![col("email", "text"), col("n", "int")], vec![]);
        users.columns[0].default = Some("email".into());
        users.columns[1].generated = Some("lower(emial)".into());
        users.constraints.push(constraint(
            "users_check",
            ConstraintKind::Check { expr: "n >".into() },
        ));
        assert_eq!(
            codes(&with_tables(vec![users])),
            [
                "expression-invalid",
                "expression-column-missing",
                "default-references-column"
            ]
        );
    }

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
