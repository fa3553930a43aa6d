pgdecl::schema! {
    table users {
        name text,
        name_lower text generated always as "lower(name)" stored,
        name_len int generated always as "length(name_lower)" stored,
    }
}

fn main() {}
