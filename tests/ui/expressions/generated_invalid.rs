pgdecl::schema! {
    table users {
        name text,
        name_lower text generated always as "lower(name" stored,
    }
}

fn main() {}
