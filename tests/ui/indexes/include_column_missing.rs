pgdecl::schema! {
    table users {
        id bigint,
        email text,
        unique index on (email) include (naem),
    }
}

fn main() {}
