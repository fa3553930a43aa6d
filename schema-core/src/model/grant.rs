//! Privileges: `GRANT` / `REVOKE` on schemas, tables (and their columns), views, sequences,
//! functions and types, and `ALTER DEFAULT PRIVILEGES ... IN SCHEMA`.
//!
//! A grant is stored as the declaration wrote it; [`acl_entries`] folds a schema's grants into
//! the structural form the diff compares: one [`AclState`] per (object, column, grantee,
//! privilege), relative to the object's baseline (what PostgreSQL gives it with no grant
//! statement at all). Introspection reads the live ACLs into the same form, so `GRANT ALL`
//! and `GRANT SELECT, INSERT, ...` (or `=arwdDxt` and its reordering) never differ.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Display};

use serde::{Deserialize, Serialize};

use super::{QualifiedName, Schema};

/// A privilege PostgreSQL can grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Privilege {
    /// `SELECT` (tables, views, columns, sequences).
    Select,
    /// `INSERT` (tables, columns).
    Insert,
    /// `UPDATE` (tables, columns, sequences).
    Update,
    /// `DELETE` (tables).
    Delete,
    /// `TRUNCATE` (tables).
    Truncate,
    /// `REFERENCES` (tables, columns).
    References,
    /// `TRIGGER` (tables).
    Trigger,
    /// `USAGE` (schemas, sequences, types).
    Usage,
    /// `CREATE` (schemas).
    Create,
    /// `EXECUTE` (functions, procedures, aggregates).
    Execute,
}

impl Privilege {
    /// Every privilege, in the order PostgreSQL prints them.
    pub const ALL: [Privilege; 10] = [
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Truncate,
        Privilege::References,
        Privilege::Trigger,
        Privilege::Usage,
        Privilege::Create,
        Privilege::Execute,
    ];

    /// The SQL keyword.
    pub fn sql(self) -> &'static str {
        match self {
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Truncate => "TRUNCATE",
            Privilege::References => "REFERENCES",
            Privilege::Trigger => "TRIGGER",
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
            Privilege::Execute => "EXECUTE",
        }
    }

    /// The privilege named `word` (any case), e.g. `select`.
    pub fn from_sql(word: &str) -> Option<Privilege> {
        Privilege::ALL
            .into_iter()
            .find(|p| p.sql().eq_ignore_ascii_case(word))
    }
}

impl Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.sql())
    }
}

/// What a grant is on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GrantObject {
    /// `ON SCHEMA name`.
    Schema(String),
    /// `ON TABLE name`: a table, partitioned table, view or materialized view.
    Table(QualifiedName),
    /// `ON SEQUENCE name`.
    Sequence(QualifiedName),
    /// `ON FUNCTION name(arg types)`: a function, procedure or aggregate, by its input
    /// argument types as PostgreSQL prints them (`integer`, not `int4`).
    Function {
        /// The function's name.
        name: QualifiedName,
        /// Its input argument types.
        args: Vec<String>,
    },
    /// `ON TYPE name`: an enum, domain, composite or range type.
    Type(QualifiedName),
}

impl GrantObject {
    /// The schema the object lives in (a schema, its own name): grants are managed per schema.
    pub fn schema(&self) -> &str {
        match self {
            GrantObject::Schema(s) => s,
            GrantObject::Table(n) | GrantObject::Sequence(n) | GrantObject::Type(n) => &n.schema,
            GrantObject::Function { name, .. } => &name.schema,
        }
    }

