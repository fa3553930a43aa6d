//! The whole-schema script: [`Schema::create_sql`] and the statement order it follows.

use std::fmt::Write as _;

use super::comment::table_comments;
use super::*;

impl Schema {
    /// The statements of [`Schema::create_sql`], in order.
    ///
    /// Order: `SET check_function_bodies = false` (when there are functions); schemas; extensions (they may install into
    /// a declared schema); enum types; domains, range and composite types (each after the
    /// types it is built from); sequences; functions and procedures (before tables,
    /// whose defaults, checks and generated columns may call them; their bodies are not checked
    /// against tables that do not exist yet); the domains and range types whose checks,
    /// defaults or `subtype_diff` call a declared function, and the types built from them;
    /// aggregates (after the functions they call; one over a table's or view's row type, or
    /// calling a function created after the tables, after every function); tables
    /// (each partition after its parent, each table after those whose row type a column has,
    /// with the domains, composite and range types built on a table's row type among them,
    /// each after what it is built from; then the functions whose signature names a table's row
    /// type, `returns setof users`) with columns and their primary key, unique and check
    /// constraints; sequence ownership; indexes; foreign keys (once every table and unique index
    /// exists: a key may reference columns a unique index covers); views
    /// (each after the views it names, a materialized view followed by its indexes; then the
    /// types built on a view's row type; then the
    /// functions whose signature names a view's row type; then the functions whose SQL-standard
    /// body names a table or a view, which the server parses at `CREATE`); triggers (after views: `INSTEAD OF`
    /// triggers fire on views); row-level security and policies (a policy's expressions may
    /// read any table or call any function); grants and default privileges; comments; `RESET check_function_bodies`.
    ///
    /// `check_function_bodies = false` is what pg_dump does too: a `LANGUAGE sql` body is
    /// otherwise parsed and checked against the tables at `CREATE FUNCTION` time, and tables
    /// come after functions (whose defaults and checks may call them).
    pub fn create_statements(&self) -> Vec<Statement> {
        let functions = !self.functions.is_empty();
        let mut out = Vec::new();
        if functions {
            out.push(Statement::UncheckedFunctionBodies);
        }
        for ns in &self.schemas {
            out.push(Statement::CreateSchema(ns.name.clone()));
        }
        for ext in &self.extensions {
            out.push(Statement::CreateExtension(ext.clone()));
        }
        for e in &self.enums {
            out.push(Statement::CreateEnum(e.clone()));
        }
        let (types, types_after_functions) = creation_order(self);
        // Types built on a table's or view's row type come with the tables or after the views.
        let on_rows = on_row_types(self, &types, &types_after_functions);
        out.extend(
            types
                .into_iter()
                .filter(|t| !on_rows.contains(t))
                .map(|t| t.create(self)),
        );
        for seq in &self.sequences {
            out.push(Statement::CreateSequence(Box::new(seq.clone())));
        }
        // A function whose signature names a row type waits for its table or view.
        let row_type = |func: &Function, of: &dyn Fn(&QualifiedName) -> bool| {
            signature_types(func).any(|t| {
                t.schema
                    .as_ref()
                    .is_some_and(|s| of(&QualifiedName::new(s.clone(), t.name.clone())))
            })
        };
        // A type built on a row type counts as the relation: what names it waits as long.
        let type_named =
            |list: &[TypeIndex], n: &QualifiedName| list.iter().any(|t| t.name(self) == n);
        let is_table =
            |n: &QualifiedName| self.table(n).is_some() || type_named(&on_rows.on_tables, n);
        let is_view = |n: &QualifiedName| {
            self.views.iter().any(|v| &v.name == n) || type_named(&on_rows.on_views, n)
        };
        let late = functions_after_relations(self);
        let early = |i: usize| !late.contains(&i);
        for (i, func) in self.functions.iter().enumerate() {
            if early(i) && !row_type(func, &is_table) && !row_type(func, &is_view) {
                out.push(Statement::CreateFunction(Box::new(func.clone())));
            }
        }
        out.extend(
            types_after_functions
                .into_iter()
                .filter(|t| !on_rows.contains(t))
                .map(|t| t.create(self)),
        );
        // After the functions they call; before tables, whose defaults and checks, and the
        // views, that may use them. One over a table's or view's row type, or calling a
        // function created after the tables, waits for them: after every function.
        let created_late: std::collections::BTreeSet<&QualifiedName> = self
            .functions
            .iter()
            .enumerate()
            .filter(|(i, f)| !early(*i) || row_type(f, &is_table) || row_type(f, &is_view))
            .map(|(_, f)| &f.name)
            .collect();
        let waits = |agg: &Aggregate| {
            let row = |t: &crate::types::DataType| {
                t.schema.as_ref().is_some_and(|s| {
                    let name = QualifiedName::new(s.clone(), t.name.clone());
                    is_table(&name) || is_view(&name)
                })
            };
            agg.args.iter().chain([&agg.stype]).any(row)
                || created_late.contains(&agg.sfunc)
                || agg
                    .finalfunc
                    .as_ref()
                    .is_some_and(|f| created_late.contains(f))
        };
        for agg in self.aggregates.iter().filter(|a| !waits(a)) {
            out.push(Statement::CreateAggregate(Box::new(agg.clone())));
        }
        // A partition after its parent, a table after the tables whose row type a column has,
        // whatever the declaration order.
        for made in tables_and_row_types(self, &on_rows.on_tables) {
            out.push(match made {
                Made::Table(i) => Statement::CreateTable(Box::new(self.tables[i].for_create())),
                Made::Type(t) => t.create(self),
            });
        }
        for (i, func) in self.functions.iter().enumerate() {
            if early(i) && row_type(func, &is_table) && !row_type(func, &is_view) {
                out.push(Statement::CreateFunction(Box::new(func.clone())));
            }
        }
        for seq in &self.sequences {
            if let Some(owner) = &seq.owned_by {
                out.push(Statement::AlterSequence {
                    name: seq.name.clone(),
                    options: vec![SequenceOption::OwnedBy(Some(owner.clone()))],
                });
            }
        }
        // Storage, statistics targets and attribute options of the new tables' columns
        // (partitions take their parent's).
        for table in self.tables.iter().filter(|t| t.partition_of.is_none()) {
            for column in &table.columns {
                out.extend(column_attributes(&table.name, column));
            }
        }
        for table in &self.tables {
            for check in not_valid_checks(table) {
                out.push(Statement::AddConstraint {
                    table: table.name.clone(),
                    constraint: Box::new(check.clone()),
                    mode: AddMode::NotValid,
                });
            }
        }
        for table in &self.tables {
            for index in &table.indexes {
                out.push(Statement::CreateIndex {
                    table: table.name.clone(),
                    index: Box::new(index.clone()),
                    concurrently: false,
                });
            }
        }
        // After the indexes, as pg_dump orders them: a foreign key may reference columns that
        // a unique index (not a constraint) covers.
        for table in &self.tables {
            for fk in foreign_keys(table) {
                out.push(Statement::AddConstraint {
                    table: table.name.clone(),
                    constraint: Box::new(fk.clone()),
                    mode: AddMode::for_new_foreign_key(table, fk),
                });
            }
        }
        let views: Vec<&View> = self.views.iter().collect();
        for i in view_order(&views) {
            out.push(Statement::CreateView(Box::new(views[i].clone())));
            for index in &views[i].indexes {
                out.push(Statement::CreateIndex {
                    table: views[i].name.clone(),
                    index: Box::new(index.clone()),
                    concurrently: false,
                });
            }
        }
        out.extend(on_rows.on_views.iter().map(|t| t.create(self)));
        for (i, func) in self.functions.iter().enumerate() {
            if early(i) && row_type(func, &is_view) {
                out.push(Statement::CreateFunction(Box::new(func.clone())));
            }
        }
        for &i in &late {
            out.push(Statement::CreateFunction(Box::new(
                self.functions[i].clone(),
            )));
        }
        for agg in self.aggregates.iter().filter(|a| waits(a)) {
            out.push(Statement::CreateAggregate(Box::new(agg.clone())));
        }
        for trigger in &self.triggers {
            out.push(Statement::CreateTrigger(Box::new(trigger.clone())));
        }
        for rls in &self.row_security {
            out.push(Statement::SetRowSecurity {
                table: rls.table.clone(),
                enable: true,
                force: rls.force,
            });
        }
        for policy in &self.policies {
            out.push(Statement::CreatePolicy(Box::new(policy.clone())));
        }
        // Privileges once every object they are on exists.
        out.extend(super::acl_statements(
            &Default::default(),
            &acl_entries(&self.grants),
        ));
        out.extend(super::default_acl_statements(
            &Default::default(),
            &default_acl_entries(&self.default_privileges),
        ));
        self.comment_statements(&mut out);
        if functions {
            out.push(Statement::ResetFunctionBodies);
        }
        out
    }

