//! Row-level security: the per-table switch set where it differs, policies altered in place
//! where `ALTER POLICY` can (roles, `USING`, `WITH CHECK`), else dropped and created again.
//! Every change to who sees which rows carries [`Hazard::ChangesAccess`], except a new
//! permissive policy, which only lets more rows through for the roles it names.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::render::{mentioned_names, CommentTarget, Statement};

use super::{same_opt_fragment, Change, ChangeKind, Hazard, LockLevel, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn row_security(&mut self) {
        let created: BTreeSet<&QualifiedName> =
            self.created_tables.iter().map(|t| &t.name).collect();
        // Maps built once: a scan of the pairs and of the switches per table was quadratic
        // (a second of a no-op plan at 10,000 tables, issue 12).
        let old_by_new: BTreeMap<&QualifiedName, &QualifiedName> = self
            .pairs
            .iter()
            .map(|p| (&p.new.name, &p.old.name))
            .collect();
        let switch = |s: &'a Schema| -> BTreeMap<&'a QualifiedName, bool> {
            s.row_security.iter().map(|r| (&r.table, r.force)).collect()
        };
        let (new_switch, old_switch) = (switch(self.new), switch(self.old));
        for table in &self.new.tables {
            let want = new_switch.get(&table.name).copied();
            let have = if created.contains(&table.name) {
                None
            } else {
                old_by_new
                    .get(&table.name)
                    .and_then(|n| old_switch.get(n).copied())
            };
            if want == have {
                continue;
            }
            let state = |s: Option<bool>| Statement::SetRowSecurity {
                table: table.name.clone(),
                enable: s.is_some(),
                force: s.unwrap_or(false),
            };
            let mut change = Change::new(
                ObjectRef::new(super::ObjectKind::Table, &table.name),
                ChangeKind::Alter,
                [state(want)],
            )
            .lock(LockLevel::AccessExclusive)
            .inverse([state(have)]);
            // Turning it on for a new table changes no one's access: nobody used it yet.
            if !(created.contains(&table.name) && want.is_some()) {
                change = change.hazard(Hazard::ChangesAccess);
            }
            self.emit(Phase::Policies, change);
        }
    }

    pub(super) fn policies(&mut self) {
        let dropped_tables: BTreeSet<&QualifiedName> =
            self.dropped_tables.iter().map(|t| &t.name).collect();
        let key = |me: &Self, p: &RowPolicy| (me.new_table_name(&p.table), p.name.clone());
        // Old policies that must go and come back: their table is re-created, a column
        // their expressions use changes type (PostgreSQL refuses to retype it while a
        // policy uses it), or the change is one `ALTER POLICY` cannot make.
        let mut recreated: BTreeSet<(QualifiedName, String)> = BTreeSet::new();
        for o in &self.old.policies {
            let new_key = key(self, o);
            let declared = self
                .new
                .policies
                .iter()
                .find(|n| (n.table.clone(), n.name.clone()) == new_key);
            if self.recreated_tables.contains(&o.table) {
                recreated.insert((o.table.clone(), o.name.clone()));
                continue; // goes with its table
            }
            if declared.is_none() && dropped_tables.contains(&o.table) {
                continue; // goes with its table
            }
            let reshaped = self.reshaped.get(&o.table).is_some_and(|columns| {
                o.using.iter().chain(&o.with_check).any(|sql| {
                    let names = mentioned_names(sql);
                    columns.iter().any(|c| names.contains(c))
                })
            });
            let calls_rebuilt = o
                .using
                .iter()
                .chain(&o.with_check)
                .any(|sql| self.calls_rebuilt_function(sql));
            match declared {
                Some(n)
                    if !reshaped && !calls_rebuilt && (same_policy(o, n) || alterable(o, n)) =>
                {
                    continue
                }
                _ => {}
            }
            if declared.is_some() {
                recreated.insert((o.table.clone(), o.name.clone()));
            }
            let mut drop = Change::new(
                ObjectRef::policy(&o.table, &o.name),
                ChangeKind::Drop,
                [Statement::DropPolicy {
                    table: o.table.clone(),
                    name: o.name.clone(),
                }],
            )
            .lock(LockLevel::AccessExclusive)
            .inverse([Statement::CreatePolicy(Box::new(o.clone()))]);
            // The same policy dropped and created again in the transaction (for its table's
            // column or a function it calls) changes nobody's access.
            if !declared.is_some_and(|n| same_policy(o, n)) {
                drop = drop.hazard(Hazard::ChangesAccess);
            }
            if declared.is_some() {
                drop = drop.hazard(Hazard::RecreatesObject);
            }
            self.emit(Phase::DropPolicies, drop);
        }
        for p in &self.new.policies {
            let object = ObjectRef::policy(&p.table, &p.name);
            let target = CommentTarget::Policy(p.table.clone(), p.name.clone());
            let old = self
                .old
                .policies
                .iter()
                .find(|o| key(self, o) == (p.table.clone(), p.name.clone()))
                .filter(|o| !recreated.contains(&(o.table.clone(), o.name.clone())));
            match old {
                Some(o) => {
                    if !same_policy(o, p) {
                        self.emit(
                            Phase::Policies,
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                [Statement::AlterPolicy(Box::new(p.clone()))],
                            )
                            .hazard(Hazard::ChangesAccess)
                            .lock(LockLevel::AccessExclusive)
                            .inverse([Statement::AlterPolicy(Box::new(o.clone()))]),
                        );
                    }
                    self.comment(object, target, &o.comment, &p.comment);
                }
                None => {
                    let mut create = Change::new(
                        object.clone(),
                        ChangeKind::Create,
                        [Statement::CreatePolicy(Box::new(p.clone()))],
                    )
                    .lock(LockLevel::AccessExclusive)
                    .inverse([Statement::DropPolicy {
                        table: p.table.clone(),
                        name: p.name.clone(),
                    }]);
                    // A restrictive policy takes rows away from running code (none runs on a
                    // table this plan creates).
                    let new_table = self.created_tables.iter().any(|t| t.name == p.table);
                    if !p.permissive && !new_table {
                        create = create.hazard(Hazard::ChangesAccess);
                    }
                    self.emit(Phase::Policies, create);
                    self.comment(object, target, &None, &p.comment);
                }
            }
        }
    }
}

