pgdecl::schema! {
    table users {
        email text,
        index on (email) where "email is not",
    }
}

fn main() {}
