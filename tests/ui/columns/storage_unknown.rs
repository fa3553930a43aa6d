pgdecl::schema! {
    table documents {
        body text storage compressed,
    }
}

fn main() {}
