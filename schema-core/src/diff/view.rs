//! Views: dropped dependents first, created or replaced after the views they use.

use sqlparser::ast::Statement as SqlStatement;
use sqlparser::ast::{Expr, SelectItem, SetExpr};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::model::*;
use crate::render::{CommentTarget, Statement};

use super::{Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Phase, Planner};

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
            self.emit(
                Phase::DropViews,
                Change::new(
                    ObjectRef::new(ObjectKind::View, &v.name),
                    ChangeKind::Drop,
                    [Statement::DropView(v.name.clone())],
                )
                .hazard(if recreated {
                    Hazard::RecreatesObject
                } else {
                    Hazard::DropsObject
                })
                .lock(LockLevel::AccessExclusive)
                .inverse([Statement::CreateView(v.clone())]),
            );
        }
        // Creates and replacements, each after the views it uses.
        for v in &self.new.views {
            let object = ObjectRef::new(ObjectKind::View, &v.name);
            let old = self.old.views.iter().find(|o| o.name == v.name);
            match old {
                Some(o) if !self.rebuilt_views.contains(&v.name) => {
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
                    self.comment(
                        object,
                        CommentTarget::View(v.name.clone()),
                        &o.comment,
                        &v.comment,
                    );
                }
                _ => {
                    self.emit(
                        Phase::Views,
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            [Statement::CreateView(v.clone())],
                        )
                        .inverse([Statement::DropView(v.name.clone())]),
                    );
                    self.comment(
                        object,
                        CommentTarget::View(v.name.clone()),
                        &None,
                        &v.comment,
                    );
                }
            }
        }
    }
}

pub(super) fn same_view(a: &View, b: &View) -> bool {
    a.columns == b.columns && query_text(&a.query) == query_text(&b.query)
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
pub(super) fn view_output_names(view: &View) -> Option<Vec<String>> {
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

pub(super) fn output_name(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(_)
        | Expr::CompoundIdentifier(_)
        | Expr::Function(_)
        | Expr::Cast { .. }
        | Expr::Nested(_) => crate::expr::index_column_name(expr),
        _ => "?column?".to_string(),
    }
}

/// True if `CREATE OR REPLACE VIEW` can turn `old` into `new`: the new view's columns start
/// with the old one's, by name and, where both views were read from a catalog (a live
/// database, or the declaration canonicalized by the server), by type. (A declaration alone
/// has no types; PostgreSQL rejects a replacement that changes one.) Types are compared where
/// both are built-in: a user type's printed name depends on the schema it was read in.
pub(super) fn replaceable_view(old: &View, new: &View) -> bool {
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
