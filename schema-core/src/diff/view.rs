//! Views: dropped dependents first, created or replaced after the views they use. A
//! materialized view has no `CREATE OR REPLACE`: a changed one is dropped and created again
//! (see [`super::rebuild`]) with its indexes; its indexes alone change in place.

use sqlparser::ast::Statement as SqlStatement;
use sqlparser::ast::{Expr, SelectItem, SetExpr};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::model::*;
use crate::render::{CommentTarget, Statement};

use super::index::comparable_index;
use super::{Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Phase, Planner};

/// The object a change of `view` is about.
fn view_ref(view: &View) -> ObjectRef {
    let kind = if view.materialized {
        ObjectKind::MaterializedView
    } else {
        ObjectKind::View
    };
    ObjectRef::new(kind, &view.name)
}

/// The statement that drops `view`, as its kind needs.
fn drop_view(view: &View) -> Statement {
    if view.materialized {
        Statement::DropMaterializedView(view.name.clone())
    } else {
        Statement::DropView(view.name.clone())
    }
}

/// The statements that create `view` with its indexes.
fn create_view(view: &View) -> Vec<Statement> {
    let mut out = vec![Statement::CreateView(view.clone())];
    out.extend(view.indexes.iter().map(|index| Statement::CreateIndex {
        table: view.name.clone(),
        index: index.clone(),
        concurrently: false,
    }));
    out
}

impl<'a> Planner<'a> {
    pub(super) fn views(&mut self) {
        // Drops: rebuilt or gone, dependents first.
        let old_dropped: Vec<&'a View> = self
            .old
            .views
            .iter()
            .filter(|v| self.rebuilt_views.contains(&v.name))
            .collect();
        for v in old_dropped {
            let recreated = self.new.views.iter().any(|n| n.name == v.name);
            let mut change = Change::new(view_ref(v), ChangeKind::Drop, [drop_view(v)])
                .hazard(if recreated {
                    Hazard::RecreatesObject
                } else {
                    Hazard::DropsObject
                })
                .lock(LockLevel::AccessExclusive)
                .inverse(create_view(v));
            if v.materialized {
                // Its rows are gone; a re-created one is filled by running its query again.
                change = change.hazard(Hazard::DeletesData);
            }
            self.emit(Phase::DropViews, change);
        }
        // Creates and replacements, each after the views it uses.
        for v in &self.new.views {
            let object = view_ref(v);
            let old = self.old.views.iter().find(|o| o.name == v.name);
            match old {
                Some(o) if !self.rebuilt_views.contains(&v.name) => {
                    // (A materialized view that is not rebuilt has the same query.)
                    if !same_view(o, v) {
                        self.emit(
                            Phase::Views,
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                [Statement::CreateView(v.clone())],
                            )
                            .lock(LockLevel::AccessExclusive)
                            .inverse([Statement::CreateView(o.clone())]),
                        );
                    }
                    self.comment(object, CommentTarget::view(v), &o.comment, &v.comment);
                    self.view_indexes(o, v);
                }
                _ => {
                    let mut change =
                        Change::new(object.clone(), ChangeKind::Create, create_view(v))
                            .inverse([drop_view(v)]);
                    if v.materialized && v.with_data && !v.indexes.is_empty() {
                        // Runs the query, stores its rows and builds the indexes on them.
                        change = change.hazard(Hazard::BuildsIndex);
                    }
                    self.emit(Phase::Views, change);
                    self.comment(object, CommentTarget::view(v), &None, &v.comment);
                    for index in &v.indexes {
                        self.comment(
                            ObjectRef::index(&v.name, &index.name),
                            CommentTarget::Index(v.name.clone(), index.name.clone()),
                            &None,
                            &index.comment,
                        );
                    }
                }
            }
        }
    }

    /// The indexes of a materialized view kept as it is: dropped, created and commented by
    /// name, in one transaction each (a materialized view is rebuilt by `REFRESH`, not written
    /// to, so the brief write lock of a plain build is what `REFRESH` takes anyway).
    fn view_indexes(&mut self, old: &'a View, new: &'a View) {
        for o in &old.indexes {
            let kept = new
                .indexes
                .iter()
                .find(|i| i.name == o.name)
                .filter(|i| o.valid && comparable_index(o) == comparable_index(i));
            if kept.is_none() {
                let recreated = new.indexes.iter().any(|i| i.name == o.name);
                self.emit(
                    Phase::DropIndexes,
                    Change::new(
                        ObjectRef::index(&old.name, &o.name),
                        ChangeKind::Drop,
                        [Statement::DropIndex {
                            schema: old.name.schema.clone(),
                            name: o.name.clone(),
                            concurrently: false,
                        }],
                    )
                    .hazard(if recreated {
                        Hazard::RecreatesObject
                    } else {
                        Hazard::DropsObject
                    })
                    .lock(LockLevel::AccessExclusive)
                    .inverse([Statement::CreateIndex {
                        table: old.name.clone(),
                        index: o.clone(),
                        concurrently: false,
                    }]),
                );
            }
        }
        for index in &new.indexes {
            let object = ObjectRef::index(&new.name, &index.name);
            let target = CommentTarget::Index(new.name.clone(), index.name.clone());
            let old_index = old.indexes.iter().find(|o| o.name == index.name);
            match old_index {
                Some(o) if o.valid && comparable_index(o) == comparable_index(index) => {
                    self.comment(object, target, &o.comment, &index.comment);
                }
                _ => {
                    self.emit(
                        Phase::Indexes,
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            [Statement::CreateIndex {
                                table: new.name.clone(),
                                index: index.clone(),
                                concurrently: false,
                            }],
                        )
                        .hazard(Hazard::BuildsIndex)
                        .lock(LockLevel::Share)
                        .inverse([Statement::DropIndex {
                            schema: new.name.schema.clone(),
                            name: index.name.clone(),
                            concurrently: false,
                        }]),
                    );
                    self.comment(object, target, &None, &index.comment);
                }
            }
        }
    }
}

