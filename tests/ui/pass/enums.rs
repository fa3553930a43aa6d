pgdecl::schema! {
    enum user_role { admin, member, guest }
    schema audit;
    /// How bad it is.
    enum audit.level { "low", "high", "Very High" }

    table users {
        role user_role not null default "'member'",
        level audit.level,
        roles user_role[],
    }
}

fn main() {
    assert_eq!(SCHEMA.enums[0].values, ["admin", "member", "guest"]);
    assert_eq!(SCHEMA.enums[1].name, pgdecl::QualifiedName::new("audit", "level"));
    assert_eq!(SCHEMA.enums[1].values, ["low", "high", "Very High"]);
    assert_eq!(SCHEMA.enums[1].comment.as_deref(), Some("How bad it is."));
    let cols = &SCHEMA.tables[0].columns;
    assert_eq!(cols[0].data_type, pgdecl::DataType::named("public", "user_role"));
    assert_eq!(cols[1].data_type, pgdecl::DataType::named("audit", "level"));
    assert_eq!(cols[2].data_type, pgdecl::DataType::named("public", "user_role").array_of());
    assert!(pgdecl::check(&SCHEMA).is_empty());
}
