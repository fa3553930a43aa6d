pgdecl::schema! {
    type floatmultirange as (a int);
    type floatrange as range (subtype = double precision);
}

fn main() {}
