//! Lowering: the syntax IR into a [`Schema`], plus the span table parallel to it.
//!
//! Column constraints become table constraints, and every unnamed constraint and index gets
//! the name PostgreSQL would derive for it (`ChooseConstraintName` / `ChooseRelationName`),
//! unique within its schema's namespaces, so the declaration matches the live catalog.

use std::collections::{HashMap, HashSet};

use schema_core::expr;
use schema_core::model::{
    Column, Constraint, ConstraintKind, EnumType, Extension, Function, FunctionArg, Index,
    IndexElement, IndexMethod, IndexTarget, Namespace, QualifiedName, Returns, Schema, Sequence,
    Table, Trigger, TriggerEvent, View, DEFAULT_SCHEMA,
};
use schema_core::naming;
use schema_core::types::{DataType, TypeError};

use crate::ast::{
    ColumnConstraintKind, ColumnDecl, ConstraintDeclKind, ElemTarget, ElementKind, EventKind,
    FunctionDecl, IndexDecl, Item, ItemKind, Name, NameList, QName, ReturnsKind, SequenceDecl,
    TableDecl, TriggerDecl, TypeRef, ViewDecl,
};
use crate::ctxt::{Ctxt, Sp};
use crate::spans::{
    ColumnSpans, ConstraintSpans, ElementSpans, EnumSpans, ExtensionSpans, FunctionSpans,
    IndexSpans, SequenceSpans, Spans, TableSpans, TriggerSpans, ViewSpans,
};

/// The lowered schema and where each of its parts was written.
pub struct Lowered {
    /// The model.
    pub schema: Schema,
    /// Its spans, by the model's indexes.
    pub spans: Spans,
}

/// Names already used per schema, in the two namespaces derived names must avoid.
#[derive(Default)]
struct Taken {
    /// `pg_class`: tables, views, sequences, indexes (also those behind constraints).
    relations: HashSet<(String, String)>,
    /// `pg_constraint`, per schema.
    constraints: HashSet<(String, String)>,
}

/// Lowers the parsed items. Problems the model cannot represent (a bad type modifier,
/// `null` on a primary key column) go to `cx`; everything else is left to the checks.
pub fn lower(cx: &Ctxt, items: &[Item]) -> Lowered {
    let mut taken = reserve_declared_names(items);
    let mut schema = Schema::default();
    let mut spans = Spans::default();
    for item in items {
        let comment = item.docs.clone();
        match &item.kind {
            ItemKind::Extension(e) => {
                schema.extensions.push(Extension {
                    name: e.name.value.clone(),
                    schema: e.schema.as_ref().map(|s| s.value.clone()),
                    comment,
                });
                spans.extensions.push(ExtensionSpans {
                    name: e.name.span,
                    schema: e.schema.as_ref().map(|s| s.span),
                });
            }
            ItemKind::Schema(name) => {
                schema.schemas.push(Namespace {
                    name: name.value.clone(),
                    comment,
                });
                spans.namespaces.push(name.span);
            }
            ItemKind::Enum(e) => {
                schema.enums.push(EnumType {
                    name: qualified(&e.name),
                    values: e.labels.iter().map(|l| l.value.clone()).collect(),
                    comment,
                });
                spans.enums.push(EnumSpans {
                    name: e.name.span(),
                    labels: e.labels.iter().map(|l| l.span).collect(),
                });
            }
            ItemKind::Sequence(s) => {
                let (sequence, s_spans) = lower_sequence(cx, s, comment);
                schema.sequences.push(sequence);
                spans.sequences.push(s_spans);
            }
            ItemKind::Table(t) => {
                let (table, t_spans) = lower_table(cx, t, comment, &mut taken);
                schema.tables.push(table);
                spans.tables.push(t_spans);
            }
            ItemKind::Function(f) => {
                let (function, f_spans) = lower_function(cx, f, comment);
                schema.functions.push(function);
                spans.functions.push(f_spans);
            }
            ItemKind::Trigger(t) => {
                let (trigger, t_spans) = lower_trigger(t, comment);
                schema.triggers.push(trigger);
                spans.triggers.push(t_spans);
            }
            ItemKind::View(v) => {
                let (view, v_spans) = lower_view(v, comment);
                schema.views.push(view);
                spans.views.push(v_spans);
            }
        }
    }
    fill_implied_references(&mut schema);
    Lowered { schema, spans }
}

