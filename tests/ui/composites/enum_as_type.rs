pgdecl::schema! {
    type mood as enum (sad, ok);
}

fn main() {}
