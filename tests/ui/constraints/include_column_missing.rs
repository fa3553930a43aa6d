pgdecl::schema! {
    table users {
        id bigint,
        email text,
        primary key (id) include (emial),
    }
}

fn main() {}
