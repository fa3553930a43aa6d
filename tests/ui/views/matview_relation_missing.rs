pgdecl::schema! {
    table users { id bigint }
    materialized view user_ids as "SELECT u.id FROM user u";
}

fn main() {}
