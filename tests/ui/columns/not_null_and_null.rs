pgdecl::schema! {
    table users {
        email text not null null,
    }
}

fn main() {}
