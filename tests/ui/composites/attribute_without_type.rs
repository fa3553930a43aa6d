pgdecl::schema! {
    type address as (street, city text);
}

fn main() {}
