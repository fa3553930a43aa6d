pgdecl::schema! {
    schema app;
    table app.docs { id bigint primary key, owner text not null, secret boolean not null default "false" }
    table members { doc_id bigint, member text }

    row level security on app.docs force;

    /// Owners and members read.
    policy docs_read on app.docs for select to public
        using "owner = current_user OR EXISTS (SELECT 1 FROM members m WHERE m.doc_id = id AND m.member = current_user)";
    policy docs_no_secrets on app.docs as restrictive using "NOT secret";
    policy docs_write on app.docs as permissive for update to current_user, "Some Role"
        using "owner = current_user" with check "owner = current_user";
    policy docs_add on app.docs for insert with check "owner = current_user";
    policy docs_all on app.docs;
}

fn main() {
    let s = &*SCHEMA;
    assert_eq!(s.row_security.len(), 1);
    assert!(s.row_security[0].force);
    assert_eq!(s.policies.len(), 5);
    let p = &s.policies[0];
    assert_eq!(p.name, "docs_read");
    assert_eq!(p.comment.as_deref(), Some("Owners and members read."));
    assert!(!s.policies[1].permissive);
    assert_eq!(s.policies[2].roles, ["current_user", "Some Role"]);
}
