pgdecl::schema! {
    type address as (street text, city text, street varchar(100));
}

fn main() {}
