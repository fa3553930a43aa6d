pgdecl::schema! {
    table users { "" text }
}

fn main() {}
