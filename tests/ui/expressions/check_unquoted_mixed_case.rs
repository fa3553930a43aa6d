pgdecl::schema! {
    table users {
        "Age" int,
        check "Age > 0",
    }
}

fn main() {}
