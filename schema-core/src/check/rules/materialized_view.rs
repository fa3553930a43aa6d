//! Rules `index-on-view`, `view-column-missing`, `view-relation-missing`: indexes belong to
//! materialized views only and name the view's output columns, and a materialized view reads
//! relations the schema declares (PostgreSQL runs its query at creation, so a missing table
//! fails the whole plan, not just the view).

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{Query, TableFactor, Visit, Visitor};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::check::context::Context;
use crate::check::message::qualified;
use crate::check::{Diagnostic, IndexPart, Location, Rule, RuleCheck, ViewPart};
use crate::diff::view::view_output_names;
use crate::model::{IndexTarget, Schema, View, DEFAULT_SCHEMA};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (v, view) in cx.schema.views.iter().enumerate() {
        if !view.materialized {
            if !view.indexes.is_empty() {
                out.push(
                    Diagnostic::new(
                        Rule::IndexOnView,
                        Location::View {
                            view: v,
                            part: ViewPart::Index(0, IndexPart::Name),
                        },
                        format!(
                            "view `{}` has indexes, but only a materialized view stores rows to index",
                            qualified(&view.name)
                        ),
                    )
                    .help("make it a `materialized view`, or index the tables it reads"),
                );
            }
            continue;
        }
        output_columns(view, v, out);
        relations(cx.schema, view, v, out);
    }
}

/// Index key and `include` columns must be output columns of the view, where the query says
/// what they are (no `*`).
fn output_columns(view: &View, v: usize, out: &mut Vec<Diagnostic>) {
    let Some(names) = view_output_names(view) else {
        return;
    };
    for (i, index) in view.indexes.iter().enumerate() {
        let columns = index
            .elements
            .iter()
            .enumerate()
            .filter_map(|(e, el)| match &el.target {
                IndexTarget::Column(c) => Some((c, IndexPart::Element(e))),
                IndexTarget::Expression(_) => None,
            })
            .chain(
                index
                    .include
                    .iter()
                    .enumerate()
                    .map(|(n, c)| (c, IndexPart::Include(n))),
            );
        for (column, part) in columns {
            if !names.contains(column) {
                out.push(
                    Diagnostic::new(
                        Rule::ViewColumnMissing,
                        Location::View {
                            view: v,
                            part: ViewPart::Index(i, part),
                        },
                        format!(
                            "index `{}` names column `{column}`, which materialized view `{}` does not have",
                            index.name,
                            qualified(&view.name)
                        ),
                    )
                    .help(format!("the view's columns are: {}", names.join(", "))),
                );
            }
        }
    }
}

/// The relations a materialized view's query reads must be declared. Only names the checks
/// can resolve are held to it: unqualified ones (looked up in `public`, the search path the
/// plan runs with) and ones qualified by a declared schema; none when an extension is
/// declared (it may install tables and views of its own).
fn relations(schema: &Schema, view: &View, v: usize, out: &mut Vec<Diagnostic>) {
    if !schema.extensions.is_empty() {
        return;
    }
    let Ok(statements) = Parser::parse_sql(&PostgreSqlDialect {}, &view.query) else {
        return; // `view-query-invalid` reports it.
    };
    let mut read = Relations::default();
    let _ = statements.visit(&mut read);
    let declared = |s: &str, n: &str| {
        schema
            .tables
            .iter()
            .map(|t| &t.name)
            .chain(schema.views.iter().map(|v| &v.name))
            .any(|q| q.schema == s && q.name == n)
    };
    let known_schema =
        |s: &str| s == DEFAULT_SCHEMA || schema.schemas.iter().any(|ns| ns.name == s);
    for (rel_schema, name) in &read.relations {
        let missing = match rel_schema {
            None => {
                !read.ctes.contains(name)
                    && !name.starts_with("pg_")
                    && !declared(DEFAULT_SCHEMA, name)
            }
            Some(s) => known_schema(s) && !declared(s, name),
        };
        if missing {
            let shown = match rel_schema {
                Some(s) => format!("{s}.{name}"),
                None => name.clone(),
            };
            out.push(
                Diagnostic::new(
                    Rule::ViewRelationMissing,
                    Location::View {
                        view: v,
                        part: ViewPart::Query,
                    },
                    format!(
                        "materialized view `{}` reads `{shown}`, which is not a declared table or view",
                        qualified(&view.name)
                    ),
                )
                .help(format!(
                    "declare `{shown}` in this schema, or correct the name in the view's query"
                )),
            );
        }
    }
}

/// The plain relations (not table functions) a query reads, and the names of its CTEs.
#[derive(Default)]
struct Relations {
    relations: BTreeSet<(Option<String>, String)>,
    ctes: BTreeSet<String>,
}

/// An identifier as PostgreSQL stores it: folded to lower case unless quoted.
fn folded(ident: &sqlparser::ast::Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    }
}

impl Visitor for Relations {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.ctes.insert(folded(&cte.alias.name));
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table {
            name, args: None, ..
        } = factor
        {
            let parts: Vec<String> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident().map(folded))
                .collect();
            match parts.as_slice() {
                [n] => {
                    self.relations.insert((None, n.clone()));
                }
                [s, n] => {
                    self.relations.insert((Some(s.clone()), n.clone()));
                }
                _ => {}
            }
        }
        ControlFlow::Continue(())
    }
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[
        Rule::IndexOnView,
        Rule::ViewColumnMissing,
        Rule::ViewRelationMissing,
    ],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::model::*;

    fn films() -> Table {
        table(
            "films",
            vec![col("id", "bigint"), col("kind", "text")],
            vec![],
        )
    }

    #[test]
    fn indexes_name_output_columns() {
        let mut s = with_tables(vec![films()]);
        s.views.push(
            View::materialized(
                "kinds",
                "SELECT kind, count(*) AS n FROM films GROUP BY kind",
            )
            .index("kinds_kind", IndexDef::on_columns(["kind"]).unique())
            .index("kinds_total", IndexDef::on_columns(["total"])),
        );
        let found = messages(&CHECK, &s);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("names column `total`"), "{found:?}");
    }

    #[test]
    fn reads_declared_relations_only() {
        let mut s = with_tables(vec![films()]);
        s.views.push(View::materialized(
            "m",
            "WITH k AS (SELECT kind FROM films) SELECT * FROM k, flims, \
             generate_series(1, 2) g, pg_class, information_schema.tables",
        ));
        let found = messages(&CHECK, &s);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("reads `flims`"), "{found:?}");
    }

    #[test]
    fn only_materialized_views_have_indexes() {
        let s = Schema::builder()
            .view(View::new("v", "SELECT 1 AS one").index("v_one", IndexDef::on_columns(["one"])))
            .build();
        assert_eq!(rule_codes(&CHECK, &s), ["index-on-view"]);
    }
}
