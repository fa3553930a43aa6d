pgdecl::schema! {
    table users { id bigint primary key, email text }
    grant select, execute on table users to app_rw;
}

fn main() {}