    /// The privileges PostgreSQL accepts on this kind of object (`GRANT ALL` grants these),
    /// on a column of it when `column` is true.
    pub fn valid_privileges(&self, column: bool) -> &'static [Privilege] {
        use Privilege::*;
        match self {
            GrantObject::Schema(_) => &[Usage, Create],
            GrantObject::Table(_) if column => &[Select, Insert, Update, References],
            GrantObject::Table(_) => &[
                Select, Insert, Update, Delete, Truncate, References, Trigger,
            ],
            GrantObject::Sequence(_) => &[Usage, Select, Update],
            GrantObject::Function { .. } => &[Execute],
            GrantObject::Type(_) => &[Usage],
        }
    }

    /// What PostgreSQL grants `PUBLIC` on this object with no grant statement: `EXECUTE` on
    /// functions, `USAGE` on types, and `USAGE` on schema `public` (PostgreSQL 15's initial
    /// privileges). These are the only privileges a declaration can `revoke`.
    pub fn public_baseline(&self) -> &'static [Privilege] {
        match self {
            GrantObject::Function { .. } => &[Privilege::Execute],
            GrantObject::Type(_) => &[Privilege::Usage],
            GrantObject::Schema(s) if s == super::DEFAULT_SCHEMA => &[Privilege::Usage],
            _ => &[],
        }
    }

    /// The SQL keyword of the kind, e.g. `TABLE`.
    pub fn kind_sql(&self) -> &'static str {
        match self {
            GrantObject::Schema(_) => "SCHEMA",
            GrantObject::Table(_) => "TABLE",
            GrantObject::Sequence(_) => "SEQUENCE",
            GrantObject::Function { .. } => "FUNCTION",
            GrantObject::Type(_) => "TYPE",
        }
    }
}

/// `GRANT privileges [(columns)] ON object TO roles [WITH GRANT OPTION]`, or (with `revoke`)
/// `REVOKE privileges ON object FROM roles` of a privilege PostgreSQL grants by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// What it is on.
    pub object: GrantObject,
    /// The privileges (`ALL` is stored as the kind's whole list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privileges: Vec<Privilege>,
    /// Column privileges: the columns of the table (empty: the whole object).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// The grantees, as PostgreSQL names them; `public` is `PUBLIC`. Roles must exist:
    /// pgdecl never creates roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// `WITH GRANT OPTION`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub with_grant_option: bool,
    /// A `REVOKE` (of a baseline privilege: see [`GrantObject::public_baseline`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revoke: bool,
}

/// The kind of objects `ALTER DEFAULT PRIVILEGES ... ON` applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DefaultObjects {
    /// `ON TABLES` (and views).
    Tables,
    /// `ON SEQUENCES`.
    Sequences,
    /// `ON FUNCTIONS` (and procedures).
    Functions,
    /// `ON TYPES`.
    Types,
}

impl DefaultObjects {
    /// The SQL keyword, e.g. `TABLES`.
    pub fn sql(self) -> &'static str {
        match self {
            DefaultObjects::Tables => "TABLES",
            DefaultObjects::Sequences => "SEQUENCES",
            DefaultObjects::Functions => "FUNCTIONS",
            DefaultObjects::Types => "TYPES",
        }
    }

    /// The privileges valid on these objects.
    pub fn valid_privileges(self) -> &'static [Privilege] {
        use Privilege::*;
        match self {
            DefaultObjects::Tables => &[
                Select, Insert, Update, Delete, Truncate, References, Trigger,
            ],
            DefaultObjects::Sequences => &[Usage, Select, Update],
            DefaultObjects::Functions => &[Execute],
            DefaultObjects::Types => &[Usage],
        }
    }
}

/// `ALTER DEFAULT PRIVILEGES [FOR ROLE role] IN SCHEMA schema GRANT privileges ON objects TO
/// roles [WITH GRANT OPTION]`: what objects `role` creates in `schema` later are granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultPrivileges {
    /// `FOR ROLE`: whose new objects; `None` is the role that applies the plan (introspection
    /// reads the current role's default privileges as `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_role: Option<String>,
    /// `IN SCHEMA`.
    pub schema: String,
    /// `ON TABLES | SEQUENCES | FUNCTIONS | TYPES`.
    pub on: DefaultObjects,
    /// The privileges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub privileges: Vec<Privilege>,
    /// The grantees (`public` is `PUBLIC`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// `WITH GRANT OPTION`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub with_grant_option: bool,
}

/// One privilege of one grantee on one object (or column of it): the unit the diff compares.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AclKey {
    /// The object.
    pub object: GrantObject,
    /// The column, for a column privilege.
    pub column: Option<String>,
    /// The grantee (`public` for `PUBLIC`).
    pub grantee: String,
    /// The privilege.
    pub privilege: Privilege,
}

/// How a privilege differs from the object's baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AclState {
    /// Granted (beyond the baseline, or with a grant option the baseline lacks).
    Granted {
        /// `WITH GRANT OPTION`.
        grant_option: bool,
    },
    /// A baseline privilege taken away.
    Revoked,
}

