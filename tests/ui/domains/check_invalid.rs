pgdecl::schema! {
    domain year as integer check "VALUE >= ";
}

fn main() {}
