pgdecl::schema! {
    domain year as integer check "year >= 1901";
}

fn main() {}
