//! A table declaration into the builder's [`TableDef`] (columns with their constraints,
//! table constraints and indexes in the order written) and the spans parallel to the table
//! schema-core lowers from it: constraints in that same order, column constraints at their
//! column, indexes in order.

use std::cell::RefCell;
use std::collections::HashMap;

use schema_core::builder::{ColumnDef, ConstraintDef, IndexDef, References, TableDef};
use schema_core::expr;
use schema_core::model::ExclusionElement;
use schema_core::model::{
    IndexElement, IndexMethod, IndexTarget, PartitionBound, PartitionKey, PartitionKeyElement,
    Storage,
};

use crate::ast::{
    BoundDecl, ColumnConstraint, ColumnConstraintKind, ColumnDecl, ConstraintDecl,
    ConstraintDeclKind, Deferral, ElemTarget, ElementKind, ExclusionElem, FkTarget, IndexDecl,
    IndexElem, Name, TableDecl,
};
use crate::ctxt::Ctxt;
use crate::spans::{ColumnSpans, ConstraintSpans, ElementSpans, IndexSpans, TableSpans};

use super::types::lower_type;
use super::{name_spans, names, qualified};

/// The table's declaration and spans. A `null` on a column PostgreSQL makes `not null`
/// (primary key, identity, serial) is reported here: it is PostgreSQL's "conflicting
/// NULL/NOT NULL declarations".
pub(super) fn table(cx: &Ctxt, t: &TableDecl, comment: Option<String>) -> (TableDef, TableSpans) {
    let mut def = TableDef::new(qualified(&t.name));
    if let Some(comment) = comment {
        def = def.comment(comment);
    }
    if let Some(old) = &t.renamed_from {
        def = def.renamed_from(old.value.clone());
    }
    if t.unlogged.is_some() {
        def = def.unlogged();
    }
    for (name, value) in &t.storage {
        def = def.storage(name.clone(), value.clone());
    }
    let mut spans = TableSpans {
        name: t.name.span(),
        renamed_from: t.renamed_from.as_ref().map(|n| n.span),
        partition_parent: t.partition_of.as_ref().map(|of| of.parent.span()),
        partition_bound: t.partition_of.as_ref().map(|of| of.bound_span),
        partition_by: t.partition_by.as_ref().map(|by| by.kw),
        partition_key: Vec::new(),
        unlogged: t.unlogged,
        columns: Vec::new(),
        constraints: Vec::new(),
        indexes: Vec::new(),
    };
    if let Some(of) = &t.partition_of {
        let bound = match &of.bound {
            BoundDecl::Range { from, to } => PartitionBound::range(from.clone(), to.clone()),
            BoundDecl::List(values) => PartitionBound::list(values.clone()),
            BoundDecl::Hash { modulus, remainder } => PartitionBound::hash(*modulus, *remainder),
            BoundDecl::Default => PartitionBound::Default,
        };
        def = def.partition_of(qualified(&of.parent), bound);
    }
    if let Some(by) = &t.partition_by {
        let mut key = PartitionKey::new(by.strategy, Vec::<String>::new());
        for e in &by.elements {
            let (element, element_spans) = key_element(e);
            key = key.element(PartitionKeyElement {
                target: element.target,
                collation: element.collation,
                opclass: element.opclass,
            });
            spans.partition_key.push(element_spans);
        }
        def = def.partition_by(key);
    }
    let mut column_decls: Vec<&ColumnDecl> = Vec::new();
    for element in &t.elements {
        match &element.kind {
            ElementKind::Column(c) => {
                def = def.column(column(cx, c, element.docs.clone()));
                spans.columns.push(column_spans(c));
                spans.constraints.extend(
                    c.constraints
                        .iter()
                        .map(|con| column_constraint_spans(&c.name, con)),
                );
                column_decls.push(c);
            }
            ElementKind::Constraint(con) => {
                let (constraint, constraint_spans) = table_constraint(con, element.docs.clone());
                def = def.constraint(constraint);
                spans.constraints.push(constraint_spans);
            }
            ElementKind::Index(index_decl) => {
                let (index, index_spans) = index(index_decl, element.docs.clone());
                def = def.index(index);
                spans.indexes.push(index_spans);
            }
        }
    }
    for (i, decl) in column_decls.iter().enumerate() {
        if let (Some(null), Some(reason)) = (decl.null, def.implied_not_null(i)) {
            cx.error(
                null,
                format!(
                    "column `{}` {}, which makes it `not null`; `null` contradicts that",
                    decl.name.value,
                    reason.describe()
                ),
                "remove `null`",
            );
        }
    }
    (def, spans)
}