fn qualified(name: &QName) -> QualifiedName {
    QualifiedName::new(
        name.schema
            .as_ref()
            .map_or(DEFAULT_SCHEMA, |s| s.value.as_str()),
        name.name.value.clone(),
    )
}

/// Every explicitly declared name, up front: a derived name never takes a name the user
/// chose, wherever in the input that name is declared.
fn reserve_declared_names(items: &[Item]) -> Taken {
    let mut taken = Taken::default();
    let key = |q: &QName| {
        let q = qualified(q);
        (q.schema, q.name)
    };
    for item in items {
        match &item.kind {
            ItemKind::Sequence(s) => {
                taken.relations.insert(key(&s.name));
            }
            ItemKind::View(v) => {
                taken.relations.insert(key(&v.name));
            }
            ItemKind::Table(t) => {
                let schema = qualified(&t.name).schema;
                taken.relations.insert(key(&t.name));
                for element in &t.elements {
                    match &element.kind {
                        ElementKind::Column(c) => {
                            for con in &c.constraints {
                                if let Some(name) = &con.name {
                                    let k = (schema.clone(), name.value.clone());
                                    if matches!(
                                        con.kind,
                                        ColumnConstraintKind::PrimaryKey
                                            | ColumnConstraintKind::Unique { .. }
                                    ) {
                                        taken.relations.insert(k.clone());
                                    }
                                    taken.constraints.insert(k);
                                }
                            }
                        }
                        ElementKind::Constraint(con) => {
                            if let Some(name) = &con.name {
                                let k = (schema.clone(), name.value.clone());
                                if matches!(
                                    con.kind,
                                    ConstraintDeclKind::PrimaryKey { .. }
                                        | ConstraintDeclKind::Unique { .. }
                                ) {
                                    taken.relations.insert(k.clone());
                                }
                                taken.constraints.insert(k);
                            }
                        }
                        ElementKind::Index(index) => {
                            if let Some(name) = &index.name {
                                taken.relations.insert((schema.clone(), name.value.clone()));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    taken
}

/// A type as the model holds it. A bad modifier is reported here (the model cannot hold
/// it); an unknown name becomes a named type the checks report with a suggestion.
fn lower_type(cx: &Ctxt, ty: &TypeRef) -> DataType {
    if let Some((schema, name)) = &ty.user {
        return DataType {
            schema: Some(schema.clone().unwrap_or_else(|| DEFAULT_SCHEMA.to_string())),
            name: name.clone(),
            modifiers: ty.modifiers.clone(),
            array: ty.array,
        };
    }
    let words = type_words(&ty.text);
    match DataType::parse(&ty.text) {
        Ok(parsed) => parsed,
        Err(TypeError::Unknown { .. }) => DataType {
            schema: Some(DEFAULT_SCHEMA.to_string()),
            name: words,
            modifiers: ty.modifiers.clone(),
            array: ty.array,
        },
        Err(TypeError::BadModifier { name, message }) => {
            let help = if message.contains("takes no") {
                format!("write `{words}` without `(...)`")
            } else {
                format!("change the modifier of `{name}` to a value in range")
            };
            cx.error(
                ty.modifiers_span.unwrap_or(ty.span),
                format!("invalid type `{}`: {message}", ty.text),
                help,
            );
            let mut fallback =
                DataType::parse(&words).unwrap_or_else(|_| DataType::named(DEFAULT_SCHEMA, words));
            fallback.array = ty.array;
            fallback
        }
    }
}

/// A type's words without modifiers or `[]`: `timestamp(3) with time zone` is
/// `timestamp with time zone`.
fn type_words(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.trim_end_matches("[]").chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn lower_sequence(
    cx: &Ctxt,
    s: &SequenceDecl,
    comment: Option<String>,
) -> (Sequence, SequenceSpans) {
    let sequence = Sequence {
        name: qualified(&s.name),
        data_type: s.data_type.as_ref().map(|t| lower_type(cx, t)),
        increment: s.increment,
        min_value: s.min_value,
        max_value: s.max_value,
        start: s.start,
        cache: s.cache,
        cycle: s.cycle,
        owned_by: s
            .owned_by
            .as_ref()
            .map(|(table, column)| (qualified(table), column.value.clone())),
        comment,
    };
    let spans = SequenceSpans {
        name: s.name.span(),
        ty: s.data_type.as_ref().map(|t| t.span),
        owned_by: s.owned_by.as_ref().map(|(t, c)| t.span().to(c.span)),
    };
    (sequence, spans)
}

/// A constraint before naming: `name` is `None` until derived.
struct Pending {
    name: Option<String>,
    kind: ConstraintKind,
    deferrable: bool,
    initially_deferred: bool,
    comment: Option<String>,
    spans: ConstraintSpans,
}

fn names(list: &NameList) -> Vec<String> {
    list.names.iter().map(|n| n.value.clone()).collect()
}

fn name_spans(list: &NameList) -> Vec<Sp> {
    list.names.iter().map(|n| n.span).collect()
}

fn lower_table(
    cx: &Ctxt,
    t: &TableDecl,
    comment: Option<String>,
    taken: &mut Taken,
) -> (Table, TableSpans) {
    let name = qualified(&t.name);
    let mut columns = Vec::new();
    let mut column_spans = Vec::new();
    let mut column_decls: Vec<&ColumnDecl> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut indexes: Vec<&IndexDecl> = Vec::new();
    let mut index_comments = Vec::new();
    for element in &t.elements {
        match &element.kind {
            ElementKind::Column(c) => {
                columns.push(lower_column(cx, c, element.docs.clone()));
                column_spans.push(ColumnSpans {
                    name: c.name.span,
                    ty: c.ty.span,
                    not_null: c.not_null,
                    default: c.default.as_ref().map(|d| d.span),
                    identity: c.identity.map(|(_, sp)| sp),
                    generated: c.generated.as_ref().map(|g| g.span),
                    collation: c.collate.as_ref().map(|n| n.span),
                    renamed_from: c.renamed_from.as_ref().map(|n| n.span),
                });
                column_decls.push(&**c);
                for con in &c.constraints {
                    pending.push(lower_column_constraint(&c.name, con));
                }
            }
            ElementKind::Constraint(con) => {
                let base = ConstraintSpans {
                    name: con.name.as_ref().map(|n| n.span),
                    kw: con.kw,
                    columns: Vec::new(),
                    include: Vec::new(),
                    ref_table: None,
                    ref_columns: None,
                    ref_column: Vec::new(),
                    expr: None,
                };
                let (kind, spans) = match &con.kind {
                    ConstraintDeclKind::PrimaryKey { columns, include } => (
                        ConstraintKind::PrimaryKey {
                            columns: names(columns),
                            include: include.as_ref().map(names).unwrap_or_default(),
                        },
                        ConstraintSpans {
                            columns: name_spans(columns),
                            include: include.as_ref().map(name_spans).unwrap_or_default(),
                            ..base
                        },
                    ),
                    ConstraintDeclKind::Unique {
                        columns,
                        include,
                        nulls_not_distinct,
                    } => (
                        ConstraintKind::Unique {
                            columns: names(columns),
                            include: include.as_ref().map(names).unwrap_or_default(),
                            nulls_not_distinct: *nulls_not_distinct,
                        },
                        ConstraintSpans {
                            columns: name_spans(columns),
                            include: include.as_ref().map(name_spans).unwrap_or_default(),
                            ..base
                        },
                    ),
                    ConstraintDeclKind::ForeignKey { columns, target } => (
                        ConstraintKind::ForeignKey {
                            columns: names(columns),
                            ref_table: qualified(&target.table),
                            ref_columns: target.columns.as_ref().map(names).unwrap_or_default(),
                            on_delete: target.on_delete,
                            on_update: target.on_update,
                        },
                        ConstraintSpans {
                            columns: name_spans(columns),
                            ref_table: Some(target.table.span()),
                            ref_columns: target.columns.as_ref().map(|c| c.span),
                            ref_column: target.columns.as_ref().map(name_spans).unwrap_or_default(),
                            ..base
                        },
                    ),
                    ConstraintDeclKind::Check(sql) => (
                        ConstraintKind::Check {
                            expr: sql.text.clone(),
                        },
                        ConstraintSpans {
                            expr: Some(sql.span),
                            ..base
                        },
                    ),
                };
                pending.push(Pending {
                    name: con.name.as_ref().map(|n| n.value.clone()),
                    kind,
                    deferrable: con.deferral.deferrable,
                    initially_deferred: con.deferral.initially_deferred,
                    comment: element.docs.clone(),
                    spans,
                });
            }
            ElementKind::Index(index) => {
                indexes.push(index);
                index_comments.push(element.docs.clone());
            }
        }
    }

    // Primary key columns are NOT NULL in the catalog; so are identity and serial columns.
    // `null` on any of them is PostgreSQL's "conflicting NULL/NOT NULL declarations".
    let pk_columns: HashSet<&str> = pending
        .iter()
        .filter_map(|p| match &p.kind {
            ConstraintKind::PrimaryKey { columns, .. } => Some(columns),
            _ => None,
        })
        .flatten()
        .map(String::as_str)
        .collect();
    for (column, decl) in columns.iter_mut().zip(&column_decls) {
        let reason = if pk_columns.contains(column.name.as_str()) {
            Some("is part of the primary key")
        } else if column.identity.is_some() {
            Some("is an identity column")
        } else if column.data_type.serial_base().is_some() {
            Some("is a serial column")
        } else {
            None
        };
        if let Some(reason) = reason {
            column.not_null = true;
            if let Some(null) = decl.null {
                cx.error(
                    null,
                    format!(
                        "column `{}` {reason}, which makes it `not null`; `null` contradicts that",
                        column.name
                    ),
                    "remove `null`",
                );
            }
        }
    }

    let table_name = name.name.clone();
    let schema = name.schema.clone();
    let key = |n: &str| (schema.clone(), n.to_string());

    // Serial and identity columns' sequences are named first, in the relation namespace.
    for column in &columns {
        if column.data_type.serial_base().is_some() || column.identity.is_some() {
            let seq = naming::choose_name(&table_name, Some(&column.name), "seq", |n| {
                taken.relations.contains(&key(n))
            });
            taken.relations.insert(key(&seq));
        }
    }

    // PostgreSQL names checks while creating the table, then the indexes behind the primary
    // key and unique constraints (primary key first), then foreign keys.
    let column_names: HashSet<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    for p in pending.iter_mut().filter(|p| p.name.is_none()) {
        if let ConstraintKind::Check { expr: sql } = &p.kind {
            let single = expr::parse_expr(sql).ok().and_then(|e| {
                let refs: Vec<String> = expr::referenced_columns(&e)
                    .into_iter()
                    .filter(|r| column_names.contains(r.as_str()))
                    .collect();
                match refs.as_slice() {
                    [only] => Some(only.clone()),
                    _ => None,
                }
            });
            let derived = naming::check_name(&table_name, single.as_deref(), |n| {
                taken.constraints.contains(&key(n))
            });
            taken.constraints.insert(key(&derived));
            p.name = Some(derived);
        }
    }
    let order = |k: &ConstraintKind| match k {
        ConstraintKind::PrimaryKey { .. } => 0,
        ConstraintKind::Unique { .. } => 1,
        _ => 2,
    };
    let mut unnamed: Vec<usize> = (0..pending.len())
        .filter(|&i| pending[i].name.is_none())
        .collect();
    unnamed.sort_by_key(|&i| order(&pending[i].kind));
    for i in unnamed {
        let p = &mut pending[i];
        let derived = match &p.kind {
            ConstraintKind::PrimaryKey { .. } => naming::primary_key_name(&table_name, |n| {
                taken.relations.contains(&key(n)) || taken.constraints.contains(&key(n))
            }),
            ConstraintKind::Unique {
                columns, include, ..
            } => {
                let colnames = index_column_names(columns.iter().chain(include).cloned());
                naming::unique_name(&table_name, colnames.iter().map(String::as_str), |n| {
                    taken.relations.contains(&key(n)) || taken.constraints.contains(&key(n))
                })
            }
            ConstraintKind::ForeignKey { columns, .. } => {
                naming::foreign_key_name(&table_name, columns.iter().map(String::as_str), |n| {
                    taken.constraints.contains(&key(n))
                })
            }
            ConstraintKind::Check { .. } => continue,
        };
        if matches!(
            p.kind,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }
        ) {
            taken.relations.insert(key(&derived));
        }
        taken.constraints.insert(key(&derived));
        p.name = Some(derived);
    }

    let mut constraints = Vec::new();
    let mut constraint_spans = Vec::new();
    for p in pending {
        constraints.push(Constraint {
            name: p.name.unwrap_or_default(),
            kind: p.kind,
            deferrable: p.deferrable,
            initially_deferred: p.initially_deferred,
            comment: p.comment,
        });
        constraint_spans.push(p.spans);
    }

    let mut lowered_indexes = Vec::new();
    let mut index_spans = Vec::new();
    for (index, comment) in indexes.into_iter().zip(index_comments) {
        let (mut lowered, spans, element_names) = lower_index(index, comment);
        if index.name.is_none() {
            let colnames = index_column_names(
                element_names
                    .into_iter()
                    .chain(lowered.include.iter().cloned()),
            );
            lowered.name =
                naming::index_name(&table_name, colnames.iter().map(String::as_str), |n| {
                    taken.relations.contains(&key(n))
                });
            taken.relations.insert(key(&lowered.name));
        }
        lowered_indexes.push(lowered);
        index_spans.push(spans);
    }

    let table = Table {
        name,
        columns,
        constraints,
        indexes: lowered_indexes,
        comment,
        renamed_from: t.renamed_from.as_ref().map(|n| n.value.clone()),
    };
    let spans = TableSpans {
        name: t.name.span(),
        renamed_from: t.renamed_from.as_ref().map(|n| n.span),
        columns: column_spans,
        constraints: constraint_spans,
        indexes: index_spans,
    };
    (table, spans)
}

/// `ChooseIndexColumnNames`: each index column's name, a repeated one numbered (`a`, `a1`).
fn index_column_names(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut result: Vec<String> = Vec::new();
    for orig in names {
        let mut current = orig.clone();
        let mut i = 1;
        while result.contains(&current) {
            let suffix = i.to_string();
            let mut end = orig
                .len()
                .min(schema_core::ident::MAX_IDENTIFIER_BYTES - suffix.len());
            while !orig.is_char_boundary(end) {
                end -= 1;
            }
            current = format!("{}{suffix}", &orig[..end]);
            i += 1;
        }
        result.push(current);
    }
    result
}

fn lower_column(cx: &Ctxt, c: &ColumnDecl, comment: Option<String>) -> Column {
    Column {
        name: c.name.value.clone(),
        data_type: lower_type(cx, &c.ty),
        not_null: c.not_null.is_some(),
        default: c.default.as_ref().map(|d| d.text.clone()),
        identity: c.identity.map(|(identity, _)| identity),
        generated: c.generated.as_ref().map(|g| g.text.clone()),
        collation: c.collate.as_ref().map(|n| n.value.clone()),
        comment,
        renamed_from: c.renamed_from.as_ref().map(|n| n.value.clone()),
    }
}

fn lower_column_constraint(column: &Name, con: &crate::ast::ColumnConstraint) -> Pending {
    let mut spans = ConstraintSpans {
        name: con.name.as_ref().map(|n| n.span),
        kw: con.kw,
        columns: vec![column.span],
        include: Vec::new(),
        ref_table: None,
        ref_columns: None,
        ref_column: Vec::new(),
        expr: None,
    };
    let columns = vec![column.value.clone()];
    let kind = match &con.kind {
        ColumnConstraintKind::PrimaryKey => ConstraintKind::PrimaryKey {
            columns,
            include: Vec::new(),
        },
        ColumnConstraintKind::Unique { nulls_not_distinct } => ConstraintKind::Unique {
            columns,
            include: Vec::new(),
            nulls_not_distinct: *nulls_not_distinct,
        },
        ColumnConstraintKind::References(target) => {
            spans.ref_table = Some(target.table.span());
            spans.ref_columns = target.columns.as_ref().map(|c| c.span);
            spans.ref_column = target.columns.as_ref().map(name_spans).unwrap_or_default();
            ConstraintKind::ForeignKey {
                columns,
                ref_table: qualified(&target.table),
                ref_columns: target.columns.as_ref().map(names).unwrap_or_default(),
                on_delete: target.on_delete,
                on_update: target.on_update,
            }
        }
        ColumnConstraintKind::Check(sql) => {
            spans.expr = Some(sql.span);
            ConstraintKind::Check {
                expr: sql.text.clone(),
            }
        }
    };
    Pending {
        name: con.name.as_ref().map(|n| n.value.clone()),
        kind,
        deferrable: con.deferral.deferrable,
        initially_deferred: con.deferral.initially_deferred,
        comment: None,
        spans,
    }
}

/// The index, its spans, and the name PostgreSQL gives each key element
/// (`FigureIndexColname`), which an unnamed index is named after.
fn lower_index(index: &IndexDecl, comment: Option<String>) -> (Index, IndexSpans, Vec<String>) {
    let mut elements = Vec::new();
    let mut element_spans = Vec::new();
    let mut element_names = Vec::new();
    for e in &index.elements {
        let (target, name) = match &e.target {
            ElemTarget::Column(name) => {
                (IndexTarget::Column(name.value.clone()), name.value.clone())
            }
            ElemTarget::Expr { sql, .. } => match expr::parse_expr(&sql.text) {
                // `"email"` or `"\"Email\""`: PostgreSQL treats `(column)` as the column.
                Ok(sqlparser::ast::Expr::Identifier(ident)) => {
                    let column = if ident.quote_style.is_some() {
                        ident.value
                    } else {
                        ident.value.to_lowercase()
                    };
                    (IndexTarget::Column(column.clone()), column)
                }
                Ok(parsed) => (
                    IndexTarget::Expression(sql.text.clone()),
                    expr::index_column_name(&parsed),
                ),
                Err(_) => (
                    IndexTarget::Expression(sql.text.clone()),
                    "expr".to_string(),
                ),
            },
        };
        element_names.push(name);
        elements.push(IndexElement {
            target,
            collation: e.collation.as_ref().map(|n| n.value.clone()),
            opclass: e.opclass.as_ref().map(|n| n.value.clone()),
            descending: e.descending,
            nulls_first: e.nulls_first,
        });
        element_spans.push(ElementSpans {
            span: e.target.span(),
            idents: match &e.target {
                ElemTarget::Expr { idents, .. } => idents.clone(),
                ElemTarget::Column(_) => Vec::new(),
            },
        });
    }
    let lowered = Index {
        name: index
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_default(),
        unique: index.unique,
        method: index
            .method
            .as_ref()
            .map(|m| IndexMethod::from_name(&m.value))
            .unwrap_or_default(),
        elements,
        include: index.include.as_ref().map(names).unwrap_or_default(),
        predicate: index.predicate.as_ref().map(|p| p.text.clone()),
        nulls_not_distinct: index.nulls_not_distinct.is_some(),
        comment,
    };
    let spans = IndexSpans {
        name: index.name.as_ref().map(|n| n.span),
        kw: index.kw,
        method: index.method.as_ref().map(|m| m.span),
        elements: element_spans,
        include: index.include.as_ref().map(name_spans).unwrap_or_default(),
        predicate: index.predicate.as_ref().map(|p| p.span),
        nulls_not_distinct: index.nulls_not_distinct,
    };
    (lowered, spans, element_names)
}

fn lower_function(
    cx: &Ctxt,
    f: &FunctionDecl,
    comment: Option<String>,
) -> (Function, FunctionSpans) {
    let args = f
        .args
        .iter()
        .map(|a| FunctionArg {
            mode: a.mode,
            name: a.name.as_ref().map(|n| n.value.clone()),
            data_type: lower_type(cx, &a.ty),
            default: a.default.as_ref().map(|d| d.text.clone()),
        })
        .collect();
    let (returns, returns_columns) = match &f.returns {
        None => (None, Vec::new()),
        Some(r) => match &r.kind {
            ReturnsKind::Type(t) => (Some(Returns::Type(lower_type(cx, t))), Vec::new()),
            ReturnsKind::SetOf(t) => (Some(Returns::SetOf(lower_type(cx, t))), Vec::new()),
            ReturnsKind::Table(columns) => (
                Some(Returns::Table(
                    columns
                        .iter()
                        .map(|(n, t)| (n.value.clone(), lower_type(cx, t)))
                        .collect(),
                )),
                columns.iter().map(|(_, t)| t.span).collect(),
            ),
        },
    };
    let function = Function {
        name: qualified(&f.name),
        is_procedure: f.is_procedure,
        args,
        returns,
        // Language names are identifiers PostgreSQL folds to lower case.
        language: f.language.value.to_lowercase(),
        body: f.body.text.clone(),
        volatility: f.volatility,
        strict: f.strict,
        security_definer: f.security_definer,
        config: f.config.clone(),
        comment,
    };
    let spans = FunctionSpans {
        name: f.name.span(),
        arg_names: f
            .args
            .iter()
            .map(|a| a.name.as_ref().map(|n| n.span))
            .collect(),
        arg_types: f.args.iter().map(|a| a.ty.span).collect(),
        arg_defaults: f
            .args
            .iter()
            .map(|a| a.default.as_ref().map(|d| d.span))
            .collect(),
        returns: f.returns.as_ref().map(|r| r.span),
        returns_columns,
        language: f.language.span,
        body: f.body.span,
    };
    (function, spans)
}

fn lower_trigger(t: &TriggerDecl, comment: Option<String>) -> (Trigger, TriggerSpans) {
    let trigger = Trigger {
        name: t.name.value.clone(),
        table: qualified(&t.table),
        timing: t.timing,
        events: t
            .events
            .iter()
            .map(|e| match e.kind {
                EventKind::Insert => TriggerEvent::Insert,
                EventKind::Update => {
                    TriggerEvent::Update(e.columns.iter().map(|c| c.value.clone()).collect())
                }
                EventKind::Delete => TriggerEvent::Delete,
                EventKind::Truncate => TriggerEvent::Truncate,
            })
            .collect(),
        for_each_row: t.for_each_row,
        when: t.when.as_ref().map(|w| w.text.clone()),
        function: qualified(&t.function),
        args: t.args.clone(),
        comment,
    };
    let spans = TriggerSpans {
        name: t.name.span,
        table: t.table.span(),
        events: t.events.iter().map(|e| e.span).collect(),
        update_columns: t
            .events
            .iter()
            .map(|e| e.columns.iter().map(|c| c.span).collect())
            .collect(),
        when: t.when.as_ref().map(|w| w.span),
        function: t.function.span(),
    };
    (trigger, spans)
}

fn lower_view(v: &ViewDecl, comment: Option<String>) -> (View, ViewSpans) {
    let view = View {
        name: qualified(&v.name),
        columns: v.columns.as_ref().map(names).unwrap_or_default(),
        query: v.query.text.clone(),
        comment,
    };
    let spans = ViewSpans {
        name: v.name.span(),
        columns: v.columns.as_ref().map(name_spans).unwrap_or_default(),
        query: v.query.span,
    };
    (view, spans)
}

/// `references T` without columns references `T`'s primary key, wherever `T` is declared.
fn fill_implied_references(schema: &mut Schema) {
    let keys: HashMap<QualifiedName, Vec<String>> = schema
        .tables
        .iter()
        .filter_map(|t| {
            t.primary_key()
                .map(|pk| (t.name.clone(), pk.kind.columns().to_vec()))
        })
        .collect();
    for table in &mut schema.tables {
        for constraint in &mut table.constraints {
            if let ConstraintKind::ForeignKey {
                ref_table,
                ref_columns,
                ..
            } = &mut constraint.kind
            {
                if ref_columns.is_empty() {
                    if let Some(key) = keys.get(ref_table) {
                        ref_columns.clone_from(key);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_column_names_number_repeats() {
        let names = index_column_names(["lower".to_string(), "lower".to_string(), "a".to_string()]);
        assert_eq!(names, ["lower", "lower1", "a"]);
    }

    #[test]
    fn type_words_drop_modifiers() {
        assert_eq!(
            type_words("timestamp(3) with time zone"),
            "timestamp with time zone"
        );
        assert_eq!(type_words("numeric(10,2)[]"), "numeric");
    }
}
