pgdecl::schema! {
    table measurements {
        value double precison,
    }
}

fn main() {}
