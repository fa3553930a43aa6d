pgdecl::schema! {
    type floatrange as range (subtyp = double precision);
}

fn main() {}
