pgdecl::schema! {
    table users {
        email text,
        index on (email) nulls not distinct,
    }
}

fn main() {}
