pgdecl::schema! {
    table users { id bigint }
    materialized user_ids as "SELECT id FROM users";
}

fn main() {}
