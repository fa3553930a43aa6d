pgdecl::schema! {
    table "x\"; drop table y" {
        "a\"b" text,
        "Weird Name" int,
        "TABLE" text,
    }
    table Users {
        ID bigint primary key,
        café text,
        r#type text,
        r#check text,
        "select" text,
        "self" text,
        Email text unique,
    }
}

fn main() {
    let hostile = &SCHEMA.tables[0];
    assert_eq!(hostile.name.name, "x\"; drop table y");
    assert_eq!(hostile.columns[0].name, "a\"b");
    assert_eq!(pgdecl::ident::quote_ident(&hostile.name.name), "\"x\"\"; drop table y\"");

    // Mixed case and unicode are kept exactly and quoted for SQL.
    assert_eq!(Users::TABLE, "\"Users\"");
    assert_eq!(Users::ID, "\"ID\"");
    assert_eq!(Users::café, "\"café\"");
    assert_eq!(Users::r#type, "type");
    assert_eq!(Users::r#check, "\"check\"");
    assert_eq!(Users::Email, "\"Email\"");
    let users = &SCHEMA.tables[1];
    assert_eq!(users.constraints[0].name, "Users_pkey");
    assert_eq!(users.constraints[1].name, "Users_Email_key");
    assert!(pgdecl::check(&SCHEMA).is_empty());
}
