pgdecl::schema! {
    table users {
        created_at timestamptz default "now(",
    }
}

fn main() {}
