//! What each change of a plan creates, removes and needs, read off its owned statements (and,
//! for drops, off the old schema): the edges [`super::order`] sorts the plan by.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::model::*;
use crate::render::{
    mentioned_names, AlterComposite, AlterDomain, AlterTable, CommentTarget, PrivilegeChange,
    PrivilegeTarget, SequenceOption, Statement,
};
use crate::types::DataType;

use super::{Change, ChangeKind, ObjectId};

/// One schema's objects by unqualified name, to resolve the names an SQL text mentions.
pub(super) struct Catalog<'a> {
    schema: &'a Schema,
    by_name: BTreeMap<&'a str, BTreeSet<ObjectId>>,
    /// Tables (the first of a name, as [`Schema::table`]), views, and each table's
    /// partitions, by name: every change looks its table up, and scanning the schema for it
    /// made a plan of thousands of tables quadratic (issue 12).
    tables: HashMap<&'a QualifiedName, &'a Table>,
    views: HashSet<&'a QualifiedName>,
    partitions: HashMap<&'a QualifiedName, Vec<&'a Table>>,
}

impl<'a> Catalog<'a> {
    pub(super) fn new(schema: &'a Schema) -> Self {
        let mut by_name: BTreeMap<&'a str, BTreeSet<ObjectId>> = BTreeMap::new();
        let mut add = |name: &'a QualifiedName, id: ObjectId| {
            by_name.entry(name.name.as_str()).or_default().insert(id);
        };
        for t in &schema.tables {
            add(&t.name, ObjectId::Table(t.name.clone()));
        }
        for v in &schema.views {
            add(&v.name, ObjectId::View(v.name.clone()));
        }
        for f in &schema.functions {
            add(&f.name, ObjectId::Function(f.name.clone()));
        }
        for a in &schema.aggregates {
            add(&a.name, ObjectId::Function(a.name.clone()));
        }
        for s in &schema.sequences {
            add(&s.name, ObjectId::Sequence(s.name.clone()));
        }
        let mut tables = HashMap::new();
        let mut partitions: HashMap<&QualifiedName, Vec<&Table>> = HashMap::new();
        for t in &schema.tables {
            tables.entry(&t.name).or_insert(t);
            if let Some(of) = &t.partition_of {
                partitions.entry(&of.parent).or_default().push(t);
            }
        }
        Catalog {
            schema,
            by_name,
            tables,
            views: schema.views.iter().map(|v| &v.name).collect(),
            partitions,
        }
    }

    /// The table named `name` ([`Schema::table`] through the index).
    fn table_named(&self, name: &QualifiedName) -> Option<&'a Table> {
        self.tables.get(name).copied()
    }

    /// True if a view is named `name`.
    fn is_view(&self, name: &QualifiedName) -> bool {
        self.views.contains(name)
    }

    /// The objects `sql` mentions by name, of the kinds `accept` lets through.
    fn mentioned(&self, sql: &str, accept: fn(&ObjectId) -> bool, out: &mut Vec<ObjectId>) {
        let names = mentioned_names(sql);
        for name in &names {
            if let Some(ids) = self.by_name.get(name.as_str()) {
                out.extend(ids.iter().filter(|id| accept(id)).cloned());
            }
        }
    }

    /// What an SQL expression (a default, a check, an index expression, a `WHEN`) uses: the
    /// functions and sequences it names, the columns of `table` it names, and the extensions
    /// when it calls a function the schema does not declare (an extension may provide it).
    fn expression(&self, sql: &str, table: Option<&Table>, out: &mut Vec<ObjectId>) {
        self.mentioned(
            sql,
            |id| matches!(id, ObjectId::Function(_) | ObjectId::Sequence(_)),
            out,
        );
        if let Some(table) = table {
            let names = mentioned_names(sql);
            for column in &table.columns {
                if names.contains(&column.name) {
                    out.push(ObjectId::Column(table.name.clone(), column.name.clone()));
                }
            }
        }
        let calls_undeclared = crate::expr::parse_expr(sql).is_ok_and(|expr| {
            crate::expr::called_functions(&expr).iter().any(|called| {
                let last = called.rsplit('.').next().unwrap_or(called);
                !self.schema.functions.iter().any(|f| f.name.name == last)
            })
        });
        if calls_undeclared {
            self.extensions(out);
        }
    }

    fn extensions(&self, out: &mut Vec<ObjectId>) {
        out.extend(
            self.schema
                .extensions
                .iter()
                .map(|e| ObjectId::Extension(e.name.clone())),
        );
    }

    /// A type: one the schema declares (enum, domain, composite, range or a range's
    /// multirange), the row type of a table or view, or else (schema-qualified but not
    /// declared) an extension's type.
    fn data_type(&self, ty: &DataType, out: &mut Vec<ObjectId>) {
        let Some(schema) = &ty.schema else {
            return;
        };
        let name = QualifiedName::new(schema.clone(), ty.name.clone());
        if self.table_named(&name).is_some() {
            out.push(ObjectId::Table(name));
            return;
        }
        if self.is_view(&name) {
            out.push(ObjectId::View(name));
            return;
        }
        if self.schema.user_type(&name).is_none() {
            self.extensions(out);
        }
        out.push(ObjectId::Type(name));
    }

    /// What a domain's definition uses: its schema, its base type and the functions its
    /// default and checks call.
    fn domain(&self, domain: &Domain, out: &mut Vec<ObjectId>) {
        out.push(ObjectId::Schema(domain.name.schema.clone()));
        self.data_type(&domain.data_type, out);
        for sql in domain
            .default
            .iter()
            .chain(domain.checks.iter().map(|c| &c.expr))
        {
            self.expression(sql, None, out);
        }
    }

    /// What a composite type's definition uses: its schema and its attributes' types.
    fn composite(&self, composite: &CompositeType, out: &mut Vec<ObjectId>) {
        out.push(ObjectId::Schema(composite.name.schema.clone()));
        for attribute in &composite.attributes {
            self.data_type(&attribute.data_type, out);
        }
    }

    /// What a range type's definition uses: its schema (and its multirange's), its subtype
    /// and its `subtype_diff` function.
    fn range(&self, range: &RangeType, out: &mut Vec<ObjectId>) {
        out.push(ObjectId::Schema(range.name.schema.clone()));
        out.push(ObjectId::Schema(range.multirange_name().schema));
        self.data_type(&range.subtype, out);
        if let Some(diff) = &range.subtype_diff {
            self.expression(diff, None, out);
        }
    }

    fn column(&self, table: &Table, column: &Column, out: &mut Vec<ObjectId>) {
        out.push(ObjectId::Table(table.name.clone()));
        self.data_type(&column.data_type, out);
        for sql in column.default.iter().chain(&column.generated) {
            self.expression(sql, Some(table), out);
        }
    }

    /// What a table's definition uses: its schema, its column types and the functions and
    /// sequences its defaults and checks call. Foreign keys are separate changes.
    fn table(&self, table: &Table, out: &mut Vec<ObjectId>) {
        out.push(ObjectId::Schema(table.name.schema.clone()));
        // A partition is created after its parent, and dropped before it.
        if let Some(of) = &table.partition_of {
            out.push(ObjectId::Table(of.parent.clone()));
        }
        for column in &table.columns {
            self.column(table, column, out);
        }
        for constraint in &table.constraints {
            if let ConstraintKind::Check { expr } = &constraint.kind {
                self.expression(expr, Some(table), out);
            }
        }
    }

    /// What a constraint uses: its table and columns; a check's functions; a foreign key's
    /// target table, columns and the key (constraint or unique index) that serves it.
    fn constraint(&self, table: &QualifiedName, c: &Constraint, out: &mut Vec<ObjectId>) {
        out.push(ObjectId::Table(table.clone()));
        let columns = |cols: &[String], out: &mut Vec<ObjectId>| {
            out.extend(
                cols.iter()
                    .map(|col| ObjectId::Column(table.clone(), col.clone())),
            );
        };
        match &c.kind {
            ConstraintKind::PrimaryKey {
                columns: cols,
                include,
            }
            | ConstraintKind::Unique {
                columns: cols,
                include,
                ..
            } => {
                columns(cols, out);
                columns(include, out);
            }
            ConstraintKind::Check { expr } => {
                self.expression(expr, self.table_named(table), out);
            }
            ConstraintKind::Exclusion {
                elements,
                include,
                predicate,
                ..
            } => {
                let model = self.table_named(table);
                for e in elements {
                    match &e.element.target {
                        IndexTarget::Column(col) => {
                            out.push(ObjectId::Column(table.clone(), col.clone()));
                        }
                        IndexTarget::Expression(sql) => self.expression(sql, model, out),
                    }
                }
                columns(include, out);
                if let Some(predicate) = predicate {
                    self.expression(predicate, model, out);
                }
            }
            ConstraintKind::ForeignKey {
                columns: cols,
                ref_table,
                ref_columns,
                ..
            } => {
                columns(cols, out);
                out.push(ObjectId::Table(ref_table.clone()));
                // PostgreSQL ties the key to each partition of a partitioned target too.
                out.extend(self.partitions_below(ref_table).map(ObjectId::Table));
                out.extend(
                    ref_columns
                        .iter()
                        .map(|col| ObjectId::Column(ref_table.clone(), col.clone())),
                );
                if let Some(target) = self.table_named(ref_table) {
                    key_serving(target, ref_columns, out);
                }
            }
        }
    }

    /// Every partition below `table`, at any depth.
    fn partitions_below(&self, table: &QualifiedName) -> impl Iterator<Item = QualifiedName> {
        let mut found: Vec<QualifiedName> = Vec::new();
        let mut queue = vec![table.clone()];
        while let Some(parent) = queue.pop() {
            for p in self.partitions.get(&parent).into_iter().flatten() {
                if !found.contains(&p.name) && &p.name != table {
                    found.push(p.name.clone());
                    queue.push(p.name.clone());
                }
            }
        }
        found.into_iter()
    }

    fn index(&self, table: &QualifiedName, index: &Index, out: &mut Vec<ObjectId>) {
        // An index on a materialized view needs the view.
        if self.is_view(table) {
            out.push(ObjectId::View(table.clone()));
        } else {
            out.push(ObjectId::Table(table.clone()));
        }
        let model = self.table_named(table);
        for element in &index.elements {
            match &element.target {
                IndexTarget::Column(col) => {
                    out.push(ObjectId::Column(table.clone(), col.clone()));
                }
                IndexTarget::Expression(sql) => self.expression(sql, model, out),
            }
        }
        out.extend(
            index
                .include
                .iter()
                .map(|col| ObjectId::Column(table.clone(), col.clone())),
        );
        if let Some(predicate) = &index.predicate {
            self.expression(predicate, model, out);
        }
    }

    /// What a view's query names: tables (with the columns it names, every column for `*`),
    /// views and functions.
    fn view(&self, view: &View, out: &mut Vec<ObjectId>) {
        out.push(ObjectId::Schema(view.name.schema.clone()));
        self.sql_body(&view.query, out);
    }

    fn trigger(&self, trigger: &Trigger, out: &mut Vec<ObjectId>) {
        let table = &trigger.table;
        out.push(ObjectId::Table(table.clone()));
        out.push(ObjectId::View(table.clone()));
        out.push(ObjectId::Function(trigger.function.clone()));
        for event in &trigger.events {
            if let TriggerEvent::Update(columns) = event {
                out.extend(
                    columns
                        .iter()
                        .map(|col| ObjectId::Column(table.clone(), col.clone())),
                );
            }
        }
        if let Some(when) = &trigger.when {
            self.expression(when, self.table_named(table), out);
        }
    }

    /// What a policy uses: its table, and the columns, functions, tables and views its
    /// expressions name (a `USING` clause may read other tables).
    fn policy(&self, policy: &RowPolicy, out: &mut Vec<ObjectId>) {
        out.push(ObjectId::Table(policy.table.clone()));
        for sql in policy.using.iter().chain(&policy.with_check) {
            self.expression(sql, self.table_named(&policy.table), out);
            self.mentioned(
                sql,
                |id| matches!(id, ObjectId::Table(_) | ObjectId::View(_)),
                out,
            );
        }
    }

    /// What a grant or revoke needs: the object it is on (and, for default privileges, the
    /// schema).
    fn privileges(&self, change: &PrivilegeChange, out: &mut Vec<ObjectId>) {
        match &change.target {
            PrivilegeTarget::Default { schema, .. } => out.push(ObjectId::Schema(schema.clone())),
            PrivilegeTarget::Object { object, column } => out.push(match object {
                GrantObject::Schema(s) => ObjectId::Schema(s.clone()),
                GrantObject::Table(n) if self.is_view(n) => ObjectId::View(n.clone()),
                GrantObject::Table(n) => match column {
                    Some(c) => ObjectId::Column(n.clone(), c.clone()),
                    None => ObjectId::Table(n.clone()),
                },
                GrantObject::Sequence(n) => ObjectId::Sequence(n.clone()),
                GrantObject::Function { name, .. } => ObjectId::Function(name.clone()),
                GrantObject::Type(n) => ObjectId::Type(n.clone()),
            }),
        }
    }

    /// What a function's definition uses: its schema, the types of its signature, and the
    /// functions and tables its body names. A quoted body is not checked at `CREATE` (plans
    /// run with `check_function_bodies = false`; where a table's default calls the function
    /// its body names, the cycle falls back to phase order, functions first). An SQL-standard
    /// body is parsed at `CREATE` and ties the function to what it names, as a view's query
    /// does: the tables and the columns it names (every column for `*`), views and functions.
    /// What an aggregate's definition uses: its schema, its types and its functions.
    fn aggregate(&self, agg: &Aggregate, out: &mut Vec<ObjectId>) {
        out.push(ObjectId::Schema(agg.name.schema.clone()));
        for arg in &agg.args {
            self.data_type(arg, out);
        }
        self.data_type(&agg.stype, out);
        out.push(ObjectId::Function(agg.sfunc.clone()));
        out.extend(agg.finalfunc.clone().map(ObjectId::Function));
    }

    fn function(&self, func: &Function, out: &mut Vec<ObjectId>) {
        out.push(ObjectId::Schema(func.name.schema.clone()));
        for arg in &func.args {
            self.data_type(&arg.data_type, out);
        }
        match &func.returns {
            Some(Returns::Type(ty)) | Some(Returns::SetOf(ty)) => self.data_type(ty, out),
            Some(Returns::Table(columns)) => {
                for (_, ty) in columns {
                    self.data_type(ty, out);
                }
            }
            None => {}
        }
        if func.has_sql_body() {
            self.sql_body(&func.body, out);
            return;
        }
        self.mentioned(
            &func.body,
            |id| matches!(id, ObjectId::Function(_) | ObjectId::Table(_)),
            out,
        );
    }

    /// What SQL the server parses at creation (a view's query, an SQL-standard function body)
    /// names: tables (with the columns it names, every column for `*`), views and functions.
    fn sql_body(&self, sql: &str, out: &mut Vec<ObjectId>) {
        let mut named = Vec::new();
        self.mentioned(
            sql,
            |id| {
                matches!(
                    id,
                    ObjectId::Table(_) | ObjectId::View(_) | ObjectId::Function(_)
                )
            },
            &mut named,
        );
        let names = mentioned_names(sql);
        let star = sql.contains('*');
        for id in &named {
            if let ObjectId::Table(name) = id {
                if let Some(table) = self.table_named(name) {
                    for column in &table.columns {
                        if star || names.contains(&column.name) {
                            out.push(ObjectId::Column(name.clone(), column.name.clone()));
                        }
                    }
                }
            }
        }
        out.extend(named);
    }
}

