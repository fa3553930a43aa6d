pgdecl::schema! {
    table users {
        id text generated always as identity,
    }
}

fn main() {}
