pgdecl::schema! {
    extension pgcrypto;
    extension pgcrypto;
}

fn main() {}
