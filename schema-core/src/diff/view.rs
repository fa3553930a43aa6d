//! Views: dropped dependents first, created or replaced after the views they use. A
//! materialized view has no `CREATE OR REPLACE`: a changed one is dropped and created again
//! (see [`super::rebuild`]) with its indexes; its indexes alone change in place.

use std::collections::HashMap;

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
    let mut out = vec![Statement::CreateView(Box::new(view.clone()))];
    out.extend(view.indexes.iter().map(|index| Statement::CreateIndex {
        table: view.name.clone(),
        index: Box::new(index.clone()),
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
        let mut old_by_name: HashMap<&QualifiedName, &View> = HashMap::new();
        for o in &self.old.views {
            old_by_name.entry(&o.name).or_insert(o);
        }
        for v in &self.new.views {
            let object = view_ref(v);
            let old = old_by_name.get(&v.name).copied();
            match old {
                Some(o) if !self.rebuilt_views.contains(&v.name) => {
                    // (A materialized view that is not rebuilt has the same query.)
                    if !same_view(o, self.old, v, self.new) {
                        self.emit(
                            Phase::Views,
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                [Statement::CreateView(Box::new(v.clone()))],
                            )
                            .lock(LockLevel::AccessExclusive)
                            .inverse([Statement::CreateView(Box::new(o.clone()))]),
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
                        index: Box::new(o.clone()),
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
                                index: Box::new(index.clone()),
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

/// Same kind, columns and query text, or the same canonical query (see [`canonical_query`]),
/// each read against the schema it belongs to (`in_a`, `in_b`: the columns of the tables a
/// query names). (`with_data` is a creation option, never compared; indexes are compared on
/// their own.)
pub(super) fn same_view(a: &View, in_a: &Schema, b: &View, in_b: &Schema) -> bool {
    a.materialized == b.materialized
        && ((a.columns == b.columns && query_text(&a.query) == query_text(&b.query))
            || canonical_query(a, in_a).is_some_and(|q| Some(q) == canonical_query(b, in_b)))
}

/// A view's query as the offline diff compares it with what PostgreSQL prints back
/// (`pg_get_viewdef`), which qualifies every column, names every output column, folds the
/// view's column list into those names, parenthesizes joins and qualifies tables off its
/// search path: the column list applied as names and every output column named; in each
/// `SELECT` (subqueries too) over one table, that table's columns unqualified; over several,
/// a bare column that exactly one of them has (by `schema`'s tables and views, or a derived
/// table's output names) qualified with that table's alias or name, as PostgreSQL prints it;
/// joins unparenthesized and spelled `JOIN` / `LEFT JOIN` / `RIGHT JOIN`; tables in the view's
/// own schema or `public` unqualified; every expression as [`crate::expr::normalize`] spells
/// it. `None` for what does not parse as one query. A bare column is left bare where a table
/// whose columns are unknown (a function, an extension's table) could have it, or where a
/// join merges columns (`USING`, `NATURAL`): such a query differs offline unless written as
/// PostgreSQL prints it.
pub(crate) fn canonical_query(view: &View, schema: &Schema) -> Option<String> {
    use sqlparser::ast::{visit_expressions_mut, Ident};
    use std::ops::ControlFlow;

    let statements = Parser::parse_sql(&PostgreSqlDialect {}, &view.query).ok()?;
    let [SqlStatement::Query(query)] = statements.as_slice() else {
        return None;
    };
    let mut query = query.clone();
    // Subqueries' outputs without the names PostgreSQL derives anyway (it prints them); the
    // view's own outputs are all named below.
    let _ = sqlparser::ast::VisitMut::visit(&mut *query, &mut DerivedAliases);
    let SetExpr::Select(select) = &mut *query.body else {
        return None;
    };
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
    let columns = ColumnScopes {
        schema,
        home: &view.name.schema,
    };
    columns.query(&mut query, &[], &[]);
    let _ = visit_expressions_mut(&mut *query, |e| {
        crate::expr::canonicalize(e);
        ControlFlow::<()>::Continue(())
    });
    Some(query_text(&query.to_string()))
}

/// An SQL-standard function body (`RETURN expr`, `BEGIN ATOMIC ... END`) as the offline diff
/// compares it with what PostgreSQL prints back (`pg_get_function_sqlbody`), which
/// qualifies columns and arguments where a statement reads tables (`users.id =
/// email_of.uid`), names the outputs of subqueries, and adds casts and parentheses: every
/// argument named qualified with the function's name, each statement's columns as
/// [`canonical_query`] rewrites them, aliases a subquery's outputs would get anyway left
/// out, every expression as [`crate::expr::normalize`] spells it, statements joined by `; `.
/// `None` for a quoted body, or a body that does not parse. `schema` holds the tables and
/// views the body reads.
pub(crate) fn canonical_body(function: &Function, schema: &Schema) -> Option<String> {
    use sqlparser::ast::visit_expressions_mut;
    use std::ops::ControlFlow;

    let arguments = Scope {
        relations: vec![Relation {
            qualifier: Some(function.name.name.clone()),
            columns: Some(
                function
                    .args
                    .iter()
                    .filter(|a| a.mode != ArgMode::Out)
                    .filter_map(|a| a.name.clone())
                    .collect(),
            ),
        }],
        merged: false,
    };
    let columns = ColumnScopes {
        schema,
        home: &function.name.schema,
    };
    let outer = [&arguments];
    let text = match function.body_style {
        BodyStyle::Quoted => return None,
        BodyStyle::Return => {
            let mut e = crate::expr::parse_expr(&function.body).ok()?;
            let none = Scope {
                relations: Vec::new(),
                merged: false,
            };
            columns.expr(&mut e, &none, &outer, &[]);
            let _ = visit_expressions_mut(&mut e, |e| {
                crate::expr::canonicalize(e);
                ControlFlow::<()>::Continue(())
            });
            let _ = sqlparser::ast::VisitMut::visit(&mut e, &mut DerivedAliases);
            e.to_string()
        }
        BodyStyle::Atomic => {
            let mut statements = Parser::parse_sql(&PostgreSqlDialect {}, &function.body).ok()?;
            for statement in &mut statements {
                columns.statement(statement, &outer);
                let _ = visit_expressions_mut(statement, |e| {
                    crate::expr::canonicalize(e);
                    ControlFlow::<()>::Continue(())
                });
                let _ = sqlparser::ast::VisitMut::visit(statement, &mut DerivedAliases);
            }
            statements
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    Some(text)
}

/// Leaves out every output alias equal to the name PostgreSQL derives for its expression
/// (`count(*) AS count`): it prints them in subqueries, where nobody wrote them.
struct DerivedAliases;

impl sqlparser::ast::VisitorMut for DerivedAliases {
    type Break = ();
    fn pre_visit_select(
        &mut self,
        select: &mut sqlparser::ast::Select,
    ) -> std::ops::ControlFlow<()> {
        for item in &mut select.projection {
            if let SelectItem::ExprWithAlias { expr, alias } = item {
                if output_name(expr) == fold(alias) {
                    *item = SelectItem::UnnamedExpr(expr.clone());
                }
            }
        }
        std::ops::ControlFlow::Continue(())
    }
}

/// One `FROM` item of a `SELECT`, as its columns are named: by `qualifier` (its alias, or the
/// table's name), with its column names when known.
struct Relation {
    qualifier: Option<String>,
    columns: Option<Vec<String>>,
}

/// The relations of one `SELECT`; `merged` when a join merges columns (`USING`, `NATURAL`),
/// so a bare column may be the merged one.
struct Scope {
    relations: Vec<Relation>,
    merged: bool,
}

impl Scope {
    /// The qualifier of the one relation that has column `name`, when every relation's
    /// columns are known: `Some(None)` when none has it (look further out), `None` when it
    /// cannot be told.
    fn owner(&self, name: &str) -> Option<Option<&str>> {
        if self.merged || self.relations.iter().any(|r| r.columns.is_none()) {
            return None;
        }
        let mut owners = self.relations.iter().filter(|r| {
            r.columns
                .as_ref()
                .is_some_and(|c| c.iter().any(|c| c == name))
        });
        match (owners.next(), owners.next()) {
            (None, _) => Some(None),
            (Some(r), None) => r.qualifier.as_deref().map(Some),
            _ => None,
        }
    }
}

/// Rewrites the column references of a query, scope by scope (see [`canonical_query`]):
/// `schema` holds the columns of the tables and views named, `home` is the view's schema.
struct ColumnScopes<'s> {
    schema: &'s Schema,
    home: &'s str,
}

impl ColumnScopes<'_> {
    /// `query`, seen from inside the scopes `outer` (innermost last), with common table
    /// expressions `ctes` in force (their names shadow tables).
    fn query(&self, query: &mut sqlparser::ast::Query, outer: &[&Scope], ctes: &[String]) {
        use sqlparser::ast::OrderByKind;

        let mut ctes = ctes.to_vec();
        if let Some(with) = &mut query.with {
            for cte in &mut with.cte_tables {
                self.query(&mut cte.query, outer, &ctes);
                ctes.push(fold(&cte.alias.name));
            }
        }
        let scope = self.set_expr(&mut query.body, outer, &ctes);
        if let (Some((scope, outputs)), Some(order_by)) = (scope, &mut query.order_by) {
            if let OrderByKind::Expressions(items) = &mut order_by.kind {
                for item in items {
                    // The name of an output column orders by its expression, which is what
                    // PostgreSQL prints.
                    let output = match &item.expr {
                        Expr::Identifier(i) => outputs.iter().find(|(n, _)| *n == fold(i)),
                        _ => None,
                    };
                    match output {
                        Some((_, e)) => item.expr = e.clone(),
                        None => self.expr(&mut item.expr, &scope, outer, &ctes),
                    }
                }
            }
        }
    }

    /// A query body; for a plain `SELECT`, its scope and named outputs (for `ORDER BY`).
    fn set_expr(
        &self,
        body: &mut SetExpr,
        outer: &[&Scope],
        ctes: &[String],
    ) -> Option<(Scope, Vec<(String, Expr)>)> {
        match body {
            SetExpr::Select(select) => Some(self.select(select, outer, ctes)),
            SetExpr::SetOperation { left, right, .. } => {
                self.set_expr(left, outer, ctes);
                self.set_expr(right, outer, ctes);
                None
            }
            SetExpr::Query(q) => {
                self.query(q, outer, ctes);
                None
            }
            SetExpr::Values(values) => {
                // No relations of its own: its columns are the outer scopes' (a function's
                // arguments in a body's `INSERT ... VALUES`).
                let none = Scope {
                    relations: Vec::new(),
                    merged: false,
                };
                for e in values
                    .rows
                    .iter_mut()
                    .flat_map(|row| row.content.iter_mut())
                {
                    self.expr(e, &none, outer, ctes);
                }
                None
            }
            _ => None,
        }
    }

    /// A `DELETE`, `UPDATE` or `INSERT` of an SQL-standard function body, seen from inside
    /// `outer` (the function's arguments): its target and other tables as one scope. Other
    /// statements are left as written.
    fn statement(&self, statement: &mut SqlStatement, outer: &[&Scope]) {
        use sqlparser::ast::{FromTable, UpdateTableFromKind};

        let mut scope = Scope {
            relations: Vec::new(),
            merged: false,
        };
        match statement {
            SqlStatement::Query(q) => self.query(q, outer, &[]),
            SqlStatement::Delete(delete) => {
                let (FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables)) =
                    &mut delete.from;
                for t in tables.iter_mut().chain(delete.using.iter_mut().flatten()) {
                    self.relation(&mut t.relation, outer, &[], &mut scope);
                }
                if let Some(e) = &mut delete.selection {
                    self.expr(e, &scope, outer, &[]);
                }
            }
            SqlStatement::Update(update) => {
                self.relation(&mut update.table.relation, outer, &[], &mut scope);
                if let Some(
                    UpdateTableFromKind::BeforeSet(from) | UpdateTableFromKind::AfterSet(from),
                ) = &mut update.from
                {
                    for t in from {
                        self.relation(&mut t.relation, outer, &[], &mut scope);
                    }
                }
                for a in &mut update.assignments {
                    self.expr(&mut a.value, &scope, outer, &[]);
                }
                if let Some(e) = &mut update.selection {
                    self.expr(e, &scope, outer, &[]);
                }
            }
            SqlStatement::Insert(insert) => {
                if let Some(source) = &mut insert.source {
                    self.query(source, outer, &[]);
                }
            }
            _ => {}
        }
    }

    fn select(
        &self,
        select: &mut sqlparser::ast::Select,
        outer: &[&Scope],
        ctes: &[String],
    ) -> (Scope, Vec<(String, Expr)>) {
        use sqlparser::ast::{GroupByExpr, JoinConstraint, JoinOperator};

        let mut scope = Scope {
            relations: Vec::new(),
            merged: false,
        };
        for table in &mut select.from {
            flatten_join(table);
            self.relation(&mut table.relation, outer, ctes, &mut scope);
            for join in &mut table.joins {
                flatten_factor(&mut join.relation);
                self.relation(&mut join.relation, outer, ctes, &mut scope);
                // PostgreSQL prints `JOIN`, `LEFT JOIN`, `RIGHT JOIN`.
                join.join_operator = match std::mem::replace(
                    &mut join.join_operator,
                    JoinOperator::CrossJoin(JoinConstraint::None),
                ) {
                    JoinOperator::Inner(c) => JoinOperator::Join(c),
                    JoinOperator::LeftOuter(c) => JoinOperator::Left(c),
                    JoinOperator::RightOuter(c) => JoinOperator::Right(c),
                    other => other,
                };
                if let JoinOperator::Join(c)
                | JoinOperator::Left(c)
                | JoinOperator::Right(c)
                | JoinOperator::FullOuter(c) = &join.join_operator
                {
                    if matches!(c, JoinConstraint::Using(_) | JoinConstraint::Natural) {
                        scope.merged = true;
                    }
                }
            }
        }
        // Join conditions see every relation of the `FROM` list (PostgreSQL rejects those
        // that name a later one, so the whole scope gives the same answer).
        for table in &mut select.from {
            for join in &mut table.joins {
                if let sqlparser::ast::JoinOperator::Join(JoinConstraint::On(e))
                | sqlparser::ast::JoinOperator::Inner(JoinConstraint::On(e))
                | sqlparser::ast::JoinOperator::Left(JoinConstraint::On(e))
                | sqlparser::ast::JoinOperator::Right(JoinConstraint::On(e))
                | sqlparser::ast::JoinOperator::FullOuter(JoinConstraint::On(e)) =
                    &mut join.join_operator
                {
                    self.expr(e, &scope, outer, ctes);
                }
            }
        }
        for item in &mut select.projection {
            if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                self.expr(e, &scope, outer, ctes);
            }
        }
        for e in select.selection.iter_mut().chain(select.having.iter_mut()) {
            self.expr(e, &scope, outer, ctes);
        }
        if let GroupByExpr::Expressions(exprs, _) = &mut select.group_by {
            for e in exprs {
                self.expr(e, &scope, outer, ctes);
            }
        }
        let outputs = select
            .projection
            .iter()
            .filter_map(|item| match item {
                SelectItem::ExprWithAlias { alias, expr } => Some((fold(alias), expr.clone())),
                _ => None,
            })
            .collect();
        (scope, outputs)
    }

    /// Adds one `FROM` item to `scope`, its table named as PostgreSQL prints it and its
    /// subqueries rewritten in their own scopes.
    fn relation(
        &self,
        factor: &mut sqlparser::ast::TableFactor,
        outer: &[&Scope],
        ctes: &[String],
        scope: &mut Scope,
    ) {
        use sqlparser::ast::{ObjectNamePart, TableFactor};

        match factor {
            TableFactor::Table { name, alias, .. } => {
                let parts: Vec<String> = name
                    .0
                    .iter()
                    .map(|p| match p {
                        ObjectNamePart::Identifier(i) => fold(i),
                        other => other.to_string(),
                    })
                    .collect();
                let columns = match parts.as_slice() {
                    [table] if !ctes.contains(table) => self.columns_of(None, table),
                    [schema, table] => self.columns_of(Some(schema), table),
                    _ => None,
                };
                if parts.len() == 2 && (parts[0] == self.home || parts[0] == DEFAULT_SCHEMA) {
                    name.0.remove(0);
                }
                if let Some(a) = alias {
                    a.explicit = false;
                }
                scope.relations.push(Relation {
                    qualifier: match alias {
                        Some(a) => Some(fold(&a.name)),
                        None => parts.last().cloned(),
                    },
                    columns,
                });
            }
            TableFactor::Derived {
                subquery,
                alias,
                lateral,
                ..
            } => {
                if *lateral {
                    // It sees the items before it: not modelled, its columns left as written.
                    scope.relations.push(Relation {
                        qualifier: alias.as_ref().map(|a| fold(&a.name)),
                        columns: None,
                    });
                    return;
                }
                self.query(subquery, outer, ctes);
                let columns = match alias {
                    Some(a) if !a.columns.is_empty() => {
                        Some(a.columns.iter().map(|c| fold(&c.name)).collect())
                    }
                    _ => derived_names(subquery),
                };
                if let Some(a) = alias {
                    a.explicit = false;
                }
                scope.relations.push(Relation {
                    qualifier: alias.as_ref().map(|a| fold(&a.name)),
                    columns,
                });
            }
            TableFactor::NestedJoin {
                table_with_joins, ..
            } => {
                // A parenthesized join of its own: its tables are in this scope too.
                flatten_join(table_with_joins);
                self.relation(&mut table_with_joins.relation, outer, ctes, scope);
                for join in &mut table_with_joins.joins {
                    self.relation(&mut join.relation, outer, ctes, scope);
                    if matches!(
                        &join.join_operator,
                        sqlparser::ast::JoinOperator::Join(c)
                        | sqlparser::ast::JoinOperator::Inner(c)
                        | sqlparser::ast::JoinOperator::Left(c)
                        | sqlparser::ast::JoinOperator::LeftOuter(c)
                        | sqlparser::ast::JoinOperator::Right(c)
                        | sqlparser::ast::JoinOperator::RightOuter(c)
                        | sqlparser::ast::JoinOperator::FullOuter(c)
                        if matches!(c, sqlparser::ast::JoinConstraint::Using(_)
                            | sqlparser::ast::JoinConstraint::Natural)
                    ) {
                        scope.merged = true;
                    }
                }
            }
            _ => scope.relations.push(Relation {
                qualifier: None,
                columns: None,
            }),
        }
    }

    /// The columns of table or view `table` (in `schema`, else the view's schema, then
    /// `public`, as the view's search path finds it).
    fn columns_of(&self, schema: Option<&str>, table: &str) -> Option<Vec<String>> {
        let homes: Vec<&str> = match schema {
            Some(s) => vec![s],
            None => vec![self.home, DEFAULT_SCHEMA],
        };
        homes.into_iter().find_map(|s| {
            let name = QualifiedName::new(s, table);
            if let Some(t) = self.schema.tables.iter().find(|t| t.name == name) {
                return Some(t.columns.iter().map(|c| c.name.clone()).collect());
            }
            self.schema
                .views
                .iter()
                .find(|v| v.name == name)
                .and_then(view_output_names)
        })
    }

    /// Rewrites the column references of `expr`, which belongs to `scope`: a subquery in it in
    /// a scope of its own (seeing `scope` and `outer`), every column of this level qualified
    /// as PostgreSQL prints it.
    fn expr(&self, expr: &mut Expr, scope: &Scope, outer: &[&Scope], ctes: &[String]) {
        use sqlparser::ast::{VisitMut, VisitorMut};
        use std::ops::ControlFlow;

        struct Columns<'a, 's> {
            scopes: &'a ColumnScopes<'s>,
            scope: &'a Scope,
            outer: &'a [&'a Scope],
            ctes: &'a [String],
            depth: usize,
        }
        impl VisitorMut for Columns<'_, '_> {
            type Break = ();
            fn pre_visit_query(&mut self, q: &mut sqlparser::ast::Query) -> ControlFlow<()> {
                if self.depth == 0 {
                    let mut within: Vec<&Scope> = self.outer.to_vec();
                    within.push(self.scope);
                    self.scopes.query(q, &within, self.ctes);
                }
                self.depth += 1;
                ControlFlow::Continue(())
            }
            fn post_visit_query(&mut self, _: &mut sqlparser::ast::Query) -> ControlFlow<()> {
                self.depth -= 1;
                ControlFlow::Continue(())
            }
            fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
                if self.depth == 0 {
                    qualify(e, self.scope, self.outer);
                }
                ControlFlow::Continue(())
            }
        }
        let _ = expr.visit(&mut Columns {
            scopes: self,
            scope,
            outer,
            ctes,
            depth: 0,
        });
    }
}

/// One column reference of a `SELECT` over `scope`, as PostgreSQL prints it: over one table
/// bare, else qualified with the relation that has it (looked up from the innermost scope
/// out); left as written when that cannot be told.
fn qualify(e: &mut Expr, scope: &Scope, outer: &[&Scope]) {
    let single = match scope.relations.as_slice() {
        [r] => r.qualifier.as_deref(),
        _ => None,
    };
    match e {
        Expr::CompoundIdentifier(parts)
            if parts.len() == 2 && single.is_some_and(|q| q == fold(&parts[0])) =>
        {
            *e = Expr::Identifier(parts[1].clone());
        }
        Expr::Identifier(ident) => {
            let name = fold(ident);
            // The innermost scope that can tell whether it has the column.
            let owner = std::iter::once(scope)
                .chain(outer.iter().rev().copied())
                .map(|s| s.owner(&name))
                .enumerate()
                .find(|(_, owner)| *owner != Some(None));
            let qualifier = match owner {
                // This scope's own column, over several relations.
                Some((0, Some(Some(q)))) if single.is_none() => q,
                // An outer query's column.
                Some((depth, Some(Some(q)))) if depth > 0 => q,
                _ => return,
            };
            let qualifier = if needs_quotes(qualifier) {
                sqlparser::ast::Ident::with_quote('"', qualifier)
            } else {
                sqlparser::ast::Ident::new(qualifier)
            };
            *e = Expr::CompoundIdentifier(vec![qualifier, ident.clone()]);
        }
        _ => {}
    }
}

/// True when `name` must be quoted to be read back as itself.
fn needs_quotes(name: &str) -> bool {
    crate::ident::quote_ident(name).starts_with('"')
}

/// A `FROM` item written in parentheses (as PostgreSQL prints every join), without an alias
/// and nothing joined to it, as the join it holds: `(a JOIN b ON x) JOIN c ON y` reads as
/// `a JOIN b ON x JOIN c ON y`, which is the same left-deep join.
fn flatten_join(table: &mut sqlparser::ast::TableWithJoins) {
    use sqlparser::ast::TableFactor;
    while let TableFactor::NestedJoin {
        table_with_joins,
        alias: None,
    } = &table.relation
    {
        let inner = (**table_with_joins).clone();
        let rest = std::mem::take(&mut table.joins);
        table.relation = inner.relation;
        table.joins = inner.joins;
        table.joins.extend(rest);
    }
}

/// A joined item written in parentheses around a single table, as that table.
fn flatten_factor(factor: &mut sqlparser::ast::TableFactor) {
    use sqlparser::ast::TableFactor;
    if let TableFactor::NestedJoin {
        table_with_joins,
        alias: None,
    } = factor
    {
        if table_with_joins.joins.is_empty() {
            *factor = table_with_joins.relation.clone();
        }
    }
}

/// The output names of a derived table's query (no `*`).
fn derived_names(query: &sqlparser::ast::Query) -> Option<Vec<String>> {
    let mut body = &*query.body;
    let select = loop {
        match body {
            SetExpr::Select(select) => break select,
            SetExpr::SetOperation { left, .. } => body = left,
            SetExpr::Query(q) => body = &q.body,
            _ => return None,
        }
    };
    select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(expr) => Some(output_name(expr)),
            SelectItem::ExprWithAlias { alias, .. } => Some(fold(alias)),
            _ => None,
        })
        .collect()
}

/// An identifier as PostgreSQL reads it: folded to lower case unless quoted.
fn fold(ident: &sqlparser::ast::Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    }
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

    /// The tables the queries below name, in the view's schema `app`.
    fn tables() -> Schema {
        use crate::builder::{ColumnDef, TableDef};
        let table = |name: &str, columns: &[&str]| {
            columns
                .iter()
                .fold(TableDef::new(format!("app.{name}").as_str()), |t, c| {
                    t.column(ColumnDef::new(
                        *c,
                        crate::DataType::parse("integer").unwrap(),
                    ))
                })
        };
        Schema::builder()
            .table(table("users", &["id", "email", "deleted_at"]))
            .table(table("orders", &["id", "user_id", "amount"]))
            .table(table("refunds", &["order_id", "reason"]))
            .build()
    }

    fn canonical(v: &View) -> Option<String> {
        canonical_query(v, &tables())
    }

    fn same_view(a: &View, b: &View) -> bool {
        let schema = tables();
        super::same_view(a, &schema, b, &schema)
    }

    #[test]
    fn written_and_printed_agree() {
        let same = |a: View, b: View| {
            assert_eq!(canonical(&a), canonical(&b), "{} vs {}", a.query, b.query);
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

    /// Queries over several tables, written with bare columns, against what
    /// `pg_get_viewdef` prints for them (PostgreSQL 16).
    #[test]
    fn bare_columns_over_several_tables_agree() {
        let same = |a: View, b: View| {
            assert_eq!(canonical(&a), canonical(&b), "{} vs {}", a.query, b.query);
            assert!(same_view(&a, &b));
        };
        same(
            view(
                "SELECT email, amount FROM users JOIN orders ON users.id = user_id",
                &[],
            ),
            view(
                " SELECT users.email,\n    orders.amount\n   FROM (users\n     JOIN orders ON ((users.id = orders.user_id)));",
                &[],
            ),
        );
        same(
            view(
                "SELECT u.email, sum(amount) AS total FROM app.users AS u \
                 LEFT OUTER JOIN orders o ON o.user_id = u.id \
                 INNER JOIN refunds ON order_id = o.id \
                 WHERE deleted_at IS NULL GROUP BY u.email ORDER BY total",
                &[],
            ),
            view(
                " SELECT u.email,\n    sum(o.amount) AS total\n   FROM ((users u\n     LEFT JOIN orders o ON ((o.user_id = u.id)))\n     JOIN refunds ON ((refunds.order_id = o.id)))\n  WHERE (u.deleted_at IS NULL)\n  GROUP BY u.email\n  ORDER BY (sum(o.amount));",
                &[],
            ),
        );
        // A subquery over one table: its own columns bare in both; the outer ones qualified.
        same(
            view(
                "SELECT id FROM users WHERE id IN (SELECT user_id FROM orders WHERE amount > 0)",
                &[],
            ),
            view(
                " SELECT users.id\n   FROM users\n  WHERE (users.id IN ( SELECT orders.user_id\n           FROM orders\n          WHERE (orders.amount > 0)));",
                &[],
            ),
        );
        same(
            view(
                "SELECT email FROM users u WHERE EXISTS (SELECT 1 FROM orders WHERE user_id = u.id AND amount > 1)",
                &[],
            ),
            view(
                "SELECT u.email FROM users u WHERE (EXISTS ( SELECT 1 FROM orders WHERE ((orders.user_id = u.id) AND (orders.amount > 1))));",
                &[],
            ),
        );
        // A derived table: its output names are its columns.
        same(
            view(
                "SELECT email, n FROM users JOIN (SELECT user_id, count(*) AS n FROM orders GROUP BY user_id) AS c ON c.user_id = id",
                &[],
            ),
            view(
                " SELECT users.email,\n    c.n\n   FROM (users\n     JOIN ( SELECT orders.user_id,\n            count(*) AS n\n           FROM orders\n          GROUP BY orders.user_id) c ON ((c.user_id = users.id)));",
                &[],
            ),
        );
    }

    fn sql_function(name: &str, body: &str, atomic: bool) -> Function {
        let f = Function::new(format!("app.{name}").as_str())
            .arg(FunctionArg::new(
                "uid",
                crate::DataType::parse("integer").unwrap(),
            ))
            .returns(crate::DataType::parse("integer").unwrap());
        if atomic {
            f.begin_atomic(body)
        } else {
            f.return_sql(body)
        }
    }

    /// SQL-standard bodies as written and as `pg_get_function_sqlbody` prints them.
    #[test]
    fn sql_standard_bodies_written_and_printed_agree() {
        let schema = tables();
        let body = |name: &str, text: &str, atomic: bool| {
            canonical_body(&sql_function(name, text, atomic), &schema)
        };
        let same = |name: &str, written: &str, printed: &str, atomic: bool| {
            assert_eq!(
                body(name, written, atomic),
                body(name, printed, atomic),
                "{written} vs {printed}"
            );
        };
        same("f", "greatest(uid, 0) + 1", "(GREATEST(uid, 0) + 1)", false);
        same(
            "f",
            "(SELECT count(*) FROM orders WHERE user_id = uid)",
            "( SELECT count(*) AS count\n   FROM orders\n  WHERE (orders.user_id = f.uid))",
            false,
        );
        same(
            "email_of",
            "SELECT email FROM users WHERE id = uid;",
            "SELECT users.email\n    FROM users\n   WHERE (users.id = email_of.uid);",
            true,
        );
        same(
            "forget",
            "DELETE FROM orders WHERE user_id = uid; UPDATE users SET email = NULL WHERE id = uid; SELECT 1;",
            "DELETE FROM orders\n   WHERE (orders.user_id = forget.uid);\n UPDATE users SET email = NULL::text\n   WHERE (users.id = forget.uid);\n SELECT 1;",
            true,
        );
        let differ = |name: &str, a: &str, b: &str, atomic: bool| {
            assert_ne!(body(name, a, atomic), body(name, b, atomic), "{a} vs {b}");
        };
        differ("f", "greatest(uid, 0)", "greatest(uid, 1)", false);
        differ(
            "email_of",
            "SELECT email FROM users WHERE id = uid;",
            "SELECT email FROM users WHERE id = 1;",
            true,
        );
        // `uid` is the argument, not a column of the table.
        differ(
            "f",
            "(SELECT count(*) FROM refunds WHERE order_id = uid)",
            "(SELECT count(*) FROM refunds WHERE refunds.order_id = refunds.uid)",
            false,
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
        // Two tables: a bare column is the one table's that has it.
        differ(
            view("SELECT a.id FROM a JOIN b ON a.id = b.id", &[]),
            view("SELECT b.id FROM a JOIN b ON a.id = b.id", &[]),
        );
        differ(
            view(
                "SELECT email, amount FROM users JOIN orders ON users.id = user_id",
                &[],
            ),
            view(
                "SELECT users.email, orders.amount FROM users JOIN orders ON users.id = orders.id",
                &[],
            ),
        );
        // Both have `id`: PostgreSQL rejects the bare one, so it is never qualified.
        differ(
            view(
                "SELECT id FROM users JOIN orders ON users.id = user_id",
                &[],
            ),
            view(
                "SELECT users.id FROM users JOIN orders ON users.id = orders.user_id",
                &[],
            ),
        );
    }
}
