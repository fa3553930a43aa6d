pgdecl::schema! {
    table users { id bigint primary key, email text }
    grant selec on table users to app_rw;
}

fn main() {}
