pgdecl::schema! {
    table users { id bigint }
    table users { id bigint }
}

fn main() {}