fn column(cx: &Ctxt, c: &ColumnDecl, comment: Option<String>) -> ColumnDef {
    let data_type = lower_type(cx, &c.ty);
    let plain_only = schema_core::model::builtin_storage(&data_type) == Some(Storage::Plain);
    let mut def = ColumnDef::new(c.name.value.clone(), data_type);
    if c.not_null.is_some() {
        def = def.not_null();
    }
    if let Some(default) = &c.default {
        def = def.default_sql(default.text.clone());
    }
    if let Some((identity, _)) = c.identity {
        def = def.identity(identity);
    }
    if let Some(generated) = &c.generated {
        def = def.generated_stored(generated.text.clone());
    }
    if let Some(collation) = &c.collate {
        def = def.collate(collation.value.clone());
    }
    if let Some(comment) = comment {
        def = def.comment(comment);
    }
    if let Some(old) = &c.renamed_from {
        def = def.renamed_from(old.value.clone());
    }
    if let Some(using) = &c.using {
        def = def.using(using.text.clone());
    }
    if let Some((target, _)) = c.statistics {
        def = def.statistics(target);
    }
    if let Some((storage, at)) = c.storage {
        // PostgreSQL refuses any storage but `plain` for a fixed-length type.
        if storage != Storage::Plain && plain_only {
            cx.error(
                at,
                format!(
                    "column `{}` of type `{}` cannot have storage `{}`",
                    c.name.value,
                    c.ty.text,
                    storage.keyword()
                ),
                "a fixed-length type is always stored `plain`: remove the storage",
            );
        }
        def = def.storage(storage);
    }
    if let Some(method) = &c.compression {
        def = def.compression(method.value.clone());
    }
    for (name, value) in c.options.iter().flat_map(|(o, _)| o) {
        def = def.option(name.clone(), value.clone());
    }
    for con in &c.constraints {
        if let Some(name) = &con.name {
            def = def.constraint(name.value.clone());
        }
        def = match &con.kind {
            ColumnConstraintKind::PrimaryKey => def.primary_key(),
            ColumnConstraintKind::Unique {
                nulls_not_distinct: false,
            } => def.unique(),
            ColumnConstraintKind::Unique {
                nulls_not_distinct: true,
            } => def.unique_nulls_not_distinct(),
            ColumnConstraintKind::References(target) => def.references(references(target)),
            ColumnConstraintKind::Check(sql) => def.check(sql.text.clone()),
        };
        // The parser gives a check no deferral, so these never panic.
        if con.deferral.initially_deferred {
            def = def.initially_deferred();
        } else if con.deferral.deferrable {
            def = def.deferrable();
        }
        // The parser takes `not valid` on checks and references only.
        if con.not_valid {
            def = def.not_valid();
        }
    }
    def
}

fn column_spans(c: &ColumnDecl) -> ColumnSpans {
    ColumnSpans {
        name: c.name.span,
        ty: c.ty.span,
        not_null: c.not_null,
        default: c.default.as_ref().map(|d| d.span),
        identity: c.identity.map(|(_, sp)| sp),
        generated: c.generated.as_ref().map(|g| g.span),
        collation: c.collate.as_ref().map(|n| n.span),
        renamed_from: c.renamed_from.as_ref().map(|n| n.span),
        using: c.using.as_ref().map(|u| u.span),
    }
}