/// Same kind, columns and query text, or the same canonical query (see [`canonical_query`]).
/// (`with_data` is a creation option, never compared; indexes are compared on their own.)
pub(super) fn same_view(a: &View, b: &View) -> bool {
    a.materialized == b.materialized
        && ((a.columns == b.columns && query_text(&a.query) == query_text(&b.query))
            || canonical_query(a).is_some_and(|q| Some(q) == canonical_query(b)))
}

/// A view's query as the offline diff compares it with what PostgreSQL prints back
/// (`pg_get_viewdef`), which qualifies every column, names every output column, folds the
/// view's column list into those names, and qualifies tables off its search path: the column
/// list applied as names and every output column named; in a query over one table, its
/// columns unqualified; tables in the view's own schema or `public` unqualified; every
/// expression as [`crate::expr::normalize`] spells it. `None` for what does not parse as one
/// query. A query over several tables keeps its qualifiers (which table a bare column belongs
/// to needs the catalog), so it still differs offline unless written as PostgreSQL prints it.
pub(crate) fn canonical_query(view: &View) -> Option<String> {
    use sqlparser::ast::{visit_expressions_mut, Ident, ObjectNamePart, TableFactor};
    use std::ops::ControlFlow;

    let statements = Parser::parse_sql(&PostgreSqlDialect {}, &view.query).ok()?;
    let [SqlStatement::Query(query)] = statements.as_slice() else {
        return None;
    };
    let mut query = query.clone();
    let SetExpr::Select(select) = &mut *query.body else {
        return None;
    };
    // Tables named without the schema PostgreSQL would leave off; the one table's name or
    // alias, whose qualifier on columns is redundant.
    let mut single = None;
    let relations: usize = select.from.iter().map(|t| 1 + t.joins.len()).sum();
    for table in &mut select.from {
        if let TableFactor::Table { name, alias, .. } = &mut table.relation {
            let parts = &mut name.0;
            let own = matches!(parts.first(), Some(ObjectNamePart::Identifier(s))
                if parts.len() == 2 && (s.value == view.name.schema || s.value == "public"));
            if own {
                parts.remove(0);
            }
            if relations == 1 {
                single = match alias {
                    Some(a) => Some(a.name.value.to_lowercase()),
                    None => match parts.last() {
                        Some(ObjectNamePart::Identifier(i)) => Some(i.value.to_lowercase()),
                        _ => None,
                    },
                };
            }
        }
    }
    // Output names: the declared column list, else what PostgreSQL derives; always written.
    let names = view_output_names(view)?;
    for (item, name) in select.projection.iter_mut().zip(&names) {
        let expr = match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e.clone(),
            _ => return None,
        };
        *item = SelectItem::ExprWithAlias {
            expr,
            alias: Ident::new(name.clone()),
        };
    }
    let _ = visit_expressions_mut(&mut *query, |e| {
        if let (Some(t), Expr::CompoundIdentifier(parts)) = (&single, &mut *e) {
            if parts.len() == 2 && parts[0].value.to_lowercase() == *t {
                *e = Expr::Identifier(parts[1].clone());
            }
        }
        ControlFlow::<()>::Continue(())
    });
    let _ = visit_expressions_mut(&mut *query, |e| {
        crate::expr::canonicalize(e);
        ControlFlow::<()>::Continue(())
    });
    Some(query_text(&query.to_string()))
}

