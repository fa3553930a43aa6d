pgdecl::schema! {
    /// Hashing and random UUIDs.
    extension pgcrypto;
    extension "uuid-ossp" schema public;
    extension citext;

    table users { email citext not null }
}

fn main() {
    let e = &SCHEMA.extensions;
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].name, "pgcrypto");
    assert_eq!(e[0].comment.as_deref(), Some("Hashing and random UUIDs."));
    assert_eq!(e[1].name, "uuid-ossp");
    assert_eq!(e[1].schema.as_deref(), Some("public"));
    assert_eq!(SCHEMA.tables[0].columns[0].data_type, pgdecl::DataType::named("public", "citext"));
    assert!(pgdecl::check(&SCHEMA).is_empty());
}
