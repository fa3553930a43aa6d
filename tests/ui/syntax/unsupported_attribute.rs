pgdecl::schema! {
    #[derive(Debug)]
    table users { id bigint }
}

fn main() {}
