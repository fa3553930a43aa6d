pgdecl::schema! {
    schema app;
    default privileges in schema app grant select (id) on tables to app_rw;
}

fn main() {}
