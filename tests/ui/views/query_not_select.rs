pgdecl::schema! {
    table users { id bigint }
    view cleanup as "DELETE FROM users";
}

fn main() {}
