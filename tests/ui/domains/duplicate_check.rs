pgdecl::schema! {
    domain year as integer
        constraint year_range check "VALUE >= 1901"
        constraint year_range check "VALUE <= 2155";
}

fn main() {}
