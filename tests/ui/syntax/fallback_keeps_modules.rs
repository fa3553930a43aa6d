pgdecl::schema! {
    table users {
        id bigint primary key,
        email intger,
    }
}

fn main() {
    // The table module and SCHEMA still exist: only the schema error is reported.
    let _: &str = users::email;
    let _ = SCHEMA.tables.len();
}
