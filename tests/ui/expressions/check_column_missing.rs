pgdecl::schema! {
    table users {
        age int,
        check "agee > 0",
    }
}

fn main() {}
