//! Privileges (`nspacl`, `relacl`, `attacl`, `proacl`, `typacl`) and per-schema default
//! privileges (`pg_default_acl`), in one round trip, read into
//! [`Schema::grants`](schema_core::model::Schema::grants) and
//! [`Schema::default_privileges`](schema_core::model::Schema::default_privileges).
//!
//! Each object's ACL is compared, privilege by privilege, with its baseline: its
//! `pg_init_privs` row if it has one (PostgreSQL 15's grants on schema `public`), else
//! `acldefault(kind, owner)`. The owner's own privileges are never grants (nor the
//! baseline's self-granted owner entries, which stay with the initial owner's name). What differs
//! becomes a grant (`revoke` for a baseline privilege taken away), so a database whose ACLs
//! are all at their baseline reads as having no grants at all. Privileges on foreign tables
//! and database-wide default privileges are reported as not modelled.

use std::collections::BTreeMap;

use postgres::GenericClient;
use schema_core::model::*;
use schema_core::render::SqlType;

use super::{not_ext, qualified, Catalog, Filter, Found, NAMESPACE_FILTER};
use crate::error::Error;

/// The query [`read`] runs: posted ahead to the read's second connection (see
/// [`super::jobs`]).
pub(super) fn sql() -> String {
    let init = |catalog: &str, oid: &str| {
        format!(
            "(SELECT ip.initprivs FROM pg_catalog.pg_init_privs ip
               WHERE ip.classoid = 'pg_catalog.{catalog}'::pg_catalog.regclass
                 AND ip.objoid = {oid} AND ip.objsubid = 0)"
        )
    };
    format!(
        "WITH o(k, s, o, x, acl, base, owner) AS (
           SELECT 'schema', n.nspname::text, n.nspname::text, NULL::text, n.nspacl,
                  COALESCE({nsp_init}, pg_catalog.acldefault('n', n.nspowner)), n.nspowner
             FROM pg_catalog.pg_namespace n
            WHERE {NAMESPACE_FILTER} AND n.nspacl IS NOT NULL AND {nsp_not_ext}
           UNION ALL
           SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table'
                    ELSE 'table' END, n.nspname::text, c.relname::text, NULL, c.relacl,
                  COALESCE({rel_init}, pg_catalog.acldefault(
                    CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner)),
                  c.relowner
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE {NAMESPACE_FILTER} AND c.relacl IS NOT NULL AND {rel_not_ext}
                  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND NOT c.relispartition
           UNION ALL
           SELECT CASE c.relkind WHEN 'f' THEN 'foreign table column' ELSE 'column' END,
                  n.nspname::text, c.relname::text, a.attname::text, a.attacl,
                  NULL::pg_catalog.aclitem[], c.relowner
             FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE {NAMESPACE_FILTER} AND a.attacl IS NOT NULL AND a.attnum > 0
                  AND NOT a.attisdropped AND NOT c.relispartition AND {rel_not_ext}
           UNION ALL
           SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
                  n.nspname::text, p.proname::text,
                  pg_catalog.pg_get_function_arguments(p.oid), p.proacl,
                  COALESCE({pro_init}, pg_catalog.acldefault('f', p.proowner)), p.proowner
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            WHERE {NAMESPACE_FILTER} AND p.proacl IS NOT NULL AND {pro_not_ext}
           UNION ALL
           SELECT 'type', n.nspname::text, t.typname::text, NULL, t.typacl,
                  COALESCE({typ_init}, pg_catalog.acldefault('T', t.typowner)), t.typowner
             FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
            WHERE {NAMESPACE_FILTER} AND t.typacl IS NOT NULL AND {typ_not_ext}
                  AND t.typtype IN ('e', 'd', 'c', 'r') AND COALESCE(c.relkind, 'c') = 'c'
           UNION ALL
           SELECT 'default ' || d.defaclobjtype::text, n.nspname::text, NULL,
                  CASE WHEN d.defaclrole = (SELECT r.oid FROM pg_catalog.pg_roles r
                                            WHERE r.rolname = current_user)
                       THEN NULL ELSE pg_catalog.pg_get_userbyid(d.defaclrole)::text END,
                  d.defaclacl, NULL::pg_catalog.aclitem[], NULL::oid
             FROM pg_catalog.pg_default_acl d
             JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
            WHERE {NAMESPACE_FILTER}
         )
         SELECT o.k, o.s, o.o, o.x, e.side,
                CASE WHEN e.grantee = 0 THEN 'public'
                     ELSE pg_catalog.pg_get_userbyid(e.grantee)::text END,
                e.privilege_type, e.is_grantable
           FROM o CROSS JOIN LATERAL (
                  SELECT 'acl' AS side, a.* FROM pg_catalog.aclexplode(o.acl) a
                  UNION ALL
                  SELECT 'base', b.* FROM pg_catalog.aclexplode(o.base) b) e
          -- The owner's own privileges are not grants; nor are the baseline's entries its
          -- owner granted itself (`public` after `ALTER SCHEMA public OWNER TO x` still has
          -- `pg_database_owner=UC/pg_database_owner` as initial privileges).
          WHERE e.grantee IS DISTINCT FROM o.owner AND NOT (e.side = 'base' AND e.grantee = e.grantor)
         UNION ALL
         -- Database-wide default privileges replace the built-in ones for a role: not modelled.
         SELECT 'global default', NULL, NULL, pg_catalog.pg_get_userbyid(d.defaclrole)::text,
                'acl', NULL, d.defaclobjtype::text, NULL
           FROM pg_catalog.pg_default_acl d
          WHERE d.defaclnamespace = 0 AND $2::text[] IS NULL
         ORDER BY 1, 2, 3, 4, 5, 6, 7",
        nsp_init = init("pg_namespace", "n.oid"),
        rel_init = init("pg_class", "c.oid"),
        pro_init = init("pg_proc", "p.oid"),
        typ_init = init("pg_type", "t.oid"),
        nsp_not_ext = not_ext("pg_namespace", "n.oid"),
        rel_not_ext = not_ext("pg_class", "c.oid"),
        pro_not_ext = not_ext("pg_proc", "p.oid"),
        typ_not_ext = not_ext("pg_type", "t.oid"),
    )
}

