pgdecl::schema! {
    extension pgcrypto;

    enum user_role { admin, member, guest }

    table orgs { id uuid primary key default "gen_random_uuid()" }

    table users {
        id          uuid        primary key default "gen_random_uuid()",
        email       text        not null unique,
        role        user_role   not null default "'member'",
        org_id      uuid        references orgs (id) on delete cascade,
        created_at  timestamptz not null default "now()",
        updated_at  timestamptz,
        deleted_at  timestamptz,

        check users_email_not_blank "email <> ''",
        index users_live_email_idx on (lower(email)) where "deleted_at is null",
    }

    function touch_updated_at() returns trigger language plpgsql as r#"
        BEGIN NEW.updated_at := now(); RETURN NEW; END
    "#;

    trigger users_touch before update on users for each row execute function touch_updated_at();
}

fn main() {
    assert_eq!(users::TABLE, "users");
    assert_eq!(users::email, "email");
    assert_eq!(users::role, "role");
    assert_eq!(SCHEMA.tables[1].constraints[2].name, "users_org_id_fkey");
    assert_eq!(SCHEMA.tables[1].indexes[0].name, "users_live_email_idx");
    assert!(pgdecl::check(&SCHEMA).is_empty());
    // The embedded model round-trips through its JSON form.
    assert_eq!(pgdecl::Schema::from_json(&SCHEMA.to_json()).unwrap(), *SCHEMA);
}
