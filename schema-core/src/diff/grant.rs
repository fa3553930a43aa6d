//! Privileges: per managed schema (one the declaration grants anything in), the structural
//! difference of each object's ACL from its baseline, old against new. A grant only widens
//! access (safe); a revoke can break running code ([`Hazard::ChangesAccess`]). An object this
//! plan creates or re-creates starts from its baseline, so its grants are issued again.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::render::{
    acl_statements, default_acl_statements, PrivilegeChange, PrivilegeTarget, Statement,
};

use super::aggregate::aggregate_key;
use super::pair::function_key;
use super::{Change, ChangeKind, Hazard, ObjectKind, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn grants(&mut self) {
        let managed = self.new.grant_managed_schemas();
        if managed.is_empty() {
            return;
        }
        let managed: BTreeSet<String> = managed.into_iter().map(str::to_string).collect();
        let new = acl_entries(&self.new.grants);
        let mut old = BTreeMap::new();
        for (mut key, state) in acl_entries(&self.old.grants) {
            if let GrantObject::Table(name) = &key.object {
                key.object = GrantObject::Table(self.new_table_name(name));
            }
            if managed.contains(key.object.schema()) && self.kept(&key.object) {
                old.insert(key, state);
            }
        }
        for statement in acl_statements(&old, &new) {
            self.emit_privileges(statement);
        }
        let new_defaults = default_acl_entries(&self.new.default_privileges);
        let old_defaults = default_acl_entries(&self.old.default_privileges)
            .into_iter()
            .filter(|((_, schema, ..), _)| managed.contains(schema))
            .collect();
        for statement in default_acl_statements(&old_defaults, &new_defaults) {
            self.emit_privileges(statement);
        }
    }

    /// True when `object` (by its new name) exists in both schemas and this plan neither
    /// creates nor re-creates it: only then do its old privileges still hold.
    fn kept(&self, object: &GrantObject) -> bool {
        let (old, new) = (self.old, self.new);
        match object {
            GrantObject::Schema(s) => {
                s == DEFAULT_SCHEMA
                    || (old.schemas.iter().any(|n| &n.name == s)
                        && new.schemas.iter().any(|n| &n.name == s))
            }
            GrantObject::Table(name) => {
                if let Some(v) = new.views.iter().find(|v| &v.name == name) {
                    old.views.iter().any(|o| o.name == v.name) && !self.rebuilt_views.contains(name)
                } else {
                    new.table(name).is_some()
                        && !self.created_tables.iter().any(|t| &t.name == name)
                }
            }
            GrantObject::Sequence(name) => {
                old.sequences.iter().any(|s| &s.name == name)
                    && new.sequences.iter().any(|s| &s.name == name)
            }
            GrantObject::Function { name, args } => {
                let key = (name.clone(), args.clone());
                let in_old = old.functions.iter().any(|f| function_key(f) == key);
                let in_new = new.functions.iter().any(|f| function_key(f) == key);
                let agg_old = old.aggregates.iter().any(|a| aggregate_key(a) == key);
                let agg_new = new.aggregates.iter().any(|a| aggregate_key(a) == key);
                (in_old && in_new && !self.rebuilt_functions.contains(&key))
                    || (agg_old && agg_new && !self.rebuilt_aggregates.contains(&key))
            }
            GrantObject::Type(name) => {
                old.user_type(name).is_some()
                    && new.user_type(name).is_some()
                    && !self.rebuilt_types.contains(name)
            }
        }
    }

    fn emit_privileges(&mut self, statement: Statement) {
        let (change, revoke) = match &statement {
            Statement::Grant(c) => (c.clone(), false),
            Statement::Revoke(c) => (c.clone(), true),
            _ => return,
        };
        let inverse = if revoke {
            Statement::Grant(change.clone())
        } else {
            Statement::Revoke(change.clone())
        };
        let object = privileges_ref(&change);
        let kind = if revoke {
            ChangeKind::Drop
        } else {
            ChangeKind::Create
        };
        let mut c = Change::new(object, kind, [statement]).inverse([inverse]);
        // Revoking a baseline privilege on an object this plan creates takes nothing from
        // running code: nobody used it yet.
        let fresh = match &change.target {
            PrivilegeTarget::Object { object, .. } => !self.kept(object),
            PrivilegeTarget::Default { .. } => false,
        };
        if revoke && !fresh {
            c = c.hazard(Hazard::ChangesAccess);
        }
        self.emit(Phase::Grants, c);
    }
}

/// `privileges ON TABLE public.t TO app` / `default privileges IN SCHEMA app ON TABLES TO r`.
fn privileges_ref(change: &PrivilegeChange) -> ObjectRef {
    let to = crate::render::Role(&change.grantee);
    match &change.target {
        PrivilegeTarget::Object { object, column } => {
            let on = crate::render::grant_on(object);
            let name = match column {
                Some(c) => format!("({}) {on} TO {to}", crate::render::Ident(c)),
                None => format!("{on} TO {to}"),
            };
            ObjectRef::new(ObjectKind::Privileges, name)
        }
        PrivilegeTarget::Default {
            for_role,
            schema,
            on,
        } => {
            let role = for_role
                .as_ref()
                .map(|r| format!("FOR ROLE {} ", crate::render::Ident(r)))
                .unwrap_or_default();
            ObjectRef::new(
                ObjectKind::DefaultPrivileges,
                format!(
                    "{role}IN SCHEMA {} ON {} TO {to}",
                    crate::render::Ident(schema),
                    on.sql()
                ),
            )
        }
    }
}