/// Reads every ACL that may differ from its baseline, and the per-schema default privileges.
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = sql();
    // Per object: (grantee, privilege) -> grant option, as it is and as its baseline.
    type Acl = BTreeMap<(String, Privilege), bool>;
    let mut objects: BTreeMap<Target, (Acl, Acl)> = BTreeMap::new();
    for row in cat.query(&sql, filter)? {
        let kind: String = row.get(0);
        let schema: Option<String> = row.get(1);
        let name: Option<String> = row.get(2);
        let extra: Option<String> = row.get(3);
        let side: String = row.get(4);
        let privilege_text: String = row.get(6);
        let schema = schema.unwrap_or_default();
        let qname = || QualifiedName::new(schema.clone(), name.clone().unwrap_or_default());
        let target = match kind.as_str() {
            "schema" => Target::Object(GrantObject::Schema(schema.clone()), None),
            "table" => Target::Object(GrantObject::Table(qname()), None),
            "column" => Target::Object(GrantObject::Table(qname()), extra.clone()),
            "sequence" => Target::Object(GrantObject::Sequence(qname()), None),
            "type" => Target::Object(GrantObject::Type(qname()), None),
            "function" | "procedure" => {
                let text = extra.clone().unwrap_or_default();
                let procedure = kind == "procedure";
                let args = if text.trim() == "*" {
                    Some(Vec::new())
                } else {
                    crate::parse::function_args(&text).map(|args| {
                        args.into_iter()
                            .filter(|a| procedure || a.mode != ArgMode::Out)
                            .map(|a| SqlType(&a.data_type).to_string())
                            .collect()
                    })
                };
                let Some(args) = args else {
                    found.unmodeled(
                        "privileges on function",
                        format!("{}({text})", qualified(&qname())),
                    );
                    continue;
                };
                Target::Object(
                    GrantObject::Function {
                        name: qname(),
                        args,
                    },
                    None,
                )
            }
            "foreign table" | "foreign table column" => {
                let mut what = qualified(&qname());
                if let Some(c) = &extra {
                    what = format!("{what}.{}", schema_core::ident::quote_ident(c));
                }
                let report = (format!("privileges on {kind}"), what);
                if !found
                    .unmodeled
                    .iter()
                    .any(|u| (&u.kind, &u.name) == (&report.0, &report.1))
                {
                    found.unmodeled(report.0, report.1);
                }
                continue;
            }
            "global default" => {
                found.unmodeled(
                    "default privileges (database-wide)",
                    format!(
                        "for role {} on {}",
                        extra.unwrap_or_default(),
                        default_objects(&privilege_text)
                            .map_or("schemas", DefaultObjects::sql)
                            .to_lowercase()
                    ),
                );
                continue;
            }
            k => match k.strip_prefix("default ").and_then(default_objects) {
                Some(on) => Target::Default(extra.clone(), schema.clone(), on),
                None => continue,
            },
        };
        // Privileges the model does not have (PostgreSQL 17's MAINTAIN) are left alone.
        let Some(privilege) = Privilege::from_sql(&privilege_text) else {
            continue;
        };
        let grantee: String = row.get(5);
        let grantable: bool = row.get(7);
        let entry = objects.entry(target).or_default();
        let acl = if side == "acl" {
            &mut entry.0
        } else {
            &mut entry.1
        };
        let option = acl.entry((grantee, privilege)).or_insert(false);
        *option |= grantable;
    }
    for (target, (acl, base)) in objects {
        // (grantee, revoke, grant option) -> privileges, in a stable order.
        let mut groups: BTreeMap<(String, bool, bool), Vec<Privilege>> = BTreeMap::new();
        for ((grantee, p), option) in &acl {
            match base.get(&(grantee.clone(), *p)) {
                Some(&base_option) if base_option || !option => {}
                _ => groups
                    .entry((grantee.clone(), false, *option))
                    .or_default()
                    .push(*p),
            }
        }
        for (grantee, p) in base.keys() {
            if !acl.contains_key(&(grantee.clone(), *p)) {
                groups
                    .entry((grantee.clone(), true, false))
                    .or_default()
                    .push(*p);
            }
        }
        for ((grantee, revoke, option), mut privileges) in groups {
            privileges.sort();
            match &target {
                Target::Object(object, column) => found.schema.grants.push(Grant {
                    object: object.clone(),
                    privileges,
                    columns: column.iter().cloned().collect(),
                    roles: vec![grantee],
                    with_grant_option: option,
                    revoke,
                }),
                Target::Default(for_role, schema, on) => {
                    if revoke {
                        continue; // a per-schema default ACL has no baseline
                    }
                    found.schema.default_privileges.push(DefaultPrivileges {
                        for_role: for_role.clone(),
                        schema: schema.clone(),
                        on: *on,
                        privileges,
                        roles: vec![grantee],
                        with_grant_option: option,
                    })
                }
            }
        }
    }
    Ok(())
}

