pgdecl::schema! {
    table users {
        name text,
        name_lower text generated always as "lower(nmae)" stored,
    }
}

fn main() {}
