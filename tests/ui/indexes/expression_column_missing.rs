pgdecl::schema! {
    table users {
        email text,
        index on (lower(emial)),
    }
}

fn main() {}
