pgdecl::schema! {
    type users as (name text);

    table users {
        id bigint primary key,
    }
}

fn main() {}
