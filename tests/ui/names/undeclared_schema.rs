pgdecl::schema! {
    table audit.events { id bigint }
}

fn main() {}
