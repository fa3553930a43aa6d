pgdecl::schema! {
    table users {
        name text,
        display_name text default "name",
    }
}

fn main() {}