    fn comment_statements<'a>(&'a self, out: &mut Vec<Statement>) {
        let mut comment = |target, text: &'a Option<String>| {
            if let Some(text) = text {
                out.push(Statement::Comment {
                    target,
                    text: Some(text.clone()),
                });
            }
        };
        for ns in &self.schemas {
            comment(CommentTarget::Schema(ns.name.clone()), &ns.comment);
        }
        for ext in &self.extensions {
            comment(CommentTarget::Extension(ext.name.clone()), &ext.comment);
        }
        for e in &self.enums {
            comment(CommentTarget::Type(e.name.clone()), &e.comment);
        }
        for d in &self.domains {
            comment(CommentTarget::Domain(d.name.clone()), &d.comment);
        }
        for r in &self.ranges {
            comment(CommentTarget::Type(r.name.clone()), &r.comment);
        }
        for c in &self.composites {
            comment(CommentTarget::Type(c.name.clone()), &c.comment);
            for a in &c.attributes {
                comment(
                    CommentTarget::Column(c.name.clone(), a.name.clone()),
                    &a.comment,
                );
            }
        }
        for seq in &self.sequences {
            comment(CommentTarget::Sequence(seq.name.clone()), &seq.comment);
        }
        for func in &self.functions {
            comment(
                CommentTarget::Function(Box::new(func.clone())),
                &func.comment,
            );
        }
        for agg in &self.aggregates {
            comment(
                CommentTarget::Aggregate(Box::new(agg.clone())),
                &agg.comment,
            );
        }
        for view in &self.views {
            comment(CommentTarget::view(view), &view.comment);
            for index in &view.indexes {
                comment(
                    CommentTarget::Index(view.name.clone(), index.name.clone()),
                    &index.comment,
                );
            }
        }
        for trigger in &self.triggers {
            comment(
                CommentTarget::Trigger(trigger.table.clone(), trigger.name.clone()),
                &trigger.comment,
            );
        }
        for policy in &self.policies {
            comment(
                CommentTarget::Policy(policy.table.clone(), policy.name.clone()),
                &policy.comment,
            );
        }
        for table in &self.tables {
            table_comments(table, out);
        }
    }

    /// The whole schema as one DDL script in dependency order (see
    /// [`Schema::create_statements`]), statements separated by blank lines.
    ///
    /// The script is idempotent: running it on a database where it already ran changes
    /// nothing (`IF NOT EXISTS`, `CREATE OR REPLACE`, and catalog-guarded `DO` blocks for
    /// constraints and enum types). It creates what is missing; it does not alter what
    /// exists — that is [`crate::diff()`]'s job. Needs PostgreSQL 14 or later.
    pub fn create_sql(&self) -> String {
        let mut out = String::new();
        for statement in self.create_statements() {
            let _ = writeln!(out, "{statement:#}\n");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }
}

