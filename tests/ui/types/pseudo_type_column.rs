pgdecl::schema! {
    table jobs {
        payload trigger,
    }
}

fn main() {}
