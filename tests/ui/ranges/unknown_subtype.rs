pgdecl::schema! {
    type floatrange as range (subtype = duble);
}

fn main() {}