/// The functions (by index) whose SQL-standard body names a table or a view: the server parses
/// the body at `CREATE FUNCTION` (whatever `check_function_bodies` says), so they are created
/// once every table and view exists, each after such functions it names. Others, and SQL-standard
/// bodies that name no relation (`RETURN a + 1`), keep their place before the tables, whose
/// defaults and checks may call them.
fn functions_after_relations(schema: &Schema) -> Vec<usize> {
    let relations: std::collections::BTreeSet<&str> = schema
        .tables
        .iter()
        .map(|t| t.name.name.as_str())
        .chain(schema.views.iter().map(|v| v.name.name.as_str()))
        .collect();
    let names: Vec<std::collections::BTreeSet<String>> = schema
        .functions
        .iter()
        .map(|f| {
            if f.has_sql_body() {
                mentioned_names(&f.body)
            } else {
                Default::default()
            }
        })
        .collect();
    let mut late: Vec<bool> = names
        .iter()
        .map(|m| m.iter().any(|n| relations.contains(n.as_str())))
        .collect();
    // One that calls a late one is late too.
    loop {
        let mut changed = false;
        for (i, f) in schema.functions.iter().enumerate() {
            if late[i] || !f.has_sql_body() {
                continue;
            }
            let calls_late = schema
                .functions
                .iter()
                .enumerate()
                .any(|(j, g)| late[j] && j != i && names[i].contains(&g.name.name));
            if calls_late {
                late[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Each after the late ones it names (declaration order otherwise; a cycle keeps it).
    let mut order = Vec::new();
    let mut pending: Vec<usize> = (0..late.len()).filter(|&i| late[i]).collect();
    while !pending.is_empty() {
        let ready = pending.iter().position(|&i| {
            !pending
                .iter()
                .any(|&j| j != i && names[i].contains(&schema.functions[j].name.name))
        });
        order.push(pending.remove(ready.unwrap_or(0)));
    }
    order
}

/// The types of a function's arguments and result.
pub(crate) fn signature_types(func: &Function) -> impl Iterator<Item = &crate::types::DataType> {
    let returns: Vec<&crate::types::DataType> = match &func.returns {
        Some(Returns::Type(t)) | Some(Returns::SetOf(t)) => vec![t],
        Some(Returns::Table(columns)) => columns.iter().map(|(_, t)| t).collect(),
        None => Vec::new(),
    };
    func.args.iter().map(|a| &a.data_type).chain(returns)
}
