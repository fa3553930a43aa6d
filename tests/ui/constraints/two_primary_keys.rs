pgdecl::schema! {
    table users {
        id bigint primary key,
        email text,
        primary key (email),
    }
}

fn main() {}
