pgdecl::schema! {
    domain us_postal_code as text;
    type address as (street text, zip us_postal_cod);
}

fn main() {}
