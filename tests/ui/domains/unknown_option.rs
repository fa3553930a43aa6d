pgdecl::schema! {
    domain code as text unique;
}

fn main() {}
