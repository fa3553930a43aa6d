pgdecl::schema! {
    table accounts renamed_from users {
        id bigint primary key,
        email_address text renamed_from email,
    }
}

fn main() {
    let t = &SCHEMA.tables[0];
    assert_eq!(t.renamed_from.as_deref(), Some("users"));
    assert_eq!(t.columns[1].renamed_from.as_deref(), Some("email"));
    assert_eq!(accounts::email_address, "email_address");
}
