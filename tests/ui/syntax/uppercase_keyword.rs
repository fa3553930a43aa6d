pgdecl::schema! {
    table users {
        email text NOT NULL,
    }
}

fn main() {}