/// The primary key or unique key (constraint or plain unique index) of `target` that a foreign
/// key to `ref_columns` depends on; the primary key when `ref_columns` is empty.
fn key_serving(target: &Table, ref_columns: &[String], out: &mut Vec<ObjectId>) {
    let wanted: BTreeSet<&String> = ref_columns.iter().collect();
    for key in &target.constraints {
        let is_pk = matches!(key.kind, ConstraintKind::PrimaryKey { .. });
        let is_key = is_pk || matches!(key.kind, ConstraintKind::Unique { .. });
        let serves = if wanted.is_empty() {
            is_pk
        } else {
            key.kind.columns().iter().collect::<BTreeSet<_>>() == wanted
        };
        if is_key && serves {
            out.push(ObjectId::Constraint(target.name.clone(), key.name.clone()));
        }
    }
    for index in &target.indexes {
        let columns: Option<BTreeSet<&String>> = index
            .elements
            .iter()
            .map(|e| match &e.target {
                IndexTarget::Column(c) => Some(c),
                IndexTarget::Expression(_) => None,
            })
            .collect();
        if index.unique && index.predicate.is_none() && columns.is_some_and(|c| c == wanted) {
            out.push(ObjectId::Index(QualifiedName::new(
                target.name.schema.clone(),
                index.name.clone(),
            )));
        }
    }
}

