pgdecl::schema! {
    table users { id bigint }
    view user_ids as "SELECT id FROM";
}

fn main() {}
