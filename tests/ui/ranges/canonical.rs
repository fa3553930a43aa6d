pgdecl::schema! {
    type intrange as range (subtype = integer, canonical = intrange_canonical);
}

fn main() {}