/// Fills in what every change creates, removes and needs. Creates and alters are read
/// against the new schema; drops against the old one (what the dropped object used).
pub(super) fn annotate(changes: &mut [Change], old: &Schema, new: &Schema) {
    let (old, new) = (Catalog::new(old), Catalog::new(new));
    // Foreign keys dropped on their own do not hold their table's drop back.
    let removed_constraints: BTreeSet<ObjectId> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Drop)
        .flat_map(|c| &c.statements)
        .filter_map(|s| match s {
            Statement::AlterTable {
                table,
                action: AlterTable::DropConstraint(name),
            } => Some(ObjectId::Constraint(table.clone(), name.clone())),
            _ => None,
        })
        .collect();
    for change in changes.iter_mut() {
        let mut creates = Vec::new();
        let mut removes = Vec::new();
        let mut needs = Vec::new();
        let drop = change.kind == ChangeKind::Drop;
        for statement in &change.statements {
            if drop {
                dropped(
                    &old,
                    statement,
                    &removed_constraints,
                    &mut removes,
                    &mut needs,
                );
            } else {
                created(&new, statement, &mut creates, &mut removes, &mut needs);
            }
        }
        let own: BTreeSet<&ObjectId> = creates.iter().chain(&removes).collect();
        needs.retain(|id| !own.contains(id));
        change.needs = dedup(needs);
        change.creates = dedup(creates);
        change.removes = dedup(removes);
    }
}