/// The schema's grants folded, in declaration order, into their difference from each
/// object's baseline: a later statement overrides an earlier one for the same privilege; a
/// grant of a baseline privilege without grant option, or a revoke of a privilege not in the
/// baseline, is no difference at all.
pub fn acl_entries(grants: &[Grant]) -> BTreeMap<AclKey, AclState> {
    let mut out = BTreeMap::new();
    for g in grants {
        let columns: Vec<Option<String>> = if g.columns.is_empty() {
            vec![None]
        } else {
            g.columns.iter().cloned().map(Some).collect()
        };
        for role in &g.roles {
            let grantee = role_key(role);
            for column in &columns {
                for &privilege in &g.privileges {
                    let baseline = column.is_none()
                        && grantee == "public"
                        && g.object.public_baseline().contains(&privilege);
                    let key = AclKey {
                        object: g.object.clone(),
                        column: column.clone(),
                        grantee: grantee.clone(),
                        privilege,
                    };
                    let state = if g.revoke {
                        baseline.then_some(AclState::Revoked)
                    } else {
                        let before = matches!(
                            out.get(&key),
                            Some(AclState::Granted { grant_option: true })
                        );
                        let grant_option = g.with_grant_option || before;
                        (!baseline || grant_option).then_some(AclState::Granted { grant_option })
                    };
                    match state {
                        Some(s) => out.insert(key, s),
                        None => out.remove(&key),
                    };
                }
            }
        }
    }
    out
}

/// One default privilege: (for role, schema, objects, grantee, privilege).
pub type DefaultAclKey = (Option<String>, String, DefaultObjects, String, Privilege);

/// The schema's default privileges as a map of each granted privilege to its grant option.
pub fn default_acl_entries(defaults: &[DefaultPrivileges]) -> BTreeMap<DefaultAclKey, bool> {
    let mut out = BTreeMap::new();
    for d in defaults {
        for role in &d.roles {
            for &p in &d.privileges {
                let key = (
                    d.for_role.clone(),
                    d.schema.clone(),
                    d.on,
                    role_key(role),
                    p,
                );
                let option = out.get(&key).copied().unwrap_or(false) || d.with_grant_option;
                out.insert(key, option);
            }
        }
    }
    out
}

/// A grantee as PostgreSQL stores it: `PUBLIC` in any case is `public`.
fn role_key(role: &str) -> String {
    if role.eq_ignore_ascii_case("public") {
        "public".to_string()
    } else {
        role.to_string()
    }
}

impl Schema {
    /// The schemas whose privileges the declaration manages: those it declares a grant on,
    /// on an object in, or default privileges in. Any other schema keeps whatever grants it
    /// has (opt-in per schema).
    pub fn grant_managed_schemas(&self) -> BTreeSet<&str> {
        self.grants
            .iter()
            .map(|g| g.object.schema())
            .chain(self.default_privileges.iter().map(|d| d.schema.as_str()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_fold_into_differences_from_the_baseline() {
        let public = GrantObject::Schema("public".into());
        // pg_dump of pagila: PUBLIC keeps USAGE (its baseline) and gains CREATE.
        let pagila = [
            Grant::revoke(public.clone(), [Privilege::Usage], ["PUBLIC"]),
            Grant::all(public.clone(), ["public"]),
        ];
        let key = |p| AclKey {
            object: public.clone(),
            column: None,
            grantee: "public".into(),
            privilege: p,
        };
        let created = BTreeMap::from([(
            key(Privilege::Create),
            AclState::Granted {
                grant_option: false,
            },
        )]);
        assert_eq!(acl_entries(&pagila), created);
        // The same privileges written another way are the same entries.
        let other = [Grant::new(public.clone(), [Privilege::Create], ["public"])];
        assert_eq!(acl_entries(&other), created);
        // A revoke of a baseline privilege is kept; granting it back is no difference.
        let revoked = [Grant::revoke(
            public.clone(),
            [Privilege::Usage],
            ["public"],
        )];
        assert_eq!(
            acl_entries(&revoked),
            BTreeMap::from([(key(Privilege::Usage), AclState::Revoked)])
        );
        let back = [
            Grant::revoke(public.clone(), [Privilege::Usage], ["public"]),
            Grant::new(public, [Privilege::Usage], ["public"]),
        ];
        assert!(acl_entries(&back).is_empty());
    }
}
