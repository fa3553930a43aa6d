pgdecl::schema! {
    table users {
        email text,
        index on (email) where "deleted_at is null",
    }
}

fn main() {}
