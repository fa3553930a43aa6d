pgdecl::schema! {
    table documents {
        body text statistics 20000,
    }
}

fn main() {}
