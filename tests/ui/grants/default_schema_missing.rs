pgdecl::schema! {
    schema app;
    default privileges in schema ap grant select on tables to app_rw;
}

fn main() {}
