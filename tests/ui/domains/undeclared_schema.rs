pgdecl::schema! {
    domain audit.year as integer;
}

fn main() {}
