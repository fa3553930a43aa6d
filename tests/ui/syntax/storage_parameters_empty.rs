pgdecl::schema! {
    table hot {
        id bigint,
        index on (id) with (),
    }
}

fn main() {}
