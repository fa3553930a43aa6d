//! Rules `grant-object-missing`, `grant-privilege-invalid`, `grant-column-missing` and
//! `revoke-not-default`: a grant is on a declared object (pgdecl manages the privileges of the
//! objects it declares), with privileges that kind of object has (PostgreSQL rejects the
//! others at run time), on columns the table has; a revoke only takes away what PostgreSQL
//! grants by default, since every other privilege a managed schema does not declare is
//! revoked already.

use crate::check::context::Context;
use crate::check::message::{did_you_mean, qualified};
use crate::check::{Diagnostic, GrantPart, Location, Rule, RuleCheck};
use crate::model::{GrantObject, Privilege, Schema};
use crate::render::SqlType;

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    for (i, g) in s.grants.iter().enumerate() {
        let at = |part| Location::Grant { grant: i, part };
        if let Some((message, help)) = missing(cx, &g.object) {
            out.push(
                Diagnostic::new(Rule::GrantObjectMissing, at(GrantPart::Object), message)
                    .help(help),
            );
            continue;
        }
        let column = !g.columns.is_empty();
        let valid = g.object.valid_privileges(column);
        for (p, privilege) in g.privileges.iter().enumerate() {
            if !valid.contains(privilege) {
                out.push(invalid_privilege(
                    *privilege,
                    &format!(
                        "{}{}",
                        if column { "a column of " } else { "" },
                        kind_words(&g.object)
                    ),
                    valid,
                    at(GrantPart::Privilege(p)),
                ));
            }
        }
        if column {
            let table = match &g.object {
                GrantObject::Table(name) => cx.table(name),
                _ => None,
            };
            match (&g.object, table) {
                (GrantObject::Table(_), Some(table)) => {
                    for (c, col) in g.columns.iter().enumerate() {
                        if table.column(col).is_none() {
                            out.push(
                                Diagnostic::new(
                                    Rule::GrantColumnMissing,
                                    at(GrantPart::Column(c)),
                                    format!(
                                        "table `{}` has no column `{col}`",
                                        qualified(&table.name)
                                    ),
                                )
                                .help(
                                    did_you_mean(
                                        col,
                                        table.columns.iter().map(|c| c.name.as_str()),
                                    )
                                    .unwrap_or_else(|| {
                                        "name one of the table's columns".to_string()
                                    }),
                                ),
                            );
                        }
                    }
                }
                (GrantObject::Table(_), None) => {} // a view: the server knows its columns
                _ => out.push(
                    Diagnostic::new(
                        Rule::GrantPrivilegeInvalid,
                        at(GrantPart::Column(0)),
                        format!("{} have no column privileges", kind_words(&g.object)),
                    )
                    .help("grant on the whole object: remove the column list"),
                ),
            }
        }
        if g.revoke {
            let baseline = g.object.public_baseline();
            let all_public = g.roles.iter().all(|r| r.eq_ignore_ascii_case("public"));
            for (p, privilege) in g.privileges.iter().enumerate() {
                if !all_public || column || !baseline.contains(privilege) {
                    out.push(
                        Diagnostic::new(
                            Rule::RevokeNotDefault,
                            at(GrantPart::Privilege(p)),
                            format!(
                                "PostgreSQL does not grant {} on {} to {} by default: there is nothing to revoke",
                                privilege.sql().to_lowercase(),
                                kind_words(&g.object),
                                if all_public { "public" } else { "a role" },
                            ),
                        )
                        .help(
                            "remove the revoke: in a schema with grants, a privilege not granted is revoked; only public's execute on functions, usage on types and usage on schema public can be revoked",
                        ),
                    );
                    break;
                }
            }
        }
    }
    for (i, d) in s.default_privileges.iter().enumerate() {
        let at = |part| Location::DefaultPrivileges { default: i, part };
        if let Some((message, help)) = missing(cx, &GrantObject::Schema(d.schema.clone())) {
            out.push(
                Diagnostic::new(Rule::GrantObjectMissing, at(GrantPart::Object), message)
                    .help(help),
            );
        }
        let valid = d.on.valid_privileges();
        for (p, privilege) in d.privileges.iter().enumerate() {
            if !valid.contains(privilege) {
                out.push(invalid_privilege(
                    *privilege,
                    &d.on.sql().to_lowercase(),
                    valid,
                    at(GrantPart::Privilege(p)),
                ));
            }
        }
    }
}

/// `tables`, `functions`, ...: the kind of object, for messages.
fn kind_words(object: &GrantObject) -> &'static str {
    match object {
        GrantObject::Schema(_) => "schemas",
        GrantObject::Table(_) => "tables and views",
        GrantObject::Sequence(_) => "sequences",
        GrantObject::Function { .. } => "functions",
        GrantObject::Type(_) => "types",
    }
}

fn invalid_privilege(
    privilege: Privilege,
    kind: &str,
    valid: &[Privilege],
    at: Location,
) -> Diagnostic {
    let list: Vec<String> = valid.iter().map(|p| p.sql().to_lowercase()).collect();
    Diagnostic::new(
        Rule::GrantPrivilegeInvalid,
        at,
        format!(
            "{kind} have no `{}` privilege",
            privilege.sql().to_lowercase()
        ),
    )
    .help(format!("grant one of: {}, or all", list.join(", ")))
}

/// The declared names a missing object's "did you mean" picks from, listed only once the
/// object is found missing: a list made for every grant cost the whole schema per grant.
type Candidates<'s> = Box<dyn FnOnce() -> Vec<&'s str> + 's>;

