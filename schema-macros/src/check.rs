//! The shared rules of [`schema_core::check`], reported as compile errors: each
//! [`Location`] is looked up in the span table, so the caret lands on the exact token (the
//! second duplicate, the misspelt type, the missing column inside `index on (emial)`).

use schema_core::check::{
    ColumnPart, CompositePart, ConstraintPart, Diagnostic, DomainPart, EnumPart, ExtensionPart,
    FunctionPart, GrantPart, IndexPart, Location, PolicyPart, RangePart, SequencePart, TablePart,
    TriggerPart, ViewPart,
};

use crate::ctxt::{error, Ctxt, Sp};
use crate::lower::Lowered;
use crate::spans::{IndexSpans, Spans};

/// Runs the shared checks on the lowered schema and records each diagnostic in `cx`.
pub fn check(cx: &Ctxt, lowered: &Lowered) {
    for diagnostic in schema_core::check::check(&lowered.schema) {
        let at = locate(&lowered.spans, &diagnostic);
        let message = format!("{} [{}]", diagnostic.message, diagnostic.code);
        match &diagnostic.help {
            Some(help) => cx.error(at, message, help),
            None => cx.syn_error(error(at, message, None)),
        }
    }
}

/// Where `diagnostic` points; the macro invocation if the span table has no entry (which
/// would be a bug in lowering, not a reason to panic).
fn locate(spans: &Spans, diagnostic: &Diagnostic) -> Sp {
    find(spans, &diagnostic.location, diagnostic.subject.as_deref()).unwrap_or_else(Sp::call_site)
}

