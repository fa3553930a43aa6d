pgdecl::schema! {
    table users { id bigint }
    materialized view user_ids as "SELECT id FROM users" {
        index on (id),
    }
}

fn main() {}
