pgdecl::schema! {
    /// The audit trail.
    schema audit;

    table audit.events { id bigint primary key, payload jsonb }
    table audit.logins { id bigint }
    table events { id bigint }
}

fn main() {
    assert_eq!(SCHEMA.schemas[0].name, "audit");
    assert_eq!(SCHEMA.schemas[0].comment.as_deref(), Some("The audit trail."));
    assert_eq!(SCHEMA.tables[0].name, pgdecl::QualifiedName::new("audit", "events"));
    assert_eq!(SCHEMA.tables[0].constraints[0].name, "events_pkey");
    assert_eq!(audit::events::TABLE, "audit.events");
    assert_eq!(audit::events::payload, "payload");
    assert_eq!(audit::logins::TABLE, "audit.logins");
    assert_eq!(events::TABLE, "events");
}
