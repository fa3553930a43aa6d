//! Rule `schema-missing`: an object in a schema other than `public` needs that schema created
//! first, or `CREATE ... audit.x` fails with "schema does not exist".

use crate::check::context::Context;
use crate::check::{
    CompositePart, ConstraintPart, Diagnostic, DomainPart, EnumPart, ExtensionPart, FunctionPart,
    Location, RangePart, Rule, RuleCheck, SequencePart, TablePart, TriggerPart, ViewPart,
};
use crate::model::{ConstraintKind, DEFAULT_SCHEMA};
use crate::suggest;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    let known = |schema: &str| {
        schema == DEFAULT_SCHEMA || schema == "pg_catalog" || cx.namespaces.contains(schema)
    };
    let mut report = |schema: &str, location: Location| {
        if !known(schema) {
            let mut d = Diagnostic::new(
                Rule::SchemaMissing,
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
    for (i, d) in s.domains.iter().enumerate() {
        report(
            &d.name.schema,
            Location::Domain {
                domain: i,
                part: DomainPart::Name,
            },
        );
    }
    for (i, c) in s.composites.iter().enumerate() {
        report(
            &c.name.schema,
            Location::Composite {
                composite: i,
                part: CompositePart::Name,
            },
        );
    }
    for (i, r) in s.ranges.iter().enumerate() {
        report(
            &r.name.schema,
            Location::Range {
                range: i,
                part: RangePart::Name,
            },
        );
        if let Some(m) = &r.multirange_type_name {
            if m.schema != r.name.schema {
                report(
                    &m.schema,
                    Location::Range {
                        range: i,
                        part: RangePart::MultirangeName,
                    },
                );
            }
        }
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

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::SchemaMissing],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn objects_outside_public_need_their_schema() {
        let s = Schema::builder()
            .schema("audits")
            .schema("billing")
            .table(TableDef::new("audit.events").column(ColumnDef::new("id", ty("int"))))
            .table(TableDef::new("billing.invoices").column(ColumnDef::new("id", ty("int"))))
            .sequence(Sequence::new("ops.counter"))
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 2);
        // The rule walks sequences before tables, whatever order they were declared in.
        assert_eq!(found[0].help.as_deref(), Some("declare it: `schema ops;`"));
        assert_eq!(found[1].message, "schema `audit` is not declared");
        assert_eq!(
            found[1].help.as_deref(),
            Some("did you mean `audits`? or declare it: `schema audit;`")
        );
    }
}
