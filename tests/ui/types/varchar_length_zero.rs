pgdecl::schema! {
    table users {
        email varchar(0),
    }
}

fn main() {}
