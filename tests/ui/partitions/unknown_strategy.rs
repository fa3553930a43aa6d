pgdecl::schema! {
    table events partition by ranges (at) { at date }
}

fn main() {}
