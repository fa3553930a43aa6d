pgdecl::schema! {
    table users { id bigint primary key, email text, deleted_at timestamptz }
    /// Addresses per domain, refreshed nightly.
    materialized view domains (domain, n) as
        "SELECT split_part(email, '@', 2), count(*) FROM users GROUP BY 1"
    {
        /// One row per domain.
        unique index domains_domain on (domain),
        index domains_big on (n desc) where "n > 100",
    }
    materialized view live_ids as "SELECT id FROM users WHERE deleted_at IS NULL" with no data;
    view big_domains as "SELECT domain FROM domains WHERE n > 10";
}

fn main() {
    let v = &SCHEMA.views;
    assert!(v[0].materialized && v[0].with_data);
    assert_eq!(v[0].comment.as_deref(), Some("Addresses per domain, refreshed nightly."));
    assert_eq!(v[0].columns, ["domain", "n"]);
    assert_eq!(v[0].indexes.len(), 2);
    assert!(v[0].indexes[0].unique);
    assert_eq!(v[0].indexes[0].comment.as_deref(), Some("One row per domain."));
    assert_eq!(v[0].indexes[1].predicate.as_deref(), Some("n > 100"));
    assert!(v[1].materialized && !v[1].with_data && v[1].indexes.is_empty());
    assert!(!v[2].materialized);
    assert!(pgdecl::check(&SCHEMA).is_empty(), "{:?}", pgdecl::check(&SCHEMA));
}
