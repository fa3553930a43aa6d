pgdecl::schema! {
    table events {
        at timestamptz(7),
    }
}

fn main() {}
