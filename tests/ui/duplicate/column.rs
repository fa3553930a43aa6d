pgdecl::schema! {
    table users {
        id bigint,
        email text,
        email varchar(255),
    }
}

fn main() {}
