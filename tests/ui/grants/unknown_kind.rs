pgdecl::schema! {
    table users { id bigint primary key, email text }
    grant select on relation users to app_rw;
}

fn main() {}
