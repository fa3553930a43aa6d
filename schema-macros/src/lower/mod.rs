//! Lowering, macro side: the syntax IR into the builder's declaration form, which
//! [`SchemaBuilder::build`](schema_core::builder::SchemaBuilder::build) lowers to the model
//! through the same path a hand-written builder takes; next to it, the span table parallel
//! to that model, so each diagnostic maps back to the exact token.
//!
//! Nothing is derived here (names, lifted column constraints, implied references and
//! `NOT NULL`s are schema-core's); the macro only maps syntax and reports what the model
//! cannot hold (a bad type modifier, `null` on a column PostgreSQL makes `not null`).

mod grant;
mod objects;
mod table;
mod types;
mod user_types;

use schema_core::model::{
    EnumType, Extension, Namespace, QualifiedName, RowSecurity, Schema, DEFAULT_SCHEMA,
};

use crate::ast::{Item, ItemKind, NameList, QName};
use crate::ctxt::{Ctxt, Sp};
use crate::spans::{EnumSpans, ExtensionSpans, Spans};

/// The lowered schema and where each of its parts was written.
pub struct Lowered {
    /// The model.
    pub schema: Schema,
    /// Its spans, by the model's indexes.
    pub spans: Spans,
}

/// Lowers the parsed items. Problems the model cannot represent go to `cx`; everything else
/// is left to the checks.
pub fn lower(cx: &Ctxt, items: &[Item]) -> Lowered {
    let mut builder = Schema::builder();
    let mut spans = Spans::default();
    for item in items {
        let comment = item.docs.clone();
        match &item.kind {
            ItemKind::Extension(e) => {
                builder = builder.extension(Extension {
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
                builder = builder.schema(Namespace {
                    name: name.value.clone(),
                    comment,
                });
                spans.namespaces.push(name.span);
            }
            ItemKind::Enum(e) => {
                builder = builder.enum_def(EnumType {
                    name: qualified(&e.name),
                    values: e.labels.iter().map(|l| l.value.clone()).collect(),
                    comment,
                });
                spans.enums.push(EnumSpans {
                    name: e.name.span(),
                    labels: e.labels.iter().map(|l| l.span).collect(),
                });
            }
            ItemKind::Domain(d) => {
                let (domain, d_spans) = user_types::domain(cx, d, comment);
                builder = builder.domain(domain);
                spans.domains.push(d_spans);
            }
            ItemKind::Composite(c) => {
                let (composite, c_spans) = user_types::composite(cx, c, comment);
                builder = builder.composite_type(composite);
                spans.composites.push(c_spans);
            }
            ItemKind::Range(r) => {
                let (range, r_spans) = user_types::range(cx, r, comment);
                builder = builder.range_type(range);
                spans.ranges.push(r_spans);
            }
            ItemKind::Sequence(s) => {
                let (sequence, s_spans) = objects::sequence(cx, s, comment);
                builder = builder.sequence(sequence);
                spans.sequences.push(s_spans);
            }
            ItemKind::Table(t) => {
                let (table, t_spans) = table::table(cx, t, comment);
                builder = builder.table(table);
                spans.tables.push(t_spans);
            }
            ItemKind::Function(f) => {
                let (function, f_spans) = objects::function(cx, f, comment);
                builder = builder.function(function);
                spans.functions.push(f_spans);
            }
            ItemKind::Aggregate(a) => {
                builder = builder.aggregate(objects::aggregate(cx, a, comment));
            }
            ItemKind::Trigger(t) => {
                let (trigger, t_spans) = objects::trigger(t, comment);
                builder = builder.trigger(trigger);
                spans.triggers.push(t_spans);
            }
            ItemKind::View(v) => {
                let (view, v_spans) = objects::view(v, comment);
                builder = builder.view(view);
                spans.views.push(v_spans);
            }
            ItemKind::RowSecurity(r) => {
                if comment.is_some() {
                    cx.error(
                        r.table.span(),
                        "row level security takes no doc comment",
                        "remove the doc comment (PostgreSQL has nowhere to keep it), or put it on the table",
                    );
                }
                builder = builder.row_security(RowSecurity {
                    table: qualified(&r.table),
                    force: r.force,
                });
                spans.row_security.push(r.table.span());
            }
            ItemKind::Policy(p) => {
                let (policy, p_spans) = objects::policy(p, comment);
                builder = builder.policy(policy);
                spans.policies.push(p_spans);
            }
            ItemKind::Grant(g) => {
                for (grant, g_spans) in grant::grants(cx, g, comment) {
                    builder = builder.grant(grant);
                    spans.grants.push(g_spans);
                }
            }
            ItemKind::DefaultPrivileges(d) => {
                let (defaults, d_spans) = grant::default_privileges(cx, d, comment);
                builder = builder.default_privileges(defaults);
                spans.default_privileges.push(d_spans);
            }
        }
    }
    let schema = builder.build();
    partition_column_spans(&schema, &mut spans);
    // The span table is built beside the declarations, not from the model: it is parallel
    // only because lowering keeps every element where it was declared.
    debug_assert!(schema.tables.iter().zip(&spans.tables).all(|(t, s)| {
        t.columns.len() == s.columns.len()
            && t.constraints.len() == s.constraints.len()
            && t.indexes.len() == s.indexes.len()
    }));
    Lowered { schema, spans }
}

/// A partition's columns are its parent's, copied by lowering: so are their spans (a
/// diagnostic about one points where the parent declares it).
fn partition_column_spans(schema: &Schema, spans: &mut Spans) {
    for (i, table) in schema.tables.iter().enumerate() {
        if table.partition_of.is_none() || table.columns.is_empty() {
            continue;
        }
        // The top of its tree: the first table up the parents that is no partition.
        let mut at = i;
        for _ in 0..schema.tables.len() {
            let Some(of) = &schema.tables[at].partition_of else {
                break;
            };
            match schema.tables.iter().position(|t| t.name == of.parent) {
                Some(p) => at = p,
                None => break,
            }
        }
        if at != i && schema.tables[at].partition_of.is_none() {
            let columns = spans.tables[at].columns.clone();
            spans.tables[i].columns = columns;
        }
    }
}

/// `name` or `schema.name`, in `public` unless qualified.
fn qualified(name: &QName) -> QualifiedName {
    QualifiedName::new(
        name.schema
            .as_ref()
            .map_or(DEFAULT_SCHEMA, |s| s.value.as_str()),
        name.name.value.clone(),
    )
}

fn names(list: &NameList) -> Vec<String> {
    list.names.iter().map(|n| n.value.clone()).collect()
}

fn name_spans(list: &NameList) -> Vec<Sp> {
    list.names.iter().map(|n| n.span).collect()
}
