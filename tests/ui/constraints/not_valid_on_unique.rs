pgdecl::schema! {
    table users {
        email text unique not valid,
    }
}

fn main() {}