/// A view query with white space folded and trailing `;` removed.
pub(super) fn query_text(query: &str) -> String {
    query
        .trim()
        .trim_end_matches(';')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The output column names of a view as PostgreSQL derives them, when they can be known
/// without the server (no `*`).
pub(crate) fn view_output_names(view: &View) -> Option<Vec<String>> {
    let statements = Parser::parse_sql(&PostgreSqlDialect {}, &view.query).ok()?;
    let [SqlStatement::Query(query)] = statements.as_slice() else {
        return None;
    };
    let mut body = &*query.body;
    let select = loop {
        match body {
            SetExpr::Select(select) => break select,
            SetExpr::SetOperation { left, .. } => body = left,
            SetExpr::Query(q) => body = &q.body,
            _ => return None,
        }
    };
    let mut names = Vec::new();
    for item in &select.projection {
        names.push(match item {
            SelectItem::UnnamedExpr(expr) => output_name(expr),
            SelectItem::ExprWithAlias { alias, .. } => {
                if alias.quote_style.is_some() {
                    alias.value.clone()
                } else {
                    alias.value.to_lowercase()
                }
            }
            _ => return None,
        });
    }
    for (i, name) in view.columns.iter().enumerate() {
        if let Some(slot) = names.get_mut(i) {
            *slot = name.clone();
        }
    }
    Some(names)
}

pub(crate) fn output_name(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(_)
        | Expr::CompoundIdentifier(_)
        | Expr::Function(_)
        | Expr::Cast { .. }
        | Expr::Nested(_) => crate::expr::index_column_name(expr),
        _ => "?column?".to_string(),
    }
}

/// True if `CREATE OR REPLACE VIEW` can turn `old` into `new` (never for a materialized view): the new view's columns start
/// with the old one's, by name and, where both views were read from a catalog (a live
/// database, or the declaration canonicalized by the server), by type. (A declaration alone
/// has no types; PostgreSQL rejects a replacement that changes one.) Types are compared where
/// both are built-in: a user type's printed name depends on the schema it was read in.
pub(super) fn replaceable_view(old: &View, new: &View) -> bool {
    if old.materialized || new.materialized {
        // No `CREATE OR REPLACE MATERIALIZED VIEW`.
        return false;
    }
    let names = match (view_output_names(old), view_output_names(new)) {
        (Some(a), Some(b)) => b.len() >= a.len() && a[..] == b[..a.len()],
        _ => false,
    };
    let (a, b) = (&old.column_types, &new.column_types);
    let types = a.is_empty()
        || b.is_empty()
        || (b.len() >= a.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.schema.is_some() || y.schema.is_some() || x == y));
    names && types
}

#[cfg(test)]
mod canonical_query_tests {
    use super::*;

    fn view(query: &str, columns: &[&str]) -> View {
        let mut v = View::new("app.v", query);
        v.columns = columns.iter().map(|c| c.to_string()).collect();
        v
    }

    #[test]
    fn written_and_printed_agree() {
        let same = |a: View, b: View| {
            assert_eq!(
                canonical_query(&a),
                canonical_query(&b),
                "{} vs {}",
                a.query,
                b.query
            );
            assert!(same_view(&a, &b));
        };
        same(
            view("SELECT id, email FROM users WHERE deleted_at IS NULL", &[]),
            view(
                " SELECT users.id,\n    users.email\n   FROM app.users\n  WHERE users.deleted_at IS NULL;",
                &[],
            ),
        );
        same(
            view("SELECT id, email FROM users", &["user_id", "address"]),
            view(
                "SELECT users.id AS user_id, users.email AS address FROM app.users;",
                &[],
            ),
        );
        same(
            view("SELECT customer FROM totals WHERE total > 100", &[]),
            view(
                "SELECT totals.customer FROM totals WHERE totals.total > 100::numeric;",
                &[],
            ),
        );
        same(
            view("SELECT count(*) FROM t GROUP BY k", &[]),
            view("SELECT count(*) AS count FROM t GROUP BY t.k;", &[]),
        );
    }

    #[test]
    fn different_queries_stay_different() {
        let differ = |a: View, b: View| assert!(!same_view(&a, &b), "{} vs {}", a.query, b.query);
        differ(
            view("SELECT id FROM t WHERE a > 1", &[]),
            view("SELECT id FROM t WHERE a > 2", &[]),
        );
        differ(
            view("SELECT id FROM t", &["x"]),
            view("SELECT id FROM t", &["y"]),
        );
        differ(
            view("SELECT id FROM other.t", &[]),
            view("SELECT id FROM t", &[]),
        );
        // Two tables: which one a bare column belongs to needs the catalog.
        differ(
            view("SELECT a.id FROM a JOIN b ON a.id = b.id", &[]),
            view("SELECT b.id FROM a JOIN b ON a.id = b.id", &[]),
        );
    }
}
