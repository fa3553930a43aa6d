pgdecl::schema! {
    table users { id bigint }
    materialized view user_ids as "SELECT id FROM";
}

fn main() {}
