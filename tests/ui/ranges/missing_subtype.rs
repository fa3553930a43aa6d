pgdecl::schema! {
    type floatrange as range (subtype_diff = float8mi);
}

fn main() {}