fn find(spans: &Spans, location: &Location, subject: Option<&str>) -> Option<Sp> {
    match *location {
        Location::Schema => None,
        Location::Extension { extension, part } => {
            let e = spans.extensions.get(extension)?;
            match part {
                ExtensionPart::Name => Some(e.name),
                ExtensionPart::Schema => e.schema.or(Some(e.name)),
            }
        }
        Location::Namespace { namespace } => spans.namespaces.get(namespace).copied(),
        Location::Enum { enum_type, part } => {
            let e = spans.enums.get(enum_type)?;
            match part {
                EnumPart::Name => Some(e.name),
                EnumPart::Label(l) => e.labels.get(l).copied().or(Some(e.name)),
            }
        }
        Location::Domain { domain, part } => {
            let d = spans.domains.get(domain)?;
            Some(match part {
                DomainPart::Name => d.name,
                DomainPart::Type => d.ty,
                DomainPart::Default => d.default.unwrap_or(d.name),
                DomainPart::Collation => d.collation.unwrap_or(d.name),
                DomainPart::CheckName(c) => d
                    .checks
                    .get(c)
                    .map_or(d.name, |(name, kw, _)| name.unwrap_or(*kw)),
                DomainPart::Check(c) => d.checks.get(c).map_or(d.name, |(_, _, expr)| *expr),
            })
        }
        Location::Composite { composite, part } => {
            let c = spans.composites.get(composite)?;
            Some(match part {
                CompositePart::Name => c.name,
                CompositePart::AttributeName(a) => {
                    c.attribute_names.get(a).copied().unwrap_or(c.name)
                }
                CompositePart::AttributeType(a) => {
                    c.attribute_types.get(a).copied().unwrap_or(c.name)
                }
            })
        }
        Location::Range { range, part } => {
            let r = spans.ranges.get(range)?;
            Some(match part {
                RangePart::Name => r.name,
                RangePart::Subtype => r.subtype,
                RangePart::MultirangeName => r.multirange.unwrap_or(r.name),
                RangePart::SubtypeDiff => r.subtype_diff.unwrap_or(r.name),
            })
        }
        Location::Sequence { sequence, part } => {
            let s = spans.sequences.get(sequence)?;
            match part {
                SequencePart::Name => Some(s.name),
                SequencePart::Type => s.ty.or(Some(s.name)),
                SequencePart::OwnedBy => s.owned_by.or(Some(s.name)),
            }
        }
        Location::Table { table, part } => {
            let t = spans.tables.get(table)?;
            match part {
                TablePart::Name => Some(t.name),
                TablePart::RenamedFrom => t.renamed_from.or(Some(t.name)),
                TablePart::PartitionParent => t.partition_parent.or(Some(t.name)),
                TablePart::PartitionBound => t.partition_bound.or(Some(t.name)),
                TablePart::Unlogged => t.unlogged.or(Some(t.name)),
                TablePart::PartitionKey(e) => match t.partition_key.get(e) {
                    Some(element) => Some(
                        subject
                            .and_then(|name| {
                                let name = name.to_lowercase();
                                element
                                    .idents
                                    .iter()
                                    .find(|(ident, _)| *ident == name)
                                    .map(|(_, sp)| *sp)
                            })
                            .unwrap_or(element.span),
                    ),
                    None => t.partition_by.or(Some(t.name)),
                },
            }
        }
        Location::Column {
            table,
            column,
            part,
        } => {
            let c = spans.tables.get(table)?.columns.get(column)?;
            Some(match part {
                ColumnPart::Name => c.name,
                ColumnPart::Type => c.ty,
                ColumnPart::NotNull => c.not_null.unwrap_or(c.name),
                ColumnPart::Default => c.default.unwrap_or(c.name),
                ColumnPart::Identity => c.identity.unwrap_or(c.ty),
                ColumnPart::Generated => c.generated.unwrap_or(c.name),
                ColumnPart::Collation => c.collation.unwrap_or(c.name),
                ColumnPart::RenamedFrom => c.renamed_from.unwrap_or(c.name),
                ColumnPart::Using => c.using.unwrap_or(c.ty),
            })
        }
        Location::Constraint {
            table,
            constraint,
            part,
        } => {
            let c = spans.tables.get(table)?.constraints.get(constraint)?;
            let ref_columns = c.ref_columns.or(c.ref_table).unwrap_or(c.kw);
            Some(match part {
                ConstraintPart::Name => c.name.unwrap_or(c.kw),
                ConstraintPart::Kind => c.kw,
                ConstraintPart::Column(i) => c.columns.get(i).copied().unwrap_or(c.kw),
                ConstraintPart::Include(i) => c.include.get(i).copied().unwrap_or(c.kw),
                ConstraintPart::RefTable => c.ref_table.unwrap_or(c.kw),
                ConstraintPart::RefColumns => ref_columns,
                ConstraintPart::RefColumn(i) => c.ref_column.get(i).copied().unwrap_or(ref_columns),
                ConstraintPart::Expr => c.expr.unwrap_or(c.kw),
            })
        }
        Location::Index { table, index, part } => {
            let i = spans.tables.get(table)?.indexes.get(index)?;
            Some(index_span(i, part, subject))
        }
        Location::Function { function, part } => {
            let f = spans.functions.get(function)?;
            Some(match part {
                FunctionPart::Name => f.name,
                FunctionPart::ArgName(a) => f
                    .arg_names
                    .get(a)
                    .copied()
                    .flatten()
                    .or_else(|| f.arg_types.get(a).copied())
                    .unwrap_or(f.name),
                FunctionPart::ArgType(a) => f.arg_types.get(a).copied().unwrap_or(f.name),
                FunctionPart::ArgDefault(a) => {
                    f.arg_defaults.get(a).copied().flatten().unwrap_or(f.name)
                }
                FunctionPart::Returns => f.returns.unwrap_or(f.name),
                FunctionPart::ReturnsColumn(c) => f
                    .returns_columns
                    .get(c)
                    .copied()
                    .or(f.returns)
                    .unwrap_or(f.name),
                FunctionPart::Language => f.language,
                FunctionPart::Body => f.body,
            })
        }
        Location::View { view, part } => {
            let v = spans.views.get(view)?;
            Some(match part {
                ViewPart::Name => v.name,
                ViewPart::Column(c) => v.columns.get(c).copied().unwrap_or(v.name),
                ViewPart::Query => v.query,
                ViewPart::Index(i, part) => match v.indexes.get(i) {
                    Some(spans) => index_span(spans, part, subject),
                    None => v.materialized.unwrap_or(v.name),
                },
            })
        }
        Location::Trigger { trigger, part } => {
            let t = spans.triggers.get(trigger)?;
            Some(match part {
                TriggerPart::Name => t.name,
                TriggerPart::Table => t.table,
                TriggerPart::Event(e) => t.events.get(e).copied().unwrap_or(t.name),
                TriggerPart::UpdateColumn { event, column } => t
                    .update_columns
                    .get(event)
                    .and_then(|c| c.get(column))
                    .copied()
                    .unwrap_or(t.name),
                TriggerPart::When => t.when.unwrap_or(t.name),
                TriggerPart::Function => t.function,
                TriggerPart::Referencing => t.referencing.unwrap_or(t.name),
                TriggerPart::Constraint => t.constraint.unwrap_or(t.name),
            })
        }
        Location::RowSecurity { row_security } => spans.row_security.get(row_security).copied(),
        Location::Policy { policy, part } => {
            let p = spans.policies.get(policy)?;
            Some(match part {
                PolicyPart::Name => p.name,
                PolicyPart::Table => p.table,
                PolicyPart::Command => p.command.unwrap_or(p.name),
                PolicyPart::Role(r) => p.roles.get(r).copied().unwrap_or(p.name),
                PolicyPart::Using => p.using.unwrap_or(p.name),
                PolicyPart::WithCheck => p.with_check.unwrap_or(p.name),
            })
        }
        Location::Grant { grant, part } => grant_span(spans.grants.get(grant)?, part),
        Location::DefaultPrivileges { default, part } => {
            grant_span(spans.default_privileges.get(default)?, part)
        }
    }
}

/// The span of a part of an index (on a table or a materialized view).
fn index_span(i: &IndexSpans, part: IndexPart, subject: Option<&str>) -> Sp {
    match part {
        IndexPart::Name => i.name.unwrap_or(i.kw),
        IndexPart::Method => i.method.unwrap_or(i.kw),
        IndexPart::Element(e) => match i.elements.get(e) {
            Some(element) => subject
                .and_then(|name| {
                    let name = name.to_lowercase();
                    element
                        .idents
                        .iter()
                        .find(|(ident, _)| *ident == name)
                        .map(|(_, sp)| *sp)
                })
                .unwrap_or(element.span),
            None => i.kw,
        },
        IndexPart::Include(n) => i.include.get(n).copied().unwrap_or(i.kw),
        IndexPart::Predicate => i.predicate.unwrap_or(i.kw),
        IndexPart::NullsNotDistinct => i.nulls_not_distinct.unwrap_or(i.kw),
    }
}

fn grant_span(g: &crate::spans::GrantSpans, part: GrantPart) -> Option<Sp> {
    Some(match part {
        GrantPart::Object => g.object,
        GrantPart::Privilege(i) => g.privileges.get(i).copied().unwrap_or(g.object),
        GrantPart::Column(i) => g.columns.get(i).copied().unwrap_or(g.object),
        GrantPart::Role(i) => g.roles.get(i).copied().unwrap_or(g.object),
    })
}
