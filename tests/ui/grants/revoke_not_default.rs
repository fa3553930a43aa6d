pgdecl::schema! {
    table users { id bigint primary key, email text }
    revoke select on table users from public;
}

fn main() {}