/// When `object` is not declared: the message and the help.
fn missing<'s>(cx: &Context<'s>, object: &GrantObject) -> Option<(String, String)> {
    let s: &'s Schema = cx.schema;
    let (what, name, found, candidates): (&str, String, bool, Candidates<'s>) = match object {
        GrantObject::Schema(name) => (
            "schema",
            name.clone(),
            name == crate::model::DEFAULT_SCHEMA || cx.namespaces.contains(name.as_str()),
            Box::new(|| s.schemas.iter().map(|n| n.name.as_str()).collect()),
        ),
        GrantObject::Table(name) => (
            "table or view",
            qualified(name),
            cx.table(name).is_some() || cx.views.contains_key(name),
            Box::new(|| {
                s.tables
                    .iter()
                    .map(|t| t.name.name.as_str())
                    .chain(s.views.iter().map(|v| v.name.name.as_str()))
                    .collect()
            }),
        ),
        GrantObject::Sequence(name) => (
            "sequence",
            qualified(name),
            cx.sequences.contains(name),
            Box::new(|| s.sequences.iter().map(|q| q.name.name.as_str()).collect()),
        ),
        GrantObject::Function { name, args } => {
            let same = |types: Vec<String>| &types == args;
            let found = cx.functions_named(name).any(|f| {
                same(
                    f.args
                        .iter()
                        .filter(|a| f.is_procedure || a.mode != crate::model::ArgMode::Out)
                        .map(|a| SqlType(&a.data_type).to_string())
                        .collect(),
                )
            }) || s.aggregates.iter().any(|a| {
                &a.name == name && same(a.args.iter().map(|t| SqlType(t).to_string()).collect())
            });
            (
                "function",
                format!("{}({})", qualified(name), args.join(", ")),
                found,
                Box::new(|| {
                    s.functions
                        .iter()
                        .map(|f| f.name.name.as_str())
                        .chain(s.aggregates.iter().map(|a| a.name.name.as_str()))
                        .collect()
                }),
            )
        }
        GrantObject::Type(name) => (
            "type",
            qualified(name),
            s.user_type(name).is_some(),
            Box::new(|| {
                s.enums
                    .iter()
                    .map(|e| e.name.name.as_str())
                    .chain(s.domains.iter().map(|d| d.name.name.as_str()))
                    .chain(s.composites.iter().map(|c| c.name.name.as_str()))
                    .chain(s.ranges.iter().map(|r| r.name.name.as_str()))
                    .collect()
            }),
        ),
    };
    if found {
        return None;
    }
    let short = name.rsplit('.').next().unwrap_or(&name).to_string();
    let short = short.split('(').next().unwrap_or(&short).to_string();
    // A function of that name with other argument types: name its signatures.
    if let GrantObject::Function { name: fname, .. } = object {
        let signatures: Vec<String> = s
            .functions
            .iter()
            .filter(|f| &f.name == fname)
            .map(|f| {
                let args: Vec<String> = f
                    .args
                    .iter()
                    .filter(|a| f.is_procedure || a.mode != crate::model::ArgMode::Out)
                    .map(|a| SqlType(&a.data_type).to_string())
                    .collect();
                format!("`{}({})`", qualified(fname), args.join(", "))
            })
            .collect();
        if !signatures.is_empty() {
            return Some((
                format!("{what} `{name}` is not declared"),
                format!(
                    "name it with the input argument types it is declared with: {}",
                    signatures.join(", ")
                ),
            ));
        }
    }
    let help = did_you_mean(&short, candidates()).unwrap_or_else(|| {
        format!("declare the {what} `{name}` (pgdecl manages the privileges of the objects it declares), or remove the grant")
    });
    Some((
        format!("{what} `{name}` is not declared"),
        if let GrantObject::Function { .. } = object {
            format!("{help}; a function is named with its input argument types")
        } else {
            help
        },
    ))
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[
        Rule::GrantObjectMissing,
        Rule::GrantPrivilegeInvalid,
        Rule::GrantColumnMissing,
        Rule::RevokeNotDefault,
    ],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;

    use crate::check::test_support::*;
    use crate::model::*;

    #[test]
    fn grants_need_declared_objects_valid_privileges_and_columns() {
        let s = with_tables(vec![table("docs", vec![col("owner", "text")], vec![])]);
        let docs = || GrantObject::Table("docs".into());
        let s = Schema {
            grants: vec![
                Grant::new(GrantObject::Table("doc".into()), [Privilege::Select], ["r"]),
                Grant::new(docs(), [Privilege::Execute], ["r"]),
                Grant::new(docs(), [Privilege::Select], ["r"]).columns(["ownr"]),
                Grant::revoke(docs(), [Privilege::Select], ["public"]),
                Grant::revoke(
                    GrantObject::Schema("public".into()),
                    [Privilege::Usage],
                    ["public"],
                ),
                Grant::all(GrantObject::Schema("public".into()), ["public"]),
            ],
            default_privileges: vec![DefaultPrivileges::new(
                "app",
                DefaultObjects::Types,
                [Privilege::Usage],
                ["r"],
            )],
            ..s
        };
        assert_eq!(
            rule_codes(&CHECK, &s),
            [
                "grant-object-missing",
                "grant-privilege-invalid",
                "grant-column-missing",
                "revoke-not-default",
                "grant-object-missing",
            ]
        );
        let m = messages(&CHECK, &s);
        assert!(m[2].contains("no column `ownr`"), "{m:?}");
        assert!(m[4].contains("schema `app`"), "{m:?}");
    }
}
