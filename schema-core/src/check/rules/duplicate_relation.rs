//! Rule `duplicate-relation`: tables, views, sequences, indexes and the indexes behind primary key
//! and unique constraints share one namespace per schema (`pg_class`): two of them with one name
//! fail.

use crate::check::context::Context;
use crate::check::rules::report_duplicates;
use crate::check::{
    ConstraintPart, Diagnostic, IndexPart, Location, Rule, RuleCheck, SequencePart, TablePart,
    ViewPart,
};
use crate::model::ConstraintKind;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
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
        for (i, index) in view.indexes.iter().enumerate() {
            relations.push((
                (view.name.schema.as_str(), index.name.as_str()),
                (
                    "index",
                    Location::View {
                        view: v,
                        part: ViewPart::Index(i, IndexPart::Name),
                    },
                ),
            ));
        }
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
            Location::View {
                view,
                part: ViewPart::Index(i, _),
            } => s.views[*view].indexes[*i].name.clone(),
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
            Diagnostic::new(Rule::DuplicateRelation, location, message)
                .help(format!("rename this {what} or remove one of the two")),
        );
    });
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::DuplicateRelation],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn tables_views_sequences_and_indexes_share_a_namespace() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("id", ty("int")))
                    .constraint(ConstraintDef::primary_key(["id"]).named("users_pkey"))
                    .index(IndexDef::on_columns(["id"]).named("users_pkey")),
            )
            .table(TableDef::new("audit.users").column(ColumnDef::new("id", ty("int"))))
            .view(View::new("users", "SELECT 1"))
            .build();
        let found = messages(&CHECK, &s);
        assert_eq!(found.len(), 2);
        assert!(found[0].starts_with("view `users` has the same name as a table:"));
        assert!(found[1].starts_with("index `users_pkey` has the same name as a primary key:"));
    }

    #[test]
    fn same_kind_twice_is_declared_twice() {
        let s = Schema::builder()
            .sequence(Sequence::new("counter"))
            .sequence(Sequence::new("counter"))
            .build();
        assert_eq!(
            messages(&CHECK, &s),
            ["sequence `counter` is declared twice"]
        );
    }
}
