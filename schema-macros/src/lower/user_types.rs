//! Domains, composite and range types: syntax into the builder's declarations, with spans.

use schema_core::builder::DomainDef;
use schema_core::ident::quote_ident;
use schema_core::model::{CompositeAttribute, CompositeType, QualifiedName, RangeType};

use crate::ast::{CompositeDecl, DomainDecl, QName, RangeDecl};
use crate::ctxt::Ctxt;
use crate::spans::{CompositeSpans, DomainSpans, RangeSpans};

use super::qualified;
use super::types::lower_type;

pub(super) fn domain(
    cx: &Ctxt,
    d: &DomainDecl,
    comment: Option<String>,
) -> (DomainDef, DomainSpans) {
    let mut def = DomainDef::new(qualified(&d.name), lower_type(cx, &d.ty));
    if d.not_null.is_some() {
        def = def.not_null();
    }
    if let Some(default) = &d.default {
        def = def.default_sql(default.text.clone());
    }
    if let Some(collation) = &d.collate {
        def = def.collate(collation.value.clone());
    }
    for check in &d.checks {
        def = match &check.name {
            Some(name) => def.named_check(name.value.clone(), check.expr.text.clone()),
            None => def.check(check.expr.text.clone()),
        };
    }
    if let Some(comment) = comment {
        def = def.comment(comment);
    }
    let spans = DomainSpans {
        name: d.name.span(),
        ty: d.ty.span,
        default: d.default.as_ref().map(|x| x.span),
        collation: d.collate.as_ref().map(|x| x.span),
        checks: d
            .checks
            .iter()
            .map(|c| (c.name.as_ref().map(|n| n.span), c.kw, c.expr.span))
            .collect(),
    };
    (def, spans)
}

pub(super) fn composite(
    cx: &Ctxt,
    c: &CompositeDecl,
    comment: Option<String>,
) -> (CompositeType, CompositeSpans) {
    let composite = CompositeType {
        name: qualified(&c.name),
        attributes: c
            .attributes
            .iter()
            .map(|a| CompositeAttribute {
                name: a.name.value.clone(),
                data_type: lower_type(cx, &a.ty),
                collation: a.collate.as_ref().map(|n| n.value.clone()),
                comment: a.docs.clone(),
            })
            .collect(),
        comment,
    };
    let spans = CompositeSpans {
        name: c.name.span(),
        attribute_names: c.attributes.iter().map(|a| a.name.span).collect(),
        attribute_types: c.attributes.iter().map(|a| a.ty.span).collect(),
    };
    (composite, spans)
}

/// A function named as SQL names it: each part quoted as needed (`float8mi`, `audit."Diff"`).
fn sql_name(name: &QName) -> String {
    let last = quote_ident(&name.name.value);
    match &name.schema {
        Some(schema) => format!("{}.{last}", quote_ident(&schema.value)),
        None => last.into_owned(),
    }
}

pub(super) fn range(cx: &Ctxt, r: &RangeDecl, comment: Option<String>) -> (RangeType, RangeSpans) {
    let name = qualified(&r.name);
    let subtype = r
        .subtype
        .as_ref()
        .map(|t| lower_type(cx, t))
        .unwrap_or_else(|| schema_core::DataType::builtin("integer"));
    let mut range = RangeType::new(name.clone(), subtype);
    if let Some(opclass) = &r.subtype_opclass {
        range = range.subtype_opclass(opclass.value.clone());
    }
    if let Some(collation) = &r.collation {
        range = range.collation(collation.value.clone());
    }
    if let Some(diff) = &r.subtype_diff {
        range = range.subtype_diff(sql_name(diff));
    }
    if let Some(multirange) = &r.multirange_type_name {
        // Unqualified, it lives with its range.
        let schema = multirange
            .schema
            .as_ref()
            .map_or(name.schema.clone(), |s| s.value.clone());
        range =
            range.multirange_type_name(QualifiedName::new(schema, multirange.name.value.clone()));
    }
    if let Some(comment) = comment {
        range = range.comment(comment);
    }
    let spans = RangeSpans {
        name: r.name.span(),
        subtype: r.subtype.as_ref().map_or(r.kw, |t| t.span),
        subtype_diff: r.subtype_diff.as_ref().map(QName::span),
        multirange: r.multirange_type_name.as_ref().map(QName::span),
    };
    (range, spans)
}
