//! Privileges: `GRANT` and `REVOKE` on objects and `ALTER DEFAULT PRIVILEGES`. Both are
//! idempotent by nature (granting a held privilege or revoking a missing one is a no-op).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Display, Formatter};

use super::display::*;
use super::policy::Role;
use crate::model::{AclKey, AclState, DefaultAclKey, DefaultObjects, GrantObject, Privilege};

/// What a [`PrivilegeChange`] is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivilegeTarget {
    /// An object, or (`column`) a column of a table.
    Object {
        /// The object.
        object: GrantObject,
        /// The column, for a column privilege.
        column: Option<String>,
    },
    /// Default privileges of the objects `for_role` creates in `schema`.
    Default {
        /// `FOR ROLE`, or the role applying the plan.
        for_role: Option<String>,
        /// `IN SCHEMA`.
        schema: String,
        /// `ON TABLES | ...`.
        on: DefaultObjects,
    },
}

/// The privileges of one grantee on one target: a `GRANT` or `REVOKE` statement's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivilegeChange {
    /// What it is on.
    pub target: PrivilegeTarget,
    /// The privileges.
    pub privileges: Vec<Privilege>,
    /// The grantee (`public` is `PUBLIC`).
    pub grantee: String,
    /// In a grant, `WITH GRANT OPTION`; in a revoke, `GRANT OPTION FOR` (only the option is
    /// taken away).
    pub grant_option: bool,
}

/// `ON TABLE public.t` / `ON ROUTINE public.f(integer)` ...
pub(super) struct On<'a>(pub &'a GrantObject);

/// `ON TABLE public.t`, as a string (for reports).
pub fn grant_on(object: &GrantObject) -> String {
    On(object).to_string()
}

impl Display for On<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0 {
            GrantObject::Schema(s) => write!(f, "ON SCHEMA {}", Ident(s)),
            GrantObject::Table(n) => write!(f, "ON TABLE {n}"),
            GrantObject::Sequence(n) => write!(f, "ON SEQUENCE {n}"),
            // ROUTINE takes functions, procedures and aggregates alike.
            GrantObject::Function { name, args } => {
                write!(f, "ON ROUTINE {name}({})", args.join(", "))
            }
            GrantObject::Type(n) => write!(f, "ON TYPE {n}"),
        }
    }
}

/// `SELECT (col), UPDATE (col)`: the privileges, each with the column when there is one.
fn write_privileges(f: &mut Formatter<'_>, change: &PrivilegeChange) -> fmt::Result {
    let column = match &change.target {
        PrivilegeTarget::Object {
            column: Some(c), ..
        } => Some(c),
        _ => None,
    };
    for (i, p) in change.privileges.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{p}")?;
        if let Some(c) = column {
            write!(f, " ({})", Ident(c))?;
        }
    }
    Ok(())
}

/// `ALTER DEFAULT PRIVILEGES [FOR ROLE r] IN SCHEMA s ` before a default target's statement.
fn write_default_prefix(f: &mut Formatter<'_>, target: &PrivilegeTarget) -> fmt::Result {
    if let PrivilegeTarget::Default {
        for_role, schema, ..
    } = target
    {
        f.write_str("ALTER DEFAULT PRIVILEGES ")?;
        if let Some(r) = for_role {
            write!(f, "FOR ROLE {} ", Ident(r))?;
        }
        write!(f, "IN SCHEMA {} ", Ident(schema))?;
    }
    Ok(())
}

/// ` ON ...` of either kind of target.
fn write_target(f: &mut Formatter<'_>, target: &PrivilegeTarget) -> fmt::Result {
    match target {
        PrivilegeTarget::Object { object, .. } => write!(f, " {}", On(object)),
        PrivilegeTarget::Default { on, .. } => write!(f, " ON {}", on.sql()),
    }
}

pub(super) fn write_grant(f: &mut Formatter<'_>, change: &PrivilegeChange) -> fmt::Result {
    write_default_prefix(f, &change.target)?;
    f.write_str("GRANT ")?;
    write_privileges(f, change)?;
    write_target(f, &change.target)?;
    write!(f, " TO {}", Role(&change.grantee))?;
    if change.grant_option {
        f.write_str(" WITH GRANT OPTION")?;
    }
    f.write_str(";")
}