fn references(target: &FkTarget) -> References {
    References::table(qualified(&target.table))
        .columns(target.columns.as_ref().map(names).unwrap_or_default())
        .on_delete(target.on_delete)
        .on_update(target.on_update)
}

/// A column constraint's spans: its columns are the column's name.
fn column_constraint_spans(column: &Name, con: &ColumnConstraint) -> ConstraintSpans {
    let mut spans = ConstraintSpans {
        name: con.name.as_ref().map(|n| n.span),
        kw: con.kw,
        columns: vec![column.span],
        include: Vec::new(),
        ref_table: None,
        ref_columns: None,
        ref_column: Vec::new(),
        expr: None,
        operators: Vec::new(),
    };
    match &con.kind {
        ColumnConstraintKind::PrimaryKey | ColumnConstraintKind::Unique { .. } => {}
        ColumnConstraintKind::References(target) => {
            spans.ref_table = Some(target.table.span());
            spans.ref_columns = target.columns.as_ref().map(|c| c.span);
            spans.ref_column = target.columns.as_ref().map(name_spans).unwrap_or_default();
        }
        ColumnConstraintKind::Check(sql) => spans.expr = Some(sql.span),
    }
    spans
}

fn table_constraint(
    con: &ConstraintDecl,
    comment: Option<String>,
) -> (ConstraintDef, ConstraintSpans) {
    let mut spans = ConstraintSpans {
        name: con.name.as_ref().map(|n| n.span),
        kw: con.kw,
        columns: Vec::new(),
        include: Vec::new(),
        ref_table: None,
        ref_columns: None,
        ref_column: Vec::new(),
        expr: None,
        operators: Vec::new(),
    };
    let mut def = match &con.kind {
        ConstraintDeclKind::PrimaryKey { columns, include } => {
            spans.columns = name_spans(columns);
            let mut def = ConstraintDef::primary_key(names(columns));
            if let Some(include) = include {
                spans.include = name_spans(include);
                def = def.include(names(include));
            }
            def
        }
        ConstraintDeclKind::Unique {
            columns,
            include,
            nulls_not_distinct,
        } => {
            spans.columns = name_spans(columns);
            let mut def = ConstraintDef::unique(names(columns));
            if let Some(include) = include {
                spans.include = name_spans(include);
                def = def.include(names(include));
            }
            if *nulls_not_distinct {
                def = def.nulls_not_distinct();
            }
            def
        }
        ConstraintDeclKind::ForeignKey { columns, target } => {
            spans.columns = name_spans(columns);
            spans.ref_table = Some(target.table.span());
            spans.ref_columns = target.columns.as_ref().map(|c| c.span);
            spans.ref_column = target.columns.as_ref().map(name_spans).unwrap_or_default();
            ConstraintDef::foreign_key(names(columns), references(target))
        }
        ConstraintDeclKind::Check(sql) => {
            spans.expr = Some(sql.span);
            ConstraintDef::check(sql.text.clone())
        }
        ConstraintDeclKind::Exclusion {
            method,
            elements,
            include,
            predicate,
        } => {
            let method = method
                .as_ref()
                .map_or(IndexMethod::Btree, |m| IndexMethod::from_name(&m.value));
            let mut lowered = Vec::new();
            for ExclusionElem {
                elem,
                operator,
                operator_span,
            } in elements
            {
                let (element, element_spans) = key_element(elem);
                spans.columns.push(element_spans.span);
                spans.operators.push(*operator_span);
                lowered.push(ExclusionElement {
                    element,
                    operator: operator.clone(),
                });
            }
            let mut def = ConstraintDef::exclude(method, lowered);
            if let Some(include) = include {
                spans.include = name_spans(include);
                def = def.include(names(include));
            }
            if let Some(predicate) = predicate {
                spans.expr = Some(predicate.span);
                def = def.where_sql(predicate.text.clone());
            }
            def
        }
    };
    if let Some(name) = &con.name {
        def = def.named(name.value.clone());
    }
    def = deferral(def, con.deferral);
    if con.not_valid {
        def = def.not_valid();
    }
    if let Some(comment) = comment {
        def = def.comment(comment);
    }
    (def, spans)
}

