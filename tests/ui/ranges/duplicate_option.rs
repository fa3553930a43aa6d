pgdecl::schema! {
    type floatrange as range (subtype = double precision, subtype = real);
}

fn main() {}
