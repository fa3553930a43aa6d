pgdecl::schema! {
    table users { email text, index accounts on (email) }
    table accounts { id bigint }
}

fn main() {}
