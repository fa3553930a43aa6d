//! The kinds lowering passes through unchanged (sequences, functions, triggers, views,
//! policies):
//! syntax to model values, with their spans.

use schema_core::model::{
    Aggregate, Function, FunctionArg, PolicyCommand, Returns, RowPolicy, Sequence, Trigger,
    TriggerEvent, View,
};

use crate::ast::{
    AggregateDecl, ElementKind, EventKind, FunctionDecl, PolicyDecl, ReturnsKind, SequenceDecl,
    TriggerDecl, ViewDecl,
};
use crate::spans::{FunctionSpans, PolicySpans, SequenceSpans, TriggerSpans, ViewSpans};

use super::types::lower_type;
use super::{name_spans, names, qualified};
use crate::ctxt::Ctxt;

pub(super) fn sequence(
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

pub(super) fn function(
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
        body_style: f.body_style,
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

pub(super) fn trigger(t: &TriggerDecl, comment: Option<String>) -> (Trigger, TriggerSpans) {
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
        old_table: t.old_table.as_ref().map(|n| n.value.clone()),
        new_table: t.new_table.as_ref().map(|n| n.value.clone()),
        constraint: t.constraint.map(|(_, timing)| timing),
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
        referencing: t.referencing,
        constraint: t.constraint.map(|(kw, _)| kw),
    };
    (trigger, spans)
}

pub(super) fn view(v: &ViewDecl, comment: Option<String>) -> (View, ViewSpans) {
    let mut view = if v.materialized.is_some() {
        View::materialized(qualified(&v.name), v.query.text.clone())
    } else {
        View::new(qualified(&v.name), v.query.text.clone())
    };
    view = view.columns(v.columns.as_ref().map(names).unwrap_or_default());
    view.comment = comment;
    if v.no_data.is_some() {
        view = view.with_no_data();
    }
    let mut index_spans = Vec::new();
    for element in &v.indexes {
        if let ElementKind::Index(decl) = &element.kind {
            let (def, spans) = super::table::index(decl, element.docs.clone());
            // (The parser rejects an unnamed one.)
            let name = decl
                .name
                .as_ref()
                .map(|n| n.value.clone())
                .unwrap_or_default();
            view = view.index(name, def);
            index_spans.push(spans);
        }
    }
    let spans = ViewSpans {
        name: v.name.span(),
        materialized: v.materialized,
        indexes: index_spans,
        columns: v.columns.as_ref().map(name_spans).unwrap_or_default(),
        query: v.query.span,
    };
    (view, spans)
}

pub(super) fn aggregate(cx: &Ctxt, a: &AggregateDecl, comment: Option<String>) -> Aggregate {
    Aggregate {
        name: qualified(&a.name),
        args: a.args.iter().map(|t| lower_type(cx, t)).collect(),
        sfunc: qualified(&a.sfunc),
        stype: lower_type(cx, &a.stype),
        finalfunc: a.finalfunc.as_ref().map(qualified),
        initcond: a.initcond.clone(),
        comment,
    }
}

pub(super) fn policy(p: &PolicyDecl, comment: Option<String>) -> (RowPolicy, PolicySpans) {
    let policy = RowPolicy {
        name: p.name.value.clone(),
        table: qualified(&p.table),
        permissive: !p.restrictive,
        command: p.command.map_or(PolicyCommand::All, |(c, _)| c),
        roles: p.roles.iter().map(|r| r.value.clone()).collect(),
        using: p.using.as_ref().map(|s| s.text.clone()),
        with_check: p.with_check.as_ref().map(|s| s.text.clone()),
        comment,
    };
    let spans = PolicySpans {
        name: p.name.span,
        table: p.table.span(),
        command: p.command.map(|(_, sp)| sp),
        roles: p.roles.iter().map(|r| r.span).collect(),
        using: p.using.as_ref().map(|s| s.span),
        with_check: p.with_check.as_ref().map(|s| s.span),
    };
    (policy, spans)
}