/// True when two policies let the same roles see and write the same rows.
pub(super) fn same_policy(a: &RowPolicy, b: &RowPolicy) -> bool {
    a.permissive == b.permissive
        && a.command == b.command
        && a.role_set() == b.role_set()
        && same_opt_fragment(&a.using, &b.using)
        && same_opt_fragment(&a.with_check, &b.with_check)
}

/// True when `ALTER POLICY` turns `old` into `new`: same command and kind, and no expression
/// removed (`ALTER POLICY` can replace `USING` or `WITH CHECK`, not drop one).
fn alterable(old: &RowPolicy, new: &RowPolicy) -> bool {
    old.permissive == new.permissive
        && old.command == new.command
        && (old.using.is_none() || new.using.is_some())
        && (old.with_check.is_none() || new.with_check.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::*;
    use crate::DataType;

    fn schema(policies: Vec<RowPolicy>, rls: Option<RowSecurity>) -> Schema {
        let mut b = Schema::builder().table(
            TableDef::new("docs")
                .column(ColumnDef::new("id", DataType::builtin("integer")).primary_key())
                .column(ColumnDef::new("owner", DataType::builtin("text"))),
        );
        if let Some(r) = rls {
            b = b.row_security(r);
        }
        for p in policies {
            b = b.policy(p);
        }
        b.build()
    }

    fn sql(old: &Schema, new: &Schema) -> Vec<String> {
        crate::diff(old, new)
            .changes
            .iter()
            .map(|c| format!("{} {:?}", c.sql(), c.hazards))
            .collect()
    }

    #[test]
    fn roles_compare_as_a_set_and_expressions_alter_in_place() {
        let own = RowPolicy::new("own", "docs")
            .command(PolicyCommand::Select)
            .to(["b", "a"])
            .using_sql("owner = current_user");
        let a = schema(vec![own.clone()], Some(RowSecurity::on("docs")));
        let reordered = schema(
            vec![own.clone().to(["a", "b", "a"])],
            Some(RowSecurity::on("docs")),
        );
        assert!(sql(&a, &reordered).is_empty());

        let widened = schema(
            vec![own.clone().using_sql("true")],
            Some(RowSecurity::on("docs")),
        );
        assert_eq!(
            sql(&a, &widened),
            ["ALTER POLICY own ON public.docs TO a, b USING (true); [AccessExclusiveLock, ChangesAccess]"]
        );

        // `FOR ALL` cannot be reached by ALTER POLICY: drop and create.
        let all = schema(
            vec![own.clone().command(PolicyCommand::All)],
            Some(RowSecurity::on("docs").force()),
        );
        let plan = sql(&a, &all);
        assert_eq!(plan.len(), 3, "{plan:#?}");
        assert!(plan[0].starts_with("DROP POLICY IF EXISTS own ON public.docs;"));
        assert!(plan.iter().any(|s| s.starts_with(
            "ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;"
        )));
        assert!(plan.iter().any(|s| s.contains("CREATE POLICY own ON public.docs AS PERMISSIVE FOR ALL TO a, b USING (owner = current_user);")));
    }

    #[test]
    fn turning_row_security_off_changes_access() {
        let on = schema(vec![], Some(RowSecurity::on("docs")));
        let off = schema(vec![], None);
        assert_eq!(
            sql(&on, &off),
            ["ALTER TABLE public.docs DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY; [AccessExclusiveLock, ChangesAccess]"]
        );
        assert!(sql(&off, &off).is_empty());
    }
}
