pgdecl::schema! {
    type floatrange as range (subtype double precision);
}

fn main() {}
