pgdecl::schema! {
    extension pgcrypto
}

fn main() {}
