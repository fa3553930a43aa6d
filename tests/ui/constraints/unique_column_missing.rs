pgdecl::schema! {
    table users {
        email text,
        unique (emial),
    }
}

fn main() {}
