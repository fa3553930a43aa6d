pgdecl::schema! {
    table users {
        email text(255),
    }
}

fn main() {}
