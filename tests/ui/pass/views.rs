pgdecl::schema! {
    schema reporting;
    table users { id bigint primary key, email text, deleted_at timestamptz }
    /// Users not deleted.
    view active_users as "SELECT id, email FROM users WHERE deleted_at IS NULL";
    view user_emails (user_id, address) as "SELECT id, email FROM users";
    view reporting.counts as r#"WITH x AS (SELECT count(*) AS n FROM users) SELECT n FROM x"#;
}

fn main() {
    let v = &SCHEMA.views;
    assert_eq!(v[0].comment.as_deref(), Some("Users not deleted."));
    assert!(v[0].columns.is_empty());
    assert_eq!(v[1].columns, ["user_id", "address"]);
    assert_eq!(v[2].name, pgdecl::QualifiedName::new("reporting", "counts"));
    assert!(v[2].query.starts_with("WITH"));
    assert!(pgdecl::check(&SCHEMA).is_empty());
}
