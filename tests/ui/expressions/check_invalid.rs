pgdecl::schema! {
    table users {
        age int check "age >",
    }
}

fn main() {}
