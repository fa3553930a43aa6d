pgdecl::schema! {
    table users {
        id,
    }
}

fn main() {}
