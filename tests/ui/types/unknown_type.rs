pgdecl::schema! {
    table users {
        id bigint primary key,
        email intger not null,
    }
}

fn main() {}