pub(super) fn write_revoke(f: &mut Formatter<'_>, change: &PrivilegeChange) -> fmt::Result {
    write_default_prefix(f, &change.target)?;
    f.write_str("REVOKE ")?;
    if change.grant_option {
        f.write_str("GRANT OPTION FOR ")?;
    }
    write_privileges(f, change)?;
    write_target(f, &change.target)?;
    write!(f, " FROM {};", Role(&change.grantee))
}

/// The statements that turn objects whose privileges differ from their baselines as `old`
/// says into what `new` says, grouped into one statement per (target, grantee, grant or
/// revoke, grant option), in a stable order. Grants and revokes are told apart by their
/// [`Statement`](super::Statement) variant.
pub fn acl_statements(
    old: &BTreeMap<AclKey, AclState>,
    new: &BTreeMap<AclKey, AclState>,
) -> Vec<super::Statement> {
    let mut groups = Groups::default();
    let keys: BTreeSet<&AclKey> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let (o, n) = (old.get(key), new.get(key));
        if o == n {
            continue;
        }
        let target = PrivilegeTarget::Object {
            object: key.object.clone(),
            column: key.column.clone(),
        };
        let baseline = key.column.is_none()
            && key.grantee == "public"
            && key.object.public_baseline().contains(&key.privilege);
        let action = match (o, n) {
            (Some(AclState::Granted { grant_option: true }), Some(AclState::Granted { .. })) => {
                Action::RevokeOption
            }
            (_, Some(AclState::Granted { grant_option })) => Action::Grant(*grant_option),
            (_, Some(AclState::Revoked)) => Action::Revoke,
            (Some(AclState::Revoked), None) => Action::Grant(false),
            (Some(AclState::Granted { .. }), None) if baseline => Action::RevokeOption,
            (Some(AclState::Granted { .. }), None) => Action::Revoke,
            (None, None) => continue,
        };
        groups.add(target, &key.grantee, action, key.privilege);
    }
    groups.statements()
}

/// As [`acl_statements`], for default privileges (which have no baseline: per-schema default
/// privileges only add to the global ones).
pub fn default_acl_statements(
    old: &BTreeMap<DefaultAclKey, bool>,
    new: &BTreeMap<DefaultAclKey, bool>,
) -> Vec<super::Statement> {
    let mut groups = Groups::default();
    let keys: BTreeSet<&DefaultAclKey> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let (o, n) = (old.get(key), new.get(key));
        let action = match (o, n) {
            _ if o == n => continue,
            (Some(true), Some(false)) => Action::RevokeOption,
            (_, Some(option)) => Action::Grant(*option),
            (Some(_), None) => Action::Revoke,
            (None, None) => continue,
        };
        let (for_role, schema, on, grantee, privilege) = key;
        let target = PrivilegeTarget::Default {
            for_role: for_role.clone(),
            schema: schema.clone(),
            on: *on,
        };
        groups.add(target, grantee, action, *privilege);
    }
    groups.statements()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Action {
    /// `GRANT`, with the grant option or not.
    Grant(bool),
    /// `REVOKE GRANT OPTION FOR`.
    RevokeOption,
    /// `REVOKE`.
    Revoke,
}

/// Privileges collected per statement, keyed so the statements come out in a stable order.
#[derive(Default)]
struct Groups {
    order: Vec<(PrivilegeTarget, String, Action)>,
    privileges: Vec<Vec<Privilege>>,
}

impl Groups {
    fn add(&mut self, target: PrivilegeTarget, grantee: &str, action: Action, p: Privilege) {
        let key = (target, grantee.to_string(), action);
        match self.order.iter().position(|k| k == &key) {
            Some(i) => self.privileges[i].push(p),
            None => {
                self.order.push(key);
                self.privileges.push(vec![p]);
            }
        }
    }

    fn statements(self) -> Vec<super::Statement> {
        self.order
            .into_iter()
            .zip(self.privileges)
            .map(|((target, grantee, action), mut privileges)| {
                privileges.sort();
                privileges.dedup();
                let change = |grant_option| PrivilegeChange {
                    target,
                    privileges,
                    grantee,
                    grant_option,
                };
                match action {
                    Action::Grant(option) => super::Statement::Grant(Box::new(change(option))),
                    Action::RevokeOption => super::Statement::Revoke(Box::new(change(true))),
                    Action::Revoke => super::Statement::Revoke(Box::new(change(false))),
                }
            })
            .collect()
    }
}
