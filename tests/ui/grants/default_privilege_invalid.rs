pgdecl::schema! {
    schema app;
    default privileges in schema app grant execute on tables to app_rw;
}

fn main() {}
