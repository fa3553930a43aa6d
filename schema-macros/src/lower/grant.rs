//! Privileges: `grant` / `revoke` items to [`Grant`]s (one per distinct column list, since a
//! statement may limit each privilege to other columns) and `default privileges` items to
//! [`DefaultPrivileges`], with their spans.

use schema_core::model::{DefaultPrivileges, Grant, GrantObject, Privilege};
use schema_core::render::SqlType;

use crate::ast::{DefaultPrivilegesDecl, GrantDecl, GrantTarget, PrivilegeDecl};
use crate::ctxt::{Ctxt, Sp};
use crate::spans::GrantSpans;

use super::qualified;
use super::types::lower_type;

pub(super) fn grants(
    cx: &Ctxt,
    g: &GrantDecl,
    comment: Option<String>,
) -> Vec<(Grant, GrantSpans)> {
    if comment.is_some() {
        cx.error(
            g.target_span,
            "a grant takes no doc comment",
            "remove the doc comment (PostgreSQL has nowhere to keep it), or put it on the object",
        );
    }
    let object = match &g.target {
        GrantTarget::Schema(n) => GrantObject::Schema(n.value.clone()),
        GrantTarget::Table(q) => GrantObject::Table(qualified(q)),
        GrantTarget::Sequence(q) => GrantObject::Sequence(qualified(q)),
        GrantTarget::Function(q, args) => GrantObject::Function {
            name: qualified(q),
            args: args
                .iter()
                .map(|t| SqlType(&lower_type(cx, t)).to_string())
                .collect(),
        },
        GrantTarget::Type(q) => GrantObject::Type(qualified(q)),
    };
    // Privileges grouped by their column list, in the order first written.
    let mut groups: Vec<(Vec<String>, Vec<&PrivilegeDecl>)> = Vec::new();
    for p in &g.privileges {
        let columns: Vec<String> = p.columns.iter().map(|c| c.value.clone()).collect();
        match groups.iter_mut().find(|(c, _)| c == &columns) {
            Some((_, list)) => list.push(p),
            None => groups.push((columns, vec![p])),
        }
    }
    groups
        .into_iter()
        .map(|(columns, decls)| {
            let column = !columns.is_empty();
            let mut privileges = Vec::new();
            let mut privilege_spans = Vec::new();
            for d in &decls {
                let list: Vec<Privilege> = match d.privilege {
                    Some(p) => vec![p],
                    None => object.valid_privileges(column).to_vec(),
                };
                for p in list {
                    privileges.push(p);
                    privilege_spans.push(d.span);
                }
            }
            let column_spans: Vec<Sp> = decls[0].columns.iter().map(|c| c.span).collect();
            let grant = Grant {
                object: object.clone(),
                privileges,
                columns,
                roles: g.roles.iter().map(|r| r.value.clone()).collect(),
                with_grant_option: g.with_grant_option,
                revoke: g.revoke,
            };
            let spans = GrantSpans {
                object: g.target_span,
                privileges: privilege_spans,
                columns: column_spans,
                roles: g.roles.iter().map(|r| r.span).collect(),
            };
            (grant, spans)
        })
        .collect()
}

pub(super) fn default_privileges(
    cx: &Ctxt,
    d: &DefaultPrivilegesDecl,
    comment: Option<String>,
) -> (DefaultPrivileges, GrantSpans) {
    if comment.is_some() {
        cx.error(
            d.schema.span,
            "default privileges take no doc comment",
            "remove the doc comment (PostgreSQL has nowhere to keep it)",
        );
    }
    for p in d.privileges.iter().filter(|p| !p.columns.is_empty()) {
        cx.error(
            p.columns[0].span,
            "default privileges have no column lists",
            "grant on the whole objects: remove the column list",
        );
    }
    let mut privileges = Vec::new();
    let mut privilege_spans = Vec::new();
    for p in &d.privileges {
        let list: Vec<Privilege> = match p.privilege {
            Some(p) => vec![p],
            None => d.on.valid_privileges().to_vec(),
        };
        for x in list {
            privileges.push(x);
            privilege_spans.push(p.span);
        }
    }
    let model = DefaultPrivileges {
        for_role: d.for_role.as_ref().map(|r| r.value.clone()),
        schema: d.schema.value.clone(),
        on: d.on,
        privileges,
        roles: d.roles.iter().map(|r| r.value.clone()).collect(),
        with_grant_option: d.with_grant_option,
    };
    let spans = GrantSpans {
        object: d.schema.span,
        privileges: privilege_spans,
        columns: Vec::new(),
        roles: d.roles.iter().map(|r| r.span).collect(),
    };
    (model, spans)
}