fn deferral(def: ConstraintDef, deferral: Deferral) -> ConstraintDef {
    if deferral.initially_deferred {
        def.initially_deferred()
    } else if deferral.deferrable {
        def.deferrable()
    } else {
        def
    }
}

/// The index and its spans. `(email)` written as an expression is the column `email`, as
/// PostgreSQL reads it.
pub(super) fn index(index: &IndexDecl, comment: Option<String>) -> (IndexDef, IndexSpans) {
    let mut def = IndexDef::new();
    if let Some(name) = &index.name {
        def = def.named(name.value.clone());
    }
    if index.unique {
        def = def.unique();
    }
    if let Some(method) = &index.method {
        def = def.using(IndexMethod::from_name(&method.value));
    }
    let mut element_spans = Vec::new();
    for e in &index.elements {
        let (element, spans) = key_element(e);
        def = def.element(element);
        element_spans.push(spans);
    }
    if let Some(include) = &index.include {
        def = def.include(names(include));
    }
    if let Some(predicate) = &index.predicate {
        def = def.where_sql(predicate.text.clone());
    }
    if index.nulls_not_distinct.is_some() {
        def = def.nulls_not_distinct();
    }
    for (name, value) in &index.storage {
        def = def.storage(name.clone(), value.clone());
    }
    if let Some(comment) = comment {
        def = def.comment(comment);
    }
    let spans = IndexSpans {
        name: index.name.as_ref().map(|n| n.span),
        kw: index.kw,
        method: index.method.as_ref().map(|m| m.span),
        elements: element_spans,
        include: index.include.as_ref().map(name_spans).unwrap_or_default(),
        predicate: index.predicate.as_ref().map(|p| p.span),
        nulls_not_distinct: index.nulls_not_distinct,
    };
    (def, spans)
}

/// An index or partition key element and its spans. `(email)` written as an expression is the
/// column `email`, as PostgreSQL reads it.
fn key_element(e: &IndexElem) -> (IndexElement, ElementSpans) {
    let target = match &e.target {
        ElemTarget::Column(name) => IndexTarget::Column(name.value.clone()),
        ElemTarget::Expr { sql, .. } => match bare_column(&sql.text) {
            Some(column) => IndexTarget::Column(column),
            None => IndexTarget::Expression(sql.text.clone()),
        },
    };
    let element = IndexElement {
        target,
        collation: e.collation.as_ref().map(|n| n.value.clone()),
        opclass: e.opclass.as_ref().map(|n| n.value.clone()),
        descending: e.descending,
        nulls_first: e.nulls_first,
    };
    let spans = ElementSpans {
        span: e.target.span(),
        idents: match &e.target {
            ElemTarget::Expr { idents, .. } => idents.clone(),
            ElemTarget::Column(_) => Vec::new(),
        },
    };
    (element, spans)
}

thread_local! {
    /// [`bare_column`]'s answers by fragment text: the same expression keys (`lower(email)`)
    /// repeat across tables, and sqlparser is the costly part of lowering them (issue 12).
    static BARE_COLUMNS: RefCell<HashMap<String, Option<String>>> = RefCell::new(HashMap::new());
}

/// The column an index key expression is, if it is a bare column: `"email"` or
/// `"\"Email\""`, which PostgreSQL treats as `(column)`. Memoized by text.
fn bare_column(sql: &str) -> Option<String> {
    if let Some(found) = BARE_COLUMNS.with(|memo| memo.borrow().get(sql).cloned()) {
        return found;
    }
    let column = match expr::parse_expr(sql) {
        Ok(sqlparser::ast::Expr::Identifier(ident)) => Some(if ident.quote_style.is_some() {
            ident.value
        } else {
            ident.value.to_lowercase()
        }),
        _ => None,
    };
    BARE_COLUMNS.with(|memo| memo.borrow_mut().insert(sql.to_string(), column.clone()));
    column
}
