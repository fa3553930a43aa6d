pgdecl::schema! {
    table documents {
        body text compression zstd,
    }
}

fn main() {}
