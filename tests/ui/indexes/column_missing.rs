pgdecl::schema! {
    table users {
        email text,
        index on (emial),
    }
}

fn main() {}