/// What an ACL row is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    /// An object, or a column of a table.
    Object(GrantObject, Option<String>),
    /// Default privileges: (for role, `None` for the current one; schema; objects).
    Default(Option<String>, String, DefaultObjects),
}

/// `pg_default_acl.defaclobjtype`.
fn default_objects(code: &str) -> Option<DefaultObjects> {
    match code {
        "r" => Some(DefaultObjects::Tables),
        "S" => Some(DefaultObjects::Sequences),
        "f" => Some(DefaultObjects::Functions),
        "T" => Some(DefaultObjects::Types),
        _ => None,
    }
}

/// Grants on objects the model left out (a serial column's own sequence, a window function,
/// an aggregate with options pgdecl does not model, ...) cannot be declared: they move to the
/// unmodelled report. Runs once every reader is done.
pub(super) fn report_grants_on_unmodelled(found: &mut Found) {
    let grants = std::mem::take(&mut found.schema.grants);
    let schema = &found.schema;
    let inputs = |f: &Function| -> Vec<String> {
        f.args
            .iter()
            .filter(|a| f.is_procedure || a.mode != ArgMode::Out)
            .map(|a| SqlType(&a.data_type).to_string())
            .collect()
    };
    let modelled = |object: &GrantObject| match object {
        GrantObject::Schema(s) => {
            s == DEFAULT_SCHEMA || schema.schemas.iter().any(|n| &n.name == s)
        }
        GrantObject::Table(n) => {
            schema.table(n).is_some() || schema.views.iter().any(|v| &v.name == n)
        }
        GrantObject::Sequence(n) => schema.sequences.iter().any(|q| &q.name == n),
        GrantObject::Function { name, args } => {
            schema
                .functions
                .iter()
                .any(|f| &f.name == name && &inputs(f) == args)
                || schema.aggregates.iter().any(|a| {
                    &a.name == name
                        && &a
                            .args
                            .iter()
                            .map(|t| SqlType(t).to_string())
                            .collect::<Vec<_>>()
                            == args
                })
        }
        GrantObject::Type(n) => schema.user_type(n).is_some(),
    };
    let (keep, left_out): (Vec<Grant>, Vec<Grant>) =
        grants.into_iter().partition(|g| modelled(&g.object));
    found.schema.grants = keep;
    for g in left_out {
        let on = schema_core::render::grant_on(&g.object);
        let (kind, name) = on
            .trim_start_matches("ON ")
            .split_once(' ')
            .map(|(k, n)| {
                (
                    k.to_lowercase().replace("routine", "function"),
                    n.to_string(),
                )
            })
            .unwrap_or_default();
        let report = (format!("privileges on {kind}"), name);
        if !found
            .unmodeled
            .iter()
            .any(|u| (&u.kind, &u.name) == (&report.0, &report.1))
        {
            found.unmodeled(report.0, report.1);
        }
    }
}
