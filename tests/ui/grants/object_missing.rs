pgdecl::schema! {
    table users { id bigint primary key, email text }
    grant select on table user to app_rw;
}

fn main() {}