/// `ids` without repeats, in first-seen order, holding no spare capacity: every change of a
/// plan keeps three of these lists until it is ordered, so at thousands of changes their
/// slack and the copies a set of seen ids made were a large part of a plan's peak memory
/// (issue 12). A change names a few objects; a long list (a wide table's columns) is
/// deduplicated through a set of positions instead of comparing every pair.
fn dedup(ids: Vec<ObjectId>) -> Vec<ObjectId> {
    let mut out: Vec<ObjectId> = Vec::with_capacity(ids.len());
    if ids.len() <= 32 {
        for id in ids {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    } else {
        let mut first: BTreeMap<&ObjectId, usize> = BTreeMap::new();
        for (i, id) in ids.iter().enumerate() {
            first.entry(id).or_insert(i);
        }
        let keep: BTreeSet<usize> = first.into_values().collect();
        out.extend(
            ids.into_iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(i))
                .map(|(_, id)| id),
        );
    }
    out.shrink_to_fit();
    out
}

/// A statement of a change that creates or alters: what it makes exist and what it uses.
/// Drops inside such a change (a serial column's sequence, a rebuilt enum's old copy) remove
/// nothing anything else declares.
fn created(
    cx: &Catalog<'_>,
    statement: &Statement,
    creates: &mut Vec<ObjectId>,
    removes: &mut Vec<ObjectId>,
    needs: &mut Vec<ObjectId>,
) {
    let column = |table: &QualifiedName, name: &str| ObjectId::Column(table.clone(), name.into());
    match statement {
        Statement::CreateSchema(name) => creates.push(ObjectId::Schema(name.clone())),
        Statement::CreateExtension(ext) => {
            creates.push(ObjectId::Extension(ext.name.clone()));
            needs.extend(ext.schema.clone().map(ObjectId::Schema));
        }
        Statement::AlterExtensionSchema { name, schema } => {
            creates.push(ObjectId::Extension(name.clone()));
            needs.push(ObjectId::Schema(schema.clone()));
        }
        Statement::CreateEnum(e) => {
            creates.push(ObjectId::Type(e.name.clone()));
            needs.push(ObjectId::Schema(e.name.schema.clone()));
        }
        Statement::AddEnumValue { name, .. } => creates.push(ObjectId::Type(name.clone())),
        Statement::CreateDomain(d) => {
            creates.push(ObjectId::Type(d.name.clone()));
            cx.domain(d, needs);
        }
        Statement::AlterDomain { name, action } => {
            creates.push(ObjectId::Type(name.clone()));
            match action {
                AlterDomain::SetDefault(sql) => cx.expression(sql, None, needs),
                AlterDomain::AddCheck { check, .. } => cx.expression(&check.expr, None, needs),
                _ => {}
            }
        }
        Statement::CreateCompositeType(c) => {
            creates.push(ObjectId::Type(c.name.clone()));
            for a in &c.attributes {
                creates.push(column(&c.name, &a.name));
            }
            cx.composite(c, needs);
        }
        Statement::AlterCompositeType { name, action } => {
            creates.push(ObjectId::Type(name.clone()));
            match &**action {
                AlterComposite::AddAttribute(a) | AlterComposite::AlterAttributeType(a) => {
                    creates.push(column(name, &a.name));
                    cx.data_type(&a.data_type, needs);
                }
                AlterComposite::DropAttribute(_) => {}
            }
        }
        Statement::CreateRangeType(r) => {
            creates.push(ObjectId::Type(r.name.clone()));
            creates.push(ObjectId::Type(r.multirange_name()));
            cx.range(r, needs);
        }
        Statement::CreateSequence(seq) => {
            creates.push(ObjectId::Sequence(seq.name.clone()));
            needs.push(ObjectId::Schema(seq.name.schema.clone()));
        }
        Statement::AlterSequence { name, options } => {
            // Ownership ties the sequence to a column: it needs both, and nothing waits for it.
            let owner = options.iter().find_map(|o| match o {
                SequenceOption::OwnedBy(owner) => Some(owner),
                _ => None,
            });
            match owner {
                Some(owner) => {
                    needs.push(ObjectId::Sequence(name.clone()));
                    if let Some((table, col)) = owner {
                        needs.push(ObjectId::Table(table.clone()));
                        needs.push(column(table, col));
                    }
                }
                None => creates.push(ObjectId::Sequence(name.clone())),
            }
        }
        Statement::CreateFunction(func) => {
            creates.push(ObjectId::Function(func.name.clone()));
            cx.function(func, needs);
        }
        // An aggregate is called by name like a function: it is one, to what uses it.
        Statement::CreateAggregate(agg) => {
            creates.push(ObjectId::Function(agg.name.clone()));
            cx.aggregate(agg, needs);
        }
        Statement::CreateTable(table) => {
            creates.push(ObjectId::Table(table.name.clone()));
            for c in &table.columns {
                creates.push(column(&table.name, &c.name));
            }
            for c in crate::render::inline_constraints(table) {
                creates.push(ObjectId::Constraint(table.name.clone(), c.name.clone()));
            }
            if table.partition_of.is_some() {
                creates.push(ObjectId::Partition(table.name.clone()));
            }
            cx.table(table, needs);
        }
        Statement::AttachPartition {
            parent, partition, ..
        } => {
            creates.push(ObjectId::Partition(partition.clone()));
            needs.push(ObjectId::Table(parent.clone()));
            needs.push(ObjectId::Table(partition.clone()));
        }
        Statement::RenameTable { from, to } => {
            removes.push(ObjectId::Table(from.clone()));
            creates.push(ObjectId::Table(QualifiedName::new(
                from.schema.clone(),
                to.clone(),
            )));
        }
        Statement::AlterTable { table, action } => {
            needs.push(ObjectId::Table(table.clone()));
            match action {
                AlterTable::AddColumn(c) => {
                    creates.push(column(table, &c.name));
                    match cx.table_named(table) {
                        Some(model) => cx.column(model, c, needs),
                        None => cx.data_type(&c.data_type, needs),
                    }
                }
                AlterTable::AlterType {
                    column: c, using, ..
                } => {
                    creates.push(column(table, &c.name));
                    cx.data_type(&c.data_type, needs);
                    if let Some(using) = using {
                        cx.expression(using, cx.table_named(table), needs);
                    }
                }
                AlterTable::SetDefault(col, expr) => {
                    creates.push(column(table, col));
                    cx.expression(expr, cx.table_named(table), needs);
                }
                AlterTable::SetNotNull(col)
                | AlterTable::DropNotNull(col)
                | AlterTable::DropDefault(col)
                | AlterTable::SetIdentity(col, _)
                | AlterTable::DropIdentity(col)
                | AlterTable::DropExpression(col)
                | AlterTable::SetStatistics(col, _)
                | AlterTable::SetColumnStorage(col, _)
                | AlterTable::SetCompression(col, _)
                | AlterTable::SetColumnOptions(col, _)
                | AlterTable::ResetColumnOptions(col, _) => creates.push(column(table, col)),
                AlterTable::ValidateConstraint(name) => {
                    creates.push(ObjectId::Constraint(table.clone(), name.clone()));
                }
                AlterTable::DropColumn(_)
                | AlterTable::DropConstraint(_)
                | AlterTable::SetUnlogged(_)
                | AlterTable::SetStorage(_)
                | AlterTable::ResetStorage(_) => {}
            }
        }
        Statement::RetypeColumn {
            table,
            column: c,
            using,
            ..
        } => {
            needs.push(ObjectId::Table(table.clone()));
            creates.push(column(table, &c.name));
            cx.data_type(&c.data_type, needs);
            if let Some(using) = using {
                cx.expression(using, cx.table_named(table), needs);
            }
        }
        Statement::RenameColumn { table, from, to } => {
            removes.push(column(table, from));
            creates.push(column(table, to));
            needs.push(ObjectId::Table(table.clone()));
        }
        Statement::SwapColumnSequence {
            table,
            column: col,
            to,
        } => {
            creates.push(column(table, col));
            needs.push(ObjectId::Table(table.clone()));
            if let crate::render::SequenceSwap::ToSequence(seq) = to {
                creates.push(ObjectId::Sequence(seq.name.clone()));
                if let Some(ty) = &seq.data_type {
                    cx.data_type(ty, needs);
                }
            }
        }
        Statement::AddIdentity {
            table, column: col, ..
        }
        | Statement::SyncSequence { table, column: col }
        | Statement::ResetColumnStorage { table, column: col } => {
            creates.push(column(table, col));
            needs.push(ObjectId::Table(table.clone()));
        }
        Statement::AddConstraint {
            table,
            constraint,
            mode,
        } => {
            creates.push(ObjectId::Constraint(table.clone(), constraint.name.clone()));
            cx.constraint(table, constraint, needs);
            if *mode == crate::render::AddMode::UsingIndex {
                needs.push(ObjectId::Index(QualifiedName::new(
                    table.schema.clone(),
                    constraint.name.clone(),
                )));
            }
        }
        // Altered in place: the index is there before and after.
        Statement::AlterIndexStorage { schema, name, .. } => {
            creates.push(ObjectId::Index(QualifiedName::new(
                schema.clone(),
                name.clone(),
            )));
        }
        Statement::CreateIndex { table, index, .. }
        | Statement::CreateIndexOnOnly { table, index } => {
            creates.push(ObjectId::Index(QualifiedName::new(
                table.schema.clone(),
                index.name.clone(),
            )));
            cx.index(table, index, needs);
        }
        Statement::AttachIndex { parent, child } => {
            needs.push(ObjectId::Index(parent.clone()));
            needs.push(ObjectId::Index(child.clone()));
        }
        Statement::CreateView(view) => {
            creates.push(ObjectId::View(view.name.clone()));
            cx.view(view, needs);
        }
        Statement::CreateTrigger(trigger) => {
            creates.push(ObjectId::Trigger(
                trigger.table.clone(),
                trigger.name.clone(),
            ));
            cx.trigger(trigger, needs);
        }
        Statement::CreatePolicy(policy) | Statement::AlterPolicy(policy) => {
            creates.push(ObjectId::Policy(policy.table.clone(), policy.name.clone()));
            cx.policy(policy, needs);
        }
        Statement::SetRowSecurity { table, .. } => needs.push(ObjectId::Table(table.clone())),
        Statement::Grant(change) | Statement::Revoke(change) => cx.privileges(change, needs),
        Statement::Comment { target, .. } => needs.push(commented(target)),
        Statement::UncheckedFunctionBodies
        | Statement::ResetFunctionBodies
        | Statement::RenameType { .. }
        | Statement::RenameRangeConstructors { .. }
        | Statement::DropExtension(_)
        | Statement::DropSchema(_)
        | Statement::DropType(_)
        | Statement::DropDomain(_)
        | Statement::DropSequence(_)
        | Statement::DropFunction(_)
        | Statement::DropAggregate(_)
        | Statement::DropTable(_)
        | Statement::DropIndex { .. }
        | Statement::DropView(_)
        | Statement::DropMaterializedView(_)
        | Statement::DropTrigger { .. }
        | Statement::DropPolicy { .. }
        | Statement::DetachPartition { .. } => {}
    }
}

