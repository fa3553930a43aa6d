pgdecl::schema! {
    domain year as intger check "VALUE >= 1901";
}

fn main() {}
