pgdecl::schema! {
    table users { id bigint }
    view user_ids as "SELECT id FROM users";
    view user_ids as "SELECT id FROM users WHERE id > 0";
}

fn main() {}
