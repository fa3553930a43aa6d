pgdecl::schema! {
    table users {
        role text default 'm',
    }
}

fn main() {}