/// The object a comment is on.
fn commented(target: &CommentTarget) -> ObjectId {
    match target {
        CommentTarget::Extension(name) => ObjectId::Extension(name.clone()),
        CommentTarget::Schema(name) => ObjectId::Schema(name.clone()),
        CommentTarget::Type(name) | CommentTarget::Domain(name) => ObjectId::Type(name.clone()),
        CommentTarget::Sequence(name) => ObjectId::Sequence(name.clone()),
        CommentTarget::Function(func) => ObjectId::Function(func.name.clone()),
        CommentTarget::Aggregate(agg) => ObjectId::Function(agg.name.clone()),
        CommentTarget::Table(name) => ObjectId::Table(name.clone()),
        CommentTarget::Column(table, name) => ObjectId::Column(table.clone(), name.clone()),
        CommentTarget::Constraint(table, name) => ObjectId::Constraint(table.clone(), name.clone()),
        CommentTarget::Index(table, name) => {
            ObjectId::Index(QualifiedName::new(table.schema.clone(), name.clone()))
        }
        CommentTarget::View(name) | CommentTarget::MaterializedView(name) => {
            ObjectId::View(name.clone())
        }
        CommentTarget::Trigger(table, name) => ObjectId::Trigger(table.clone(), name.clone()),
        CommentTarget::Policy(table, name) => ObjectId::Policy(table.clone(), name.clone()),
    }
}

