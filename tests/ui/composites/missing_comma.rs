pgdecl::schema! {
    type address as (street text city text);
}

fn main() {}
