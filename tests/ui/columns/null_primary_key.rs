pgdecl::schema! {
    table users {
        id bigint null primary key,
    }
}

fn main() {}