/// A statement of a drop: what goes away, and what the dropped object used in the old schema.
fn dropped(
    cx: &Catalog<'_>,
    statement: &Statement,
    removed_constraints: &BTreeSet<ObjectId>,
    removes: &mut Vec<ObjectId>,
    needs: &mut Vec<ObjectId>,
) {
    let old = cx.schema;
    match statement {
        Statement::DropSchema(name) => removes.push(ObjectId::Schema(name.clone())),
        Statement::DropExtension(name) => {
            removes.push(ObjectId::Extension(name.clone()));
            let schema = old.extensions.iter().find(|e| &e.name == name);
            needs.extend(schema.and_then(|e| e.schema.clone()).map(ObjectId::Schema));
        }
        Statement::DropType(name) | Statement::DropDomain(name) => {
            removes.push(ObjectId::Type(name.clone()));
            needs.push(ObjectId::Schema(name.schema.clone()));
            // A type goes before the types it was built from.
            if let Some(d) = old.domain(name) {
                cx.domain(d, needs);
            } else if let Some(c) = old.composite_type(name) {
                cx.composite(c, needs);
            } else if let Some(r) = old.range_type(name) {
                removes.push(ObjectId::Type(r.multirange_name()));
                cx.range(r, needs);
            }
        }
        Statement::AlterDomain {
            name,
            action: AlterDomain::DropConstraint(check),
        } => {
            // A check goes before the functions it calls.
            let expr = old.domain(name).and_then(|d| d.check(check));
            if let Some(c) = expr {
                cx.expression(&c.expr, None, needs);
            }
        }
        Statement::AlterDomain {
            name,
            action: AlterDomain::DropDefault,
        } => {
            // A default goes before the functions it calls.
            if let Some(d) = old.domain(name).and_then(|d| d.default.as_ref()) {
                cx.expression(d, None, needs);
            }
        }
        Statement::AlterCompositeType { name, action } => {
            if let AlterComposite::DropAttribute(attribute) = &**action {
                removes.push(ObjectId::Column(name.clone(), attribute.clone()));
                let found = old
                    .composite_type(name)
                    .and_then(|c| c.attribute_named(attribute));
                if let Some(a) = found {
                    cx.data_type(&a.data_type, needs);
                }
            }
        }
        Statement::DropSequence(name) => {
            removes.push(ObjectId::Sequence(name.clone()));
            needs.push(ObjectId::Schema(name.schema.clone()));
        }
        Statement::DropFunction(func) => {
            removes.push(ObjectId::Function(func.name.clone()));
            cx.function(func, needs);
        }
        Statement::DropAggregate(agg) => {
            removes.push(ObjectId::Function(agg.name.clone()));
            cx.aggregate(agg, needs);
        }
        Statement::DropTable(name) => {
            removes.push(ObjectId::Table(name.clone()));
            if let Some(table) = old.table(name) {
                cx.table(table, needs);
                // A foreign key that goes with the table holds the referenced table's drop back.
                for fk in crate::render::foreign_keys(table) {
                    let own = ObjectId::Constraint(name.clone(), fk.name.clone());
                    if let ConstraintKind::ForeignKey {
                        ref_table,
                        ref_columns,
                        ..
                    } = &fk.kind
                    {
                        if !removed_constraints.contains(&own) {
                            needs.push(ObjectId::Table(ref_table.clone()));
                            needs.extend(cx.partitions_below(ref_table).map(ObjectId::Table));
                            // And the key or unique index it references.
                            if let Some(target) = cx.table_named(ref_table) {
                                key_serving(target, ref_columns, needs);
                            }
                        }
                    }
                }
            }
        }
        Statement::AlterTable { table, action } => {
            needs.push(ObjectId::Table(table.clone()));
            let model = old.table(table);
            match action {
                AlterTable::DropConstraint(name) => {
                    removes.push(ObjectId::Constraint(table.clone(), name.clone()));
                    let constraint =
                        model.and_then(|t| t.constraints.iter().find(|c| &c.name == name));
                    if let Some(c) = constraint {
                        cx.constraint(table, c, needs);
                    }
                }
                AlterTable::DropDefault(name) => {
                    // A default goes before the functions it calls.
                    if let Some(t) = model {
                        if let Some(d) = t.column(name).and_then(|c| c.default.as_ref()) {
                            cx.expression(d, Some(t), needs);
                        }
                    }
                }
                AlterTable::DropColumn(name) => {
                    removes.push(ObjectId::Column(table.clone(), name.clone()));
                    // A generated column goes before the columns its expression uses.
                    if let Some(t) = model {
                        if let Some(c) = t.column(name) {
                            cx.column(t, c, needs);
                        }
                    }
                }
                _ => {}
            }
        }
        Statement::DropIndex { schema, name, .. } => {
            removes.push(ObjectId::Index(QualifiedName::new(
                schema.clone(),
                name.clone(),
            )));
            let found = old
                .tables
                .iter()
                .map(|t| (&t.name, &t.indexes))
                .chain(old.views.iter().map(|v| (&v.name, &v.indexes)))
                .find_map(|(relation, indexes)| {
                    let index = indexes.iter().find(|i| &i.name == name)?;
                    (&relation.schema == schema).then_some((relation, index))
                });
            if let Some((relation, index)) = found {
                cx.index(relation, index, needs);
            }
        }
        Statement::DetachPartition { parent, partition } => {
            // Before the old parent or the partition is dropped, renamed or re-created.
            removes.push(ObjectId::Partition(partition.clone()));
            needs.push(ObjectId::Table(parent.clone()));
            needs.push(ObjectId::Table(partition.clone()));
        }
        Statement::DropView(name) | Statement::DropMaterializedView(name) => {
            removes.push(ObjectId::View(name.clone()));
            if let Some(view) = old.views.iter().find(|v| &v.name == name) {
                cx.view(view, needs);
            }
        }
        Statement::DropTrigger { table, name } => {
            removes.push(ObjectId::Trigger(table.clone(), name.clone()));
            let trigger = old
                .triggers
                .iter()
                .find(|t| &t.table == table && &t.name == name);
            if let Some(trigger) = trigger {
                cx.trigger(trigger, needs);
            }
        }
        Statement::DropPolicy { table, name } => {
            removes.push(ObjectId::Policy(table.clone(), name.clone()));
            let policy = old
                .policies
                .iter()
                .find(|p| &p.table == table && &p.name == name);
            if let Some(policy) = policy {
                cx.policy(policy, needs);
            }
        }
        _ => {}
    }
}
