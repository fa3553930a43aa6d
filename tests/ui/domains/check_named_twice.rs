pgdecl::schema! {
    domain year as integer constraint year_min check year_low "VALUE >= 1901";
}

fn main() {}
