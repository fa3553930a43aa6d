pgdecl::schema! {
    table users {
        email citext not null,
    }
}

fn main() {}
