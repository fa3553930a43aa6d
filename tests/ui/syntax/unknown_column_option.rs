pgdecl::schema! {
    table users {
        email text not null uniqe,
    }
}

fn main() {}
